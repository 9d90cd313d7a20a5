"""The confidentiality invariants (docs/COMPLAINTS.md) under random sequences of actions by random staff:
complaints entered and worked on, named staff set and cleared, roles granted, accounts deactivated and
reactivated — by whoever hypothesis picks, allowed or not. After every step, on the real database:

1. every case has someone active, not named in it, who can act on it;
2. nobody sees a case naming them; no executive sees a case naming an executive; admin sees no
   confidential case and no case naming an executive; the inbox's SQL rule agrees with the Python one;
3. "named staff" changed only by the executive or an oversight officer who could act on the case;
4. an officer/executive role only ever granted by the CLI or an executive, an oversight role only by the
   CLI or an oversight officer — every grant in the account log; a role change or deactivation ends the
   account's sessions (its session version moves on).
"""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from intake import access, complaints
from intake.models import CONFIDENTIAL_TYPES, Complaint
from intake.settings import IntakeSettings
from tambon.auth import service as accounts
from tambon.auth.models import CONFIDENTIAL_ROLES, AccountEvent, Role, User
from tambon.auth.policy import CLI
from tambon.db import get_session
from tambon.errors import DomainError
from tests.conftest import make_app
from tests.intake.conftest import body

USERNAMES = ("admin", "counter1", "officer1", "officer2", "staff1", "executive", "deputy", "oversight1")
ROLES = tuple(r.value for r in Role)
TYPES = ("complaint", "staff_conduct", "corruption", "question")
WORK = ("acknowledge", "progress", "note", "answer", "close", "reject", "forward")
SETTINGS = IntakeSettings()
# Half the time someone likely to hold the case, so that the workflow gets somewhere; anyone otherwise.
ACTING = st.one_of(st.sampled_from(("officer1", "officer2", "executive", "deputy", "oversight1")),
                   st.sampled_from(USERNAMES))


@pytest.fixture(scope="module")
def machine_template(office_template, tmp_path_factory):
    """The office plus a deputy executive and one oversight officer (passwords hashed once)."""
    path = tmp_path_factory.mktemp("machine") / "machine.sqlite3"
    shutil.copy(office_template, path)
    app = make_app(tmp_path_factory.mktemp("machine_instance"), f"sqlite:///{path}")
    with app.app_context():
        session = get_session()
        accounts.add_user(session, "deputy", "demo-password", "executive", "รองนายก", actor=CLI)
        accounts.add_user(session, "oversight1", "demo-password", "oversight", "ผู้ตรวจสอบ", actor=CLI)
    app.extensions["tambon.engine"].dispose()
    return path


def oracle_can_view(user: User, c: Complaint, roles: dict[int, str]) -> bool:
    """docs/COMPLAINTS.md's visibility table, restated independently of intake/access.py."""
    if not user.active or c.named_staff_user_id == user.id:
        return False
    assigned = c.assigned_user_id == user.id
    if c.named_staff_user_id is not None and roles.get(c.named_staff_user_id) == "executive":
        return user.role == "oversight" or (assigned and user.role in ("officer", "oversight"))
    if c.type in CONFIDENTIAL_TYPES:
        return user.role == "executive" or (assigned and user.role in ("officer", "executive", "oversight"))
    return user.role in ("officer", "executive", "admin") or (assigned and user.role == "oversight")


