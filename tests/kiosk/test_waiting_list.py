"""GET /api/v1/waiting: one counter's services in its order, a page at a time, bad paging refused."""

from __future__ import annotations

import pytest

from kiosk import queue
from tambon.db import get_session
from tests.conftest import bearer


@pytest.fixture
def staff(demo):
    with demo.app_context():
        session = get_session()
        for code in ("HELP", "TAX", "WELFARE", "TAX", "HELP", "BUILD"):
            queue.issue_ticket(session, code)
    return bearer(demo, "counter1")


def test_a_counter_sees_its_services_in_its_order(client, staff):
    # Counter 1 serves TAX, then HELP; WELFARE and BUILD belong to others.
    body = client.get("/api/v1/waiting?counter=1", headers=staff).json
    assert [t["number"] for t in body["tickets"]] == ["A001", "A002", "D001", "D002"]
    assert body["total"] == 4
    everyone = client.get("/api/v1/waiting", headers=staff).json
    assert everyone["total"] == 6 and len(everyone["tickets"]) == 6


def test_pages(client, staff):
    first = client.get("/api/v1/waiting?counter=1&offset=0&limit=3", headers=staff).json
    second = client.get("/api/v1/waiting?counter=1&offset=3&limit=3", headers=staff).json
    assert [t["number"] for t in first["tickets"]] == ["A001", "A002", "D001"]
    assert [t["number"] for t in second["tickets"]] == ["D002"]
    assert first["total"] == second["total"] == 4 and second["offset"] == 3


@pytest.mark.parametrize("query", ["counter=x", "counter=-1", "offset=-5", "limit=0", "limit=201", "limit=1.5"])
def test_bad_paging_is_refused_in_both_languages(client, staff, query):
    response = client.get(f"/api/v1/waiting?{query}", headers=staff)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["message_th"] and error["message_en"]


def test_unknown_counter(client, staff):
    response = client.get("/api/v1/waiting?counter=99", headers=staff)
    assert response.status_code == 404 and response.json["error"]["code"] == "unknown_counter"
