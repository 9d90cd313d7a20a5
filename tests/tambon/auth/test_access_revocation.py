"""Issue 19 finding 5 and issue 20's login items: access ends at once (logout, password, role, deactivation,
token revocation) — over real HTTP with the Flask test client, and through the `tambon` command; the landing
page after login fits the role; `next` never leads off-site."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tambon.auth import service
from tambon.auth.models import AccountEvent, ApiToken, User
from tambon.auth.policy import CLI
from tambon.db import get_session
from tests.command import run_tambon
from tests.conftest import bearer, csrf_from, login, make_app

COOKIE = "session"


def _logged_in(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _replay(app, cookie_value: str, path: str):
    """A fresh browser that presents a copied session cookie (as a thief, or a forgotten tab, would)."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie_value)
    return other.get(path)


def _cookie(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _in(app, fn, *args, **kwargs):
    with app.app_context():
        return fn(get_session(), *args, **kwargs)


def test_logout_ends_the_session_even_for_a_copied_cookie(demo):
    officer = _logged_in(demo, "officer1")
    assert officer.get("/office/complaints").status_code == 200
    stolen = _cookie(officer)
    assert _replay(demo, stolen, "/office/complaints").status_code == 200  # the copy works while logged in
    page = officer.get("/office/complaints").get_data(as_text=True)
    assert officer.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    replayed = _replay(demo, stolen, "/office/complaints")
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_logout_revokes_the_accounts_tokens(demo):
    token = bearer(demo, "counter1")
    counter = _logged_in(demo, "counter1")
    api = demo.test_client()
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)
    page = counter.get("/counter/1").get_data(as_text=True)
    assert counter.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401


def test_password_change_ends_sessions_and_tokens_at_once(demo):
    officer = _logged_in(demo, "officer1")
    token = bearer(demo, "counter1")
    counter = _logged_in(demo, "counter1")
    api = demo.test_client()
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)  # warm: no cache now
    _in(demo, service.set_password, "counter1", "a-new-password", actor=CLI)
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401
    assert counter.get("/counter").status_code == 302  # back to the login
    assert officer.get("/office/complaints").status_code == 200  # other people are not affected


def test_role_change_and_deactivation_end_sessions_and_tokens(demo):
    token = bearer(demo, "counter1")
    counter = _logged_in(demo, "counter1")
    api = demo.test_client()
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)
    _in(demo, service.set_role, "counter1", "admin", actor=CLI)
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401
    assert counter.get("/counter").status_code == 302
    # deactivation: the new session and the new token die too, and login is refused
    counter = _logged_in(demo, "counter1")
    token = bearer(demo, "counter1")
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)
    _in(demo, service.set_active, "counter1", False, actor=CLI)
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401
    assert counter.get("/admin/").status_code == 302
    assert login(demo.test_client(), "counter1").status_code == 401
    # reactivated: the account logs in again, but its old token stays dead
    _in(demo, service.set_active, "counter1", True, actor=CLI)
    assert login(demo.test_client(), "counter1").status_code == 302
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401


def test_a_cookie_from_before_session_versions_is_refused(demo):
    """Cookies signed before the upgrade carry only the user id: they must log in again."""
    from flask.sessions import SecureCookieSessionInterface

    with demo.app_context():
        user_id = get_session().scalar(select(User.id).where(User.username == "executive"))
        serializer = SecureCookieSessionInterface().get_signing_serializer(demo)
        old = serializer.dumps({"_user_id": str(user_id), "_fresh": True})
    assert _replay(demo, old, "/office/complaints").status_code == 302


