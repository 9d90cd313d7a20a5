"""The durable print outbox and the worker that empties it.

Why nothing is lost and nothing prints twice:

1. The job row is inserted by an in-transaction hook of ``ticket.issued``: it commits with the ticket or
   not at all. Issuing never waits for a printer.
2. A worker *claims* a due job with a conditional ``UPDATE … SET status='sending' WHERE status='pending'``
   (plus ``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and commits that **before** sending a byte, so no
   two workers ever send the same job.
3. After the printer took the bytes the job becomes 'printed' (conditional on still being ours).
   If nothing was sent (printer off, unplugged, paper out, cover open) the job goes back to 'pending'
   with exponential back-off, and the printer's other jobs wait behind it in their order.
4. The one window no protocol can close: the process dies after sending and before recording. Such a
   job is found in 'sending' with a dead owner (or an expired lease) at the next start; it is marked
   'interrupted' — never resent — and a new job prints the ticket marked "สำเนา / COPY", so staff can
   tell. A link that breaks *while* sending is treated the same way (part of it may have printed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from kiosk import reads
from kiosk.models import EventType, Service, Ticket, TicketRow, TicketStatus
from kiosk.printing import backends, process
from kiosk.printing.encode import encode_dots, encode_text
from kiosk.printing.models import JobKind, JobStatus, PrintJob
from kiosk.printing.render import Dots, Layout, TicketContent, render_dots, to_png
from kiosk.printing.settings import DEFAULT_PRINTER, OutboxSettings, PrinterConfig, printer_map, setting
from kiosk.queue import find_ticket, record_event, waiting_ahead
from tambon import events, outbox
from tambon.concurrency import cpu_bound, run_cpu_bound
from tambon.db import core_connection, rowcount, write_transaction
from tambon.errors import Conflict
from tambon.thaidate import business_date, utcnow

log = logging.getLogger(__name__)
EXTENSION = "kiosk.printing"
ISSUE_STATUS = "kiosk.print_status"  # session.info key: ticket id -> what the kiosk response says



# --- what a job prints ------------------------------------------------------------------------------

def ticket_payload(session: Session, ticket: Ticket | TicketRow, settings: OutboxSettings, *,
                   waiting_ahead: int | None) -> dict:
    service = session.get_one(Service, ticket.service_id)
    return {
        "number": ticket.label, "public_id": ticket.public_id, "service_code": service.code,
        "service_name_th": service.name_th, "service_name_en": service.name_en, "priority": bool(ticket.priority),
        "issued_at": ticket.issued_at.isoformat(), "waiting_ahead": waiting_ahead,
        "status_url": reads.status_url(ticket.public_id), "kiosk": ticket.kiosk,
    }


def content_for(job_payload: dict, settings: OutboxSettings, *, copy: bool) -> TicketContent:
    return TicketContent(
        number=job_payload["number"], service_name_th=job_payload["service_name_th"],
        service_name_en=job_payload.get("service_name_en") or "",
        issued_at=datetime.fromisoformat(job_payload["issued_at"]),
        waiting_ahead=job_payload.get("waiting_ahead"), status_url=job_payload["status_url"],
        office_name=settings.office_name, office_name_en=settings.office_name_en,
        priority=bool(job_payload.get("priority")), copy=copy, advice_th=settings.advice_th,
        advice_en=settings.advice_en, timezone=settings.timezone,
    )


def render_job(job: PrintJob | ClaimedJob, cfg: PrinterConfig, settings: OutboxSettings) -> tuple[Dots, bytes]:
    """(printed dots, bytes for the printer) of a job; ``Dots.image()`` is the preview. Text mode has its
    own bytes."""
    return render_content(content_for(job.payload, settings, copy=job.copy), cfg, settings.logo)


@cpu_bound  # off a gevent server's request loop when the worker runs inside the server (thread mode)
def render_content(content: TicketContent, cfg: PrinterConfig, logo) -> tuple[Dots, bytes]:
    """A few milliseconds: the unchanging parts of a ticket are cached per layout (render.py)."""
    dots = render_dots(content, Layout(width=cfg.dots, logo=logo))
    if cfg.mode == "text":
        data = encode_text(content, width_dots=cfg.dots, encoding=cfg.encoding, codepage=cfg.codepage, cut=cfg.cut)
    else:
        data = encode_dots(dots, cfg.cut)
    return dots, data


def job_preview(job: PrintJob | ClaimedJob, cfg: PrinterConfig, settings: OutboxSettings) -> tuple[TicketContent, Layout]:
    """What :func:`render.preview_png` needs to show exactly what a job prints (plain values)."""
    return content_for(job.payload, settings, copy=job.copy), Layout(width=cfg.dots, logo=settings.logo)


# --- writing jobs -------------------------------------------------------------------------------------

def printer_for(printers: dict[str, PrinterConfig], kiosk: str | None) -> str:
    return kiosk if kiosk and kiosk in printers else DEFAULT_PRINTER


def printer_retry_at(session: Session | Connection, printer: str) -> datetime | None:
    """When a failing printer is tried next; None when the printer is not known to be failing."""
    return core_connection(session).execute(_RETRY_AT, {"printer": printer}).scalar()


def enqueue(session: Session, ticket_id: int, payload: dict, *, printer: str, now: datetime,
            kind: JobKind = JobKind.ISSUE, copy: bool = False, replaces: int | None = None) -> int:
    """Insert a job; call inside the caller's write transaction. A job for a failing printer waits for
    that printer's next try, behind the jobs already waiting (printing keeps the issue order)."""
    retry_at = printer_retry_at(session, printer)
    return session.execute(insert(PrintJob).values(
        ticket_id=ticket_id, kind=kind, copy=copy, printer=printer, status=JobStatus.PENDING, attempts=0,
        created_at=now, next_attempt_at=max(now, retry_at) if retry_at else now, payload=payload,
        replaces_job_id=replaces,
    ).returning(PrintJob.id)).scalar_one()


