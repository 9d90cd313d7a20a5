"""The complaint desk's rules as plain functions: submit, acknowledge, assign, progress, answer, close,
reject, forward, the citizen's "not solved" reopening, internal notes — and the public reads.

Every change runs in one :func:`tambon.db.write_transaction`, appends a ``complaint_events`` row with who
and when (the table refuses UPDATE/DELETE), and publishes a ``complaint.*`` topic after commit. The form,
the JSON API, Open311 and the office pages all call these functions.

Workflow (anything else is 409 ``illegal_transition``)::

    received ─acknowledge→ acknowledged ─assign→ assigned ─progress→ in_progress ─answer→ answered ─close→ closed
        │                      │  (assign again / progress / answer from acknowledged, assigned,    │
        └─reject / forward─────┴── in_progress or reopened)                                     citizen: reopen
                                                                                     answered|closed → reopened
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, overload

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake import access, codes, labels
from intake.calendar import due_dates, end_of_local_day, load_calendar
from intake.models import (
    CHANNELS,
    DONE_STATUSES,
    PUBLIC_CHANNELS,
    SOURCES,
    TYPES,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintPinAttempt,
    Status,
)
from intake.settings import DEFAULT_SETTINGS, IntakeSettings
from intake.uploads import CheckedFile
from tambon import events
from tambon.auth.models import Staff, User
from tambon.db import write_transaction
from tambon.errors import Conflict, DomainError, Invalid, NotFound
from tambon.thaidate import business_date, to_local, utcnow

MAX_SUBJECT = 200
MAX_DETAILS = 5000
MAX_PLACE = 300
MAX_NOTE = 5000
# Wrong PINs per complaint and client: PIN_FREE_TRIES free, then a lock-out of 1, 2, 4 … minutes, at most
# PIN_LOCK_MAX; a client's count is forgotten PIN_FORGET_AFTER after its last wrong PIN.
PIN_FREE_TRIES = 5
PIN_LOCK_MAX = timedelta(hours=1)
PIN_FORGET_AFTER = timedelta(days=1)
LOCAL_CLIENT = "local"  # callers without an address (the CLI, tests of the domain functions)

# action → statuses it may start from
ALLOWED_FROM = {
    "acknowledge": (Status.RECEIVED,),
    "assign": (Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED),
    "progress": (Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED),
    "answer": (Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED),
    "close": (Status.ANSWERED,),
    "reject": (Status.RECEIVED, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED),
    "forward": (Status.RECEIVED, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED),
    "reopen": (Status.ANSWERED, Status.CLOSED),
}
ACTION_TH = {"acknowledge": "ตอบรับ", "assign": "มอบหมาย", "progress": "บันทึกความคืบหน้า", "answer": "แจ้งผล",
             "close": "ยุติเรื่อง", "reject": "ไม่รับไว้พิจารณา", "forward": "ส่งต่อ", "reopen": "เปิดเรื่องใหม่"}


def allowed_actions(status: str) -> list[str]:
    return [a for a, starts in ALLOWED_FROM.items() if status in starts and a != "reopen"]


@dataclass(frozen=True)
class Submitted:
    tracking_code: str
    pin: str
    status: str
    received_at: datetime
    ack_due_at: datetime
    due_at: datetime
    complaint_id: int
    open311_id: str


# --- parsing: one validator for the form, the API and Open311 ----------------------------------------

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{7,18}$")
LINE_RE = re.compile(r"^[A-Za-z0-9._\-@]{1,50}$")


@overload
def _text(data: dict, key: str, th: str, en: str, *, required: Literal[True], min_len: int = 0,
          max_len: int) -> str: ...
@overload
def _text(data: dict, key: str, th: str, en: str, *, required: bool, min_len: int = 0,
          max_len: int) -> str | None: ...
def _text(data: dict, key: str, th: str, en: str, *, required: bool, min_len: int = 0, max_len: int) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Invalid(f"missing_{key}", f"กรุณากรอก{th}", f"Please fill in the {en}", field=key)
        return None
    if not isinstance(value, str):
        raise Invalid(f"bad_{key}", f"{th}ต้องเป็นข้อความ", f"The {en} must be text", field=key)
    # Length first: normalising megabytes of text takes seconds of CPU, during which a server process
    # answers nobody. Composing (NFC) shrinks text by far less than four times, so this refuses nothing
    # that would fit afterwards, except runs of blanks or control characters.
    if len(value) > 4 * max_len + 64:
        raise Invalid(f"long_{key}", f"{th}ยาวเกินไป (ไม่เกิน {max_len} ตัวอักษร)",
                      f"The {en} is too long (at most {max_len} characters)", field=key)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if len(value) < min_len:
        raise Invalid(f"short_{key}", f"{th}สั้นเกินไป (อย่างน้อย {min_len} ตัวอักษร)",
                      f"The {en} is too short (at least {min_len} characters)", field=key)
    if len(value) > max_len:
        raise Invalid(f"long_{key}", f"{th}ยาวเกินไป (ไม่เกิน {max_len} ตัวอักษร)",
                      f"The {en} is too long (at most {max_len} characters)", field=key)
    return value


def _bool(data: dict, key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("1", "true", "on", "yes"):
        return True
    if isinstance(value, str) and value.lower() in ("0", "false", "off", "no"):
        return False
    raise Invalid(f"bad_{key}", f"ช่อง {key} ต้องเป็นจริงหรือเท็จ", f"Field '{key}' must be true or false", field=key)


@dataclass
class Submission:
    type: str
    subject: str
    details: str
    place: str | None
    occurred_on: date | None
    channel: str
    source: str | None
    anonymous: bool
    contact: dict[str, str | None]
    notify: bool
    named_staff_text: str | None
    named_staff_user_id: int | None


def parse_submission(data: dict[str, Any], *, staff: bool = False, today: date | None = None) -> Submission:
    """Validate a submission (JSON body, form fields or Open311 parameters mapped to the same keys).
    Every rejection says in Thai and English what to fix."""
    if not isinstance(data, dict):
        raise Invalid("bad_json", "ข้อมูลไม่ถูกต้อง", "Malformed body")
    if data.get("website"):  # the honeypot: a field people never see and bots fill in
        raise Invalid("honeypot", "ระบบตรวจพบการกรอกแบบอัตโนมัติ (ช่อง website ต้องว่าง) หากท่านเป็นผู้ใช้จริง "
                                  "กรุณาลองใหม่โดยไม่กรอกช่องที่ซ่อนอยู่ หรือโทรแจ้งสำนักงาน",
                      "Automated submission suspected (the hidden 'website' field must stay empty)")
    ctype = data.get("type")
    if ctype not in TYPES:
        raise Invalid("bad_type", "กรุณาเลือกประเภทเรื่อง: " + ", ".join(labels.th("type_short", t) for t in TYPES),
                      "Field 'type' must be one of " + ", ".join(TYPES), field="type")
    subject = _text(data, "subject", "หัวเรื่อง", "subject", required=True, min_len=3, max_len=MAX_SUBJECT)
    details = _text(data, "details", "รายละเอียด", "details", required=True, min_len=10, max_len=MAX_DETAILS)
    place = _text(data, "place", "สถานที่", "place", required=False, max_len=MAX_PLACE)
    occurred_on = None
    raw_date = data.get("occurred_on")
    if raw_date not in (None, ""):
        try:
            occurred_on = date.fromisoformat(str(raw_date)[:10])
        except ValueError as exc:
            raise Invalid("bad_occurred_on", "วันที่เกิดเหตุไม่ถูกต้อง (รูปแบบ ปปปป-ดด-วว ค.ศ.)",
                          "occurred_on must be a date (YYYY-MM-DD)", field="occurred_on") from exc
        today = today or date.today()
        if occurred_on > today:
            raise Invalid("future_occurred_on", "วันที่เกิดเหตุต้องไม่เป็นวันในอนาคต",
                          "occurred_on cannot be in the future", field="occurred_on")
        if occurred_on.year < 2000:
            raise Invalid("old_occurred_on", "วันที่เกิดเหตุเก่าเกินไป (ตรวจว่าใช้ปี ค.ศ.)",
                          "occurred_on is too old (use the Gregorian year)", field="occurred_on")
    channel = data.get("channel") or "web"
    allowed = CHANNELS if staff else PUBLIC_CHANNELS
    if channel not in allowed:
        raise Invalid("bad_channel", "ช่องทางไม่ถูกต้อง: ใช้ได้ " + ", ".join(allowed)
                      + (" (โทรศัพท์/มาด้วยตนเอง/หนังสือ ให้เจ้าหน้าที่บันทึก)" if not staff else ""),
                      "Field 'channel' must be one of " + ", ".join(allowed), field="channel")
    source = data.get("source") or None
    if source is not None and source not in SOURCES:
        source = "other"
    anonymous = _bool(data, "anonymous")
    contact_in = data.get("contact") or {}
    if not isinstance(contact_in, dict):
        raise Invalid("bad_contact", "ข้อมูลติดต่อต้องเป็นออบเจกต์ {name, phone, email, line_id}",
                      "Field 'contact' must be an object {name, phone, email, line_id}", field="contact")
    contact = {
        "name": _text(contact_in, "name", "ชื่อผู้ติดต่อ", "contact name", required=False, max_len=200),
        "phone": _text(contact_in, "phone", "เบอร์โทรศัพท์", "phone number", required=False, max_len=40),
        "email": _text(contact_in, "email", "อีเมล", "e-mail", required=False, max_len=254),
        "line_id": _text(contact_in, "line_id", "LINE ID", "LINE ID", required=False, max_len=50),
    }
    if contact["phone"] and not PHONE_RE.match(contact["phone"]):
        raise Invalid("bad_phone", "เบอร์โทรศัพท์ไม่ถูกต้อง (ตัวเลข 9–15 หลัก)", "Phone number is not valid",
                      field="phone")
    if contact["email"] and not EMAIL_RE.match(contact["email"]):
        raise Invalid("bad_email", "อีเมลไม่ถูกต้อง", "E-mail address is not valid", field="email")
    if contact["line_id"] and not LINE_RE.match(contact["line_id"]):
        raise Invalid("bad_line_id", "LINE ID ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข และ . _ - @",
                      "LINE ID may contain only letters, digits and . _ - @", field="line_id")
    has_contact = any(contact.values())
    if anonymous and has_contact:
        raise Invalid("anonymous_with_contact",
                      "ท่านเลือก \"ไม่ประสงค์ออกนาม\" แต่กรอกข้อมูลติดต่อไว้ กรุณาเลือกอย่างใดอย่างหนึ่ง",
                      "You chose to stay anonymous but filled in contact details; choose one", field="anonymous")
    if not _bool(data, "consent"):
        raise Invalid("consent_required",
                      "กรุณายืนยันความยินยอมตามประกาศความเป็นส่วนตัว (PDPA) ก่อนส่งเรื่อง "
                      "ระบบใช้ข้อมูลเพื่อดำเนินการเรื่องของท่านเท่านั้น",
                      "Please give your consent under the privacy notice (PDPA) before sending", field="consent")
    named_text = _text(data, "named_staff", "ชื่อเจ้าหน้าที่ที่ถูกร้องเรียน", "named staff member",
                       required=False, max_len=200)
    named_id = data.get("named_staff_user_id") if staff else None
    if named_id in ("", None):
        named_id = None
    else:
        try:
            named_id = int(named_id)
        except (TypeError, ValueError) as exc:
            raise Invalid("bad_named_staff", "เจ้าหน้าที่ที่ถูกร้องเรียนไม่ถูกต้อง", "Bad named staff member") from exc
    return Submission(ctype, subject, details, place, occurred_on, channel, source, not has_contact,
                      contact, _bool(data, "notify") and bool(contact["email"]), named_text, named_id)


def dedupe_hash(sub: Submission) -> str:
    norm = " ".join(f"{sub.type}|{sub.subject}|{sub.details}".lower().split())
    return hashlib.sha256(norm.encode()).hexdigest()


# --- events ------------------------------------------------------------------------------------------

def _event(session: Session, c: Complaint, type_: str, at: datetime, user: Staff | None, *, actor: str = "staff",
           from_status: str | None = None, to_status: str | None = None, public: bool = False,
           text: str | None = None, detail: dict | None = None) -> None:
    session.execute(insert(ComplaintEvent).values(
        complaint_id=c.id, type=type_, at=at, user_id=user.id if user is not None else None, actor=actor,
        from_status=from_status, to_status=to_status, public=public, text=text, detail=detail))
    if actor == "staff":
        access.ensure_actionable(session, c)  # invariant 1, on every staff action (docs/COMPLAINTS.md)


def _publish(session: Session, topic: str, c: Complaint, at: datetime, **extra) -> None:
    # No personal data and no complaint text in the payload: subscribers (notices, sockets) look up what
    # they need and are allowed to see.
    events.publish(session, topic, {"complaint_id": c.id, "tracking_code": c.tracking_code, "type": c.type,
                                    "status": c.status, "division": c.division, "at": at.isoformat(), **extra})


# --- submit --------------------------------------------------------------------------------------------

def submit(session: Session, data: dict[str, Any], *, files: Sequence[CheckedFile] = (),
           staff_user: Staff | None = None,
           settings: IntakeSettings = DEFAULT_SETTINGS, now: datetime | None = None) -> Submitted:
    """Receive a complaint from any channel. Returns the tracking code and the PIN (shown once)."""
    now = now or utcnow()
    tz = settings.timezone
    sub = parse_submission(data, staff=staff_user is not None, today=business_date(now, tz))
    if len(files) > settings.max_files:
        raise Invalid("too_many_files", f"แนบไฟล์ได้ไม่เกิน {settings.max_files} ไฟล์",
                      f"At most {settings.max_files} files")
    digest = dedupe_hash(sub)
    pin = codes.new_pin()
    pin_hash = codes.hash_pin(pin)  # outside the write lock: PBKDF2 takes a few milliseconds
    with write_transaction(session):
        # The same text again (another person, a double tap, a retry): kept, marked for the officer as a
        # probable duplicate, and answered like any other. Never a word about the earlier one: its code is
        # that citizen's key to their case, and even "already received" would tell a stranger it exists.
        since = now - timedelta(hours=settings.duplicate_window_hours)
        earlier_id = session.scalar(select(Complaint.id).where(Complaint.dedupe_hash == digest,
                                                               Complaint.received_at >= since)
                                    .order_by(Complaint.id).limit(1))
        if sub.named_staff_user_id is not None and session.get(User, sub.named_staff_user_id) is None:
            raise Invalid("bad_named_staff", "ไม่พบเจ้าหน้าที่ที่ระบุ", "Unknown staff member")
        calendar = load_calendar(session, settings)
        ack_day, answer_day = due_dates(calendar, business_date(now, tz), settings.deadline_for(sub.type))
        code = codes.new_tracking_code()
        while session.scalar(select(Complaint.id).where(Complaint.tracking_code == code)) is not None:
            code = codes.new_tracking_code()  # 26^8 codes: practically never loops
        c = Complaint(
            tracking_code=code, pin_hash=pin_hash, type=sub.type, status=Status.RECEIVED,
            channel=sub.channel, source=sub.source, subject=sub.subject, details=sub.details, place=sub.place,
            occurred_on=sub.occurred_on, anonymous=sub.anonymous, contact_name=sub.contact["name"],
            contact_phone=sub.contact["phone"], contact_email=sub.contact["email"],
            contact_line_id=sub.contact["line_id"], notify_citizen=sub.notify, consent_at=now,
            named_staff_user_id=sub.named_staff_user_id, named_staff_text=sub.named_staff_text,
            received_at=now, ack_due_at=end_of_local_day(ack_day, tz), due_at=end_of_local_day(answer_day, tz),
            original_due_at=end_of_local_day(answer_day, tz),
            reopen_count=0, dedupe_hash=digest, created_by_user_id=staff_user.id if staff_user else None,
            duplicate_of_id=earlier_id, open311_id=new_open311_id(), updated_at=now)
        session.add(c)
        session.flush()
        for f in files:
            session.add(ComplaintAttachment(complaint_id=c.id, filename=f.filename, content_type=f.content_type,
                                            size=f.size, sha256=f.sha256, data=f.data, uploaded_at=now))
        _event(session, c, "submitted", now, staff_user, actor="staff" if staff_user else "citizen",
               to_status=Status.RECEIVED, public=True,
               detail={"channel": sub.channel, "source": sub.source, "files": len(files),
                       "probable_duplicate": earlier_id is not None})
        if sub.named_staff_user_id is not None:
            _event(session, c, "named_staff", now, staff_user, detail={"user_id": sub.named_staff_user_id})
        _publish(session, "complaint.submitted", c, now, channel=sub.channel, source=sub.source)
        result = Submitted(code, pin, c.status, now, c.ack_due_at, c.due_at, c.id, c.open311_id or "")
    return result


OPEN311_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def new_open311_id() -> str:
    """Open311's public request id: random, unrelated to the tracking code (36^12 ids)."""
    return "".join(secrets.choice(OPEN311_ALPHABET) for _ in range(12))


