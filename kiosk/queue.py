"""The queue's rules as plain functions: numbering, call-next, and every step of a ticket's life.

Each function takes a session and plain values, changes state and appends a ticket event in one
transaction (:func:`tambon.db.write_transaction`, the one way to write), then publishes a ``ticket.*`` event that the display
and the printer react to after commit. Tests call these directly; the API views only parse and render.

Call-next is one function with the same statements on both databases; where they differ is :func:`_claim`:
- PostgreSQL: the counter row is locked ``FOR UPDATE`` and the head of each line read with
  ``FOR UPDATE SKIP LOCKED``, so 30 counters pressing "next" at once each lock a different ticket.
- SQLite has no row locks (SQLAlchemy leaves the clauses out): its write transaction is ``BEGIN IMMEDIATE``
  behind the write lock, so pick-then-update runs alone.
- Both: the ticket moves with ``UPDATE … WHERE status = 'waiting'`` and the counter with
  ``UPDATE … WHERE current_ticket_id IS NULL``, each checked by its row count.

The write path speaks SQLAlchemy Core, not the ORM: module-level statements (compiled once, then found in
the engine's compiled cache), typed rows out (:class:`kiosk.models.TicketRow`, :class:`~kiosk.models.CounterRow`).
Every step hands back the ticket's row as the statement that changed it returned it (``UPDATE … RETURNING``).
Loading ORM objects, tracking them and flushing them cost more CPU than the SQL itself (BENCHMARKS.md,
2026-11-25: 13% fewer instructions per serve cycle).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Integer,
    Row,
    Select,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.models import (
    AT_COUNTER,
    Counter,
    CounterRow,
    CounterService,
    DailySequence,
    EventType,
    Service,
    Ticket,
    TicketEvent,
    TicketRow,
    TicketStatus,
)
from tambon import events
from tambon.db import UTCDateTime, core_connection, rowcount, write_transaction
from tambon.errors import Conflict, Invalid, NotFound
from tambon.thaidate import business_date, to_local, utcnow


@dataclass(frozen=True)
class QueueRules:
    """The office's configurable queue rules (documented in README, set by environment variables)."""

    timezone: str = "Asia/Bangkok"
    # Priority lane (elderly, disabled, pregnant): called first, but after this many priority calls in
    # a row at one counter, that counter takes the oldest normal ticket if one waits.
    max_priority_in_a_row: int = 2
    # A called ticket may be re-announced this many times; one more recall marks it a no-show.
    auto_no_show_after_recalls: int = 3

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> QueueRules:
        return cls(
            timezone=config.get("TAMBON_TIMEZONE", "Asia/Bangkok"),
            max_priority_in_a_row=int(config.get("QUEUE_MAX_PRIORITY_IN_A_ROW", 2)),
            auto_no_show_after_recalls=int(config.get("QUEUE_AUTO_NO_SHOW_AFTER_RECALLS", 3)),
        )


DEFAULT_RULES = QueueRules()

@dataclass(frozen=True)
class IssuedTicket:
    id: int
    public_id: str
    number: str
    service_code: str
    service_name_th: str
    service_name_en: str
    priority: bool
    issued_at: datetime
    business_date: date
    waiting_ahead: int


# --- errors with both languages -----------------------------------------------------------------

def _unknown_service(code: str) -> NotFound:
    return NotFound("unknown_service", f"ไม่พบบริการรหัส {code}", f"Unknown service {code}")


def unknown_counter(counter_id: int) -> NotFound:
    return NotFound("unknown_counter", f"ไม่พบช่องบริการหมายเลข {counter_id}", f"Unknown counter {counter_id}")


def _unknown_ticket(ref: str) -> NotFound:
    return NotFound("unknown_ticket", f"ไม่พบบัตรคิว {ref}", f"Unknown ticket {ref}")


def _name_en(counter: CounterRow) -> str:
    """The counter's name in English messages: its English name, or "Counter <id>" when none was given."""
    return counter.name_en or f"Counter {counter.id}"


def _no_current_ticket(counter: CounterRow) -> Conflict:
    return Conflict("no_current_ticket", f"{counter.name} ยังไม่ได้เรียกคิวใด",
                    f"{_name_en(counter)} has no ticket called")


def _wrong_status(ticket: TicketRow, action_th: str, action_en: str) -> Conflict:
    return Conflict("illegal_transition",
                    f"บัตรคิว {ticket.label} อยู่ในสถานะ {STATUS_TH[ticket.status]} จึง{action_th}ไม่ได้",
                    f"Ticket {ticket.label} is {ticket.status}; cannot {action_en}",
                    status_now=ticket.status)


