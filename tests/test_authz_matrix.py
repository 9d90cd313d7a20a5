"""Every route either is deliberately public (@tambon.auth.public) or refuses an anonymous caller.

The route list comes from the URL map, so a new route without a guard fails here the day it is added."""

import re

import pytest


def fill(rule: str) -> str:
    path = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<[^>]+>", "x", path)


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, getattr(view, "tambon_public", False)


@pytest.fixture
def app_without_csrf(app_factory):
    """CSRF would refuse every anonymous POST first (400); switch it off to test the auth guard itself."""
    from kiosk.demo import load_demo
    from tambon.db import get_session

    app = app_factory(WTF_CSRF_ENABLED=False)
    with app.app_context():
        load_demo(get_session())
    return app


def test_every_route_is_public_on_purpose_or_guarded(app_without_csrf):
    client = app_without_csrf.test_client()
    open_doors = []
    for rule, method, is_public in routes(app_without_csrf):
        if is_public:
            continue
        response = client.open(fill(rule.rule), method=method, json={} if method != "GET" else None)
        refused = response.status_code in (401, 403) or (
            response.status_code == 302 and "/login" in response.headers.get("Location", ""))
        if not refused:
            open_doors.append(f"{method} {rule.rule} → {response.status_code}")
    assert open_doors == []


def test_public_routes_are_few_and_known(app):
    public = sorted({f"{m} {r.rule}" for r, m, p in routes(app) if p})
    for entry in public:
        assert not entry.startswith(("POST /admin", "POST /api/v1/counters")), entry


@pytest.mark.parametrize("path", ["/admin/", "/counter", "/counter/1"])
def test_staff_pages_redirect_anonymous_to_login(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
