"""Open311 GeoReport v2 over a real HTTP server on 127.0.0.1: create, then list and fetch, in JSON and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests

from intake import complaints
from tests.conftest import bearer, served
from tests.intake.conftest import body, db, user

REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture
def server(intake_app):
    with served(intake_app) as url:
        yield f"{url}/open311/v2"


def test_round_trip_create_list_fetch(intake_app, server):
    key = bearer(intake_app, "counter1")["Authorization"][7:]
    services = requests.get(f"{server}/services.json", timeout=10).json()
    codes = {s["service_code"] for s in services}
    assert codes == {"complaint", "question", "praise", "suggestion"}  # never staff_conduct / corruption
    assert all({"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} <= set(s)
               for s in services)
    definition = requests.get(f"{server}/services/complaint.json", timeout=10).json()
    assert definition["service_code"] == "complaint" and definition["attributes"][0]["code"] == "subject"

    created = requests.post(f"{server}/requests.json", data={
        "api_key": key, "service_code": "complaint", "address_string": "ถนนสายหลัก หมู่ 5",
        "description": "น้ำท่วมขังถนนสายหลักหลังฝนตกทุกครั้ง", "attribute[subject]": "น้ำท่วมขังถนน",
        "first_name": "สมศรี", "phone": "0811112222"}, timeout=10)
    assert created.status_code == 201, created.text
    [receipt] = created.json()
    request_id, tracking_code = receipt["service_request_id"], receipt["tracking_code"]
    assert tracking_code.startswith("TB-") and receipt["service_notice"] and len(receipt["pin"]) == 6
    assert tracking_code not in request_id and receipt["status_url"].endswith(tracking_code)

    listed = requests.get(f"{server}/requests.json", timeout=10)
    assert [r["service_request_id"] for r in listed.json()] == [request_id]
    assert tracking_code not in listed.text  # the public list is no list of keys to citizens' answers
    assert requests.get(f"{server}/requests/{tracking_code}.json", timeout=10).status_code == 404
    assert set(listed.json()[0]) == REQUEST_FIELDS
    one = requests.get(f"{server}/requests/{request_id}.json", timeout=10).json()
    assert len(one) == 1 and one[0]["status"] == "open" and one[0]["service_code"] == "complaint"
    assert one[0]["expected_datetime"].endswith("+07:00") and one[0]["requested_datetime"]
    assert "สมศรี" not in str(one) and "0811112222" not in str(one)

    # the office answers: status becomes closed, with notes and the responsible division
    with db(intake_app) as s:
        officer = user(s, "officer1")
        complaints.acknowledge(s, tracking_code, officer)
        complaints.assign(s, tracking_code, officer, division="กองช่าง",
                          settings=intake_app.extensions["intake.settings"])
        complaints.progress(s, tracking_code, officer, note="ขุดลอกท่อระบายน้ำแล้ว")
        complaints.answer(s, tracking_code, officer, text="แก้ไขแล้ว", close=True)
    one = requests.get(f"{server}/requests/{request_id}.json", timeout=10).json()[0]
    assert one["status"] == "closed" and one["agency_responsible"] == "กองช่าง"
    assert "ขุดลอกท่อระบายน้ำแล้ว" in one["status_notes"] and "ยุติ" in one["status_notes"]
    assert requests.get(f"{server}/requests.json?status=open", timeout=10).json() == []
    assert len(requests.get(f"{server}/requests.json?status=closed", timeout=10).json()) == 1

    xml = requests.get(f"{server}/requests/{request_id}.xml", timeout=10)
    assert xml.headers["Content-Type"].startswith("text/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == request_id
    assert root.find("request/status").text == "closed"


def test_confidential_types_never_appear(intake_app, server):
    with db(intake_app) as s:
        hidden = [complaints.submit(s, body(type=t, subject=f"ลับ {t}")).open311_id
                  for t in ("staff_conduct", "corruption")]
        shown = complaints.submit(s, body(type="question", subject="สอบถามทั่วไป")).open311_id
    listed = requests.get(f"{server}/requests.json", timeout=10).json()
    assert [r["service_request_id"] for r in listed] == [shown]
    by_id = requests.get(f"{server}/requests.json?service_request_id={','.join(hidden + [shown])}", timeout=10)
    assert [r["service_request_id"] for r in by_id.json()] == [shown]
    assert requests.get(f"{server}/requests.json?service_code=staff_conduct,corruption", timeout=10).json() == []
    for code in hidden:
        r = requests.get(f"{server}/requests/{code}.json", timeout=10)
        assert r.status_code == 404 and r.json()[0]["code"] == 404
    key = bearer(intake_app, "counter1")["Authorization"][7:]
    post = requests.post(f"{server}/requests.json", data={"api_key": key, "service_code": "corruption",
                                                          "description": "พยายามส่งเรื่องทุจริตผ่าน Open311"}, timeout=10)
    assert post.status_code == 404


def test_filters_defaults_and_errors(intake_app, server):
    from tests.conftest import at

    with db(intake_app) as s:
        old = complaints.submit(s, body(subject="เรื่องเก่า"), now=at("2026-01-05 10:00")).open311_id
        q = complaints.submit(s, body(type="question", subject="สอบถาม")).open311_id
        c = complaints.submit(s, body(subject="ร้องเรียนใหม่")).open311_id
    default = {r["service_request_id"] for r in requests.get(f"{server}/requests.json", timeout=10).json()}
    assert default == {q, c}  # the most recent 90 days by default
    ranged = requests.get(f"{server}/requests.json", params={"start_date": "2026-01-01T00:00:00+07:00",
                                                             "end_date": "2026-02-01T00:00:00Z"}, timeout=10).json()
    assert [r["service_request_id"] for r in ranged] == [old]
    only_q = requests.get(f"{server}/requests.json?service_code=question", timeout=10).json()
    assert [r["service_request_id"] for r in only_q] == [q]
    wide = requests.get(f"{server}/requests.json", params={"start_date": "2026-01-01T00:00:00Z",
                                                           "end_date": "2026-06-01T00:00:00Z"}, timeout=10)
    assert wide.status_code == 400 and "90" in wide.json()[0]["description"]
    bad = requests.get(f"{server}/requests.xml?start_date=yesterday", timeout=10)
    assert bad.status_code == 400 and ET.fromstring(bad.content).tag == "errors"
    assert requests.get(f"{server}/requests.json?status=pending", timeout=10).status_code == 400
    no_key = requests.post(f"{server}/requests.json", data={"service_code": "complaint",
                                                            "description": "ไม่มีคีย์แต่ส่งเรื่อง"}, timeout=10)
    assert no_key.status_code == 403 and no_key.json()[0]["code"] == 403
    key = bearer(intake_app, "counter1")["Authorization"][7:]
    short = requests.post(f"{server}/requests.json", data={"api_key": key, "service_code": "complaint",
                                                           "description": "สั้น"}, timeout=10)
    assert short.status_code == 400 and "สั้นเกินไป" in short.json()[0]["description"]
    no_location = requests.post(f"{server}/requests.xml", data={
        "api_key": key, "service_code": "praise", "description": "ขอชมเจ้าหน้าที่ที่ให้บริการดีมาก"}, timeout=10)
    assert no_location.status_code == 201 and ET.fromstring(no_location.content).find(
        "request/tracking_code").text.startswith("TB-")
    discovery = ET.fromstring(requests.get(f"{server}/discovery.xml", timeout=10).content)
    assert discovery.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"
    assert {f.text for f in discovery.findall("endpoints/endpoint/formats/format")} == {"text/xml",
                                                                                       "application/json"}
    services_xml = ET.fromstring(requests.get(f"{server}/services.xml", timeout=10).content)
    assert len(services_xml.findall("service/service_code")) == 4
    assert requests.get(f"{server}/services.csv", timeout=10).status_code == 404
