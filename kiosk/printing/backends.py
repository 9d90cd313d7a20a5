"""Printer backends chosen by the printer URL, all through python-escpos' own printer classes:
``tcp://`` → ``escpos.printer.Network``, ``usb://`` → ``Usb``, ``serial://`` → ``Serial``, ``cups://`` →
``CupsPrinter``, ``file://DIR`` → ``File`` (a spool directory: one ``.bin`` per job, and its ``.png`` with ``?png=1``).

Sending distinguishes the two failures that matter for "never lose, never print twice":
:class:`NotSent` (nothing reached the printer: retry as normal) and :class:`SendFailed` (the link broke
while bytes were going out: something may have printed, so the retry is marked สำเนา / COPY).

On TCP the printer is asked for its real-time status (``DLE EOT 1/2/4``: online, cover open, paper near
end / out) before each job; a printer that reports paper out or cover open is not sent the job, which
waits in the outbox instead.
"""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from escpos.constants import RT_STATUS

from kiosk.printing.settings import PrinterConfig
from tambon.thaidate import utcnow

STATUS_PRINTER = RT_STATUS + b"\x01"   # DLE EOT 1: bit 3 = offline
STATUS_OFFLINE = RT_STATUS + b"\x02"   # DLE EOT 2: bit 2 = cover open, bit 5 = stopped by paper end, bit 6 = error
STATUS_PAPER = RT_STATUS + b"\x04"     # DLE EOT 4: bits 2-3 = paper near end, bits 5-6 = paper out
STATUS_QUERIES = STATUS_PRINTER + STATUS_OFFLINE + STATUS_PAPER
STATUS_NAMES = ("printer", "offline", "paper")  # the replies' order
STATUS_QUERY_TIMEOUT = 1.5
QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux


class PrintError(Exception):
    def __init__(self, message: str, status: PrinterStatus | None = None):
        super().__init__(message)
        self.status = status


class NotSent(PrintError):
    """Nothing was sent: the printer was unreachable or said it cannot print now."""


class SendFailed(PrintError):
    """The link failed after bytes started to go out: part or all of the ticket may have printed."""


@dataclass
class PrinterStatus:
    reachable: bool | None = None
    online: bool | None = None
    cover_open: bool | None = None
    paper: str | None = None  # "ok", "near_end", "out" (None: the printer did not say)
    error: bool | None = None
    detail: str = ""
    checked_at: datetime = field(default_factory=utcnow)

    @property
    def problem(self) -> str | None:
        """Why the printer cannot print now, or None."""
        if self.reachable is False:
            return self.detail or "unreachable"
        if self.paper == "out":
            return "paper out"
        if self.cover_open:
            return "cover open"
        if self.online is False:
            return "offline"
        return None

    def as_json(self) -> dict:
        data = asdict(self)
        data["checked_at"] = self.checked_at.isoformat(timespec="seconds")
        data["problem"] = self.problem
        data["paper_near_end"] = self.paper == "near_end"
        return data


def _valid(byte: int) -> bool:
    # Every DLE EOT reply has bit 1 and bit 4 set, bits 0 and 7 clear.
    return byte & 0x93 == 0x12


def query_status(printer, timeout: float = STATUS_QUERY_TIMEOUT, *, after: bytes = b"") -> PrinterStatus:
    """Ask an open python-escpos printer for its real-time status, after sending `after` (a job's bytes)
    if given; unknown fields stay None. Over TCP the three queries go in one write with the job and the
    three one-byte replies are read together: one round trip instead of three (real-time commands are
    answered as they arrive, whatever the printer is busy with)."""
    status = PrinterStatus(reachable=True)
    device = getattr(printer, "device", None)
    replies: list[int] = []
    if isinstance(device, socket.socket):
        old_timeout = device.gettimeout()
        printer._raw(after + STATUS_QUERIES)  # a link that breaks here raises: the caller's SendFailed
        device.settimeout(timeout)
        try:
            while len(replies) < len(STATUS_NAMES):
                if QUICKACK is not None:
                    # Acknowledge each reply at once: a printer whose TCP stack holds back its next reply
                    # until the last one is acknowledged (Nagle) would otherwise wait for a delayed ACK.
                    device.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
                chunk = device.recv(len(STATUS_NAMES) - len(replies))
                if not chunk:
                    break
                replies.extend(chunk)
        except (TimeoutError, OSError) as exc:
            status.detail = f"no real-time status reply ({exc.__class__.__name__})"
        finally:
            device.settimeout(old_timeout)
    else:
        if after:
            printer._raw(after)
        try:
            for query in (STATUS_PRINTER, STATUS_OFFLINE, STATUS_PAPER):
                reply = printer.query_status(query)
                if not reply:
                    break
                replies.append(reply[-1])
        except (TimeoutError, NotImplementedError, OSError) as exc:
            status.detail = f"no real-time status reply ({exc.__class__.__name__})"
    answered = {}
    for name, byte in zip(STATUS_NAMES, replies, strict=False):
        if not _valid(byte):
            status.detail = "no real-time status reply"
            break
        answered[name] = byte
    if len(replies) < len(STATUS_NAMES) and not status.detail:
        status.detail = "no real-time status reply"
    return _read_status(status, answered)


