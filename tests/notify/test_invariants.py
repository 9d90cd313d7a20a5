"""Who hears what, as invariants over random sequences (hypothesis state machine): citizens link codes
(their own, others', used ones), cancel, unfollow; the office acts on plain and confidential complaints;
the worker runs. After every run of the worker:

- a LINE user has received exactly the notices for the complaints they had linked, and had not stopped,
  when the office acted and when the worker sent (never one for a complaint they did not link);
- a confidential complaint's notice says nothing but "มีความคืบหน้า — ดูที่ลิงก์ + PIN";
- no notice is pushed twice."""

from __future__ import annotations

import uuid
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from intake import complaints
from tests.intake.conftest import body, db, user
from tests.notify.conftest import text_event, unfollow_event, webhook
from tests.notify.test_line import drain, submit


def test_notices_reach_exactly_who_asked(napp, line_api):
    class Desk(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.client = napp.test_client()
            tag = uuid.uuid4().hex[:10]
            self.users = [f"U{tag}{i:022d}" for i in range(2)]
            self.cases: list[dict] = []          # code, link_code, confidential, status
            self.used_codes: set[str] = set()
            self.linked: dict[str, set[str]] = {u: set() for u in self.users}
            self.pending: Counter = Counter()     # (user, code) notices written, not yet sent
            self.expected: Counter = Counter()    # (user, code) notices that must have arrived

        @initialize()
        def two_complaints(self):
            for confidential in (False, True):
                self.citizen_submits(confidential)

        def citizen_submits(self, confidential):
            receipt = submit(self.client, **body(
                type="corruption" if confidential else "complaint",
                details=f"รายละเอียดเรื่องร้องเรียนหมายเลข {uuid.uuid4().hex}"))
            self.cases.append({"code": receipt["tracking_code"], "link": receipt["line_link_code"],
                               "confidential": confidential, "acknowledged": False})

        @rule(who=st.integers(0, 1), which=st.integers(0, 1))
        def citizen_sends_a_code(self, who, which):
            case = self.cases[which]
            user_id = self.users[who]
            assert webhook(self.client, text_event(user_id, case["link"])).status_code == 200
            if case["link"] not in self.used_codes:
                self.used_codes.add(case["link"])
                self.linked[user_id].add(case["code"])

        @rule(who=st.integers(0, 1), unfollow=st.booleans())
        def citizen_stops(self, who, unfollow):
            user_id = self.users[who]
            event = unfollow_event(user_id) if unfollow else text_event(user_id, "ยกเลิก")
            assert webhook(self.client, event).status_code == 200
            self.linked[user_id].clear()
            for key in [k for k in self.pending if k[0] == user_id]:
                del self.pending[key]  # written while linked, stopped before sent: skipped

        @rule(which=st.integers(0, 1))
        def office_acts(self, which):
            case = self.cases[which]
            with db(napp) as session:
                executive = user(session, "executive")
                if case["acknowledged"]:
                    complaints.progress(session, case["code"], executive, note=f"บันทึกลับ {uuid.uuid4().hex}")
                else:
                    complaints.acknowledge(session, case["code"], executive)
                    case["acknowledged"] = True
            for user_id, codes in self.linked.items():
                if case["code"] in codes:
                    self.pending[(user_id, case["code"])] += 1

        @rule()
        def worker_runs(self):
            drain(napp)
            self.expected.update(self.pending)
            self.pending.clear()
            mine = [p for p in line_api.pushes if p["to"] in self.users]
            got: Counter = Counter()
            confidential = {c["code"] for c in self.cases if c["confidential"]}
            for push in mine:
                [code] = [c["code"] for c in self.cases if c["code"] in push["text"]]
                got[(push["to"], code)] += 1
                if code in confidential:
                    assert push["text"].startswith(f"เรื่อง {code} มีความคืบหน้า — ดูที่ลิงก์ ")
                    assert "บันทึกลับ" not in push["text"]
            assert got == +self.expected
            keys = [p["retry_key"] for p in mine]
            assert len(keys) == len(set(keys))

        def teardown(self):
            self.worker_runs()  # whatever the sequence, it ends with the worker's pass and the check

    run_state_machine_as_test(Desk, settings=settings(
        max_examples=30, stateful_step_count=16, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
