"""Notices: pluggable senders. E-mail when SMTP is configured (SMTP_HOST …). Notices to citizens go
through notify/'s durable outbox (LINE, SMS, e-mail, with this SMTP notifier as its e-mail channel) when that
package is installed; this module then sends only staff mail such as the daily digest.

A notifier has ``send(to: str, subject: str, body: str) -> None``. Nothing is sent when no notifier is
configured for a channel; the digest still prints.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol

from intake.settings import IntakeSettings

log = logging.getLogger(__name__)


class Notifier(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


class SmtpNotifier:
    def __init__(self, settings: IntakeSettings, timeout: float = 15):
        self.settings = settings
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        if not s.smtp_host:
            raise RuntimeError("SMTP_HOST is not configured; cannot send e-mail")
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout) as smtp:
            if s.smtp_starttls and s.smtp_port != 25:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password or "")
            smtp.send_message(message)


def default_notifiers(settings: IntakeSettings) -> dict[str, Notifier]:
    return {"email": SmtpNotifier(settings)} if settings.smtp_host else {}


def citizen_notice(settings: IntakeSettings, notifiers: dict[str, Notifier], session_factory, topic: str,
                   payload: dict) -> None:
    """After-commit subscriber: tell a citizen who asked for it that their complaint changed.
    The e-mail says only the new status and where to read it (the answer needs the PIN)."""
    from intake import labels
    from intake.models import Complaint

    notifier = notifiers.get("email")
    if notifier is None or topic == "complaint.submitted":
        return
    session = session_factory()
    try:
        c = session.get(Complaint, payload["complaint_id"])
        if c is None or not c.notify_citizen or not c.contact_email:
            return
        notifier.send(c.contact_email, f"เรื่อง {c.tracking_code}: {labels.th('status', c.status)}",
                      f"เรื่องของท่านรหัส {c.tracking_code} มีสถานะใหม่: {labels.th('status', c.status)}\n"
                      f"ดูรายละเอียดและคำตอบได้ที่หน้า /c/{c.tracking_code} ด้วย PIN ของท่าน\n\n"
                      f"Your complaint {c.tracking_code} is now: {labels.en('status', c.status)}.")
    except Exception as exc:  # a mail problem never breaks the office's work
        # The exception's kind only: a mail server's message quotes the citizen's address.
        log.warning("citizen notice failed for %s (%s)", payload.get("tracking_code"), type(exc).__name__)
    finally:
        session.close()
