"""The print path end to end against a fake network printer (a real TCP server on 127.0.0.1):
valid ESC/POS, the raster equals the PNG preview, nothing lost or printed twice when the printer fails."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from PIL import ImageChops
from sqlalchemy import select

from kiosk.models import EventType, Ticket, TicketEvent
from kiosk.printing import outbox
from kiosk.printing.models import JobStatus, PrintJob
from kiosk.printing.render import from_png
from tambon.db import get_session
from tambon.thaidate import utcnow
from tests.conftest import bearer, login
from tests.kiosk.printing.conftest import worker


def issue(client, service="TAX", **headers):
    res = client.post("/api/v1/tickets", json={"service": service}, headers=headers)
    assert res.status_code == 201, res.get_data(as_text=True)
    return res.json


def jobs(app) -> list[PrintJob]:
    with app.app_context():
        return get_session().scalars(select(PrintJob).order_by(PrintJob.id)).all()


def expected_raster(app, job: PrintJob):
    w = worker(app)
    dots, _ = outbox.render_job(job, w.printer(job.printer), w.settings)
    return dots.image()


def same_image(a, b) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_ticket_prints_valid_escpos_and_the_raster_is_the_png_preview(printing_app, printer):
    client = printing_app.test_client()
    body = issue(client)
    assert body["print"]["status"] == "queued" and isinstance(body["print"]["job_id"], int)
    assert worker(printing_app).drain_once() == 1

    [job] = printer.settle()
    kinds = [c[0] for c in job.commands]
    # status queries first, then ESC @, raster blocks, feed, cut, then the after-job status queries
    assert kinds[:3] == ["status"] * 3 and [c[1] for c in job.commands[:3]] == [1, 2, 4]
    body_kinds = [k for k in kinds if k != "status"]
    assert body_kinds[0] == "init" and body_kinds[-2:] == ["feed", "cut"]
    assert set(body_kinds[1:-2]) == {"raster"}
    assert job.cut == "full"
    assert "truncated" not in kinds
    rasters = [c for c in job.commands if c[0] == "raster"]
    assert all(c[2] == 576 // 8 for c in rasters)  # 80 mm paper: 72 bytes = 576 dots per row

    login(client, "admin")
    png = client.get(f"/admin/printing/jobs/{body['print']['job_id']}.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    preview = from_png(png.data)
    assert same_image(job.image(), preview), "printed dots differ from the PNG preview"
    # the ticket preview by number shows the same picture too
    by_number = from_png(client.get(f"/admin/printing/tickets/{body['id']}.png").data)
    assert same_image(by_number, preview)

    [row] = jobs(printing_app)
    assert row.status == JobStatus.PRINTED and row.attempts == 1 and not row.copy
    assert row.payload["status_url"] == f"https://q.example.go.th/t/{body['id']}"
    assert worker(printing_app).drain_once() == 0  # nothing left to print
    assert len(printer.settle()) == 1


def test_58mm_partial_cut_printer(app_factory, printer):
    from kiosk.demo import load_demo

    app = app_factory(PRINTER_URL=printer.url + "?paper=58&cut=partial")
    with app.app_context():
        load_demo(get_session())
    issue(app.test_client())
    worker(app).drain_once()
    [job] = printer.settle()
    assert {c[2] for c in job.commands if c[0] == "raster"} == {384 // 8}
    assert job.cut == "partial"
    assert same_image(job.image(), expected_raster(app, jobs(app)[0]))


def test_printer_off_then_back_every_ticket_prints_exactly_once(printing_app, printer):
    client = printing_app.test_client()
    w = worker(printing_app)
    issue(client)
    issue(client, "WELFARE")
    assert w.drain_once() == 2
    assert len(printer.settle()) == 2

    printer.stop()  # the printer is switched off mid-run
    first = issue(client)
    assert first["print"]["status"] == "queued"  # nobody knows yet
    assert w.drain_once() == 1  # tried once, failed, backs off
    later = [issue(client, service) for service in ("TAX", "BUILD", "HELP")]
    assert all(t["print"]["status"] == "delayed" for t in later)  # the kiosk says the paper is late
    assert w.drain_once() == 0  # every job waits for the printer's back-off
    waiting = [j for j in jobs(printing_app) if j.status == JobStatus.PENDING]
    assert len(waiting) == 4 and "cannot reach printer" in waiting[0].last_error
    assert len({j.next_attempt_at for j in waiting}) == 1  # the printer backs off as a whole

    staff = bearer(printing_app, "counter1")
    status = client.get("/api/v1/printers", headers=staff).json["printers"][0]
    assert status["state"] == "failing" and status["jobs_waiting"] == 4 and status["status"]["reachable"] is False

    printer.start()  # back on, same address
    assert w.drain_once(now=utcnow() + timedelta(minutes=5)) == 4
    printed = printer.settle()
    assert len(printed) == 6
    all_jobs = jobs(printing_app)
    assert [j.status for j in all_jobs] == [JobStatus.PRINTED] * 6
    assert not any(j.copy for j in all_jobs)
    # each ticket's raster arrived exactly once, in issue order
    for job, received in zip(all_jobs, printed, strict=True):
        assert same_image(received.image(), expected_raster(printing_app, job))
    assert w.drain_once(now=utcnow() + timedelta(hours=1)) == 0
    assert len(printer.settle()) == 6
    assert client.get("/api/v1/printers", headers=staff).json["printers"][0]["jobs_waiting"] == 0


def test_paper_out_or_cover_open_holds_the_job_without_sending(printing_app, printer):
    client = printing_app.test_client()
    w = worker(printing_app)
    printer.status[4] = 0x72  # DLE EOT 4: paper end
    issue(client)
    assert w.drain_once() == 1
    assert printer.settle() == []  # asked for status, sent no ticket
    staff = bearer(printing_app, "counter1")
    [p] = client.get("/api/v1/printers", headers=staff).json["printers"]
    assert p["status"]["paper"] == "out" and p["problem"] == "paper out" and p["jobs_waiting"] == 1
    assert issue(client)["print"]["status"] == "delayed"

    printer.status[4] = 0x12
    printer.status[2] = 0x16  # DLE EOT 2: cover open
    assert w.drain_once(now=utcnow() + timedelta(minutes=5)) == 1
    assert printer.settle() == []
    assert "cover open" in jobs(printing_app)[0].last_error

    printer.status[2] = 0x12
    printer.status[4] = 0x1E  # paper near end: still prints, staff are told
    assert w.drain_once(now=utcnow() + timedelta(minutes=10)) == 2
    assert len(printer.settle()) == 2
    [p] = client.get("/api/v1/printers?live=0", headers=staff).json["printers"]
    assert p["status"]["paper_near_end"] is True and p["state"] == "ok" and p["jobs_waiting"] == 0


def test_issuing_does_not_touch_an_unreachable_printer(app_factory):
    from kiosk.demo import load_demo

    # A printer that takes the connection and never reads: issuing must not have connected to it at all
    # (only the print worker, not running here, does).
    with socket.create_server(("127.0.0.1", 0)) as silent:
        silent.setblocking(False)
        app = app_factory(PRINTER_URL=f"tcp://127.0.0.1:{silent.getsockname()[1]}?timeout=3", RATELIMIT_ENABLED=False)
        with app.app_context():
            load_demo(get_session())
        client = app.test_client()
        for _ in range(10):
            issue(client)
        with pytest.raises(BlockingIOError):  # nobody knocked
            silent.accept()
    assert [j.status for j in jobs(app)] == [JobStatus.PENDING] * 10


def test_reprint_from_the_counter_prints_a_copy_and_logs_it(printing_app, printer):
    client = printing_app.test_client()
    body = issue(client)
    worker(printing_app).drain_once()
    assert client.post(f"/api/v1/tickets/{body['id']}/reprint").status_code == 401
    assert client.post("/api/v1/tickets/nope/reprint", headers=bearer(printing_app, "counter1")).status_code == 404
    assert client.post(f"/api/v1/tickets/{body['id']}/reprint",
                       headers=bearer(printing_app, "executive")).status_code == 403
    res = client.post(f"/api/v1/tickets/{body['number']}/reprint", headers=bearer(printing_app, "counter1"))
    assert res.status_code == 202 and res.json["print"]["copy"] is True
    worker(printing_app).drain_once()
    original, copy = printer.settle()
    rows = jobs(printing_app)
    assert rows[1].copy and rows[1].kind == "reprint"
    assert same_image(copy.image(), expected_raster(printing_app, rows[1]))
    assert not same_image(copy.image(), original.image())
    with printing_app.app_context():
        session = get_session()
        ticket = session.scalar(select(Ticket).where(Ticket.public_id == body["id"]))
        event = session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                         TicketEvent.type == EventType.REPRINTED))
        assert event.detail == {"job_id": rows[1].id} and event.user_id is not None


def test_counter_console_has_reprint_button_and_printer_status_line(printing_app):
    client = printing_app.test_client()
    login(client, "counter1")
    html = client.get("/counter/1").get_data(as_text=True)
    assert 'id="reprint"' in html and 'id="printer-status"' in html
    admin = printing_app.test_client()
    login(admin, "admin")
    page = admin.get("/admin/printing/")
    assert page.status_code == 200 and "tcp://127.0.0.1" in page.get_data(as_text=True)
    assert client.get("/admin/printing/").status_code == 403


def test_printers_api_is_staff_only_and_described(printing_app):
    client = printing_app.test_client()
    assert client.get("/api/v1/printers").status_code == 401
    doc = client.get("/api/v1/openapi.json").json
    assert "/api/v1/printers" in doc["paths"] and "/api/v1/tickets/{id}/reprint" in doc["paths"]
    assert doc["components"]["schemas"]["IssuedTicket"]["properties"]["print"]


def test_no_printer_means_no_job(app_factory):
    from kiosk.demo import load_demo

    app = app_factory(PRINTER_URL="none")
    with app.app_context():
        load_demo(get_session())
    client = app.test_client()
    body = issue(client)
    assert body["print"] == {"status": "none", "job_id": None}
    assert jobs(app) == []
    res = client.post(f"/api/v1/tickets/{body['id']}/reprint", headers=bearer(app, "counter1"))
    assert res.status_code == 409 and res.json["error"]["message_th"]
