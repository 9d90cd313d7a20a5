"""Session cookies, login throttling, and unguessable links."""

from tests.conftest import csrf_from, login


def test_session_cookie_flags(client, demo):
    response = login(client, "counter1")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_request_without_a_session_sets_no_cookie(client, demo):
    """No cookie where there is nothing to keep; a session in use still sets its cookie and says the
    response varies by it."""
    anonymous = client.get("/api/v1/services")
    assert anonymous.status_code == 200 and "Set-Cookie" not in anonymous.headers
    login(client, "counter1")
    page = client.get("/counter/1")
    assert page.status_code == 200 and "Cookie" in page.headers.get("Vary", "")


def test_a_session_emptied_by_the_app_is_deleted_on_the_browser(app):
    interface = app.session_interface
    with app.test_request_context("/"):
        session = interface.session_class({"user": "1"})
        session.clear()  # modified, and now empty
        response = app.response_class()
        interface.save_session(app, session, response)
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("session=;") and "Expires=Thu, 01 Jan 1970" in cookie
    assert "Cookie" in response.headers.get("Vary", "")


def test_secure_cookie_when_configured(app_factory):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_login_is_throttled_per_address(client, demo):
    statuses = []
    for _ in range(12):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        statuses.append(client.post("/login", data={"username": "counter1", "password": "wrong-password",
                                                    "csrf_token": token}).status_code)
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]


def test_limits_are_checked_by_their_views_alone(app, client, demo):
    """The limits declared on views hold: login above, and the ticket limit for an address that is not a
    kiosk; no other answer is limited or carries the limit's headers."""
    app.config["KIOSK_ADDRESSES"] = []
    responses = [client.post("/api/v1/tickets", json={"service": "TAX"}) for _ in range(22)]
    assert [r.status_code for r in responses] == [201] * 20 + [429, 429]
    # Its headers come with the limited view's answers, counting down, and with no other answer.
    assert [r.headers.get("X-RateLimit-Remaining") for r in responses[:3]] == ["19", "18", "17"]
    assert all(r.headers.get("X-RateLimit-Limit") == "20" for r in responses)
    assert "X-RateLimit-Limit" not in client.get("/api/v1/services").headers


def test_ticket_ids_are_unpredictable(client, demo):
    ids = [client.post("/api/v1/tickets", json={"service": "TAX"}).json["id"] for _ in range(20)]
    assert len(set(ids)) == 20
    assert all(len(i) >= 22 for i in ids)  # 128 random bits, base64url


def test_logout_needs_post_with_csrf(client, demo):
    login(client, "counter1")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400


def test_a_deactivated_user_token_is_refused_at_once(app, client, demo):
    from tests.conftest import bearer, set_user_row

    headers = bearer(app, "counter1")
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 204  # token now cached
    set_user_row(app, "counter1", active=False)
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 401