def probable_duplicate_of(session: Session, c: Complaint, user: User) -> str | None:
    """The tracking code of the earlier complaint with the same text, if this staff member may see it."""
    if c.duplicate_of_id is None:
        return None
    earlier = session.get(Complaint, c.duplicate_of_id)
    return earlier.tracking_code if earlier is not None and access.can_view(user, earlier) else None


# --- loading -------------------------------------------------------------------------------------------

def find(session: Session, code: str, *, for_update: bool = False) -> Complaint:
    normal = codes.normalize_code(code)
    if normal is None:
        raise NotFound("unknown_complaint", f"ไม่พบเรื่องรหัส {code} (รูปแบบ TB-XXXX-XXXX)",
                       f"No complaint {code} (format TB-XXXX-XXXX)")
    stmt = select(Complaint).where(Complaint.tracking_code == normal)
    if for_update:
        stmt = stmt.with_for_update()
    c = session.scalar(stmt)
    if c is None:
        raise NotFound("unknown_complaint", f"ไม่พบเรื่องรหัส {normal}", f"No complaint {normal}")
    return c


def find_for(session: Session, code: str, user: User) -> Complaint:
    """A complaint the staff member may see (404 otherwise, as if it did not exist)."""
    c = find(session, code)
    access.require_view(user, c)
    return c