STATUS_TH: dict[str, str] = {
    TicketStatus.WAITING: "รอเรียก",
    TicketStatus.CALLED: "เรียกแล้ว",
    TicketStatus.SERVING: "กำลังรับบริการ",
    TicketStatus.PARKED: "พักคิว",
    TicketStatus.COMPLETED: "รับบริการเสร็จแล้ว",
    TicketStatus.NO_SHOW: "ไม่มาตามเรียก",
    TicketStatus.CANCELLED: "ยกเลิก",
}


# --- opening hours --------------------------------------------------------------------------------

def is_open(service: Service | Row[Any], moment: datetime, tz: str) -> bool:
    """Open on its weekdays from opens_at through the whole minute of closes_at ("tickets until 16:30")."""
    local = to_local(moment, tz)
    if str(local.isoweekday()) not in service.open_days:
        return False
    minute = local.time().replace(second=0, microsecond=0, tzinfo=None)
    return service.opens_at <= minute <= service.closes_at


def _check_can_issue(service: Row[Any] | None, code: str, now: datetime, tz: str) -> Row[Any]:
    if service is None:
        raise _unknown_service(code)
    if not service.active:
        raise Invalid("service_inactive", f"บริการ {service.name_th} ปิดให้บริการ",
                      f"Service {service.name_en} is not offered now", service=code)
    if not is_open(service, now, tz):
        raise Invalid("service_closed",
                      f"บริการ {service.name_th} เปิดรับบัตรคิว {service.opens_at:%H:%M}–{service.closes_at:%H:%M} น. "
                      f"เท่านั้น", f"Service {service.name_en} takes tickets {service.opens_at:%H:%M}–"
                      f"{service.closes_at:%H:%M} only", service=code)
    return service


# --- prebuilt statements of the hot path -----------------------------------------------------------
# Issue, call-next and complete run these thousands of times a day: built once with bind parameters, so
# SQLAlchemy compiles each once per database and finds it in its compiled cache after that.

_T: Table = Ticket.__table__  # type: ignore[assignment]
_C: Table = Counter.__table__  # type: ignore[assignment]
_S: Table = Service.__table__  # type: ignore[assignment]
_E: Table = TicketEvent.__table__  # type: ignore[assignment]


def _insert_row(table: Table):
    """INSERT of every column but the id, each bound by its name."""
    return insert(table).values({c.name: bindparam(c.name, type_=c.type) for c in table.c if c.name != "id"})


_SERVICE_BY_CODE = select(_S).where(_S.c.code == bindparam("code"))
_INSERT_TICKET = _insert_row(_T).returning(_T.c.id)
_INSERT_EVENT = _insert_row(_E)
_ISSUED_EVENT_FIELDS = ("type", "outcome", "at", "business_date", "service_id", "detail")


def _insert_issued_pg():
    """PostgreSQL: a new ticket and its ISSUED event in one statement (one round trip fewer while the day's
    numbering row is locked, see issue_ticket). Event values are bound as event_<field>."""
    ticket = _insert_row(_T).returning(_T.c.id).cte("new_ticket")
    event = insert(_E).from_select(
        ["ticket_id", *_ISSUED_EVENT_FIELDS],
        select(ticket.c.id, *(bindparam(f"event_{f}", type_=_E.c[f].type) for f in _ISSUED_EVENT_FIELDS)),
    ).cte("new_event")
    return select(ticket.c.id).add_cte(event)


_INSERT_ISSUED_PG = _insert_issued_pg()


def _next_number_stmt(insert_fn):
    seq = DailySequence.__table__
    return insert_fn(seq).values(
        business_date=bindparam("day", type_=Date()), service_id=bindparam("service_id"), last_number=1,
    ).on_conflict_do_update(
        index_elements=[seq.c.business_date, seq.c.service_id], set_={"last_number": seq.c.last_number + 1},
    ).returning(seq.c.last_number)


_NEXT_NUMBER = {"postgresql": _next_number_stmt(postgresql.insert), "sqlite": _next_number_stmt(sqlite.insert)}


def _waiting_ahead_stmt(priority: bool):
    # A sum of range counts, each an index-only range of ix_tickets_queue (date, service, status, priority,
    # queued_at): an OR over the lanes made SQLite visit every waiting row of the service instead.
    queued_at, ticket_id = bindparam("queued_at", type_=UTCDateTime()), bindparam("ticket_id", type_=Integer())

    def count(lane: bool, *when):
        return select(func.count()).select_from(Ticket).where(
            Ticket.business_date == bindparam("day"), Ticket.service_id == bindparam("service_id"),
            Ticket.status == TicketStatus.WAITING, Ticket.priority.is_(lane), *when).scalar_subquery()

    same_lane = (count(priority, Ticket.queued_at < queued_at)
                 + count(priority, Ticket.queued_at == queued_at, Ticket.id < ticket_id))
    # A normal ticket also waits behind every waiting priority ticket, which goes first.
    return select(same_lane if priority else same_lane + count(True))


