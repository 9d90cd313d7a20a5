"""What each document says, as a document model (reports/docmodel.py): the figures, the comparison, the
suggested actions, in the office's words. Renderers (DOCX, PDF/HTML) only lay the model out.

Vocabulary: dates through tambon.thaidate (Buddhist era, Thai month names), types/channels/statuses through
intake.labels (via reports.complaints.label), durations in minutes or days as a person reads them."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from reports import charts, complaints
from reports import settings as report_settings
from reports.docmodel import Cell, Document, Heading, Image, PageBreak, Para, Signature, para, table
from reports.measures import check_year, report_rows
from reports.metrics import queue_figures
from tambon.errors import Invalid
from tambon.thaidate import (
    fiscal_quarter_bounds,
    fiscal_year_bounds,
    format_date,
    format_period,
    format_time,
    to_local,
    utcnow,
)


def settings() -> dict:
    cfg = current_app.config
    own = report_settings.current()
    office = cfg.get("OFFICE_NAME") or "องค์การบริหารส่วนตำบล"
    return {"tz": cfg.get("TAMBON_TIMEZONE", "Asia/Bangkok"),
            "target": own.target_wait_minutes,
            "office": office,
            "division": own.division,
            # The memo is addressed to the office's own executive, by the office's name.
            "executive_title": own.executive_title or f"นายก{office}",
            "font": own.docx_font}


def check_quarter(quarter: int) -> int:
    if quarter not in (1, 2, 3, 4):
        raise Invalid("bad_quarter", "ไตรมาสต้องเป็น 1 ถึง 4 (ไตรมาส 1 = ต.ค.–ธ.ค.)",
                      "Quarter must be 1 to 4 (Q1 = Oct–Dec)")
    return quarter


def minutes(seconds: float | None) -> str:
    """Minutes with one decimal, for a column whose header names the unit."""
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f}%"


def change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "-"
    if before == 0:
        return "-" if now == 0 else "ใหม่"
    diff = (now - before) / before * 100
    return f"{diff:+.0f}%"


def period_text(start: date, end: date) -> str:
    return format_period(start, end)


def data_uri(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()


def previous_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def complaint_share(comp: dict | None) -> float | None:
    return None if comp is None else comp["complaints"]["on_time_share"]


def suggestions(cur: dict, prev: dict, comp: dict | None, overdue: list | None, target: float) -> list[str]:
    """Suggested actions derived from the figures (each names the figure that triggered it)."""
    out: list[str] = []
    t = cur["totals"]
    if not t["issued"]:
        out.append("ยังไม่มีผู้รับบริการผ่านระบบบัตรคิวในไตรมาสนี้ ควรประชาสัมพันธ์และใช้ระบบบัตรคิวทุกกระบวนงาน")
    share = t["served_within_target_share"]
    if share is not None and share < 0.8:
        out.append(f"ผู้รับบริการได้รับบริการภายใน {target:g} นาทีเพียง {pct(share)} (เป้าหมาย 80%) "
                   "ควรเพิ่มช่องบริการหรือเจ้าหน้าที่ในช่วงที่มีผู้รอนาน")
    target_s = target * 60
    for hour in cur["worst_hours"]:
        if (hour["wait"]["p90"] or 0) > target_s:
            out.append(f"ช่วงเวลา {hour['name_th']} เวลารอ (เปอร์เซ็นไทล์ที่ 90) {minutes(hour['wait']['p90'])} นาที "
                       f"เกินเป้าหมาย ควรจัดเจ้าหน้าที่เสริมหรือเปิดช่องบริการเพิ่มในช่วงนี้")
    slow = [s for s in cur["by_service"] if s["wait"]["n"] and (s["wait"]["median"] or 0) > target_s]
    for s in slow[:2]:
        out.append(f"บริการ{s['name_th']} เวลารอมัธยฐาน {minutes(s['wait']['median'])} นาที "
                   "ควรทบทวนขั้นตอนหรือเพิ่มช่องที่ให้บริการนี้")
    called = t["served"] + t["no_show"]
    if called and t["no_show"] / called > 0.1:
        out.append(f"มีผู้ไม่มาตามเรียก {t['no_show']} ราย ({pct(t['no_show'] / called)}) "
                   "ควรตรวจสอบเสียงเรียกคิวและจอแสดงผลให้ได้ยิน/มองเห็นชัด")
    before = prev["totals"]["wait"]["median"]
    now_median = t["wait"]["median"]
    if before and now_median and now_median > before * 1.2:
        out.append(f"เวลารอมัธยฐานเพิ่มขึ้นจาก {minutes(before)} เป็น {minutes(now_median)} นาที "
                   "เมื่อเทียบกับไตรมาสก่อน ควรหาสาเหตุ")
    if t["rating_mean"] is not None and t["rating_mean"] < 4:
        out.append(f"คะแนนความพึงพอใจเฉลี่ย {t['rating_mean']:.2f} จาก 5 ต่ำกว่า 4 "
                   "ควรรับฟังความเห็นผู้รับบริการเพิ่มเติม")
    if overdue:
        out.append(f"มีเรื่องร้องเรียนเกินกำหนดและยังไม่แล้วเสร็จ {len(overdue)} เรื่อง "
                   "ควรเร่งรัดหน่วยงานรับผิดชอบให้ตอบภายในกำหนด")
    share = complaint_share(comp)
    if share is not None and share < 0.9:
        out.append(f"ตอบเรื่องร้องเรียนภายในกำหนดได้ {pct(share)} ควรติดตามเรื่องทุกสัปดาห์")
    if not out:
        out.append("ผลการให้บริการเป็นไปตามเป้าหมาย ควรคงมาตรฐานและรายงานผลต่อเนื่องทุกไตรมาส")
    return out


def rating(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _local_day(moment: datetime | date, tz: str) -> date:
    return to_local(moment, tz).date() if isinstance(moment, datetime) else moment


def worst_wait_text(w: dict, tz: str) -> str:
    """A003 (งานทะเบียน, 7 ธ.ค. 2569 08:43 น.) 16.7 นาที: the ticket's own issue time, not its hour."""
    if w.get("issued_at"):
        issued = datetime.fromisoformat(w["issued_at"])
        when = f"{format_date(_local_day(issued, tz))} {format_time(issued, tz)}"
    else:
        when = format_date(date.fromisoformat(w["day"]))
    return f"{w['ticket']} ({w['name_th']}, {when}) {minutes(w['wait'])} นาที"


