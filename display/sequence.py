"""Sequence numbers of the /display stream, monotonic per room even across several server processes.

Why this design
---------------
A display must be able to tell "I missed an event" from "nothing happened", so every message to a room
carries the next number of that room's sequence; a jump means a gap and the client asks for a snapshot.
With one process an in-process counter does it. With several processes sharing Redis
(``SOCKETIO_MESSAGE_QUEUE``) two things must hold:

1. **One counter for all processes**: a Redis ``INCRBY`` per room (a process-local counter would give two
   processes the same numbers).
2. **Publish order = number order**: Redis delivers pub/sub messages of one channel to every subscriber
   in publish order, but process A may take number 5, process B number 6, and B publish first: the
   display would see 6, then 5. So taking numbers *and* publishing happen under one short Redis lock
   (``SET NX PX``), and the snapshot is read inside it too: the later message always carries the newer
   state. The lock is held for one snapshot read and a few publishes (a few milliseconds), whatever the
   number of display groups.

Each sequence also has an **epoch** (random id) created together with the counters. If Redis is flushed or
restarted, or a single process restarts, the epoch changes and clients resync instead of waiting for
numbers that will never come.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

GROUP_TTL_SECONDS = 7 * 24 * 3600  # a display group nobody joined for a week gets no more messages


class LocalSequencer:
    """One process (no message queue): a lock and a dict."""

    def __init__(self) -> None:
        self.epoch = secrets.token_hex(6)
        self._lock = threading.RLock()
        self._seq: dict[str, int] = {}
        self._groups: dict[str, float] = {}

    @contextmanager
    def emitting(self) -> Iterator[None]:
        with self._lock:
            yield

    def take(self, counts: dict[str, int]) -> tuple[str, dict[str, int]]:
        """Advance each room by its count; returns the epoch and each room's *last* number taken."""
        with self._lock:
            for room, count in counts.items():
                self._seq[room] = self._seq.get(room, 0) + count
            return self.epoch, {room: self._seq[room] for room in counts}

    def current(self, room: str) -> tuple[str, int]:
        with self._lock:
            return self.epoch, self._seq.get(room, 0)

    def add_group(self, room: str) -> None:
        with self._lock:
            self._groups[room] = time.time()

    def groups(self) -> list[str]:
        cutoff = time.time() - GROUP_TTL_SECONDS
        with self._lock:
            return sorted(r for r, seen in self._groups.items() if seen >= cutoff)


# KEYS[1] = epoch key; KEYS[2..] = sequence keys; ARGV[1] = a fresh epoch; ARGV[2..] = increments
_TAKE = """
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end
local result = {epoch}
for i = 2, #KEYS do
  result[i] = redis.call('INCRBY', KEYS[i], tonumber(ARGV[i]))
end
return result
"""


class RedisSequencer:
    """Several processes sharing Redis: INCRBY under a Redis lock, see the module docstring."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"tambon:display:{prefix}"
        self._take = self.redis.register_script(_TAKE)
        self._epoch_key = f"{self.prefix}:epoch"
        # The display groups, re-read at most once a second (two round trips saved on every call); a group
        # joined in this process is known at once, one joined elsewhere within GROUPS_REFRESH seconds.
        self._groups: tuple[float, list[str]] = (0.0, [])

    def _key(self, room: str) -> str:
        return f"{self.prefix}:seq:{room}"

    @contextmanager
    def emitting(self) -> Iterator[None]:
        # Waiters poll every 2 ms: redis-py's default of 100 ms let a busy day's calls pile up behind the
        # lock and reach the TVs seconds late (bench/busy_day.py, two workers).
        lock = self.redis.lock(f"{self.prefix}:lock", timeout=10, sleep=0.002, blocking_timeout=5,
                               thread_local=False)
        acquired = lock.acquire()
        if not acquired:  # never block the counter: emit anyway; clients repair any disorder by resync
            log.warning("display emit lock not acquired in 5 s; emitting without it")
        try:
            yield
        finally:
            if acquired:
                try:
                    lock.release()
                except Exception:  # expired meanwhile: nothing to release
                    log.warning("display emit lock expired before release")

    def take(self, counts: dict[str, int]) -> tuple[str, dict[str, int]]:
        rooms = list(counts)
        result = self._take(keys=[self._epoch_key, *map(self._key, rooms)],
                            args=[secrets.token_hex(6), *(counts[r] for r in rooms)])
        epoch = result[0].decode() if isinstance(result[0], bytes) else str(result[0])
        return epoch, {room: int(value) for room, value in zip(rooms, result[1:], strict=True)}

    def current(self, room: str) -> tuple[str, int]:
        epoch, taken = self.take({room: 0})
        return epoch, taken[room]

    GROUPS_REFRESH = 1.0

    def add_group(self, room: str) -> None:
        self.redis.zadd(f"{self.prefix}:groups", {room: time.time()})
        read_at, rooms = self._groups
        if room not in rooms:
            self._groups = (read_at, sorted([*rooms, room]))

    def groups(self) -> list[str]:
        read_at, rooms = self._groups
        if time.monotonic() - read_at < self.GROUPS_REFRESH:
            return rooms
        key = f"{self.prefix}:groups"
        cutoff = time.time() - GROUP_TTL_SECONDS
        with self.redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", cutoff)
            pipe.zrange(key, 0, -1)
            _, members = pipe.execute()
        rooms = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)
        self._groups = (time.monotonic(), rooms)
        return rooms


def make_sequencer(message_queue: str | None, channel: str) -> LocalSequencer | RedisSequencer:
    if message_queue and message_queue.startswith(("redis://", "rediss://", "unix://")):
        return RedisSequencer(message_queue, channel)
    return LocalSequencer()

