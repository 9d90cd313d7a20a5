"""The measure report (รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส): the text of each
fiscal year's ten measures and their photo evidence, carried from year to year and edited by an admin;
measures 4, 9 and 10 get their ผลการดำเนินงาน from the service's own data."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from reports import complaints
from reports.models import DATA_MEASURES, MeasureEntry, MeasurePhoto, ReportLog
from tambon.concurrency import run_cpu_bound
from tambon.db import write_transaction
from tambon.errors import Invalid, NotFound
from tambon.thaidate import MONTHS_TH, MONTHS_TH_ABBR, fiscal_year_bounds, format_date, to_local, utcnow

EDITABLE_FIELDS = ("title", "method", "responsible", "period", "result", "suggestion")
FIELD_LIMITS = {"title": 2000, "method": 4000, "responsible": 200, "period": 200, "result": 4000,
                "suggestion": 2000}
FIELD_NAMES_TH = {"title": "มาตรการ/แนวทาง", "method": "วิธีการดำเนินการ", "responsible": "ผู้รับผิดชอบ",
                  "period": "ระยะเวลาดำเนินการ", "result": "ผลการดำเนินงาน", "suggestion": "ข้อเสนอแนะ"}
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTO_SIDE = 1600
MAX_PHOTOS_PER_MEASURE = 12
MIN_YEAR, MAX_YEAR = 2560, 2700


def check_year(fiscal_year: int) -> int:
    if not isinstance(fiscal_year, int) or not MIN_YEAR <= fiscal_year <= MAX_YEAR:
        raise Invalid("bad_fiscal_year", f"ปีงบประมาณต้องเป็นปี พ.ศ. {MIN_YEAR}–{MAX_YEAR}",
                      f"Fiscal year must be a Buddhist-era year {MIN_YEAR}–{MAX_YEAR}")
    return fiscal_year


def _shift_years(text: str, source: int, target: int) -> str:
    return re.sub(rf"(?<!\d){source}(?!\d)", str(target), text)


_MONTH = "|".join(re.escape(m) for m in (*MONTHS_TH, *MONTHS_TH_ABBR))
# A Buddhist-era year written out (2565), or its last two digits after a Thai month (10 มี.ค.65, เม.ย.๖5).
_YEAR = re.compile(rf"(?<!\d)(25\d\d)(?!\d)|(?:{_MONTH})\s*(\d\d)(?!\d)")


def stale_years(text: str, fiscal_year: int) -> list[int]:
    """Buddhist-era years in a text that are older than this fiscal year can speak of: a fiscal year runs
    from October of the year before, so fiscal 2570's text may name 2569 and 2570, not 2565."""
    found = set()
    for full, short in _YEAR.findall(text.translate(_ARABIC_DIGITS)):
        year = int(full) if full else 2500 + int(short)
        if year < fiscal_year - 1:
            found.add(year)
    return sorted(found)


_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def reviewable_fields(number: int) -> tuple[str, ...]:
    """The cells a clerk writes (measures 4, 9, 10 have their results written from the data)."""
    return tuple(f for f in EDITABLE_FIELDS if not (f == "result" and number in DATA_MEASURES))


def unreviewed_fields(entry: MeasureEntry) -> list[str]:
    return [f for f in (entry.unreviewed or "").split(",") if f]


def year_measures(session: Session, fiscal_year: int) -> list[MeasureEntry]:
    """The ten measures of a fiscal year; the first time a year is asked for, its rows are carried
    forward from the nearest earlier year (text and photos; the period's year moves with it)."""
    check_year(fiscal_year)
    rows = _load(session, fiscal_year)
    if rows:
        return rows
    source_year = session.scalar(select(func.max(MeasureEntry.fiscal_year))
                                 .where(MeasureEntry.fiscal_year < fiscal_year)) or session.scalar(
        select(func.min(MeasureEntry.fiscal_year)))
    if source_year is None:
        from reports.seed import FISCAL_YEAR, MEASURES, PERIOD

        sources = [MeasureEntry(fiscal_year=FISCAL_YEAR, period=PERIOD, suggestion=m["suggestion"],
                                **{k: v for k, v in m.items() if k != "suggestion"}) for m in MEASURES]
        source_year = FISCAL_YEAR
    else:
        sources = _load(session, source_year)
    try:
        with write_transaction(session):
            for src in sources:
                entry = MeasureEntry(
                    fiscal_year=fiscal_year, number=src.number, title=src.title, method=src.method,
                    responsible=src.responsible, period=_shift_years(src.period, source_year, fiscal_year),
                    result=src.result, suggestion=src.suggestion, updated_at=utcnow(), carried_from=source_year,
                    unreviewed=",".join(f for f in reviewable_fields(src.number) if getattr(src, f)))
                entry.photos = [MeasurePhoto(caption=p.caption, content_type=p.content_type, data=p.data,
                                             width=p.width, height=p.height, position=p.position)
                                for p in getattr(src, "photos", []) or []]
                session.add(entry)
    except IntegrityError:
        pass  # another request carried the year forward first
    return _load(session, fiscal_year)