def overdue_table(overdue: list[dict], tz: str, limit: int = 15):
    return table(["รหัสติดตาม", "ประเภท", "หน่วยงาน", "ครบกำหนด", "เกินกำหนด (วัน)"],
                 [[o["tracking_code"], complaints.label("type_short", o["type"]), complaints.division(o.get("division")),
                   format_date(_local_day(o["due_at"], tz)), f"{o['days_overdue']:,}"] for o in overdue[:limit]],
                 [3.3, 3.5, 4.6, 2.6, 2.0], numeric=(4,))


def quarterly_context(session: Session, fiscal_year: int, quarter: int, *, as_of: datetime | None = None,
                      with_charts: bool = True) -> dict[str, Any]:
    check_year(fiscal_year)
    check_quarter(quarter)
    s = settings()
    tz, target = s["tz"], s["target"]
    as_of = as_of or utcnow()
    start, end = fiscal_quarter_bounds(fiscal_year, quarter)
    py, pq = previous_quarter(fiscal_year, quarter)
    pstart, pend = fiscal_quarter_bounds(py, pq)
    cur = queue_figures(session, start, end, tz=tz, target_wait_minutes=target)
    prev = queue_figures(session, pstart, pend, tz=tz, target_wait_minutes=target, groupings=())  # totals only
    comp = complaints.figures(session, start, end, tz=tz, as_of=as_of)
    comp_prev = complaints.figures(session, pstart, pend, tz=tz, as_of=as_of)
    overdue_all = complaints.overdue(session, as_of=as_of)
    # Complaints past their deadline; questions, suggestions and praise past theirs are counted apart.
    overdue = None if overdue_all is None else [o for o in overdue_all if complaints.is_complaint(o["type"])]
    overdue_feedback = [] if overdue_all is None else [o for o in overdue_all if not complaints.is_complaint(o["type"])]
    t, p = cur["totals"], prev["totals"]
    headline = [
        ["บัตรคิวที่ออก (ใบ)", f"{t['issued']:,}", f"{p['issued']:,}", change(t["issued"], p["issued"])],
        ["ให้บริการแล้ว (ราย)", f"{t['served']:,}", f"{p['served']:,}", change(t["served"], p["served"])],
        ["ไม่มาตามเรียก (ราย)", f"{t['no_show']:,}", f"{p['no_show']:,}", change(t["no_show"], p["no_show"])],
        ["เวลารอเฉลี่ย (นาที)", minutes(t["wait"]["mean"]), minutes(p["wait"]["mean"]),
         change(t["wait"]["mean"], p["wait"]["mean"])],
        ["เวลารอมัธยฐาน (นาที)", minutes(t["wait"]["median"]), minutes(p["wait"]["median"]),
         change(t["wait"]["median"], p["wait"]["median"])],
        ["เวลารอ เปอร์เซ็นไทล์ที่ 90 (นาที)", minutes(t["wait"]["p90"]), minutes(p["wait"]["p90"]),
         change(t["wait"]["p90"], p["wait"]["p90"])],
        ["เวลาให้บริการมัธยฐาน (นาที)", minutes(t["service"]["median"]), minutes(p["service"]["median"]),
         change(t["service"]["median"], p["service"]["median"])],
        [f"ได้รับบริการภายใน {target:g} นาที", pct(t["served_within_target_share"]),
         pct(p["served_within_target_share"]), "-"],
        ["สัดส่วนช่องทางพิเศษ (ผู้สูงอายุ/ผู้พิการ/หญิงตั้งครรภ์)", pct(t["priority_share"]),
         pct(p["priority_share"]), "-"],
        ["ความพึงพอใจเฉลี่ย (เต็ม 5)", rating(t["rating_mean"]), rating(p["rating_mean"]), "-"],
    ]
    if comp is not None:
        now_c, before_c = comp["complaints"], (comp_prev or {}).get("complaints") or {"total": 0}
        now_f, before_f = comp["feedback"], (comp_prev or {}).get("feedback") or {"total": 0}
        headline += [
            ["เรื่องร้องเรียนที่รับ (เรื่อง)", f"{now_c['total']:,}", f"{before_c['total']:,}",
             change(now_c["total"], before_c["total"])],
            ["คำถาม ข้อเสนอแนะ และคำชมเชยที่รับ (เรื่อง)", f"{now_f['total']:,}", f"{before_f['total']:,}",
             change(now_f["total"], before_f["total"])],
            ["ตอบเรื่องร้องเรียนภายในกำหนด", pct(complaint_share(comp)), pct(complaint_share(comp_prev)), "-"],
        ]
    quarter_label, prev_label = f"ไตรมาส {quarter}/{fiscal_year}", f"ไตรมาส {pq}/{py}"
    as_of_text = format_date(to_local(as_of, tz).date())

    doc = Document("quarterly", f"รายงานสรุปผลการให้บริการประชาชน ไตรมาส {quarter} ปีงบประมาณ {fiscal_year}")
    doc.add(Heading("รายงานสรุปผลการให้บริการประชาชนรายไตรมาส", 1, "center"),
            para(f"{s['office']} ไตรมาสที่ {quarter} ปีงบประมาณ {fiscal_year}", bold=True, align="center"),
            para(f"({period_text(start, end)}) ข้อมูล ณ วันที่ {as_of_text}", align="center", space_after=6),
            Heading("1. ตัวเลขสำคัญเทียบกับไตรมาสก่อน"),
            table(["ตัวชี้วัด", quarter_label, prev_label, "เปลี่ยนแปลง"], headline, [8.0, 2.8, 2.8, 2.4],
                  numeric=(1, 2, 3)),
            Heading("2. แผนภูมิ"))
    hours = [h for h in cur["by_hour"] if h["wait"]["n"]]
    chart_pngs: dict[str, bytes | None] = {}
    if with_charts and hours:
        chart_pngs["hours"] = charts.bar_chart(
            [f"{h['key']:02d}:00" for h in hours], [(h["wait"]["mean"] or 0) / 60 for h in hours],
            second=[(h["wait"]["p90"] or 0) / 60 for h in hours], first_label="เฉลี่ย",
            second_label="เปอร์เซ็นไทล์ที่ 90", title="เวลารอเรียกคิว แยกตามชั่วโมงที่รับบัตร (นาที)", ylabel="นาที")
    services = [sv for sv in cur["by_service"] if sv["issued"]]
    if with_charts and services:
        chart_pngs["services"] = charts.hbar_chart(
            [sv["name_th"] for sv in services], [sv["issued"] for sv in services],
            second=[sv["served"] for sv in services], first_label="ออกบัตร", second_label="ให้บริการแล้ว",
            title="ผู้รับบริการ แยกตามบริการ (ราย)")
    chart_alt = {"hours": "แผนภูมิเวลารอเรียกคิว แยกตามชั่วโมง", "services": "แผนภูมิผู้รับบริการ แยกตามบริการ"}
    if any(chart_pngs.values()):
        doc.add(*(Image(png, 15.5, chart_alt[key]) for key, png in chart_pngs.items() if png))
    elif with_charts:
        doc.add(para("ยังไม่มีข้อมูลบัตรคิวในไตรมาสนี้"))
    doc.add(Heading("3. ช่วงเวลาที่รอนานที่สุด"))
    if cur["worst_hours"]:
        doc.add(table(["ช่วงเวลา", "บัตรคิว", "รอเฉลี่ย (นาที)", "รอมัธยฐาน (นาที)", "เปอร์เซ็นไทล์ที่ 90 (นาที)",
                       "รอนานสุด (นาที)"],
                      [[h["name_th"], f"{h['issued']:,}", minutes(h["wait"]["mean"]), minutes(h["wait"]["median"]),
                        minutes(h["wait"]["p90"]), minutes(h["wait"]["max"])] for h in cur["worst_hours"]],
                      [3.4, 1.8, 2.6, 2.8, 2.8, 2.6], numeric=(1, 2, 3, 4, 5)))
    else:
        doc.add(para("ยังไม่มีข้อมูล"))
    if cur["worst_waits"]:
        doc.add(para("บัตรคิวที่รอนานที่สุด: " + ", ".join(worst_wait_text(w, tz) for w in cur["worst_waits"]),
                     size="small"))
    doc.add(Heading("4. เรื่องร้องเรียนที่เกินกำหนด"))
    if overdue is None:
        doc.add(para(complaints.NO_SOURCE_TH))
    elif not overdue:
        doc.add(para("ไม่มีเรื่องร้องเรียนที่เกินกำหนด"))
    else:
        doc.add(overdue_table(overdue, tz))
    if overdue_feedback:
        doc.add(para(f"นอกจากนี้มีคำถาม ข้อเสนอแนะ และคำชมเชยที่ยังไม่ได้ตอบและเกินกำหนด {len(overdue_feedback):,} เรื่อง "
                     "(ไม่นับเป็นเรื่องร้องเรียน)", size="small"))
    doc.add(Heading("5. ข้อเสนอแนะจากผลการดำเนินงาน"))
    for n, text in enumerate(suggestions(cur, prev, comp, overdue, target), 1):
        doc.add(para(f"{n}. {text}", indent_cm=0.75))
    return {"kind": "quarterly", "model": doc, "fiscal_year": fiscal_year, "quarter": quarter,
            "current": cur, "previous": prev, "complaints": comp, "overdue": overdue,
            "chart_png": chart_pngs}


