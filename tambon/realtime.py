"""Socket.IO's client manager: how one emit reaches the clients of every server process."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import socketio

log = logging.getLogger(__name__)

# A message whose numbers Redis took as it published it (display/sequence.py): this prefix, the epoch and
# the last number taken of each numbered room, a newline, then the message as JSON.
NUMBERED_PREFIX = b"#numbered "
_TO_COME = "#to-come"

# numbering(channel, message, advances): publishes the message, taking each room's numbers as it does
Numbering = Callable[[str, str, dict[str, int]], None]


def number_to_come(room: str, advance: int = 1) -> dict[str, Any]:
    """The fields ``seq`` and ``epoch`` of an emit to be numbered in the room's sequence when its batch is
    published (OrderedRedisManager.batched with a numbering): the room's next number, or with advance=0
    its current one. Every process fills them in as the message arrives."""
    return {"seq": {_TO_COME: room, "advance": advance}, "epoch": None}


def _payload(emit: dict[str, Any]) -> Any:
    """An emit's first argument (an emit's data is the list of its arguments)."""
    data = emit.get("data")
    return data[0] if isinstance(data, list) and data else None


def _to_come(emit: dict[str, Any]) -> dict[str, Any] | None:
    payload = _payload(emit)
    seq = payload.get("seq") if isinstance(payload, dict) else None
    return seq if isinstance(seq, dict) and _TO_COME in seq else None


def _advances(emits: list[dict[str, Any]]) -> dict[str, int]:
    """How far a batch's numbered emits advance each room's sequence, rooms in the order first seen (the
    sender's count, carried in the message for every process)."""
    advances: dict[str, int] = {}
    for emit in emits:
        if (seq := _to_come(emit)) is not None:
            advances[seq[_TO_COME]] = advances.get(seq[_TO_COME], 0) + seq["advance"]
    return advances


class OrderedRedisManager(socketio.Manager):
    """Every emit reaches every client, this process's own included, through the one Redis channel.

    Built on python-socketio's in-process manager and its public API only (``emit``, ``initialize``, the
    server's ``start_background_task``), with redis-py for the channel. An emit is published as JSON; each
    process's listener hands what arrives to its own clients (python-socketio's in-process ``emit``). A
    channel delivers in publish order, and display/sequence.py publishes in number order, so every TV gets
    the numbers in order, its own process's emits included: they are not handed over on the spot, where
    they could overtake an earlier one from another process still on its way.

    Emits that ask for an acknowledgement stay in this process (an answer cannot be routed between them).

    Inside :meth:`batched`, emits go to Redis as one message when the block ends, in the order they were
    made. A batch with numbered emits (:func:`number_to_come`) is published by its numbering, which has
    Redis take the numbers as it publishes; each process puts them into the emits as the message arrives.
    """

    def __init__(self, url: str, channel: str = "socketio") -> None:
        super().__init__()
        import redis

        self.url, self.channel = url, channel
        self.redis = redis.Redis.from_url(url)
        self.pending_batch = threading.local()  # a greenlet's own under gevent
        self.listening = False
        self.subscribed_once = threading.Event()  # set once the listener's first subscription was tried

    def initialize(self) -> None:
        super().initialize()
        if not self.listening:
            self.listening = True
            # Subscribed before this returns: python-socketio initializes the manager as the first client
            # connects, and that client's snapshot (published through the channel) must not go out before
            # this process listens, or it never arrives. Other clients connecting meanwhile wait in publish.
            try:
                pubsub = self.subscribed()
            finally:
                self.subscribed_once.set()
            self.server.start_background_task(self.listen_forever, pubsub)

    def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> Any:
        if callback is not None:
            return super().emit(event, data, namespace or "/", room=room, skip_sid=skip_sid, callback=callback,
                                to=to)
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        message = {"event": event, "data": args, "namespace": namespace or "/", "room": to or room,
                   "skip_sid": skip_sid}
        pending = getattr(self.pending_batch, "emits", None)
        if pending is not None:
            pending.append(message)
            return None
        self.publish(json.dumps(message))
        return None

    def publish(self, text: str) -> None:
        """Publish on the channel; with Redis unreachable the emit is dropped (logged), never the request's
        end: the queue works on, the TVs resync on the gap, and staff pages warn (tambon/health)."""
        import redis

        self.wait_for_the_listener()
        try:
            self.redis.publish(self.channel, text)
        except redis.exceptions.RedisError:
            log.error("could not publish a Socket.IO message to Redis (channel %s)", self.channel)

    def deliver_here(self, emit: dict[str, Any]) -> None:
        """python-socketio's delivery to this process's clients, for an emit that has one here."""
        namespace, room = emit.get("namespace") or "/", emit.get("room")
        if has_listeners_here(self, namespace, room):
            super().emit(emit["event"], tuple(emit.get("data") or ()), namespace, room=room,
                         skip_sid=emit.get("skip_sid"))

    def wait_for_the_listener(self) -> None:
        """While the first subscription is being made, a publish waits for it (at most 5 s): a message
        published before this process listens would never reach its own clients."""
        if self.listening and not self.subscribed_once.is_set():
            self.subscribed_once.wait(5)

    def subscribed(self) -> Any:
        """A pub/sub connection subscribed to the channel, or None while Redis cannot be reached."""
        import redis

        try:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(self.channel)
            return pubsub
        except redis.exceptions.RedisError:
            log.warning("cannot reach Redis for the channel %s; listening again in 1 s", self.channel)
            return None

    def listen_forever(self, pubsub: Any = None) -> None:
        """This process's listener on the channel (a background task of the Socket.IO server). A lost
        Redis connection is retried every second; the TVs resync on the gap it leaves."""
        import redis

        while True:
            if pubsub is None:
                self.server.sleep(1)
                pubsub = self.subscribed()
                continue
            try:
                for item in pubsub.listen():
                    if item.get("type") == "message":
                        self.receive(item["data"])
            except redis.exceptions.RedisError:
                log.warning("lost the Redis channel %s; listening again in 1 s", self.channel)
                pubsub = None

    def receive(self, raw: bytes) -> None:
        try:
            message = numbered(raw) if raw.startswith(NUMBERED_PREFIX) else json.loads(raw)
        except (ValueError, KeyError, TypeError):  # never the listener's end: the TVs resync on the gap
            log.exception("dropped a display message that could not be read")
            return
        for emit in message.get("batch", [message]):
            self.deliver_here(emit)

    @contextmanager
    def batched(self, numbering: Numbering | None = None) -> Iterator[None]:
        """Publish the emits made in this block (by this thread or greenlet) as one message at its end, also
        when it ends with an error: they were made. A block inside another is part of the outer one. With
        numbered emits in it, the message is published by ``numbering`` (display/sequence.py)."""
        batch = self.pending_batch
        if getattr(batch, "emits", None) is not None:
            if numbering is not None:
                batch.numbering = numbering
            yield
            return
        batch.emits, batch.numbering = [], numbering
        try:
            yield
        finally:
            emits, batch.emits = batch.emits, None
            if emits:
                self.publish_batch(emits, batch.numbering)

    def publish_batch(self, emits: list[dict[str, Any]], numbering: Numbering | None) -> None:
        message: dict[str, Any] = {"batch": emits}
        advances = _advances(emits)
        if not advances:
            self.publish(json.dumps(message))
            return
        if numbering is None:
            raise RuntimeError("numbered emits need a numbering to publish them (display/sequence.py)")
        message["numbered"] = advances  # room -> advance, in the order of the numbers in the header
        self.wait_for_the_listener()
        numbering(self.channel, json.dumps(message), advances)


def numbered(raw: bytes) -> dict[str, Any]:
    """A numbered message as it arrives, with each emit's ``seq`` and ``epoch`` filled in, in the order of
    the batch: Redis gives the last number it took for each room."""
    header, _, body = raw[len(NUMBERED_PREFIX):].partition(b"\n")
    epoch, *lasts = header.decode().split(" ")
    message = json.loads(body)
    advances: dict[str, int] = message["numbered"]
    # The number each room had before this message.
    number = {room: int(last) - advances[room] for room, last in zip(advances, lasts, strict=True)}
    for emit in message["batch"]:
        if (seq := _to_come(emit)) is not None:
            room = seq[_TO_COME]
            number[room] += seq["advance"]
            emit["data"] = [{**_payload(emit), "seq": number[room], "epoch": epoch}, *emit["data"][1:]]
    return message


def has_listeners_here(manager: socketio.Manager, namespace: str | None, room: Any) -> bool:
    """Whether a room (None: the whole namespace; or a list of rooms) has a client in this process.

    python-socketio encodes an emit's packet before it looks for whom it is for. Most of the display
    broadcaster's emits find nobody in a given process: the ``ticket:<id>`` room of a ticket whose holder
    did not open the phone page, and every room in a process whose TVs are connected to another one. Asked
    first, that encoding (a JSON dump of each call and snapshot) is saved. python-socketio drops a room
    when its last client leaves it, so a room that exists has someone in it."""
    rooms = manager.rooms.get(namespace)
    if not rooms:
        return False
    if isinstance(room, (list, tuple)):
        return any(r in rooms for r in room)
    return room in rooms


class InProcessManager(socketio.Manager):
    """python-socketio's in-process manager (one server process, no message queue), which skips an emit
    that has no client to reach (see :func:`has_listeners_here`)."""

    def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
             callback: Any = None, to: Any = None, **kwargs: Any) -> Any:
        if callback is None and not has_listeners_here(self, namespace, to or room):
            return None
        return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to,
                            **kwargs)


