"""The phone page and its JSON, rating, voice files, heartbeats and the staff device page (HTTP only)."""

from __future__ import annotations

import io
import wave
from datetime import timedelta

import pytest

from display import devices, phone, voice
from kiosk import queue
from tests.conftest import at, bearer, csrf_from, login


def test_phone_page_shows_number_position_and_no_estimate_before_three_calls(app, office, client):
    first, second = (queue.issue_ticket(office, "TAX") for _ in range(2))
    page = client.get(f"/t/{second.public_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "A002" in html and "ชำระภาษี" in html
    assert 'id="p-position" class="stat-value">2<' in html
    assert "วันนี้ยังมีการเรียกคิวน้อยเกินไป" in html  # no estimate yet
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert "/complaints/new" in html
    body = client.get(f"/api/v1/tickets/{second.public_id}/live").json
    assert body["number"] == "A002" and body["position"] == 2 and body["waiting_ahead"] == 1
    assert body["estimated_wait_minutes"] is None and body["can_rate"] is False and body["rated"] is False


def test_unknown_or_malformed_ticket_links(client, office):
    assert client.get("/t/nope").status_code == 404
    assert client.get("/t/a.b").status_code in (404, 422)
    missing = client.get("/api/v1/tickets/nope/live")
    assert missing.status_code == 404 and missing.json["error"]["message_th"]


def test_estimate_comes_from_todays_pace(office):
    # Calls at 09:00, 09:06, 09:12 -> one call every 6 minutes; the 2nd in line waits about 12 minutes.
    tickets = [queue.issue_ticket(office, "TAX", now=at("2026-11-24 08:50")) for _ in range(6)]
    for i, minute in enumerate((0, 6, 12)):
        now = at(f"2026-11-24 09:{minute:02d}")
        if i:
            queue.complete(office, 1, now=now)
        queue.call_next(office, 1, now=now)
    view = phone.ticket_view(office, tickets[4].public_id, tz="Asia/Bangkok", now=at("2026-11-24 09:12"))
    assert view["position"] == 2 and view["pace_seconds"] == 360
    assert view["estimated_wait_minutes"] == 12
    # Four minutes later the same place in line is about 8 minutes away.
    later = phone.ticket_view(office, tickets[4].public_id, tz="Asia/Bangkok", now=at("2026-11-24 09:16"))
    assert later["estimated_wait_minutes"] == 8
    assert phone.estimate_minutes(1, None, at("2026-11-24 09:16")) is None


def test_rating_after_service_once(app, office, client):
    ticket = queue.issue_ticket(office, "TAX")
    url = f"/api/v1/tickets/{ticket.public_id}/rating"
    early = client.post(url, json={"score": 5})
    assert early.status_code == 409 and early.json["error"]["code"] == "not_served_yet"
    queue.call_next(office, 1)
    queue.complete(office, 1)
    assert client.get(f"/api/v1/tickets/{ticket.public_id}/live").json["can_rate"] is True
    page = client.get(f"/t/{ticket.public_id}").get_data(as_text=True)
    assert 'id="p-rate" class="card rate "' in page  # the rating block is shown
    for bad in ({"score": 0}, {"score": 6}, {"score": "5"}, {"score": True}, {"score": 4, "comment": 7},
                {"score": 4, "comment": "x" * 501}):
        response = client.post(url, json=bad)
        assert response.status_code == 422, bad
        assert response.json["error"]["message_th"] and response.json["error"]["message_en"]
    assert client.post(url, data="nope", content_type="application/json").status_code in (400, 422)
    ok = client.post(url, json={"score": 4, "comment": "  รวดเร็วดี  "})
    assert ok.status_code == 201 and ok.json == {"rated": True, "score": 4}
    again = client.post(url, json={"score": 5})
    assert again.status_code == 409 and again.json["error"]["code"] == "already_rated"
    body = client.get(f"/api/v1/tickets/{ticket.public_id}/live").json
    assert body["rated"] is True and body["rating"] == 4 and body["can_rate"] is False


def test_voice_call_is_one_wav_made_of_clips_and_cached(app, client, tmp_path):
    response = client.get("/display/voice/A007.wav?at=ช่อง 2")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    data = response.get_data()
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, voice.RATE)
    # invite + A 0 0 7 + at + counter 2 (plus gaps) and not much more
    clips = sum(voice.wav_duration((voice.CLIPS_DIR / f"{n}.wav").read_bytes())
                for n in ("invite", "letter_A", "digit_0", "digit_0", "digit_7", "at", "counter", "digit_2"))
    assert clips < voice.wav_duration(data) < clips + 1.5
    recall = client.get("/display/voice/A007-r.wav?at=ช่อง 2").get_data()
    assert voice.wav_duration(recall) > voice.wav_duration(data) + 0.3  # "เรียกซ้ำ" in front
    cached = list((tmp_path / "instance" / "voice-cache").glob("*.wav"))
    assert len(cached) == 2
    assert client.get("/display/voice/A007.wav?at=ช่อง 2").get_data() == data
    for bad in ("a007", "A007-2", "AAAA1", "A007-x"):
        assert client.get(f"/display/voice/{bad}.wav?at=ช่อง 2").status_code in (404, 422), bad
    for spoken in ("", "ช่อง 1000", "ช่องชำระเงิน", "x" * 200):
        answer = client.get(f"/display/voice/A007.wav?at={spoken}", headers={"Accept": "application/json"})
        assert answer.status_code == 422 and answer.json["error"]["message_th"], spoken
    chime = client.get("/display/chime.wav")
    assert chime.status_code == 200 and 1.0 < voice.wav_duration(chime.get_data()) < 2.0


