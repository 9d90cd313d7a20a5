"""The real server (`tambon serve`, gevent workers) renders reports, charts and posters on a real thread
(tambon/concurrency.py) and keeps answering the office meanwhile.

Rendering on the loop's own thread, or in several real threads contending for the libraries' locks (which
are gevent locks once patched), hung or failed here before; the in-process tests run without gevent and
cannot see it."""

from __future__ import annotations

import re
import threading
import time

import requests

from tests.integration.server import Server
from tests.kiosk.printing.fakeprinter import FakePrinter
from tests.waiting import wait_until


def _logged_in(server: Server, username: str) -> requests.Session:
    http = requests.Session()
    form = http.get(server.base + "/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    done = http.post(server.base + "/login", data={"username": username, "password": "demo-password",
                                                   "csrf_token": token}, timeout=10, allow_redirects=False)
    assert done.status_code == 302 and "/login" not in done.headers["Location"]
    return http


def test_reports_charts_posters_and_tickets_render_while_the_queue_is_served(tmp_path):
    printer = FakePrinter().start()  # a real TCP printer, fed by the print worker process
    server = Server({"DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}", "TAMBON_INSTANCE": str(tmp_path / "i"),
                     "PRINTER_URL": printer.url, "TAMBON_WORKER_CLASS": "gevent",
                     "REPORTS_WORKER": "inline"})  # the reports on the server's own thread pool, as this test is about
    server.cli("db", "upgrade")
    server.cli("demo")
    server.start()
    try:
        executive = _logged_in(server, "executive")
        served: list[int] = []
        rendering = threading.Event()
        rendering.set()
        first_ticket = threading.Event()  # the dashboard draws charts only for a period with data

        def citizens() -> None:  # phones and kiosks keep coming while the executive downloads
            while rendering.is_set():
                served.append(requests.post(f"{server.base}/api/v1/tickets", json={"service": "TAX"},
                                            timeout=10).status_code)
                first_ticket.set()
                time.sleep(0.05)  # a busy morning: 10-20 tickets a second

        kiosk = threading.Thread(target=citizens)
        kiosk.start()
        try:
            assert first_ticket.wait(30), "no ticket was issued"
            dashboard = executive.get(f"{server.base}/reports/", timeout=60)
            pdf = executive.get(f"{server.base}/reports/quarterly.pdf", timeout=120)
            docx = executive.get(f"{server.base}/reports/measures.docx", timeout=120)
            poster = executive.get(f"{server.base}/office/complaints/posters/counter.pdf", timeout=60)
            qr = requests.get(f"{server.base}/complaints/qr.png?src=counter", timeout=60)
        finally:
            rendering.clear()
            kiosk.join(30)
        assert dashboard.status_code == 200 and "data:image/png;base64," in dashboard.text  # charts
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        assert poster.status_code == 200 and poster.content.startswith(b"%PDF")
        assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
        assert served and set(served) == {201}, "tickets were issued throughout, none refused"
        wait_until(lambda: len(printer.jobs) >= len(served), timeout=60, what="every ticket on paper")
        jobs = printer.settle()
        assert len(jobs) == len(served) and all(job.printed and job.cut == "full" for job in jobs)
        assert jobs[0].image().width > 0  # an ESC/POS raster drawn on the rendering thread
    finally:
        server.stop()
        printer.stop()