def test_confidentiality_invariants_hold_under_random_actions(machine_template, tmp_path):
    # One app for every example; each example starts from a fresh copy of the database file (the engine's
    # connections are closed first, so the next one opens the copy).
    path = tmp_path / "machine.sqlite3"
    shutil.copy(machine_template, path)
    app = make_app(tmp_path, f"sqlite:///{path}")
    engine = app.extensions["tambon.engine"]

    class Office(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            engine.dispose()
            for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                extra.unlink(missing_ok=True)
            shutil.copy(machine_template, path)
            self.ctx = app.app_context()
            self.ctx.push()
            self.s = get_session()
            self.codes: list[str] = []

        def teardown(self):
            self.ctx.pop()

        # --- helpers ---------------------------------------------------------------------------------
        def user(self, name: str) -> User:
            self.s.expire_all()
            return self.s.scalar(select(User).where(User.username == name))

        def case(self, index: int) -> Complaint:
            self.s.expire_all()
            return self.s.scalar(select(Complaint).where(Complaint.tracking_code == self.codes[index % len(self.codes)]))

        def actor(self, name: str | None):
            return CLI if name is None else self.user(name)

        # --- complaints ---------------------------------------------------------------------------------
        @initialize(cases=st.lists(st.tuples(st.sampled_from(TYPES), st.sampled_from((None,) + USERNAMES)),
                                   min_size=3, max_size=6))
        def open_office(self, cases):
            """A morning's complaints, some naming staff (entered by officer1), to work on from the start."""
            for kind, named in cases:
                self.enter_complaint(kind, "officer1" if named else None, named)

        @rule(kind=st.sampled_from(TYPES), by=st.sampled_from((None,) + USERNAMES),
              named=st.sampled_from((None,) + USERNAMES))
        def enter_complaint(self, kind, by, named):
            staff = self.user(by) if by is not None else None
            data = body(type=kind, subject=f"เรื่องที่ {len(self.codes)}", details=f"รายละเอียดเรื่องที่ {len(self.codes)} " * 2)
            if staff is not None and named is not None:
                data["named_staff_user_id"] = self.user(named).id
            try:
                result = complaints.submit(self.s, data, staff_user=staff, settings=SETTINGS)
            except DomainError:
                return
            self.codes.append(result.tracking_code)

        @precondition(lambda self: self.codes)
        @rule(index=st.integers(0, 50), by=ACTING, action=st.sampled_from(WORK))
        def work_on(self, index, by, action):
            c, user = self.case(index), self.user(by)
            code, could_act = c.tracking_code, access.can_act(user, c)
            calls = {
                "acknowledge": lambda: complaints.acknowledge(self.s, code, user),
                "progress": lambda: complaints.progress(self.s, code, user, note="กำลังดำเนินการ"),
                "note": lambda: complaints.add_note(self.s, code, user, note="บันทึกภายใน"),
                "answer": lambda: complaints.answer(self.s, code, user, text="ดำเนินการแล้ว"),
                "close": lambda: complaints.close(self.s, code, user),
                "reject": lambda: complaints.reject(self.s, code, user, reason="ไม่อยู่ในอำนาจ"),
                "forward": lambda: complaints.forward(self.s, code, user, agency="อำเภอ"),
            }
            try:
                calls[action]()
            except DomainError:
                return
            assert could_act, f"{by} ({user.role}) did {action} on a case they may not act on"

        @precondition(lambda self: self.codes)
        @rule(index=st.integers(0, 50), by=ACTING, to=st.sampled_from((None,) + USERNAMES))
        def assign(self, index, by, to):
            c, user = self.case(index), self.user(by)
            if c.status == "received" and access.can_act(user, c):
                complaints.acknowledge(self.s, c.tracking_code, user)
                c = self.case(index)
            before, could = (c.assigned_user_id, c.division, c.status), access.can_assign(user, c)
            assignee = self.user(to).id if to else None
            try:
                complaints.assign(self.s, c.tracking_code, user, division="สำนักปลัด", assignee_id=assignee,
                                  settings=SETTINGS)
            except DomainError:
                c = self.case(index)
                assert (c.assigned_user_id, c.division, c.status) == before
                return
            assert could, f"{by} ({user.role}) assigned a case they may not route"
            if assignee is not None:
                assert access.can_act(self.user(to), self.case(index)), "assigned to someone who cannot act on it"

        @precondition(lambda self: self.codes)
        @rule(index=st.integers(0, 50), by=ACTING, named=st.sampled_from((None,) + USERNAMES),
              reason=st.sampled_from((None, "ระบุชื่อผิดคน")))
        def name_staff(self, index, by, named, reason):
            c, user = self.case(index), self.user(by)
            before = c.named_staff_user_id
            allowed = user.active and user.role in ("executive", "oversight") and access.can_act(user, c)
            try:
                complaints.set_named_staff(self.s, c.tracking_code, user,
                                           named_user_id=self.user(named).id if named else None, reason=reason)
            except DomainError:
                assert self.case(index).named_staff_user_id == before
                return
            after = self.case(index).named_staff_user_id
            if after != before:
                assert allowed, f"{by} ({user.role}) changed named staff"
                assert after is not None or reason, "cleared without a reason"

        # --- accounts -------------------------------------------------------------------------------------
        @rule(by=st.sampled_from((None,) + USERNAMES), who=st.sampled_from(USERNAMES), role=st.sampled_from(ROLES))
        def change_role(self, by, who, role):
            actor, old = self.actor(by), self.user(who)
            old_role, old_version = old.role, old.session_version
            actor_role = actor.role
            try:
                accounts.set_role(self.s, who, role, actor=actor)
            except DomainError:
                assert self.user(who).role == old_role
                return
            new = self.user(who)
            if role != old_role:
                assert new.session_version > old_version, "a role change must end the sessions"
                if role in CONFIDENTIAL_ROLES:
                    assert actor is CLI or actor_role == ("oversight" if role == "oversight" else "executive"), \
                        f"{by} ({actor_role}) granted {role}"
                if old_role == "oversight":
                    assert actor is CLI or actor_role == "oversight"

        @rule(by=st.sampled_from((None,) + USERNAMES), who=st.sampled_from(USERNAMES), active=st.booleans())
        def set_active(self, by, who, active):
            actor, old = self.actor(by), self.user(who)
            old_state, old_version = old.active, old.session_version
            try:
                accounts.set_active(self.s, who, active, actor=actor)
            except DomainError:
                assert self.user(who).active == old_state
                return
            new = self.user(who)
            assert new.active == active and new.session_version > old_version
            if active and new.role in CONFIDENTIAL_ROLES and actor is not CLI:
                assert actor.role == ("oversight" if new.role == "oversight" else "executive")

        # --- invariants -------------------------------------------------------------------------------------
        @invariant()
        def confidentiality(self):
            self.s.expire_all()
            staff = self.s.scalars(select(User)).all()
            roles = {u.id: u.role for u in staff}
            cases = self.s.scalars(select(Complaint)).all()
            inbox = {u.id: set(self.s.scalars(select(Complaint.id).where(access.visible_clause(u))).all())
                     for u in staff}
            for c in cases:
                viewers = {u.id for u in staff if access.can_view(u, c)}
                assert viewers == {u.id for u in staff if oracle_can_view(u, c, roles)}, c.tracking_code
                assert {u.id for u in staff if c.id in inbox[u.id]} == viewers, "inbox SQL disagrees"
                actors = [u for u in staff if access.can_act(u, c)]
                assert actors, f"{c.tracking_code} ({c.type}) left with nobody who can act on it"
                assert c.named_staff_user_id not in viewers
                names_exec = c.named_staff_user_id is not None and roles[c.named_staff_user_id] == "executive"
                for u in staff:
                    if u.id in viewers and u.role == "executive":
                        assert not names_exec, "an executive sees a case naming an executive"
                    if u.id in viewers and u.role == "admin":
                        assert c.type not in CONFIDENTIAL_TYPES and not names_exec
                    if u.id in viewers and u.role == "counter":
                        raise AssertionError("counter staff see a case")

        @invariant()
        def grants_are_logged(self):
            for u in self.s.scalars(select(User).where(User.role.in_(CONFIDENTIAL_ROLES))).all():
                grant = self.s.scalars(select(AccountEvent).where(
                    AccountEvent.user_id == u.id, AccountEvent.action.in_(("create", "role")))
                    .order_by(AccountEvent.id.desc())).first()
                assert grant is not None, f"{u.username} holds {u.role} with no grant in the log"
                granted = (grant.detail or {}).get("to_role") or (grant.detail or {}).get("role")
                assert granted == u.role

    try:
        run_state_machine_as_test(Office, settings=settings(
            max_examples=30, stateful_step_count=40, deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))
    finally:
        engine.dispose()
