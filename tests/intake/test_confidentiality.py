"""Issue 19, findings 1–4: the workflow's own actions keep a confidential complaint confidential — over HTTP,
as each role meets it (docs/COMPLAINTS.md, "Invariants")."""

from __future__ import annotations

from sqlalchemy import select

from intake import complaints
from intake.models import Complaint, ComplaintEvent
from intake.settings import IntakeSettings
from tambon.auth import service as users
from tambon.auth.models import AccountEvent, User
from tambon.auth.policy import CLI
from tests.conftest import bearer
from tests.intake.conftest import body, db, page_csrf, staff_client, user


def _corruption_case_assigned_to_officer1(app) -> str:
    with db(app) as s:
        executive, officer = user(s, "executive"), user(s, "officer1")
        k = complaints.submit(s, body(type="corruption", subject="เรียกรับเงินใต้โต๊ะ"))
        complaints.acknowledge(s, k.tracking_code, executive)
        complaints.assign(s, k.tracking_code, executive, division="สำนักปลัด", assignee_id=officer.id,
                          settings=IntakeSettings())
    return k.tracking_code


def _act(client, code: str, **form):
    return client.post(f"/office/complaints/{code}/action", data={"csrf_token": page_csrf(client), **form})


def _add_oversight(app, username: str = "oversight1") -> None:
    with db(app) as s:
        users.add_user(s, username, "demo-password", "oversight", "ผู้ตรวจสอบ (นายอำเภอมอบหมาย)", actor=CLI)


def test_finding1_an_officer_cannot_hide_a_case_by_naming_the_executive(intake_app):
    code = _corruption_case_assigned_to_officer1(intake_app)
    with db(intake_app) as s:
        executive_id = user(s, "executive").id
    officer = staff_client(intake_app, "officer1")
    refused = _act(officer, code, action="named_staff", named_user_id=str(executive_id))
    assert refused.status_code == 403
    assert "ผู้บริหารหรือผู้ตรวจสอบ" in refused.get_data(as_text=True)
    executive = staff_client(intake_app, "executive")
    assert executive.get(f"/office/complaints/{code}").status_code == 200
    assert code in executive.get("/office/complaints?view=all").get_data(as_text=True)


def test_finding1_even_the_executive_cannot_name_the_executive_without_an_oversight_route(intake_app):
    """Naming the executive moves the case to oversight; with no oversight officer that would be nobody."""
    with db(intake_app) as s:
        code = complaints.submit(s, body(type="corruption", subject="เรียกรับเงินใต้โต๊ะ")).tracking_code  # nobody assigned
        executive_id = user(s, "executive").id
        users.add_user(s, "deputy", "demo-password", "executive", "รองนายก", actor=CLI)
    deputy = staff_client(intake_app, "deputy")
    refused = _act(deputy, code, action="named_staff", named_user_id=str(executive_id))
    assert refused.status_code == 409 and "ผู้ตรวจสอบ" in refused.get_data(as_text=True)
    assert staff_client(intake_app, "executive").get(f"/office/complaints/{code}").status_code == 200
    # With an oversight officer designated, the same action routes the case to them.
    _add_oversight(intake_app)
    assert _act(deputy, code, action="named_staff", named_user_id=str(executive_id)).status_code == 302
    assert staff_client(intake_app, "executive").get(f"/office/complaints/{code}").status_code == 404
    assert staff_client(intake_app, "deputy").get(f"/office/complaints/{code}").status_code == 404
    assert staff_client(intake_app, "oversight1").get(f"/office/complaints/{code}").status_code == 200


