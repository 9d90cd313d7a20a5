"""`tambon complaints …`: the daily digest, the retention purge, the holiday calendar, QR posters."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tambon.errors import DomainError


class CliError(click.ClickException):
    exit_code = 2


def _settings():
    return current_app.extensions["intake.settings"]


@click.group("complaints")
def complaints_group() -> None:
    """Complaints and feedback (ITA measures 9 and 10)."""


@complaints_group.command("digest")
@click.option("--as-of", "as_of", default=None, help="Local date YYYY-MM-DD (default: now).")
@click.option("--send/--no-send", default=True, show_default=True,
              help="E-mail each digest when SMTP and the recipient's address are configured.")
@click.option("--quiet", is_flag=True, help="Do not print the digests.")
@with_appcontext
def digest(as_of: str | None, send: bool, quiet: bool) -> None:
    """Overdue and nearly-due complaints for each officer and the executive (run daily from cron)."""
    from intake.digest import build_digests
    from tambon.db import get_session
    from tambon.thaidate import utcnow, zone

    settings = _settings()
    now = utcnow()
    if as_of:
        try:
            now = datetime.combine(date.fromisoformat(as_of), time(8, 0), tzinfo=zone(settings.timezone))
        except ValueError as exc:
            raise CliError(f"วันที่ไม่ถูกต้อง / bad date {as_of!r} (YYYY-MM-DD)") from exc
    notifier = current_app.extensions["intake.notifiers"].get("email")
    sent = 0
    for d in build_digests(get_session(), settings=settings, now=now):
        text = d.render(settings, now)
        if not quiet:
            click.echo(text)
            click.echo("")
        address = settings.digest_recipients.get(d.recipient.username)
        if send and notifier is not None and address and not d.empty:
            try:
                notifier.send(address, "สรุปเรื่องร้องเรียนประจำวัน / Daily complaint digest", text)
                sent += 1
            except OSError as exc:
                click.echo(f"ส่งอีเมลถึง {address} ไม่สำเร็จ / could not e-mail {address}: {exc}", err=True)
    if notifier is None:
        click.echo("(ไม่ได้ตั้งค่า SMTP จึงไม่ได้ส่งอีเมล / SMTP not configured: nothing e-mailed)", err=True)
    else:
        click.echo(f"ส่งอีเมลแล้ว {sent} ฉบับ / {sent} e-mails sent", err=True)


@complaints_group.command("purge-personal-data")
@click.option("--older-than-days", type=click.IntRange(min=1), default=None,
              help="Finished complaints last changed more than N days ago (default COMPLAINT_RETENTION_DAYS).")
@click.option("--dry-run", is_flag=True, help="Only list what would be purged.")
@with_appcontext
def purge(older_than_days: int | None, dry_run: bool) -> None:
    """Delete complainants' contact details and attachments after the retention period."""
    from intake.retention import purge_personal_data
    from tambon.db import get_session

    days = older_than_days or _settings().retention_days
    try:
        codes = purge_personal_data(get_session(), days, dry_run=dry_run)
    except DomainError as err:
        raise CliError(f"{err.message_th} / {err.message_en}") from err
    verb = "จะลบ / would purge" if dry_run else "ลบแล้ว / purged"
    click.echo(f"{verb}: {len(codes)} " + " ".join(codes))


@complaints_group.group("holiday")
def holiday_group() -> None:
    """Public holidays besides weekends (for working-day deadlines)."""


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"วันที่ไม่ถูกต้อง / bad date {text!r} (YYYY-MM-DD, ค.ศ.)") from exc


@holiday_group.command("add")
@click.argument("day")
@click.argument("name_th")
@click.option("--name-en", default="")
@with_appcontext
def holiday_add(day: str, name_th: str, name_en: str) -> None:
    """Add (or rename) a holiday, e.g. `tambon complaints holiday add 2026-03-03 วันมาฆบูชา`."""
    from intake.models import Holiday
    from tambon.db import get_session, write_transaction

    the_day = _parse_day(day)
    session = get_session()
    with write_transaction(session):
        row = session.get(Holiday, the_day)
        if row is None:
            session.add(Holiday(day=the_day, name_th=name_th, name_en=name_en))
        else:
            row.name_th, row.name_en = name_th, name_en
    click.echo(f"เพิ่มวันหยุด {the_day} {name_th} แล้ว / holiday saved")


@holiday_group.command("remove")
@click.argument("day")
@with_appcontext
def holiday_remove(day: str) -> None:
    from intake.models import Holiday
    from tambon.db import get_session, write_transaction

    the_day = _parse_day(day)
    session = get_session()
    with write_transaction(session):
        row = session.get(Holiday, the_day)
        if row is None:
            raise CliError(f"ไม่มีวันหยุด {the_day} ในตาราง / no such holiday")
        session.delete(row)
    click.echo(f"ลบวันหยุด {the_day} แล้ว / removed")


@holiday_group.command("list")
@click.option("--year", type=int, default=None, help="Gregorian year (default: this year).")
@with_appcontext
def holiday_list(year: int | None) -> None:
    """The non-working days of a year: the built-in fixed-date holidays and the table's."""
    from sqlalchemy import select

    from intake.calendar import fixed_holidays
    from intake.models import Holiday
    from tambon.db import get_session

    year = year or date.today().year
    days: dict[date, str] = fixed_holidays(year) if _settings().builtin_holidays else {}
    for row in get_session().scalars(select(Holiday).where(Holiday.day >= date(year, 1, 1),
                                                           Holiday.day <= date(year, 12, 31))):
        days[row.day] = row.name_th
    for text in _settings().extra_holidays:
        d = date.fromisoformat(text)
        if d.year == year:
            days.setdefault(d, "COMPLAINT_HOLIDAYS")
    for d in sorted(days):
        if d.year == year:
            click.echo(f"{d.isoformat()}  {days[d]}")


@complaints_group.command("poster")
@click.option("--src", "source", required=True, type=click.Choice(
    ["counter", "notice_board", "kiosk", "ticket", "website", "facebook", "line"]))
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True)
@click.option("--base-url", default=None, help="Public address of the service (default PUBLIC_BASE_URL).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def poster(source: str, size: str, base_url: str | None, out: str) -> None:
    """Write a QR poster (.png or .pdf) that opens the complaint form from SRC."""
    from intake.posters import poster_bytes

    base = (base_url or current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base:
        raise CliError("ต้องระบุ --base-url หรือ PUBLIC_BASE_URL / give --base-url or set PUBLIC_BASE_URL")
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf"):
        raise CliError("ไฟล์ต้องลงท้าย .png หรือ .pdf / --out must end in .png or .pdf")
    Path(out).write_bytes(poster_bytes(f"{base}/complaints/new?src={source}", office_name=current_app.config[
        "OFFICE_NAME"], source=source, size=size, fmt=fmt,
        deadline_text=_settings().deadline_for("complaint").describe_th()))
    click.echo(f"เขียนโปสเตอร์ไว้ที่ {out} แล้ว / poster written to {out}")