def batched(manager: socketio.Manager) -> AbstractContextManager[None]:
    """The manager's batch of emits (one Redis message), or nothing to do for an in-process manager."""
    return manager.batched() if isinstance(manager, OrderedRedisManager) else nullcontext()


def client_manager(message_queue: str | None, channel: str) -> socketio.Manager:
    """The manager for create_app: in-process without a message queue, else the ordered Redis one.
    Always given explicitly: Flask-SocketIO keeps the manager of an earlier init_app otherwise."""
    if message_queue is None:
        return InProcessManager()
    if not message_queue.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("SOCKETIO_MESSAGE_QUEUE ต้องเป็นที่อยู่ของ Redis / must be a Redis URL "
                         "(redis://, rediss:// or unix://)")
    return OrderedRedisManager(message_queue, channel=channel)


class SocketIOPathOnly:
    """WSGI layer in front of Flask-SocketIO's middleware: only requests under its path (``/socket.io/``)
    go through it; every other request goes straight on to the application behind it.

    Under gunicorn, python-engineio's middleware defines a wrapper class for every request it sees (for
    eventlet's WebSocket code) before it looks at the path, and Flask-SocketIO's copies the environ. A new
    class is a cycle that only the garbage collector frees: with the copy, ~30 µs of CPU per API request
    in process, ~3% of a counter's serve cycle (BENCHMARKS.md)."""

    def __init__(self, middleware: Any) -> None:
        self.middleware = middleware  # Flask-SocketIO's _SocketIOMiddleware (a python-engineio WSGIApp)
        self.prefix = middleware.engineio_path  # '/socket.io/', with both slashes

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").startswith(self.prefix):
            return self.middleware(environ, start_response)
        # Read at every call, as the middleware itself does: Flask-SocketIO's debug runner may replace it.
        return self.middleware.wsgi_app(environ, start_response)