def current_worker() -> PrintWorker | None:
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


# The issue hook runs inside every kiosk's ticket transaction (and on SQLite inside the write lock): its
# statements are built once (SQLAlchemy's compiled cache finds them) and run as Core on the request's
# connection; the ORM's per-statement work cost more than the rest of issuing a ticket.
_J: Table = PrintJob.__table__  # type: ignore[assignment]
_RETRY_AT = select(func.min(_J.c.next_attempt_at)).where(
    _J.c.printer == bindparam("printer"), _J.c.status == JobStatus.PENDING, _J.c.attempts > 0)
_INSERT_JOB = insert(_J).values(
    {c.name: bindparam(c.name, type_=c.type) for c in _J.c if c.name != "id"}).returning(_J.c.id)


def on_ticket_issued(session: Session, _topic: str, payload: dict) -> None:
    """In-transaction hook of ``ticket.issued``: the print job commits together with the ticket."""
    worker = current_worker()
    if worker is None:
        return  # an app without printing (or no app at all): nothing is configured to print on
    name = printer_for(worker.printers, payload.get("kiosk"))
    outcomes = session.info.setdefault(ISSUE_STATUS, {})
    if not worker.printers[name].enabled:
        outcomes[payload["ticket_id"]] = {"status": "none", "job_id": None}
        return
    db = core_connection(session)
    now = datetime.fromisoformat(payload["issued_at"])
    retry_at = printer_retry_at(db, name)
    job = {
        "number": payload["number"], "public_id": payload["public_id"], "service_code": payload["service"],
        "service_name_th": payload["service_name_th"], "service_name_en": payload["service_name_en"],
        "priority": bool(payload["priority"]), "issued_at": payload["issued_at"],
        "waiting_ahead": payload.get("waiting_ahead"),
        "status_url": reads.status_url(payload["public_id"]), "kiosk": payload.get("kiosk"),
    }
    job_id = db.execute(_INSERT_JOB, {
        "ticket_id": payload["ticket_id"], "kind": JobKind.ISSUE, "copy": False, "printer": name,
        "status": JobStatus.PENDING, "attempts": 0, "created_at": now,
        "next_attempt_at": max(now, retry_at) if retry_at else now, "claimed_at": None, "claimed_by": None,
        "printed_at": None, "last_error": None, "replaces_job_id": None, "payload": job}).scalar_one()
    # What the kiosk will say, decided here so the response needs no read after the commit.
    status = worker.health.get(name, {}).get("status")
    failing = retry_at is not None or bool(status is not None and status.problem)
    outcomes[payload["ticket_id"]] = {"status": "delayed" if failing else "queued", "job_id": job_id}


