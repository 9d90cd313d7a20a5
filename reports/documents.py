"""What each document says: the figures, the comparison, the suggested actions. Renderers (DOCX, PDF/HTML)
only lay these contexts out."""

from __future__ import annotations

import base64
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from reports import charts, complaints
from reports.measures import check_year, report_rows
from reports.metrics import queue_figures
from tambon.errors import Invalid
from tambon.thaidate import (
    MONTHS_TH,
    fiscal_quarter_bounds,
    fiscal_year_bounds,
    format_date,
    to_local,
    utcnow,
)


def settings() -> dict:
    cfg = current_app.config
    return {"tz": cfg.get("TAMBON_TIMEZONE", "Asia/Bangkok"),
            "target": float(cfg.get("REPORT_TARGET_WAIT_MINUTES", 15)),
            "office": cfg.get("OFFICE_NAME", "องค์การบริหารส่วนตำบล"),
            "division": cfg.get("REPORT_DIVISION", "สำนักปลัด"),
            "executive_title": cfg.get("REPORT_EXECUTIVE_TITLE", "นายกองค์การบริหารส่วนตำบล"),
            "font": cfg.get("REPORT_DOCX_FONT", "TH Sarabun New")}


def check_quarter(quarter: int) -> int:
    if quarter not in (1, 2, 3, 4):
        raise Invalid("bad_quarter", "ไตรมาสต้องเป็น 1 ถึง 4 (ไตรมาส 1 = ต.ค.–ธ.ค.)",
                      "Quarter must be 1 to 4 (Q1 = Oct–Dec)")
    return quarter


