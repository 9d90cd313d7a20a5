"""What the hot read paths may keep in memory, and for how long: names of services and counters, the
queue snapshot boards poll, and who is behind a bearer token. A change made through this process shows at
once; one made by another server process (here: a second app on the same database file) within the TTL."""

import time
from types import SimpleNamespace

import pytest

from kiosk import board, names, setup
from kiosk.demo import ALL_DAY
from tambon.db import core_connection, get_session
from tests.conftest import bearer, make_app, set_user_row


@pytest.fixture
def other_process(app, demo, tmp_path):
    """A second server process on the same database: its own engine, so its own caches."""
    other = make_app(tmp_path / "other", app.config["DATABASE_URL"])
    yield other
    other.extensions["tambon.engine"].dispose()


def _rename_service(app, code: str, name_th: str) -> None:
    with app.app_context():
        setup.upsert_service(get_session(), code=code, prefix="A", name_th=name_th, name_en="Tax payment",
                             position=1, **ALL_DAY)


def _later(seconds: float) -> SimpleNamespace:
    """A stand-in for a module's ``time``: its clock runs ``seconds`` ahead."""
    return SimpleNamespace(monotonic=lambda: time.monotonic() + seconds)


def test_a_rename_here_shows_at_once_on_the_next_call(app, demo, client):
    headers = bearer(app, "counter1")
    client.post("/api/v1/tickets", json={"service": "TAX"})
    client.post("/api/v1/tickets", json={"service": "TAX"})
    first = client.post("/api/v1/counters/1/next", headers=headers).json["ticket"]
    assert first["service_name_th"] == "ชำระภาษี"
    client.post("/api/v1/counters/1/complete", headers=headers)

    _rename_service(app, "TAX", "ชำระภาษีท้องถิ่น")
    second = client.post("/api/v1/counters/1/next", headers=headers).json["ticket"]
    assert second["service_name_th"] == "ชำระภาษีท้องถิ่น"
    assert second["counter"]["id"] == 1 and second["counter"]["name"]


def test_a_rename_in_another_process_shows_within_the_ttl(app, demo, client, other_process, monkeypatch):
    issued = client.post("/api/v1/tickets", json={"service": "TAX"}).json
    assert client.get(f"/api/v1/tickets/{issued['id']}").json["service_name_th"] == "ชำระภาษี"

    _rename_service(other_process, "TAX", "ชำระภาษีท้องถิ่น")
    # Still the kept name: this process was not told (the other process's change is invisible to it) ...
    assert client.get(f"/api/v1/tickets/{issued['id']}").json["service_name_th"] == "ชำระภาษี"
    # ... until the directory expires.
    monkeypatch.setattr(names, "time", _later(names.TTL_SECONDS + 0.1))
    assert client.get(f"/api/v1/tickets/{issued['id']}").json["service_name_th"] == "ชำระภาษีท้องถิ่น"


def test_a_new_counter_from_another_process_is_found_at_once(app, demo, other_process):
    with app.app_context():
        session = get_session()
        service, _ = names.names(session, 1, 1)
        assert service is not None
    with other_process.app_context():
        added = setup.upsert_counter(get_session(), name="ช่อง 9", name_en="Counter 9", service_codes=["TAX"])
    with app.app_context():
        _, counter = names.names(get_session(), 1, added.id)  # an unknown id reloads the directory
    assert counter is not None and counter.name == "ช่อง 9"


def test_board_answer_is_kept_until_a_change_here_but_at_least_min_age(app, demo, client, monkeypatch):
    # The board's clock stands still (a loaded CI machine may take longer than MIN_AGE_SECONDS between calls).
    start = time.monotonic()
    monkeypatch.setattr(board, "time", SimpleNamespace(monotonic=lambda: start))
    first = client.get("/api/v1/queue").json
    waiting_before = {s["code"]: s["waiting"] for s in first["services"]}
    monkeypatch.setattr(board, "time", SimpleNamespace(monotonic=lambda: start + board.MIN_AGE_SECONDS + 0.05))
    assert client.get("/api/v1/queue").json["generated_at"] == first["generated_at"]  # nothing changed

    monkeypatch.setattr(board, "time", SimpleNamespace(monotonic=lambda: start))
    client.post("/api/v1/tickets", json={"service": "TAX"})  # a change committed in this process
    kept = {s["code"]: s["waiting"] for s in client.get("/api/v1/queue").json["services"]}
    assert kept == waiting_before  # younger than MIN_AGE_SECONDS: still the kept answer
    monkeypatch.setattr(board, "time", SimpleNamespace(monotonic=lambda: start + board.MIN_AGE_SECONDS + 0.05))
    after = {s["code"]: s["waiting"] for s in client.get("/api/v1/queue").json["services"]}
    assert after["TAX"] == waiting_before["TAX"] + 1


def test_board_shows_another_process_change_after_the_ttl(app, demo, client, other_process, monkeypatch):
    assert {s["code"]: s["waiting"] for s in client.get("/api/v1/queue").json["services"]}["TAX"] == 0
    other_client = other_process.test_client()
    assert other_client.post("/api/v1/tickets", json={"service": "TAX"}).status_code == 201

    kept = {s["code"]: s["waiting"] for s in client.get("/api/v1/queue").json["services"]}
    assert kept["TAX"] == 0  # within the TTL this process may answer from what it kept
    monkeypatch.setattr(board, "time", _later(board.TTL_SECONDS + 0.1))
    fresh = {s["code"]: s["waiting"] for s in client.get("/api/v1/queue").json["services"]}
    assert fresh["TAX"] == 1


def test_board_never_keeps_an_answer_read_before_a_change(app, demo, monkeypatch):
    """A snapshot read while a change commits must not be kept as if it were current."""
    with app.test_request_context():
        kept_board = app.extensions["kiosk.board"]
        generation = kept_board.generation
        session = get_session()
        original = board.reads.snapshot

        def snapshot_then_change(*args, **kwargs):
            answer = original(*args, **kwargs)
            from kiosk import queue
            with app.app_context():
                queue.issue_ticket(get_session(), "TAX")  # commits while the board's read is in flight
            return answer

        # Only the board's view of kiosk.reads (the display broadcaster reads snapshots too, in its thread).
        monkeypatch.setattr(board, "reads", SimpleNamespace(snapshot=snapshot_then_change))
        board.snapshot(session, tz="Asia/Bangkok")
        monkeypatch.setattr(board, "reads", SimpleNamespace(snapshot=original))
        assert kept_board.generation > generation
        assert kept_board.kept is not None and kept_board.kept[1] == generation  # marked as read before it
        monkeypatch.setattr(board, "time", _later(board.MIN_AGE_SECONDS + 0.05))
        # End the read transaction (its snapshot of the database predates the ticket): the snapshot's
        # prepared statements ran on the request's connection.
        core_connection(session).commit()
        answer = board.snapshot(session, tz="Asia/Bangkok")
        assert {s["code"]: s["waiting"] for s in answer["services"]}["TAX"] == 1


def test_role_change_and_deactivation_apply_to_a_cached_token_at_once(app, demo, client):
    headers = bearer(app, "counter1")
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 204  # token now cached
    set_user_row(app, "counter1", role="executive")
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 403
    set_user_row(app, "counter1", role="counter", active=False)
    assert client.post("/api/v1/counters/1/next", headers=headers).status_code == 401
