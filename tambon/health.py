"""Parts the core can live without, checked for the staff pages' warnings.

The queue, tickets and counters work without the Socket.IO message queue (Redis), but the live displays do
not: every push takes its sequence number from Redis and travels through it to the other server processes.
So when ``SOCKETIO_MESSAGE_QUEUE`` is set and Redis does not answer, every staff page says so in its header.

The check is a Redis PING with a short socket timeout, at most once every CHECK_INTERVAL seconds per process;
while one thread checks, the others use the last answer, so a page never waits on it more than once.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tambon.db import write_transaction

log = logging.getLogger(__name__)

CHECK_INTERVAL = 5.0  # seconds between checks, per process
CHECK_TIMEOUT = 0.5  # seconds: connect and read timeout of the check


def _(message: str) -> str:
    """Marks a message id for the catalogue; translated where it is shown (base.html)."""
    return message


LIVE_UPDATES_WARNING = (
    _("Live displays may not update"),
    _("The message queue (Redis) cannot be reached, so TV displays and citizens' phones may not show new "
      "calls. Tickets, counters and the queue keep working. Ask the IT officer to check Redis."),
)


class MessageQueueCheck:
    """Is the Redis behind ``SOCKETIO_MESSAGE_QUEUE`` answering? (cached; never raises)"""

    def __init__(self, url: str, interval: float = CHECK_INTERVAL, timeout: float = CHECK_TIMEOUT):
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self._reachable = True
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def reachable(self) -> bool:
        if time.monotonic() - self._checked_at < self.interval:
            return self._reachable
        if not self._lock.acquire(blocking=False):  # another request is checking: use the last answer
            return self._reachable
        try:
            reachable = self._ping()
            if reachable != self._reachable:
                log.warning("message queue %s", "reachable again" if reachable else
                            "unreachable: live displays will not update")
            self._reachable, self._checked_at = reachable, time.monotonic()
        finally:
            self._lock.release()
        return self._reachable

    def _ping(self) -> bool:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=self.timeout, socket_timeout=self.timeout)
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()


# Inside a write transaction (the service's write lock and, on SQLite, BEGIN IMMEDIATE: as any write would)
# and changing nothing: no row matches. A read-only database (a full or read-only disk under SQLite, a
# PostgreSQL standby or default_transaction_read_only, missing UPDATE rights) refuses it as it would refuse
# a ticket.
WRITE_PROBE = text("UPDATE alembic_version SET version_num = version_num WHERE 1 = 0")


class _RollBack(Exception):
    """Ends the probe's transaction with a rollback: nothing is committed."""


def database_accepts_writes(session: Session) -> bool:
    """Would a write succeed now? Checked without writing any data."""
    try:
        with write_transaction(session):
            session.execute(WRITE_PROBE)
            raise _RollBack
    except _RollBack:
        return True
    except DBAPIError as err:
        log.warning("database refuses writes (%s)", type(err.orig).__name__)
        return False


def init_app(app: Flask) -> None:
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    check = MessageQueueCheck(url) if url.startswith(("redis://", "rediss://", "unix://")) else None
    app.extensions["tambon.message_queue_check"] = check

    def live_updates_down() -> bool:
        return check is not None and not check.reachable()

    @app.context_processor
    def _health_helpers():
        # A function, so only pages that show the warning (staff pages) run the check.
        return {"live_updates_down": live_updates_down, "live_updates_warning": LIVE_UPDATES_WARNING}
