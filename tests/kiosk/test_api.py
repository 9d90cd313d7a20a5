"""The queue API as the contract names it, and its answers to bad input (Thai + English, nothing half-written)."""

import pytest
from sqlalchemy import func, select

from kiosk.models import Ticket, TicketEvent
from tambon.db import get_session
from tests.conftest import bearer, login


@pytest.fixture
def staff(app, demo):
    return bearer(app, "counter1")


def count_rows(app, model):
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def assert_bilingual_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["message_th"] and error["message_en"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in error["message_th"]), "Thai message expected"
    if code:
        assert error["code"] == code


def test_status_url_follows_the_host_the_request_came_to(app_factory):
    # Among trusted hosts (tambon.pages.public_base_url), each host gets its own base, though it is cached.
    from kiosk.demo import load_demo
    from tambon.db import get_session

    app = app_factory(TRUSTED_HOSTS=["kiosk.local", "desk.example.org"])
    with app.app_context():
        load_demo(get_session())
    client = app.test_client()
    urls = [client.post("/api/v1/tickets", json={"service": "TAX"}, base_url=base).json["status_url"]
            for base in ("http://kiosk.local", "https://desk.example.org:8443", "http://kiosk.local")]
    assert urls[0].startswith("http://kiosk.local/t/")
    assert urls[1].startswith("https://desk.example.org:8443/t/")
    assert urls[2].startswith("http://kiosk.local/t/") and urls[2] != urls[0]


def test_issue_ticket_contract_shape(client, demo):
    response = client.post("/api/v1/tickets", json={"service": "TAX", "priority": False})
    assert response.status_code == 201
    body = response.json
    assert {"id", "number", "service", "issued_at", "waiting_ahead", "status_url"} <= body.keys()
    assert body["number"] == "A001" and body["service"] == "TAX" and body["waiting_ahead"] == 0
    assert body["issued_at"].endswith("+07:00")
    assert body["status_url"].endswith(f"/t/{body['id']}")
    assert len(body["id"]) >= 20, "ticket ids must not be guessable"
    status = client.get(f"/api/v1/tickets/{body['id']}")
    assert status.status_code == 200 and status.json["status"] == "waiting"


@pytest.mark.parametrize("payload, status, code", [
    ({"service": "NOPE"}, 404, "unknown_service"),
    ({}, 422, "bad_service"),
    ({"service": 5}, 422, "bad_service"),
    ({"service": "TAX", "priority": "yes"}, 422, "bad_priority"),
    ([1, 2], 400, "bad_json"),
])
def test_issue_ticket_bad_input(client, app, demo, payload, status, code):
    assert_bilingual_error(client.post("/api/v1/tickets", json=payload), status, code)
    assert count_rows(app, Ticket) == 0 and count_rows(app, TicketEvent) == 0


def test_issue_ticket_malformed_and_non_json(client, app, demo):
    assert_bilingual_error(client.post("/api/v1/tickets", data="{nope", content_type="application/json"), 400)
    assert_bilingual_error(client.post("/api/v1/tickets", data="service=TAX"), 415, "not_json")
    assert count_rows(app, Ticket) == 0


def test_closed_service_is_explained(client, app, demo):
    from datetime import time

    from kiosk.setup import upsert_service

    with app.app_context():
        upsert_service(get_session(), code="NIGHT", prefix="N", name_th="บริการกลางคืน", name_en="Night",
                       opens_at=time(0, 0), closes_at=time(0, 1), open_days="1")
    response = client.post("/api/v1/tickets", json={"service": "NIGHT"})
    assert response.status_code == 422
    assert response.json["error"]["code"] in ("service_closed",)


