"""Issue 19 findings 6, 7 and 9 (and issue 20's public URL) over real HTTP: the app served on a loopback port,
spoken to as a citizen's phone, a stranger and a proxy would.

Each test failed on the code before the fix: ten wrong PINs from anywhere locked the citizen out; the PIN
went in the URL; a second submission answered 409 with the first one's code; a forged Host went into
``status_url`` and the QR image; /healthz said "ok" on a database that refused writes; addresses behind a
proxy were all the proxy's."""

from __future__ import annotations

import re

import pytest
import requests

from intake import complaints
from intake.posters import small_qr_png
from tests.conftest import make_app, served
from tests.intake.conftest import NO_LIMIT, body, db, user

PIN_HEADER = "X-Complaint-PIN"


def _answered_complaint(app, base: str) -> tuple[str, str]:
    created = requests.post(f"{base}/api/v1/complaints", json=body(), timeout=10,
                            headers={"X-Forwarded-For": "198.51.100.7"})
    assert created.status_code == 201, created.text
    code, pin = created.json()["tracking_code"], created.json()["pin"]
    with db(app) as s:
        complaints.acknowledge(s, code, user(s, "officer1"))
        complaints.answer(s, code, user(s, "officer1"), text="ซ่อมไฟถนนแล้ว")
    return code, pin


def test_a_stranger_guessing_pins_locks_out_only_the_stranger(office_app_factory):
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, COMPLAINT_PIN_RATE_LIMIT=NO_LIMIT, TRUSTED_PROXIES=1)
    with served(app) as base:
        code, pin = _answered_complaint(app, base)
        wrong = "000000" if pin != "000000" else "111111"
        stranger = {"X-Forwarded-For": "203.0.113.66"}
        statuses = [requests.get(f"{base}/api/v1/complaints/{code}", headers={**stranger, PIN_HEADER: wrong},
                                 timeout=10).status_code for _ in range(10)]
        assert statuses == [403] * 5 + [429] * 5  # back-off after five, for this address only
        locked = requests.get(f"{base}/api/v1/complaints/{code}", headers={**stranger, PIN_HEADER: pin}, timeout=10)
        assert locked.status_code == 429 and "นาที" in locked.json()["error"]["message_th"]
        # the citizen, from their own phone, reads the answer: by the API and on the status page
        citizen = {"X-Forwarded-For": "198.51.100.7"}
        mine = requests.get(f"{base}/api/v1/complaints/{code}", headers={**citizen, PIN_HEADER: pin}, timeout=10)
        assert mine.status_code == 200 and mine.json()["answer"]["text"] == "ซ่อมไฟถนนแล้ว"
        phone = requests.Session()
        page = phone.get(f"{base}/c/{code}", headers=citizen, timeout=10)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        shown = phone.post(f"{base}/c/{code}", data={"csrf_token": csrf, "pin": pin}, headers=citizen, timeout=10)
        assert shown.status_code == 200 and "ซ่อมไฟถนนแล้ว" in shown.text
        # and the PIN never travels in a URL: the status form posts it, the API refuses it in the query
        assert 'method="post"' in page.text and "?pin=" not in page.text
        in_url = requests.get(f"{base}/api/v1/complaints/{code}?pin={pin}", headers=citizen, timeout=10)
        assert in_url.status_code == 400 and in_url.json()["error"]["code"] == "pin_in_url"
        assert "answer" not in in_url.text
    doc = app.test_client().get("/api/v1/openapi.json").json
    params = doc["paths"]["/api/v1/complaints/{tracking_code}"]["get"]["parameters"]
    assert {"name": PIN_HEADER, "in": "header"}.items() <= next(p for p in params if p["name"] == PIN_HEADER).items()
    assert not any(p["in"] == "query" and p["name"] == "pin" for p in params)


def test_open311_never_lists_tracking_codes(office_app_factory):
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT)
    with served(app) as base:
        codes = [requests.post(f"{base}/api/v1/complaints", json=body(subject=f"เรื่องที่ {i}"),
                               timeout=10).json()["tracking_code"] for i in range(3)]
        listed = requests.get(f"{base}/open311/v2/requests.json", timeout=10)
        ids = [r["service_request_id"] for r in listed.json()]
        assert len(ids) == 3 and not any(code in listed.text for code in codes)
        assert not any(code.replace("-", "") in listed.text.upper() for code in codes)
        one = requests.get(f"{base}/open311/v2/requests/{ids[0]}.json", timeout=10)
        assert one.status_code == 200 and not any(code in one.text for code in codes)


