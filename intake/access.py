"""Who may see what — the confidentiality rules of the complaint desk, in one place.

- Nobody ever sees a complaint that names them (``named_staff_user_id``), whatever their role.
- Complaints about staff conduct and corruption reports: the executive (นายก/ปลัด) and the one officer
  they are assigned to. Not other officers, not admin (the IT clerk) unless assigned.
- Other complaints: officers, the executive and admin. Counter staff only enter complaints; they have no
  inbox.
- Personal data (the complainant's contact details and attachments): officers and the executive who may
  see the complaint, or whoever it is assigned to. Admin sees the case but not who sent it. Each view is
  written to the append-only ``complaint_access_log``.
"""

from __future__ import annotations

from sqlalchemy import and_, insert, or_
from sqlalchemy.orm import Session

from intake.models import CONFIDENTIAL_TYPES, Complaint, ComplaintAccessLog
from tambon.auth.models import Role, User
from tambon.errors import DomainError
from tambon.thaidate import utcnow

INBOX_ROLES = (Role.OFFICER, Role.EXECUTIVE, Role.ADMIN)
ENTRY_ROLES = (Role.COUNTER, Role.OFFICER, Role.EXECUTIVE, Role.ADMIN)
PERSONAL_DATA_ROLES = (Role.OFFICER, Role.EXECUTIVE)


class Forbidden(DomainError):
    status = 403


def can_view(user: User | None, c: Complaint) -> bool:
    if user is None or not user.active:
        return False
    if c.named_staff_user_id is not None and c.named_staff_user_id == user.id:
        return False
    if c.type in CONFIDENTIAL_TYPES:
        return user.role == Role.EXECUTIVE or (c.assigned_user_id is not None and c.assigned_user_id == user.id)
    return user.role in INBOX_ROLES


def can_act(user: User | None, c: Complaint) -> bool:
    if user is None:
        return False
    return can_view(user, c) and user.role in INBOX_ROLES


def can_view_personal(user: User | None, c: Complaint) -> bool:
    if user is None:
        return False
    return can_view(user, c) and (user.role in PERSONAL_DATA_ROLES or c.assigned_user_id == user.id)


def can_assign(user: User | None, c: Complaint) -> bool:
    """Confidential complaints are routed by the executive only."""
    if user is None or not can_act(user, c):
        return False
    return user.role == Role.EXECUTIVE if c.type in CONFIDENTIAL_TYPES else True


def visible_clause(user: User):
    """SQL condition: the complaints this user may see (for the inbox and the digest)."""
    not_named = or_(Complaint.named_staff_user_id.is_(None), Complaint.named_staff_user_id != user.id)
    if user.role == Role.EXECUTIVE:
        return not_named
    if user.role not in INBOX_ROLES:
        return Complaint.id.is_(None)  # nothing
    return and_(not_named, or_(Complaint.type.notin_(CONFIDENTIAL_TYPES), Complaint.assigned_user_id == user.id))


def not_found(code: str) -> DomainError:
    # Same answer as for a code that does not exist: do not confirm that a hidden complaint exists.
    from tambon.errors import NotFound

    return NotFound("unknown_complaint", f"ไม่พบเรื่องรหัส {code}", f"No complaint {code}")


def require_view(user: User | None, c: Complaint) -> None:
    if not can_view(user, c):
        raise not_found(c.tracking_code)


def require_act(user: User | None, c: Complaint) -> None:
    require_view(user, c)
    if not can_act(user, c):
        raise Forbidden("forbidden", "ท่านไม่มีสิทธิ์ดำเนินการเรื่องนี้", "Your role may not work on this complaint")


def require_personal(user: User | None, c: Complaint) -> None:
    require_view(user, c)
    if not can_view_personal(user, c):
        raise Forbidden("no_personal_data", "บทบาทของท่านดูข้อมูลส่วนบุคคลของผู้ร้องไม่ได้",
                        "Your role may not see the complainant's personal data")


def log_access(session: Session, c: Complaint, user: User, what: str, address: str | None = None) -> None:
    """Record that ``user`` was shown personal data of complaint ``c`` (inside the caller's transaction)."""
    session.execute(insert(ComplaintAccessLog).values(
        complaint_id=c.id, user_id=user.id, at=utcnow(), what=what[:32], address=(address or "")[:64] or None))