@pytest.mark.parametrize(("n", "tokens"), [
    (1, ["digit_1"]), (2, ["digit_2"]), (10, ["ten"]), (11, ["ten", "one_unit"]), (20, ["twenty", "ten"]),
    (21, ["twenty", "ten", "one_unit"]), (35, ["digit_3", "ten", "digit_5"]), (99, ["digit_9", "ten", "digit_9"]),
    (100, ["digit_1", "hundred"]), (101, ["digit_1", "hundred", "one_unit"]),
    (120, ["digit_1", "hundred", "twenty", "ten"]), (999, ["digit_9", "hundred", "digit_9", "ten", "digit_9"]),
])
def test_counter_numbers_are_read_as_thai_numbers(n, tokens):
    assert voice.counter_tokens(n) == tokens


def test_every_clip_ships_and_unknown_characters_fall_back_to_browser_speech():
    for name in voice.clip_texts():
        assert (voice.CLIPS_DIR / f"{name}.wav").exists(), name
    assert voice.number_tokens("AB12") == ["letter_A", "letter_B", "digit_1", "digit_2"]
    with pytest.raises(voice.CannotSpeak):
        voice.number_tokens("ก001")
    assert voice.spoken_text("A007", "ช่อง 2") == "ขอเชิญหมายเลข A 0 0 7 ที่ ช่อง 2"


def test_heartbeat_over_http_and_offline_after_silence(app, office, client):
    ok = client.post("/api/v1/devices/heartbeat", json={"device": "kiosk-front-01", "kind": "kiosk",
                                                        "name": "ตู้หน้า", "page": "/kiosk"})
    assert ok.status_code == 200 and ok.json["interval_seconds"] == 30
    for bad in ({"device": "short", "kind": "kiosk"}, {"device": "kiosk-front-01", "kind": "toaster"},
                {"device": "kiosk-front-01", "kind": "display", "sound": "yes"}, {"kind": "kiosk"}):
        response = client.post("/api/v1/devices/heartbeat", json=bad)
        assert response.status_code == 422, bad
    now = devices.utcnow()
    devices.heartbeat(office, "tv-back-room-1", "display", name="TV back", sound_on=False,
                      now=now - timedelta(seconds=200))
    rows = {d["name"]: d for d in devices.device_list(office, now=now)}
    assert rows["ตู้หน้า"]["online"] is True and rows["ตู้หน้า"]["kind"] == "kiosk"
    assert rows["TV back"]["online"] is False and rows["TV back"]["silent_seconds"] == 200
    assert [d["name"] for d in devices.device_list(office, now=now)][0] == "TV back"  # offline first

    headers = bearer(app, "counter1")
    # (a fresh app context per request: the fixture's context would keep flask.g's API user between requests)
    with app.app_context():
        assert client.get("/api/v1/devices").status_code == 401
    with app.app_context():
        listed = client.get("/api/v1/devices", headers=headers).json["devices"]
    assert {d["name"]: d["online"] for d in listed} == {"ตู้หน้า": True, "TV back": False}

    login(client, "counter1")
    page = client.get("/display/devices").get_data(as_text=True)
    assert "ตู้หน้า" in page and "TV back" in page and "ออฟไลน์" in page and "ปิดเสียง" in page
    assert 'action="/display/ticker"' not in page  # only admins set the ticker


def test_admin_sets_the_ticker_and_displays_get_it(app, office, client):
    login(client, "admin")
    page = client.get("/display/devices").get_data(as_text=True)
    token = csrf_from(page)
    response = client.post("/display/ticker", data={"csrf_token": token,
                                                    "ticker": "ร้องเรียนได้ที่ ศูนย์ดำรงธรรม โทร 1567\nหรือเว็บไซต์"})
    assert response.status_code == 302
    snap = app.extensions["display"].snapshot(office, "all")
    assert snap["ticker"] == "ร้องเรียนได้ที่ ศูนย์ดำรงธรรม โทร 1567 หรือเว็บไซต์"
    admin, counter = bearer(app, "admin"), bearer(app, "counter1")
    with app.app_context():
        assert client.put("/api/v1/display/ticker", json={"text": "ก" * 501}, headers=admin).status_code == 422
    with app.app_context():
        assert client.put("/api/v1/display/ticker", json={"text": "x"}, headers=counter).status_code == 403
    with app.app_context():
        assert client.put("/api/v1/display/ticker", json={"text": ""}, headers=admin).json == {"text": ""}


def test_tv_page_and_bad_counter_list(client, office):
    page = client.get("/display?counters=2,1&name=TV1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-counters="1,2"' in html and 'data-name="TV1"' in html
    assert "socket.io.min.js" in html and "<script>" not in html  # CSP: no inline script
    assert client.get("/display?counters=abc").status_code == 422
    assert client.get("/static/display/vendor/socket.io.min.js").status_code == 200


def test_staff_nav_lists_the_device_page(app, client, office):
    login(client, "counter1")
    assert 'href="/display/devices"' in client.get("/counter").get_data(as_text=True)


def test_kiosk_page_sends_heartbeats(client, office):
    html = client.get("/kiosk").get_data(as_text=True)
    assert "/static/display/device.js" in html and "/static/display/heartbeat.js" in html
    assert client.get("/static/display/heartbeat.js").status_code == 200