def print_status(session: Session, ticket_id: int) -> dict:
    """What the kiosk tells the citizen: {"status": "queued" | "delayed" | "none", "job_id"}.

    "delayed" when the printer is known to be failing (its jobs wait for a retry, or it last reported a
    problem such as paper out), so the kiosk says in Thai that the paper ticket is late."""
    known = session.info.get(ISSUE_STATUS, {}).pop(ticket_id, None)
    if known is not None:
        return known
    job = session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket_id)
                         .order_by(PrintJob.id.desc()).limit(1))
    if job is None:
        return {"status": "none", "job_id": None}
    if job.status == JobStatus.PRINTED:
        return {"status": "printed", "job_id": job.id}
    worker = current_worker()
    failing = worker.printer_failing(session, job.printer) if worker else printer_retry_at(session, job.printer)
    return {"status": "delayed" if failing else "queued", "job_id": job.id}


def reprint_ticket(session: Session, ref: str, *, user_id: int | None = None, now: datetime | None = None,
                   worker: PrintWorker | None = None) -> int:
    """Staff reprint a ticket from the counter: a new job marked สำเนา / COPY and a REPRINTED event."""
    worker = worker or current_worker()
    if worker is None:
        raise Conflict("printing_off", "ระบบการพิมพ์บัตรคิวยังไม่พร้อม", "Printing is not set up in this process")
    now = now or utcnow()
    tz = worker.settings.timezone
    with write_transaction(session):
        ticket = find_ticket(session, ref, business_date(now, tz))
        name = printer_for(worker.printers, ticket.kiosk)
        if not worker.printers[name].enabled:
            raise Conflict("printing_off", "ระบบปิดการพิมพ์บัตรคิวอยู่ (PRINTER_URL=none) จึงพิมพ์ซ้ำไม่ได้",
                           "Printing is switched off (PRINTER_URL=none); nothing to reprint on")
        ahead = (waiting_ahead(session, ticket.business_date, ticket.service_id, ticket.priority,
                                ticket.queued_at, ticket.id) if ticket.status == TicketStatus.WAITING else None)
        job_id = enqueue(session, ticket.id, ticket_payload(session, ticket, worker.settings, waiting_ahead=ahead),
                         printer=name, now=now, kind=JobKind.REPRINT, copy=True)
        record_event(session, ticket.id, EventType.REPRINTED, now, business_date(now, tz), ticket.service_id,
                      user_id=user_id, outcome="staff", detail={"job_id": job_id})
        events.publish(session, "ticket.reprinted", {
            "ticket_id": ticket.id, "public_id": ticket.public_id, "number": ticket.label, "job_id": job_id,
            "service_id": ticket.service_id, "at": now.isoformat()})
    return job_id


# --- the worker's steps (plain functions: tests drive them directly) ----------------------------------

@dataclass(frozen=True)
class ClaimedJob:
    """A job this worker has claimed ('sending'): what rendering, sending and recording need."""

    id: int
    ticket_id: int
    printer: str
    copy: bool
    attempts: int
    claimed_by: str | None
    payload: dict


_CLAIMED_COLUMNS = (_J.c.id, _J.c.ticket_id, _J.c.printer, _J.c.copy, _J.c.attempts, _J.c.claimed_by, _J.c.payload)
# The oldest due job, claimed by one statement (the job comes back by RETURNING: no second read). On
# PostgreSQL the subquery's FOR UPDATE SKIP LOCKED lets several workers claim different jobs at once; on
# SQLite the write transaction's lock does it.
_NEXT_DUE = (select(_J.c.id).where(_J.c.status == JobStatus.PENDING, _J.c.next_attempt_at <= bindparam("now"))
             .order_by(_J.c.id).limit(1).with_for_update(skip_locked=True).scalar_subquery())
