"""Two real `tambon serve` worker processes sharing Redis (SOCKETIO_MESSAGE_QUEUE) emit to the same
displays with one monotonic, gap-free sequence."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.conftest import bearer
from tests.waiting import wait_until

pytestmark = pytest.mark.redis


def test_two_workers_through_redis_one_monotonic_sequence(app, office, redis_available, redis_channel, workers,
                                                          display_client):
    a, b = workers(2, SOCKETIO_MESSAGE_QUEUE=redis_available, SOCKETIO_CHANNEL=redis_channel).urls
    headers = bearer(app, "counter1")
    on_a = display_client(a)
    on_b = display_client(b)
    group_on_b = display_client(b, counters="1,3")
    for client in (on_a, on_b, group_on_b):
        client.wait_for(lambda c: c.snapshot, what="snapshot")
    assert on_a.epoch == on_b.epoch, "both workers number one shared stream"
    start = on_a.seq
    assert on_b.seq == start

    # Tickets issued through both workers, then all three counters call at once, through both workers.
    for i in range(6):
        url = (a, b)[i % 2]
        assert requests.post(f"{url}/api/v1/tickets", json={"service": "TAX" if i < 4 else "WELFARE"},
                             timeout=10).status_code == 201

    def call(url: str, counter: int) -> None:
        assert requests.post(f"{url}/api/v1/counters/{counter}/next", headers=headers, timeout=20).status_code == 200

    threads = [threading.Thread(target=call, args=(url, counter))
               for url, counter in ((a, 1), (b, 2), (a, 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # Every call is announced; snapshots may be coalesced (one after a burst), but the last one is the
    # newest state and the numbers run without a gap.
    for client in (on_a, on_b):
        client.wait_for(lambda c: len(c.named("called")) == 3 and c.snapshot
                        and all(x["serving"] for x in c.snapshot["counters"]), timeout=20, what="three calls")
    # A coalesced snapshot may still trail the calls: wait until each display's last message is the final
    # state and both have seen the same stream.
    for client in (on_a, on_b):
        client.wait_for(lambda c: c.events[-1][0] == "queue" and all(x["serving"] for x in c.events[-1][1]["counters"]),
                        timeout=20, what="the final snapshot last")
    wait_until(lambda: [(e, m["seq"]) for e, m in on_a.events] == [(e, m["seq"]) for e, m in on_b.events],
               timeout=20, what="both displays at the same message")
    for client in (on_a, on_b):
        seqs = [s for _, s in client.accepted]
        assert seqs == list(range(start, start + len(seqs))), "every number once, in order"
        assert client.resyncs == [], "no gap, no disorder: Redis numbered each message as it published it"
        assert sorted(m["counter_id"] for m in client.named("called")) == [1, 2, 3]
        assert client.events[-1][0] == "queue", "a snapshot follows the last call"
    # Both displays saw the very same stream, whichever worker emitted each message.
    assert [(e, m["seq"]) for e, m in on_a.events] == [(e, m["seq"]) for e, m in on_b.events]
    # The last snapshot is the newest state: all three counters serving.
    assert all(c["serving"] for c in on_a.snapshot["counters"])

    # The counters 1,3 display has its own room and its own gap-free numbers.
    group_on_b.wait_for(lambda c: len(c.named("called")) == 2, timeout=20, what="group calls")
    group_on_b.wait_for(lambda c: c.snapshot and all(x["serving"] for x in c.snapshot["counters"]), timeout=20,
                        what="group final state")
    gseq = [s for _, s in group_on_b.accepted]
    assert gseq == list(range(gseq[0], gseq[0] + len(gseq))) and group_on_b.resyncs == []
    assert sorted(m["counter_id"] for m in group_on_b.named("called")) == [1, 3]
