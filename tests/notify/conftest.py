"""Outside services played on loopback, speaking their real protocols: a LINE Messaging API (push with
X-Line-Retry-Key, reply; 409 for a retry key already accepted; scripted 429/500) and a ThaiBulkSMS v2
gateway (Basic auth, form fields, its documented JSON answers). Webhooks are signed like LINE signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from tests.intake.conftest import NO_LIMIT, office_app_factory, office_template  # noqa: F401 (fixtures)

SECRET = "test-channel-secret"
TOKEN = "test-access-token"
OA = "@tambon-oa"
SMS_KEY, SMS_SECRET = "sms-key", "sms-secret"


class _Fake:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict]] = []  # (status, headers) answered before accepting again
        self.on_request: Callable[[dict], None] | None = None
        self.cond = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "raw": raw}
                status, headers, body = fake.answer(record)
                with fake.cond:
                    fake.requests.append(record | {"status": status})
                    fake.cond.notify_all()
                if fake.on_request is not None:
                    fake.on_request(record)
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def scripted(self) -> tuple[int, dict] | None:
        with self.cond:
            return self.script.pop(0) if self.script else None


class FakeLine(_Fake):
    """POST /v2/bot/message/push and /v2/bot/message/reply, as the Messaging API answers them."""

    def __init__(self):
        self.accepted_keys: dict[str, str] = {}
        self.pushes: list[dict] = []
        self.replies: list[dict] = []
        super().__init__()

    def answer(self, record):
        if record["headers"].get("authorization") != f"Bearer {TOKEN}":
            return 401, {}, {"message": "Authentication failed"}
        body = json.loads(record["raw"])
        record["json"] = body
        scripted = self.scripted()
        if scripted is not None:
            status, headers = scripted
            return status, headers, {"message": "scripted"}
        request_id = uuid.uuid4().hex
        if record["path"] == "/v2/bot/message/push":
            key = record["headers"].get("x-line-retry-key")
            if key and key in self.accepted_keys:
                return 409, {"x-line-accepted-request-id": self.accepted_keys[key]}, {
                    "message": "The retry key is already accepted"}
            if key:
                self.accepted_keys[key] = request_id
            self.pushes.append({"to": body["to"], "text": body["messages"][0]["text"], "retry_key": key})
        elif record["path"] == "/v2/bot/message/reply":
            if any(r["token"] == body["replyToken"] for r in self.replies):
                return 400, {}, {"message": "Invalid reply token"}
            self.replies.append({"token": body["replyToken"], "text": body["messages"][0]["text"]})
        else:
            return 404, {}, {"message": "Not found"}
        return 200, {"x-line-request-id": request_id}, {"sentMessages": [{"id": "1", "quoteToken": "q"}]}


class FakeSms(_Fake):
    """ThaiBulkSMS API v2: POST /sms, Basic auth, form msisdn/message/sender/force; 201 with
    phone_number_list on success."""

    def __init__(self):
        self.messages: list[dict] = []
        super().__init__()

    def answer(self, record):
        expected = "Basic " + base64.b64encode(f"{SMS_KEY}:{SMS_SECRET}".encode()).decode()
        if record["headers"].get("authorization") != expected:
            return 401, {}, {"error": {"code": 401, "name": "UNAUTHORIZED", "description": "Bad API key"}}
        form = {k: v[0] for k, v in parse_qs(record["raw"].decode()).items()}
        record["form"] = form
        scripted = self.scripted()
        if scripted is not None:
            status, headers = scripted
            return status, headers, {"error": {"code": status, "name": "ERROR", "description": "scripted"}}
        number = form.get("msisdn", "")
        if not (number.startswith("66") and len(number) == 11):
            return 201, {}, {"remaining_credit": 99, "total_use_credit": 0, "credit_type": form.get("force"),
                             "phone_number_list": [],
                             "bad_phone_number_list": [{"number": number, "message": "Invalid phone number"}]}
        message_id = uuid.uuid4().hex[:12]
        self.messages.append({"to": number, "text": form["message"], "sender": form.get("sender"),
                              "id": message_id})
        return 201, {}, {"remaining_credit": 99, "total_use_credit": 1, "credit_type": form.get("force"),
                         "phone_number_list": [{"number": number, "message_id": message_id, "used_credit": 1}],
                         "bad_phone_number_list": []}


@pytest.fixture
def line_api():
    fake = FakeLine()
    yield fake
    fake.close()


@pytest.fixture
def sms_api():
    fake = FakeSms()
    yield fake
    fake.close()


def notify_config(line_api=None, sms_api=None, **extra) -> dict:
    config = {"COMPLAINT_RATE_LIMIT": NO_LIMIT, "COMPLAINT_PIN_RATE_LIMIT": NO_LIMIT,
              "PUBLIC_BASE_URL": "https://desk.tambon.example", "NOTIFY_RETRY_BASE": 1, "NOTIFY_RETRY_MAX": 60}
    if line_api is not None:
        config.update(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE_URL=line_api.url,
                      LINE_OA_ID=OA)
    if sms_api is not None:
        config.update(SMS_API_KEY=SMS_KEY, SMS_API_SECRET=SMS_SECRET, SMS_API_URL=f"{sms_api.url}/sms",
                      SMS_SENDER="TAMBON")
    config.update(extra)
    return config


@pytest.fixture
def napp(office_app_factory, line_api, sms_api):  # noqa: F811 (the imported fixture)
    return office_app_factory(**notify_config(line_api, sms_api))


def signed(body: dict, secret: str = SECRET) -> tuple[bytes, dict]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, {"X-Line-Signature": signature, "Content-Type": "application/json"}


def _event(kind: str, user_id: str, **fields) -> dict:
    return {"type": kind, "mode": "active", "timestamp": 1765000000000, "webhookEventId": uuid.uuid4().hex.upper(),
            "deliveryContext": {"isRedelivery": False}, "source": {"type": "user", "userId": user_id}, **fields}


def text_event(user_id: str, text: str) -> dict:
    return _event("message", user_id, replyToken=uuid.uuid4().hex,
                  message={"type": "text", "id": uuid.uuid4().hex[:12], "quoteToken": "q", "text": text})


def follow_event(user_id: str) -> dict:
    return _event("follow", user_id, replyToken=uuid.uuid4().hex, follow={"isUnblocked": False})


def unfollow_event(user_id: str) -> dict:
    return _event("unfollow", user_id)


def webhook(client, *events, secret: str = SECRET):
    raw, headers = signed({"destination": "Uoa", "events": list(events)}, secret)
    return client.post("/line/webhook", data=raw, headers=headers)
