"""The worker as it runs in a server (a thread, woken after each commit), the retention purge, and the
figures reports may call."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from intake.retention import purge_personal_data
from notify import reach
from notify.models import Channel, LinkStatus, NotifyLink
from notify.notices import EXTENSION
from tambon.thaidate import utcnow
from tests.intake.conftest import db
from tests.notify.test_line import CITIZEN, drain, linked, officer_does, submit


def test_the_worker_thread_sends_after_commit_without_being_asked(napp, line_api):
    service = napp.extensions[EXTENSION]
    service.start()
    try:
        client = napp.test_client()
        receipt = submit(client)
        from tests.notify.conftest import text_event, webhook

        webhook(client, text_event(CITIZEN, receipt["line_link_code"]))
        officer_does(napp, "acknowledge", receipt["tracking_code"])
        with line_api.cond:
            assert line_api.cond.wait_for(lambda: len(line_api.pushes) == 1 and len(line_api.replies) == 1,
                                          timeout=60)
    finally:
        service.stop()
    assert not service.running


def test_retention_purge_forgets_how_to_reach_the_citizen(napp, line_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api)
    officer_does(napp, "acknowledge", receipt["tracking_code"])
    officer_does(napp, "answer", receipt["tracking_code"], text="แก้ไขแล้ว", close=True)
    with db(napp) as session:
        assert purge_personal_data(session, 365, now=utcnow() + timedelta(days=400)) == [receipt["tracking_code"]]
        [link] = session.scalars(select(NotifyLink)).all()
        assert link.address is None and link.status == LinkStatus.STOPPED and link.stop_reason == "purged"


def test_figures_for_the_measure_report(napp, line_api):
    client = napp.test_client()
    start = utcnow() - timedelta(minutes=1)
    told = linked(napp, client, line_api)
    untold = submit(client, subject="ขยะไม่ได้เก็บ", details="รถขยะไม่มาเก็บขยะที่หมู่ 4 มาหนึ่งสัปดาห์")
    for code in (told["tracking_code"], untold["tracking_code"]):
        officer_does(napp, "acknowledge", code)
        officer_does(napp, "answer", code, text="เก็บแล้ว")
    drain(napp)
    end = utcnow() + timedelta(minutes=1)
    with db(napp) as session:
        from intake import complaints

        told_id = complaints.find(session, told["tracking_code"]).id
        assert reach.complaints_told_result(session, start, end) == {told_id}
        assert reach.notices_sent(session, start, end) == {Channel.LINE: 2}  # replies are not counted
        assert reach.complaints_told_result(session, end, end + timedelta(days=1)) == set()


def test_measure_9_and_the_dashboard_say_how_many_results_reached_the_citizen(napp, line_api):
    """Issue 24: the executive's dashboard and measure 9's sentence carry "แจ้งผลให้ผู้ร้องทราบ N เรื่อง" once
    notices go out; before any notice went out in the period, neither claims a figure."""
    from reports.measures import data_results
    from tambon.thaidate import fiscal_year_of, local_day_bounds, to_local
    from tests.conftest import login

    client = napp.test_client()
    today = to_local(utcnow()).date()
    fiscal_year = fiscal_year_of(today)
    with db(napp) as session:
        assert "แจ้งผลการดำเนินการให้ผู้แจ้งทราบ" not in data_results(session, fiscal_year, tz="Asia/Bangkok")[9]
    told = linked(napp, client, line_api)
    submit(client, subject="ขยะไม่ได้เก็บ", details="รถขยะไม่มาเก็บขยะที่หมู่ 4 มาหนึ่งสัปดาห์")
    officer_does(napp, "acknowledge", told["tracking_code"])
    officer_does(napp, "answer", told["tracking_code"], text="เก็บแล้ว")
    drain(napp)
    with db(napp) as session:
        measure_9 = data_results(session, fiscal_year, tz="Asia/Bangkok",
                                 as_of=local_day_bounds(today)[1] - timedelta(seconds=1))[9]
    assert "4. แจ้งผลการดำเนินการให้ผู้แจ้งทราบทาง LINE/SMS/อีเมล 1 เรื่อง" in measure_9
    executive = napp.test_client()
    login(executive, "executive")
    page = executive.get("/reports/?preset=today").get_data(as_text=True)
    assert 'id="fig-told">1<' in page


def test_a_backlog_longer_than_one_pass_is_sent_without_waiting_for_the_poll(napp, line_api):
    """A pass stops at pass_jobs; the next one starts at once, not after NOTIFY_POLL (here an hour)."""
    from dataclasses import replace

    service = napp.extensions[EXTENSION]
    client = napp.test_client()
    first, second = linked(napp, client, line_api), linked(napp, client, line_api)
    before = len(line_api.pushes)
    for code in (first["tracking_code"], second["tracking_code"]):
        officer_does(napp, "acknowledge", code)
    officer_does(napp, "answer", first["tracking_code"], text="แก้ไขแล้ว")
    service.pass_jobs = 1
    service.settings = replace(service.settings, poll=3600)
    service.start()
    try:
        with line_api.cond:
            assert line_api.cond.wait_for(lambda: len(line_api.pushes) == before + 3, timeout=60)
    finally:
        service.stop()
