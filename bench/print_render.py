"""Benchmark: render one ticket to its raster and encode it as ESC/POS; then send it to a local TCP
printer (a fake one on 127.0.0.1 that reads and acknowledges the bytes like a real one).

    python -m bench.print_render [--n 200] [--width 576]

Prints p50/p99 in milliseconds for render, encode and send (target, issue #22: render + encode ≤ 5 ms p50,
≤ 8 ms p99). Each ticket has its own number, time, waiting count and URL, as in an office; the first tickets
(not timed) fill the per-layout caches."""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kiosk.printing.backends import send
from kiosk.printing.encode import encode_dots
from kiosk.printing.render import Layout, TicketContent, render_dots
from kiosk.printing.settings import parse_printer_url


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _sink() -> tuple[socket.socket, int]:
    """A TCP printer that swallows jobs and answers DLE EOT queries with 'all fine'."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve(conn):
        with conn:
            while data := conn.recv(65536):
                # status queries arrive alone (the client waits for each answer)
                if data[-3:-1] == b"\x10\x04":
                    conn.sendall(b"\x12")

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server, server.getsockname()[1]


def run(n: int = 200, width: int = 576) -> dict:
    content = TicketContent(
        number="A007", service_name_th="ชำระภาษีที่ดินและสิ่งปลูกสร้าง", service_name_en="Land and building tax",
        issued_at=datetime(2026, 11, 24, 7, 5, tzinfo=UTC), waiting_ahead=3,
        status_url="https://q.example.go.th/t/abcdefghijklmnopqrstuv",
        office_name="องค์การบริหารส่วนตำบลทุ่งมะพร้าว", office_name_en="Thung Maphrao SAO")
    layout = Layout(width=width)

    def ticket(i: int) -> TicketContent:
        return replace(content, number=f"A{i % 1000:03d}", waiting_ahead=i % 40,
                       issued_at=content.issued_at + timedelta(seconds=11 * i), status_url=f"{content.status_url}{i}")

    for i in range(20):  # the per-layout caches fill on the first tickets
        render_dots(ticket(-i - 1), layout)
    server, port = _sink()
    cfg = parse_printer_url("bench", f"tcp://127.0.0.1:{port}")
    render_ms, encode_ms, send_ms, both_ms = [], [], [], []
    try:
        for i in range(n):
            this = ticket(i)
            t0 = time.perf_counter()
            dots = render_dots(this, layout)
            t1 = time.perf_counter()
            data = encode_dots(dots)
            t2 = time.perf_counter()
            send(cfg, data, job_name=f"bench-{i}")
            t3 = time.perf_counter()
            render_ms.append((t1 - t0) * 1000)
            both_ms.append((t2 - t0) * 1000)
            encode_ms.append((t2 - t1) * 1000)
            send_ms.append((t3 - t2) * 1000)
    finally:
        server.close()
    figures = {"n": n, "width_dots": width, "bytes": len(data)}
    for name, values in (("render", render_ms), ("encode", encode_ms), ("render_encode", both_ms),
                         ("send_tcp", send_ms)):
        figures[f"{name}_p50_ms"] = round(statistics.median(values), 2)
        figures[f"{name}_p99_ms"] = round(_percentile(values, 0.99), 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--width", type=int, default=576, choices=(384, 576))
    args = parser.parse_args()
    figures = run(args.n, args.width)
    print(f"ticket print ({figures['width_dots']} dots, {figures['bytes']} bytes of ESC/POS, n={figures['n']})")
    for name in ("render", "encode", "render_encode", "send_tcp"):
        print(f"  {name:13s} p50 {figures[name + '_p50_ms']:7.2f} ms   p99 {figures[name + '_p99_ms']:7.2f} ms")


if __name__ == "__main__":
    main()