def test_the_same_text_from_someone_else_is_kept_and_their_code_stays_theirs(office_app_factory):
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, TRUSTED_PROXIES=1)
    with served(app) as base:
        first = requests.post(f"{base}/api/v1/complaints", json=body(), timeout=10,
                              headers={"X-Forwarded-For": "198.51.100.7"})
        second = requests.post(f"{base}/api/v1/complaints", timeout=10, headers={"X-Forwarded-For": "203.0.113.9"},
                               json=body(subject=body()["subject"] + "  ", details=body()["details"].upper(),
                                         contact={"name": "ผู้ร้องคนที่สอง", "email": "second@example.org"}))
        assert first.status_code == second.status_code == 201, second.text
        assert first.json()["tracking_code"] not in second.text
    with db(app) as s:
        kept = complaints.find(s, second.json()["tracking_code"])
        assert (kept.contact_name, kept.contact_email) == ("ผู้ร้องคนที่สอง", "second@example.org")
        assert kept.duplicate_of_id == complaints.find(s, first.json()["tracking_code"]).id


def test_per_address_limits_see_the_citizen_behind_a_trusted_proxy_only(office_app_factory):
    for proxies, expected in ((1, [201] * 4), (0, [201, 201, 429, 429])):
        app = office_app_factory(COMPLAINT_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies)
        with served(app) as base:
            got = [requests.post(f"{base}/api/v1/complaints", json=body(subject=f"เรื่องของบ้าน {i}"), timeout=10,
                                 headers={"X-Forwarded-For": f"203.0.113.{i + 1}"}).status_code for i in range(4)]
        assert got == expected, (proxies, got)


def test_a_forged_host_never_reaches_a_link_or_a_qr_code(office_app_factory):
    from tambon.pages import own_addresses

    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, PUBLIC_BASE_URL="")
    forged = {"Host": "evil.example"}
    with served(app) as base:
        port = base.rsplit(":", 1)[1]
        own = own_addresses()[0]
        expected_base = f"http://{own}:{port}/" if ":" not in own else f"http://[{own}]:{port}/"
        complaint = requests.post(f"{base}/api/v1/complaints", json=body(), headers=forged, timeout=10).json()
        ticket = requests.post(f"{base}/api/v1/tickets", json={"service": "TAX"}, headers=forged, timeout=10).json()
        assert "evil" not in complaint["status_url"] and "evil" not in ticket["status_url"]
        assert complaint["status_url"] == f"{expected_base}c/{complaint['tracking_code']}"
        qr = requests.get(f"{base}/complaints/qr.png?src=counter", headers=forged, timeout=10)
        assert qr.content == small_qr_png(f"{expected_base}complaints/new?src=counter")
        assert qr.content != small_qr_png("http://evil.example/complaints/new?src=counter")
        # the address the browser used is kept when it is this machine's own
        mine = requests.post(f"{base}/api/v1/complaints", json=body(subject="จากเครื่องนี้"), timeout=10).json()
        assert mine["status_url"].startswith(f"{base}/c/")
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, PUBLIC_BASE_URL="https://tambon.example.go.th")
    with served(app) as base:
        assert requests.post(f"{base}/api/v1/complaints", json=body(), headers=forged, timeout=10).json()[
            "status_url"].startswith("https://tambon.example.go.th/c/")
    app = office_app_factory(TRUSTED_HOSTS=["tambon.local", "127.0.0.1"])
    with served(app) as base:
        assert requests.get(f"{base}/api/v1/services", headers=forged, timeout=10).status_code == 400
        assert requests.get(f"{base}/api/v1/services", timeout=10).status_code == 200


def test_admin_printer_page_shows_the_url_the_qr_code_holds(office_app_factory):
    from tests.intake.conftest import staff_client

    app = office_app_factory(PUBLIC_BASE_URL="https://q.tambon.example.go.th")
    page = staff_client(app, "admin").get("/admin/printing/").get_data(as_text=True)
    assert "https://q.tambon.example.go.th/t/" in page and "PUBLIC_BASE_URL" not in page
    unset = staff_client(office_app_factory(PUBLIC_BASE_URL=""), "admin").get("/admin/printing/")
    assert 'id="qr-url"' in unset.get_data(as_text=True) and "PUBLIC_BASE_URL" in unset.get_data(as_text=True)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_healthz_says_not_ok_when_the_database_refuses_writes(database, request, tmp_path, sqlite_template):
    import shutil

    if database == "sqlite":
        path = tmp_path / "ro.sqlite3"
        shutil.copy(sqlite_template, path)
        writable, read_only = f"sqlite:///{path}", f"sqlite:///file:{path}?mode=ro&uri=true"
    else:
        import psycopg

        writable = request.getfixturevalue("pg_url")
        with psycopg.connect(writable, autocommit=True) as conn:
            name = writable.rsplit("/", 1)[1]
            conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        read_only = writable
        writable = None
    if writable is not None:
        ok_app = make_app(tmp_path, writable)
        with served(ok_app) as base:
            assert requests.get(f"{base}/healthz", timeout=10).json() == {"status": "ok"}
        ok_app.extensions["tambon.engine"].dispose()
    app = make_app(tmp_path, read_only)
    try:
        with served(app) as base:
            health = requests.get(f"{base}/healthz", timeout=10)
            assert health.status_code == 503 and health.json()["status"] == "not-ok"
            refused = requests.post(f"{base}/api/v1/tickets", json={"service": "TAX"}, timeout=10)
            assert refused.status_code >= 400  # a write really is refused: the check told the truth
    finally:
        app.extensions["tambon.engine"].dispose()