def _load(session: Session, fiscal_year: int) -> list[MeasureEntry]:
    return list(session.scalars(select(MeasureEntry).where(MeasureEntry.fiscal_year == fiscal_year)
                                .options(selectinload(MeasureEntry.photos)).order_by(MeasureEntry.number)))


def get_measure(session: Session, fiscal_year: int, number: int) -> MeasureEntry:
    for entry in year_measures(session, fiscal_year):
        if entry.number == number:
            return entry
    raise NotFound("unknown_measure", f"ไม่พบมาตรการที่ {number}", f"No measure {number}")


def update_measure(session: Session, fiscal_year: int, number: int, *, user_id: int | None = None,
                   keep_years: bool = False, **fields: str) -> MeasureEntry:
    """Save a measure's cells; the saved cells count as reviewed for this year. A cell still naming an
    older year (2565 in a 2570 report) is refused unless the clerk says to keep it (``keep_years``)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid("bad_field", "แก้ไขได้เฉพาะข้อความในตาราง", f"Unknown fields: {', '.join(sorted(unknown))}")
    clean = {}
    for name, value in fields.items():
        value = (value or "").replace("\r\n", "\n").strip()
        if name in ("title", "responsible") and not value:
            raise Invalid("required", "ต้องกรอกมาตรการและผู้รับผิดชอบ", "Measure and responsible unit are required")
        if len(value) > FIELD_LIMITS[name]:
            raise Invalid("too_long", f"ข้อความยาวเกิน {FIELD_LIMITS[name]} ตัวอักษร",
                          f"Text longer than {FIELD_LIMITS[name]} characters")
        clean[name] = value
    stale = {name: stale_years(value, fiscal_year) for name, value in clean.items()}
    stale = {name: years for name, years in stale.items() if years}
    if stale and not keep_years:
        years = sorted({y for ys in stale.values() for y in ys})
        names_th = ", ".join(FIELD_NAMES_TH[n] for n in stale)
        raise Invalid("stale_years", f"ข้อความยังมีปี พ.ศ. {', '.join(map(str, years))} ในช่อง {names_th}: "
                      f"แก้เป็นปีงบประมาณ {fiscal_year} หรือเลือก \"คงปีเดิมไว้\"",
                      f"The text still names the year(s) {', '.join(map(str, years))} in: {', '.join(stale)}; "
                      f"update them for fiscal {fiscal_year} or choose to keep them")
    entry_id = get_measure(session, fiscal_year, number).id
    with write_transaction(session):
        entry = session.get_one(MeasureEntry, entry_id)
        for name, value in clean.items():
            setattr(entry, name, value)
        entry.updated_at, entry.updated_by = utcnow(), user_id
        entry.unreviewed = ",".join(f for f in unreviewed_fields(entry) if f not in clean)
    return entry


def add_photo(session: Session, fiscal_year: int, number: int, data: bytes, caption: str = "") -> MeasurePhoto:
    """Check the upload is really a JPEG/PNG image, drop its metadata (EXIF GPS), shrink it, keep it."""
    if not data or len(data) > MAX_PHOTO_BYTES:
        raise Invalid("bad_photo_size", "รูปภาพต้องมีขนาดไม่เกิน 8 MB", "The photo must be at most 8 MB")
    jpeg, width, height = run_cpu_bound(_shrunk_jpeg, data)  # a few hundred ms for a phone photo
    entry = get_measure(session, fiscal_year, number)
    if len(entry.photos) >= MAX_PHOTOS_PER_MEASURE:
        raise Invalid("too_many_photos", f"แนบรูปได้ไม่เกิน {MAX_PHOTOS_PER_MEASURE} รูปต่อมาตรการ",
                      f"At most {MAX_PHOTOS_PER_MEASURE} photos per measure")
    caption = (caption or "").strip()[:500]
    with write_transaction(session):
        photo = MeasurePhoto(measure_id=entry.id, caption=caption, content_type="image/jpeg", data=jpeg,
                             width=width, height=height, position=len(entry.photos))
        session.add(photo)
    session.expire(entry)
    return photo


def _shrunk_jpeg(data: bytes) -> tuple[bytes, int, int]:
    """The photo upright, without metadata, at most MAX_PHOTO_SIDE, as JPEG: (bytes, width, height)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format not in ("JPEG", "PNG"):
                raise Invalid("bad_photo_type", "รับเฉพาะรูปภาพ JPEG หรือ PNG", "Only JPEG or PNG photos")
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(opened)
            img.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=85)
            return out.getvalue(), img.size[0], img.size[1]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise Invalid("bad_photo", "ไฟล์นี้ไม่ใช่รูปภาพที่อ่านได้", "The file is not a readable image") from exc