# --- office workflow -------------------------------------------------------------------------------------

def _illegal(c: Complaint, action: str) -> Conflict:
    return Conflict("illegal_transition",
                    f"เรื่อง {c.tracking_code} อยู่ในสถานะ \"{labels.th('status', c.status)}\" "
                    f"จึง{ACTION_TH[action]}ไม่ได้",
                    f"Complaint {c.tracking_code} is {c.status}; cannot {action} it", status_now=c.status)


def _start(session: Session, code: str, user: User | None, action: str, *, citizen: bool = False) -> Complaint:
    c = find(session, code, for_update=True)
    if not citizen:
        access.require_act(user, c)
    if c.status not in ALLOWED_FROM[action]:
        raise _illegal(c, action)
    return c


@overload
def _note_text(text: str | None, *, required: Literal[True], th: str, en: str) -> str: ...
@overload
def _note_text(text: str | None, *, required: bool, th: str, en: str) -> str | None: ...
def _note_text(text: str | None, *, required: bool, th: str, en: str) -> str | None:
    return _text({"text": text}, "text", th, en, required=required, max_len=MAX_NOTE)


def _finish(session: Session, c: Complaint, now: datetime) -> None:
    c.answered_at = now
    c.first_answered_at = c.first_answered_at or now
    if c.acknowledged_at is None:
        c.acknowledged_at = now  # a final answer is also the first response


