"""No personal data in logs: a complaint with full contact details, handled end to end with every logger at
DEBUG (including SQLAlchemy's statement echo, which logs bound parameters), leaves none of it in the log."""

import logging

from tests.conftest import bearer

CONTACT = {"name": "สมหญิง ใจดีมาก", "phone": "0812345678", "email": "somying.private@example.org",
           "line_id": "somying_line_77"}


def test_contact_details_never_reach_the_log(demo, caplog):
    client = demo.test_client()
    for name in ("", "sqlalchemy.engine", "tambon", "kiosk", "display", "intake", "reports", "werkzeug"):
        caplog.set_level(logging.DEBUG, logger=name)
    demo.logger.setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG):
        created = client.post("/api/v1/complaints", json={
            "type": "staff_conduct", "subject": "ถูกปฏิบัติไม่เป็นธรรม", "details": "รายละเอียดของเหตุการณ์",
            "contact": CONTACT, "consent": True})
        assert created.status_code == 201, created.get_data(as_text=True)
        code = created.json["tracking_code"]
        client.get(f"/api/v1/complaints/{code}")
        client.get(f"/c/{code}")
        client.post("/api/v1/tickets", json={"service": "TAX"})
        client.post("/api/v1/counters/1/next", headers=bearer(demo, "counter1"))
    logged = "\n".join(r.getMessage() + " " + repr(r.args) for r in caplog.records)
    assert logged, "nothing was logged: the test would prove nothing"
    for record in caplog.records:
        text = record.getMessage() + " " + repr(record.args)
        for value in CONTACT.values():
            assert value not in text, f"{record.name}: {text[:300]}"
