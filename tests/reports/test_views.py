"""The dashboard, downloads and the admin's editor of the measure report, over HTTP."""

import csv
import io

from docx import Document
from PIL import Image

from reports.models import MeasureEntry
from tambon.db import get_session
from tests.conftest import csrf_from, login

RANGE = "start=2026-10-01&end=2026-12-31"


def test_dashboard_roles_and_figures(sqlite_history_app):
    client = sqlite_history_app.test_client()
    assert client.get(f"/reports/?{RANGE}").status_code == 302  # to the login page
    login(client, "counter1")
    assert client.get(f"/reports/?{RANGE}").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/counter").get_data(as_text=True))})
    login(client, "executive")
    page = client.get(f"/reports/?{RANGE}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<div class="value" id="fig-issued">7</div>' in html
    assert '<div class="value" id="fig-served">4</div>' in html
    assert '<div class="value" id="fig-median-wait">10.0</div>' in html
    assert "data:image/png;base64," in html and "สรุปผลการให้บริการ" in html
    assert 'href="/reports/"' in html  # the staff navigation entry
    for preset in ("today", "week", "month", "quarter"):
        assert client.get(f"/reports/?preset={preset}").status_code == 200
    bad = client.get("/reports/?start=2026-10-05&end=2026-10-01")
    assert bad.status_code == 422 and "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น" in bad.get_data(as_text=True)
    assert client.get("/reports/?start=yesterday&end=2026-10-01").status_code == 422


def test_downloads(sqlite_history_app):
    client = sqlite_history_app.test_client()
    login(client, "executive")
    got = client.get(f"/reports/figures.csv?{RANGE}")
    assert got.status_code == 200 and got.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(got.get_data().decode("utf-8-sig"))))
    header, totals = rows[1], dict(zip(rows[1], rows[2], strict=True))
    assert header[:4] == ["group", "code", "name_th", "name_en"]
    assert (totals["issued"], totals["served"], totals["wait_p90_s"]) == ("7", "4", "1560.0")
    assert client.get(f"/reports/figures.xlsx?{RANGE}").status_code == 200
    doc = client.get("/reports/quarterly.docx?fiscal_year=2570&quarter=1")
    assert doc.status_code == 200 and "quarterly-2570-Q1.docx" in doc.headers["Content-Disposition"]
    assert Document(io.BytesIO(doc.data)).tables[0].rows[1].cells[1].text == "7"
    pdf = client.get("/reports/ita.pdf?fiscal_year=2570&months=12")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    preview = client.get("/reports/quarterly?fiscal_year=2570&quarter=1")
    assert preview.status_code == 200 and "ตัวเลขสำคัญเทียบกับไตรมาสก่อน" in preview.get_data(as_text=True)
    assert client.get("/reports/quarterly.docx?fiscal_year=2570&quarter=5").status_code == 422
    assert client.get("/reports/quarterly.txt?fiscal_year=2570&quarter=1").status_code == 422
    assert client.get("/reports/measures.pdf?fiscal_year=abc").status_code == 422
    assert client.get("/reports/measures.pdf?fiscal_year=1999").status_code == 422
    assert client.get("/reports/nothing?fiscal_year=2570").status_code == 404


def _png(color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="PNG")
    return buf.getvalue()


def test_admin_edits_text_and_photos(office_app):
    app = office_app
    client = app.test_client()
    login(client, "executive")
    assert client.get("/reports/measures/edit?fiscal_year=2569").status_code == 403
    client = app.test_client()
    login(client, "admin")
    page = client.get("/reports/measures/edit?fiscal_year=2569")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    form = {"csrf_token": token, "m7-title": "7. การแลกเปลี่ยนความคิดเห็นภายในหน่วยงาน", "m7-method": "ประชุมทุกเดือน",
            "m7-responsible": "สำนักปลัด", "m7-period": "ตุลาคม 2568 – กันยายน 2569",
            "m7-result": "ประชุม 12 ครั้ง เผยแพร่ทางเว็บไซต์", "m7-suggestion": "ทำต่อเนื่อง"}
    assert client.post("/reports/measures/2569/7", data=form).status_code == 302
    # Measure 4's result is written from the data: the form cannot overwrite it.
    form4 = {k.replace("m7-", "m4-"): v for k, v in form.items()}
    client.post("/reports/measures/2569/4", data=form4)
    upload = client.post("/reports/measures/2569/7/photos", data={
        "csrf_token": token, "caption": "ประชุมประจำเดือน", "photo": (io.BytesIO(_png()), "p.png")},
        content_type="multipart/form-data")
    assert upload.status_code == 302
    bad = client.post("/reports/measures/2569/7/photos", data={
        "csrf_token": token, "photo": (io.BytesIO(b"not an image"), "x.png")}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "ไม่ใช่รูปภาพ" in bad.get_data(as_text=True)
    with app.app_context():
        session = get_session()
        m7 = session.query(MeasureEntry).filter_by(fiscal_year=2569, number=7).one()
        m4 = session.query(MeasureEntry).filter_by(fiscal_year=2569, number=4).one()
        assert (m7.method, m7.result) == ("ประชุมทุกเดือน", "ประชุม 12 ครั้ง เผยแพร่ทางเว็บไซต์")
        assert m4.result.startswith("1. มีการจัดบัตรคิว") and m4.method == "ประชุมทุกเดือน"
        assert [p.caption for p in m7.photos] == ["ประชุมประจำเดือน"]
        photo_id = m7.photos[0].id
    assert client.get(f"/reports/photos/{photo_id}.jpg").mimetype == "image/jpeg"
    doc = Document(io.BytesIO(client.get("/reports/measures.docx?fiscal_year=2569").data))
    assert doc.tables[0].rows[7].cells[4].text == "ประชุม 12 ครั้ง เผยแพร่ทางเว็บไซต์"
    assert len(doc.inline_shapes) == 1
    assert "ประชุมประจำเดือน" in [p.text for p in doc.paragraphs]
    # Carried into the next fiscal year with its photo.
    doc = Document(io.BytesIO(client.get("/reports/measures.docx?fiscal_year=2570").data))
    # Carried over: marked as not yet reviewed for 2570 until the clerk saves it for that year.
    assert doc.tables[0].rows[7].cells[1].text == "[ยังไม่ทบทวน]\nประชุมทุกเดือน"
    assert len(doc.inline_shapes) == 1
    assert client.post(f"/reports/photos/{photo_id}/delete", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert get_session().query(MeasureEntry).filter_by(fiscal_year=2569, number=7).one().photos == []
