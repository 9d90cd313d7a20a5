"""The Socket.IO namespace ``/display``: snapshot on connect, then numbered events after each queue change.

Protocol (see also README "Live display protocol"):

- Connect with ``auth = {"counters": "1,2"}`` (optional; a display group) or ``{"ticket": PUBLIC_ID}`` (the
  citizen's phone), plus ``"device"`` (a random id the browser keeps) for the device list.
- The server answers a display with ``queue`` = the snapshot (``kiosk.reads.snapshot`` filtered to the
  group, plus office name and ticker) with ``seq`` and ``epoch``.
- After each committed ``ticket.*`` change: ``called`` (on ticket.called / ticket.recalled, to the rooms
  that show that counter) and then ``queue``, each with the room's next ``seq``. Snapshots are coalesced:
  the first change after a quiet spell gets its ``queue`` at once; changes that follow within
  ``SNAPSHOT_MIN_INTERVAL`` share one ``queue`` sent when the interval has passed, so the counts on a TV
  lag by at most 0.1 s. ``called`` messages go out at once, except in a burst (the last two rounds
  within ``ROUND_MIN_INTERVAL``, 20 ms): then a change waits out the rest of that interval and goes with
  whatever else came meanwhile. They are never merged or dropped.
- All of this runs on one broadcaster thread per process, fed by a queue: the request that changed the
  queue only enqueues, so a counter's "next" never waits for display pushes (they cost a snapshot read
  per room, ~10 ms, and ran under one lock — throughput fell fivefold when they ran in the request).
- A client that sees ``seq != last + 1`` or another ``epoch`` emits ``resync``; the answer is a fresh
  ``queue`` with the current ``seq``. ``heartbeat`` ``{"sound": bool}`` (with an ack) keeps the device
  list fresh and lets the client notice a dead connection early.
- Phones join ``phones`` and ``ticket:<id>``; they get ``changed`` (no seq, no ticket ids) and refetch
  their own status over HTTP.
"""

from __future__ import annotations

import logging
import queue as queue_module
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from display import devices, settings
from display.sequence import make_sequencer
from kiosk import reads
from kiosk.setup import default_spoken_name
from tambon import events
from tambon.errors import Invalid
from tambon.extensions import socketio
from tambon.realtime import batched
from tambon.thaidate import to_local

log = logging.getLogger(__name__)

NAMESPACE = "/display"
ROOM_ALL = "all"
ROOM_PHONES = "phones"
CALL_TOPICS = ("ticket.called", "ticket.recalled")
MAX_GROUP = 50
MAX_BATCH = 200  # changes sent together when they queued up behind a slow round
SNAPSHOT_MIN_INTERVAL = 0.1  # seconds: at most 10 snapshots a second per room; one read serves all rooms
# seconds: in a burst (two rounds within this interval), a round of changes follows the previous one this
# much later, carrying what came meanwhile (at most 50 rounds a second per process). Each round costs a
# Redis script and a message every process decodes; a round per change or two cost 6% more CPU per serve
# cycle at full load than one per ~10 changes. Outside a burst, a change goes at once.
ROUND_MIN_INTERVAL = 0.02


def group_room(counter_ids: list[int] | None) -> str:
    return f"counters:{','.join(map(str, counter_ids))}" if counter_ids else ROOM_ALL


def room_counters(room: str) -> list[int] | None:
    return [int(c) for c in room.split(":", 1)[1].split(",")] if room.startswith("counters:") else None


def parse_counters(value: Any) -> list[int] | None:
    """'1,2' or [1, 2] -> [1, 2] (sorted, unique); empty -> None (all counters). Bad input -> ValueError."""
    if value in (None, "", []):
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError("counters")
    ids = sorted({int(str(i).strip()) for i in items if str(i).strip()})
    if not ids or len(ids) > MAX_GROUP or any(i < 1 or i > 1_000_000 for i in ids):
        raise ValueError("counters")
    return ids


def spoken_name(counter: dict) -> str:
    """What the voice says for a counter (its spoken_name; "ช่อง N" for one saved before it had one)."""
    return counter.get("spoken_name") or default_spoken_name(counter.get("name") or "", counter["id"])


