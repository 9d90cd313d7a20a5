"""`tambon serve` prepares each worker before it takes a connection (tambon.prepare_to_serve): after that,
opening the office's pages compiles no template — in a gevent worker a first compile held every request
in flight, a counter's call among them, for up to 150 ms."""

from __future__ import annotations

from unittest import mock

from tambon import prepare_to_serve
from tests.conftest import login

PAGES = {
    None: ["/", "/login", "/kiosk", "/display", "/complaints/new", "/complaints/track", "/complaints/privacy",
           "/complaints/stats"],
    "counter1": ["/counter"],
    "officer1": ["/office/complaints", "/office/complaints/new", "/office/complaints/posters"],
    "admin": ["/admin/users", "/admin/users/new", "/admin/", "/admin/services/new", "/admin/counters/new",
              "/admin/printing/", "/display/devices", "/reports/measures/edit"],
    "executive": ["/reports/?preset=quarter", "/reports/quarterly"],
}


def test_after_prepare_to_serve_no_page_compiles_a_template(demo):
    prepare_to_serve(demo)
    environments = [demo.jinja_env, demo.extensions["reports.guarded_jinja"]]
    with mock.patch.object(environments[0], "compile", wraps=environments[0].compile) as plain, \
            mock.patch.object(environments[1], "compile", wraps=environments[1].compile) as guarded:
        for username, paths in PAGES.items():
            client = demo.test_client()
            if username:
                assert login(client, username).status_code == 302
            for path in paths:
                page = client.get(path)
                assert page.status_code == 200, (username, path, page.status_code)
                assert "text/html" in page.content_type, path
    assert plain.call_args_list == [] and guarded.call_args_list == []


def test_without_it_a_first_page_compiles(demo):
    """The check above can fail: a fresh app compiles its templates on first use."""
    environment = demo.jinja_env
    with mock.patch.object(environment, "compile", wraps=environment.compile) as compiled:
        assert demo.test_client().get("/login").status_code == 200
    assert compiled.call_count >= 1
