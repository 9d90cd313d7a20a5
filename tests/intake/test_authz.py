"""Who may open what: every complaint route for anonymous, counter, officer, the named staff member,
executive and admin."""

from __future__ import annotations

import io

from PIL import Image

from intake import complaints
from intake.settings import IntakeSettings
from intake.uploads import check_file
from tests.intake.conftest import body, db, page_csrf, staff_client, user

ROLES = ("anonymous", "counter1", "officer1", "staff1", "executive", "admin")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue()


def make_cases(app) -> dict:
    """G: a general complaint naming staff1; C: a staff-conduct complaint naming staff1, assigned to
    officer1; K: a corruption report nobody has been assigned yet."""
    with db(app) as s:
        officer, executive, staff1 = (user(s, n) for n in ("officer1", "executive", "staff1"))
        photo = check_file("photo.jpg", _jpeg(), max_bytes=10**6)
        g = complaints.submit(s, body(subject="ถนนชำรุด", contact={"name": "ผู้ร้อง ก", "phone": "0811111111"}),
                              files=[photo], staff_user=officer)
        complaints.set_named_staff(s, g.tracking_code, executive, named_user_id=staff1.id)
        c = complaints.submit(s, body(type="staff_conduct", subject="พูดจาไม่สุภาพ",
                                      contact={"name": "ผู้ร้อง ข", "phone": "0822222222"}), files=[photo])
        complaints.acknowledge(s, c.tracking_code, executive)
        complaints.set_named_staff(s, c.tracking_code, executive, named_user_id=staff1.id)
        complaints.assign(s, c.tracking_code, executive, division="สำนักปลัด", assignee_id=officer.id,
                          settings=IntakeSettings())
        k = complaints.submit(s, body(type="corruption", subject="เรียกรับเงินใต้โต๊ะ",
                                      contact={"name": "ผู้ร้อง ค", "phone": "0833333333"}), files=[photo])
        from sqlalchemy import select

        from intake.models import ComplaintAttachment
        files = {code: s.scalar(select(ComplaintAttachment.id).join(
            complaints.Complaint, complaints.Complaint.id == ComplaintAttachment.complaint_id)
            .where(complaints.Complaint.tracking_code == code)) for code in (g.tracking_code, c.tracking_code,
                                                                               k.tracking_code)}
    return {"G": g.tracking_code, "C": c.tracking_code, "K": k.tracking_code, "files": files,
            "open311": {"G": g.open311_id, "C": c.open311_id, "K": k.open311_id}}


LOGIN = 302  # a page for staff redirects anonymous visitors to the login
OK_ACT = 302  # a successful action redirects back to the complaint