def check_spoken_name(session, topic: str, payload: dict) -> None:
    """In the transaction that saves a counter: its spoken name must be words the voice has."""
    from display import voice

    try:
        voice.spoken_name_tokens(payload.get("spoken_name") or "")
    except voice.CannotSpeak:
        words = " ".join(voice.WORDS[w].text for w in voice.COUNTER_WORDS)
        raise Invalid("cannot_speak_name",
                      f"ชื่อที่ใช้ประกาศต้องประกอบด้วยคำ {words} ตัวเลข 1–999 หรืออักษร A–Z เช่น \"ช่อง 2\"",
                      "The spoken name must be made of the words " + words
                      + ", numbers 1–999 or letters A–Z, e.g. \"ช่อง 2\"") from None


class Live:
    """Per-app state of the live display: the Socket.IO server it was bound to and the sequencer."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = socketio.server  # bound by create_app just before the packages' init_app
        self.sequencer = make_sequencer(app.config.get("SOCKETIO_MESSAGE_QUEUE"),
                                        app.config.get("SOCKETIO_CHANNEL", "flask-socketio"))
        self.tz = app.config["TAMBON_TIMEZONE"]
        self.pending: queue_module.Queue[tuple[str, dict]] = queue_module.Queue()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    # --- reading ------------------------------------------------------------------------------------

    def read_state(self, session) -> dict:
        """What every room's snapshot is cut from: read once per round, not once per room."""
        return {**reads.snapshot(session, tz=self.tz), "ticker": settings.get_ticker(session)}

    def snapshot(self, session, room: str, state: dict | None = None) -> dict:
        state = state if state is not None else self.read_state(session)
        snap = {**state, "counters": [dict(c) for c in state["counters"]],
                "last_called": [dict(c) for c in state["last_called"]]}
        ids = room_counters(room)
        if ids is not None:
            wanted = set(ids)
            snap["counters"] = [c for c in snap["counters"] if c["id"] in wanted]
            served = {code for c in snap["counters"] for code in c["services"]}
            snap["services"] = [s for s in snap["services"] if s["code"] in served]
            snap["last_called"] = [c for c in snap["last_called"] if c["counter_id"] in wanted]
        spoken = {c["id"]: spoken_name(c) for c in state["counters"]}
        for counter in snap["counters"]:
            counter["spoken_name"] = spoken[counter["id"]]
        for call in snap["last_called"]:
            call["counter_spoken_name"] = spoken.get(call["counter_id"], call["counter_name"])
        snap["room"] = room
        snap["counter_filter"] = ids
        snap["office"] = {"name_th": self.app.config["OFFICE_NAME"], "name_en": self.app.config["OFFICE_NAME_EN"]}
        return snap

    def _session(self):
        return self.app.extensions["tambon.sessionmaker"]()

    # --- sending ------------------------------------------------------------------------------------

    def _emit(self, event: str, data: dict, to: str) -> None:
        self.server.emit(event, data, to=to, namespace=NAMESPACE)

    def send_snapshot(self, sid: str, room: str) -> None:
        """The current state with the room's current number (not a new one): the next event is seq + 1."""
        session = self._session()
        try:
            with self.sequencer.emitting(), self.sequencer.numbering(self.server.manager) as number:
                snap = self.snapshot(session, room)
                snap.update(number(room, advance=0))
                self._emit("queue", snap, sid)
        finally:
            session.close()

    def enqueue(self, topic: str, payload: dict) -> None:
        """Called after a committed change (a ticket step, or ``display.settings`` for a new ticker) in the
        request's thread: hand it to the broadcaster, which pushes the ``queue`` snapshot, and return."""
        self._idle.clear()
        self.pending.put((topic, payload))
        if self._thread is None or not self._thread.is_alive():
            with self._thread_lock:  # started lazily: after gunicorn forks, in the process that serves
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="display-broadcaster", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        """Announce each change (``called``) at once, or in a burst with the next round, ROUND_MIN_INTERVAL
        after the last; publish the state (``queue``) at most every SNAPSHOT_MIN_INTERVAL seconds:
        at once after a quiet spell, else once the interval has passed. Changes that queued up meanwhile go
        out together (one message and one numbering for the lot), so a burst of calls never leaves the
        displays falling further and further behind."""
        last_snapshot = last_round = round_before = -SNAPSHOT_MIN_INTERVAL
        dirty = False
        while True:
            wait = max(0.0, last_snapshot + SNAPSHOT_MIN_INTERVAL - time.monotonic()) if dirty else None
            batch = []
            try:
                batch.append(self.pending.get(timeout=wait) if wait != 0.0 else self.pending.get_nowait())
                # In a burst (the last two rounds came within ROUND_MIN_INTERVAL), let the changes of the
                # rest of the interval gather into one round.
                pause = last_round + ROUND_MIN_INTERVAL - time.monotonic()
                if pause > 0 and last_round - round_before < ROUND_MIN_INTERVAL:
                    time.sleep(pause)
                round_before, last_round = last_round, time.monotonic()
                while len(batch) < MAX_BATCH:
                    batch.append(self.pending.get_nowait())
            except queue_module.Empty:
                pass
            try:
                with self.app.app_context():
                    if batch:
                        self.broadcast_many(batch)
                        dirty = True
                    if dirty and time.monotonic() - last_snapshot >= SNAPSHOT_MIN_INTERVAL:
                        self.broadcast_snapshots()
                        last_snapshot, dirty = time.monotonic(), False
            except Exception:  # a display problem must never stop the broadcaster
                log.exception("display broadcast failed for %s", [topic for topic, _ in batch])
                dirty = False
            if not dirty and self.pending.empty():
                self._idle.set()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Block until every enqueued change has been pushed (tests; a clean shutdown)."""
        return self._idle.wait(timeout)

    def broadcast_snapshots(self) -> None:
        """One numbered ``queue`` snapshot to every display room."""
        session = self._session()
        try:
            with self.sequencer.emitting(), self.sequencer.numbering(self.server.manager) as number:
                rooms = [ROOM_ALL, *self.sequencer.groups()]
                state = self.read_state(session)
                for room in rooms:
                    self._emit("queue", {**self.snapshot(session, room, state), **number(room)}, room)
        finally:
            session.close()

    def broadcast_many(self, changes: list[tuple[str, dict]]) -> None:
        """Committed ticket changes, in commit order: a numbered ``called`` to the rooms showing each
        call's counter, and the phones' nudges. The ``queue`` snapshot follows from the broadcaster
        (coalesced)."""
        session = self._session()
        try:
            calls = [call for topic, payload in changes
                     if (call := self._call(session, topic, payload)) is not None]
        finally:
            session.close()
        # Each round's emits go to Redis as one message (tambon.realtime.batched); with a message queue its
        # calls take their numbers as Redis publishes it, so no lock is needed (display/sequence.py).
        if calls:
            with self.sequencer.numbering(self.server.manager) as number:
                rooms = (ROOM_ALL, *self.sequencer.groups())
                for call in calls:
                    for room in rooms:
                        if _shows(room, call["counter_id"]):
                            self._emit("called", {**call, **number(room)}, room)
                self._nudge_phones(changes)
        else:
            with batched(self.server.manager):
                self._nudge_phones(changes)

    def _nudge_phones(self, changes: list[tuple[str, dict]]) -> None:
        ticket_changes = [(topic, payload) for topic, payload in changes if topic.startswith("ticket.")]
        if not ticket_changes:
            return
        for topic, payload in ticket_changes:
            # Not for a ticket just issued: its holder's phone finds the ticket through the QR code printed
            # on it, after the issue, and reads it then.
            if payload.get("public_id") and topic != "ticket.issued":
                self._emit("changed", {**_change(topic, payload), "yours": True}, f"ticket:{payload['public_id']}")
        # Every other phone only needs a nudge to refetch its place in line: one for the whole batch.
        self._emit("changed", _change(*ticket_changes[-1]), ROOM_PHONES)

    def _call(self, session, topic: str, payload: dict) -> dict | None:
        if (topic not in CALL_TOPICS or payload.get("counter_id") is None or not payload.get("public_id")
                or payload.get("service_id") is None):
            return None
        from display import voice

        names = reads.call_names(session, payload["service_id"], payload["counter_id"])
        if names is None:
            return None
        name = payload.get("counter_name") or names["counter_name"]
        spoken = spoken_name({"id": payload["counter_id"], "name": name,
                              "spoken_name": names["counter_spoken_name"]})
        recall = topic == "ticket.recalled"
        number = payload["number"]
        at = payload.get("at")
        try:
            voice.call_tokens(number, spoken, recall)
            voice_url = voice.call_url(number, spoken, recall, Path(self.app.instance_path))
        except voice.CannotSpeak:
            voice_url = None  # the page falls back to the browser's speech synthesis
        return {
            "number": number, "counter_id": payload["counter_id"], "counter_name": name,
            "counter_name_en": names["counter_name_en"], "counter_spoken_name": spoken,
            "service": names["service"], "service_name_th": names["service_name_th"],
            "service_name_en": names["service_name_en"], "recall": recall, "recalls": payload.get("recalls", 0),
            "at": to_local(_parse_iso(at), self.tz).isoformat(timespec="seconds") if at else None,
            "voice_url": voice_url, "text": voice.spoken_text(number, spoken, recall),
        }

    # --- Socket.IO handlers ---------------------------------------------------------------------------

    def on_connect(self, sid: str, environ: dict, auth: Any = None) -> bool:
        auth = auth if isinstance(auth, dict) else {}
        with self.app.app_context():
            if auth.get("ticket"):
                self.server.enter_room(sid, ROOM_PHONES, namespace=NAMESPACE)
                self.server.enter_room(sid, f"ticket:{str(auth['ticket'])[:32]}", namespace=NAMESPACE)
                self.server.save_session(sid, {"kind": "phone"}, namespace=NAMESPACE)
                return True
            try:
                ids = parse_counters(auth.get("counters"))
            except (ValueError, TypeError):
                ids = None  # a bad group shows every counter rather than nothing
            room = group_room(ids)
            if room != ROOM_ALL:
                self.sequencer.add_group(room)
            self.server.enter_room(sid, room, namespace=NAMESPACE)
            device = devices.clean_key(auth.get("device"))
            self.server.save_session(sid, {"kind": "display", "room": room, "device": device,
                                           "name": str(auth.get("name") or "")[:100],
                                           "address": environ.get("REMOTE_ADDR")}, namespace=NAMESPACE)
            self.send_snapshot(sid, room)
        return True

    def on_resync(self, sid: str, _data: Any = None) -> None:
        info = self.server.get_session(sid, namespace=NAMESPACE)
        if info.get("kind") != "display":
            return
        with self.app.app_context():
            self.send_snapshot(sid, info["room"])

    def on_heartbeat(self, sid: str, data: Any = None) -> dict:
        data = data if isinstance(data, dict) else {}
        info = self.server.get_session(sid, namespace=NAMESPACE)
        if info.get("kind") == "display" and info.get("device"):
            session = self._session()
            try:
                devices.heartbeat(session, info["device"], "display", name=info.get("name") or data.get("name"),
                                  address=info.get("address"), page=info.get("room"),
                                  sound_on=bool(data.get("sound")))
            finally:
                session.close()
        return {"ok": True}

    def register(self) -> None:
        self.server.on("connect", self.on_connect, namespace=NAMESPACE)
        self.server.on("resync", self.on_resync, namespace=NAMESPACE)
        self.server.on("heartbeat", self.on_heartbeat, namespace=NAMESPACE)


def _change(topic: str, payload: dict) -> dict:
    return {"topic": topic, "number": payload.get("number"), "status": payload.get("status"),
            "counter_id": payload.get("counter_id")}


def _shows(room: str, counter_id: int) -> bool:
    ids = room_counters(room)
    return ids is None or counter_id in ids


def _parse_iso(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def on_queue_event(topic: str, payload: dict) -> None:
    """tambon.events subscriber (after commit), in the writer's app context: push to the displays."""
    if not topic.startswith("ticket.") or topic == "ticket.rated":
        return
    try:
        live: Live = current_app.extensions["display"]
    except (RuntimeError, KeyError):  # no app context (a script): nothing to push to
        return
    live.enqueue(topic, payload)


def init_app(app: Flask) -> Live:
    live = Live(app)
    app.extensions["display"] = live
    # Send CONNECT before our connect handler runs, so the snapshot it emits reaches a connected client.
    live.server.always_connect = True
    live.register()
    events.subscribe("*", on_queue_event)
    events.on_write("office.counter_saved", check_spoken_name)
    return live
