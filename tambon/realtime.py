"""Socket.IO's client manager: how one emit reaches the clients of every server process."""

from __future__ import annotations

from typing import Any

import socketio

EVERY_PROCESS = "every-process"  # host id of an emit that every process delivers, its sender's included


class OrderedRedisManager(socketio.RedisManager):
    """Every emit reaches every client, this process's own included, through the one Redis channel.

    python-socketio's RedisManager hands an emit to the sending process's clients at once and publishes it
    for the others. A process's clients then get its own message ahead of an earlier one from another
    process that is still on its way through Redis: a TV saw display number 6 before 5, took it for a
    gap and asked for a snapshot (779 times in bench/busy_day.py with two gevent workers). A channel
    delivers in publish order, and display/sequence.py publishes in number order under its lock, so going
    through Redis for local clients too keeps the order. It costs them one Redis round trip.

    Emits that ask for an acknowledgement keep python-socketio's own path (the answer is routed by host).
    """

    def _handle_emit(self, message: dict[str, Any]) -> None:
        if message.get("host_id") == self.host_id and message.get("callback") is None:
            return  # our own emit, on its way out: delivered when it comes back from Redis
        super()._handle_emit(message)

    def _publish(self, data: dict[str, Any]) -> Any:
        if data.get("method") == "emit" and data.get("host_id") == self.host_id and data.get("callback") is None:
            data = {**data, "host_id": EVERY_PROCESS}
        return super()._publish(data)


def client_manager(message_queue: str | None, channel: str) -> socketio.Manager:
    """The manager for create_app: in-process without a message queue, else the ordered Redis one.
    Always given explicitly: Flask-SocketIO keeps the manager of an earlier init_app otherwise."""
    if message_queue is None:
        return socketio.Manager()
    if not message_queue.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("SOCKETIO_MESSAGE_QUEUE ต้องเป็นที่อยู่ของ Redis / must be a Redis URL "
                         "(redis://, rediss:// or unix://)")
    return OrderedRedisManager(message_queue, channel=channel)