_WAITING_AHEAD = {lane: _waiting_ahead_stmt(lane) for lane in (True, False)}
# The columns of the typed rows, in their order.
_TICKET = [_T.c[name] for name in TicketRow._fields]
_COUNTER = [_C.c[name] for name in CounterRow._fields]
_LOCKED_COUNTER = select(*_COUNTER).where(_C.c.id == bindparam("counter_id")).with_for_update()


def _someone_waits(lane: bool):
    """Whether a ticket of the lane waits today in the counter's service of that row (an index seek)."""
    return (select(_T.c.id).where(_T.c.business_date == bindparam("day"), _T.c.service_id == CounterService.service_id,
                                  _T.c.status == TicketStatus.WAITING, _T.c.priority.is_(lane))
            .exists())


# Call-next's one read before it picks: the counter, locked as above, with its services in its order (a row
# per service) and in which of them someone waits in each lane, so that the pick seeks only those lines.
_LOCKED_COUNTER_AND_LINES = (
    select(*_COUNTER, CounterService.service_id, _someone_waits(True), _someone_waits(False))
    .outerjoin(CounterService, CounterService.counter_id == _C.c.id)
    .where(_C.c.id == bindparam("counter_id"))
    .order_by(CounterService.position)
    .with_for_update(of=_C)
)
_LOCKED_TICKET = select(*_TICKET).where(_T.c.id == bindparam("ticket_id")).with_for_update()
# A counter action's read: the counter and the ticket it holds, both locked (counter first, as everywhere).
_LOCKED_COUNTER_AND_TICKET = (
    select(*_COUNTER, *_TICKET).join_from(_C, _T, _T.c.id == _C.c.current_ticket_id)
    .where(_C.c.id == bindparam("counter_id")).with_for_update(of=[_C, _T])
)
_TICKET_BY_PUBLIC_ID = select(*_TICKET).where(_T.c.public_id == bindparam("ref"))
_TICKET_BY_LABEL = (select(*_TICKET).where(_T.c.business_date == bindparam("day"), _T.c.label == bindparam("label"))
                    .order_by(_T.c.id.desc()).limit(1))


def _claim(head: Select) -> Select:
    """The one place where call-next differs between the databases. PostgreSQL locks the head of a line as it
    reads it and skips a head that another counter's transaction holds (``FOR UPDATE SKIP LOCKED``), so
    counters racing for one service each take a different ticket instead of queueing behind one row lock.
    SQLite has no row locks, and SQLAlchemy leaves the clause out: there the write runs alone
    (``BEGIN IMMEDIATE`` behind the write lock, tambon.db.write_transaction), so the head it reads is free."""
    return head.with_for_update(skip_locked=True)


# The ticket first in line of one service and lane: a single seek down ix_tickets_queue.
_HEAD_OF_LINE = _claim(
    select(_T.c.id)
    .where(_T.c.business_date == bindparam("day"), _T.c.service_id == bindparam("service_id"),
           _T.c.status == TicketStatus.WAITING, _T.c.priority == bindparam("lane", type_=Boolean()))
    .order_by(_T.c.queued_at, _T.c.id).limit(1)
)
_now = bindparam("now", type_=UTCDateTime())
# Each step changes the ticket with one statement that hands its new row back (RETURNING), on both databases;
# a conditional one (WHERE status …) hands back nothing when another request changed the ticket first.
_MOVE_TICKET = (
    update(_T)
    # Two statuses, the same one twice when only one may move (a statement of fixed shape: no expanding IN).
    .where(_T.c.id == bindparam("ticket_id"), _T.c.status.in_([bindparam("from_status"), bindparam("or_status")]))
    .values(status=TicketStatus.CALLED, counter_id=bindparam("to_counter"), recalls=0, last_called_at=_now,
            first_called_at=func.coalesce(_T.c.first_called_at, _now))
    .returning(*_TICKET)
)
_RECALL_TICKET = (update(_T).where(_T.c.id == bindparam("ticket_id"))
                  .values(recalls=_T.c.recalls + 1, last_called_at=_now).returning(*_TICKET))
_SET_STATUS = (update(_T).where(_T.c.id == bindparam("ticket_id"), _T.c.status == bindparam("from_status"))
               .values(status=bindparam("new_status")).returning(*_TICKET))
