"""tambon/realtime.py: with a Redis message queue, a process's own emits reach its clients through Redis
too, so every client of every process gets the messages in the one order of the channel.

Two managers stand for two server processes; a real Redis carries the messages. The Socket.IO servers
are real, only their transport to a browser is replaced by a list of the packets they would send."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
import redis
import socketio

from tambon.realtime import InProcessManager, OrderedRedisManager, client_manager
from tests.waiting import wait_until

pytestmark = pytest.mark.redis


class CountingPacket(socketio.packet.Packet):
    """Socket.IO's own packet, recording the event name of every packet it encodes (a list per server)."""

    encoded: list[str] = []

    def encode(self):
        self.encoded.append(self.data[0])
        return super().encode()


class RecordingServer(socketio.Server):
    """A real Socket.IO server whose clients' transport is a list."""

    def __init__(self, manager):
        packet_class = type("Packet", (CountingPacket,), {"encoded": []})  # a list of this server's own
        super().__init__(client_manager=manager, async_mode="threading", serializer=packet_class)
        self.sent: list[tuple[str, list]] = []
        self.senders: set[str] = set()  # threads that handed packets to the transport

    def _send_eio_packet(self, eio_sid, eio_pkt):
        text = eio_pkt.data  # a Socket.IO packet: 2/display,["called",{...}]
        self.sent.append((eio_sid, json.loads(text[text.index("["):])))
        self.senders.add(threading.current_thread().name)


def _process(url: str, channel: str) -> tuple[RecordingServer, OrderedRedisManager]:
    manager = OrderedRedisManager(url, channel=channel)
    server = RecordingServer(manager)
    manager.initialize()  # starts its Redis listener, as the first request of a server would
    return server, manager


def test_own_emits_come_back_through_redis_in_channel_order(redis_available):
    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    a, manager_a = _process(redis_available, channel)
    b, manager_b = _process(redis_available, channel)
    wait_until(lambda: redis.Redis.from_url(redis_available).pubsub_numsub(channel)[0][1] == 2)  # both listen
    sid = manager_b.connect("eio-tv", "/display")  # a TV connected to process B
    manager_b.enter_room(sid, "/display", "all")

    a.emit("called", {"seq": 1}, to="all", namespace="/display")  # process A takes number 1 ...
    b.emit("called", {"seq": 2}, to="all", namespace="/display")  # ... then B number 2
    wait_until(lambda: len(b.sent) == 2)
    # B's own emit was not handed to its TV on the spot, in this thread, where it could overtake A's
    # earlier one still on its way: every packet came from B's Redis listener.
    assert threading.current_thread().name not in b.senders
    assert [data[1]["seq"] for _, data in b.sent] == [1, 2]
    assert {eio for eio, _ in b.sent} == {"eio-tv"}
    assert a.sent == []  # nobody is connected to A
    assert a.packet_class.encoded == []  # so A did not even encode them (has_listeners_here)


def test_a_batch_of_emits_is_one_redis_message_delivered_in_order_to_every_process(redis_available):
    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    a, manager_a = _process(redis_available, channel)
    b, manager_b = _process(redis_available, channel)
    listener = redis.Redis.from_url(redis_available).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    wait_until(lambda: redis.Redis.from_url(redis_available).pubsub_numsub(channel)[0][1] == 3)
    tv_a = manager_a.connect("eio-tv-a", "/display")
    manager_a.enter_room(tv_a, "/display", "all")
    tv_b = manager_b.connect("eio-tv-b", "/display")
    manager_b.enter_room(tv_b, "/display", "all")

    with manager_a.batched():
        for seq in (1, 2, 3):
            a.emit("called", {"seq": seq}, to="all", namespace="/display")
        with manager_a.batched():  # an inner block is part of the outer one
            a.emit("queue", {"seq": 4}, to="all", namespace="/display")
        assert a.sent == [] and b.sent == []  # nothing leaves before the block ends
    b.emit("called", {"seq": 5}, to="all", namespace="/display")  # unbatched, after the batch

    for server, eio in ((a, "eio-tv-a"), (b, "eio-tv-b")):
        wait_until(lambda server=server: len(server.sent) == 5)
        assert [(data[0], data[1]["seq"]) for _, data in server.sent] == [
            ("called", 1), ("called", 2), ("called", 3), ("queue", 4), ("called", 5)]
        assert {sid for sid, _ in server.sent} == {eio}
    messages = []

    def two_published() -> bool:  # (a subscribe confirmation reads as None here)
        if (message := listener.get_message(timeout=0.1)) is not None:
            messages.append(json.loads(message["data"]))
        return len(messages) >= 2

    wait_until(two_published)
    assert [len(m.get("batch", [m])) for m in messages] == [4, 1]  # the batch went as one message
    listener.close()