def acknowledge(session: Session, code: str, user: User, *, note: str | None = None,
                now: datetime | None = None) -> Complaint:
    now = now or utcnow()
    note = _note_text(note, required=False, th="ข้อความ", en="note")
    with write_transaction(session):
        c = _start(session, code, user, "acknowledge")
        before, c.status, c.acknowledged_at, c.updated_at = c.status, Status.ACKNOWLEDGED, now, now
        _event(session, c, "acknowledged", now, user, from_status=before, to_status=c.status, public=True, text=note)
        _publish(session, "complaint.acknowledged", c, now)
    return c


def assign(session: Session, code: str, user: User, *, division: str, assignee_id: int | None = None,
           settings: IntakeSettings = DEFAULT_SETTINGS, now: datetime | None = None) -> Complaint:
    """Send to a division (public: the citizen sees which division) and optionally to one officer."""
    now = now or utcnow()
    if division not in settings.divisions:
        raise Invalid("bad_division", "กรุณาเลือกหน่วยงาน: " + ", ".join(settings.divisions),
                      "Choose a division: " + ", ".join(settings.divisions), field="division")
    with write_transaction(session):
        c = _start(session, code, user, "assign")
        if not access.can_assign(user, c):
            raise access.Forbidden("confidential_assign",
                                   "เรื่องร้องเรียนเจ้าหน้าที่และเรื่องทุจริตมอบหมายได้โดยผู้บริหารเท่านั้น "
                                   "(เรื่องที่ระบุผู้บริหาร: ผู้ตรวจสอบ)",
                                   "Only the executive assigns staff-conduct and corruption complaints "
                                   "(complaints naming the executive: an oversight officer)")
        if assignee_id is not None:
            if c.named_staff_user_id == assignee_id:
                raise Conflict("assignee_named", "มอบหมายเรื่องให้เจ้าหน้าที่ที่ถูกร้องเรียนไม่ได้",
                               "Cannot assign a complaint to the staff member it names")
            access.check_assignee(session, c, session.get(User, assignee_id))
        before = c.status
        c.status, c.division, c.assigned_user_id, c.updated_at = Status.ASSIGNED, division, assignee_id, now
        _event(session, c, "assigned", now, user, from_status=before, to_status=c.status, public=True,
               detail={"division": division, "assignee_id": assignee_id})
        _publish(session, "complaint.assigned", c, now, assignee_id=assignee_id)
    return c


