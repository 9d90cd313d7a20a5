"""The documents: DOCX reopened and its cells and Thai font checked, PDF text extracted, CLI arguments."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from reports import service
from reports.measures import update_measure, year_measures
from tambon.db import get_session
from tests.conftest import at

AS_OF = at("2027-01-05 10:00")


def _cell_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def _assert_thai_font(document, font="TH Sarabun New"):
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        rfonts = run._r.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:cs")) == font and rfonts.get(qn("w:ascii")) == font
        assert run._r.rPr.find(qn("w:szCs")) is not None
        assert run._r.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"


def _pdf_text(data: bytes) -> str:
    """The PDF's text. SARA AM (ำ) is drawn as two glyphs (nikhahit + sara aa) and comes back from the
    text layer as sara aa alone, so compare with ำ folded to า (see _fold)."""
    assert data[:5] == b"%PDF-"
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _fold(text: str) -> str:
    return text.replace("ำ", "า")


def test_quarterly_docx_cells_and_font(sqlite_history_app):
    with sqlite_history_app.app_context():
        data = service.build(get_session(), "quarterly", 2570, "docx", quarter=1, as_of=AS_OF)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.page_width < section.page_height  # A4 portrait
    headline = _cell_texts(doc.tables[0])
    assert headline[0] == ["ตัวชี้วัด", "ไตรมาส 1/2570", "ไตรมาส 4/2569", "เปลี่ยนแปลง"]
    rows = {r[0]: r[1:] for r in headline[1:]}
    assert rows["บัตรคิวที่ออก (ใบ)"] == ["7", "1", "+600%"]
    assert rows["ให้บริการแล้ว (ราย)"] == ["4", "1", "+300%"]
    assert rows["เวลารอมัธยฐาน (นาที)"] == ["10.0", "10.0", "+0%"]
    assert rows["เวลารอ เปอร์เซ็นไทล์ที่ 90 (นาที)"] == ["26.0", "10.0", "+160%"]
    assert rows["ได้รับบริการภายใน 15 นาที"] == ["50.0%", "100.0%", "-"]
    worst = _cell_texts(doc.tables[1])
    assert worst[1][:5] == ["08:00–08:59 น.", "3", "16.7", "10.0", "26.0"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ไตรมาสที่ 1 ปีงบประมาณ 2570" in text
    assert "ช่วงเวลา 08:00–08:59 น. เวลารอ (เปอร์เซ็นไทล์ที่ 90) 26.0 นาที" in text  # a suggested action
    assert len(doc.inline_shapes) == 2  # the two charts
    _assert_thai_font(doc)


def test_quarterly_pdf_thai_headings(sqlite_history_app):
    with sqlite_history_app.app_context():
        text = _pdf_text(service.build(get_session(), "quarterly", 2570, "pdf", quarter=1, as_of=AS_OF))
    for heading in ("รายงานสรุปผลการให้บริการประชาชนรายไตรมาส", "ตัวเลขสำคัญเทียบกับไตรมาสก่อน",
                    "ช่วงเวลาที่รอนานที่สุด", "เรื่องร้องเรียนที่เกินกำหนด", "ข้อเสนอแนะจากผลการดำเนินงาน"):
        assert _fold(heading) in text
    assert "1 ต.ค. 2569 – 31 ธ.ค. 2569" in text


def test_measures_docx_table_in_the_seed_format(sqlite_history_app):
    with sqlite_history_app.app_context():
        session = get_session()
        service.build(session, "quarterly", 2570, "pdf", quarter=1, as_of=AS_OF)  # logs the summary's date
        data = service.build(session, "measures", 2570, "docx", as_of=AS_OF)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    assert doc.paragraphs[0].text == "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    assert doc.paragraphs[1].text.endswith("ประจำปีงบประมาณ 2570")
    assert doc.paragraphs[2].text == "ข้อมูล ณ วันที่ 5 ม.ค. 2570"
    assert "ปีงบประมาณ พ.ศ. 2569" in doc.paragraphs[3].text
    cells = _cell_texts(doc.tables[0])
    assert cells[0] == ["มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ",
                        "ผลการดำเนินงาน", "ข้อเสนอแนะ"]
    assert len(cells) == 11
    note = "[ยังไม่ทบทวน]\n"  # carried over from 2565, not yet confirmed
    assert cells[1][0] == note + "๑. จัดทําแผนผัง แสดงขั้นตอน ระยะเวลาการ ให้บริการประชาชน และระบุ ผู้รับผิดชอบงาน ให้บริการทุก กระบวนงาน"
    assert cells[2][2] == note + "กองคลัง"
    assert cells[1][3] == note + "กุมภาพันธ์ – เมษายน 2570"  # carried forward from 2565, year moved
    measure4 = cells[4][4]
    # The queue started on 30 Sep 2569, before fiscal 2570: the 2570 report says so in the year's terms.
    assert "ใช้งานตั้งแต่ต้นปีงบประมาณ 2570" in measure4 and "30 ก.ย. 2569" not in measure4
    assert "ออกบัตรคิว 7 ใบ ให้บริการแล้ว 4 ราย" in measure4
    assert "ไตรมาส 1 เมื่อ 5 ม.ค. 2570" in measure4
    assert cells[5][4] == note + "- ยังไม่ได้ดำเนินการโครงการพัฒนาบุคลากรฯ"  # measure 5 keeps its text
    _assert_thai_font(doc)


def test_measures_pdf_and_ita(sqlite_history_app):
    with sqlite_history_app.app_context():
        session = get_session()
        text = _pdf_text(service.build(session, "measures", 2570, "pdf", as_of=AS_OF))
        ita = Document(io.BytesIO(service.build(session, "ita", 2570, "docx", months=6, as_of=AS_OF)))
    assert _fold("รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส") in text
    assert _fold("ผลการดำเนินงาน") in text and "ข้อเสนอแนะ" in text
    memo = "\n".join(p.text for p in ita.paragraphs)
    assert ita.paragraphs[0].text == "บันทึกข้อความ"
    assert "ประจำปีงบประมาณ พ.ศ. 2570 รอบ 6 เดือน" in memo and "เรียน  นายกองค์การบริหารส่วนตำบล" in memo
    assert "(ลงชื่อ)" in memo
    _assert_thai_font(ita)


def test_measure_text_is_edited_and_carried_to_the_next_year(app, office):
    with app.app_context():
        session = get_session()
        update_measure(session, 2569, 7, method="ประชุมทุกเดือน", result="ประชุมแล้ว 12 ครั้ง",
                       period="ตุลาคม 2568 – กันยายน 2569")
        following = {m.number: m for m in year_measures(session, 2570)}
        assert following[7].method == "ประชุมทุกเดือน" and following[7].result == "ประชุมแล้ว 12 ครั้ง"
        assert following[7].period == "ตุลาคม 2568 – กันยายน 2570"
        assert len(following) == 10
        with pytest.raises(Exception) as err:
            update_measure(session, 2569, 7, title="")
        assert getattr(err.value, "status", None) == 422
        with pytest.raises(Exception) as err:
            update_measure(session, 2569, 7, nonsense="x")
        assert getattr(err.value, "status", None) == 422


@pytest.mark.parametrize("args, message", [
    (["quarterly", "--fiscal-year", "2569", "--quarter", "5", "--out", "{tmp}/q.pdf"], "--quarter must be 1–4"),
    (["quarterly", "--fiscal-year", "2569", "--quarter", "1", "--out", "{tmp}/q.txt"], "--out must end in"),
    (["measures", "--fiscal-year", "69", "--out", "{tmp}/m.docx"], "Buddhist-era year"),
    (["measures", "--fiscal-year", "abc", "--out", "{tmp}/m.docx"], "not a valid integer"),
    (["ita", "--fiscal-year", "2569", "--months", "3", "--out", "{tmp}/i.docx"], "--months must be 6 or 12"),
    (["figures", "--start", "2026-10-05", "--end", "2026-10-01", "--out", "{tmp}/f.csv"], "end date is before"),
])
def test_cli_bad_arguments_exit_2(app, tmp_path, args, message):
    result = app.test_cli_runner().invoke(args=["report", *[a.format(tmp=tmp_path) for a in args]])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_cli_writes_documents(sqlite_history_app, tmp_path):
    runner = sqlite_history_app.test_cli_runner()
    for args, name in ((["quarterly", "--fiscal-year", "2570", "--quarter", "1"], "q.docx"),
                       (["measures", "--fiscal-year", "2570"], "m.pdf"),
                       (["ita", "--fiscal-year", "2570", "--months", "12"], "i.docx"),
                       (["figures", "--start", "2026-10-01", "--end", "2026-12-31"], "f.xlsx")):
        result = runner.invoke(args=["report", *args, "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 1000
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "f.xlsx")["figures"]
    header = [c.value for c in ws[2]]
    totals = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert (totals["group"], totals["issued"], totals["served"], totals["wait_median_s"]) == ("totals", 7, 4, 600)
