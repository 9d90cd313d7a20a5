"""Who may see and do what on a complaint — the confidentiality model, in one place (docs/COMPLAINTS.md).

Who may *see* a case (``can_view``; ``visible_clause`` is the same rule in SQL, for the inbox):

- Nobody ever sees a case that names them (``named_staff_user_id``), whatever their role.
- A case naming an executive (นายก/ปลัด) goes to the oversight route: the oversight officers, and an officer
  an oversight officer assigns it to. No executive sees it; admin does not either.
- Staff-conduct and corruption cases (confidential): the executive, and the officer they assign it to.
  Not other officers, not admin.
- Other cases: officers, the executive and admin.
- Counter staff only enter complaints; oversight officers see only the oversight route (and what is
  assigned to them).

Invariants, checked after *every* change of a case or of an account, inside its transaction (a change that
breaks one is refused and rolled back, with a 409 in Thai and English):

1. Every case has at least one active person, not named in it, who can act on it (``ensure_actionable``).
2. Only the executive and oversight officers set or clear "named staff" (``may_set_named_staff``); every
   change is in the case's event log, and a clearing carries its reason.
3. A case naming an executive is seen by no executive; it is always routed to oversight (1 holds for it).
4. Role grants that open these cases are the account rule's (tambon/auth/policy.py): never admin alone.

Personal data (the complainant's contact details and attachments): officers, the executive and oversight
officers who may see the case, or whoever it is assigned to; each view is written to the append-only
``complaint_access_log``. Admin sees a general case but not who sent it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, insert, or_, select, text
from sqlalchemy.orm import Session, object_session

from intake.models import CONFIDENTIAL_TYPES, Complaint, ComplaintAccessLog
from tambon.auth.models import Role, User
from tambon.errors import Conflict, DomainError
from tambon.thaidate import utcnow

INBOX_ROLES = (Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT, Role.ADMIN)
ENTRY_ROLES = (Role.COUNTER, Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT, Role.ADMIN)
PERSONAL_DATA_ROLES = (Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)
# Roles a case can be assigned to (and then seen through the assignment).
ASSIGNEE_ROLES = (Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)
NAMED_STAFF_ROLES = (Role.EXECUTIVE, Role.OVERSIGHT)


class Forbidden(DomainError):
    status = 403


def _named_role(c: Complaint, session: Session | None = None) -> str | None:
    if c.named_staff_user_id is None:
        return None
    session = session or object_session(c)
    named = session.get(User, c.named_staff_user_id) if session is not None else None
    return named.role if named is not None else None


def names_executive(c: Complaint, session: Session | None = None) -> bool:
    """Does the case name someone who is an executive now? (A role change re-routes it at once.)"""
    return _named_role(c, session) == Role.EXECUTIVE


def visible(user_id: int, role: str, active: bool, *, type: str, named_id: int | None, named_role: str | None,
            assigned_id: int | None) -> bool:
    """The rule itself, on plain values (the invariant checks evaluate it for accounts before and after a
    change without loading every case)."""
    if not active or (named_id is not None and named_id == user_id):
        return False
    assigned = assigned_id is not None and assigned_id == user_id and role in ASSIGNEE_ROLES
    if named_role == Role.EXECUTIVE:
        return role == Role.OVERSIGHT or (assigned and role != Role.EXECUTIVE)
    if type in CONFIDENTIAL_TYPES:
        return role == Role.EXECUTIVE or assigned
    return role in (Role.OFFICER, Role.EXECUTIVE, Role.ADMIN) or assigned


def can_view(user: Any, c: Complaint, session: Session | None = None) -> bool:
    if user is None:
        return False
    return visible(user.id, user.role, getattr(user, "active", True), type=c.type, named_id=c.named_staff_user_id,
                   named_role=_named_role(c, session), assigned_id=c.assigned_user_id)


def can_act(user: Any, c: Complaint, session: Session | None = None) -> bool:
    return user is not None and user.role in INBOX_ROLES and can_view(user, c, session)


def can_view_personal(user: Any, c: Complaint) -> bool:
    if user is None:
        return False
    return can_view(user, c) and (user.role in PERSONAL_DATA_ROLES or c.assigned_user_id == user.id)


def can_assign(user: Any, c: Complaint) -> bool:
    """Oversight cases are routed by an oversight officer, confidential ones by the executive only."""
    if user is None or not can_act(user, c):
        return False
    if names_executive(c):
        return user.role == Role.OVERSIGHT
    return user.role == Role.EXECUTIVE if c.type in CONFIDENTIAL_TYPES else True


def may_set_named_staff(user: Any, c: Complaint) -> bool:
    """Only the executive or an oversight officer who can act on the case records or clears named staff."""
    return user is not None and user.role in NAMED_STAFF_ROLES and can_act(user, c)


def visible_clause(user: User):
    """SQL condition: the complaints this user may see (for the inbox and the digest). Same rule as can_view."""
    if not user.active or user.role not in INBOX_ROLES:
        return false()
    executive_ids = select(User.id).where(User.role == Role.EXECUTIVE)
    not_named = or_(Complaint.named_staff_user_id.is_(None), Complaint.named_staff_user_id != user.id)
    about_executive = and_(Complaint.named_staff_user_id.is_not(None),
                           Complaint.named_staff_user_id.in_(executive_ids))
    not_about_executive = or_(Complaint.named_staff_user_id.is_(None),
                              Complaint.named_staff_user_id.not_in(executive_ids))
    assigned = Complaint.assigned_user_id == user.id if user.role in ASSIGNEE_ROLES else false()
    if user.role == Role.OVERSIGHT:
        return and_(not_named, or_(about_executive, assigned))
    if user.role == Role.EXECUTIVE:
        return and_(not_named, not_about_executive)
    general = Complaint.type.not_in(CONFIDENTIAL_TYPES)
    if user.role == Role.ADMIN:
        return and_(not_named, not_about_executive, general)
    # officer
    return and_(not_named, or_(and_(not_about_executive, general), assigned))


def actors(session: Session, c: Complaint) -> list[User]:
    """The active staff who can act on the case now (never whoever it names)."""
    staff = session.scalars(select(User).where(User.active.is_(True), User.role.in_(INBOX_ROLES))).all()
    return [u for u in staff if can_act(u, c, session)]


def assignable(session: Session, c: Complaint) -> list[User]:
    """Whom the case may be assigned to: those who, once assigned, could act on it."""
    staff = session.scalars(select(User).where(User.active.is_(True), User.role.in_(ASSIGNEE_ROLES + (Role.ADMIN,)))
                            .order_by(User.display_name)).all()
    return [u for u in staff if _could_act_if_assigned(session, u, c)]


def _could_act_if_assigned(session: Session, user: User, c: Complaint) -> bool:
    if c.named_staff_user_id == user.id:
        return False
    if names_executive(c, session):
        return user.role in (Role.OFFICER, Role.OVERSIGHT)
    if c.type in CONFIDENTIAL_TYPES:
        return user.role in ASSIGNEE_ROLES
    return user.role in ASSIGNEE_ROLES + (Role.ADMIN,)


def check_assignee(session: Session, c: Complaint, assignee: User | None) -> None:
    from tambon.errors import Invalid

    if assignee is None or not assignee.active or not _could_act_if_assigned(session, assignee, c):
        raise Invalid("bad_assignee", "ผู้รับผิดชอบต้องเป็นเจ้าหน้าที่ที่ดูเรื่องนี้ได้ และไม่ใช่ผู้ถูกร้องเรียน",
                      "The assignee must be staff who may see this complaint, and not the person it names",
                      field="assignee")


def nobody_left() -> Conflict:
    return Conflict("nobody_left",
                    "ทำรายการนี้ไม่ได้: เรื่องร้องเรียนจะไม่เหลือผู้ใดดำเนินการได้ (เรื่องที่ระบุผู้บริหารต้องมีผู้ตรวจสอบ"
                    "ที่กำหนดไว้อย่างน้อยหนึ่งคน: tambon user add ชื่อ --role oversight)",
                    "Refused: a complaint would be left with nobody who can act on it (a complaint naming the "
                    "executive needs at least one oversight officer: tambon user add NAME --role oversight)")


# Checks of invariant 1 run one at a time on PostgreSQL (a transaction-scoped advisory lock): under READ
# COMMITTED two changes checked side by side — say, two oversight officers deactivated at once — would each
# see the other still active, and both pass. The one that waits sees the first one's commit. (SQLite
# already runs one write at a time.)
INVARIANT_LOCK = 0x74616D62  # "tamb"


def serialize_checks(session: Session) -> None:
    """Call after flushing this transaction's changes."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INVARIANT_LOCK})
        session.expire_all()  # read accounts and cases again: what committed while we waited counts