#                 anonymous counter officer1 staff1(named) executive admin
EXPECT = {
    ("GET", "/office/complaints"): (LOGIN, 403, 200, 200, 200, 200),
    ("GET", "/office/complaints/new"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/office/complaints/posters"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/office/complaints/posters/counter.png?size=A5"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/office/complaints/{G}"): (LOGIN, 403, 200, 404, 200, 200),
    ("GET", "/office/complaints/{C}"): (LOGIN, 403, 200, 404, 200, 404),
    ("GET", "/office/complaints/{K}"): (LOGIN, 403, 404, 404, 200, 404),
    ("GET", "/office/complaints/{G}/contact"): (LOGIN, 403, 200, 404, 200, 403),
    ("GET", "/office/complaints/{C}/contact"): (LOGIN, 403, 200, 404, 200, 404),
    ("GET", "/office/complaints/{K}/contact"): (LOGIN, 403, 404, 404, 200, 404),
    ("GET", "/office/complaints/{G}/files/{fG}"): (LOGIN, 403, 200, 404, 200, 403),
    ("GET", "/office/complaints/{C}/files/{fC}"): (LOGIN, 403, 200, 404, 200, 404),
    ("GET", "/office/complaints/{K}/files/{fK}"): (LOGIN, 403, 404, 404, 200, 404),
    ("POST", "/office/complaints/{G}/action"): (LOGIN, 403, OK_ACT, 404, OK_ACT, OK_ACT),
    ("POST", "/office/complaints/{C}/action"): (LOGIN, 403, OK_ACT, 404, OK_ACT, 404),
    ("POST", "/office/complaints/{K}/action"): (LOGIN, 403, 404, 404, OK_ACT, 404),
    # public routes: the same for everyone
    ("GET", "/complaints/new"): (200,) * 6,
    ("GET", "/complaints/track"): (200,) * 6,
    ("GET", "/complaints/stats"): (200,) * 6,
    ("GET", "/complaints/privacy"): (200,) * 6,
    ("GET", "/complaints/qr.png?src=counter"): (200,) * 6,
    ("GET", "/c/{C}"): (200,) * 6,
    ("GET", "/api/v1/complaints/{C}"): (200,) * 6,
    ("GET", "/open311/v2/requests/{oG}.json"): (200,) * 6,
    ("GET", "/open311/v2/requests/{oC}.json"): (404,) * 6,   # never readable through Open311
    ("GET", "/open311/v2/requests/{oK}.json"): (404,) * 6,
}


def test_authz_matrix(intake_app):
    cases = make_cases(intake_app)
    fmt = {"G": cases["G"], "C": cases["C"], "K": cases["K"], "fG": cases["files"][cases["G"]],
           "fC": cases["files"][cases["C"]], "fK": cases["files"][cases["K"]],
           **{f"o{key}": open311_id for key, open311_id in cases["open311"].items()}}
    failures = []
    for index, role in enumerate(ROLES):
        client = intake_app.test_client() if role == "anonymous" else staff_client(intake_app, role)
        token = page_csrf(client)
        for (method, path), expected in EXPECT.items():
            url = path.format(**fmt)
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": token, "action": "note", "note": f"บันทึกโดย {role}"})
            want = expected[index]
            if response.status_code != want:
                failures.append(f"{role:10} {method} {url}: {response.status_code} (expected {want})")
            if role == "anonymous" and want == LOGIN:
                assert "/login" in response.headers["Location"]
    assert not failures, "\n".join(failures)


def test_inbox_lists_only_what_each_may_see(intake_app):
    cases = make_cases(intake_app)
    seen = {}
    for role in ("officer1", "staff1", "executive", "admin", "officer2"):
        html = staff_client(intake_app, role).get("/office/complaints?view=all").get_data(as_text=True)
        seen[role] = {k for k in ("G", "C", "K") if cases[k] in html}
    assert seen == {"officer1": {"G", "C"}, "staff1": set(), "executive": {"G", "C", "K"}, "admin": {"G"},
                    "officer2": {"G"}}


def test_personal_data_views_are_logged(intake_app):
    from sqlalchemy import select

    from intake.models import ComplaintAccessLog
    cases = make_cases(intake_app)
    officer = staff_client(intake_app, "officer1")
    detail = officer.get(f"/office/complaints/{cases['G']}").get_data(as_text=True)
    assert "0811111111" not in detail and "ผู้ร้อง ก" not in detail  # not shown until asked for
    shown = officer.get(f"/office/complaints/{cases['G']}/contact").get_data(as_text=True)
    assert "0811111111" in shown and "ผู้ร้อง ก" in shown
    file = officer.get(f"/office/complaints/{cases['G']}/files/{cases['files'][cases['G']]}")
    assert file.status_code == 200 and file.data[:3] == b"\xff\xd8\xff"
    admin_view = staff_client(intake_app, "admin").get(f"/office/complaints/{cases['G']}").get_data(as_text=True)
    assert "0811111111" not in admin_view
    with db(intake_app) as s:
        rows = s.execute(select(ComplaintAccessLog.what, ComplaintAccessLog.user_id)).all()
        officer_id = user(s, "officer1").id
    assert sorted(rows) == [("attachment", officer_id), ("contact", officer_id)]
    executive_view = staff_client(intake_app, "executive").get(f"/office/complaints/{cases['G']}")
    assert "ผู้เปิดดูข้อมูลส่วนบุคคล" in executive_view.get_data(as_text=True)  # the executive sees the log


def test_named_staff_never_gets_digest_or_assignment_of_their_case(intake_app):
    from intake.digest import build_digests
    from tambon.thaidate import utcnow

    cases = make_cases(intake_app)
    with db(intake_app) as s:
        digests = {d.recipient.username: d for d in build_digests(s, now=utcnow().replace(year=2030))}
        codes = {name: {c.tracking_code for c in d.overdue} for name, d in digests.items()}
    assert cases["C"] not in codes["staff1"] and cases["G"] not in codes["staff1"]
    assert {cases["G"], cases["C"], cases["K"]} <= codes["executive"]
    assert cases["K"] not in codes["officer1"] and cases["C"] in codes["officer1"]
