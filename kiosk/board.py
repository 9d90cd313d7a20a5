"""The queue snapshot that display boards and counter pages poll (GET /api/v1/queue), shared for a moment.

Boards poll the snapshot every few seconds each, and it is the dearest read of the queue (counters, last
calls, services with their waiting counts: seven queries). Boards asking at about the same time get the
same answer, so each process keeps the last one:

- a change committed in this process shows in the next answer, but an answer is always kept at least
  ``MIN_AGE_SECONDS``: on a busy morning (a change every few milliseconds) boards then cost at most a few
  reads a second instead of one read per poll;
- a change made by another server process shows within ``TTL_SECONDS``, as does the clock (opening hours,
  midnight).

The answer's ``generated_at`` says when it was read.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from kiosk import reads
from tambon import events

TTL_SECONDS = 1.0
MIN_AGE_SECONDS = 0.25
_KEY = "kiosk.board"


class _Board:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0  # bumped by every change: an answer read before a change is never kept after it
        self.kept: tuple[float, int, str, dict[str, Any]] | None = None  # (read at, generation, tz, snapshot)


def snapshot(session: Session, *, tz: str) -> dict[str, Any]:
    board: _Board = current_app.extensions[_KEY]
    kept, now = board.kept, time.monotonic()
    if kept is not None and kept[2] == tz:
        age = now - kept[0]
        if age < MIN_AGE_SECONDS or (age < TTL_SECONDS and kept[1] == board.generation):
            return kept[3]
    generation = board.generation  # taken before the read: a change committed during it makes it stale
    fresh = reads.snapshot(session, tz=tz)
    with board.lock:
        board.kept = (now, generation, tz, fresh)
    return fresh


def _changed(_topic: str, _payload: dict[str, Any]) -> None:
    if has_app_context() and (board := current_app.extensions.get(_KEY)) is not None:
        with board.lock:
            board.generation += 1


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = _Board()
    events.subscribe("*", _changed)
