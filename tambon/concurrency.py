"""How a server process runs requests, and where CPU-heavy work goes.

`tambon serve` runs gunicorn's gevent worker: one OS thread per process switches between requests
whenever one waits on the network (a client, PostgreSQL, Redis). Measured on the 2-core benchmark machine
against the gthread worker it replaced (BENCHMARKS.md): the same application code, but no interpreter-lock
hand-offs between 64 threads, 1.7× the serve cycles and half the CPU per trivial request.

The price: a request that computes for long holds every other request of its process. Pure computations
of tens of milliseconds or more (a ticket raster, a chart, a PDF, a workbook) therefore go through
:func:`run_cpu_bound`, which runs them on a real thread; the interpreter lock then switches between that
thread and the request loop every ``sys.getswitchinterval()``. Such a function must take and return plain
values: no database session, no Flask context (neither crosses into the thread). What it imports must be
imported before: a first import may start a subprocess (WeasyPrint runs ldconfig), which gevent can only do
from the loop's thread.

Outside the gevent server (tests, the CLI, Flask's development server) nothing is patched and
:func:`run_cpu_bound` simply calls the function.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def cooperative() -> bool:
    """True in a process that gevent has monkey-patched (a `tambon serve` worker)."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


def socketio_async_mode() -> str:
    """Flask-SocketIO's mode for this process: it must match how the server runs requests."""
    return "gevent" if cooperative() else "threading"


def run_cpu_bound(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a pure, CPU-heavy function without stalling the other requests of a gevent process.
    Its result is returned and its exception raised here, as with a plain call."""
    if not cooperative():
        return fn(*args, **kwargs)
    ok, value = _cpu_pool().apply(_outcome, (fn, args, kwargs))
    if not ok:
        raise value
    return value


def _outcome(fn: Callable[..., R], args: tuple, kwargs: dict) -> tuple[bool, Any]:
    """The result or the exception, handed back to the caller to raise. gevent's pool would print an
    exception raised in its thread, traceback and message, to the server's log: a refused upload's message
    names the citizen's file."""
    try:
        return True, fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - raised again by the caller, unchanged
        return False, exc


_pool = None


def _cpu_pool():
    """One real thread for all CPU-heavy work of the process, shared by its greenlets.

    One, not gevent's default pool of ten: the libraries' own locks were created after patching, so they are
    gevent locks, and four charts drawn at once on several real threads hung here inside matplotlib
    (tests/tambon/test_concurrency.py draws them)."""
    global _pool
    if _pool is None:
        from gevent.threadpool import ThreadPool

        _pool = ThreadPool(1)
    return _pool


def cpu_bound(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a pure, CPU-heavy function so that every call goes through :func:`run_cpu_bound`."""

    @functools.wraps(fn)
    def off_the_loop(*args: P.args, **kwargs: P.kwargs) -> R:
        return run_cpu_bound(fn, *args, **kwargs)

    return off_the_loop