def minutes(seconds: float | None) -> str:
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
    return f"{format_date(start)} – {format_date(end)}"


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def previous_quarter(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def suggestions(cur: dict, prev: dict, comp: dict | None, overdue: list | None, target: float) -> list[str]:
    """Suggested actions derived from the figures (each names the figure that triggered it)."""
    out: list[str] = []
    t = cur["totals"]
    if not t["issued"]:
        return ["ยังไม่มีผู้รับบริการผ่านระบบบัตรคิวในไตรมาสนี้ ควรประชาสัมพันธ์และใช้ระบบบัตรคิวทุกกระบวนงาน"]
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
    if comp and comp.get("on_time_share") is not None and comp["on_time_share"] < 0.9:
        out.append(f"ตอบเรื่องร้องเรียนภายในกำหนดได้ {pct(comp['on_time_share'])} ควรติดตามเรื่องทุกสัปดาห์")
    if not out:
        out.append("ผลการให้บริการเป็นไปตามเป้าหมาย ควรคงมาตรฐานและรายงานผลต่อเนื่องทุกไตรมาส")
    return out


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
    prev = queue_figures(session, pstart, pend, tz=tz, target_wait_minutes=target)
    comp = complaints.figures(session, start, end, tz=tz, as_of=as_of)
    comp_prev = complaints.figures(session, pstart, pend, tz=tz, as_of=as_of)
    overdue = complaints.overdue(session, as_of=as_of)
    t, p = cur["totals"], prev["totals"]
    headline = [
        ("บัตรคิวที่ออก (ใบ)", f"{t['issued']:,}", f"{p['issued']:,}", change(t["issued"], p["issued"])),
        ("ให้บริการแล้ว (ราย)", f"{t['served']:,}", f"{p['served']:,}", change(t["served"], p["served"])),
        ("ไม่มาตามเรียก (ราย)", f"{t['no_show']:,}", f"{p['no_show']:,}", change(t["no_show"], p["no_show"])),
        ("เวลารอเฉลี่ย (นาที)", minutes(t["wait"]["mean"]), minutes(p["wait"]["mean"]),
         change(t["wait"]["mean"], p["wait"]["mean"])),
        ("เวลารอมัธยฐาน (นาที)", minutes(t["wait"]["median"]), minutes(p["wait"]["median"]),
         change(t["wait"]["median"], p["wait"]["median"])),
        ("เวลารอ เปอร์เซ็นไทล์ที่ 90 (นาที)", minutes(t["wait"]["p90"]), minutes(p["wait"]["p90"]),
         change(t["wait"]["p90"], p["wait"]["p90"])),
        ("เวลาให้บริการมัธยฐาน (นาที)", minutes(t["service"]["median"]), minutes(p["service"]["median"]),
         change(t["service"]["median"], p["service"]["median"])),
        (f"ได้รับบริการภายใน {target:g} นาที", pct(t["served_within_target_share"]),
         pct(p["served_within_target_share"]), "-"),
        ("สัดส่วนช่องทางพิเศษ (ผู้สูงอายุ/ผู้พิการ/หญิงตั้งครรภ์)", pct(t["priority_share"]),
         pct(p["priority_share"]), "-"),
        ("ความพึงพอใจเฉลี่ย (เต็ม 5)", "-" if t["rating_mean"] is None else f"{t['rating_mean']:.2f}",
         "-" if p["rating_mean"] is None else f"{p['rating_mean']:.2f}", "-"),
    ]
    if comp is not None:
        cp = comp_prev or {}
        headline += [
            ("เรื่องร้องเรียน/ความคิดเห็นที่รับ (เรื่อง)", f"{comp['received']:,}", f"{cp.get('received', 0):,}",
             change(comp["received"], cp.get("received"))),
            ("ตอบภายในกำหนด", pct(comp.get("on_time_share")), pct(cp.get("on_time_share")), "-"),
        ]
    chart_pngs: dict[str, bytes] = {}
    if with_charts:
        hours = [h for h in cur["by_hour"] if h["wait"]["n"]]
        chart_pngs["hours"] = charts.bar_chart(
            [f"{h['key']:02d}" for h in hours], [(h["wait"]["mean"] or 0) / 60 for h in hours],
            second=[(h["wait"]["p90"] or 0) / 60 for h in hours], first_label="เฉลี่ย",
            second_label="เปอร์เซ็นไทล์ที่ 90", title="เวลารอเรียกคิว แยกตามชั่วโมงที่รับบัตร (นาที)", ylabel="นาที")
        services = cur["by_service"]
        chart_pngs["services"] = charts.bar_chart(
            [s["name_th"] for s in services], [s["issued"] for s in services],
            second=[s["served"] for s in services], first_label="ออกบัตร", second_label="ให้บริการแล้ว",
            title="ผู้รับบริการ แยกตามบริการ (ราย)")
    months = _months_between(start, end)
    return {
        "kind": "quarterly", "fiscal_year": fiscal_year, "quarter": quarter, "office": s["office"],
        "division": s["division"], "period": period_text(start, end), "start": start, "end": end,
        "prev_label": f"ไตรมาส {pq}/{py}", "prev_period": period_text(pstart, pend),
        "months": months, "as_of": format_date(to_local(as_of, tz).date()), "target": target,
        "current": cur, "previous": prev, "headline": headline, "complaints": comp, "overdue": overdue,
        "no_source": complaints.NO_SOURCE_TH, "suggestions": suggestions(cur, prev, comp, overdue, target),
        "charts": {k: data_uri(v) for k, v in chart_pngs.items()}, "chart_png": chart_pngs,
        "minutes": minutes, "pct": pct, "format_date": format_date,
    }


def _months_between(start: date, end: date) -> str:
    return f"{MONTHS_TH[start.month - 1]} – {MONTHS_TH[end.month - 1]} {end.year + 543}"


def measures_context(session: Session, fiscal_year: int, *, as_of: datetime | None = None) -> dict[str, Any]:
    from reports.seed import INTRO

    check_year(fiscal_year)
    s = settings()
    rows = report_rows(session, fiscal_year, tz=s["tz"], as_of=as_of, target_wait_minutes=s["target"])
    for row in rows:
        for photo in row["photos"]:
            photo["src"] = "data:image/jpeg;base64," + base64.b64encode(photo["data"]).decode()
    return {
        "kind": "measures", "fiscal_year": fiscal_year, "office": s["office"], "division": s["division"],
        "title": "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        "subtitle": f"ของ{s['office']} ประจำปีงบประมาณ {fiscal_year}",
        "intro": INTRO.format(office=s["office"], prev_year=fiscal_year - 1, year=fiscal_year),
        "headers": ["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ",
                    "ผลการดำเนินงาน", "ข้อเสนอแนะ"],
        "rows": rows, "as_of": format_date(to_local(as_of or utcnow(), s["tz"]).date()),
    }


def ita_context(session: Session, fiscal_year: int, months: int, *, as_of: datetime | None = None) -> dict[str, Any]:
    """The ITA publication: 6-month (Oct–Mar) or 12-month (Oct–Sep) complaint summary and its cover memo."""
    check_year(fiscal_year)
    if months not in (6, 12):
        raise Invalid("bad_months", "รอบรายงานต้องเป็น 6 หรือ 12 เดือน", "The summary covers 6 or 12 months")
    s = settings()
    as_of = as_of or utcnow()
    first, last = fiscal_year_bounds(fiscal_year)
    end = fiscal_quarter_bounds(fiscal_year, 2)[1] if months == 6 else last
    figs = complaints.figures(session, first, end, tz=s["tz"], as_of=as_of)
    label = "รอบ 6 เดือน" if months == 6 else "รอบ 12 เดือน"
    rows = None
    if figs is not None:
        rows = [("เรื่องร้องเรียนทั่วไป", figs["general"]), ("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", figs["corruption"])]
    subject = (f"รายงานสรุปผลการดำเนินการเรื่องร้องเรียนทั่วไปและเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ "
               f"ประจำปีงบประมาณ พ.ศ. {fiscal_year} {label}")
    return {
        "kind": "ita", "fiscal_year": fiscal_year, "months": months, "label": label, "office": s["office"],
        "division": s["division"], "executive_title": s["executive_title"],
        "period": period_text(first, end), "subject": subject, "rows": rows, "figures": figs,
        "no_source": complaints.NO_SOURCE_TH, "memo_date": format_date(to_local(as_of, s["tz"]).date(), abbr=False),
        "body": (f"ตามที่{s['office']} ได้จัดให้มีช่องทางรับเรื่องร้องเรียนทั่วไปและเรื่องร้องเรียนการทุจริตและ"
                 f"ประพฤติมิชอบ เพื่อให้ประชาชนสามารถแจ้งเรื่องได้อย่างสะดวก รวดเร็ว นั้น {s['division']} "
                 f"ได้สรุปผลการดำเนินการเรื่องร้องเรียน ประจำปีงบประมาณ พ.ศ. {fiscal_year} {label} "
                 f"(ระหว่างวันที่ {period_text(first, end)}) รายละเอียดตามรายงานที่แนบมาพร้อมนี้"),
        "ask": "จึงเรียนมาเพื่อโปรดทราบ และพิจารณาอนุญาตให้เผยแพร่รายงานดังกล่าวบนเว็บไซต์ของหน่วยงาน",
        "end_date": end, "as_of_date": to_local(as_of, s["tz"]).date() - timedelta(days=0),
    }