def ensure_actionable(session: Session, c: Complaint) -> None:
    """Invariant 1 for one case, inside the changing transaction (flushes first)."""
    session.flush()
    serialize_checks(session)
    if not actors(session, c):
        raise nobody_left()


Accounts = dict[int, tuple[str, bool]]  # user id → (role, active)


def _accounts(session: Session) -> Accounts:
    return {row.id: (row.role, row.active) for row in session.execute(select(User.id, User.role, User.active))}


def stranded(session: Session, accounts: Accounts) -> set[int]:
    """Ids of the cases nobody could act on if the accounts were as given (invariant 1 over every case).
    Reads four columns per case and evaluates the rule in Python: account changes are rare."""
    staff = [(uid, role) for uid, (role, active) in accounts.items() if active and role in INBOX_ROLES]
    found = set()
    rows = session.execute(select(Complaint.id, Complaint.type, Complaint.named_staff_user_id,
                                  Complaint.assigned_user_id))
    for cid, ctype, named_id, assigned_id in rows:
        named_role = accounts[named_id][0] if named_id in accounts else None
        if not any(visible(uid, role, True, type=ctype, named_id=named_id, named_role=named_role,
                           assigned_id=assigned_id) for uid, role in staff):
            found.add(cid)
    return found


def on_account_changed(session: Session, topic: str, payload: dict) -> None:
    """tambon.events in-transaction hook for ``account.changed``: a role change or deactivation that would
    leave a case with nobody to act on it — or the office without an executive, to whom every new
    confidential complaint goes — is refused together with the change. A case that was already stranded
    (data from before these rules) does not block changes that cannot help it, such as adding the oversight
    officer it needs."""
    if payload.get("action") not in ("role", "deactivate"):
        return  # creating, activating, passwords and tokens never take access away from anyone
    session.flush()
    serialize_checks(session)
    after = _accounts(session)
    before = dict(after)
    before[payload["user_id"]] = (payload["before_role"], payload["before_active"])

    def executives(accounts: Accounts) -> int:
        return sum(1 for role, active in accounts.values() if active and role == Role.EXECUTIVE)

    if executives(before) and not executives(after):
        raise Conflict("last_executive",
                       "ทำรายการนี้ไม่ได้: ต้องมีผู้บริหารที่ใช้งานได้อย่างน้อยหนึ่งคน (เรื่องร้องเรียนเจ้าหน้าที่และเรื่องทุจริตส่งถึงผู้บริหาร)",
                       "Refused: the office needs at least one active executive (staff-conduct and corruption "
                       "complaints go to the executive)")
    if stranded(session, after) - stranded(session, before):
        raise nobody_left()


