"""The durable notification outbox and the worker that empties it (modelled on kiosk.printing.outbox).

Why a citizen gets each notice once, and a dead LINE or SMS service never slows the office:

1. A notice row is inserted by an in-transaction hook of the event that causes it (notify.notices): it
   commits with the change or not at all. No request ever talks to LINE, the SMS gateway or SMTP.
2. A worker *claims* a due notice with a conditional ``UPDATE … SET status='sending' WHERE
   status='waiting'`` (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and commits that before sending, so no
   two workers send the same notice.
3. The provider's answer decides (notify.channels): sent → 'sent'; not accepted (429, 5xx, no connection)
   → 'waiting' again with exponential back-off (Retry-After honoured), and the channel's other waiting
   notices wait as long, so a struggling service is not hammered; a permanent refusal → 'failed'.
4. The window no protocol closes — the worker dies after the request left and before the answer was
   recorded. The notice is found 'sending' with a dead owner (same host) or an expired lease:
   - LINE push: sent again **with the same X-Line-Retry-Key**; if LINE had accepted it, it answers 409 and
     the notice is recorded as sent — the citizen gets it once. LINE keeps a retry key for 24 hours, so a
     push first tried more than 23 hours ago is not retried but marked 'failed'.
   - LINE reply: the reply token is accepted only once, so a second try cannot duplicate it either.
   - SMS and e-mail have no idempotency key: the notice is marked 'interrupted' and **never resent**
     (at most once). The officer sees "ไม่ทราบผล" on the case; that one message may or may not have arrived.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notify import channels as ch
from notify.models import Channel, LinkStatus, Notice, NoticeStatus, NotifyLink, Subject
from notify.notices import enqueue, near_text
from notify.settings import NotifySettings
from tambon import outbox
from tambon.db import rowcount, write_transaction
from tambon.thaidate import business_date, to_local, utcnow

log = logging.getLogger(__name__)
LINE_KEY_WINDOW = timedelta(hours=23)  # LINE remembers a retry key for 24 hours; keep a margin
CODE_KEPT_AFTER_EXPIRY = timedelta(days=7)  # "this code was used / has expired" stays answerable a week
SWEEP_EVERY = timedelta(hours=1)



def backoff(settings: NotifySettings, attempts: int) -> float:
    return outbox.backoff(settings.retry_base, settings.retry_max, attempts)


# --- the worker's steps (plain functions: tests drive them directly) ----------------------------------

def claim(session: Session, now: datetime, owner: str) -> Notice | None:
    # A plain read first: the worker is woken by every counter action, and on SQLite the claim's write
    # transaction takes the office-wide write lock — not worth taking when nothing is due.
    due = session.scalar(select(Notice.id).where(Notice.status == NoticeStatus.WAITING,
                                                 Notice.next_attempt_at <= now).limit(1))
    session.commit()
    if due is None:
        return None
    for _attempt in range(5):
        with write_transaction(session):
            notice_id = session.scalar(
                select(Notice.id).where(Notice.status == NoticeStatus.WAITING, Notice.next_attempt_at <= now)
                .order_by(Notice.next_attempt_at, Notice.id).limit(1).with_for_update(skip_locked=True))
            if notice_id is None:
                return None
            taken = rowcount(session.execute(
                update(Notice).where(Notice.id == notice_id, Notice.status == NoticeStatus.WAITING)
                .values(status=NoticeStatus.SENDING, claimed_at=now, claimed_by=owner,
                        attempts=Notice.attempts + 1,
                        first_attempt_at=func.coalesce(Notice.first_attempt_at, now))
                .execution_options(synchronize_session=False)))
            if taken == 1:
                return session.get(Notice, notice_id, populate_existing=True)
    return None


def _finish(session: Session, notice: Notice, **values) -> bool:
    """Record the outcome of a notice this worker holds (conditional on still holding it)."""
    with write_transaction(session):
        return rowcount(session.execute(
            update(Notice).where(Notice.id == notice.id, Notice.status == NoticeStatus.SENDING,
                                 Notice.claimed_by == notice.claimed_by)
            .values(**values).execution_options(synchronize_session=False))) == 1


def retry_later(session: Session, notice: Notice, now: datetime, error: str, settings: NotifySettings,
                after: float | None = None) -> datetime:
    """Back to 'waiting' with back-off; the channel's other waiting notices wait until the same moment."""
    delay = max(after or 0.0, backoff(settings, notice.attempts))
    retry_at = now + timedelta(seconds=delay)
    with write_transaction(session):
        session.execute(
            update(Notice).where(Notice.id == notice.id, Notice.status == NoticeStatus.SENDING,
                                 Notice.claimed_by == notice.claimed_by)
            .values(status=NoticeStatus.WAITING, next_attempt_at=retry_at, last_error=error[:300])
            .execution_options(synchronize_session=False))
        session.execute(
            update(Notice).where(Notice.channel == notice.channel, Notice.status == NoticeStatus.WAITING,
                                 Notice.next_attempt_at < retry_at)
            .values(next_attempt_at=retry_at).execution_options(synchronize_session=False))
    return retry_at




