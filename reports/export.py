"""CSV and XLSX of the raw figures (durations in seconds, shares as fractions): for the office's own sums."""

from __future__ import annotations

import csv
import io

GROUPS = [("totals", None), ("service", "by_service"), ("counter", "by_counter"), ("staff", "by_staff"),
          ("weekday", "by_weekday"), ("hour", "by_hour"), ("priority", "by_priority")]
COUNTS = ["issued", "served", "no_show", "transferred", "cancelled", "open", "priority", "priority_share",
          "served_within_target", "served_within_target_share", "rated", "rating_mean"]
DURATIONS = ["n", "mean", "median", "p90", "max"]
HEADER = (["group", "code", "name_th", "name_en", *COUNTS] + [f"wait_{d}_s" for d in DURATIONS]
          + [f"service_{d}_s" for d in DURATIONS])


def figure_rows(figs: dict) -> list[list]:
    rows = []
    for group, key in GROUPS:
        items = [dict(figs["totals"], code="", name_th="รวม", name_en="All")] if key is None else figs[key]
        for item in items:
            code = item.get("code", "")
            if group == "priority":
                code = "priority" if item["key"] else "normal"
            rows.append([group, code, item.get("name_th", ""), item.get("name_en", ""),
                         *(item[c] for c in COUNTS), *(item["wait"][d] for d in DURATIONS),
                         *(item["service"][d] for d in DURATIONS)])
    return rows


def to_csv(figs: dict) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    from datetime import date

    from tambon.thaidate import format_period

    period = format_period(date.fromisoformat(figs["period"]["start"]), date.fromisoformat(figs["period"]["end"]))
    writer.writerow(["ช่วงวันที่ (period)", period, "เป้าหมายเวลารอ (นาที)",
                     f"{figs['period']['target_wait_minutes']:g}"])
    writer.writerow(HEADER)
    writer.writerows(_safe(r) for r in figure_rows(figs))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Thai UTF-8 correctly


def _safe(row: list) -> list:
    """No spreadsheet formulas from data (names typed by admins)."""
    return ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row]


def to_xlsx(figs: dict, complaint_figs: dict | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "figures"
    ws.append(["period", figs["period"]["start"], figs["period"]["end"]])
    ws.append(HEADER)
    for row in figure_rows(figs):
        ws.append(_safe(row))
    daily = wb.create_sheet("daily")
    daily.append(["day", "issued", "served", "mean_wait_s"])
    for d in figs["daily"]:
        daily.append([d["day"], d["issued"], d["served"], d["mean_wait"]])
    heat = wb.create_sheet("arrivals_heatmap")
    heat.append(["weekday", *[f"{h:02d}" for h in figs["heatmap"]["hours"]]])
    for r in figs["heatmap"]["rows"]:
        heat.append([r["weekday"], *r["counts"]])
    comp = wb.create_sheet("complaints")
    if complaint_figs is None:
        comp.append(["ยังไม่มีข้อมูล (no data source)"])
    else:
        for key in ("received", "acknowledged_on_time", "answered", "answered_on_time", "open_overdue",
                    "on_time_share", "median_hours_to_acknowledge", "median_days_to_answer", "closed_not_solved"):
            comp.append([key, complaint_figs.get(key)])
        for part in ("general", "staff_conduct", "corruption", "complaints", "feedback"):
            for k, v in (complaint_figs.get(part) or {}).items():
                comp.append([f"{part}.{k}", v])
        for part in ("by_type", "by_channel", "by_division", "by_status"):
            for k, v in (complaint_figs.get(part) or {}).items():
                comp.append([f"{part}.{k}", v])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(name="Sarabun", bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
