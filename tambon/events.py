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


# --- contributions: a package adds fields to another's answer, or a fragment to its page --------------------
# E.g. notify adds ``line_link_code`` to the answer of POST /api/v1/complaints ("complaint.receipt") and the
# "รับแจ้งผลทาง LINE" box to the receipt page ("complaint.receipt.html" → {"html": Markup}), without the
# complaint desk knowing about LINE. A failing contributor is logged and left out: the answer still goes.

Contributor = Callable[[Session, dict[str, Any]], dict[str, Any]]
_contributors: dict[str, list[Contributor]] = defaultdict(list)


def contribute(topic: str, fn: Contributor) -> None:
    """Register fn(session, payload) -> dict of extra fields for `topic`. Idempotent per function."""
    if fn not in _contributors[topic]:
        _contributors[topic].append(fn)


def contributions(session: Session, topic: str, payload: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for fn in _contributors.get(topic, ()):
        try:
            extra.update(fn(session, payload) or {})
        except Exception:
            log.exception("contributor %r failed for %s", fn, topic)
    return extra


def contributed_html(session: Session, topic: str, **payload: Any) -> Any:
    """The HTML fragments contributed to a page; a Jinja global (``{{ contributed_html("x.html", ...) }}``)
    with the request's session bound by the app factory."""
    from markupsafe import Markup

    parts = []
    for fn in _contributors.get(topic, ()):
        try:
            html = (fn(session, payload) or {}).get("html")
        except Exception:
            log.exception("contributor %r failed for %s", fn, topic)
            continue
        if html:
            parts.append(Markup(html))
    return Markup("").join(parts)