def progress(session: Session, code: str, user: User, *, note: str, now: datetime | None = None) -> Complaint:
    """A progress update the citizen sees on the status page."""
    now = now or utcnow()
    note = _note_text(note, required=True, th="ความคืบหน้า", en="progress note")
    with write_transaction(session):
        c = _start(session, code, user, "progress")
        before, c.status, c.updated_at = c.status, Status.IN_PROGRESS, now
        if c.acknowledged_at is None:
            c.acknowledged_at = now
        _event(session, c, "progress", now, user, from_status=before, to_status=c.status, public=True, text=note)
        _publish(session, "complaint.progress", c, now)
    return c


def add_note(session: Session, code: str, user: User, *, note: str, now: datetime | None = None) -> Complaint:
    """An internal note: never shown to the citizen, never in the API or Open311."""
    now = now or utcnow()
    note = _note_text(note, required=True, th="บันทึกภายใน", en="internal note")
    with write_transaction(session):
        c = find(session, code, for_update=True)
        access.require_act(user, c)
        c.updated_at = now
        _event(session, c, "note", now, user, public=False, text=note)
    return c


def record_staff_step(session: Session, c: Complaint, user: User, type_: str, *, now: datetime,
                      text: str | None = None) -> None:
    """Inside the caller's write transaction: a step another package took on this case at a staff member's
    hand (notify: "stop notices to the citizen"), as an internal line of its history. Refused unless the
    staff member may act on the case (404 when they may not even see it)."""
    access.require_act(user, c)
    _event(session, c, type_, now, user, public=False, text=text)