def test_the_manager_follows_the_message_queue_setting():
    assert type(client_manager(None, "x")) is InProcessManager
    assert isinstance(client_manager("redis://127.0.0.1:6379/0", "x"), OrderedRedisManager)
    with pytest.raises(ValueError, match="Redis URL"):
        client_manager("amqp://guest@localhost//", "x")


def test_emits_to_rooms_with_nobody_here_are_not_encoded(redis_available):
    """A process skips, unencoded, an emit for a room without a client of its own (tambon.realtime
    .has_listeners_here): most ticket rooms have no phone, and a process whose TVs are elsewhere has none."""
    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    a, manager_a = _process(redis_available, channel)
    b, manager_b = _process(redis_available, channel)
    wait_until(lambda: redis.Redis.from_url(redis_available).pubsub_numsub(channel)[0][1] == 2)
    tv = manager_b.connect("eio-tv", "/display")  # the only client: a TV on B
    manager_b.enter_room(tv, "/display", "all")
    phone = manager_a.connect("eio-phone", "/display")  # and a phone on A, watching ticket X
    manager_a.enter_room(phone, "/display", "ticket:X")

    with manager_a.batched():
        a.emit("called", {"seq": 1}, to="all", namespace="/display")
        a.emit("changed", {"yours": True}, to="ticket:Y", namespace="/display")  # nobody watches Y
        a.emit("changed", {"yours": True}, to="ticket:X", namespace="/display")
        a.emit("changed", {}, to=["phones", "ticket:X"], namespace="/display")
    b.emit("ping", {}, namespace="/display")  # the whole namespace: B has a client, A has one too

    wait_until(lambda: len(b.sent) == 2 and len(a.sent) == 3)
    assert [(eio, data[0]) for eio, data in b.sent] == [("eio-tv", "called"), ("eio-tv", "ping")]
    assert [(eio, data[0]) for eio, data in a.sent] == [("eio-phone", "changed"), ("eio-phone", "changed"),
                                                        ("eio-phone", "ping")]
    assert b.packet_class.encoded == ["called", "ping"]  # not the three "changed" for rooms it lacks
    assert a.packet_class.encoded == ["changed", "changed", "ping"]  # not the "called", nor ticket Y's


def test_the_in_process_manager_skips_rooms_with_nobody_in_them():
    server = RecordingServer(InProcessManager())
    tv = server.manager.connect("eio-tv", "/display")
    server.manager.enter_room(tv, "/display", "all")
    server.emit("changed", {"yours": True}, to="ticket:Y", namespace="/display")
    server.emit("changed", {}, to="phones", namespace="/display")
    server.emit("called", {"seq": 1}, to="all", namespace="/display")
    server.emit("hello", {}, namespace="/display")
    server.emit("hello", {}, namespace="/elsewhere")
    assert [(eio, data[0]) for eio, data in server.sent] == [("eio-tv", "called"), ("eio-tv", "hello")]
    assert server.packet_class.encoded == ["called", "hello"]