def not_found(code: str) -> DomainError:
    # Same answer as for a code that does not exist: do not confirm that a hidden complaint exists.
    from tambon.errors import NotFound

    return NotFound("unknown_complaint", f"ไม่พบเรื่องรหัส {code}", f"No complaint {code}")


def require_view(user: Any, c: Complaint) -> None:
    if not can_view(user, c):
        raise not_found(c.tracking_code)


def require_act(user: Any, c: Complaint) -> None:
    require_view(user, c)
    if not can_act(user, c):
        raise Forbidden("forbidden", "ท่านไม่มีสิทธิ์ดำเนินการเรื่องนี้", "Your role may not work on this complaint")


def require_named_staff(user: Any, c: Complaint) -> None:
    require_act(user, c)
    if not may_set_named_staff(user, c):
        raise Forbidden("named_staff_forbidden",
                        "ระบุหรือล้างชื่อเจ้าหน้าที่ที่ถูกร้องเรียนได้เฉพาะผู้บริหารหรือผู้ตรวจสอบ",
                        "Only the executive or an oversight officer may set or clear the named staff member")


def require_personal(user: Any, c: Complaint) -> None:
    require_view(user, c)
    if not can_view_personal(user, c):
        raise Forbidden("no_personal_data", "บทบาทของท่านดูข้อมูลส่วนบุคคลของผู้ร้องไม่ได้",
                        "Your role may not see the complainant's personal data")


def log_access(session: Session, c: Complaint, user: User, what: str, address: str | None = None) -> None:
    """Record that ``user`` was shown personal data of complaint ``c`` (inside the caller's transaction)."""
    session.execute(insert(ComplaintAccessLog).values(
        complaint_id=c.id, user_id=user.id, at=utcnow(), what=what[:32], address=(address or "")[:64] or None))
