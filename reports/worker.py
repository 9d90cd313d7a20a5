"""Report work in a process of its own: the dashboard's figures and charts, the documents' figures and their
rendering (WeasyPrint, python-docx, matplotlib), the CSV/XLSX exports.

Why: a `tambon serve` worker is one gevent loop. Seconds of queries, charts and PDF layout in it (even on a
real thread: it shares the interpreter lock with the loop) hold every counter's request behind them. Here
that work runs in ``tambon report worker``, which `tambon serve` starts beside the print worker and keeps
alive (tambon/supervisor.py), under SCHED_BATCH and a lower priority (nice), so it takes the CPU the
counters leave. The server sends a job over a Unix socket in the instance folder and waits on that socket,
which the gevent loop waits on like any client: the counters go on meanwhile.

The worker only reads. Writes stay in the server: it brings the queue rollup up to date before it sends a
job (a low-priority process holding SQLite's one write lock would hold up every counter behind it), and
logs the document after the answer. In the worker the rollup is read as the server left it
(:data:`reports.rollup.READ_ONLY`); only if it fell behind meanwhile does the worker refresh it itself.

REPORTS_WORKER picks where report work runs: "process" (what `tambon serve` sets for its server processes)
or "inline" in the request (the default: the development server, the CLI and tests). The jobs are plain
functions of reports.service, called directly by either.

Errors: a rule broken (a DomainError) comes back as itself; anything else, a worker that does not start,
dies mid-job or takes longer than REPORTS_WORKER_TIMEOUT_SECONDS is a 503 in Thai and English, never a
500 or a request left hanging. A worker that died is started again by its supervisor; the next request
waits for it (up to REPORTS_WORKER_START_SECONDS).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tambon.errors import DomainError

log = logging.getLogger(__name__)

SOCKET = "reports-worker.sock"
STATE_FILE = "reports-worker.json"
# Below the server's priority: the worker's queries and layouts take the CPU the counters leave. It may be
# this low because it never holds the write lock in the usual course (see the module's docstring).
DEFAULT_NICE = 10
_HEADER = struct.Struct("!Q")


class ReportsUnavailable(DomainError):
    status = 503


def socket_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / SOCKET


def state_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / STATE_FILE


def worker_state(instance_path: str | Path) -> dict | None:
    """What the worker process last wrote about itself (pid, jobs done, the job it is on), if it lives."""
    try:
        state = json.loads(state_path(instance_path).read_text())
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state


# --- framing: a length, then a pickle (both ends are this program, on a socket only its user can open) ---

def _send(sock: socket.socket, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise ConnectionError("closed mid-message")
        buf += chunk
    return bytes(buf)


def _recv(sock: socket.socket) -> Any:
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    return pickle.loads(_recv_exact(sock, size))  # noqa: S301 - our own worker, on a 0600 socket


# --- the server's side ---------------------------------------------------------------------------------

NOT_STARTED = ("ระบบจัดทำรายงานยังไม่พร้อม กรุณาลองใหม่อีกครั้งในไม่กี่วินาที",
               "The report worker is not running; please try again in a few seconds")
STOPPED = ("ระบบจัดทำรายงานหยุดทำงานระหว่างจัดทำ กรุณาลองใหม่อีกครั้ง",
           "The report worker stopped while making the report; please try again")
TOO_LONG = ("การจัดทำรายงานใช้เวลานานเกินกำหนด กรุณาลองใหม่ภายหลัง",
            "The report took too long to make; please try again later")
FAILED = ("จัดทำรายงานไม่สำเร็จ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ",
          "The report could not be made; please try again or tell the administrator")


def _connect(path: Path, start_seconds: float) -> socket.socket:
    """A connection to the worker, waiting for one that is (re)starting: its supervisor restarts it."""
    deadline = time.monotonic() + start_seconds
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() >= deadline:
                raise ReportsUnavailable("reports_worker_down", *NOT_STARTED) from None
            time.sleep(0.1)  # a gevent sleep in a server process: the loop goes on


def ask(instance_path: str | Path, job: str, kwargs: dict, *, timeout: float, start_seconds: float) -> Any:
    """Run reports.service's job `job` in the worker process and return its result (or raise its error).

    A worker that dies on the job is asked once more (its successor): jobs only read, so a second run
    changes nothing, and a connection that a dying worker's socket took in is not the request's fault."""
    deadline = time.monotonic() + timeout
    for attempt in (1, 2):
        sock = _connect(socket_path(instance_path), start_seconds)
        try:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                _send(sock, (job, kwargs))
                status, value = _recv(sock)
                break
            except TimeoutError:
                raise ReportsUnavailable("reports_timeout", *TOO_LONG) from None
            except (ConnectionError, OSError, struct.error, EOFError, pickle.UnpicklingError):
                if attempt == 2:
                    raise ReportsUnavailable("reports_worker_stopped", *STOPPED) from None
        finally:
            sock.close()
    if status == "ok":
        return value
    if status == "domain":
        code, message_th, message_en, http_status = value
        raise DomainError(code, message_th, message_en, status=http_status)
    raise ReportsUnavailable("reports_failed", *FAILED)


# --- the worker's side ---------------------------------------------------------------------------------

def _answer(run_job: Callable[[str, dict], Any], job: str, kwargs: dict) -> tuple[str, Any]:
    try:
        return "ok", run_job(job, kwargs)
    except DomainError as err:
        return "domain", (err.code, err.message_th, err.message_en, err.status)
    except Exception:  # reported to the server as a 503; the traceback stays in this log
        log.exception("report job %s failed", job)
        return "failed", None


def serve(run_job: Callable[[str, dict], Any], instance: str | Path, *, stop: threading.Event | None = None,
          exit_with_parent: bool = False) -> None:
    """Answer jobs one at a time until stopped (SIGTERM / SIGINT, or `stop`): others wait in the socket's
    backlog. run_job(job, kwargs) runs one job (in the app's context) and returns its result."""
    stop = stop or threading.Event()
    parent = os.getppid()
    path = socket_path(instance)
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    listener.settimeout(1.0)  # to notice a stop request or the server's end
    state = state_path(instance)
    done = 0

    def write_state(busy: str | None) -> None:
        tmp = state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "jobs": done, "busy": busy, "heartbeat": time.time()}))
        os.replace(tmp, state)

    write_state(None)
    try:
        while not stop.is_set():
            if exit_with_parent and os.getppid() != parent:
                log.warning("the server that started the report worker is gone: stopping")
                return
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except InterruptedError:
                continue
            with conn:
                conn.settimeout(None)
                try:
                    job, kwargs = _recv(conn)
                except (ConnectionError, OSError, struct.error, EOFError, pickle.UnpicklingError):
                    continue  # the server gave up before we read it
                write_state(job)
                answer = _answer(run_job, job, kwargs)
                done += 1
                write_state(None)
                try:
                    _send(conn, answer)
                except OSError:
                    pass  # the server gave up waiting (a timeout): nobody to tell
    finally:
        listener.close()
        path.unlink(missing_ok=True)
        state.unlink(missing_ok=True)


def run_cli(run_job: Callable[[str, dict], Any], instance: str | Path, *, nice: int,
            exit_with_parent: bool) -> int:
    """`tambon report worker`: below the server's CPU priority, until SIGTERM."""
    from tambon.supervisor import say_done

    if nice:
        os.nice(nice)
    if hasattr(os, "SCHED_BATCH"):  # its wake-ups never preempt a server process mid-request
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_args: stop.set())
    print(f"report worker running (pid {os.getpid()})", flush=True)
    serve(run_job, instance, stop=stop, exit_with_parent=exit_with_parent)
    if stop.is_set():
        say_done()
        print(f"report worker stopped (pid {os.getpid()})", flush=True)
    return 0