def measures_context(session: Session, fiscal_year: int, *, as_of: datetime | None = None) -> dict[str, Any]:
    from reports.seed import INTRO

    check_year(fiscal_year)
    s = settings()
    as_of = as_of or utcnow()
    rows = report_rows(session, fiscal_year, tz=s["tz"], as_of=as_of, target_wait_minutes=s["target"])
    title = "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    doc = Document("measures", f"{title} ปีงบประมาณ {fiscal_year}", landscape=True)
    doc.add(Heading(title, 1, "center"),
            Heading(f"ของ{s['office']} ประจำปีงบประมาณ {fiscal_year}", 1, "center"),
            para(f"ข้อมูล ณ วันที่ {format_date(to_local(as_of, s['tz']).date())}", align="center", size="small",
                 space_after=6),
            para(INTRO.format(office=s["office"], prev_year=fiscal_year - 1, year=fiscal_year), indent_cm=1.25,
                 align="justify", space_after=6))
    unreviewed = [r for r in rows if r["unreviewed"]]
    if unreviewed:
        doc.add(para(f"ฉบับร่าง: ช่องที่แรเงาและขึ้นต้นด้วย [ยังไม่ทบทวน] เป็นข้อความจากปีงบประมาณก่อน "
                     f"ที่ยังไม่ได้ทบทวนสำหรับปีงบประมาณ {fiscal_year} (มาตรการที่ "
                     f"{', '.join(str(r['number']) for r in unreviewed)}); [ยังไม่ทบทวน: มีปี …] "
                     "คือข้อความที่ยังอ้างถึงปีเก่า", bold=True, size="small", space_after=4))
    fields = ("title", "method", "responsible", "period", "result", "suggestion")
    body_rows = []
    for r in rows:
        cells: list[str | Cell] = []
        for name in fields:
            if name in r["unreviewed"]:
                cells.append(Cell(r[name], "unreviewed", review_note(r["stale_years"].get(name, ()), fiscal_year)))
            elif name == "result" and r["from_data"]:
                cells.append(Cell(r[name], "from_data"))
            else:
                cells.append(r[name])
        body_rows.append(cells)
    doc.add(table(["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "ผลการดำเนินงาน",
                   "ข้อเสนอแนะ"], body_rows, [5.0, 6.0, 2.3, 2.8, 6.0, 3.6], small=True))
    with_photos = [r for r in rows if r["photos"]]
    if with_photos:
        doc.add(PageBreak(), Heading("ภาพประกอบผลการดำเนินงาน", 1, "center"))
        for r in with_photos:
            doc.add(Heading(r["title"], 3))
            for photo in r["photos"]:
                width = min(14.0, 9.0 * photo["width"] / max(photo["height"], 1))
                doc.add(Image(photo["data"], round(width, 1), photo["caption"] or r["title"], photo["caption"]))
    return {"kind": "measures", "model": doc, "fiscal_year": fiscal_year, "rows": rows}