def recover_interrupted(session: Session, now: datetime, settings: NotifySettings) -> list[int]:
    """Notices left 'sending' by a dead worker (or past the lease): a LINE push or reply goes back to
    'waiting' (its retry key / reply token keeps it single); SMS and e-mail become 'interrupted'."""
    stale_before = now - timedelta(seconds=settings.send_lease)
    candidates = session.scalars(select(Notice).where(Notice.status == NoticeStatus.SENDING)).all()
    session.commit()
    recovered = []
    for notice in candidates:
        if not (outbox.owner_gone(notice.claimed_by) or (notice.claimed_at and notice.claimed_at < stale_before)):
            continue
        reason = f"worker {notice.claimed_by} stopped while sending"
        if notice.channel == Channel.LINE:
            values = {"status": NoticeStatus.WAITING, "next_attempt_at": now, "last_error": reason}
        else:
            values = {"status": NoticeStatus.INTERRUPTED, "last_error": f"{reason}; not resent (may have arrived)"}
        if _finish(session, notice, **values):
            log.warning("notice %s was interrupted while sending (%s)", notice.id, notice.channel)
            recovered.append(notice.id)
    return recovered


def month_start(now: datetime, tz: str) -> datetime:
    local = to_local(now, tz)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def sms_used_this_month(session: Session, now: datetime, tz: str) -> int:
    return session.scalar(select(func.count()).select_from(Notice).where(
        Notice.channel == Channel.SMS, Notice.created_at >= month_start(now, tz),
        Notice.status.in_((NoticeStatus.SENT, NoticeStatus.SENDING, NoticeStatus.INTERRUPTED)))) or 0


def scan_queue(session: Session, now: datetime, settings: NotifySettings, enabled: set[str]) -> int:
    """"อีก N คิวจะถึงคิวของท่าน": for today's linked tickets still waiting, once each, when at most N
    tickets are ahead. Decided from the queue's state (not from one event), so a missed wake-up or a
    restart only delays it to the next pass."""
    from kiosk import reads
    from tambon.errors import NotFound

    today = business_date(now, settings.timezone)
    done = select(Notice.link_id).where(Notice.kind == "queue.near", Notice.link_id.is_not(None))
    links = session.execute(select(NotifyLink.id, NotifyLink.channel, NotifyLink.subject_id,
                                   NotifyLink.subject_ref).where(
        NotifyLink.subject_kind == Subject.TICKET, NotifyLink.status == LinkStatus.ACTIVE,
        NotifyLink.business_date == today, NotifyLink.id.not_in(done))).all()
    session.commit()
    added = 0
    for link_id, channel, ticket_id, public_id in links:
        if channel not in enabled:
            continue
        try:
            status = reads.ticket_status(session, public_id, tz=settings.timezone)
        except NotFound:
            continue
        finally:
            session.commit()
        if status["status"] != "waiting" or status["waiting_ahead"] > settings.queue_near_threshold:
            continue
        try:
            with write_transaction(session):
                if enqueue(session, link_id=link_id, channel=channel, kind="queue.near", dedupe_key="queue.near",
                           text=near_text(status["number"], status["waiting_ahead"]), now=now,
                           subject_kind=Subject.TICKET, subject_id=ticket_id) is not None:
                    added += 1
        except IntegrityError:  # another worker wrote it first
            continue
    return added


def sweep(session: Session, now: datetime) -> None:
    """Forget old link codes (so the six-digit space never fills up) and yesterday's ticket addresses."""
    with write_transaction(session):
        session.execute(update(NotifyLink).where(NotifyLink.link_code.is_not(None),
                                                 NotifyLink.code_expires_at < now - CODE_KEPT_AFTER_EXPIRY)
                        .values(link_code=None).execution_options(synchronize_session=False))
        session.execute(update(NotifyLink).where(NotifyLink.subject_kind == Subject.TICKET,
                                                 NotifyLink.address.is_not(None),
                                                 NotifyLink.created_at < now - timedelta(days=2))
                        .values(address=None, status=LinkStatus.STOPPED, stopped_at=now, stop_reason="purged")
                        .execution_options(synchronize_session=False))


# --- the worker ----------------------------------------------------------------------------------------