class RefusingMailServer:
    """A mail server on loopback speaking SMTP, refusing every recipient with a message that quotes the
    address back, as real servers do ("550 5.1.1 <x@y>: Recipient address rejected")."""

    def __init__(self):
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.refused: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 mail.example ESMTP\r\n")
            for raw in lines:
                line = raw.decode("utf-8", "replace").strip()
                verb = line.split(" ", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    conn.sendall(b"250 mail.example\r\n")
                elif verb == "MAIL":
                    conn.sendall(b"250 OK\r\n")
                elif verb == "RCPT":
                    address = line.split(":", 1)[1].strip()
                    self.refused.append(address)
                    conn.sendall(f"550 5.1.1 {address}: Recipient address rejected\r\n".encode())
                elif verb == "QUIT":
                    conn.sendall(b"221 Bye\r\n")
                    return
                else:
                    conn.sendall(b"250 OK\r\n")

    def close(self) -> None:
        self.sock.close()
        self.thread.join(10)


def test_a_failed_email_notice_logs_no_address(office_app_factory, caplog):
    import logging

    mail = RefusingMailServer()
    address = "somying.private@example.org"
    app = office_app_factory(COMPLAINT_RATE_LIMIT=NO_LIMIT, SMTP_HOST="127.0.0.1", SMTP_PORT=mail.port,
                             SMTP_STARTTLS=False)
    try:
        with caplog.at_level(logging.DEBUG), db(app) as s:
            r = complaints.submit(s, body(contact={"email": address}, notify=True))
            complaints.acknowledge(s, r.tracking_code, user(s, "officer1"))
            import notify

            notify.drain_once()  # notices to citizens go through the notify outbox's worker
    finally:
        mail.close()
    assert mail.refused == [f"<{address}>"], "the notice never reached the mail server: proves nothing"
    logged = "\n".join(f"{rec.getMessage()} {rec.exc_text or ''} {rec.exc_info or ''}" for rec in caplog.records)
    assert "failed" in logged and "SMTPRecipientsRefused" in logged
    assert address not in logged


def test_length_is_checked_before_the_text_is_cleaned(intake_app):
    """A megabyte of control characters used to be normalised and filtered first (seconds of CPU on a big
    body), then refused as *too short*; now its length refuses it before any of that."""
    from tambon.errors import Invalid

    with db(intake_app) as s, pytest.raises(Invalid) as err:
        complaints.submit(s, body(details="\x00" * 1_000_000))
    assert err.value.code == "long_details" and "ยาวเกินไป" in err.value.message_th


def test_the_retention_purge_forgets_old_wrong_pin_counts(intake_app):
    from sqlalchemy import select

    from intake.models import ComplaintPinAttempt
    from intake.retention import purge_personal_data
    from tambon.errors import DomainError
    from tests.conftest import at

    with db(intake_app) as s:
        r = complaints.submit(s, body(), now=at("2026-11-23 09:00"))
        wrong = "000000" if r.pin != "000000" else "111111"
        for client, when in (("old", "2026-11-23 10:00"), ("recent", "2026-11-24 09:00")):
            with pytest.raises(DomainError, match="Wrong PIN"):
                complaints.public_status(s, r.tracking_code, pin=wrong, client=client, now=at(when))
        purge_personal_data(s, 30, now=at("2026-11-24 11:00"))
        assert set(s.scalars(select(ComplaintPinAttempt.client))) == {"recent"}


def test_pin_clients_are_addresses_or_ipv6_networks_never_one_for_all_ipv4(intake_app):
    from intake.views import pin_client

    def client(address: str) -> str:
        with intake_app.test_request_context(environ_base={"REMOTE_ADDR": address}):
            return pin_client()

    assert client("203.0.113.7") != client("203.0.113.8")
    assert client("::ffff:203.0.113.7") == client("203.0.113.7") != client("::ffff:203.0.113.8")
    assert client("2001:db8:1:2::1") == client("2001:db8:1:2:ffff::9")  # one household's /64
    assert client("2001:db8:1:2::1") != client("2001:db8:1:3::1")
    assert "203.0.113.7" not in client("203.0.113.7")