def review_note(stale: tuple[int, ...] | list[int], fiscal_year: int) -> str:
    """The marker of a carried-over cell (the draft's first lines explain it in full)."""
    if stale:
        return f"[ยังไม่ทบทวน: มีปี {', '.join(str(y) for y in stale)}]"
    return "[ยังไม่ทบทวน]"


ITA_ROWS = ("general", "staff_conduct", "corruption")


def ita_context(session: Session, fiscal_year: int, months: int, *, as_of: datetime | None = None) -> dict[str, Any]:
    """The ITA publication: 6-month (Oct–Mar) or 12-month (Oct–Sep) complaint summary and its cover memo."""
    check_year(fiscal_year)
    if months not in (6, 12):
        raise Invalid("bad_months", "รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "The summary covers 6 or 12 months")
    s = settings()
    as_of = as_of or utcnow()
    today = to_local(as_of, s["tz"]).date()
    first, last = fiscal_year_bounds(fiscal_year)
    end = fiscal_quarter_bounds(fiscal_year, 2)[1] if months == 6 else last
    figs = complaints.figures(session, first, end, tz=s["tz"], as_of=as_of)
    label = "รอบ 6 เดือน" if months == 6 else "รอบ 12 เดือน"
    as_of_text = format_date(today, abbr=False)
    period = period_text(first, end)
    subject = (f"รายงานสรุปผลการดำเนินการเรื่องร้องเรียนทั่วไปและเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ "
               f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} {label}")
    body = (f"ตามที่{s['office']} ได้จัดให้มีช่องทางรับเรื่องร้องเรียนทั่วไปและเรื่องร้องเรียนการทุจริตและ"
            f"ประพฤติมิชอบ เพื่อให้ประชาชนสามารถแจ้งเรื่องได้อย่างสะดวก รวดเร็ว นั้น {s['division']} "
            f"ได้สรุปผลการดำเนินการเรื่องร้องเรียน ประจำปีงบประมาณ พ.ศ. {fiscal_year} {label} "
            f"(ระหว่างวันที่ {period} ข้อมูล ณ วันที่ {as_of_text}) รายละเอียดตามรายงานที่แนบมาพร้อมนี้")
    summary_sentence = None
    summary_table = None
    if figs is not None:
        k, f = figs["complaints"], figs["feedback"]
        summary_sentence = (f"ในรอบนี้มีเรื่องร้องเรียนทั้งสิ้น {k['total']:,} เรื่อง ดำเนินการแล้วเสร็จ {k['completed']:,} เรื่อง "
                            f"อยู่ระหว่างดำเนินการ {k['in_progress']:,} เรื่อง นอกจากนี้ได้รับคำถาม ข้อเสนอแนะ "
                            f"และคำชมเชย {f['total']:,} เรื่อง ซึ่งไม่นับเป็นเรื่องร้องเรียน")
        rows: list[list[str | Cell]] = [[complaints.label("category", name), f"{figs[name]['total']:,}",
                                         f"{figs[name]['completed']:,}", f"{figs[name]['in_progress']:,}"]
                                        for name in ITA_ROWS]
        rows.append(["รวม", f"{k['total']:,}", f"{k['completed']:,}", f"{k['in_progress']:,}"])
        summary_table = table(["ประเภทเรื่องร้องเรียน", "จำนวนเรื่องทั้งหมด", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ"],
                              rows, [7.0, 3.0, 3.0, 3.0], total_row=True, numeric=(1, 2, 3))

    doc = Document("ita", subject)
    doc.add(Heading("บันทึกข้อความ", 1, "center"),
            _labelled("ส่วนราชการ", f"{s['division']} {s['office']}"),
            _labelled("ที่", "………………………………", ("วันที่", format_date(today, abbr=False))),
            _labelled("เรื่อง", subject),
            para(f"เรียน  {s['executive_title']}", space_after=6),
            para(body, indent_cm=2.5, align="justify", space_after=6),
            para(summary_sentence or complaints.NO_SOURCE_TH, indent_cm=2.5, align="justify", space_after=6),
            para("จึงเรียนมาเพื่อโปรดทราบ และพิจารณาอนุญาตให้เผยแพร่รายงานดังกล่าวบนเว็บไซต์ของหน่วยงาน",
                 indent_cm=2.5, space_after=12),
            Signature(("(ลงชื่อ)…………………………………………", "(…………………………………………)", "ตำแหน่ง…………………………………………")),
            para("ความเห็นของผู้บริหาร", bold=True),
            para("☐ ทราบ   ☐ อนุญาตให้เผยแพร่   ☐ อื่น ๆ ……………………………………", space_after=12),
            Signature(("(ลงชื่อ)…………………………………………", "(…………………………………………)", s["executive_title"])),
            PageBreak(),
            Heading("รายงานสรุปผลการดำเนินการเรื่องร้องเรียน", 1, "center"),
            para(f"{s['office']} ประจำปีงบประมาณ พ.ศ. {fiscal_year} {label}", bold=True, align="center"),
            para(f"(ระหว่างวันที่ {period}) ข้อมูล ณ วันที่ {as_of_text}", align="center", space_after=6))
    if summary_table is None:
        doc.add(para(complaints.NO_SOURCE_TH))
    else:
        doc.add(summary_table, para(summary_sentence or "", size="small"))
    return {"kind": "ita", "model": doc, "fiscal_year": fiscal_year, "months": months, "figures": figs}


def _labelled(label: str, text: str, more: tuple[str, str] | None = None) -> Para:
    """A memo line: its bold heading word, then the text (and a second pair on the same line)."""
    runs = [(label + "  ", True), (text, False)]
    if more:
        runs += [("          " + more[0] + "  ", True), (more[1], False)]
    return Para(tuple(runs))