def delete_photo(session: Session, photo_id: int) -> None:
    with write_transaction(session):
        photo = session.get(MeasurePhoto, photo_id)
        if photo is None:
            raise NotFound("unknown_photo", "ไม่พบรูปภาพ", "No such photo")
        session.delete(photo)


def log_document(session: Session, kind: str, fiscal_year: int, quarter: int | None, fmt: str,
                 user_id: int | None = None, now: datetime | None = None) -> None:
    with write_transaction(session):
        session.add(ReportLog(kind=kind, fiscal_year=fiscal_year, quarter=quarter, fmt=fmt,
                              created_at=now or utcnow(), user_id=user_id))


def quarterly_sent(session: Session, fiscal_year: int) -> dict[int, datetime]:
    """The first date each quarterly summary of a fiscal year was produced for the executive."""
    rows = session.execute(select(ReportLog.quarter, func.min(ReportLog.created_at))
                           .where(ReportLog.kind == "quarterly", ReportLog.fiscal_year == fiscal_year)
                           .group_by(ReportLog.quarter)).all()
    return {int(q): _aware(at) for q, at in rows if q is not None}


def _aware(value):
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f}"


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def data_results(session: Session, fiscal_year: int, *, tz: str, as_of: datetime | None = None,
                 target_wait_minutes: float = 15) -> dict[int, str]:
    """ผลการดำเนินงาน of measures 4, 9 and 10, written from the queue's and the complaints' data.

    Every fact is the fiscal year's own: counts over the year (up to the day the report is made), dates
    only when they fall inside the year; a service that started before the year is "in use throughout"."""
    from reports.metrics import first_ticket_at, queue_figures

    as_of = as_of or utcnow()
    first, last = fiscal_year_bounds(fiscal_year)
    today = to_local(as_of, tz).date()
    upto = min(last, today)
    upto_text = format_date(upto)
    whole_year = upto == last
    results: dict[int, str] = {}

    def since(started: date | None, what: str, in_use: str) -> str:
        if started is not None and first <= started <= upto:
            return f"{what} {format_date(started)}"
        return f"{in_use}ตลอดปีงบประมาณ {fiscal_year}" if whole_year else f"{in_use}ตั้งแต่ต้นปีงบประมาณ {fiscal_year}"

    # Measure 4: the queue.
    started_at = first_ticket_at(session)
    started = to_local(started_at, tz).date() if started_at is not None else None
    if started is None or first > today or started > upto:
        results[4] = "- ยังไม่มีข้อมูลบัตรคิวในปีงบประมาณนี้"
    else:
        q = queue_figures(session, first, upto, tz=tz, target_wait_minutes=target_wait_minutes)["totals"]
        sent = {n: to_local(at, tz).date() for n, at in quarterly_sent(session, fiscal_year).items()}
        sent = {n: day for n, day in sent.items() if first <= day <= upto}
        lines = [
            "1. มีการจัดระบบบัตรคิวอิเล็กทรอนิกส์ในกระบวนงานต่างๆ ของ อบต. "
            + since(started, "เริ่มใช้งาน", "ใช้งาน"),
            f"2. ปีงบประมาณ {fiscal_year} (ข้อมูลถึง {upto_text}) ออกบัตรคิว {q['issued']:,} ใบ "
            f"ให้บริการแล้ว {q['served']:,} ราย เวลารอเรียกคิวมัธยฐาน {_minutes(q['wait']['median'])} นาที "
            f"ได้รับบริการภายใน {target_wait_minutes:g} นาที ร้อยละ {_pct(q['served_within_target_share'])}",
        ]
        if sent:
            parts = [f"ไตรมาส {n} เมื่อ {format_date(sent[n])}" for n in sorted(sent)]
            lines.append("3. มีการสรุปรายงานผู้บริหารทราบรายไตรมาส: " + ", ".join(parts))
        else:
            lines.append("3. ยังไม่ได้จัดทำรายงานสรุปผู้บริหารรายไตรมาสภายในปีงบประมาณนี้")
        results[4] = "\n".join(lines)

    # Measures 9 and 10: complaints, and the questions, suggestions and praise (intake).
    figs = complaints.figures(session, first, upto, tz=tz, as_of=as_of) if first <= today else None
    if figs is None:
        results[9] = results[10] = "- " + complaints.NO_SOURCE_TH
        return results
    opened_at = figs.get("first_received_at")
    opened = to_local(_aware(opened_at), tz).date() if opened_at else None
    k, fb = figs["complaints"], figs["feedback"]
    g, sc, cr = figs["general"], figs["staff_conduct"], figs["corruption"]
    base = k["completed"] + k["open_overdue"]
    told = complaints.told_result(session, first, upto, tz=tz)
    channel_line = "1. มีช่องทางรับเรื่องร้องเรียนทางเว็บไซต์/QR code โทรศัพท์ และด้วยตนเอง "
    if opened is not None and opened <= upto:
        channel_line += since(opened, "เปิดรับเรื่องแรกเมื่อ", "เปิดรับเรื่อง")
    else:
        channel_line += "ยังไม่มีผู้แจ้งเรื่องในปีงบประมาณนี้"
    on_time = (f"ตอบภายในกำหนด {k['answered_on_time']:,} เรื่อง จาก {base:,} เรื่องที่แล้วเสร็จหรือเกินกำหนดแล้ว "
               f"(ร้อยละ {_pct(k['on_time_share'])} ของ {base:,} เรื่อง)") if base else "ยังไม่มีเรื่องที่ครบกำหนดตอบ"
    results[9] = "\n".join([
        channel_line,
        f"2. ปีงบประมาณ {fiscal_year} (ข้อมูลถึง {upto_text}) รับเรื่องทั้งหมด {figs['received']:,} เรื่อง "
        f"เป็นเรื่องร้องเรียน {k['total']:,} เรื่อง (ร้องเรียนทั่วไป {g['total']:,} เรื่อง "
        f"กรณีบุคลากรเลือกปฏิบัติ/ให้บริการไม่เป็นธรรม {sc['total']:,} เรื่อง การทุจริตและประพฤติมิชอบ "
        f"{cr['total']:,} เรื่อง) และคำถาม ข้อเสนอแนะ คำชมเชย {fb['total']:,} เรื่อง (มาตรการที่ 10)",
        f"3. เรื่องร้องเรียน {k['total']:,} เรื่อง ดำเนินการแล้วเสร็จ {k['completed']:,} เรื่อง "
        f"อยู่ระหว่างดำเนินการ {k['in_progress']:,} เรื่อง (เกินกำหนด {k['open_overdue']:,} เรื่อง); {on_time}",
    ] + ([f"4. แจ้งผลการดำเนินการให้ผู้แจ้งทราบทาง LINE/SMS/อีเมล {told:,} เรื่อง"] if told is not None else []))
    channels = ", ".join(f"{complaints.label('channel', ch)} {n:,} เรื่อง"
                         for ch, n in sorted(figs.get("by_channel", {}).items(), key=lambda kv: (-kv[1], kv[0]))) or "-"
    by_type = figs.get("by_type", {})
    feedback = [("question", "สอบถาม/ขอข้อมูล"), ("suggestion", "ข้อเสนอแนะ/ติชม"), ("praise", "คำชมเชย")]
    lines10 = [
        f"1. ช่องทางที่ประชาชนใช้ติดต่อในปีงบประมาณ {fiscal_year} (ข้อมูลถึง {upto_text}): {channels}",
        f"2. รับฟังความคิดเห็น {fb['total']:,} เรื่อง: "
        + ", ".join(f"{th} {by_type.get(code, 0):,} เรื่อง" for code, th in feedback),
    ]
    if started is not None and started <= upto:
        q_ratings = queue_figures(session, first, upto, tz=tz)["ratings"]
        if q_ratings["count"]:
            lines10.append(f"3. ประเมินความพึงพอใจหลังรับบริการ {q_ratings['count']:,} ครั้ง "
                           f"คะแนนเฉลี่ย {q_ratings['mean']:.2f} จาก 5")
    results[10] = "\n".join(lines10)
    return results


def report_rows(session: Session, fiscal_year: int, *, tz: str, as_of: datetime | None = None,
                target_wait_minutes: float = 15) -> list[dict]:
    """The ten rows of the table, with the data-written results in place."""
    entries = year_measures(session, fiscal_year)
    auto = data_results(session, fiscal_year, tz=tz, as_of=as_of, target_wait_minutes=target_wait_minutes)
    rows = []
    for e in entries:
        rows.append({
            "number": e.number, "title": e.title, "method": e.method, "responsible": e.responsible,
            "period": e.period, "result": auto.get(e.number, e.result) if e.number in DATA_MEASURES else e.result,
            "suggestion": e.suggestion, "from_data": e.number in DATA_MEASURES,
            "unreviewed": unreviewed_fields(e),
            "stale_years": {f: stale_years(getattr(e, f) or "", fiscal_year) for f in unreviewed_fields(e)},
            "photos": [{"id": p.id, "caption": p.caption, "data": p.data, "width": p.width, "height": p.height}
                       for p in e.photos],
        })
    return rows


def today_local(tz: str) -> date:
    return to_local(utcnow(), tz).date()