def answer(session: Session, code: str, user: User, *, text: str, close: bool = False,
           now: datetime | None = None) -> Complaint:
    """The office's answer to the citizen (readable with the PIN); ``close`` ends the case at once."""
    now = now or utcnow()
    text = _note_text(text, required=True, th="คำตอบถึงผู้ร้อง", en="answer")
    with write_transaction(session):
        c = _start(session, code, user, "answer")
        before = c.status
        c.status, c.public_answer, c.updated_at = Status.ANSWERED, text, now
        _finish(session, c, now)
        _event(session, c, "answered", now, user, from_status=before, to_status=c.status, public=True,
               detail={"answer": True})
        if close:
            c.status, c.closed_at = Status.CLOSED, now
            _event(session, c, "closed", now, user, from_status=Status.ANSWERED, to_status=c.status, public=True)
        _publish(session, "complaint.closed" if close else "complaint.answered", c, now)
    return c


def close(session: Session, code: str, user: User, *, note: str | None = None, now: datetime | None = None) -> Complaint:
    now = now or utcnow()
    note = _note_text(note, required=False, th="ข้อความ", en="note")
    with write_transaction(session):
        c = _start(session, code, user, "close")
        before, c.status, c.closed_at, c.updated_at = c.status, Status.CLOSED, now, now
        _event(session, c, "closed", now, user, from_status=before, to_status=c.status, public=True, text=note)
        _publish(session, "complaint.closed", c, now)
    return c


def reject(session: Session, code: str, user: User, *, reason: str, now: datetime | None = None) -> Complaint:
    """Not taken up (e.g. outside the office's powers, no facts to act on); the reason is public."""
    now = now or utcnow()
    reason = _note_text(reason, required=True, th="เหตุผลที่ไม่รับไว้พิจารณา", en="reason")
    with write_transaction(session):
        c = _start(session, code, user, "reject")
        before = c.status
        c.status, c.reject_reason, c.closed_at, c.updated_at = Status.REJECTED, reason, now, now
        _finish(session, c, now)
        _event(session, c, "rejected", now, user, from_status=before, to_status=c.status, public=True, text=reason)
        _publish(session, "complaint.rejected", c, now)
    return c


def forward(session: Session, code: str, user: User, *, agency: str, note: str | None = None,
            now: datetime | None = None) -> Complaint:
    """Sent to the agency that can act (e.g. อำเภอ, การไฟฟ้าส่วนภูมิภาค); the agency's name is public."""
    now = now or utcnow()
    agency = _text({"agency": agency}, "agency", "ชื่อหน่วยงานที่ส่งต่อ", "agency", required=True, max_len=200)
    note = _note_text(note, required=False, th="ข้อความ", en="note")
    with write_transaction(session):
        c = _start(session, code, user, "forward")
        before = c.status
        c.status, c.forwarded_to, c.closed_at, c.updated_at = Status.FORWARDED, agency, now, now
        _finish(session, c, now)
        _event(session, c, "forwarded", now, user, from_status=before, to_status=c.status, public=True,
               text=note, detail={"agency": agency})
        _publish(session, "complaint.forwarded", c, now)
    return c