def test_admin_page_revokes_a_token_and_deactivates_a_user(demo):
    token = bearer(demo, "counter1")
    api = demo.test_client()
    assert api.post("/api/v1/counters/1/next", headers=token).status_code in (200, 204)
    admin = _logged_in(demo, "admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    with demo.app_context():
        token_id = get_session().scalar(select(ApiToken.id).order_by(ApiToken.id.desc()))
        counter_id = get_session().scalar(select(User.id).where(User.username == "counter1"))
    assert f'data-token="{token_id}"' in page
    csrf = csrf_from(page)
    assert admin.post(f"/admin/users/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 302
    assert api.post("/api/v1/counters/1/next", headers=token).status_code == 401
    counter = _logged_in(demo, "counter1")
    assert admin.post(f"/admin/users/{counter_id}/active", data={"csrf_token": csrf, "active": "0"}).status_code == 302
    assert counter.get("/counter").status_code == 302
    listing = admin.get("/admin/users").get_data(as_text=True)
    assert "ระงับแล้ว" in listing or "Deactivated" in listing
    with demo.app_context():
        actions = get_session().scalars(select(AccountEvent.action).order_by(AccountEvent.id)).all()
    assert actions[-2:] == ["token_revoke", "deactivate"]
    # admin may not deactivate the executive's … no: closing is allowed, but never leaving the office
    # without an executive
    with demo.app_context():
        executive_id = get_session().scalar(select(User.id).where(User.username == "executive"))
    refused = admin.post(f"/admin/users/{executive_id}/active", data={"csrf_token": csrf, "active": "0"})
    assert refused.status_code == 409


@pytest.mark.parametrize("username, landing", [
    ("officer1", "/office/complaints"), ("executive", "/office/complaints"), ("counter1", "/counter"),
    ("admin", "/admin/"),
])
def test_each_role_lands_on_a_page_it_may_open(demo, username, landing):
    client = demo.test_client()
    response = login(client, username)
    assert response.status_code == 302 and response.headers["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
                                    "/%0a/evil.example", "%2F%2Fevil.example", "/\t/evil.example"])
def test_next_never_leads_off_site(demo, target):
    client = demo.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(f"/login?next={target}", data={"username": "officer1", "password": "demo-password",
                                                          "csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/office/complaints", location


def test_next_keeps_a_local_path(demo):
    client = demo.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=/office/complaints%3Fview%3Doverdue",
                           data={"username": "officer1", "password": "demo-password", "csrf_token": token})
    assert response.headers["Location"] == "/office/complaints?view=overdue"


# --- the command line ------------------------------------------------------------------------------------------

def test_cli_token_list_revoke_and_user_deactivate(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {"TAMBON_INSTANCE": str(tmp_path / "instance"), "PRINTER_URL": "none",
           "DATABASE_URL": db_url, "SECRET_KEY": "cli-test-secret"}
    assert run_tambon(env, "db", "upgrade").returncode == 0
    assert run_tambon(env, "demo").returncode == 0
    token = run_tambon(env, "token", "create", "counter1", "--label", "ป้ายทดสอบ").stdout.strip()
    listed = run_tambon(env, "token", "list")
    assert listed.returncode == 0 and "counter1" in listed.stdout and "ป้ายทดสอบ" in listed.stdout
    assert token not in listed.stdout  # never the token itself
    token_id = listed.stdout.strip().splitlines()[-1].split("\t")[0]
    app = make_app(tmp_path, db_url, SECRET_KEY="cli-test-secret")
    try:
        api = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        assert api.post("/api/v1/counters/1/next", headers=headers).status_code in (200, 204)
        assert run_tambon(env, "token", "revoke", token_id).returncode == 0
        assert api.post("/api/v1/counters/1/next", headers=headers).status_code == 401
        assert "revoked" in run_tambon(env, "token", "list", "--all").stdout
        session = _logged_in(app, "counter1")
        assert session.get("/counter").status_code == 200
        assert run_tambon(env, "user", "deactivate", "counter1").returncode == 0
        assert session.get("/counter").status_code == 302
        assert run_tambon(env, "user", "activate", "counter1").returncode == 0
        assert login(app.test_client(), "counter1").status_code == 302
    finally:
        app.extensions["tambon.engine"].dispose()
    for args in (("token", "revoke", "abc"), ("token", "revoke", "99999"), ("token", "revoke"),
                 ("user", "deactivate", "nobody"), ("user", "activate"), ("user", "role", "counter1", "boss")):
        bad = run_tambon(env, *args)
        assert bad.returncode == 2, (args, bad.stdout, bad.stderr)
        assert bad.stderr.strip()