def _read_status(status: PrinterStatus, replies: dict[str, int]) -> PrinterStatus:
    if "printer" in replies:
        status.online = not replies["printer"] & 0x08
    if "offline" in replies:
        status.cover_open = bool(replies["offline"] & 0x04)
        status.error = bool(replies["offline"] & 0x40)
        if replies["offline"] & 0x20:
            status.paper = "out"
    if "paper" in replies:
        if replies["paper"] & 0x60:
            status.paper = "out"
        elif replies["paper"] & 0x0C:
            status.paper = status.paper or "near_end"
        else:
            status.paper = status.paper or "ok"
    return status


def _escpos_printer(cfg: PrinterConfig):
    """The python-escpos printer object for a URL (not yet opened)."""
    from escpos import printer as ep

    if cfg.scheme == "tcp":
        host, _, port = cfg.target.rpartition(":")
        return ep.Network(host=host.strip("[]"), port=int(port), timeout=cfg.timeout)
    if cfg.scheme == "usb":
        if not ep.Usb.is_usable():
            raise NotSent("USB printing needs pyusb: pip install 'python-escpos[usb]'")
        vid, _, pid = cfg.target.partition(":")
        return ep.Usb(idVendor=int(vid, 16), idProduct=int(pid, 16), timeout=int(cfg.timeout * 1000))
    if cfg.scheme == "serial":
        if not ep.Serial.is_usable():
            raise NotSent("serial printing needs pyserial: pip install 'python-escpos[serial]'")
        return ep.Serial(devfile=cfg.target, baudrate=cfg.baudrate, timeout=cfg.timeout)
    if cfg.scheme == "cups":
        if not ep.CupsPrinter.is_usable():
            raise NotSent("CUPS printing needs pycups: pip install 'python-escpos[cups]'")
        return ep.CupsPrinter(printer_name=cfg.target)
    raise NotSent(f"no printer backend for {cfg.scheme}")


def _close_quietly(printer) -> None:
    try:
        printer.close()
    except Exception:  # closing a broken link: nothing more to learn
        pass


def spool_dir(cfg: PrinterConfig) -> Path:
    return Path(cfg.target)


def _send_to_file(cfg: PrinterConfig, data: bytes, job_name: str, png: bytes | None) -> PrinterStatus:
    from escpos.printer import File

    directory = spool_dir(cfg)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if png is not None:
            (directory / f"{job_name}.png").write_bytes(png)
    except OSError as exc:
        raise NotSent(f"spool directory {directory}: {exc.strerror or exc}") from exc
    partial = directory / f".{job_name}.bin.part"
    printer = File(devfile=str(partial))
    try:
        printer.open()
    except Exception as exc:
        raise NotSent(f"spool file {partial}: {exc}") from exc
    try:
        printer._raw(data)
        printer.close()
        os.replace(partial, directory / f"{job_name}.bin")
    except OSError as exc:
        _close_quietly(printer)
        raise NotSent(f"spool file {partial}: {exc}") from exc  # an unfinished spool file prints nothing
    return PrinterStatus(reachable=True, online=True, detail="spool directory")


def send(cfg: PrinterConfig, data: bytes, *, job_name: str, png: bytes | None = None) -> PrinterStatus:
    """Deliver one job's bytes. Returns the printer's status after the job (as far as it can tell)."""
    if cfg.scheme == "none":
        raise NotSent("printing is switched off (PRINTER_URL=none)")
    if cfg.scheme == "file":
        return _send_to_file(cfg, data, job_name, png)
    printer = _escpos_printer(cfg)
    try:
        if cfg.scheme == "cups":
            printer.open(job_name=job_name)
        else:
            printer.open()
    except Exception as exc:
        _close_quietly(printer)
        raise NotSent(f"cannot reach printer {cfg.display_url}: {exc}".strip()) from exc
    before = None
    try:
        if cfg.scheme == "tcp":
            # Status queries are 3-byte writes awaiting a reply: without TCP_NODELAY, Nagle's algorithm
            # and delayed ACKs add ~40 ms to each one after the ticket's bulk data.
            printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            before = query_status(printer)
            if before.problem:
                raise NotSent(f"printer reports {before.problem}", before)
    except NotSent:
        _close_quietly(printer)
        raise
    except Exception as exc:
        _close_quietly(printer)
        raise NotSent(f"printer {cfg.display_url}: {exc}") from exc
    try:
        # Ask again after the job (paper may have run out); skipped for printers that did not answer before.
        if before is not None and before.online is not None:
            after = query_status(printer, after=data)
        else:
            printer._raw(data)
            after = PrinterStatus(reachable=True)
        printer.close()  # for CUPS this submits the job
    except Exception as exc:
        _close_quietly(printer)
        raise SendFailed(f"link to {cfg.display_url} failed while sending: {exc}", before) from exc
    if before is not None and after.online is None:
        after = before  # the printer did not answer after the job: keep what it said before
    return after


def probe(cfg: PrinterConfig) -> PrinterStatus:
    """The printer's status for staff, without printing anything."""
    if cfg.scheme == "none":
        return PrinterStatus(reachable=None, detail="printing switched off")
    if cfg.scheme == "file":
        directory = spool_dir(cfg)
        ok = directory.is_dir() and os.access(directory, os.W_OK) or (not directory.exists())
        return PrinterStatus(reachable=ok, online=ok, detail="spool directory")
    if cfg.scheme != "tcp":
        return PrinterStatus(detail="this link reports no real-time status; see the job counts")
    try:
        printer = _escpos_printer(cfg)
        printer.timeout = min(cfg.timeout, 2.0)
        printer.open()
    except Exception as exc:
        return PrinterStatus(reachable=False, detail=f"cannot reach printer: {exc}".strip())
    try:
        return query_status(printer)
    finally:
        _close_quietly(printer)
