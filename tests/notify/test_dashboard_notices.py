"""Issue 24 on the executive's dashboard: notices sent by channel in the period (Thai channel names), and
the share of answered complaints whose result reached the citizen, with its base named."""

from __future__ import annotations

import re

from tests.conftest import login
from tests.notify.test_line import drain, linked, officer_does, submit


def test_dashboard_counts_notices_by_channel_and_the_share_told(napp, line_api, sms_api):
    client = napp.test_client()
    executive = napp.test_client()
    login(executive, "executive")
    before = executive.get("/reports/?preset=today").get_data(as_text=True)
    assert 'id="fig-notices"' not in before and 'id="fig-told-share"' not in before  # no notice yet: no claim

    told = linked(napp, client, line_api)                      # LINE: told the result
    untold = submit(client, subject="ขยะไม่ได้เก็บ", details="รถขยะไม่มาเก็บขยะที่หมู่ 4 มาหนึ่งสัปดาห์")
    by_sms = submit(client, subject="น้ำประปาไม่ไหล", details="น้ำประปาไม่ไหลมาสองวันแล้ว หมู่ 3")
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(f"/c/{by_sms['tracking_code']}").get_data(as_text=True)).group(1)
    assert client.post("/notify/sms", data={"csrf_token": token, "subject": "complaint", "ref": by_sms["tracking_code"],
                                            "pin": by_sms["pin"], "phone": "0812345678", "consent": "1"}).status_code == 200
    for code in (told["tracking_code"], untold["tracking_code"]):
        officer_does(napp, "acknowledge", code)
        officer_does(napp, "answer", code, text="เก็บแล้ว")
    drain(napp)
    assert len(line_api.pushes) == 2 and len(sms_api.messages) == 1

    page = executive.get("/reports/?preset=today").get_data(as_text=True)
    assert re.search(r'id="fig-notices">3<', page)
    channels = re.search(r'id="fig-notices-by-channel">([^<]*)<', page).group(1)
    assert channels == "LINE 2 · SMS 1"
    assert "ข้อความแจ้งผลที่ส่งถึงประชาชน" in page
    # two complaints answered in the period; one of them had its result reach the citizen
    assert re.search(r'id="fig-told-share">50.0%<', page)
    assert re.search(r'id="fig-told-base">1 จาก 2 เรื่องที่แจ้งผลแล้ว<', page)
    for raw in (">line<", ">sms<", ">email<", "complaint.answered"):
        assert raw not in page