def test_finding2_only_the_executive_clears_named_staff_with_a_reason_the_executive_sees(intake_app):
    with db(intake_app) as s:
        executive, staff1 = user(s, "executive"), user(s, "staff1")
        g = complaints.submit(s, body(subject="ถนนชำรุดหน้าตลาด"))
        complaints.set_named_staff(s, g.tracking_code, executive, named_user_id=staff1.id)
    code = g.tracking_code
    officer = staff_client(intake_app, "officer1")
    assert officer.get(f"/office/complaints/{code}").status_code == 200
    cleared = _act(officer, code, action="named_staff", named_user_id="")
    assert cleared.status_code == 403
    assert staff_client(intake_app, "staff1").get(f"/office/complaints/{code}").status_code == 404
    # The executive may clear it, but only with a reason …
    executive_client = staff_client(intake_app, "executive")
    assert _act(executive_client, code, action="named_staff", named_user_id="").status_code == 422
    assert staff_client(intake_app, "staff1").get(f"/office/complaints/{code}").status_code == 404
    done = _act(executive_client, code, action="named_staff", named_user_id="", reason="ผู้ร้องระบุชื่อผิดคน")
    assert done.status_code == 302
    # … which is logged and shown to the executive in the inbox and on the case.
    inbox = executive_client.get("/office/complaints").get_data(as_text=True)
    assert 'id="named-staff-cleared"' in inbox and "ผู้ร้องระบุชื่อผิดคน" in inbox and code in inbox
    assert "ล้างชื่อเจ้าหน้าที่ที่ถูกร้องเรียน" in executive_client.get(f"/office/complaints/{code}").get_data(as_text=True)
    with db(intake_app) as s:
        event = s.scalar(select(ComplaintEvent).where(ComplaintEvent.type == "named_staff_cleared"))
        assert event.user_id == user(s, "executive").id and event.detail["previous_user_id"] == user(s, "staff1").id
    # the officer does not get the form at all
    assert 'id="named-staff-form"' not in officer.get(f"/office/complaints/{code}").get_data(as_text=True)


def _new_user_form(client, **fields):
    page = client.get("/admin/users/new")
    return page, client.post("/admin/users/new", data={"csrf_token": page_csrf(client, "/admin/users/new"),
                                                      "password": "long-password-1", **fields})


def test_finding3_admin_cannot_create_an_executive_or_officer(intake_app):
    admin = staff_client(intake_app, "admin")
    page, refused = _new_user_form(admin, username="boss", role="executive")
    html = page.get_data(as_text=True)
    # the form offers only what admin may grant, least privilege first and selected, in Thai
    assert 'value="executive"' not in html and 'value="officer"' not in html and 'value="oversight"' not in html
    assert '<option value="counter" selected>เจ้าหน้าที่ช่องบริการ</option>' in html
    assert refused.status_code == 403
    for role in ("officer", "oversight"):
        assert _new_user_form(admin, username=f"x-{role}", role=role)[1].status_code == 403
    with db(intake_app) as s:
        assert s.scalar(select(User).where(User.username.in_(("boss", "x-officer", "x-oversight")))) is None
    login = intake_app.test_client()
    from tests.conftest import login as do_login
    assert do_login(login, "boss", "long-password-1").status_code == 401
    # admin may not open an existing officer's account either (a new password would be a way in)
    with db(intake_app) as s:
        officer_id = user(s, "officer1").id
    assert admin.get(f"/admin/users/{officer_id}/edit").status_code == 403
    # admin still manages counter staff
    assert _new_user_form(admin, username="clerk2", role="counter")[1].status_code == 302


def test_finding3_the_executive_grants_and_every_grant_is_logged(intake_app):
    executive = staff_client(intake_app, "executive")
    _page, created = _new_user_form(executive, username="officer3", role="officer", display_name="เจ้าหน้าที่ใหม่")
    assert created.status_code == 302
    # the executive cannot make an oversight officer (the one who would oversee them)
    assert _new_user_form(executive, username="friend", role="oversight")[1].status_code == 403
    with db(intake_app) as s:
        new = user(s, "officer3")
        log = s.scalars(select(AccountEvent).where(AccountEvent.user_id == new.id)).all()
        assert [(e.action, e.actor_user_id, e.via) for e in log] == [("create", user(s, "executive").id, "web")]
    listing = executive.get("/admin/users").get_data(as_text=True)
    assert "officer3" in listing and "สร้างบัญชี" in listing and "เจ้าหน้าที่รับเรื่องร้องเรียน" in listing
    assert ">officer<" not in listing


