"""Retention: remove complainants' personal data once a finished case is old enough.

``tambon complaints purge-personal-data --older-than-days N`` clears the contact details, deletes the
attachments and marks the complaint anonymous, for complaints in a final status whose last change is more
than N days ago, and forgets wrong-PIN counts a day old. The case itself (type, dates, status history, answers) stays for the statistics; the
event log is append-only and never held contact details in the first place.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from intake.complaints import PIN_FORGET_AFTER, _event
from intake.models import DONE_STATUSES, Complaint, ComplaintAttachment, ComplaintPinAttempt
from tambon import events
from tambon.db import write_transaction
from tambon.errors import Invalid
from tambon.thaidate import utcnow


def purge_personal_data(session, older_than_days: int, *, now: datetime | None = None,
                        dry_run: bool = False) -> list[str]:
    if older_than_days < 1:
        raise Invalid("bad_days", "จำนวนวันต้องมากกว่า 0", "--older-than-days must be at least 1")
    now = now or utcnow()
    cutoff = now - timedelta(days=older_than_days)
    with write_transaction(session):
        rows = session.scalars(select(Complaint).where(
            Complaint.status.in_(DONE_STATUSES), Complaint.updated_at < cutoff,
            Complaint.personal_data_purged_at.is_(None)).order_by(Complaint.id).with_for_update()).all()
        codes = [c.tracking_code for c in rows]
        if dry_run:
            session.rollback()
            return codes
        for c in rows:
            c.contact_name = c.contact_phone = c.contact_email = c.contact_line_id = None
            c.anonymous, c.notify_citizen, c.personal_data_purged_at = True, False, now
            session.execute(delete(ComplaintAttachment).where(ComplaintAttachment.complaint_id == c.id))
            _event(session, c, "purged", now, None, actor="system", detail={"older_than_days": older_than_days})
            # other packages holding this complainant's contact details forget them in this transaction
            events.publish(session, "complaint.purged", {"complaint_id": c.id, "at": now.isoformat()})
        # Wrong-PIN counts (per client, pseudonymous) no longer matter a day after the last wrong PIN.
        session.execute(delete(ComplaintPinAttempt).where(ComplaintPinAttempt.last_failed_at < now - PIN_FORGET_AFTER))
    return codes
