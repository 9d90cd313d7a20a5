"""The /display Socket.IO namespace with a real python-socketio client against a real server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import requests

from kiosk import queue
from tests.conftest import bearer
from tests.waiting import wait_until


def _issue(session, *codes: str) -> list:
    return [queue.issue_ticket(session, code) for code in codes]


def test_snapshot_on_connect(app, office, live_server, display_client):
    _issue(office, "TAX", "TAX", "WELFARE")
    client = display_client(live_server)
    snap = client.wait_for(lambda c: c.snapshot, what="snapshot")
    assert client.events[0][0] == "queue", "the snapshot is the first message"
    assert isinstance(snap["seq"], int) and snap["epoch"]
    assert [c["name"] for c in snap["counters"]] == ["ช่อง 1", "ช่อง 2", "ช่อง 3"]
    assert [c["spoken_name"] for c in snap["counters"]] == ["ช่อง 1", "ช่อง 2", "ช่อง 3"]
    waiting = {s["code"]: s["waiting"] for s in snap["services"]}
    assert waiting == {"TAX": 2, "WELFARE": 1, "BUILD": 0, "HELP": 0}
    assert snap["office"]["name_th"] == app.config["OFFICE_NAME"]
    assert snap["room"] == "all" and snap["ticker"] == ""


def test_call_next_over_http_sends_called_then_queue_with_consecutive_numbers(app, office, live_server,
                                                                                display_client):
    _issue(office, "TAX", "TAX")
    client = display_client(live_server)
    start = client.wait_for(lambda c: c.snapshot, what="snapshot")["seq"]
    headers = bearer(app, "counter1")

    r = requests.post(f"{live_server}/api/v1/counters/1/next", headers=headers, timeout=10)
    assert r.status_code == 200 and r.json()["ticket"]["number"] == "A001"
    client.wait_for(lambda c: c.seq == start + 2, what="called + queue")
    called = client.named("called")[0]
    assert called["number"] == "A001" and called["counter_id"] == 1 and called["counter_spoken_name"] == "ช่อง 1"
    assert called["recall"] is False and called["service"] == "TAX" and called["service_name_th"] == "ชำระภาษี"
    assert called["seq"] == start + 1
    assert called["voice_url"].startswith("/display/voice/A001.wav?at=%E0%B8%8A")  # ?at=ช่อง+1&v=…
    assert requests.get(live_server + called["voice_url"], timeout=10).headers["Content-Type"] == "audio/wav"
    assert called["text"] == "ขอเชิญหมายเลข A 0 0 1 ที่ ช่อง 1"
    assert client.snapshot["counters"][0]["serving"]["number"] == "A001"
    assert client.snapshot["services"][0]["waiting"] == 1

    assert requests.post(f"{live_server}/api/v1/counters/1/recall", headers=headers, timeout=10).status_code == 200
    assert requests.post(f"{live_server}/api/v1/counters/1/complete", headers=headers, timeout=10).status_code == 200
    client.wait_for(lambda c: c.snapshot["counters"][0]["serving"] is None, what="recall + complete")
    app.extensions["display"].wait_idle()

    # The recall is announced at once; the snapshots of recall and complete may share one (coalesced,
    # at most 0.1 s apart); every number once, in order.
    accepted = client.accepted
    assert accepted[:4] == [("queue", start), ("called", start + 1), ("queue", start + 2), ("called", start + 3)]
    assert [seq for _, seq in accepted] == list(range(start, start + len(accepted)))
    assert {event for event, _ in accepted[4:]} == {"queue"} and 1 <= len(accepted[4:]) <= 2
    recall = client.named("called")[1]
    assert recall["recall"] is True and recall["number"] == "A001" and recall["recalls"] == 1
    assert recall["voice_url"] == called["voice_url"].replace("A001.wav", "A001-r.wav")
    assert client.snapshot["counters"][0]["serving"] is None
    assert client.resyncs == []


def test_display_group_gets_its_own_counters_and_its_own_sequence(app, office, live_server, display_client):
    _issue(office, "TAX", "WELFARE")
    everything = display_client(live_server)
    group = display_client(live_server, counters="2")
    g0 = group.wait_for(lambda c: c.snapshot, what="group snapshot")
    everything.wait_for(lambda c: c.snapshot, what="snapshot")
    assert [c["id"] for c in g0["counters"]] == [2] and g0["room"] == "counters:2"
    assert {s["code"] for s in g0["services"]} == {"WELFARE", "HELP"}  # what counter 2 serves
    headers = bearer(app, "counter1")

    requests.post(f"{live_server}/api/v1/counters/1/next", headers=headers, timeout=10).raise_for_status()
    requests.post(f"{live_server}/api/v1/counters/2/next", headers=headers, timeout=10).raise_for_status()
    everything.wait_for(lambda c: len(c.named("called")) == 2, what="two calls on the all-counters display")
    group.wait_for(lambda c: len(c.named("called")) == 1, what="counter 2's call on the group display")
    app.extensions["display"].wait_idle()
    # The final snapshot may still be on its way to each client: wait for it to arrive.
    everything.wait_for(lambda c: c.accepted[-1][0] == "queue"
                        and all(x["serving"] for x in c.snapshot["counters"][:2]), what="the final state")
    group.wait_for(lambda c: c.accepted[-1][0] == "queue" and c.snapshot["counters"][0]["serving"],
                   what="the group's final state")

    assert [m["number"] for m in everything.named("called")] == ["A001", "B001"]
    assert [m["number"] for m in group.named("called")] == ["B001"], "counter 1's call is not for this TV"
    for client in (everything, group):
        seqs = [seq for _, seq in client.accepted]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "each room numbers its own stream, no gap"
        assert client.accepted[-1][0] == "queue", "a snapshot follows the last call"
    assert group.resyncs == [] and everything.resyncs == []


def test_a_gap_makes_the_client_resync_to_a_fresh_snapshot(app, office, live_server, display_client):
    _issue(office, "TAX", "TAX")
    client = display_client(live_server)
    start = client.wait_for(lambda c: c.snapshot, what="snapshot")["seq"]
    live = app.extensions["display"]
    # A message to this room is lost on the way (network blip, laptop asleep): its number is gone.
    with live.sequencer.numbering() as number:
        number("all")

    requests.post(f"{live_server}/api/v1/counters/1/next", headers=bearer(app, "counter1"),
                  timeout=10).raise_for_status()
    client.wait_for(lambda c: c.resyncs and not c.awaiting and c.seq == start + 3, what="resync answered")
    assert client.resyncs == ["gap"]
    assert client.named("called")[0]["seq"] == start + 2       # the jump the client noticed
    assert client.snapshot["seq"] == start + 3                  # the fresh state, current number
    assert client.snapshot["counters"][0]["serving"]["number"] == "A001"

    # From there on the stream continues without another resync.
    requests.post(f"{live_server}/api/v1/counters/3/next", headers=bearer(app, "counter1"),
                  timeout=10).raise_for_status()
    client.wait_for(lambda c: c.seq == start + 5, what="called + queue after the resync")
    assert client.resyncs == ["gap"]
    assert client.snapshot["counters"][2]["serving"]["number"] == "A002"


def test_a_new_epoch_also_makes_the_client_resync(app, office, live_server, display_client):
    client = display_client(live_server)
    client.wait_for(lambda c: c.snapshot, what="snapshot")
    live = app.extensions["display"]
    live.sequencer.epoch = "restarted"   # what a server restart looks like to a connected client
    _issue(office, "TAX")
    client.wait_for(lambda c: c.resyncs == ["epoch"] and not c.awaiting, what="epoch resync")
    assert client.epoch == "restarted"


def test_heartbeat_over_the_socket_records_the_display_and_its_sound(app, office, live_server, display_client,
                                                                      client):
    tv = display_client(live_server, device="tv-hall-0001", name="TV hall")
    tv.wait_for(lambda c: c.snapshot, what="snapshot")
    assert tv.heartbeat({"sound": False}) == {"ok": True}
    from display import devices

    rows = devices.device_list(office)
    assert [(d["name"], d["kind"], d["online"], d["sound_on"], d["page"]) for d in rows] == \
        [("TV hall", "display", True, False, "all")]
    assert tv.heartbeat({"sound": True}) == {"ok": True}
    office.rollback()  # end the test's read transaction: see the server's commit
    assert devices.device_list(office)[0]["sound_on"] is True


def test_phone_gets_a_nudge_without_anyone_elses_ticket_id(app, office, live_server, display_client):
    mine, other = _issue(office, "TAX", "TAX")
    phone = display_client(live_server, ticket=other.public_id)
    headers = bearer(app, "counter1")
    requests.post(f"{live_server}/api/v1/counters/1/next", headers=headers, timeout=10).raise_for_status()
    phone.wait_for(lambda c: len(c.named("changed")) >= 1, what="changed")
    assert phone.named("queue") == [] and phone.named("called") == [], "a phone gets no display stream"
    requests.post(f"{live_server}/api/v1/counters/1/complete", headers=headers, timeout=10).raise_for_status()
    requests.post(f"{live_server}/api/v1/counters/1/next", headers=headers, timeout=10).raise_for_status()
    phone.wait_for(lambda c: any(m.get("yours") for m in c.named("changed")), what="own ticket called")
    yours = [m for m in phone.named("changed") if m.get("yours")]
    assert yours[0]["topic"] == "ticket.called" and yours[0]["number"] == "A002"
    for message in phone.named("changed"):
        assert mine.public_id not in str(message) and other.public_id not in str(message)


def test_no_per_ticket_message_for_the_issue_itself(app, office, live_server, display_client):
    """A phone can only open a ticket after it is printed, so the issue sends no message to that ticket's
    own room (with several workers each would be a Redis publish). The nudge to all phones still goes."""
    (ticket,) = _issue(office, "TAX")
    phone = display_client(live_server, ticket=ticket.public_id)
    live = app.extensions["display"]
    with app.app_context():
        live.broadcast_many([("ticket.issued", {"public_id": ticket.public_id, "number": ticket.number,
                                                "status": "waiting"})])
    phone.wait_for(lambda c: len(c.named("changed")) >= 1, what="the phones' nudge")
    assert not any(m.get("yours") for m in phone.named("changed"))
    with app.app_context():
        live.broadcast_many([("ticket.cancelled", {"public_id": ticket.public_id, "number": ticket.number,
                                                   "status": "cancelled"})])
    phone.wait_for(lambda c: any(m.get("yours") for m in c.named("changed")), what="own ticket cancelled")


def test_a_bad_counter_group_falls_back_to_all_counters(app, office, live_server, display_client):
    client = display_client(live_server, counters="x,-1")
    snap = client.wait_for(lambda c: c.snapshot, what="snapshot")
    assert snap["room"] == "all" and len(snap["counters"]) == 3


def test_a_new_ticker_is_pushed_to_connected_displays(app, office, live_server, display_client):
    client = display_client(live_server)
    start = client.wait_for(lambda c: c.snapshot, what="snapshot")["seq"]
    admin = bearer(app, "admin")
    text = "ประชาสัมพันธ์: ร้องเรียนได้ทางคิวอาร์โค้ดบนบัตรคิว"
    assert requests.put(f"{live_server}/api/v1/display/ticker", json={"text": text}, headers=admin,
                        timeout=10).status_code == 200
    client.wait_for(lambda c: c.snapshot.get("ticker") == text, what="ticker pushed")
    assert client.snapshot["seq"] == start + 1 and client.resyncs == []


def test_in_a_burst_changes_go_together_in_the_next_round(app, monkeypatch):
    """A change is announced at once, and so is the next; once two rounds came within ROUND_MIN_INTERVAL
    (a burst), the changes that follow wait out the rest of it and go together, in their order (one Redis
    message and numbering, not three)."""
    import display.live

    # The broadcaster's clock: real time plus whatever it chose to wait. Its wait lasts until the test has
    # handed over the rest of the burst, then counts as the seconds it asked for (so the test shows when it
    # waits and for how long, whatever the machine's load).
    waited: list[tuple[int, float]] = []
    skipped = [0.0]
    rounds: list[list[int]] = []
    burst_in = threading.Event()

    def pause(seconds: float) -> None:
        waited.append((len(rounds), seconds))
        burst_in.wait(10)
        skipped[0] += seconds

    interval = 5.0
    monkeypatch.setattr(display.live, "ROUND_MIN_INTERVAL", interval)
    monkeypatch.setattr(display.live, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + skipped[0],
                                                              sleep=pause))
    live = app.extensions["display"]
    monkeypatch.setattr(live, "broadcast_many", lambda batch: rounds.append([p["n"] for _, p in batch]))
    monkeypatch.setattr(live, "broadcast_snapshots", lambda: None)

    live.enqueue("ticket.called", {"n": 1})
    wait_until(lambda: len(rounds) == 1, what="the first round")
    live.enqueue("ticket.called", {"n": 2})
    wait_until(lambda: len(rounds) == 2, what="the second round")
    for n in (3, 4, 5):
        live.enqueue("ticket.called", {"n": n})
    burst_in.set()
    assert live.wait_idle(10)
    assert rounds == [[1], [2], [3, 4, 5]]
    # the first two went at once; the third round waited out the rest of the interval after the second
    assert len(waited) == 1 and waited[0][0] == 2 and 0 < waited[0][1] <= interval