def test_finding4_a_complaint_naming_the_executive_goes_to_oversight_never_to_the_executive(intake_app):
    _add_oversight(intake_app)
    with db(intake_app) as s:
        executive_id = user(s, "executive").id
        officer2_id = user(s, "officer2").id
    entered = intake_app.test_client().post(
        "/api/v1/complaints", headers=bearer(intake_app, "counter1"),
        json=body(type="corruption", subject="นายกเรียกรับเงิน", channel="phone",
                  named_staff_user_id=executive_id))
    assert entered.status_code == 201, entered.get_json()
    code = entered.get_json()["tracking_code"]
    seen = {name: staff_client(intake_app, name).get(f"/office/complaints/{code}").status_code
            for name in ("executive", "officer1", "admin", "oversight1")}
    assert seen == {"executive": 404, "officer1": 404, "admin": 404, "oversight1": 200}
    oversight = staff_client(intake_app, "oversight1")
    assert code in oversight.get("/office/complaints").get_data(as_text=True)
    assert code not in staff_client(intake_app, "executive").get("/office/complaints?view=all").get_data(as_text=True)
    # the oversight officer routes it; the executive still never sees it
    assert _act(oversight, code, action="acknowledge").status_code == 302
    assert _act(oversight, code, action="assign", division="สำนักปลัด", assignee_id=str(officer2_id)).status_code == 302
    assert staff_client(intake_app, "officer2").get(f"/office/complaints/{code}").status_code == 200
    assert staff_client(intake_app, "executive").get(f"/office/complaints/{code}").status_code == 404
    # and cannot be assigned to the executive
    assert _act(oversight, code, action="assign", division="สำนักปลัด",
                assignee_id=str(executive_id)).status_code == 409


def test_finding4_without_an_oversight_route_the_entry_is_refused_not_lost_silently(intake_app):
    with db(intake_app) as s:
        executive_id = user(s, "executive").id
        before = s.scalar(select(Complaint.id).order_by(Complaint.id.desc()))
    refused = intake_app.test_client().post(
        "/api/v1/complaints", headers=bearer(intake_app, "counter1"),
        json=body(type="corruption", subject="นายกเรียกรับเงิน", channel="phone", named_staff_user_id=executive_id))
    assert refused.status_code == 409
    answer = refused.get_json()
    assert "oversight" in str(answer) and "ผู้ตรวจสอบ" in str(answer)
    with db(intake_app) as s:
        assert s.scalar(select(Complaint.id).order_by(Complaint.id.desc())) == before


def test_the_last_oversight_officer_cannot_be_deactivated_while_a_case_needs_them(intake_app):
    _add_oversight(intake_app)
    with db(intake_app) as s:
        executive, counter = user(s, "executive"), user(s, "counter1")
        complaints.submit(s, body(type="staff_conduct", subject="นายกพูดจาไม่สุภาพ",
                                  named_staff_user_id=executive.id), staff_user=counter)
    from tambon.errors import DomainError
    with db(intake_app) as s:
        try:
            users.set_active(s, "oversight1", False, actor=CLI)
        except DomainError as err:
            assert err.code == "nobody_left"
        else:
            raise AssertionError("deactivation was allowed")
        assert user(s, "oversight1").active
        # promoting a named officer to executive with nobody to oversee … is the same rule
        _add_oversight(intake_app, "oversight2")
        users.set_active(s, "oversight1", False, actor=CLI)  # another oversight officer remains: allowed


def test_oversight_route_and_account_log_on_postgresql(pg_app):
    """The inbox's SQL rule (NOT IN over executives' ids, NULLs) and the account log on PostgreSQL."""
    from tests.intake.conftest import setup_office

    setup_office(pg_app)
    _add_oversight(pg_app)
    with db(pg_app) as s:
        executive, counter = user(s, "executive"), user(s, "counter1")
        about_executive = complaints.submit(s, body(type="staff_conduct", subject="นายกพูดจาไม่สุภาพ",
                                                    named_staff_user_id=executive.id), staff_user=counter)
        general = complaints.submit(s, body(subject="น้ำประปาไม่ไหล"))
        users.set_role(s, "counter1", "admin", actor=CLI)
        assert s.scalar(select(AccountEvent.detail).where(AccountEvent.action == "role")) == {
            "from_role": "counter", "to_role": "admin"}
    for name, sees, hidden in (("executive", general, about_executive), ("oversight1", about_executive, general)):
        inbox = staff_client(pg_app, name).get("/office/complaints?view=all").get_data(as_text=True)
        assert sees.tracking_code in inbox and hidden.tracking_code not in inbox, name
    # the whole workflow on the oversight route, each step checked under the invariant lock
    with db(pg_app) as s:
        oversight, officer2 = user(s, "oversight1"), user(s, "officer2")
        code = about_executive.tracking_code
        complaints.acknowledge(s, code, oversight)
        complaints.assign(s, code, oversight, division="สำนักปลัด", assignee_id=officer2.id, settings=IntakeSettings())
        complaints.progress(s, code, officer2, note="สอบข้อเท็จจริง")
        done = complaints.answer(s, code, officer2, text="ส่งเรื่องถึงนายอำเภอแล้ว", close=True)
        assert done.status == "closed" and done.assigned_user_id == officer2.id