def test_rounds_from_two_processes_take_their_numbers_as_redis_publishes_them(redis_available):
    """No lock around a round of calls: Redis takes each round's numbers in the script that publishes it
    (display/sequence.py), so rounds racing from two processes still reach every TV numbered 1, 2, 3 …
    in arrival order, each room its own sequence, and a snapshot for one client carries the current number."""
    from display.sequence import RedisSequencer

    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    a, manager_a = _process(redis_available, channel)
    b, manager_b = _process(redis_available, channel)
    sequencers = {a: RedisSequencer(redis_available, channel), b: RedisSequencer(redis_available, channel)}
    wait_until(lambda: redis.Redis.from_url(redis_available).pubsub_numsub(channel)[0][1] == 2)
    tvs = {}
    for server, manager in ((a, manager_a), (b, manager_b)):
        tvs[server] = manager.connect("eio-tv", "/display")
        manager.enter_room(tvs[server], "/display", "all")
        group_tv = manager.connect("eio-group", "/display")
        manager.enter_room(group_tv, "/display", "counters:1")

    def rounds(server, name: str) -> None:
        for n in range(25):
            with sequencers[server].numbering(server.manager) as number:
                for k in range(3):
                    server.emit("called", {"by": f"{name}{n}.{k}", **number("all")}, to="all", namespace="/display")
                server.emit("called", {"by": f"{name}{n}", **number("counters:1")}, to="counters:1",
                            namespace="/display")

    threads = [threading.Thread(target=rounds, args=(server, name)) for server, name in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with sequencers[a].numbering(manager_a) as number:  # a snapshot to one client: the current number
        a.emit("queue", {"snapshot": True, **number("all", advance=0)}, to=tvs[a], namespace="/display")

    for server in (a, b):
        wait_until(lambda server=server: len(server.sent) == 2 * 25 * 4 + (server is a))
        to_all = [data[1] for eio, data in server.sent if eio == "eio-tv" and data[0] == "called"]
        to_group = [data[1] for eio, data in server.sent if eio == "eio-group"]
        first = to_all[0]["seq"]
        assert [m["seq"] for m in to_all] == list(range(first, first + 150)), "gap-free, in order"
        assert [m["seq"] for m in to_group] == list(range(to_group[0]["seq"], to_group[0]["seq"] + 50))
        assert len({m["epoch"] for m in to_all + to_group}) == 1 and to_all[0]["epoch"]
        # A round's three calls stay together: numbers are taken a round at a time.
        by_round = [m["by"].split(".")[0] for m in to_all]
        assert all(len(set(by_round[i:i + 3])) == 1 for i in range(0, 150, 3))
    # Both processes' TVs saw the one stream, whichever process published each round.
    assert [data for _, data in a.sent if data[0] == "called"] == [data for _, data in b.sent]
    snapshot = next(data[1] for eio, data in a.sent if data[0] == "queue")
    assert snapshot["seq"] == first + 149  # the next call to "all" will be number + 1


def test_numbered_emits_never_leave_without_their_numbers(redis_available):
    """A batch with a numbered emit but nothing to number it is refused, rather than sent to TVs with a
    placeholder where the number belongs."""
    from tambon.realtime import number_to_come

    a, manager_a = _process(redis_available, f"tambon-test-{uuid.uuid4().hex[:10]}")
    with pytest.raises(RuntimeError, match="numbering"), manager_a.batched():
        a.emit("called", {"by": "x", **number_to_come("all")}, to="all", namespace="/display")


def test_a_numbered_message_that_cannot_be_read_is_dropped_and_the_listener_goes_on(redis_available, caplog):
    """A garbled numbered message is logged and dropped (the TVs notice the gap and resync); the messages
    after it are still delivered."""
    from display.sequence import RedisSequencer
    from tambon.realtime import NUMBERED_PREFIX

    channel = f"tambon-test-{uuid.uuid4().hex[:10]}"
    a, manager_a = _process(redis_available, channel)
    wait_until(lambda: redis.Redis.from_url(redis_available).pubsub_numsub(channel)[0][1] == 1)
    tv = manager_a.connect("eio-tv", "/display")
    manager_a.enter_room(tv, "/display", "all")
    redis.Redis.from_url(redis_available).publish(channel, NUMBERED_PREFIX + b"epoch 1\nnot json")
    with RedisSequencer(redis_available, channel).numbering(manager_a) as number:
        a.emit("called", {"by": "after", **number("all")}, to="all", namespace="/display")
    wait_until(lambda: len(a.sent) == 1)
    assert a.sent[0][1][1]["by"] == "after" and a.sent[0][1][1]["seq"] == 1
    assert "could not be read" in caplog.text
