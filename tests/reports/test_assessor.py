"""Issue 21: reports an assessor can sign. Each finding of the issue (numbered as there) has a test, over the
fixed history of tests/reports/golden_history.py; then the golden files (PDF and DOCX text of each report)
and a grep over every generated document for ISO dates, raw codes and long floats.

Golden files: tests/reports/golden/*.txt hold the DOCX text, one paragraph or table cell per line. After a
deliberate change of wording, regenerate them with ``UPDATE_GOLDEN=1`` and read the diff."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from reports import complaints, docmodel, measures, service
from tambon.db import get_session
from tests.conftest import at, csrf_from, login
from tests.reports import golden_history

GOLDEN = Path(__file__).parent / "golden"
REPORTS = {  # golden name: (kind, fiscal year, options)
    "quarterly-2570-q1": ("quarterly", 2570, {"quarter": 1}),
    "measures-2569": ("measures", 2569, {}),
    "measures-2570": ("measures", 2570, {}),
    "ita-2570-6m": ("ita", 2570, {"months": 6}),
    "ita-2570-12m": ("ita", 2570, {"months": 12}),
}


@pytest.fixture
def golden_app(app):
    with app.app_context():
        session = get_session()
        golden_history.build(session)
        # The fiscal 2569 Q4 summary was produced on the 7 Dec holiday, i.e. in fiscal 2570.
        service.build(session, "quarterly", 2569, "pdf", quarter=4, as_of=at("2026-12-07 10:30"))
        service.build(session, "quarterly", 2570, "pdf", quarter=1, as_of=at("2026-12-09 09:00"))
    return app


def build(app, name: str, fmt: str) -> bytes:
    kind, year, options = REPORTS[name]
    with app.app_context():
        return service.build(get_session(), kind, year, fmt, as_of=golden_history.as_of(), **options)


def docx_lines(data: bytes) -> list[str]:
    """The DOCX's text in reading order: each paragraph, and each table cell's paragraphs."""
    doc = Document(io.BytesIO(data))
    lines: list[str] = []
    for item in doc.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
        else:
            lines.append(item.text)
    return [line for line in lines if line.strip()]


def pdf_text(data: bytes) -> str:
    assert data[:5] == b"%PDF-"
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def squeeze(text: str, repeated_headers: list[str] = ()) -> str:
    """Text compared across renderers: no whitespace (line breaks differ), SARA AM folded and tone marks
    dropped (the PDF's text layer gives ำ, and ํา as the seed types it, back as า, and loses a tone mark
    before it), no page numbers ("1 / 3"), a table's header once (the PDF repeats it on every page)."""
    text = re.sub(r"(?m)^\s*\d+ / \d+\s*$", "", text)
    text = re.sub(r"[\s\u0e48-\u0e4d]+", "", text.replace("ำ", "า"))
    for header in repeated_headers:
        header = squeeze(header)
        first = text.find(header) + len(header)
        if first >= len(header):
            text = text[:first] + text[first:].replace(header, "")
    return text


def table_headers(data: bytes) -> list[str]:
    return ["".join(c.text for c in table.rows[0].cells) for table in Document(io.BytesIO(data)).tables]


