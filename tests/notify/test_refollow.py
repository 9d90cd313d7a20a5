"""A citizen who re-follows the OA after unfollowing (or unblocks it): the old links stay stopped (README:
an unfollow or block is a withdrawal; a re-follow may be for anything else), the greeting says so, and a new
code links again."""

from __future__ import annotations

from sqlalchemy import select

from intake import complaints
from notify import reach
from notify.models import LinkStatus, NotifyLink, Subject
from tests.intake.conftest import db
from tests.notify.conftest import follow_event, text_event, unfollow_event, webhook
from tests.notify.test_line import CITIZEN, drain, linked, officer_does


def test_refollowing_does_not_bring_links_back_and_a_new_code_does(napp, line_api):
    client = napp.test_client()
    receipt = linked(napp, client, line_api)
    code = receipt["tracking_code"]
    assert webhook(client, unfollow_event(CITIZEN)).status_code == 200
    assert webhook(client, follow_event(CITIZEN)).status_code == 200
    officer_does(napp, "acknowledge", code)
    drain(napp)
    assert line_api.pushes == []  # still stopped
    assert "ยินดีต้อนรับกลับ" in line_api.replies[-1]["text"] and "รหัส 6 หลักใหม่" in line_api.replies[-1]["text"]
    with db(napp) as session:
        [link] = session.scalars(select(NotifyLink).where(NotifyLink.address == CITIZEN)).all()
        assert (link.status, link.stop_reason) == (LinkStatus.STOPPED, "unfollowed")
        complaint_id = complaints.find(session, code).id
        fresh = reach.link_code(session, Subject.COMPLAINT, complaint_id, code)
    assert fresh and fresh != receipt["line_link_code"]

    # the old code does not bring it back either; the new one does
    webhook(client, text_event(CITIZEN, receipt["line_link_code"]))
    drain(napp)
    assert "ใช้ไปแล้ว" in line_api.replies[-1]["text"]
    webhook(client, text_event(CITIZEN, fresh))
    officer_does(napp, "answer", code, text="ซ่อมแล้ว")
    drain(napp)
    assert len(line_api.pushes) == 1 and "ซ่อมแล้ว" in line_api.pushes[0]["text"]


def test_a_first_follow_gets_the_ordinary_greeting(napp, line_api):
    client = napp.test_client()
    webhook(client, follow_event(CITIZEN))
    drain(napp)
    assert "ยินดีต้อนรับกลับ" not in line_api.replies[-1]["text"] and "ส่งรหัส 6 หลัก" in line_api.replies[-1]["text"]
