"""Printer URLs, per-kiosk printers, the spool-directory backend and the optional text mode."""

from __future__ import annotations

import pytest

from kiosk.printing.backends import NotSent, send
from kiosk.printing.render import from_png
from kiosk.printing.settings import PrinterConfigError, parse_printer_url, printer_map
from tambon.db import get_session
from tests.kiosk.printing.conftest import worker
from tests.kiosk.printing.fakeprinter import FakePrinter, parse_stream
from tests.kiosk.printing.test_outbox import expected_raster, issue, jobs, same_image


@pytest.mark.parametrize("url, scheme, target", [
    ("tcp://10.0.0.5:9100", "tcp", "10.0.0.5:9100"),
    ("tcp://printer.local", "tcp", "printer.local:9100"),
    ("usb://04b8:0e15", "usb", "04b8:0e15"),
    ("serial:///dev/ttyUSB0", "serial", "/dev/ttyUSB0"),
    ("cups://TM-T82", "cups", "TM-T82"),
    ("file:///var/spool/tickets", "file", "/var/spool/tickets"),
    ("file://instance/spool", "file", "instance/spool"),
])
def test_printer_urls(url, scheme, target):
    cfg = parse_printer_url("default", url)
    assert (cfg.scheme, cfg.target, cfg.dots, cfg.mode) == (scheme, target, 576, "raster")


@pytest.mark.parametrize("url", ["lpt://x", "tcp://", "usb://zz:01", "tcp://h?paper=66", "tcp://h?cut=maybe",
                                 "tcp://h?mode=pdf", "tcp://h?codepage=klingon:1", "tcp://h?dots=385"])
def test_bad_printer_urls_are_refused_clearly(url):
    with pytest.raises(PrinterConfigError):
        parse_printer_url("default", url)


def test_bad_printer_url_stops_start_up(app_factory):
    with pytest.raises(PrinterConfigError):
        app_factory(PRINTER_URL="lpt://nowhere")


def test_options_in_url_and_config():
    cfg = parse_printer_url("k1", "tcp://h:9100?paper=58&cut=partial&mode=text&codepage=cp874:26",
                            {"PRINTER_TIMEOUT": "2"})
    assert (cfg.dots, cfg.cut, cfg.mode, cfg.encoding, cfg.codepage, cfg.timeout) == (384, "PART", "text", "cp874",
                                                                                     26, 2.0)
    printers = printer_map({"PRINTER_URL": "none", "PRINTER_PAPER": "58",
                            "KIOSK_PRINTERS": "kiosk-1=tcp://a:9100; kiosk-2=file:///tmp/x"})
    assert set(printers) == {"default", "kiosk-1", "kiosk-2"}
    assert not printers["default"].enabled and printers["kiosk-1"].dots == 384


def test_each_kiosk_prints_on_its_own_printer(app_factory, printer):
    from kiosk.demo import load_demo

    second = FakePrinter().start()
    try:
        app = app_factory(PRINTER_URL=printer.url, KIOSK_PRINTERS=f"kiosk-east={second.url}?paper=58",
                          RATELIMIT_ENABLED=False)
        with app.app_context():
            load_demo(get_session())
        client = app.test_client()
        issue(client)
        issue(client, **{"X-Kiosk-Id": "kiosk-east"})
        issue(client, **{"X-Kiosk-Id": "unknown-kiosk"})  # no own printer: the default one
        assert worker(app).drain_once() == 3
        assert len(printer.settle()) == 2
        [east] = second.settle()
        assert {c[2] for c in east.commands if c[0] == "raster"} == {48}
        assert [j.printer for j in jobs(app)] == ["default", "kiosk-east", "default"]
        assert same_image(east.image(), expected_raster(app, jobs(app)[1]))
    finally:
        second.stop()


def test_spool_directory_gets_the_bytes_and_no_png_unless_asked(app_factory, tmp_path):
    from kiosk.demo import load_demo

    spool = tmp_path / "spool"
    app = app_factory(PRINTER_URL=f"file://{spool}")
    with app.app_context():
        load_demo(get_session())
    body = issue(app.test_client())
    assert worker(app).drain_once() == 1
    name = f"job-{body['print']['job_id']:06d}-{body['number']}"
    assert (spool / f"{name}.bin").stat().st_size > 10_000
    assert not (spool / f"{name}.png").exists()  # the preview is made when someone asks for it


def test_spool_directory_with_png_gets_the_bytes_and_the_same_png(app_factory, tmp_path):
    from kiosk.demo import load_demo

    spool = tmp_path / "spool"
    app = app_factory(PRINTER_URL=f"file://{spool}?png=1")
    with app.app_context():
        load_demo(get_session())
    body = issue(app.test_client())
    assert worker(app).drain_once() == 1
    name = f"job-{body['print']['job_id']:06d}-{body['number']}"
    data = (spool / f"{name}.bin").read_bytes()
    commands, used = parse_stream(data)
    assert used == len(data) and commands[0] == ("init",) and commands[-1][0] == "cut"
    from tests.kiosk.printing.fakeprinter import raster_image

    png = from_png(spool / f"{name}.png")
    assert same_image(raster_image(commands), png)
    assert same_image(png, expected_raster(app, jobs(app)[0]))
    assert not list(spool.glob(".*part"))


def test_unwritable_spool_is_not_sent(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NotSent):
        send(parse_printer_url("d", f"file://{blocker}/sub"), b"\x1b@", job_name="j")


def test_missing_driver_is_a_clear_not_sent():
    cfg = parse_printer_url("d", "cups://NoSuchQueue")
    try:
        import cups  # noqa: F401
    except ImportError:
        with pytest.raises(NotSent, match="pycups"):
            send(cfg, b"\x1b@", job_name="j")


def test_text_mode_sends_code_page_text_and_native_qr(app_factory, printer):
    from kiosk.demo import load_demo

    app = app_factory(PRINTER_URL=printer.url + "?mode=text&codepage=cp874:26")
    with app.app_context():
        load_demo(get_session())
    body = issue(app.test_client())
    worker(app).drain_once()
    [job] = printer.settle()
    kinds = [c[0] for c in job.commands if c[0] != "status"]
    assert kinds[0] == "init" and ("codepage", 26) in job.commands
    assert "raster" not in kinds and kinds[-1] == "cut"
    text = b"".join(c[1] for c in job.commands if c[0] == "text")
    assert "ชำระภาษี".encode("cp874") in text and body["number"].encode() in text
    qr_data = [c[1] for c in job.commands if c[0] == "gs_paren_k" and c[1][:3] == b"1P0"]
    assert qr_data and qr_data[0][3:] == body["status_url"].encode()