def set_named_staff(session: Session, code: str, user: User, *, named_user_id: int | None,
                    reason: str | None = None, now: datetime | None = None) -> Complaint:
    """Record which staff member the complaint is about (from then on they cannot see it, even if they are
    the one recording it: a recusal), or clear it.
    Only the executive or an oversight officer may (access.may_set_named_staff); a clearing needs a reason,
    and both are in the case's event log, which the executive sees."""
    now = now or utcnow()
    with write_transaction(session):
        c = find(session, code, for_update=True)
        access.require_named_staff(user, c)
        before = c.named_staff_user_id
        if named_user_id is not None:
            if session.get(User, named_user_id) is None:
                raise Invalid("bad_named_staff", "ไม่พบเจ้าหน้าที่ที่ระบุ", "Unknown staff member")
            # Naming oneself is how an executive recuses from a complaint about them (e.g. a citizen's,
            # naming the นายก only in words): it moves to oversight, as long as someone can act on it (1).
            if c.assigned_user_id == named_user_id:
                c.assigned_user_id = None  # the named person loses the case at once
        elif before is not None:
            reason = _note_text(reason, required=True, th="เหตุผลที่ล้างชื่อเจ้าหน้าที่ที่ถูกร้องเรียน",
                                en="reason for clearing the named staff member")
        if named_user_id == before:
            return c
        c.named_staff_user_id, c.updated_at = named_user_id, now
        _event(session, c, "named_staff" if named_user_id is not None else "named_staff_cleared", now, user,
               text=reason if named_user_id is None else None,
               detail={"user_id": named_user_id, "previous_user_id": before})
    return c


# --- the citizen --------------------------------------------------------------------------------------------

def pin_lock_for(failures: int) -> timedelta | None:
    """How long a client is locked out after its ``failures``-th wrong PIN: the first PIN_FREE_TRIES are
    free, then one minute, doubling with each further wrong PIN up to PIN_LOCK_MAX."""
    if failures < PIN_FREE_TRIES:
        return None
    return min(timedelta(minutes=2 ** (failures - PIN_FREE_TRIES)), PIN_LOCK_MAX)


def _pin_locked(until: datetime, now: datetime) -> DomainError:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return DomainError("pin_locked", f"ใส่ PIN ผิดหลายครั้ง กรุณารอ {minutes} นาทีแล้วลองใหม่ หรือติดต่อสำนักงาน",
                       f"Too many wrong PINs; try again in {minutes} minute(s) or contact the office", status=429,
                       retry_after=int((until - now).total_seconds()) + 1)


def _count_wrong_pin(session: Session, key: dict, now: datetime) -> None:
    with write_transaction(session):
        attempt = session.scalar(select(ComplaintPinAttempt).filter_by(**key).with_for_update())
        if attempt is None:
            attempt = ComplaintPinAttempt(**key, failures=0, last_failed_at=now)
            session.add(attempt)
        elif attempt.last_failed_at < now - PIN_FORGET_AFTER:
            attempt.failures = 0  # a wrong PIN long ago does not count against today's tries
        attempt.failures += 1
        attempt.last_failed_at = now
        lock = pin_lock_for(attempt.failures)
        attempt.locked_until = now + lock if lock is not None else None


def verify_pin(session: Session, code: str, pin: str | None, *, client: str = LOCAL_CLIENT,
               now: datetime | None = None) -> Complaint:
    """The complaint, if the PIN is right. Wrong PINs are counted per complaint *and client* (see
    ComplaintPinAttempt): a client that keeps guessing waits longer and longer, while the citizen, from
    any other address, reads their answer as before."""
    now = now or utcnow()
    c = find(session, code)
    key = {"complaint_id": c.id, "client": client}
    attempt = session.get(ComplaintPinAttempt, key)
    if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
        raise _pin_locked(attempt.locked_until, now)
    if isinstance(pin, str) and pin.strip().isdigit() and codes.check_pin(pin.strip(), c.pin_hash):
        if attempt is not None:
            with write_transaction(session):
                session.execute(delete(ComplaintPinAttempt).where(ComplaintPinAttempt.complaint_id == c.id,
                                                                  ComplaintPinAttempt.client == client))
        return c
    try:
        _count_wrong_pin(session, key, now)
    except IntegrityError:  # the same client's first wrong PIN twice at once: the other one inserted the row
        _count_wrong_pin(session, key, now)
    raise access.Forbidden("bad_pin", "PIN ไม่ถูกต้อง (PIN 6 หลักที่ได้รับตอนส่งเรื่อง)",
                           "Wrong PIN (the 6-digit PIN you got when you sent the complaint)")