TRACKING_CODE = re.compile(r"\bTB-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


# --- findings 1–10 -------------------------------------------------------------------------------------------

def test_1_longest_waits_in_thai_dates_with_the_issue_time_and_overdue_in_words(golden_app):
    docx = "\n".join(docx_lines(build(golden_app, "quarterly-2570-q1", "docx")))
    pdf = pdf_text(build(golden_app, "quarterly-2570-q1", "pdf"))
    longest = "A001 (ชำระภาษี, 7 ธ.ค. 2569 08:43 น.) 17.0 นาที"
    assert longest in docx
    assert squeeze(longest) in squeeze(pdf)
    for text in (docx, pdf):
        assert "2026-12-07" not in text and "08:00 น." not in text
        assert not re.search(r"\bcomplaint\b|\bstaff_conduct\b", text)
    # The overdue table: type in Thai, the due date column, in both renderers.
    with golden_app.app_context():
        model = service.context(get_session(), "quarterly", 2570, quarter=1, as_of=golden_history.as_of(),
                                with_charts=False)["model"]
    overdue = next(b for b in model.blocks if isinstance(b, docmodel.Table) and "ครบกำหนด" in b.headers)
    assert overdue.headers == ("รหัสติดตาม", "ประเภท", "หน่วยงาน", "ครบกำหนด", "เกินกำหนด (วัน)")
    types = {row[1].text for row in overdue.rows}
    assert "พฤติกรรมเจ้าหน้าที่" in types
    assert squeeze("ครบกำหนด") in squeeze(pdf) and "ยังไม่ได้มอบหมายหน่วยงาน" in docx


def test_2_ita_pdf_has_the_totals_row_and_the_memo_sentence(golden_app):
    docx = docx_lines(build(golden_app, "ita-2570-6m", "docx"))
    pdf = squeeze(pdf_text(build(golden_app, "ita-2570-6m", "pdf")))
    # Fiscal 2570 (from 1 Oct 2026): 7 complaints (4 general, 2 staff conduct, 1 corruption), 8 feedback.
    sentence = ("ในรอบนี้มีเรื่องร้องเรียนทั้งสิ้น 7 เรื่อง ดำเนินการแล้วเสร็จ 5 เรื่อง อยู่ระหว่างดำเนินการ 2 เรื่อง "
                "นอกจากนี้ได้รับคำถาม ข้อเสนอแนะ และคำชมเชย 8 เรื่อง ซึ่งไม่นับเป็นเรื่องร้องเรียน")
    assert sentence in docx
    assert squeeze(sentence) in pdf
    total = docx.index("รวม")
    assert docx[total:total + 4] == ["รวม", "7", "5", "2"]
    assert squeeze("รวม752") in pdf


def test_3_a_report_speaks_only_of_its_own_period(golden_app):
    """Fiscal 2569's report made in fiscal 2570: nothing dated after 30 Sep 2569 (2026)."""
    text = "\n".join(docx_lines(build(golden_app, "measures-2569", "docx")))
    for later in ("ต.ค. 2569", "พ.ย. 2569", "ธ.ค. 2569"):
        assert later not in text.replace("ข้อมูล ณ วันที่ 9 ธ.ค. 2569", "")
    assert "เริ่มใช้งาน 29 ก.ย. 2569" in text  # the queue started inside fiscal 2569: said with its date
    assert "ยังไม่ได้จัดทำรายงานสรุปผู้บริหารรายไตรมาสภายในปีงบประมาณนี้" in text  # Q4's was made in 2570
    assert "เปิดรับเรื่องแรกเมื่อ 15 ก.ย. 2569" in text
    # Fiscal 2570: the queue and complaints predate it, so the year's own words.
    text70 = "\n".join(docx_lines(build(golden_app, "measures-2570", "docx")))
    assert "ใช้งานตั้งแต่ต้นปีงบประมาณ 2570" in text70 and "เปิดรับเรื่องตั้งแต่ต้นปีงบประมาณ 2570" in text70
    assert "ไตรมาส 1 เมื่อ 9 ธ.ค. 2569" in text70 and "29 ก.ย. 2569" not in text70


def test_4_carried_over_cells_are_marked_until_the_clerk_confirms(golden_app):
    data = build(golden_app, "measures-2570", "docx")
    doc = Document(io.BytesIO(data))
    row5 = doc.tables[0].rows[5].cells
    assert row5[5].text == "[ยังไม่ทบทวน: มีปี 2565]\n" \
                           "ดำเนินการให้เสร็จภายในปีงบประมาณ 2565"
    assert fills(doc)[5][5] == "FFF2CC" and fills(doc)[5][2] == "FFF2CC"  # highlighted for the clerk
    assert fills(doc)[4][4] is None  # measure 4's result is written from the data
    assert doc.tables[0].rows[1].cells[4].text.startswith("[ยังไม่ทบทวน: มีปี 2565]")
    with golden_app.app_context():
        session = get_session()
        # Saving the seed's year number silently is refused, in Thai and English ...
        with pytest.raises(Exception) as err:
            measures.update_measure(session, 2570, 5, suggestion="ดำเนินการให้เสร็จภายในปีงบประมาณ 2565")
        assert getattr(err.value, "status", None) == 422 and "2565" in err.value.message_th
        # ... the clerk updates the year (or explicitly keeps it) and the cell is confirmed for 2570.
        measures.update_measure(session, 2570, 5, suggestion="ดำเนินการให้เสร็จภายในปีงบประมาณ 2570")
        measures.update_measure(session, 2570, 1, result="1. แผนผังขั้นตอน 10 มี.ค.65 (ฉบับเดิมยังใช้อยู่)",
                                keep_years=True)
    doc = Document(io.BytesIO(build(golden_app, "measures-2570", "docx")))
    assert doc.tables[0].rows[5].cells[5].text == "ดำเนินการให้เสร็จภายในปีงบประมาณ 2570"
    assert fills(doc)[5][5] is None and fills(doc)[5][4] == "FFF2CC"
    assert doc.tables[0].rows[1].cells[4].text == "1. แผนผังขั้นตอน 10 มี.ค.65 (ฉบับเดิมยังใช้อยู่)"
    assert doc.tables[0].rows[5].cells[4].text.startswith("[ยังไม่ทบทวน")  # the cells not saved stay marked


def fills(doc) -> list[list[str | None]]:
    """The shading of each cell of the first table, read from the document's XML."""
    tbl = doc.element.body.find(qn("w:tbl"))
    out = []
    for tr in tbl.findall(qn("w:tr")):
        row = []
        for tc in tr.findall(qn("w:tc")):
            shd = tc.find(qn("w:tcPr") + "/" + qn("w:shd"))
            row.append(None if shd is None else shd.get(qn("w:fill")))
        out.append(row)
    return out


def test_stale_years_are_found_in_every_form_the_seed_writes_them():
    assert measures.stale_years("10 มี.ค.65 และ ก.พ. 65", 2570) == [2565]
    assert measures.stale_years("แล้วเสร็จ\nเม.ย.๖5", 2570) == [2565]
    assert measures.stale_years("ภายในปีงบประมาณ 2565", 2570) == [2565]
    assert measures.stale_years("ตุลาคม 2569 – กันยายน 2570", 2570) == []
    assert measures.stale_years("บัตรคิว 2565 ใบ", 2566) == []  # within fiscal 2566's own years


def test_5_feedback_is_not_counted_as_complaints(golden_app):
    with golden_app.app_context():
        results = measures.data_results(get_session(), 2570, tz="Asia/Bangkok", as_of=golden_history.as_of())
    m9, m10 = results[9], results[10]
    assert ("รับเรื่องทั้งหมด 15 เรื่อง เป็นเรื่องร้องเรียน 7 เรื่อง (ร้องเรียนทั่วไป 4 เรื่อง "
            "กรณีบุคลากรเลือกปฏิบัติ/ให้บริการไม่เป็นธรรม 2 เรื่อง การทุจริตและประพฤติมิชอบ 1 เรื่อง) "
            "และคำถาม ข้อเสนอแนะ คำชมเชย 8 เรื่อง") in m9
    # Numbers that add up, and a percentage that names its base.
    assert ("เรื่องร้องเรียน 7 เรื่อง ดำเนินการแล้วเสร็จ 5 เรื่อง อยู่ระหว่างดำเนินการ 2 เรื่อง (เกินกำหนด 1 เรื่อง); "
            "ตอบภายในกำหนด 5 เรื่อง จาก 6 เรื่องที่แล้วเสร็จหรือเกินกำหนดแล้ว (ร้อยละ 83.3 ของ 6 เรื่อง)") in m9
    assert "รับฟังความคิดเห็น 8 เรื่อง: สอบถาม/ขอข้อมูล 4 เรื่อง, ข้อเสนอแนะ/ติชม 1 เรื่อง, คำชมเชย 3 เรื่อง" in m10
    assert "ระบบรับเรื่องออนไลน์ (Open311) 4 เรื่อง" in m10 and "Open311 4" not in m10.replace("(Open311) 4", "")
    # The public statistics page and the dashboard keep them apart too.
    client = golden_app.test_client()
    html = client.get("/complaints/stats?fy=2570").get_data(as_text=True)
    assert "คำถาม ข้อเสนอแนะ และคำชมเชย (ไม่ใช่เรื่องร้องเรียน)" in html
    login(client, "executive")
    dash = client.get("/reports/?start=2026-10-01&end=2026-12-31").get_data(as_text=True)
    assert re.search(r'id="fig-complaints">7<', dash) and re.search(r'id="fig-feedback">8<', dash)


def test_6_dashboard_dates_durations_and_unassigned_in_words(golden_app):
    client = golden_app.test_client()
    login(client, "executive")
    html = client.get("/reports/?start=2026-10-01&end=2026-12-31").get_data(as_text=True)
    text = visible_text(html)
    assert "7 ธ.ค. 2569" in text and "2026-12-07" not in text
    assert re.search(r'id="fig-ack">\d+ (นาที|ชั่วโมง)', html)
    assert re.search(r'id="fig-answer">[\d.]+ วัน<', html)
    assert "ยังไม่ได้มอบหมายหน่วยงาน" in text
    assert not re.search(r"\d\.\d{3,}", text)


def test_6_report_pages_refuse_a_raw_date_or_float(golden_app):
    from datetime import date

    with golden_app.test_request_context():
        from reports.views import render_guarded

        env = golden_app.jinja_env.overlay(finalize=docmodel.refuse_raw, cache_size=0)
        with pytest.raises(TypeError):
            env.from_string("{{ d }}").render(d=date(2026, 12, 7))
        with pytest.raises(TypeError):
            env.from_string("{{ x }}").render(x=0.0534)
        assert env.from_string("{{ n }}").render(n=7) == "7"
        assert render_guarded  # the dashboard and document pages render through this guard
    with pytest.raises(TypeError):
        docmodel.para(date(2026, 12, 7))  # type: ignore[arg-type]


def test_7_empty_periods_draw_no_chart(golden_app):
    from reports import charts

    assert charts.bar_chart([], [], title="ว่าง") is None and charts.heatmap([], [], [], title="ว่าง") is None
    with golden_app.app_context():
        data = service.build(get_session(), "quarterly", 2571, "docx", quarter=2, as_of=golden_history.as_of())
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 0
    assert "ยังไม่มีข้อมูลบัตรคิวในไตรมาสนี้" in [p.text for p in doc.paragraphs]
    client = golden_app.test_client()
    login(client, "executive")
    html = client.get("/reports/?start=2027-06-01&end=2027-06-30").get_data(as_text=True)
    assert "data:image/png" not in html and html.count("chart-none") == 3


def test_8_word_tables_carry_their_column_widths_in_the_grid(golden_app):
    for name in ("measures-2570", "quarterly-2570-q1", "ita-2570-6m"):
        doc = Document(io.BytesIO(build(golden_app, name, "docx")))
        for table in doc.tables:
            grid = [col.width for col in table.columns]
            assert all(grid) and len(set(grid)) > 1 or len(grid) == 1, (name, grid)
            assert table.autofit is False
            for row in table.rows:
                assert [c.width for c in row.cells] == grid
    doc = Document(io.BytesIO(build(golden_app, "measures-2570", "docx")))
    widths_cm = [round(col.width.cm, 1) for col in doc.tables[0].columns]
    assert widths_cm == [5.0, 6.0, 2.3, 2.8, 6.0, 3.6]


@pytest.mark.skipif(not shutil.which("soffice") and not shutil.which("libreoffice"), reason="LibreOffice not installed")
def test_8_libreoffice_keeps_the_widths(golden_app, tmp_path):
    """LibreOffice lays a Word table out from its grid: the wide columns stay wide in its PDF."""
    path = tmp_path / "m.docx"
    path.write_bytes(build(golden_app, "measures-2570", "docx"))
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    bbox = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "m.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()
    # The header row's words sit where the grid puts them: the third column ("ผู้รับผิดชอบ", after 2 + 5 + 6 cm)
    # starts past 12 cm; with equal columns it would start at 10.6 cm.
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', bbox)
    header_y = next(y for _x, y, w in words if w.startswith("วิธีการ"))  # the second column's header
    third = [float(x) for x, y, w in words if y == header_y and w.startswith("ผู้รับ")]
    assert third and third[0] > 12 / 2.54 * 72, third


def test_9_digest_reaches_officers_and_shows_the_acknowledgement_deadline(golden_app):
    from intake import digest

    with golden_app.app_context():
        digests = {d.recipient.username: d for d in digest.build_digests(get_session(), now=golden_history.as_of())}
    officer = digests["officer1"]
    assert not officer.empty
    unowned = {c.tracking_code for c in officer.not_acknowledged}
    assert unowned and unowned <= {c.tracking_code for c in digests["executive"].not_acknowledged}
    text = officer.render(digest.DEFAULT_SETTINGS, golden_history.as_of())
    late = text.split("ยังไม่ได้ตอบรับเรื่อง")[1]
    assert "กำหนดตอบรับ" in late and "กำหนดแจ้งผล" not in late
    assert "ยังไม่ได้มอบหมายหน่วยงาน" in text and "  -  " not in text


def test_10_memo_names_the_office_and_the_data_date(golden_app):
    lines = docx_lines(build(golden_app, "ita-2570-6m", "docx"))
    office = golden_app.config["OFFICE_NAME"]
    assert f"เรียน  นายก{office}" in lines
    assert any("ข้อมูล ณ วันที่ 9 ธันวาคม 2569" in line for line in lines[:8])
    assert lines[-1].startswith("ในรอบนี้มีเรื่องร้องเรียนทั้งสิ้น")


# --- golden files and the grep over every document ----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REPORTS))
def test_golden_text_of_pdf_and_docx(golden_app, name):
    docx = build(golden_app, name, "docx")
    lines = docx_lines(docx)
    golden = GOLDEN / f"{name}.txt"
    masked = [TRACKING_CODE.sub("TB-XXXX-XXXX", line) for line in lines]  # tracking codes are random
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text("\n".join(masked) + "\n", encoding="utf-8")
    assert masked == golden.read_text(encoding="utf-8").splitlines()
    # One source, two renderers: the PDF says exactly what the DOCX says.
    headers = table_headers(docx)
    assert squeeze(pdf_text(build(golden_app, name, "pdf")), headers) == squeeze("\n".join(lines), headers)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
LONG_FLOAT = re.compile(r"\d\.\d{3,}")


def raw_codes() -> re.Pattern:
    from intake import labels

    codes = {code for table in (labels.TYPE, labels.STATUS, labels.CHANNEL) for code in table}
    return re.compile(r"(?<![A-Za-z_])(" + "|".join(sorted(codes, key=len, reverse=True)) + r")(?![A-Za-z_])")


def test_no_raw_value_in_any_generated_document(golden_app):
    texts: dict[str, str] = {}
    for name in REPORTS:
        texts[f"{name}.pdf"] = pdf_text(build(golden_app, name, "pdf"))
        texts[f"{name}.docx"] = "\n".join(docx_lines(build(golden_app, name, "docx")))
    client = golden_app.test_client()
    login(client, "executive")
    for path in ("/reports/?start=2026-10-01&end=2026-12-31", "/reports/quarterly?fiscal_year=2570&quarter=1",
                 "/reports/measures?fiscal_year=2569", "/reports/ita?fiscal_year=2570&months=12"):
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = visible_text(response.get_data(as_text=True))
    csv = client.get("/reports/figures.csv?start=2026-10-01&end=2026-12-31").get_data(as_text=True)
    texts["figures.csv headers"] = "\n".join(csv.splitlines()[:2])
    texts["/complaints/stats"] = visible_text(client.get("/complaints/stats?fy=2570").get_data(as_text=True))
    codes = raw_codes()
    for where, text in texts.items():
        assert not ISO_DATE.search(text), (where, ISO_DATE.findall(text))
        assert not LONG_FLOAT.search(text), (where, LONG_FLOAT.findall(text))
        assert not codes.search(text), (where, codes.findall(text))


def test_4_editor_marks_unreviewed_measures_and_the_clerk_confirms(golden_app):
    client = golden_app.test_client()
    login(client, "admin")
    page = client.get("/reports/measures/edit?fiscal_year=2570").get_data(as_text=True)
    section5 = page.split('id="m5"')[1].split('id="m6"')[0]
    assert "ยังไม่ได้ทบทวนสำหรับปีงบประมาณนี้" in section5 and "2565" in section5
    form = {"csrf_token": csrf_from(page), "m5-title": "5. พัฒนาบุคลากร", "m5-method": "จัดโครงการ",
            "m5-responsible": "สำนักปลัด", "m5-period": "ตุลาคม 2569 – กันยายน 2570",
            "m5-result": "- ยังไม่ได้ดำเนินการ", "m5-suggestion": "ดำเนินการให้เสร็จภายในปีงบประมาณ 2565"}
    refused = client.post("/reports/measures/2570/5", data=form, follow_redirects=True).get_data(as_text=True)
    assert "ข้อความยังมีปี พ.ศ. 2565" in refused
    assert client.post("/reports/measures/2570/5", data={**form, "m5-keep_years": "y"}).status_code == 302
    page = client.get("/reports/measures/edit?fiscal_year=2570").get_data(as_text=True)
    section5 = page.split('id="m5"')[1].split('id="m6"')[0]
    assert "ยังไม่ได้ทบทวนสำหรับปีงบประมาณนี้" not in section5
    assert "ยังไม่ได้ทบทวนสำหรับปีงบประมาณนี้" in page.split('id="m6"')[1]


def test_6_dashboard_lists_the_most_overdue_complaints_and_says_how_many_in_all(golden_app, monkeypatch):
    with golden_app.app_context():
        everyone = complaints.overdue(get_session())
    assert everyone and len(everyone) >= 2
    client = golden_app.test_client()
    login(client, "executive")

    def overdue_rows(html: str) -> list[str]:
        table = html.split('id="overdue-now"', 1)[1].split("</table>", 1)[0]
        return re.findall(r"<tr><td>([^<]+)</td>", table.split("<tbody>", 1)[1])

    html = client.get("/reports/?start=2026-10-01&end=2026-12-31").get_data(as_text=True)
    assert overdue_rows(html) == [o["tracking_code"] for o in everyone] and 'id="overdue-shown"' not in html
    assert "เกินกำหนด (วัน)" in visible_text(html) and "ครบกำหนด" in visible_text(html)
    monkeypatch.setattr(service, "DASHBOARD_OVERDUE_ROWS", 1)
    html = client.get("/reports/?start=2026-10-01&end=2026-12-31").get_data(as_text=True)
    assert overdue_rows(html) == [everyone[0]["tracking_code"]]  # the most overdue first
    assert f"แสดง 1 เรื่องที่เกินกำหนดนานที่สุด จากทั้งหมด {len(everyone)} เรื่อง" in visible_text(html)
