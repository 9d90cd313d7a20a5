"""Overdue and nearly-due lists and the daily digest for each responsible officer and the executive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from intake import access, labels
from intake.calendar import end_of_local_day, load_calendar
from intake.models import CONFIDENTIAL_TYPES, OPEN_STATUSES, Complaint, Status
from intake.settings import DEFAULT_SETTINGS, IntakeSettings
from tambon.auth.models import Role, User
from tambon.thaidate import business_date, format_date, to_local, utcnow


def nearly_due_limit(session: Session, settings: IntakeSettings, now: datetime) -> datetime:
    calendar = load_calendar(session, settings)
    day = calendar.add_working_days(business_date(now, settings.timezone), settings.nearly_due_working_days)
    return end_of_local_day(day, settings.timezone)


def overdue_clause(now: datetime):
    return and_(Complaint.status.in_(OPEN_STATUSES), Complaint.due_at < now)


def nearly_due_clause(now: datetime, limit: datetime):
    return and_(Complaint.status.in_(OPEN_STATUSES), Complaint.due_at >= now, Complaint.due_at <= limit)


def ack_overdue_clause(now: datetime):
    return and_(Complaint.status == Status.RECEIVED, Complaint.ack_due_at < now)


@dataclass
class Digest:
    recipient: User
    overdue: list[Complaint] = field(default_factory=list)
    nearly_due: list[Complaint] = field(default_factory=list)
    not_acknowledged: list[Complaint] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.nearly_due or self.not_acknowledged)

    def render(self, settings: IntakeSettings, now: datetime) -> str:
        tz = settings.timezone

        def line(c: Complaint, deadline: str) -> str:
            subject = "(เรื่องลับ)" if c.type in CONFIDENTIAL_TYPES else c.subject[:60]
            # The deadline the list is about: the answer's, or the acknowledgement's for late acknowledgements.
            moment = c.ack_due_at if deadline == "ack" else c.due_at
            due = format_date(to_local(moment, tz).date())
            due_words = "กำหนดตอบรับ" if deadline == "ack" else "กำหนดแจ้งผล"
            return (f"  {c.tracking_code}  {labels.th('type_short', c.type)}  {labels.division(c.division)}  "
                    f"{due_words} {due}  {subject}")

        out = [f"สรุปเรื่องร้องเรียนประจำวัน {format_date(business_date(now, tz))} — {self.recipient.display_name}"]
        for title, rows, deadline in (("เกินกำหนดแจ้งผล", self.overdue, "answer"),
                                      ("ใกล้ครบกำหนด", self.nearly_due, "answer"),
                                      ("ยังไม่ได้ตอบรับเรื่อง (เกินกำหนดตอบรับ)", self.not_acknowledged, "ack")):
            out.append(f"{title}: {len(rows)} เรื่อง")
            out.extend(line(c, deadline) for c in rows)
        return "\n".join(out)


def _responsible(user: User):
    """The officer's own work: assigned to them, or in their division with nobody assigned."""
    mine = Complaint.assigned_user_id == user.id
    if user.division:
        mine = or_(mine, and_(Complaint.assigned_user_id.is_(None), Complaint.division == user.division))
    return mine


def _unowned():
    """Nobody's yet: no division and no assignee. Every officer's digest lists these until one takes it."""
    return and_(Complaint.assigned_user_id.is_(None), Complaint.division.is_(None))


def build_digests(session: Session, *, settings: IntakeSettings = DEFAULT_SETTINGS,
                  now: datetime | None = None) -> list[Digest]:
    """One digest per active officer (their own cases, and the unacknowledged cases nobody owns yet) and per
    executive (everything they may see). Confidential cases appear only where visible."""
    now = now or utcnow()
    limit = nearly_due_limit(session, settings, now)
    digests = []
    users = session.scalars(select(User).where(User.active.is_(True),
                                               User.role.in_((Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)))
                            .order_by(User.role, User.username)).all()
    for user in users:
        scope = access.visible_clause(user)
        if user.role == Role.OFFICER:
            scope = and_(scope, _responsible(user))

        def fetch(cond, scope=scope):
            return session.scalars(select(Complaint).where(scope, cond).order_by(Complaint.due_at)).all()

        visible = access.visible_clause(user)
        waiting = ack_overdue_clause(now)
        not_acknowledged = session.scalars(
            select(Complaint).where(visible, waiting, or_(_responsible(user), _unowned())).order_by(Complaint.ack_due_at)
        ).all() if user.role == Role.OFFICER else fetch(waiting)
        digest = Digest(user, fetch(overdue_clause(now)), fetch(nearly_due_clause(now, limit)), list(not_acknowledged))
        digests.append(digest)
    return digests