def test_the_executive_recuses_from_a_citizens_complaint_about_them(intake_app):
    """A citizen names the นายก only in words; the executive reads it and names themselves: oversight gets it."""
    _add_oversight(intake_app)
    with db(intake_app) as s:
        code = complaints.submit(s, body(type="staff_conduct", subject="นายกพูดจาไม่สุภาพ",
                                         named_staff="นายก อบต.")).tracking_code
        executive_id = user(s, "executive").id
    executive = staff_client(intake_app, "executive")
    assert executive.get(f"/office/complaints/{code}").status_code == 200
    assert _act(executive, code, action="named_staff", named_user_id=str(executive_id)).status_code == 302
    assert executive.get(f"/office/complaints/{code}").status_code == 404
    assert staff_client(intake_app, "oversight1").get(f"/office/complaints/{code}").status_code == 200


def test_finding4_the_staff_form_refuses_naming_the_executive_without_oversight_and_keeps_the_text(intake_app):
    with db(intake_app) as s:
        executive_id = user(s, "executive").id
    counter = staff_client(intake_app, "counter1")
    page = counter.post("/office/complaints/new", data={
        "csrf_token": page_csrf(counter, "/office/complaints/new"), "channel": "phone", "type": "corruption",
        "subject": "นายกเรียกรับเงินค่าใบอนุญาต", "details": "ผู้ร้องโทรมาแจ้งว่าถูกเรียกรับเงินเพิ่ม",
        "named_staff_user_id": str(executive_id), "anonymous": "1", "consent": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "ผู้ตรวจสอบ" in html and "นายกเรียกรับเงินค่าใบอนุญาต" in html  # why, and nothing typed is lost
    with db(intake_app) as s:
        assert s.scalar(select(Complaint).where(Complaint.subject == "นายกเรียกรับเงินค่าใบอนุญาต")) is None


def test_two_oversight_officers_deactivated_at_once_on_postgresql_leaves_one(pg_app, pg_url):
    """Write skew: two deactivations checked side by side would each see the other officer still active.
    The test holds the invariant lock until both changes wait on it, then lets them go: one must be refused."""
    import threading

    import psycopg

    from intake.access import INVARIANT_LOCK
    from tambon.errors import DomainError
    from tests.intake.conftest import setup_office
    from tests.waiting import wait_until

    setup_office(pg_app)
    _add_oversight(pg_app, "oversight1")
    _add_oversight(pg_app, "oversight2")
    with db(pg_app) as s:
        complaints.submit(s, body(type="corruption", subject="นายกเรียกรับเงิน",
                                  named_staff_user_id=user(s, "executive").id), staff_user=user(s, "counter1"))
    outcome: dict[str, str] = {}

    def deactivate(name: str) -> None:
        with db(pg_app) as s:
            try:
                users.set_active(s, name, False, actor=CLI)
                outcome[name] = "deactivated"
            except DomainError as err:
                outcome[name] = err.code

    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (INVARIANT_LOCK,))
        threads = [threading.Thread(target=deactivate, args=(n,)) for n in ("oversight1", "oversight2")]
        for t in threads:
            t.start()
        try:
            wait_until(lambda: holder.execute(  # this test's database only: other tests share the server
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())").fetchone()[0] == 2,
                timeout=30, what="both changes waiting for the invariant check")
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s)", (INVARIANT_LOCK,))
            for t in threads:
                t.join(30)
    assert sorted(outcome.values()) == ["deactivated", "nobody_left"], outcome
    with db(pg_app) as s:
        assert s.scalar(select(User.id).where(User.role == "oversight", User.active.is_(True))) is not None