_CLAIM = (update(_J).where(_J.c.id == _NEXT_DUE, _J.c.status == JobStatus.PENDING)
          .values(status=JobStatus.SENDING, claimed_at=bindparam("now"), claimed_by=bindparam("owner"),
                  attempts=_J.c.attempts + 1)
          .returning(*_CLAIMED_COLUMNS))
_SET_PRINTED = (update(_J).where(_J.c.id == bindparam("job_id"), _J.c.status == JobStatus.SENDING,
                                 _J.c.claimed_by == bindparam("owner"))
                .values(status=JobStatus.PRINTED, printed_at=bindparam("now"), last_error=None))


def claim(session: Session, now: datetime, owner: str) -> ClaimedJob | None:
    """Take the oldest due job. Committed as 'sending' before any byte goes out."""
    return record_and_claim(session, now, owner)[1]


def record_and_claim(session: Session, now: datetime, owner: str,
                     printed: tuple[int, str | None, datetime] | None = None) -> tuple[bool, ClaimedJob | None]:
    """Record the job just sent as printed (`printed`: its id, owner and time) and claim the next due one,
    in one write transaction: the worker takes the database's write lock once per ticket, not twice.
    Returns (recorded, the claimed job or None); the claim is committed before any of its bytes go out."""
    with write_transaction(session):  # on SQLite the write lock the counters wait for: kept short
        db = core_connection(session)
        recorded = printed is None or _set_printed(db, *printed)
        row = db.execute(_CLAIM, {"now": now, "owner": owner}).first()
    return recorded, ClaimedJob(**row._asdict()) if row is not None else None


def _set_printed(db: Connection, job_id: int, owner: str | None, now: datetime) -> bool:
    return rowcount(db.execute(_SET_PRINTED, {"job_id": job_id, "owner": owner, "now": now})) == 1


def mark_printed(session: Session, job_id: int, owner: str | None, now: datetime) -> bool:
    with write_transaction(session):
        return _set_printed(core_connection(session), job_id, owner, now)


def backoff(settings: OutboxSettings, attempts: int) -> float:
    return outbox.backoff(settings.retry_base, settings.retry_max, attempts)


def _interrupt(session: Session, job: PrintJob | ClaimedJob, now: datetime, reason: str, tz: str,
               next_attempt_at: datetime) -> int | None:
    """Inside a write transaction: retire a job whose bytes may have printed; queue a COPY in its place."""
    done = rowcount(session.execute(
        update(PrintJob).where(PrintJob.id == job.id, PrintJob.status == JobStatus.SENDING,
                               PrintJob.claimed_by == job.claimed_by)
        .values(status=JobStatus.INTERRUPTED, last_error=reason[:300])
        .execution_options(synchronize_session=False)))
    if done != 1:
        return None
    copy_id = session.execute(insert(PrintJob).values(
        ticket_id=job.ticket_id, kind=JobKind.RECOVERY, copy=True, printer=job.printer,
        status=JobStatus.PENDING, attempts=0, created_at=now, next_attempt_at=next_attempt_at,
        payload=job.payload, replaces_job_id=job.id).returning(PrintJob.id)).scalar_one()
    ticket = session.get_one(Ticket, job.ticket_id)
    record_event(session, ticket.id, EventType.REPRINTED, now, business_date(now, tz), ticket.service_id,
                  outcome="interrupted", detail={"job_id": copy_id, "replaces_job_id": job.id})
    return copy_id


