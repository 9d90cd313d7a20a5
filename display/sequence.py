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
   display would see 6, then 5. So one Lua script takes a round's numbers *and* publishes its message
   (Redis runs a script whole, nothing in between): the emits leave with placeholders, and every process
   fills the numbers in as the message arrives (tambon.realtime.OrderedRedisManager). One round trip
   per round. (It was a Redis lock around taking and publishing: four round trips, and the other
   process polled the lock every 2 ms while it was held, 3% of a worker's CPU at full load.)
3. **A later snapshot carries a newer state**: two processes may read the queue in one order and publish
   in the other, so snapshots are read and published under a short Redis lock (``SET NX PX``), held for
   one snapshot read and one publish, at most ten times a second per process. A ``called`` needs no lock:
   it announces one call, and a snapshot published before it already showing that call does no harm.

Each sequence also has an **epoch** (random id) created together with the counters. If Redis is flushed or
restarted, or a single process restarts, the epoch changes and clients resync instead of waiting for
numbers that will never come.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tambon.realtime import NUMBERED_PREFIX, OrderedRedisManager, number_to_come

# number(room, advance=1) -> the fields "seq" and "epoch" of a message to that room (see numbering)
Number = Callable[..., dict[str, Any]]

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
        """Held while a snapshot is read and sent, so that a later one carries a newer state."""
        with self._lock:
            yield

    @contextmanager
    def numbering(self, _manager: Any = None) -> Iterator[Number]:
        """Number the emits of a block: ``number(room)`` gives the fields ``seq`` (the room's next number) and
        ``epoch`` for a message to that room; ``number(room, advance=0)`` its current number, for a snapshot
        sent to one client (the next message to the room is then seq + 1)."""
        with self._lock:
            def number(room: str, advance: int = 1) -> dict[str, Any]:
                self._seq[room] = self._seq.get(room, 0) + advance
                return {"seq": self._seq[room], "epoch": self.epoch}

            yield number

    def add_group(self, room: str) -> None:
        with self._lock:
            self._groups[room] = time.time()

    def groups(self) -> list[str]:
        cutoff = time.time() - GROUP_TTL_SECONDS
        with self._lock:
            return sorted(r for r, seen in self._groups.items() if seen >= cutoff)


# Takes a round's numbers and publishes its message, as one step for Redis.
# KEYS[1] = epoch key; KEYS[2..] = sequence keys; ARGV[1] = a fresh epoch; ARGV[2] = the channel;
# ARGV[3] = the message; ARGV[4..] = each sequence's increment (0: its current number). The published
# message is NUMBERED_PREFIX, the epoch and each sequence's last number taken, a newline, then the message.
_NUMBER_AND_PUBLISH = """
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end
local header = {epoch}
for i = 2, #KEYS do
  header[i] = redis.call('INCRBY', KEYS[i], tonumber(ARGV[i + 2]))
end
redis.call('PUBLISH', ARGV[2], '""" + NUMBERED_PREFIX.decode() + """' .. table.concat(header, ' ') .. '\\n' .. ARGV[3])
return 1
"""


class RedisSequencer:
    """Several processes sharing Redis: INCRBY in the script that publishes, see the module docstring."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"tambon:display:{prefix}"
        self._number_and_publish = self.redis.register_script(_NUMBER_AND_PUBLISH)
        self._epoch_key = f"{self.prefix}:epoch"
        # The display groups, re-read at most once a second (two round trips saved on every call); a group
        # joined in this process is known at once, one joined elsewhere within GROUPS_REFRESH seconds.
        self._groups: tuple[float, list[str]] = (0.0, [])

    def _key(self, room: str) -> str:
        return f"{self.prefix}:seq:{room}"

    @contextmanager
    def emitting(self) -> Iterator[None]:
        """The lock that keeps snapshots in the order of their reads (module docstring, 3.)."""
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

    @contextmanager
    def numbering(self, manager: OrderedRedisManager) -> Iterator[Number]:
        """As LocalSequencer.numbering, without a lock: the block's emits go to Redis as one message when it
        ends, with placeholders for their numbers, which Redis takes as it publishes (_NUMBER_AND_PUBLISH)."""
        with manager.batched(numbering=self._publish_numbered):
            yield number_to_come

    def _publish_numbered(self, channel: str, message: str, advances: dict[str, int]) -> None:
        rooms = list(advances)
        self._number_and_publish(keys=[self._epoch_key, *map(self._key, rooms)],
                                 args=[secrets.token_hex(6), channel, message, *(advances[r] for r in rooms)])

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

