"""DOCX versions of the documents (python-docx), editable by the office.

Thai is a complex script for Word: it takes the font from ``w:rFonts/@w:cs`` and the size from
``w:szCs``, which python-docx's ``Font.name`` / ``Font.size`` do not set. :func:`thai_font` sets them on
the styles and on every run, with ``w:lang/@w:bidi = th-TH``.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports import docmodel

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
    """A python-docx document with Thai fonts on every run."""

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
        # Repeat the header row on every page (python-docx has no setting for it: the XML of the
        # document, reached through its public ``element``).
        header_tr = self.last_table_element().find(qn("w:tr"))
        trpr = header_tr.find(qn("w:trPr"))
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            header_tr.insert(1 if header_tr.find(qn("w:tblPrEx")) is not None else 0, trpr)
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                self.cell_text(cell, value, size=size)
        if widths_cm:
            set_widths(table, widths_cm)
        return table

    def last_table_element(self):
        return self.doc.element.body.findall(qn("w:tbl"))[-1]

    def tc_elements(self, row: int) -> list:
        return self.last_table_element().findall(qn("w:tr"))[row].findall(qn("w:tc"))

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


def set_widths(table, widths_cm: list[float]) -> None:
    """Column widths Word and LibreOffice both keep: a fixed layout, each ``w:gridCol`` of the table grid
    (LibreOffice lays columns out from the grid, ignoring ``w:tcW``) and each cell's ``w:tcW``."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for c, width in zip(row.cells, widths_cm, strict=True):
            c.width = Cm(width)


SIZES = {"title": 20, "body": BODY_PT, "small": TABLE_PT}
ALIGNS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
          "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}
REVIEW_FILL = "FFF2CC"  # the highlight of a cell still to be reviewed for this year


def shade(tc, fill: str) -> None:
    tcpr = tc.find(qn("w:tcPr"))
    if tcpr is None:
        tcpr = OxmlElement("w:tcPr")
        tc.insert(0, tcpr)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def render(model: docmodel.Document, font: str) -> bytes:
    """The DOCX of a document model (the PDF is drawn from the same model by render_pdf)."""
    d = Doc(font, landscape=model.landscape)
    heading_pt = {1: 20, 2: BODY_PT, 3: BODY_PT}
    after_table = False
    for block in model.blocks:
        if after_table and not isinstance(block, docmodel.PageBreak):
            d.para("")  # Word glues a paragraph to the table above it
        after_table = False
        if isinstance(block, docmodel.Heading):
            d.para(block.text, bold=True, size=heading_pt.get(block.level, BODY_PT), align=block.align,
                   space_after=3 if block.level == 1 else 0)
        elif isinstance(block, docmodel.Para):
            p = d.para(align=block.align, indent_cm=block.indent_cm or None, space_after=block.space_after)
            for text, bold in block.runs:
                d.run(p, text, bold=bold, size=SIZES[block.size])
        elif isinstance(block, docmodel.Table):
            size = TABLE_PT if block.small else BODY_PT
            table = d.table(list(block.headers), [], None, size=size)
            for r, row in enumerate(block.rows, start=1):
                bold = block.total_row and r == len(block.rows)
                cells = table.add_row().cells
                for docx_cell, tc, c in zip(cells, d.tc_elements(r), row, strict=True):
                    _fill_cell(d, docx_cell, c, size=size, bold=bold)
                    if c.mark == docmodel.UNREVIEWED:
                        shade(tc, REVIEW_FILL)
            set_widths(table, list(block.widths_cm))
            after_table = True
        elif isinstance(block, docmodel.Image):
            d.picture(block.png, block.width_cm)
            if block.caption:
                d.para(block.caption, size=TABLE_PT, align="center")
        elif isinstance(block, docmodel.PageBreak):
            d.page_break()
        elif isinstance(block, docmodel.Signature):
            d.para("", space_after=12)
            for line in block.lines:
                d.para(line, align="right")
    return d.save()


def _fill_cell(d: Doc, docx_cell, c: docmodel.Cell, *, size: float, bold: bool) -> None:
    first = docx_cell.paragraphs[0]
    lines = ([c.note] if c.note else []) + (c.text or "").split("\n")
    for n, line in enumerate(lines):
        p = first if n == 0 else docx_cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c.num else WD_ALIGN_PARAGRAPH.LEFT
        run = d.run(p, line, bold=bold or (bool(c.note) and n == 0), size=size)
        if c.mark == docmodel.UNREVIEWED:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