def mark_failed(session: Session, job: PrintJob | ClaimedJob, now: datetime, error: str, settings: OutboxSettings, *,
                maybe_printed: bool) -> datetime:
    """Put the job back with back-off (or, if bytes may have printed, replace it by a COPY job), and hold
    the printer's other waiting jobs until the same moment so they keep their order."""
    retry_at = now + timedelta(seconds=backoff(settings, job.attempts))
    with write_transaction(session):
        if maybe_printed:
            _interrupt(session, job, now, error, settings.timezone, retry_at)
        else:
            session.execute(
                update(PrintJob).where(PrintJob.id == job.id, PrintJob.status == JobStatus.SENDING,
                                       PrintJob.claimed_by == job.claimed_by)
                .values(status=JobStatus.PENDING, next_attempt_at=retry_at, last_error=error[:300])
                .execution_options(synchronize_session=False))
        session.execute(
            update(PrintJob).where(PrintJob.printer == job.printer, PrintJob.status == JobStatus.PENDING,
                                   PrintJob.next_attempt_at < retry_at)
            .values(next_attempt_at=retry_at).execution_options(synchronize_session=False))
    return retry_at




def recover_interrupted(session: Session, now: datetime, settings: OutboxSettings) -> list[int]:
    """Jobs left 'sending' by a worker that died (same host, process gone) or whose lease ran out are
    retired as 'interrupted' and reprinted as สำเนา / COPY. Returns the new COPY jobs' ids."""
    stale_before = now - timedelta(seconds=settings.send_lease)
    candidates = session.scalars(select(PrintJob).where(PrintJob.status == JobStatus.SENDING)).all()
    session.commit()
    copies = []
    for job in candidates:
        if not (outbox.owner_gone(job.claimed_by) or (job.claimed_at and job.claimed_at < stale_before)):
            continue
        with write_transaction(session):
            copy_id = _interrupt(session, job, now, f"worker {job.claimed_by} stopped while sending", settings.timezone,
                                 now)
        if copy_id is not None:
            log.warning("print job %s was interrupted while sending; ticket reprinted as COPY (job %s)",
                        job.id, copy_id)
            copies.append(copy_id)
    return copies


# --- the worker ----------------------------------------------------------------------------------------

