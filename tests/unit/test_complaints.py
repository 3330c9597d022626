"""Complaints: the transition table, the lifecycle on fakes, roles, anonymity, notifications, events."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.bootstrap import Container
from sunlight.models.complaints import (
    COMPLAINT_TRANSITIONS,
    ComplaintAction,
    ComplaintActionRequest,
    ComplaintRequest,
    ComplaintStatus,
    Party,
    RatingRequest,
    actions_for,
    next_status,
    parties_of,
)
from sunlight.models.roles import Principal, Role
from sunlight.services.applications import upload_key
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.fakes.calendar import RecordingEvents
from tests.fakes.social import InMemoryComplaints, InMemoryNotifications
from tests.unit.conftest import CITIZEN, INSPECTOR, LEADER, OTHER_CITIZEN, WINDOW, WORLD_SETTINGS, World

DEPT_INSPECTOR = Principal(user_id="di-1", name="钱监察", roles=frozenset({Role.INSPECTOR}), department_id="market")
FOREIGN_LEADER = Principal(user_id="l-9", name="吴领导", roles=frozenset({Role.LEADER}), department_id="planning")
ACTION = TypeAdapter(ComplaintActionRequest)
# Complaint limits (working days): accept 2, dispatch 1, answer 10, conclude 5.
SOCIAL_SETTINGS = WORLD_SETTINGS.model_copy(update={"complaint_limit_days": "2,1,10,5"})


class Social:
    def __init__(self, world: World) -> None:
        self.world = world
        self.notifications = InMemoryNotifications()
        self.complaints = InMemoryComplaints(self.notifications)
        self.events = RecordingEvents()
        self.service = Container(
            SOCIAL_SETTINGS, cases=world.cases, catalog=world.catalog, attachments=world.attachments, clock=world.clock,
            ids=world.ids, publisher=self.events, calendar=_calendar(), upload_checks=world.upload_checks,
            complaint_repository=self.complaints, notification_repository=self.notifications,
        ).complaints

    def file(self, principal: Principal = CITIZEN, key: str | None = None, **body):
        request = {"department_id": "market", "title": "窗口态度差", "content": "工作人员多次推诿，不予解释原因。"} | body
        return self.service.file(principal, ComplaintRequest.model_validate(request), key)

    def act(self, principal: Principal, complaint_id: str, key: str | None = None, **body):
        return self.service.act(principal, complaint_id, ACTION.validate_python(body), key)

    def through(self, complaint_id: str, *, to: ComplaintStatus) -> None:
        steps = [
            (INSPECTOR, {"action": "accept"}),
            (INSPECTOR, {"action": "dispatch"}),
            (LEADER, {"action": "answer", "answer": "已约谈当事人并整改。"}),
            (INSPECTOR, {"action": "conclude", "founded": True, "conclusion": "投诉属实，已整改。"}),
        ]
        for principal, body in steps:
            if self.complaints.get(complaint_id).status is to:
                return
            self.act(principal, complaint_id, **body)


def _calendar():
    from tests.fakes.cases import WeekdayCalendar

    return WeekdayCalendar()


@pytest.fixture
def social(world) -> Social:
    return Social(world)


# --- the transition table -------------------------------------------------------------------


def test_transition_table_allows_only_the_documented_steps():
    assert next_status(ComplaintStatus.FILED, ComplaintAction.ACCEPT) == (ComplaintStatus.ACCEPTED, Party.CITY_INSPECTOR)
    assert next_status(ComplaintStatus.FILED, ComplaintAction.ANSWER) is None
    assert next_status(ComplaintStatus.REJECTED, ComplaintAction.ACCEPT) is None
    assert next_status(ComplaintStatus.DISPATCHED, ComplaintAction.ANSWER) == (ComplaintStatus.ANSWERED, Party.DEPARTMENT)
    closed = {s for s in ComplaintStatus if s.is_closed}
    assert closed == {ComplaintStatus.REJECTED, ComplaintStatus.CONCLUDED}
    # nothing leaves a closed complaint except the complainant's rating
    assert all(action is ComplaintAction.RATE for (status, action) in COMPLAINT_TRANSITIONS if status in closed)


def test_parties_by_role_and_department():
    assert parties_of(INSPECTOR, "market") == {Party.CITY_INSPECTOR}
    assert parties_of(LEADER, "market") == {Party.DEPARTMENT}
    assert parties_of(DEPT_INSPECTOR, "market") == {Party.DEPARTMENT}
    assert parties_of(FOREIGN_LEADER, "market") == frozenset()
    assert parties_of(WINDOW, "market") == frozenset()
    assert actions_for(ComplaintStatus.FILED, frozenset({Party.CITY_INSPECTOR})) == [ComplaintAction.ACCEPT, ComplaintAction.REJECT]
    assert actions_for(ComplaintStatus.FILED, frozenset({Party.DEPARTMENT})) == []


def test_request_needs_exactly_one_subject():
    with pytest.raises(ValidationError, match="二选一"):
        ComplaintRequest.model_validate({"title": "标题", "content": "内容内容内容内容内容内容"})
    with pytest.raises(ValidationError, match="二选一"):
        ComplaintRequest.model_validate({"case_id": "SL20261123000001", "department_id": "market", "title": "标题", "content": "内容内容内容内容内容内容"})


# --- lifecycle ---------------------------------------------------------------------------------


def test_whole_lifecycle_tells_the_citizen_every_step_and_publishes_two_facts(social):
    filed = social.file()
    assert filed.status is ComplaintStatus.FILED and filed.due_on == date(2026, 11, 25)  # Mon + 2 working days
    social.through(filed.complaint_id, to=ComplaintStatus.CONCLUDED)
    view = social.service.rate(CITIZEN, filed.complaint_id, RatingRequest(score=4, comment="处理及时"))

    assert view.status is ComplaintStatus.CONCLUDED and view.rating.score == 4 and view.founded is True
    assert [e.action for e in view.history] == ["file", "accept", "dispatch", "answer", "conclude", "rate"]
    assert view.history[3].actor == "被投诉部门"  # citizens see the office, not the clerk
    notes = social.service.notifications(CITIZEN, cursor=None, limit=20).items
    assert [n.title for n in notes] == ["投诉已办结", "投诉已答复", "投诉已转办", "投诉已受理", "投诉已提交"]
    types = [(t, d["event_id"], d["department_id"]) for t, d, _ in social.events.published]
    assert types == [
        ("ComplaintFiled", f"{filed.complaint_id}:filed", "market"),
        ("ComplaintConcluded", f"{filed.complaint_id}:concluded", "market"),
    ]
    assert social.events.published[1][1]["founded"] is True
    with pytest.raises(Conflict, match="只能评价一次"):
        social.service.rate(CITIZEN, filed.complaint_id, RatingRequest(score=1))


def test_reject_needs_a_reason_and_closes(social):
    filed = social.file()
    with pytest.raises(ValidationError):
        ACTION.validate_python({"action": "reject"})
    view = social.act(INSPECTOR, filed.complaint_id, action="reject", reason="不属于本平台受理范围")
    assert view.status is ComplaintStatus.REJECTED and view.due_on is None and view.reason == "不属于本平台受理范围"
    with pytest.raises(Conflict, match="不予受理"):
        social.act(INSPECTOR, filed.complaint_id, action="accept")
    assert "理由：不属于本平台受理范围" in social.service.notifications(CITIZEN, cursor=None, limit=1).items[0].body


def test_wrong_state_wrong_role_and_foreign_department(social):
    complaint_id = social.file().complaint_id
    with pytest.raises(Conflict):
        social.act(INSPECTOR, complaint_id, action="conclude", founded=False, conclusion="不属实不属实")
    with pytest.raises(NotFound):
        social.act(LEADER, complaint_id, action="accept")  # not dispatched to the department yet
    social.through(complaint_id, to=ComplaintStatus.DISPATCHED)
    with pytest.raises(Forbidden, match="市监察局"):
        social.act(LEADER, complaint_id, action="conclude", founded=False, conclusion="不属实不属实")
    with pytest.raises(Forbidden, match="本部门"):
        social.act(FOREIGN_LEADER, complaint_id, action="answer", answer="不是我们的")
    with pytest.raises(Forbidden):
        social.act(WINDOW, complaint_id, action="answer", answer="窗口来答复")
    with pytest.raises(Forbidden, match="分管领导或监察室"):
        social.act(INSPECTOR, complaint_id, action="answer", answer="监察局代答")
    assert social.act(DEPT_INSPECTOR, complaint_id, action="answer", answer="监察室已核查").status is ComplaintStatus.ANSWERED


def test_department_sees_only_dispatched_complaints(social):
    complaint_id = social.file().complaint_id
    with pytest.raises(NotFound):
        social.service.detail(LEADER, complaint_id)
    assert social.service.list(LEADER, status=None, cursor=None, limit=20).items == []
    social.through(complaint_id, to=ComplaintStatus.DISPATCHED)
    assert [c.complaint_id for c in social.service.list(LEADER, status=None, cursor=None, limit=20).items] == [complaint_id]
    assert social.service.list(FOREIGN_LEADER, status=None, cursor=None, limit=20).items == []
    with pytest.raises(Forbidden):
        social.service.list(WINDOW, status=None, cursor=None, limit=20)
    with pytest.raises(Forbidden):
        social.service.list(CITIZEN, status=None, cursor=None, limit=20)


def test_anonymous_complaint_hides_the_complainant_from_the_department_only(social, world):
    case_id = world.submitted_case()
    uploaded = world.uploaded(CITIZEN, "b" * 32)
    complaint_id = social.file(case_id=case_id, department_id=None, anonymous=True, upload_ids=[uploaded]).complaint_id
    social.through(complaint_id, to=ComplaintStatus.ANSWERED)

    department = social.service.detail(LEADER, complaint_id)
    dumped = department.model_dump_json()
    assert department.complainant_name is None and department.case_id is None
    assert CITIZEN.name not in dumped and CITIZEN.user_id not in dumped and case_id not in dumped
    listed = social.service.list(LEADER, status=None, cursor=None, limit=20).model_dump_json()
    assert CITIZEN.name not in listed and case_id not in listed
    with pytest.raises(Forbidden, match="匿名"):
        social.service.attachment_link(LEADER, complaint_id, uploaded)

    inspector = social.service.detail(INSPECTOR, complaint_id)
    assert inspector.complainant_name == CITIZEN.name and inspector.case_id == case_id
    assert CITIZEN.user_id in social.service.attachment_link(INSPECTOR, complaint_id, uploaded)


def test_complaint_about_a_case_must_be_the_citizens_own(social, world):
    case_id = world.submitted_case()
    with pytest.raises(NotFound):
        social.file(OTHER_CITIZEN, case_id=case_id, department_id=None)
    view = social.file(case_id=case_id.lower(), department_id=None)
    assert view.case_id == case_id and view.department_id == "market" and view.item_name == "食品经营许可"
    with pytest.raises(InvalidInput) as unknown:
        social.file(department_id="nowhere")
    assert unknown.value.details == {"field": "department_id"}
    with pytest.raises(Forbidden):
        social.file(LEADER)


def test_filing_is_idempotent_per_key(social):
    first = social.file(key="complaint-key-1")
    again = social.file(key="complaint-key-1")
    assert again.complaint_id == first.complaint_id and len(social.complaints.complaints) == 1
    assert [d["event_id"] for _, d, _ in social.events.published] == [f"{first.complaint_id}:filed"] * 2  # same fact, counted once
    with pytest.raises(InvalidInput, match="幂等键"):
        social.file(key="complaint-key-1", title="另一件事")


def test_retried_conclude_republishes_the_same_fact_and_a_concurrent_change_is_a_conflict(social):
    complaint_id = social.file().complaint_id
    social.through(complaint_id, to=ComplaintStatus.ANSWERED)
    social.events.fail_with = RuntimeError("bus down")
    with pytest.raises(RuntimeError):
        social.act(INSPECTOR, complaint_id, key="conclude-key-1", action="conclude", founded=False, conclusion="经核查不属实")
    social.events.fail_with = None
    view = social.act(INSPECTOR, complaint_id, key="conclude-key-1", action="conclude", founded=False, conclusion="经核查不属实")
    assert view.status is ComplaintStatus.CONCLUDED
    assert [d["event_id"] for t, d, _ in social.events.published if t == "ComplaintConcluded"] == [f"{complaint_id}:concluded"]

    other = social.file().complaint_id
    social.complaints.before_save.append(lambda: social.complaints.complaints.update(
        {other: social.complaints.complaints[other].model_copy(update={"version": 99})}))
    with pytest.raises(Conflict, match="刷新"):
        social.act(INSPECTOR, other, action="accept")


def test_a_reused_key_with_another_conclusion_is_refused_not_answered_with_the_first(social):
    complaint_id = social.file().complaint_id
    social.through(complaint_id, to=ComplaintStatus.ANSWERED)
    social.act(INSPECTOR, complaint_id, key="conclude-key-2", action="conclude", founded=False, conclusion="经核查不属实")
    with pytest.raises(InvalidInput, match="Idempotency-Key"):
        social.act(INSPECTOR, complaint_id, key="conclude-key-2", action="conclude", founded=True, conclusion="经核查属实")


def test_overdue_lists_sorted_by_due(social, world):
    late = social.file(title="较早的投诉").complaint_id
    world.clock.advance(days=1)
    social.file(title="较晚的投诉")
    world.clock.advance(days=2)  # Thursday: the first is past its two working days
    page = social.service.list(INSPECTOR, status=None, cursor=None, limit=20).items
    assert [c.title for c in page] == ["较早的投诉", "较晚的投诉"]
    assert [c.overdue for c in page] == [True, False]
    assert social.service.list(INSPECTOR, status=ComplaintStatus.FILED, cursor=None, limit=1).next_cursor
    assert social.service.my_complaint(CITIZEN, late).overdue is True


def test_notifications_are_the_users_own_and_marked_read(social):
    social.file()
    note = social.service.notifications(CITIZEN, cursor=None, limit=5).items[0]
    assert note.read is False
    assert social.service.mark_read(CITIZEN, note.notification_id).read is True
    with pytest.raises(NotFound):
        social.service.mark_read(OTHER_CITIZEN, note.notification_id)
    with pytest.raises(NotFound):
        social.service.my_complaint(OTHER_CITIZEN, note.subject_id)


def test_uploads_must_be_the_complainants_own(social, world):
    world.attachments.put(upload_key(OTHER_CITIZEN.user_id, "c" * 32))
    with pytest.raises(InvalidInput, match="尚未上传成功"):
        social.file(upload_ids=["c" * 32])


def test_a_districts_bureau_reads_its_levels_dispatched_complaints_and_acts_on_none(social, world):
    from sunlight.models.catalog import Department
    from sunlight.models.levels import Government, GovernmentLevel

    world.catalog.governments.update({g.government_id: g for g in (
        Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
        Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700"))})
    for department_id, name, government in (("echeng-market", "鄂城区市场监督管理局", "420704"), ("huarong-market", "华容区市场监督管理局", "420703")):
        world.catalog.departments[department_id] = Department(department_id=department_id, name=name, short_name=name[:6], government_id=government)
    echeng_bureau = Principal(user_id="i-echeng", name="鄂城区监察局 蔡文杰", roles=frozenset({Role.INSPECTOR}), government_id="420704")
    huarong_bureau = Principal(user_id="i-huarong", name="华容区监察局 潘红", roles=frozenset({Role.INSPECTOR}), government_id="420703")
    ours = social.file(department_id="echeng-market").complaint_id
    city = social.file(department_id="market", title="另一件投诉").complaint_id
    with pytest.raises(NotFound):
        social.service.detail(echeng_bureau, ours)  # not dispatched yet: the city's 监察局 has it
    for complaint_id in (ours, city):
        social.through(complaint_id, to=ComplaintStatus.DISPATCHED)
    assert [c.complaint_id for c in social.service.list(echeng_bureau, status=None, cursor=None, limit=20).items] == [ours]
    assert social.service.list(huarong_bureau, status=None, cursor=None, limit=20).items == []
    view = social.service.detail(echeng_bureau, ours)
    assert view.actions == []  # reads; the department answers, the city concludes
    with pytest.raises(Forbidden):
        social.act(echeng_bureau, ours, action="answer", answer="代为答复。")
    for refused, complaint_id in ((huarong_bureau, ours), (echeng_bureau, city)):
        with pytest.raises(Forbidden):
            social.service.detail(refused, complaint_id)
