"""DOCX versions of the documents (python-docx), editable by the office.

Thai is a complex script for Word: it takes the font from ``w:rFonts/@w:cs`` and the size from
``w:szCs``, which python-docx's ``Font.name`` / ``Font.size`` do not set. :func:`thai_font` sets them on
the styles and on every run, with ``w:lang/@w:bidi = th-TH``.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

BODY_PT = 16
TABLE_PT = 14


def thai_font(element_rpr_owner, name: str, size_pt: float | None, bold: bool | None = None) -> None:
    """Set ascii/hAnsi/cs/eastAsia fonts, sz/szCs and Thai bidi language on a run or a style."""
    font = element_rpr_owner.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = element_rpr_owner.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)
    if size_pt is not None:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size_pt * 2)))
    if bold:
        if rpr.find(qn("w:bCs")) is None:
            rpr.append(OxmlElement("w:bCs"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")


class Doc:
    def __init__(self, font: str, *, landscape: bool = False):
        self.font = font
        self.doc = Document()
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2.0 if landscape else 2.5)
        section.top_margin = section.bottom_margin = Cm(1.8)
        for style_name in ("Normal", "Table Grid"):
            thai_font(self.doc.styles[style_name], font, BODY_PT if style_name == "Normal" else TABLE_PT)
        normal = self.doc.styles["Normal"].paragraph_format
        normal.space_after = Pt(0)
        normal.space_before = Pt(0)

    @property
    def width(self):
        section = self.doc.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def para(self, text: str = "", *, bold: bool = False, size: float = BODY_PT, align: str = "left",
             indent_cm: float | None = None, container=None, space_after: float = 0):
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}[align]
        if indent_cm is not None:
            p.paragraph_format.first_line_indent = Cm(indent_cm)
        p.paragraph_format.space_after = Pt(space_after)
        if text:
            self.run(p, text, bold=bold, size=size)
        return p

    def run(self, paragraph, text: str, *, bold: bool = False, size: float = BODY_PT):
        run = paragraph.add_run(text)
        thai_font(run, self.font, size, bold)
        return run

    def cell_text(self, cell, text: str, *, bold: bool = False, size: float = TABLE_PT, align: str = "left"):
        lines = (text or "").split("\n")
        first = cell.paragraphs[0]
        for n, line in enumerate(lines):
            p = first if n == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
            self.run(p, line, bold=bold, size=size)

    def table(self, headers: list[str], rows: list[list[str]], widths_cm: list[float] | None = None,
              size: float = TABLE_PT):
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self.cell_text(cell, header, bold=True, size=size, align="center")
        # Repeat the header row on every page.
        trpr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                self.cell_text(cell, value, size=size)
        if widths_cm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_cm, strict=True):
                    cell.width = Cm(width)
        return table

    def picture(self, png: bytes, width_cm: float, container=None):
        p = self.para(container=container, align="center")
        p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        return p

    def page_break(self):
        self.doc.add_page_break()

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def quarterly(ctx: dict[str, Any], font: str) -> bytes:
    d = Doc(font)
    d.para("รายงานสรุปผลการให้บริการประชาชนรายไตรมาส", bold=True, size=20, align="center")
    d.para(f"{ctx['office']} ไตรมาสที่ {ctx['quarter']} ปีงบประมาณ {ctx['fiscal_year']}", bold=True,
           align="center")
    d.para(f"({ctx['period']}) ข้อมูล ณ วันที่ {ctx['as_of']}", align="center", space_after=6)
    d.para("1. ตัวเลขสำคัญเทียบกับไตรมาสก่อน", bold=True)
    d.table(["ตัวชี้วัด", f"ไตรมาส {ctx['quarter']}/{ctx['fiscal_year']}", ctx["prev_label"], "เปลี่ยนแปลง"],
            [list(row) for row in ctx["headline"]], [8.0, 2.8, 2.8, 2.4])
    d.para("")
    d.para("2. แผนภูมิ", bold=True)
    for key in ("hours", "services"):
        if key in ctx["chart_png"]:
            d.picture(ctx["chart_png"][key], 15.5)
    d.para("3. ช่วงเวลาที่รอนานที่สุด", bold=True)
    minutes = ctx["minutes"]
    d.table(["ช่วงเวลา", "บัตรคิว", "รอเฉลี่ย (นาที)", "รอมัธยฐาน (นาที)", "เปอร์เซ็นไทล์ที่ 90 (นาที)", "รอนานสุด (นาที)"],
            [[h["name_th"], f"{h['issued']:,}", minutes(h["wait"]["mean"]), minutes(h["wait"]["median"]),
              minutes(h["wait"]["p90"]), minutes(h["wait"]["max"])] for h in ctx["current"]["worst_hours"]]
            or [["-", "-", "-", "-", "-", "-"]])
    worst = ctx["current"]["worst_waits"]
    if worst:
        d.para("บัตรคิวที่รอนานที่สุด: " + ", ".join(
            f"{w['ticket']} ({w['name_th']}, {ctx['format_date'](_d(w['day']))} {w['hour']:02d}:00 น.) "
            f"{minutes(w['wait'])} นาที" for w in worst), size=14)
    d.para("")
    d.para("4. เรื่องร้องเรียนที่เกินกำหนด", bold=True)
    if ctx["overdue"] is None:
        d.para(ctx["no_source"])
    elif not ctx["overdue"]:
        d.para("ไม่มีเรื่องร้องเรียนที่เกินกำหนด")
    else:
        from reports.complaints import label

        d.table(["เลขติดตาม", "ประเภท", "หน่วยงาน", "ครบกำหนด", "เกินกำหนด (วัน)"],
                [[o["tracking_code"], label("type_short", o["type"]), o.get("division") or "-",
                  ctx["format_date"](_local_day(o["due_at"])), str(o["days_overdue"])] for o in ctx["overdue"][:15]])
    d.para("")
    d.para("5. ข้อเสนอแนะจากผลการดำเนินงาน", bold=True)
    for n, text in enumerate(ctx["suggestions"], 1):
        d.para(f"{n}. {text}", indent_cm=0.75)
    return d.save()


def _d(iso: str):
    from datetime import date

    return date.fromisoformat(iso)


def _local_day(moment):
    from tambon.thaidate import to_local

    return to_local(moment).date() if hasattr(moment, "hour") else moment


MEASURE_WIDTHS = [5.0, 6.0, 2.3, 2.8, 6.0, 3.6]


def measures(ctx: dict[str, Any], font: str) -> bytes:
    d = Doc(font, landscape=True)
    d.para(ctx["title"], bold=True, size=18, align="center")
    d.para(ctx["subtitle"], bold=True, size=18, align="center", space_after=6)
    d.para(ctx["intro"], indent_cm=1.25, align="justify", space_after=6)
    d.table(ctx["headers"], [[r["title"], r["method"], r["responsible"], r["period"], r["result"], r["suggestion"]]
                             for r in ctx["rows"]], MEASURE_WIDTHS)
    with_photos = [r for r in ctx["rows"] if r["photos"]]
    if with_photos:
        d.page_break()
        d.para("ภาพประกอบผลการดำเนินงาน", bold=True, size=18, align="center", space_after=6)
        for row in with_photos:
            d.para(row["title"], bold=True)
            for photo in row["photos"]:
                if photo["caption"]:
                    d.para(photo["caption"], indent_cm=0.75)
                d.picture(photo["data"], min(14.0, 14.0 * photo["width"] / max(photo["height"], 1) * 0.75 + 4))
    return d.save()


def ita(ctx: dict[str, Any], font: str) -> bytes:
    d = Doc(font)
    # The cover memo (บันทึกข้อความ), ready to sign.
    d.para("บันทึกข้อความ", bold=True, size=29, align="center", space_after=6)
    p = d.para()
    d.run(p, "ส่วนราชการ  ", bold=True, size=20)
    d.run(p, f"{ctx['division']} {ctx['office']}")
    p = d.para()
    d.run(p, "ที่  ", bold=True, size=20)
    d.run(p, "………………………………          ")
    d.run(p, "วันที่  ", bold=True, size=20)
    d.run(p, ctx["memo_date"])
    p = d.para(space_after=6)
    d.run(p, "เรื่อง  ", bold=True, size=20)
    d.run(p, ctx["subject"])
    d.para(f"เรียน  {ctx['executive_title']}", space_after=6)
    d.para(ctx["body"], indent_cm=2.5, align="justify", space_after=6)
    if ctx["rows"] is None:
        d.para(ctx["no_source"], indent_cm=2.5)
    else:
        total = sum(r[1]["total"] for r in ctx["rows"])
        done = sum(r[1]["completed"] for r in ctx["rows"])
        d.para(f"ในรอบนี้มีเรื่องร้องเรียนทั้งสิ้น {total:,} เรื่อง ดำเนินการแล้วเสร็จ {done:,} เรื่อง "
               f"อยู่ระหว่างดำเนินการ {total - done:,} เรื่อง", indent_cm=2.5, align="justify", space_after=6)
    d.para(ctx["ask"], indent_cm=2.5, space_after=30)
    for line in ("(ลงชื่อ)…………………………………………", "(…………………………………………)", "ตำแหน่ง…………………………………………"):
        d.para(line, align="right")
    d.para("", space_after=12)
    d.para("ความเห็นของผู้บริหาร", bold=True)
    d.para("☐ ทราบ   ☐ อนุญาตให้เผยแพร่   ☐ อื่น ๆ ……………………………………", space_after=30)
    for line in ("(ลงชื่อ)…………………………………………", "(…………………………………………)", ctx["executive_title"]):
        d.para(line, align="right")
    d.page_break()
    # The summary itself.
    d.para("รายงานสรุปผลการดำเนินการเรื่องร้องเรียน", bold=True, size=20, align="center")
    d.para(f"{ctx['office']} ประจำปีงบประมาณ พ.ศ. {ctx['fiscal_year']} {ctx['label']}", bold=True, align="center")
    d.para(f"(ระหว่างวันที่ {ctx['period']})", align="center", space_after=6)
    if ctx["rows"] is None:
        d.para(ctx["no_source"])
    else:
        rows = [[name, f"{f['total']:,}", f"{f['completed']:,}", f"{f['in_progress']:,}"] for name, f in ctx["rows"]]
        total = [sum(f[k] for _n, f in ctx["rows"]) for k in ("total", "completed", "in_progress")]
        rows.append(["รวม", *(f"{v:,}" for v in total)])
        d.table(["ประเภทเรื่องร้องเรียน", "จำนวนเรื่องทั้งหมด", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ"], rows,
                [7.0, 3.0, 3.0, 3.0], size=BODY_PT)
    return d.save()