class PrintWorker:
    """One per app (process). Where it runs is PRINT_WORKER: "thread" (the default) starts it on the first
    request unless TESTING or nothing prints; "process" leaves printing to `tambon printer run`
    (process.py), which this object wakes. Tests call :meth:`drain_once` directly."""

    def __init__(self, app, printers: dict[str, PrinterConfig] | None = None,
                 settings: OutboxSettings | None = None):
        self.app = app
        self.printers = printers if printers is not None else printer_map(app.config)
        self.settings = settings or OutboxSettings.from_config(app.config)
        self.health: dict[str, dict] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.in_thread = setting(app.config, "PRINT_WORKER", "thread") != "process"
        self.instance_path = app.config.get("INSTANCE_PATH", ".")
        # Around each write transaction: the worker process raises its CPU priority there (process.CpuPolicy).
        self.writing: Callable[[], AbstractContextManager[None]] = nullcontext
        # Jobs per drain_once pass; between passes a worker process writes its heartbeat and looks for its parent.
        self.pass_jobs = 500

    @property
    def enabled(self) -> bool:
        return any(p.enabled for p in self.printers.values())

    def printer(self, name: str) -> PrinterConfig:
        return self.printers.get(name) or self.printers[DEFAULT_PRINTER]

    def printer_failing(self, session: Session, name: str) -> bool:
        """Known to be failing: its jobs wait for a retry, or it last reported a problem (paper out…)."""
        if printer_retry_at(session, name) is not None:
            return True
        status = self.health.get(name, {}).get("status")
        return bool(status is not None and status.problem)

    def _session(self) -> Session:
        return self.app.extensions["tambon.sessionmaker"]()

    def warm_up(self) -> None:
        """Load fonts, python-escpos and each printer's cached ticket parts before the first job arrives."""
        from datetime import UTC

        content = TicketContent(number="A000", service_name_th="", service_name_en="",
                                issued_at=datetime.now(UTC), waiting_ahead=0,
                                status_url="https://example.invalid/t/warm-up",
                                office_name=self.settings.office_name, office_name_en=self.settings.office_name_en,
                                advice_th=self.settings.advice_th, advice_en=self.settings.advice_en,
                                timezone=self.settings.timezone)
        for cfg in self.printers.values():
            if cfg.enabled:
                render_content(content, cfg, self.settings.logo)

    def drain_once(self, now: datetime | None = None, limit: int | None = None) -> int:
        """Recover interrupted jobs, then send every due job, up to `limit` (pass_jobs). Returns how many
        sends were attempted: the limit itself means more may be due."""
        limit = limit or self.pass_jobs
        session = self._session()
        attempts = 0
        sent: tuple[ClaimedJob, backends.PrinterStatus] | None = None  # recorded with the next claim
        try:
            with self.writing():
                recover_interrupted(session, now or utcnow(), self.settings)
            owner = outbox.worker_id()
            while attempts < limit and not self._stop.is_set():
                printed = (sent[0].id, sent[0].claimed_by, now or utcnow()) if sent else None
                with self.writing():
                    recorded, job = record_and_claim(session, now or utcnow(), owner, printed)
                if sent is not None:
                    self._printed(*sent, recorded=recorded, now=now)
                    sent = None
                if job is None:
                    break
                attempts += 1
                sent = self._process(session, job, now)
        finally:
            if sent is not None:  # stopped, or the database failed, after a send: record it on its own
                try:
                    with self.writing():
                        recorded = mark_printed(session, sent[0].id, sent[0].claimed_by, now or utcnow())
                    self._printed(*sent, recorded=recorded, now=now)
                except Exception:  # left 'sending': recovered later as interrupted (a COPY), never lost
                    log.exception("print job %s was sent but could not be recorded", sent[0].id)
            session.close()
        return attempts

    def _record(self, name: str, **fields) -> None:
        self.health.setdefault(name, {}).update(fields)

    def _printed(self, job: ClaimedJob, status: backends.PrinterStatus, *, recorded: bool,
                 now: datetime | None) -> None:
        if not recorded:
            log.error("print job %s printed, but it was no longer ours to record (lease expired?)", job.id)
        self._record(job.printer, status=status, last_error=None, last_printed_at=now or utcnow())

    def _process(self, session: Session, job: ClaimedJob,
                 now: datetime | None) -> tuple[ClaimedJob, backends.PrinterStatus] | None:
        """Render and send a claimed job. Sent: (job, printer status), to be recorded as printed; not sent:
        None, the job put back for a retry (or replaced by a COPY if bytes may have gone out)."""
        cfg = self.printer(job.printer)
        label = job.payload.get("number", "ticket")
        try:
            dots, data = render_job(job, cfg, self.settings)
            status = backends.send(cfg, data, job_name=f"job-{job.id:06d}-{label}",
                                   png=run_cpu_bound(lambda: to_png(dots.image())) if cfg.spool_png else None)
        except backends.PrintError as exc:
            maybe_printed = isinstance(exc, backends.SendFailed)
            with self.writing():
                retry_at = mark_failed(session, job, now or utcnow(), str(exc), self.settings,
                                       maybe_printed=maybe_printed)
            self._record(job.printer, last_error=str(exc), status=exc.status or backends.PrinterStatus(
                reachable=False if isinstance(exc, backends.NotSent) else None, detail=str(exc)),
                retry_at=retry_at)
            log.warning("print job %s (%s) on %s failed: %s; retry at %s", job.id, label, job.printer, exc,
                        retry_at.isoformat(timespec="seconds"))
            return None
        except Exception as exc:  # a bug must not kill the worker or lose the job
            log.exception("print job %s could not be rendered or sent", job.id)
            with self.writing():
                mark_failed(session, job, now or utcnow(), f"{exc.__class__.__name__}: {exc}", self.settings,
                            maybe_printed=False)
            return None
        return job, status

    # thread control

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        if self._thread is not None and self._thread.is_alive():
            return True
        return not self.in_thread and process.worker_state(self.instance_path) is not None

    def nudge(self) -> None:
        if self.in_thread:
            self._wake.set()
        else:
            process.wake(self.instance_path)

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        outbox.run_passes(self.drain_once, self.pass_jobs, stop=self._stop, wake=self._wake,
                          poll=self.settings.poll, log=log, name="print worker")
