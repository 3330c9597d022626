"""行政检查: the 双随机 draw, plans opening one case per drawn subject, the inspection decisions'
details (officers, rectification deadline, 移送立案), the 公示 of results and the one-officer anomaly."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.bootstrap import Container
from sunlight.models.case import CaseStatus
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.flow import Outcome, Step
from sunlight.models.inspection import InspectionPlanRequest, InspectionResult
from sunlight.models.requests import StaffAction
from sunlight.models.supervision import AnomalyRule
from sunlight.rules import inspection_draw
from sunlight.rules.anomalies import AnomalyContext, inspection_by_one_officer
from sunlight.rules.workdays import local_date
from sunlight.services.errors import Conflict, Forbidden, InvalidInput
from tests.fakes.cases import (
    FakeAttachments,
    FakeClock,
    FakePublisher,
    FakeWorkflow,
    InMemoryCases,
    InMemoryUploadChecks,
    SequentialIds,
    WeekdayCalendar,
)
from tests.fakes.catalog import InMemoryCatalogRepository
from tests.fakes.inspections import InMemoryInspections
from tests.fakes.supervision import InMemoryWarnings, RecordingNotifier
from tests.unit.conftest import HANDLER, INSPECTOR, LEADER, WINDOW, WORLD_SETTINGS

ACTION = TypeAdapter(StaffAction)

PENALTY = CatalogItem(
    item_code="420700-CF-0206", name="对食品经营者未按规定履行食品安全管理义务的行政处罚", category="行政处罚",
    department_id="market", legal_basis="《中华人民共和国食品安全法》第一百二十六条", conditions="经检查发现违法行为",
    materials=[{"material_id": "case-filing", "name": "立案审批表"}], legal_limit_days=90, promised_limit_days=80,
    legal_limit_unit="calendar_days", promised_limit_unit="calendar_days", limit_starts_at="registration",
    step_limit_days={"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
                     "decide": 5, "deliver": 7, "execute": 15, "complete": 2},
    step_limit_units={"execute": "calendar_days"}, flow="penalty",
    form_fields=[{"field_id": "party_name", "label": "当事人名称"}, {"field_id": "violation", "label": "违法事实"}],
)
INSPECTION = CatalogItem(
    item_code="420700-JC-0201", name="食品经营者监督检查（双随机抽查）", category="行政检查", department_id="market",
    legal_basis="《中华人民共和国食品安全法》第一百一十条", conditions="列入检查对象名录库的食品经营者",
    materials=[{"material_id": "inspection-record", "name": "现场检查笔录"}], legal_limit_days=60, promised_limit_days=40,
    step_limit_days={"inspect": 10, "inspect_result": 3, "rectification": 5, "publicize": 5}, flow="inspection",
    form_fields=[{"field_id": "plan_name", "label": "抽查计划"}, {"field_id": "drawn_officers", "label": "随机选派的执法人员"}],
    refers_to_item_code="420700-CF-0206",
)
CODES = ["91420700MA4K0000" + f"{n:02d}" for n in range(8)]
SUBJECTS = [
    {"name": f"鄂州市第{n + 1}食品经营部", "id_number": code, "address": f"鄂州市鄂城区古楼街{n + 1}号", "phone": "13800138000"}
    for n, code in enumerate(CODES)
]
PERSON = {"name": "王小明", "id_type": "resident_id", "id_number": "11010519491231002X", "address": "鄂州市鄂城区夜市12号摊位",
          "phone": "13900139000"}
OFFICERS = [{"name": name, "certificate_number": f"42070{n}01"} for n, name in enumerate(["张执法", "李执法", "王执法", "赵执法"])]


def plan_request(**changes) -> InspectionPlanRequest:
    body = {"item_code": INSPECTION.item_code, "name": "2026年第四季度食品经营者双随机抽查", "subjects": SUBJECTS,
            "draw_count": 3, "officers": OFFICERS} | changes
    return InspectionPlanRequest.model_validate(body)


class InspectionWorld:
    def __init__(self) -> None:
        self.cases = InMemoryCases()
        self.plans = InMemoryInspections()
        self.workflow = FakeWorkflow()
        self.clock = FakeClock()
        self.catalog = InMemoryCatalogRepository(
            [Department(department_id="market", name="市市场监督管理局", short_name="市场监管局")], [INSPECTION, PENALTY]
        )
        services = Container(
            WORLD_SETTINGS, cases=self.cases, catalog=self.catalog, workflow=self.workflow, clock=self.clock,
            ids=SequentialIds(), publisher=FakePublisher(), calendar=WeekdayCalendar(), inspection_plans=self.plans,
            attachments=FakeAttachments(), upload_checks=InMemoryUploadChecks(), warnings=InMemoryWarnings(),
            notifier=RecordingNotifier(),
        )
        self.inspections = services.inspections
        self.staff = services.staff
        self.flow = services.flow
        self._tokens = 0

    def enter(self, case_id: str, step: Step) -> None:
        self._tokens += 1
        self.flow.enter_step(case_id, step, f"token-{self._tokens}")

    def act(self, principal, case_id: str, body: dict, key: str | None = None):
        return self.staff.act(principal, case_id, ACTION.validate_python(body), key)


@pytest.fixture
def world() -> InspectionWorld:
    return InspectionWorld()


# --- the draw -----------------------------------------------------------------------------------


def test_the_draw_takes_the_requested_count_of_distinct_subjects_each_with_two_distinct_officers():
    picks = inspection_draw.draw(inspection_draw.new_seed(), 8, 3, 4)
    assert len(picks) == 3 and len({p.subject_index for p in picks}) == 3
    assert all(0 <= p.subject_index < 8 for p in picks)
    assert all(len(set(p.officer_indexes)) == 2 and all(0 <= i < 4 for i in p.officer_indexes) for p in picks)


def test_the_draw_is_reproducible_from_its_seed_and_seeds_are_unpredictable():
    seed = inspection_draw.new_seed()
    assert len(seed) == 32 and int(seed, 16) >= 0
    assert inspection_draw.draw(seed, 50, 10, 9) == inspection_draw.draw(seed, 50, 10, 9)
    assert len({inspection_draw.new_seed() for _ in range(50)}) == 50
    assert len({inspection_draw.draw(inspection_draw.new_seed(), 50, 10, 9) for _ in range(20)}) == 20


def test_every_subject_and_every_officer_is_about_equally_likely():
    runs = 4000
    subjects: Counter[int] = Counter()
    officers: Counter[int] = Counter()
    for _ in range(runs):
        (pick,) = inspection_draw.draw(inspection_draw.new_seed(), 4, 1, 5)
        subjects[pick.subject_index] += 1
        officers.update(pick.officer_indexes)
    # Expected 1000 per subject and 1600 per officer; 5 standard deviations apart is never luck.
    assert set(subjects) == {0, 1, 2, 3} and all(abs(n - 1000) < 5 * 27.4 for n in subjects.values())
    assert set(officers) == {0, 1, 2, 3, 4} and all(abs(n - 1600) < 5 * 34.6 for n in officers.values())


def test_a_draw_cannot_take_more_subjects_than_listed_or_pair_a_lone_officer():
    with pytest.raises(ValueError):
        inspection_draw.draw(inspection_draw.new_seed(), 3, 4, 4)
    with pytest.raises(ValueError):
        inspection_draw.draw(inspection_draw.new_seed(), 3, 1, 1)
    with pytest.raises(ValidationError, match="抽取数量"):
        plan_request(draw_count=9)
    with pytest.raises(ValidationError, match="重复的执法证号"):
        plan_request(officers=[OFFICERS[0], OFFICERS[0]])


# --- plans ----------------------------------------------------------------------------------------


def test_a_leader_s_plan_opens_one_started_inspection_case_per_drawn_subject(world):
    plan = world.inspections.create_plan(LEADER, plan_request(), None)
    assert len(plan.cases) == 3 and plan.draw_check.reproducible
    assert plan.draw.drawn_by.name == LEADER.name and plan.draw.count == 3
    again = inspection_draw.draw(plan.draw.seed, 8, 3, 4)
    assert [plan.draw.subjects[p.subject_index] for p in again] == [c.subject for c in plan.cases]
    assert world.workflow.started == [c.case_id for c in plan.cases]
    for planned in plan.cases:
        case, events = world.cases.get_with_timeline(planned.case_id)
        assert case.flow.value == "inspection" and case.status is CaseStatus.SUBMITTED
        assert case.applicant.name == planned.subject.name and case.applicant.id_number == planned.subject.id_number
        assert case.form["plan_name"] == plan.name and planned.officers[0].name in case.form["drawn_officers"]
        assert [(e.action, e.details["plan_id"]) for e in events] == [("draw", plan.plan_id)]
    assert [p.plan_id for p in world.inspections.plans(LEADER, None, cursor=None, limit=10).items] == [plan.plan_id]
    assert world.inspections.plan(INSPECTOR, plan.plan_id).plan_id == plan.plan_id


def test_a_plan_sent_twice_with_one_idempotency_key_is_created_once(world):
    first = world.inspections.create_plan(LEADER, plan_request(), "plan-key-1")
    second = world.inspections.create_plan(LEADER, plan_request(), "plan-key-1")
    assert second.plan_id == first.plan_id and second.draw.seed == first.draw.seed
    assert len(world.plans.plans) == 1 and len(world.cases.cases) == 3
    with pytest.raises(InvalidInput):
        world.inspections.create_plan(LEADER, plan_request(draw_count=2), "plan-key-1")


def test_a_replayed_plan_opens_the_cases_a_failed_attempt_did_not(world):
    world.workflow.fail_with = RuntimeError("throttled")
    with pytest.raises(RuntimeError):
        world.inspections.create_plan(LEADER, plan_request(), "plan-key-2")
    world.workflow.fail_with = None
    plan = world.inspections.create_plan(LEADER, plan_request(), "plan-key-2")
    assert world.workflow.started == [c.case_id for c in plan.cases] and len(world.cases.cases) == 3


def test_only_the_department_s_leader_plans_and_only_an_inspection_item(world):
    with pytest.raises(Forbidden):
        world.inspections.create_plan(HANDLER, plan_request(), None)
    with pytest.raises(InvalidInput):
        world.inspections.create_plan(LEADER, plan_request(item_code=PENALTY.item_code), None)


# --- the inspection decisions ---------------------------------------------------------------------


def started_case(world, subjects=None) -> str:
    plan = world.inspections.create_plan(LEADER, plan_request(subjects=subjects or SUBJECTS, draw_count=1), None)
    case_id = plan.cases[0].case_id
    world.enter(case_id, Step.INSPECT)
    return case_id


def inspected(world, case_id: str, officers=OFFICERS[:2]) -> None:
    world.act(HANDLER, case_id, {"action": "inspected", "officers": officers, "opinion": "现场检查：进货查验记录不全。"})
    world.enter(case_id, Step.INSPECT_RESULT)


def test_the_inspection_records_its_officers_and_a_referral_opens_a_linked_registered_penalty_case(world):
    case_id = started_case(world)
    inspected(world, case_id)
    world.act(LEADER, case_id, {"action": "refer", "opinion": "未按规定建立进货查验记录，涉嫌违反食品安全法第五十三条。"}, "refer-1")
    world.enter(case_id, Step.PUBLICIZE)
    case, events = world.cases.get_with_timeline(case_id)
    assert events[2].details["officers"] == OFFICERS[:2]
    enforcement_id = events[3].details["enforcement_case_id"]
    penalty, penalty_events = world.cases.get_with_timeline(enforcement_id)
    assert penalty.item_code == PENALTY.item_code and penalty.flow == PENALTY.flow and enforcement_id in world.workflow.started
    assert penalty.applicant == case.applicant and penalty.department_id == case.department_id
    assert penalty.form["violation"].startswith("未按规定建立进货查验记录") and penalty.form["party_name"] == case.applicant.name
    assert [(e.action, e.details["inspection_case_id"], e.actor.name) for e in penalty_events] == [("referral", case_id, LEADER.name)]


def test_a_referral_is_made_once_per_inspection_case(world):
    case_id = started_case(world)
    inspected(world, case_id)
    world.workflow.fail_with = RuntimeError("engine down")  # the token cannot be handed back: nothing moves
    with pytest.raises(Exception):  # noqa: B017 - Unavailable or the engine's error, either way a retry follows
        world.act(LEADER, case_id, {"action": "refer", "opinion": "涉嫌违法，移送立案查处。"})
    world.workflow.fail_with = None
    world.act(LEADER, case_id, {"action": "refer", "opinion": "涉嫌违法，移送立案查处。"})
    penalties = [c for c in world.cases.cases.values() if c.item_code == PENALTY.item_code]
    assert len(penalties) == 1


def test_a_referral_needs_the_item_to_name_a_penalty_item(world):
    world.catalog.put_item(INSPECTION.model_copy(update={"refers_to_item_code": None}))
    case_id = started_case(world)
    inspected(world, case_id)
    with pytest.raises(Conflict):
        world.act(LEADER, case_id, {"action": "refer", "opinion": "涉嫌违法，移送立案查处。"})


def test_rectification_s_limit_counts_working_days_from_the_day_after_its_deadline(world):
    case_id = started_case(world)
    inspected(world, case_id)
    today = local_date(world.clock.now())  # Monday 2026-11-23
    with pytest.raises(InvalidInput):
        world.act(LEADER, case_id, {"action": "rectify", "opinion": "限期整改进货查验记录。", "rectification_due_on": today.isoformat()})
    deadline = date(2026, 12, 4)  # a Friday
    world.act(LEADER, case_id, {"action": "rectify", "opinion": "限期整改进货查验记录。", "rectification_due_on": deadline.isoformat()})
    world.enter(case_id, Step.RECTIFICATION)
    case = world.cases.get(case_id)
    assert case.rectification_due_on == deadline
    assert local_date(case.step_due_at) == deadline + timedelta(days=7)  # 5 working days: Mon 7th … Fri 11th


def test_a_completed_inspection_is_published_without_a_natural_person_s_id_or_address(world):
    case_id = started_case(world, subjects=[PERSON])
    inspected(world, case_id)
    world.act(LEADER, case_id, {"action": "rectify", "opinion": "限期整改。", "rectification_due_on": "2026-12-04"})
    world.enter(case_id, Step.RECTIFICATION)
    world.act(HANDLER, case_id, {"action": "rectified", "opinion": "复查：已整改到位。"})
    world.enter(case_id, Step.PUBLICIZE)
    assert world.inspections.record_result(case_id) is None  # not completed yet: nothing published
    world.act(WINDOW, case_id, {"action": "publish"})
    world.flow.finalize(case_id, Outcome.COMPLETED)
    result = world.inspections.record_result(case_id)
    assert result.result is InspectionResult.RECTIFIED and result.subject_name == "王**"
    assert result.credit_code is None and result.address is None and "11010519491231002X" not in result.model_dump_json()
    assert world.inspections.published_results(cursor=None, limit=10).items == [result]


def test_an_organisation_s_result_shows_its_name_credit_code_and_address(world):
    case_id = started_case(world, subjects=[SUBJECTS[0]])
    inspected(world, case_id)
    world.act(LEADER, case_id, {"action": "qualified"})
    world.enter(case_id, Step.PUBLICIZE)
    world.act(WINDOW, case_id, {"action": "publish"})
    world.flow.finalize(case_id, Outcome.COMPLETED)
    result = world.inspections.record_result(case_id)
    assert (result.result, result.subject_name, result.credit_code, result.address) == (
        InspectionResult.QUALIFIED, SUBJECTS[0]["name"], SUBJECTS[0]["id_number"], SUBJECTS[0]["address"])


# --- the one-officer anomaly ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("officers", "hit"),
    [(OFFICERS[:2], False), (OFFICERS[:1], True), ([OFFICERS[0], {"name": "张执法", "certificate_number": OFFICERS[0]["certificate_number"]}], True)],
)
def test_an_inspection_by_fewer_than_two_distinct_officers_is_an_anomaly(world, officers, hit):
    case_id = started_case(world)
    inspected(world, case_id, officers=officers)
    case, events = world.cases.get_with_timeline(case_id)
    found = inspection_by_one_officer(AnomalyContext(item=INSPECTION, case=case, timeline=events, event=events[2], calendar=WeekdayCalendar()))
    assert (found is not None) is hit
    if hit:
        assert found.rule is AnomalyRule.INSPECTION_BY_ONE_OFFICER and "第四十二条" in found.message


def test_a_plan_drawn_after_hours_is_named_in_chinese_by_the_office_hours_rule(world):
    from sunlight.rules.anomalies import outside_working_hours

    world.clock.advance(hours=13)  # 22:00
    case_id = started_case(world)
    case, events = world.cases.get_with_timeline(case_id)
    found = outside_working_hours(AnomalyContext(item=INSPECTION, case=case, timeline=events, event=events[0], calendar=WeekdayCalendar()))
    assert found is not None and "随机抽取，立案检查" in found.message and "draw" not in found.message


def test_a_rectification_the_handler_finds_not_done_is_referred_in_the_handler_s_name(world):
    case_id = started_case(world)
    inspected(world, case_id)
    world.act(LEADER, case_id, {"action": "rectify", "opinion": "限期整改。", "rectification_due_on": "2026-12-04"})
    world.enter(case_id, Step.RECTIFICATION)
    world.act(HANDLER, case_id, {"action": "refer", "opinion": "逾期未整改，移送立案查处。"})
    (penalty,) = [c for c in world.cases.cases.values() if c.item_code == PENALTY.item_code]
    (event,) = world.cases.events[penalty.case_id]
    assert (event.actor.name, event.actor.role) == (HANDLER.name, "handler")