class NotifyService:
    """One per app (process): the configured channels and the worker thread. Started on the first request
    unless TESTING or nothing is configured; tests call :meth:`drain_once`."""

    def __init__(self, app, settings: NotifySettings | None = None, adapters: dict[str, ch.Adapter] | None = None):
        self.app = app
        self.settings = settings or NotifySettings.from_config(app.config)
        self.channels: dict[str, ch.Adapter] = adapters if adapters is not None else self._adapters(app)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._last_sweep: datetime | None = None
        self.pass_jobs = 500  # notices per drain_once pass; a pass that ends at it is followed at once

    def _adapters(self, app) -> dict[str, ch.Adapter]:
        adapters: dict[str, ch.Adapter] = {}
        if self.settings.line_enabled:
            adapters[Channel.LINE] = ch.LineAdapter(self.settings)
        if self.settings.sms_enabled:
            adapters[Channel.SMS] = ch.ThaiBulkSmsAdapter(self.settings)
        if app.extensions.get("intake.settings") is not None and app.extensions["intake.settings"].smtp_host:
            from intake.notify import SmtpNotifier

            adapters[Channel.EMAIL] = ch.EmailAdapter(SmtpNotifier(app.extensions["intake.settings"]))
        return adapters

    @property
    def enabled(self) -> bool:
        return bool(self.channels)

    def _session(self) -> Session:
        return self.app.extensions["tambon.sessionmaker"]()

    def drain_once(self, now: datetime | None = None, limit: int | None = None) -> int:
        """Recover, find due queue notices, then send every due notice, up to `limit` (pass_jobs). Returns how
        many sends were tried: the limit itself means more may be due."""
        limit = limit or self.pass_jobs
        session = self._session()
        attempts = 0
        try:
            moment = now or utcnow()
            recover_interrupted(session, moment, self.settings)
            if self._last_sweep is None or moment - self._last_sweep >= SWEEP_EVERY:
                sweep(session, moment)
                self._last_sweep = moment
            scan_queue(session, moment, self.settings, set(self.channels))
            owner = outbox.worker_id()
            while attempts < limit and not self._stop.is_set():
                notice = claim(session, now or utcnow(), owner)
                if notice is None:
                    break
                attempts += 1
                self._process(session, notice, now)
        finally:
            session.close()
        return attempts

    def _process(self, session: Session, notice: Notice, now: datetime | None) -> None:
        moment = now or utcnow()
        adapter = self.channels.get(notice.channel)
        link = session.get(NotifyLink, notice.link_id) if notice.link_id is not None else None
        session.commit()
        if adapter is None:
            _finish(session, notice, status=NoticeStatus.FAILED, last_error=f"{notice.channel} is not configured")
            return
        if link is not None and (link.status != LinkStatus.ACTIVE or not link.address) and not notice.reply_token:
            _finish(session, notice, status=NoticeStatus.SKIPPED,
                    last_error=f"the citizen stopped notices ({link.stop_reason or link.status})")
            return
        if (notice.channel == Channel.LINE and not notice.reply_token and notice.first_attempt_at is not None
                and moment - notice.first_attempt_at > LINE_KEY_WINDOW):
            _finish(session, notice, status=NoticeStatus.FAILED,
                    last_error="LINE's retry-key window (24 h) has passed; not retried")
            return
        if notice.channel == Channel.SMS:
            cap = self.settings.sms_monthly_cap
            # this notice is already counted ('sending')
            if sms_used_this_month(session, moment, self.settings.timezone) > cap:
                _finish(session, notice, status=NoticeStatus.SKIPPED, last_error=f"monthly SMS cap ({cap}) reached")
                return
            session.commit()
        if notice.attempts > self.settings.max_attempts:
            _finish(session, notice, status=NoticeStatus.FAILED, last_error=notice.last_error or "too many attempts")
            return
        delivery = ch.Delivery(to=link.address if link is not None else None, text=notice.text,
                               retry_key=notice.retry_key, reply_token=notice.reply_token,
                               subject=notice.text.splitlines()[0][:120])
        try:
            outcome = adapter.send(delivery)
        except Exception as exc:  # a bug must not kill the worker or lose the notice
            # the class only: a provider's message may quote the citizen's address or number
            log.error("notice %s could not be sent: %s", notice.id, exc.__class__.__name__)
            outcome = ch.TryLater(f"{exc.__class__.__name__}: {exc}")
        self._record(session, notice, outcome, now)

    def _record(self, session: Session, notice: Notice, outcome: ch.Outcome, now: datetime | None) -> None:
        moment = now or utcnow()
        if isinstance(outcome, ch.Sent):
            if not _finish(session, notice, status=NoticeStatus.SENT, sent_at=moment, last_error=None,
                           provider_ref=outcome.provider_ref):
                log.error("notice %s was sent, but no longer ours to record (lease expired?)", notice.id)
        elif isinstance(outcome, ch.TryLater):
            if notice.reply_token and notice.attempts >= 3:
                _finish(session, notice, status=NoticeStatus.FAILED, last_error=outcome.error[:300])
                return
            retry_at = retry_later(session, notice, moment, outcome.error, self.settings, outcome.after)
            log.warning("notice %s (%s) not sent: %s; retry at %s", notice.id, notice.channel, outcome.error,
                        retry_at.isoformat(timespec="seconds"))
        elif isinstance(outcome, ch.Refused):
            log.warning("notice %s (%s) failed: %s", notice.id, notice.channel, outcome.error)
            _finish(session, notice, status=NoticeStatus.FAILED, last_error=outcome.error[:300])
        else:
            _finish(session, notice, status=NoticeStatus.INTERRUPTED,
                    last_error=f"{outcome.error}; not resent (may have arrived)"[:300])

    # thread control

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="notify-worker", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def nudge(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        outbox.run_passes(self.drain_once, self.pass_jobs, stop=self._stop, wake=self._wake,
                          poll=self.settings.poll, log=log, name="notify worker")
