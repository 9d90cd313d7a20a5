"""The office side (login): staff entry of complaints from other channels, the inbox with filters and
deadlines, a complaint's page with the workflow actions, personal data behind a logged view, QR posters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Row, func, or_, select

from intake import access, complaints, posters
from intake.digest import ack_overdue_clause, nearly_due_clause, nearly_due_limit, overdue_clause
from intake.models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    SOURCES,
    STAFF_CHANNELS,
    STATUSES,
    TYPES,
    Complaint,
    ComplaintAccessLog,
    ComplaintAttachment,
    ComplaintEvent,
)
from intake.views import form_to_data, public_url, settings, uploaded_files
from tambon import events
from tambon.auth import Role, require_role
from tambon.auth.models import User
from tambon.concurrency import run_cpu_bound
from tambon.db import get_session, write_transaction
from tambon.errors import DomainError, Invalid
from tambon.thaidate import business_date, utcnow

bp = Blueprint("intake_office", __name__, url_prefix="/office/complaints", template_folder="templates")

INBOX = (Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)   # admin is always allowed by require_role
ENTRY = (Role.COUNTER, Role.OFFICER, Role.EXECUTIVE, Role.OVERSIGHT)
PAGE_SIZE = 50


def _user() -> User:
    return current_user._get_current_object()


@bp.get("")
@require_role(*INBOX)
def inbox():
    session = get_session()
    user = _user()
    now = utcnow()
    limit = nearly_due_limit(session, settings(), now)
    visible = access.visible_clause(user)
    args = request.args
    view = args.get("view", "open")
    stmt = select(Complaint).where(visible)
    filters = {"open": Complaint.status.in_(OPEN_STATUSES), "overdue": overdue_clause(now),
               "nearly_due": nearly_due_clause(now, limit), "not_acknowledged": ack_overdue_clause(now),
               "done": Complaint.status.in_(DONE_STATUSES), "mine": Complaint.assigned_user_id == user.id}
    if view in filters:
        stmt = stmt.where(filters[view])
    if args.get("status") in STATUSES:
        stmt = stmt.where(Complaint.status == args["status"])
    if args.get("type") in TYPES:
        stmt = stmt.where(Complaint.type == args["type"])
    if args.get("division") in settings().divisions:
        stmt = stmt.where(Complaint.division == args["division"])
    if args.get("channel"):
        stmt = stmt.where(Complaint.channel == args["channel"])
    q = (args.get("q") or "").strip()[:100]
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Complaint.tracking_code.ilike(like), Complaint.subject.ilike(like)))
    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    order = Complaint.due_at if view != "done" else Complaint.updated_at.desc()
    rows = session.scalars(stmt.order_by(order, Complaint.id).offset((page - 1) * PAGE_SIZE)
                           .limit(PAGE_SIZE + 1)).all()
    counts = {name: session.scalar(select(func.count()).select_from(Complaint).where(visible, cond))
              for name, cond in filters.items() if name in ("open", "overdue", "nearly_due", "not_acknowledged")}
    cleared = []
    if user.role in access.NAMED_STAFF_ROLES:
        # Invariant 2: every clearing of "named staff" is shown to the executive (and oversight) here.
        cleared = session.execute(
            select(ComplaintEvent.at, ComplaintEvent.text, Complaint.tracking_code, User.display_name)
            .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
            .outerjoin(User, User.id == ComplaintEvent.user_id)
            .where(ComplaintEvent.type == "named_staff_cleared", visible)
            .order_by(ComplaintEvent.id.desc()).limit(20)).all()
    return render_template("intake/inbox.html", rows=rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE, page=page,
                           cleared=cleared,
                           view=view, counts=counts, now=now, nearly=limit, types=TYPES, statuses=STATUSES,
                           divisions=settings().divisions, args=args, channels=STAFF_CHANNELS + ("web", "open311"))


def _staff_choices(session) -> list[User]:
    return session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)).all()


@bp.route("/new", methods=["GET", "POST"])
@require_role(*ENTRY)
def new():
    session = get_session()
    error, values = None, {}
    if request.method == "POST":
        data = form_to_data(request.form)
        try:
            files = uploaded_files()
            result = complaints.submit(session, data, files=files, staff_user=_user(), settings=settings())
        except DomainError as err:
            error, values = err, {k: v for k, v in request.form.items() if k != "csrf_token"}
        else:
            return render_template("intake/receipt.html", result=result, staff=True,
                                   status_url=public_url(url_for("intake.status", code=result.tracking_code)))
    return render_template("intake/staff_form.html", types=TYPES, channels=STAFF_CHANNELS, error=error,
                           values=values, staff=_staff_choices(session), today=business_date(utcnow()).isoformat(),
                           max_files=settings().max_files), (error.status if error else 200)


def _detail(code: str, *, show_contact: bool = False):
    session = get_session()
    user = _user()
    c = complaints.find_for(session, code, user)
    if show_contact:
        access.require_personal(user, c)
        with write_transaction(session):
            access.log_access(session, c, user, "contact", request.remote_addr)
        c = complaints.find_for(session, code, user)
    history = session.scalars(select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id)
                              .order_by(ComplaintEvent.id)).all()
    user_ids = {e.user_id for e in history if e.user_id} | {c.assigned_user_id, c.named_staff_user_id}
    names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(user_ids - {None}))).all()}
    files = session.execute(select(ComplaintAttachment.id, ComplaintAttachment.filename,
                                   ComplaintAttachment.content_type, ComplaintAttachment.size)
                            .where(ComplaintAttachment.complaint_id == c.id)).all()
    access_log: Sequence[Row[datetime, str, str]] = []
    if user.role in (Role.EXECUTIVE, Role.OVERSIGHT, Role.ADMIN):
        access_log = session.execute(select(ComplaintAccessLog.at, ComplaintAccessLog.what, User.display_name)
                                     .join(User, User.id == ComplaintAccessLog.user_id)
                                     .where(ComplaintAccessLog.complaint_id == c.id)
                                     .order_by(ComplaintAccessLog.id.desc()).limit(50)).all()
    officers = access.assignable(session, c)
    return render_template(
        "intake/detail.html", c=c, history=history, names=names, files=files, show_contact=show_contact,
        can_act=access.can_act(user, c), can_assign=access.can_assign(user, c),
        can_name_staff=access.may_set_named_staff(user, c),
        can_personal=access.can_view_personal(user, c), actions=complaints.allowed_actions(c.status),
        divisions=settings().divisions, officers=officers, staff=_staff_choices(session), now=utcnow(),
        access_log=access_log, status_url=public_url(url_for("intake.status", code=c.tracking_code)),
        duplicate_of=complaints.probable_duplicate_of(session, c, user))


@bp.get("/<code>")
@require_role(*INBOX)
def detail(code: str):
    return _detail(code)


@bp.get("/<code>/contact")
@require_role(*INBOX)
def contact(code: str):
    response = Response(_detail(code, show_contact=True))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<code>/files/<int:file_id>")
@require_role(*INBOX)
def attachment(code: str, file_id: int):
    session = get_session()
    user = _user()
    c = complaints.find_for(session, code, user)
    access.require_personal(user, c)
    f = session.scalar(select(ComplaintAttachment).where(ComplaintAttachment.id == file_id,
                                                         ComplaintAttachment.complaint_id == c.id))
    if f is None:
        raise access.not_found(code)
    with write_transaction(session):
        access.log_access(session, c, user, "attachment", request.remote_addr)
    return Response(f.data, mimetype=f.content_type, headers={
        "Content-Disposition": f'attachment; filename="file-{f.id}{_ext(f.content_type)}"',
        "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; sandbox"})


def _ext(content_type: str) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}.get(
        content_type, "")


ACTIONS = {
    "acknowledge": lambda s, code, u, f: complaints.acknowledge(s, code, u, note=f.get("note")),
    "assign": lambda s, code, u, f: complaints.assign(
        s, code, u, division=f.get("division") or "", settings=settings(),
        assignee_id=int(f["assignee_id"]) if (f.get("assignee_id") or "").isdigit() else None),
    "progress": lambda s, code, u, f: complaints.progress(s, code, u, note=f.get("note")),
    "note": lambda s, code, u, f: complaints.add_note(s, code, u, note=f.get("note")),
    "answer": lambda s, code, u, f: complaints.answer(s, code, u, text=f.get("text"), close=f.get("close") == "1"),
    "close": lambda s, code, u, f: complaints.close(s, code, u, note=f.get("note")),
    "reject": lambda s, code, u, f: complaints.reject(s, code, u, reason=f.get("reason")),
    "forward": lambda s, code, u, f: complaints.forward(s, code, u, agency=f.get("agency"), note=f.get("note")),
    "named_staff": lambda s, code, u, f: complaints.set_named_staff(
        s, code, u, named_user_id=int(f["named_user_id"]) if (f.get("named_user_id") or "").isdigit() else None,
        reason=f.get("reason")),
}


@bp.post("/<code>/action")
@require_role(*INBOX)
def action(code: str):
    name = request.form.get("action")
    if name not in ACTIONS:
        raise Invalid("bad_action", "ไม่รู้จักคำสั่งนี้", "Unknown action")
    c = ACTIONS[name](get_session(), code, _user(), request.form)
    flash(_("Saved."), "ok")
    if not access.can_view(_user(), c):  # e.g. the officer just recorded themselves… or reassigned away
        return redirect(url_for("intake_office.inbox"))
    return redirect(url_for("intake_office.detail", code=c.tracking_code))


# --- QR posters ----------------------------------------------------------------------------------------------

@bp.get("/posters")
@require_role(*ENTRY)
def poster_list():
    return render_template("intake/posters.html", sources=SOURCES,
                           links={s: public_url(url_for("intake.new_complaint", src=s)) for s in SOURCES})


@bp.get("/posters/<src>.<fmt>")
@require_role(*ENTRY)
def poster(src: str, fmt: str):
    size = request.args.get("size", "A4").upper()
    if src not in SOURCES or fmt not in ("png", "pdf") or size not in posters.SIZES_MM:
        raise Invalid("bad_poster", "จุดติดตั้ง ขนาด (A4/A5) หรือชนิดไฟล์ (png/pdf) ไม่ถูกต้อง",
                      "Unknown place, size (A4/A5) or format (png/pdf)")
    data = run_cpu_bound(posters.poster_bytes, public_url(url_for("intake.new_complaint", src=src)),
                         office_name=current_app.config["OFFICE_NAME"], source=src, size=size, fmt=fmt,
                         deadline_text=settings().deadline_for("complaint").describe_th(),
                         # another package's box, e.g. notify's "รับแจ้งผลทาง LINE" when LINE is configured
                         notice_box=events.contributions(get_session(), "complaint.poster", {}).get("notice_box"))
    return Response(data, mimetype="application/pdf" if fmt == "pdf" else "image/png", headers={
        "Content-Disposition": f'inline; filename="complaint-qr-{src}-{size}.{fmt}"'})