def test_counter_flow_and_errors(client, app, demo, staff):
    assert client.post("/api/v1/counters/1/next", headers=staff).status_code == 204
    client.post("/api/v1/tickets", json={"service": "TAX"})
    client.post("/api/v1/tickets", json={"service": "TAX"})
    called = client.post("/api/v1/counters/1/next", headers=staff)
    assert called.status_code == 200 and called.json["ticket"]["number"] == "A001"
    assert called.json["ticket"]["counter"]["id"] == 1
    assert_bilingual_error(client.post("/api/v1/counters/1/next", headers=staff), 409, "counter_busy")
    assert client.post("/api/v1/counters/1/recall", headers=staff).json["ticket"]["recalls"] == 1
    moved = client.post("/api/v1/counters/1/transfer", headers=staff, json={"service": "WELFARE"})
    assert moved.status_code == 200 and moved.json["ticket"]["service"] == "WELFARE"
    assert_bilingual_error(client.post("/api/v1/counters/1/transfer", headers=staff, json={}), 422)
    assert_bilingual_error(client.post("/api/v1/counters/999/next", headers=staff), 404, "unknown_counter")
    assert client.post("/api/v1/counters/abc/next", headers=staff).status_code == 404
    assert_bilingual_error(client.post("/api/v1/counters/1/complete", headers=staff), 409, "no_current_ticket")
    queue_view = client.get("/api/v1/queue").json
    assert queue_view["last_called"][0]["number"] == "A001"
    assert {s["code"]: s["waiting"] for s in queue_view["services"]}["WELFARE"] == 1
    counters = client.get("/api/v1/counters").json["counters"]
    assert counters[0]["services"] == ["TAX", "HELP"] and counters[0]["serving"] is None


def test_call_chosen_and_cancel_over_http(client, demo, staff):
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "TAX"})
    chosen = client.post("/api/v1/counters/1/call", headers=staff, json={"ticket": "A003"})
    assert chosen.json["ticket"]["number"] == "A003"
    parked = client.post("/api/v1/counters/1/park", headers=staff)
    ticket_id = parked.json["ticket"]["id"]
    assert client.post(f"/api/v1/tickets/{ticket_id}/resume", headers=staff).json["ticket"]["status"] == "waiting"
    cancelled = client.post(f"/api/v1/tickets/{ticket_id}/cancel", headers=staff, json={"reason": "left"})
    assert cancelled.json["ticket"]["status"] == "cancelled"
    events = client.get(f"/api/v1/tickets/{ticket_id}/events", headers=staff).json["events"]
    assert [e["type"] for e in events] == ["issued", "called", "parked", "unparked", "cancelled"]


def test_unknown_ticket_is_404(client, demo):
    assert_bilingual_error(client.get("/api/v1/tickets/doesnotexist"), 404, "unknown_ticket")


def test_public_ticket_issue_is_rate_limited_for_non_kiosk_addresses(app_factory):
    from kiosk.demo import load_demo

    app = app_factory(TICKET_RATE_LIMIT="3 per minute", KIOSK_ADDRESSES=["10.9.9.9"])
    with app.app_context():
        load_demo(get_session())
    client = app.test_client()
    codes = [client.post("/api/v1/tickets", json={"service": "TAX"}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert_bilingual_error(client.post("/api/v1/tickets", json={"service": "TAX"}), 429)


def test_kiosk_addresses_are_not_rate_limited(app_factory):
    from kiosk.demo import load_demo

    app = app_factory(TICKET_RATE_LIMIT="2 per minute")  # 127.0.0.1 is a kiosk by default
    with app.app_context():
        load_demo(get_session())
    client = app.test_client()
    assert {client.post("/api/v1/tickets", json={"service": "TAX"}).status_code for _ in range(5)} == {201}


def test_session_api_writes_need_csrf(client, demo):
    login(client, "counter1")
    assert client.post("/api/v1/counters/1/next").status_code == 400  # no CSRF token
    page = client.get("/counter/1").get_data(as_text=True)
    from tests.conftest import csrf_from

    ok = client.post("/api/v1/counters/1/next", headers={"X-CSRFToken": csrf_from(page)})
    assert ok.status_code == 204
