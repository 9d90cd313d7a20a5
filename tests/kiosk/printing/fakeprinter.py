"""A fake ESC/POS network printer: a real TCP server on 127.0.0.1 that parses the byte stream it is sent,
answers real-time status queries (DLE EOT n) and keeps every job (one connection = one job)."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from PIL import Image, ImageOps

from tests.waiting import wait_until

ESC, GS, DLE, EOT, LF = 0x1B, 0x1D, 0x10, 0x04, 0x0A
OK_STATUS = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
# ESC commands with one parameter byte that python-escpos emits (align, bold, mode, underline, code page,
# double strike, feed lines, line spacing, font, upside-down, smoothing, character size…).
ESC_ONE_ARG = set(b"a E ! - t G d J 3 M { V r c".replace(b" ", b""))
GS_ONE_ARG = set(b"! B b f h w H".replace(b" ", b""))


class Incomplete(Exception):
    pass


def _need(buf: bytes, n: int) -> None:
    if len(buf) < n:
        raise Incomplete


def parse_one(buf: bytes) -> tuple[tuple, int]:
    """One command from the start of buf: (command tuple, bytes used). Raises Incomplete or ValueError."""
    _need(buf, 1)
    b0 = buf[0]
    if b0 == DLE:
        _need(buf, 3)
        if buf[1] != EOT:
            raise ValueError(f"unknown DLE command {buf[:3]!r}")
        return ("status", buf[2]), 3
    if b0 == ESC:
        _need(buf, 2)
        c = buf[1]
        if c == ord("@"):
            return ("init",), 2
        if c == ord("2"):
            return ("line_spacing_default",), 2
        if c in ESC_ONE_ARG:
            _need(buf, 3)
            name = {ord("d"): "feed", ord("t"): "codepage", ord("a"): "align"}.get(c, f"esc_{chr(c)}")
            return (name, buf[2]), 3
        raise ValueError(f"unknown ESC command {buf[:4]!r}")
    if b0 == GS:
        _need(buf, 2)
        c = buf[1]
        if c == ord("v"):  # GS v 0 m xL xH yL yH d1..dk
            _need(buf, 8)
            if buf[2] != ord("0"):
                raise ValueError("GS v must be followed by '0'")
            width_bytes = buf[4] | buf[5] << 8
            height = buf[6] | buf[7] << 8
            size = width_bytes * height
            _need(buf, 8 + size)
            return ("raster", buf[3], width_bytes, height, bytes(buf[8:8 + size])), 8 + size
        if c == ord("V"):  # cut: GS V m, or GS V m n for m = 65, 66
            _need(buf, 3)
            m = buf[2]
            if m in (0, 1, 48, 49):
                return ("cut", "full" if m in (0, 48) else "partial"), 3
            if m in (65, 66):
                _need(buf, 4)
                return ("cut", "full" if m == 65 else "partial"), 4
            raise ValueError(f"bad cut mode {m}")
        if c == ord("("):  # GS ( k / GS ( L pL pH data
            _need(buf, 5)
            length = buf[3] | buf[4] << 8
            _need(buf, 5 + length)
            return ("gs_paren_" + chr(buf[2]), bytes(buf[5:5 + length])), 5 + length
        if c in GS_ONE_ARG:
            _need(buf, 3)
            return (f"gs_{chr(c)}", buf[2]), 3
        raise ValueError(f"unknown GS command {buf[:4]!r}")
    if b0 == LF:
        return ("lf",), 1
    end = 0
    while end < len(buf) and buf[end] not in (ESC, GS, DLE, LF):
        if buf[end] < 0x20 and buf[end] not in (0x09, 0x0D):
            raise ValueError(f"stray control byte {buf[end]:#x}")
        end += 1
    return ("text", bytes(buf[:end])), end


def parse_stream(buf: bytes) -> tuple[list[tuple], int]:
    """Every complete command in buf, and how many bytes they used."""
    commands, pos = [], 0
    while pos < len(buf):
        try:
            cmd, used = parse_one(buf[pos:])
        except Incomplete:
            break
        commands.append(cmd)
        pos += used
    return commands, pos


def raster_image(commands: list[tuple]) -> Image.Image:
    """Stack the job's GS v 0 blocks back into one image (mode "1", black = printed dot)."""
    blocks = [c for c in commands if c[0] == "raster"]
    assert blocks, "no raster image in the job"
    widths = {c[2] for c in blocks}
    assert len(widths) == 1, f"raster blocks of different widths: {widths}"
    width = widths.pop() * 8
    height = sum(c[3] for c in blocks)
    page = Image.new("1", (width, height), 1)
    y = 0
    for _, _mode, wb, h, data in blocks:
        bits = Image.frombytes("1", (wb * 8, h), data)  # PIL: bit 1 = white; ESC/POS: bit 1 = black dot
        page.paste(ImageOps.invert(bits.convert("L")).convert("1"), (0, y))
        y += h
    return page


@dataclass
class Job:
    raw: bytes
    commands: list[tuple] = field(default_factory=list)
    done: bool = False

    @property
    def printed(self) -> bool:
        return any(c[0] in ("raster", "text", "gs_paren_k") for c in self.commands) and self.cut is not None

    @property
    def cut(self) -> str | None:
        return next((c[1] for c in self.commands if c[0] == "cut"), None)

    def image(self) -> Image.Image:
        return raster_image(self.commands)


class FakePrinter:
    def __init__(self):
        self.status = dict(OK_STATUS)
        self.connections: list[Job] = []
        self.on_status = None  # fn(n, job_so_far) -> bool: False = do not answer
        self.port = 0
        self._server: socket.socket | None = None
        self._lock = threading.Lock()
        self._clients: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @property
    def jobs(self) -> list[Job]:
        """Connections that printed something (status-only connections are not jobs)."""
        with self._lock:
            return [j for j in self.connections if j.done and j.printed]

    def settle(self, timeout: float = 30.0) -> list[Job]:
        """Wait until every connection so far has closed, then return the printed jobs."""

        def closed() -> bool:
            with self._lock:
                return all(j.done for j in self.connections)

        wait_until(closed, timeout=timeout, what="the printer's connections to close")
        return self.jobs

    def start(self) -> FakePrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Switch the printer off: the port refuses connections until start() again."""
        server, self._server = self._server, None
        if server is not None:
            try:
                server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (Linux)
            except OSError:
                pass
            server.close()
        for client in list(self._clients):
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            client.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            self._clients.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        job = Job(raw=b"")
        with self._lock:
            self.connections.append(job)
        buf = b""
        pos = 0
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
                commands, used = parse_stream(buf[pos:])
                pos += used
                for cmd in commands:
                    job.commands.append(cmd)
                    if cmd[0] == "status":
                        if self.on_status is not None and self.on_status(cmd[1], job) is False:
                            continue
                        conn.sendall(bytes((self.status.get(cmd[1], 0x12),)))
        except OSError:
            pass
        finally:
            job.raw = buf
            if pos != len(buf):
                job.commands.append(("truncated", len(buf) - pos))
            job.done = True
            conn.close()
            if conn in self._clients:
                self._clients.remove(conn)
