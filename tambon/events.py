"""The after-commit event hook.

Domain functions append their event rows (ticket_events, complaint_events) in the same transaction as
the state change, and call :func:`publish` for anything that should *react* (a Socket.IO push, a print
job nudge, a notice). Subscribers run only after the transaction commits — never for a rolled-back
change — and outside the SQLite write lock, so a slow subscriber never blocks the queue.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Subscriber = Callable[[str, dict[str, Any]], None]
InTransactionHook = Callable[[Session, str, dict[str, Any]], None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)
_in_transaction: dict[str, list[InTransactionHook]] = defaultdict(list)

PENDING = "tambon_pending_events"
COMMITTED = "tambon_committed_events"


def subscribe(topic: str, fn: Subscriber) -> None:
    """Register fn(topic, payload) for a topic ('*' for every topic). Idempotent per function."""
    if fn not in _subscribers[topic]:
        _subscribers[topic].append(fn)


def unsubscribe(topic: str, fn: Subscriber) -> None:
    if fn in _subscribers[topic]:
        _subscribers[topic].remove(fn)


def on_write(topic: str, hook: InTransactionHook) -> None:
    """Register hook(session, topic, payload) to run *inside* the publishing transaction.

    For work that must commit or fail together with the change, e.g. the print outbox row of a new ticket.
    An exception here rolls the whole change back."""
    if hook not in _in_transaction[topic]:
        _in_transaction[topic].append(hook)


def publish(session: Session, topic: str, payload: dict[str, Any]) -> None:
    """Run in-transaction hooks now; deliver to subscribers once the transaction commits."""
    for hook in _in_transaction.get(topic, ()):
        hook(session, topic, payload)
    session.info.setdefault(PENDING, []).append((topic, payload))


@event.listens_for(Session, "after_commit")
def mark_committed(session: Session) -> None:
    """The transaction that published the pending events committed (also called by tambon.db.core_write,
    whose transaction is the connection's, not the session's)."""
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(COMMITTED, []).extend(pending)


@event.listens_for(Session, "after_rollback")
def drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def dispatch_committed(session: Session) -> None:
    """Deliver committed events. A failing subscriber is logged; it never undoes the committed change."""
    committed = session.info.pop(COMMITTED, None) or []
    for topic, payload in committed:
        for fn in (*_subscribers.get(topic, ()), *_subscribers.get("*", ())):
            try:
                fn(topic, payload)
            except Exception:  # a display or printer problem must not break the counter
                log.exception("event subscriber %r failed for %s", fn, topic)
