"""The ways a notice leaves the office, behind one interface: ``send(notice_text, to, keys) -> Sent``.

Each adapter turns what its provider answered into one of four outcomes, and the outbox decides from the
outcome alone (notify.outbox):

- :class:`Sent` — the provider accepted the message (for LINE also a 409: the retry key was accepted before);
- :class:`TryLater` — not accepted, and trying again cannot duplicate it (429, a 5xx, no connection;
  a LINE push retried with the same ``X-Line-Retry-Key``); ``after`` = the provider's Retry-After, if any;
- :class:`Refused` — a permanent refusal (bad number, blocked, invalid token): retrying cannot help;
- :class:`MaybeSent` — the request left and no answer came back, over a channel without an idempotency key
  (SMS, e-mail): it may have been delivered, so it is never sent again.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from notify.settings import NotifySettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    provider_ref: str | None = None


@dataclass(frozen=True)
class TryLater:
    error: str
    after: float | None = None


@dataclass(frozen=True)
class Refused:
    error: str


@dataclass(frozen=True)
class MaybeSent:
    error: str


Outcome = Sent | TryLater | Refused | MaybeSent


@dataclass(frozen=True)
class Delivery:
    to: str | None            # LINE userId, 66XXXXXXXXX, or an e-mail address
    text: str
    retry_key: str            # the notice's own key, the same on every attempt
    reply_token: str | None = None
    subject: str = ""         # e-mail only


class Adapter(Protocol):
    name: str

    def send(self, delivery: Delivery) -> Outcome: ...


def _retry_after(headers) -> float | None:
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


# --- LINE Messaging API, through the official SDK -----------------------------------------------------------

class LineAdapter:
    """Push (with ``X-Line-Retry-Key``) or reply (with the citizen's free reply token)."""

    name = "line"

    def __init__(self, settings: NotifySettings):
        from linebot.v3.messaging import Configuration

        self.settings = settings
        self.configuration = Configuration(host=settings.line_api_base_url,
                                           access_token=settings.line_access_token)

    def send(self, delivery: Delivery) -> Outcome:
        from linebot.v3.messaging import (
            ApiClient,
            MessagingApi,
            PushMessageRequest,
            ReplyMessageRequest,
            TextMessage,
        )
        from linebot.v3.messaging.exceptions import ApiException

        message = TextMessage(text=delivery.text[:5000], quickReply=None, quoteToken=None)
        try:
            with ApiClient(self.configuration) as client:
                api = MessagingApi(client)
                if delivery.reply_token:
                    response = api.reply_message_with_http_info(
                        ReplyMessageRequest(replyToken=delivery.reply_token, messages=[message],
                                            notificationDisabled=False),
                        _request_timeout=self.settings.timeout)
                else:
                    if not delivery.to:
                        return Refused("no LINE userId")
                    response = api.push_message_with_http_info(
                        PushMessageRequest(to=delivery.to, messages=[message], notificationDisabled=False,
                                           customAggregationUnits=None),
                        x_line_retry_key=delivery.retry_key, _request_timeout=self.settings.timeout)
        except ApiException as exc:
            return self._from_error(exc, bool(delivery.reply_token))
        except Exception as exc:  # urllib3: refused, reset, timed out
            # Safe to try again: a push carries the same retry key, and a reply token is accepted only once.
            return TryLater(f"LINE unreachable: {exc.__class__.__name__}")
        headers = response.headers or {}
        return Sent(headers.get("x-line-request-id"))

    @staticmethod
    def _from_error(exc, reply: bool) -> Outcome:
        status = exc.status or 0
        headers = exc.headers or {}
        if status == 409 and not reply:
            # "An API request with the same retry key has already been accepted": it was sent.
            return Sent(headers.get("x-line-accepted-request-id"))
        if status == 429 or status >= 500:
            return TryLater(f"LINE answered {status}", _retry_after(headers))
        body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body or "")
        try:
            detail = json.loads(body).get("message", "")
        except (ValueError, AttributeError):
            detail = ""
        return Refused(f"LINE refused ({status}) {detail}".strip()[:300])


# --- ThaiBulkSMS (API v2) --------------------------------------------------------------------------------------

class ThaiBulkSmsAdapter:
    """``POST {SMS_API_URL}`` (https://api-v2.thaibulksms.com/sms), HTTP Basic auth with the API key and
    secret, form fields ``msisdn``, ``message``, ``sender``, ``force`` (standard | corporate). A 201 answer
    lists ``phone_number_list`` [{number, message_id, used_credit}] and ``bad_phone_number_list``
    [{number, message}]; an error answers ``{"error": {"code", "name", "description"}}``.

    The gateway has no idempotency key, so a request that left without an answer is :class:`MaybeSent`."""

    name = "sms"

    def __init__(self, settings: NotifySettings):
        self.settings = settings
        token = f"{settings.sms_api_key}:{settings.sms_api_secret}".encode()
        self._auth = "Basic " + base64.b64encode(token).decode()

    def send(self, delivery: Delivery) -> Outcome:
        s = self.settings
        form = urllib.parse.urlencode({"msisdn": delivery.to, "message": delivery.text, "sender": s.sms_sender,
                                       "force": s.sms_force}).encode()
        request = urllib.request.Request(s.sms_api_url, data=form, method="POST", headers={
            "Authorization": self._auth, "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=s.timeout) as response:  # noqa: S310 (configured URL)
                body = response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            detail = _sms_error(exc.read())
            if status == 429 or status >= 500:
                return TryLater(f"SMS gateway answered {status} {detail}".strip(), _retry_after(exc.headers))
            return Refused(f"SMS gateway refused ({status}) {detail}".strip()[:300])
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError | socket.gaierror):
                return TryLater(f"SMS gateway unreachable: {exc.reason}")
            return MaybeSent(f"no answer from the SMS gateway: {exc.reason}")
        except (TimeoutError, ConnectionError, OSError) as exc:
            return MaybeSent(f"no answer from the SMS gateway: {exc.__class__.__name__}")
        try:
            answer = json.loads(body)
        except ValueError:
            return MaybeSent("the SMS gateway's answer was not JSON")
        accepted = answer.get("phone_number_list") or []
        if accepted:
            return Sent(str(accepted[0].get("message_id") or "") or None)
        bad = answer.get("bad_phone_number_list") or []
        reason = bad[0].get("message") if bad else "no number accepted"
        return Refused(f"SMS gateway: {reason}"[:300])


def _sms_error(body: bytes) -> str:
    try:
        error = json.loads(body).get("error") or {}
        return f"{error.get('name', '')}: {error.get('description', '')}".strip(": ")
    except (ValueError, AttributeError):
        return ""


# --- e-mail (the complaint desk's SMTP settings) ----------------------------------------------------------

class EmailAdapter:
    """The complaint desk's SMTP notifier (intake.notify.SmtpNotifier), behind the same interface."""

    name = "email"

    def __init__(self, notifier):
        self.notifier = notifier

    def send(self, delivery: Delivery) -> Outcome:
        if not delivery.to:
            return Refused("no e-mail address")
        try:
            self.notifier.send(delivery.to, delivery.subject or delivery.text.splitlines()[0], delivery.text)
        except smtplib.SMTPRecipientsRefused as exc:
            return Refused(f"mail server refused the address: {exc.__class__.__name__}")
        except (smtplib.SMTPConnectError, ConnectionRefusedError, socket.gaierror) as exc:
            return TryLater(f"mail server unreachable: {exc.__class__.__name__}")
        except (smtplib.SMTPException, OSError) as exc:
            return MaybeSent(f"mail server stopped answering: {exc.__class__.__name__}")
        return Sent(None)
