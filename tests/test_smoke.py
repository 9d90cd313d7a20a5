from tests.conftest import bearer


def test_issue_call_complete_over_http(app, demo, client):
    issued = client.post("/api/v1/tickets", json={"service": "TAX"})
    assert issued.status_code == 201
    assert issued.json["number"] == "A001"
    headers = bearer(app, "counter1")
    called = client.post("/api/v1/counters/1/next", headers=headers)
    assert called.status_code == 200 and called.json["ticket"]["number"] == "A001"
    done = client.post("/api/v1/counters/1/complete", headers=headers)
    assert done.json["ticket"]["status"] == "completed"
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 204
