"""Who may do what: anonymous cannot call; counter staff cannot administer; officers do not run counters."""

import pytest

from tests.conftest import bearer, login

COUNTER_ACTIONS = ["next", "recall", "start", "complete", "no-show", "park"]


@pytest.mark.parametrize("action", COUNTER_ACTIONS + ["transfer", "call"])
def test_anonymous_cannot_act_at_a_counter(client, demo, action):
    response = client.post(f"/api/v1/counters/1/{action}", json={})
    assert response.status_code == 401
    assert response.json["error"]["message_th"]


def test_bad_token_is_401(client, demo):
    response = client.post("/api/v1/counters/1/next", headers={"Authorization": "Bearer tbn_forged"})
    assert response.status_code == 401 and response.json["error"]["code"] == "bad_token"


@pytest.mark.parametrize("role_user, status", [("officer1", 403), ("executive", 403), ("counter1", 204),
                                               ("admin", 204)])
def test_counter_actions_by_role(app, client, demo, role_user, status):
    assert client.post("/api/v1/counters/1/next", headers=bearer(app, role_user)).status_code == status


def test_staff_lists_need_login(client, demo):
    assert client.get("/api/v1/waiting").status_code == 401
    assert client.get("/counter").status_code == 302


@pytest.mark.parametrize("user, status", [("counter1", 403), ("officer1", 403), ("executive", 403), ("admin", 200)])
def test_only_admin_opens_admin(client, demo, user, status):
    login(client, user)
    assert client.get("/admin/").status_code == status


def test_counter_staff_cannot_add_users(client, demo):
    login(client, "counter1")
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/counter").get_data(as_text=True))
    response = client.post("/admin/users/new", data={"csrf_token": token, "username": "x", "role": "admin",
                                                     "password": "longenough"})
    assert response.status_code == 403


def test_admin_forms_need_csrf(client, demo):
    login(client, "admin")
    response = client.post("/admin/services/new", data={"svc-code": "X", "svc-prefix": "X"})
    assert response.status_code == 400


def test_admin_adds_a_service(client, demo):
    from tests.conftest import csrf_from

    login(client, "admin")
    token = csrf_from(client.get("/admin/services/new").get_data(as_text=True))
    response = client.post("/admin/services/new", data={
        "csrf_token": token, "svc-code": "LAND", "svc-prefix": "L", "svc-name_th": "ที่ดิน", "svc-name_en": "Land",
        "svc-opens_at": "08:30", "svc-closes_at": "16:30", "svc-open_days": list("12345"), "svc-position": "5",
        "svc-active": "y"}, follow_redirects=True)
    assert response.status_code == 200 and "LAND" in response.get_data(as_text=True)


def test_login_rejects_wrong_password(client, demo):
    response = login(client, "counter1", "wrong-password")
    assert response.status_code == 401
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)


def test_login_redirect_stays_on_site(client, demo):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=//evil.example/x", data={"username": "counter1",
                                                                   "password": "demo-password", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/")
    assert "evil" not in response.headers["Location"]


def test_counter_console_counts_follow_the_queue(app, client, demo):
    """The console's "today" counts come from a route its script re-reads, so they follow every call."""
    from kiosk import queue
    from tambon.db import get_session

    assert client.get("/counter/1/today").status_code == 302  # anonymous: to the login page
    login(client, "counter1")
    before = client.get("/counter/1/today").json
    with app.app_context():
        queue.issue_ticket(get_session(), "TAX")
    issued = client.get("/counter/1/today").json
    assert (issued["issued"], issued["waiting"]) == (before["issued"] + 1, before["waiting"] + 1)
    assert client.post("/api/v1/counters/1/next", headers=bearer(app, "counter1")).status_code == 200
    assert client.post("/api/v1/counters/1/complete", headers=bearer(app, "counter1")).status_code == 200
    done = client.get("/counter/1/today").json
    assert done["waiting"] == issued["waiting"] - 1
    assert done["completed"] == issued["completed"] + 1
    assert done["this_counter_completed"] == issued["this_counter_completed"] + 1


def test_counts_of_an_unknown_counter_are_a_bilingual_404(client, demo):
    login(client, "counter1")
    response = client.get("/counter/999/today", headers={"Accept": "application/json"})  # as counter.js asks
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_counter"
    assert response.json["error"]["message_th"] and response.json["error"]["message_en"]