_TAKE_COUNTER = (
    update(_C).where(_C.c.id == bindparam("counter_id"), _C.c.current_ticket_id.is_(None))
    .values(current_ticket_id=bindparam("ticket_id"), priority_streak=bindparam("streak"))
)
_FINISH_TICKET = (update(_T).where(_T.c.id == bindparam("ticket_id")).values(
    status=bindparam("new_status"), finished_at=bindparam("finished", type_=UTCDateTime()),
    counter_id=bindparam("at_counter")).returning(*_TICKET))
_FREE_COUNTER = update(_C).where(_C.c.id == bindparam("counter_id")).values(current_ticket_id=None)


# --- numbering ------------------------------------------------------------------------------------

def next_number(session: Session | Connection, day: date, service_id: int) -> int:
    """Take the next number of the day for a service. Must run inside the issuing write transaction:
    the counter row is upserted and locked there, and rolls back with a failed issue (no gaps)."""
    db = core_connection(session)
    stmt = _NEXT_NUMBER["postgresql" if db.dialect.name == "postgresql" else "sqlite"]
    return db.execute(stmt, {"day": day, "service_id": service_id}).scalar_one()


def format_number(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"


def record_event(session: Session | Connection, ticket_id: int, type_: EventType, at: datetime, day: date,
                  service_id: int, *, counter_id: int | None = None, user_id: int | None = None,
                  outcome: str | None = None, detail: dict | None = None) -> None:
    """Append one event to the ticket's log (kiosk_ticket_events), in the caller's write transaction."""
    core_connection(session).execute(_INSERT_EVENT, {
        "ticket_id": ticket_id, "type": type_, "at": at, "business_date": day, "service_id": service_id,
        "counter_id": counter_id, "user_id": user_id, "outcome": outcome, "detail": detail})


def issue_ticket(session: Session, service_code: str, *, priority: bool = False, rules: QueueRules = DEFAULT_RULES,
                 now: datetime | None = None, kiosk: str | None = None) -> IssuedTicket:
    """A citizen takes a ticket. Numbers run A001, A002 … per service per local business date."""
    now = now or utcnow()
    day = business_date(now, rules.timezone)
    # Through the session's transaction (write_transaction): the print outbox adds its job to it (events.on_write).
    with write_transaction(session):
        db = core_connection(session)
        service = _check_can_issue(db.execute(_SERVICE_BY_CODE, {"code": service_code}).first(), service_code, now,
                                   rules.timezone)
        # Counted before the number is taken: on PostgreSQL the day's numbering row stays locked from the
        # number to the commit, and every round trip in between makes the next kiosk wait. (A ticket taken
        # at the very same moment at another kiosk may be missing from this count.)
        ahead = waiting_ahead(db, day, service.id, priority, now, MAX_ID)
        number = next_number(db, day, service.id)
        label = format_number(service.prefix, number)
        public_id = secrets.token_urlsafe(16)
        ticket_id = _insert_issued(db, {
            "public_id": public_id, "business_date": day, "issued_service_id": service.id,
            "service_id": service.id, "number": number, "label": label, "priority": priority,
            "status": TicketStatus.WAITING, "issued_at": now, "queued_at": now, "first_called_at": None,
            "last_called_at": None, "finished_at": None, "counter_id": None, "kiosk": kiosk, "recalls": 0,
        }, {"type": EventType.ISSUED, "outcome": "priority" if priority else "normal", "at": now,
            "business_date": day, "service_id": service.id, "detail": {"kiosk": kiosk} if kiosk else None})
        issued = IssuedTicket(ticket_id, public_id, label, service.code, service.name_th, service.name_en,
                              priority, now, day, ahead)
        events.publish(session, "ticket.issued", {
            "ticket_id": ticket_id, "public_id": public_id, "number": label, "service": service.code,
            "service_id": service.id, "service_name_th": service.name_th, "service_name_en": service.name_en,
            "priority": priority, "business_date": day.isoformat(),
            "issued_at": now.isoformat(), "waiting_ahead": ahead, "kiosk": kiosk,
        })
    return issued


def _insert_issued(db: Connection, ticket: dict[str, Any], event: dict[str, Any]) -> int:
    """Insert a new ticket and its ISSUED event; returns the ticket's id."""
    if db.dialect.name == "postgresql":
        return db.execute(_INSERT_ISSUED_PG, {**ticket, **{f"event_{k}": v for k, v in event.items()}}).scalar_one()
    ticket_id = db.execute(_INSERT_TICKET, ticket).scalar_one()
    db.execute(_INSERT_EVENT, {"ticket_id": ticket_id, "counter_id": None, "user_id": None, **event})
    return ticket_id


def waiting_ahead(session: Session | Connection, day: date, service_id: int, priority: bool, queued_at: datetime,
                   ticket_id: int) -> int:
    """Waiting tickets of the same service that will be called before this one: earlier ones in the same
    lane, plus (for a normal ticket) every waiting priority ticket, which goes first."""
    return core_connection(session).execute(_WAITING_AHEAD[bool(priority)], {
        "day": day, "service_id": service_id, "queued_at": queued_at, "ticket_id": ticket_id}).scalar() or 0


# --- counters and the current ticket ---------------------------------------------------------------

MAX_ID = 2**31 - 1  # the database's INTEGER; anything outside cannot name a row


def _locked_counter(db: Connection, counter_id: int) -> CounterRow:
    if not 1 <= counter_id <= MAX_ID:
        raise unknown_counter(counter_id)
    # FOR UPDATE serialises two "next" presses at the same counter on PostgreSQL; on SQLite the
    # immediate transaction already does (and SQLAlchemy omits the clause there).
    row = db.execute(_LOCKED_COUNTER, {"counter_id": counter_id}).first()
    return _usable(counter_id, CounterRow(*row) if row is not None else None)


def _locked_counter_and_lines(db: Connection, counter_id: int, day: date) -> tuple[CounterRow, dict[bool, list[int]]]:
    """As _locked_counter, with the counter's services in its order where someone waits, for each lane
    (True: priority)."""
    if not 1 <= counter_id <= MAX_ID:
        raise unknown_counter(counter_id)
    rows = db.execute(_LOCKED_COUNTER_AND_LINES, {"counter_id": counter_id, "day": day}).all()
    fields = len(CounterRow._fields)
    counter = _usable(counter_id, CounterRow(*rows[0][:fields]) if rows else None)
    lines: dict[bool, list[int]] = {True: [], False: []}
    for service_id, priority_waits, normal_waits in (row[fields:] for row in rows):
        if priority_waits:
            lines[True].append(service_id)
        if normal_waits:
            lines[False].append(service_id)
    return counter, lines


def _usable(counter_id: int, counter: CounterRow | None) -> CounterRow:
    if counter is None:
        raise unknown_counter(counter_id)
    if not counter.active:
        raise Invalid("counter_inactive", f"{counter.name} ปิดอยู่", f"{_name_en(counter)} is closed")
    return counter


def _current_ticket(db: Connection, counter: CounterRow) -> TicketRow:
    ticket = None
    if counter.current_ticket_id is not None:
        row = db.execute(_LOCKED_TICKET, {"ticket_id": counter.current_ticket_id}).first()
        ticket = TicketRow(*row) if row is not None else None
    if ticket is None:
        raise _no_current_ticket(counter)
    return ticket


def _counter_and_ticket(db: Connection, counter_id: int, allowed: tuple[str, ...], action_th: str,
                        action_en: str) -> tuple[CounterRow, TicketRow]:
    """The locked counter and its current ticket, which must be in one of the allowed states."""
    if not 1 <= counter_id <= MAX_ID:
        raise unknown_counter(counter_id)
    # One statement for the usual case, an active counter with a ticket; otherwise (or when the counter's
    # ticket changed under the read, on PostgreSQL) the two reads below say what is wrong.
    row = db.execute(_LOCKED_COUNTER_AND_TICKET, {"counter_id": counter_id}).first()
    if row is not None and row.active:
        fields = len(CounterRow._fields)
        counter, ticket = CounterRow(*row[:fields]), TicketRow(*row[fields:])
    else:
        counter = _locked_counter(db, counter_id)
        ticket = _current_ticket(db, counter)
    if ticket.status not in allowed:
        raise _wrong_status(ticket, action_th, action_en)
    return counter, ticket


def choose_lane_order(priority_streak: int, max_priority_in_a_row: int) -> tuple[bool, bool]:
    """Which lane to try first: priority, unless this counter just called its allowance of them."""
    return (True, False) if priority_streak < max_priority_in_a_row else (False, True)


def _move_to_counter(session: Session, db: Connection, counter: CounterRow, ticket_id: int,
                     from_statuses: tuple[str, ...], now: datetime, user_id: int | None, outcome: str,
                     rules: QueueRules) -> TicketRow | None:
    """Conditionally hand a ticket to a counter; None when someone else took it first."""
    row = db.execute(_MOVE_TICKET, {"ticket_id": ticket_id, "from_status": from_statuses[0],
                                    "or_status": from_statuses[-1], "to_counter": counter.id, "now": now}).first()
    if row is None:  # someone else took it first
        return None
    ticket = TicketRow(*row)
    streak = counter.priority_streak + 1 if ticket.priority and outcome != "out_of_order" else 0
    taken = rowcount(db.execute(_TAKE_COUNTER, {"counter_id": counter.id, "ticket_id": ticket_id, "streak": streak}))
    if taken != 1:
        raise Conflict("counter_busy", f"{counter.name} มีคิวที่กำลังให้บริการอยู่",
                       f"{_name_en(counter)} is already serving a ticket")
    record_event(db, ticket_id, EventType.CALLED, now, business_date(now, rules.timezone), ticket.service_id,
                  counter_id=counter.id, user_id=user_id, outcome=outcome)
    _publish_ticket(session, "ticket.called", ticket, counter, now)
    return ticket


def _ensure_free(counter: CounterRow) -> None:
    if counter.current_ticket_id is not None:
        raise Conflict("counter_busy",
                       f"{counter.name} ยังมีคิวที่เรียกหรือกำลังให้บริการ กรุณากดเสร็จสิ้น/ไม่มา/โอนก่อน",
                       f"{_name_en(counter)} still has a ticket called or being served; complete, "
                       f"mark no-show or transfer it first")


def call_next(session: Session, counter_id: int, *, user_id: int | None = None, rules: QueueRules = DEFAULT_RULES,
              now: datetime | None = None) -> TicketRow | None:
    """Call the next citizen to this counter; None when nobody waits for its services."""
    now = now or utcnow()
    day = business_date(now, rules.timezone)
    with write_transaction(session):
        db = core_connection(session)
        counter, lines = _locked_counter_and_lines(db, counter_id, day)
        _ensure_free(counter)
        for lane in choose_lane_order(counter.priority_streak, rules.max_priority_in_a_row):
            # The lane's lines in the counter's order; within a line the earliest queued (issue time, kept
            # across transfers), then the lower id.
            for service_id in lines[lane]:
                # Retry only covers a lost race on PostgreSQL; SKIP LOCKED makes it rare.
                for _attempt in range(5):
                    ticket_id = db.execute(_HEAD_OF_LINE, {"service_id": service_id, "day": day,
                                                           "lane": lane}).scalar()
                    if ticket_id is None:  # taken since the read (PostgreSQL): the next line
                        break
                    ticket = _move_to_counter(session, db, counter, ticket_id, (TicketStatus.WAITING,), now,
                                              user_id, "priority" if lane else "next", rules)
                    if ticket is not None:
                        return ticket
        return None


def call_ticket(session: Session, counter_id: int, ticket_ref: str, *, user_id: int | None = None,
                rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """Call a chosen waiting or parked ticket out of order (staff decision, logged as such)."""
    now = now or utcnow()
    day = business_date(now, rules.timezone)
    with write_transaction(session):
        db = core_connection(session)
        counter = _locked_counter(db, counter_id)
        _ensure_free(counter)
        ticket = find_ticket(db, ticket_ref, day)
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.PARKED):
            raise _wrong_status(ticket, "เรียก", "call it")
        if ticket.business_date != day:
            raise Conflict("stale_ticket", f"บัตรคิว {ticket.label} เป็นของวันอื่น",
                           f"Ticket {ticket.label} belongs to another day")
        called = _move_to_counter(session, db, counter, ticket.id, (TicketStatus.WAITING, TicketStatus.PARKED), now,
                                  user_id, "out_of_order", rules)
        if called is None:
            raise _wrong_status(ticket, "เรียก", "call it")
        return called


def find_ticket(session: Session | Connection, ref: str, day: date | None = None) -> TicketRow:
    """A ticket by its public id, or by its number (e.g. A007) on the given business date."""
    db = core_connection(session)
    row = db.execute(_TICKET_BY_PUBLIC_ID, {"ref": ref}).first()
    if row is None and day is not None and 2 <= len(ref) <= 8:
        row = db.execute(_TICKET_BY_LABEL, {"day": day, "label": ref.upper()}).first()
    if row is None:
        raise _unknown_ticket(ref)
    return TicketRow(*row)


def recall(session: Session, counter_id: int, *, user_id: int | None = None, rules: QueueRules = DEFAULT_RULES,
           now: datetime | None = None) -> TicketRow:
    """Announce the called ticket again. One recall past the allowance marks it a no-show instead."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, (TicketStatus.CALLED,), "เรียกซ้ำ", "recall it")
        if ticket.recalls >= rules.auto_no_show_after_recalls:
            return _finish(session, db, counter, ticket, TicketStatus.NO_SHOW, EventType.NO_SHOW, now, user_id,
                           "auto_after_recalls", rules)
        ticket = TicketRow(*db.execute(_RECALL_TICKET, {"ticket_id": ticket.id, "now": now}).one())
        record_event(db, ticket.id, EventType.RECALLED, now, business_date(now, rules.timezone),
                      ticket.service_id, counter_id=counter.id, user_id=user_id, outcome=str(ticket.recalls))
        _publish_ticket(session, "ticket.recalled", ticket, counter, now)
        return ticket


def start_service(session: Session, counter_id: int, *, user_id: int | None = None,
                  rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """The called citizen arrived at the counter."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, (TicketStatus.CALLED,), "เริ่มให้บริการ", "start serving it")
        ticket = _set_status(db, ticket, TicketStatus.SERVING)
        record_event(db, ticket.id, EventType.STARTED, now, business_date(now, rules.timezone),
                      ticket.service_id, counter_id=counter.id, user_id=user_id)
        _publish_ticket(session, "ticket.started", ticket, counter, now)
        return ticket


def _set_status(db: Connection, ticket: TicketRow, status: TicketStatus) -> TicketRow:
    """Move a ticket from the status it was read in to another; a 409 if another request moved it first."""
    changed = db.execute(_SET_STATUS, {"ticket_id": ticket.id, "from_status": ticket.status,
                                       "new_status": status}).first()
    if changed is None:
        raise Conflict("ticket_changed", f"บัตรคิว {ticket.label} เพิ่งถูกเปลี่ยนสถานะ กรุณาลองใหม่",
                       f"Ticket {ticket.label} was changed by someone else just now; try again")
    return TicketRow(*changed)


def _finish(session: Session, db: Connection, counter: CounterRow | None, ticket: TicketRow, status: TicketStatus,
            event_type: EventType, now: datetime, user_id: int | None, outcome: str | None, rules: QueueRules,
            detail: dict | None = None, moves: dict[str, Any] | None = None) -> TicketRow:
    """Take the ticket off its counter into `status` (finished, parked or, with `moves`, transferred)."""
    finished_at = now if status in (TicketStatus.COMPLETED, TicketStatus.NO_SHOW, TicketStatus.CANCELLED) \
        else ticket.finished_at
    counter_id = counter.id if counter is not None else ticket.counter_id
    params = {"ticket_id": ticket.id, "new_status": status, "finished": finished_at, "at_counter": counter_id}
    # A transfer also moves the ticket to another service: rare, so a one-off statement.
    ticket = TicketRow(*db.execute(_FINISH_TICKET if moves is None else _FINISH_TICKET.values(**moves), params).one())
    if counter is not None and counter.current_ticket_id == ticket.id:
        db.execute(_FREE_COUNTER, {"counter_id": counter.id})
    record_event(db, ticket.id, event_type, now, business_date(now, rules.timezone), ticket.service_id,
                  counter_id=counter.id if counter is not None else None, user_id=user_id, outcome=outcome,
                  detail=detail)
    _publish_ticket(session, f"ticket.{event_type.value}", ticket, counter, now)
    return ticket


def complete(session: Session, counter_id: int, *, user_id: int | None = None, outcome: str = "served",
             rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """Service finished. Allowed from called (served straight away) or serving."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, AT_COUNTER, "ปิดงาน", "complete it")
        return _finish(session, db, counter, ticket, TicketStatus.COMPLETED, EventType.COMPLETED, now, user_id,
                       outcome[:32], rules)


def no_show(session: Session, counter_id: int, *, user_id: int | None = None, rules: QueueRules = DEFAULT_RULES,
            now: datetime | None = None) -> TicketRow:
    """The called citizen did not come. Not allowed once service has started."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, (TicketStatus.CALLED,), "บันทึกว่าไม่มา", "mark it a no-show")
        return _finish(session, db, counter, ticket, TicketStatus.NO_SHOW, EventType.NO_SHOW, now, user_id,
                       "staff", rules)


def park(session: Session, counter_id: int, *, user_id: int | None = None, reason: str | None = None,
         rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """Put the current ticket on hold (e.g. the citizen fetches a document); the counter is free again."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, AT_COUNTER, "พักคิว", "park it")
        return _finish(session, db, counter, ticket, TicketStatus.PARKED, EventType.PARKED, now, user_id,
                       (reason or "")[:32] or None, rules)


def resume(session: Session, ticket_ref: str, *, user_id: int | None = None, rules: QueueRules = DEFAULT_RULES,
           now: datetime | None = None) -> TicketRow:
    """A parked ticket goes back to waiting, in its original place in line."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        ticket = find_ticket(db, ticket_ref, business_date(now, rules.timezone))
        if ticket.status != TicketStatus.PARKED:
            raise _wrong_status(ticket, "นำกลับเข้าคิว", "resume it")
        ticket = _set_status(db, ticket, TicketStatus.WAITING)
        record_event(db, ticket.id, EventType.UNPARKED, now, business_date(now, rules.timezone),
                      ticket.service_id, user_id=user_id)
        _publish_ticket(session, "ticket.unparked", ticket, None, now)
        return ticket


def transfer(session: Session, counter_id: int, service_code: str, *, user_id: int | None = None,
             rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """Send the current ticket to another service; it keeps its number and its place by issue time."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        counter, ticket = _counter_and_ticket(db, counter_id, AT_COUNTER, "โอน", "transfer it")
        target = db.execute(_SERVICE_BY_CODE, {"code": service_code}).first()
        if target is None:
            raise _unknown_service(service_code)
        if not target.active:
            raise Invalid("service_inactive", f"บริการ {target.name_th} ปิดให้บริการ",
                          f"Service {target.name_en} is not offered now")
        if target.id == ticket.service_id:
            raise Invalid("same_service", "บัตรคิวนี้อยู่ในบริการนั้นแล้ว", "The ticket is already in that service")
        return _finish(session, db, counter, ticket, TicketStatus.WAITING, EventType.TRANSFERRED, now, user_id,
                       target.code, rules, detail={"from_service_id": ticket.service_id, "to_service_id": target.id},
                       moves={"service_id": target.id, "recalls": 0})


def cancel(session: Session, ticket_ref: str, *, user_id: int | None = None, reason: str | None = None,
           rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """Withdraw a ticket that is not finished (the citizen left, or it was taken by mistake)."""
    now = now or utcnow()
    with write_transaction(session):
        db = core_connection(session)
        ticket = find_ticket(db, ticket_ref, business_date(now, rules.timezone))
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.PARKED, TicketStatus.CALLED, TicketStatus.SERVING):
            raise _wrong_status(ticket, "ยกเลิก", "cancel it")
        counter = None
        if ticket.status in AT_COUNTER and ticket.counter_id is not None:
            counter = _locked_counter(db, ticket.counter_id)
        return _finish(session, db, counter, ticket, TicketStatus.CANCELLED, EventType.CANCELLED, now, user_id,
                       (reason or "staff")[:32], rules)


def _publish_ticket(session: Session, topic: str, ticket: TicketRow, counter: CounterRow | None,
                    now: datetime) -> None:
    events.publish(session, topic, {
        "ticket_id": ticket.id, "public_id": ticket.public_id, "number": ticket.label,
        "service_id": ticket.service_id, "status": ticket.status, "priority": ticket.priority,
        "counter_id": counter.id if counter is not None else None,
        "counter_name": counter.name if counter is not None else None,
        "recalls": ticket.recalls, "at": now.isoformat(),
    })


def rate_ticket(session: Session, public_id: str, score: int, comment: str | None = None, *,
                rules: QueueRules = DEFAULT_RULES, now: datetime | None = None) -> TicketRow:
    """The citizen's one-tap satisfaction rating (1–5, optional comment) after service; once per ticket."""
    now = now or utcnow()
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise Invalid("bad_score", "คะแนนต้องเป็น 1 ถึง 5", "Score must be 1 to 5")
    comment = (comment or "").strip()[:500] or None
    with write_transaction(session):
        row = core_connection(session).execute(_TICKET_BY_PUBLIC_ID, {"ref": public_id}).first()
        if row is None:
            raise _unknown_ticket(public_id)
        ticket = TicketRow(*row)
        if ticket.status != TicketStatus.COMPLETED:
            raise Conflict("not_served_yet", "ให้คะแนนได้หลังรับบริการเสร็จแล้วเท่านั้น",
                           "A ticket can be rated only after its service is completed")
        already = session.scalar(select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id,
                                                              TicketEvent.type == EventType.RATED))
        if already is not None:
            raise Conflict("already_rated", "บัตรคิวนี้ให้คะแนนแล้ว ขอบคุณค่ะ", "This ticket has been rated already")
        record_event(session, ticket.id, EventType.RATED, now, business_date(now, rules.timezone),
                      ticket.service_id, counter_id=ticket.counter_id, outcome=str(score),
                      detail={"comment": comment} if comment else None)
        _publish_ticket(session, "ticket.rated", ticket, None, now)
        return ticket