def reopen(session: Session, code: str, pin: str, *, reason: str | None, settings: IntakeSettings = DEFAULT_SETTINGS,
           client: str = LOCAL_CLIENT, now: datetime | None = None) -> Complaint:
    """The citizen says the answer did not solve the problem. Counted in statistics as "closed, not solved";
    the case gets a new answer deadline."""
    now = now or utcnow()
    reason = _text({"reason": reason}, "reason", "เหตุผลที่ยังไม่ได้รับการแก้ไข", "reason", required=True,
                   min_len=3, max_len=2000)
    verify_pin(session, code, pin, client=client, now=now)
    with write_transaction(session):
        c = _start(session, code, None, "reopen", citizen=True)
        tz = settings.timezone
        _ack, answer_day = due_dates(load_calendar(session, settings), business_date(now, tz),
                                     settings.deadline_for(c.type))
        before = c.status
        c.status, c.reopen_count, c.closed_at, c.updated_at = Status.REOPENED, c.reopen_count + 1, None, now
        c.due_at = end_of_local_day(answer_day, tz)
        _event(session, c, "reopened", now, None, actor="citizen", from_status=before, to_status=c.status,
               public=True, text=reason)
        _publish(session, "complaint.reopened", c, now)
    return c


# --- reads -------------------------------------------------------------------------------------------------

def iso(moment: datetime | None, tz: str) -> str | None:
    return to_local(moment, tz).isoformat(timespec="seconds") if moment else None


PUBLIC_TEXT_EVENTS = ("acknowledged", "progress", "closed", "rejected", "forwarded")


def public_history(session: Session, c: Complaint, tz: str) -> list[dict]:
    """Public status changes: what happened and when, the division, public notes. Never who complained,
    never internal notes or staff names. A citizen's own reopening reason is not repeated either."""
    rows = session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id,
                                                        ComplaintEvent.public.is_(True))
                           .order_by(ComplaintEvent.id)).all()
    history = []
    for e in rows:
        item = {"at": iso(e.at, tz), "event": e.type, "status": e.to_status,
                "status_th": labels.th("status", e.to_status), "status_en": labels.en("status", e.to_status),
                "note": e.text if e.type in PUBLIC_TEXT_EVENTS else None}
        if e.type == "assigned" and e.detail:
            item["division"] = e.detail.get("division")
        if e.type == "forwarded" and e.detail:
            item["agency"] = e.detail.get("agency")
        history.append(item)
    return history


def public_status(session: Session, code: str, *, pin: str | None = None, tz: str = "Asia/Bangkok",
                  client: str = LOCAL_CLIENT, now: datetime | None = None) -> dict:
    """What anyone with the code may see; the answer (and the subject) only with the PIN."""
    now = now or utcnow()
    c = verify_pin(session, code, pin, client=client, now=now) if pin not in (None, "") else find(session, code)
    body = {
        "tracking_code": c.tracking_code, "type": c.type, "type_th": labels.th("type", c.type),
        "type_en": labels.en("type", c.type), "status": c.status, "status_th": labels.th("status", c.status),
        "status_en": labels.en("status", c.status), "open": c.is_open, "division": c.division,
        "received_at": iso(c.received_at, tz), "acknowledged_at": iso(c.acknowledged_at, tz),
        "ack_due_at": iso(c.ack_due_at, tz), "due_at": iso(c.due_at, tz), "answered_at": iso(c.answered_at, tz),
        "closed_at": iso(c.closed_at, tz), "overdue": c.is_open and c.due_at < now,
        "reopen_count": c.reopen_count, "history": public_history(session, c, tz),
    }
    if pin not in (None, ""):
        body["answer"] = {"subject": c.subject, "text": c.public_answer, "reject_reason": c.reject_reason,
                          "forwarded_to": c.forwarded_to, "answered_at": iso(c.answered_at, tz)}
        body["can_reopen"] = c.status in ALLOWED_FROM["reopen"]
    return body


def is_done(status: str) -> bool:
    return status in DONE_STATUSES
