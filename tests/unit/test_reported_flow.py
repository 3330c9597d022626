"""上报件 (行政许可法 第三十五条, 第四十三条): the catalog's rules for an item decided one level up,
and the flow service walking a case from the lower department (受理, 初审, 上报) to the upper
department's own part case (承办, 审核, 批准) and back down (办结), as the state machine calls it."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.models.case import CaseStatus
from sunlight.models.catalog import CatalogItem, Category, Department
from sunlight.models.flow import STEP_DECISIONS, Decision, FlowPattern, Outcome, Step, staff_steps_of
from sunlight.models.reported import upper_case_id
from sunlight.models.requests import ApplicationRequest, StaffAction
from sunlight.models.roles import Principal, Role
from sunlight.services.errors import Conflict, Forbidden, NotFound
from tests.unit.conftest import APPLICANT, CITIZEN, DEPARTMENTS, ITEM, World

LIMITS = {"accept": 1, "preliminary_review": 4, "report": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1}
REPORTED_ITEM = CatalogItem.model_validate(ITEM.model_dump(mode="json") | {
    "item_code": "420704-XK-0251", "name": "食品生产许可（区级受理初审、市级审批）", "department_id": "echeng-market",
    "upper_department_id": "market", "flow": "reported", "legal_limit_days": 40, "promised_limit_days": 15,
    "step_limit_days": LIMITS,
})
ECHENG = Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局",
                    government_id="420704")


def reported_item(**changes) -> CatalogItem:
    return CatalogItem.model_validate(REPORTED_ITEM.model_dump(mode="json") | changes)


def staff(role: Role, department: str) -> Principal:
    return Principal(user_id=f"{department}-{role.value}", name=f"{department}{role.label}", roles=frozenset({role}),
                     department_id=department)


# --- catalog ---------------------------------------------------------------------------------


def test_a_reported_item_has_a_limit_for_every_step_of_both_levels():
    assert set(REPORTED_ITEM.step_limit_days) == set(staff_steps_of(FlowPattern.REPORTED))
    assert REPORTED_ITEM.upper_department_id == "market"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"upper_department_id": None}, "须且只须列明上级审批部门"),
        ({"upper_department_id": "echeng-market"}, "不能是受理初审部门"),
        ({"step_limit_days": LIMITS | {"preliminary_review": 19, "report": 2}, "promised_limit_days": 31}, "20个工作日（行政许可法第四十三条）"),
        ({"step_limit_days": LIMITS | {"handle": 17, "review": 2, "approve": 2}, "promised_limit_days": 30}, "20个工作日（行政许可法第四十二条）"),
        ({"step_limit_days": {k: v for k, v in LIMITS.items() if k != "report"}}, "缺少环节时限：上报"),
        ({"step_limit_units": {"preliminary_review": "calendar_days"}}, "按工作日计算"),
        ({"category": "行政处罚"}, "不能使用“上报件”流程"),
    ],
)
def test_a_reported_item_is_refused_when_its_rules_do_not_hold(changes, message):
    with pytest.raises(ValidationError, match=message):
        reported_item(**changes)


def test_only_a_reported_item_names_an_upper_department():
    with pytest.raises(ValidationError, match="须且只须列明上级审批部门"):
        CatalogItem.model_validate(ITEM.model_dump(mode="json") | {"upper_department_id": "market"})


def test_the_classes_applied_for_may_be_reported_and_the_ex_officio_ones_not():
    assert FlowPattern.REPORTED in Category.LICENSING.flows and FlowPattern.REPORTED.on_application
    assert FlowPattern.REPORTED not in Category.PENALTY.flows | Category.INSPECTION.flows | Category.LEVY.flows


def test_only_the_lower_level_asks_for_material_and_only_the_upper_level_decides():
    # 第三十五条: no request for material above; 初审 and 上报 cannot approve or deny.
    for step in (Step.HANDLE, Step.REVIEW, Step.APPROVE):
        assert Decision.REQUEST_SUPPLEMENT not in STEP_DECISIONS[step]
    assert STEP_DECISIONS[Step.PRELIMINARY_REVIEW] == {Decision.SUBMIT}
    assert STEP_DECISIONS[Step.REPORT] == {Decision.REPORT, Decision.RETURN}


# --- the flow --------------------------------------------------------------------------------


class ReportedWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.catalog.items[REPORTED_ITEM.item_code] = REPORTED_ITEM
        self.catalog.departments.update({d.department_id: d for d in (*DEPARTMENTS, ECHENG)})

    def applied(self, upload_ids: list[str] | None = None) -> str:
        body = {"item_code": REPORTED_ITEM.item_code, "applicant": APPLICANT, "form": {"companyName": "鄂州味道食品有限公司"},
                "upload_ids": upload_ids or []}
        return self.applications.apply(CITIZEN, ApplicationRequest.model_validate(body), None).case_id

    def act(self, principal: Principal, case_id: str, action: str, **body) -> None:
        self.staff.act(principal, case_id, TypeAdapter(StaffAction).validate_python({"action": action, **body}), None)

    def reported(self, upload_ids: list[str] | None = None) -> tuple[str, str]:
        """Accepted, reviewed and reported by echeng-market; the upper part created at 承办."""
        case_id = self.applied(upload_ids)
        self.enter(case_id, "accept")
        self.act(staff(Role.WINDOW, "echeng-market"), case_id, "accept")
        self.enter(case_id, "preliminary_review")
        self.act(staff(Role.HANDLER, "echeng-market"), case_id, "submit", opinion="现场核查符合条件，建议准予许可")
        self.enter(case_id, "report")
        self.act(staff(Role.LEADER, "echeng-market"), case_id, "report", opinion="同意初审意见，报市局审批")
        part = self.flow.report_up(case_id)
        self._tokens += 1
        self.flow.enter_step(part.case_id, Step.HANDLE, f"token-{self._tokens}", upper=part)
        return case_id, part.case_id

    def upper_decides(self, part_id: str, decision: str, opinion: str = "准予食品生产许可") -> None:
        self.act(staff(Role.HANDLER, "market"), part_id, "submit", opinion="材料齐全，符合条件")
        self.enter(part_id, "review")
        self.act(staff(Role.REVIEWER, "market"), part_id, "pass")
        self.enter(part_id, "approve")
        self.act(staff(Role.LEADER, "market"), part_id, decision, opinion=opinion)


@pytest.fixture
def world() -> ReportedWorld:
    return ReportedWorld()


def test_the_report_creates_the_upper_departments_part_case_with_every_material(world):
    upload = world.uploaded()
    case_id, part_id = world.reported([upload])
    lower, part = world.cases.get(case_id), world.cases.get(part_id)
    assert part_id == upper_case_id(case_id)
    # The lower case waits at 已上报 with no step, token or alarm of its own.
    assert (lower.status, lower.step, lower.task_token, lower.next_alarm_at) == (CaseStatus.REPORTED, None, None, None)
    # The part is the upper department's case: its department, its steps' own limits, its own clock.
    assert (part.department_id, part.department_name, part.parent_case_id, part.status) == (
        "market", "市市场监督管理局", case_id, CaseStatus.HANDLE)
    assert part.step_limit_days == {Step.HANDLE: 4, Step.REVIEW: 2, Step.APPROVE: 2} and part.promised_limit_days == 8
    assert part.awaiting_staff and part.step_due_at is not None and part.next_alarm_at is not None
    assert part.query_code == "" and part.government_id == "420700"
    # 第三十五条: every material goes up; the upper level reads it without asking the applicant.
    assert part.attachments == lower.attachments and len(part.attachments) == 1
    assert world.staff.attachment_link(staff(Role.HANDLER, "market"), part_id, upload).url
    view = world.staff.case_detail(staff(Role.HANDLER, "market"), part_id)
    assert view.reported_from is not None
    assert (view.reported_from.department_name, view.reported_from.preliminary_opinion, view.reported_from.report_opinion) == (
        "鄂城区市场监督管理局", "现场核查符合条件，建议准予许可", "同意初审意见，报市局审批")
    assert [e.action for e in world.cases.events[case_id]] == ["apply", "dispatch", "accept", "submit", "report"]
    report = world.cases.events[case_id][-1]
    assert report.details["upper_department_name"] == "市市场监督管理局" and report.to_state is CaseStatus.REPORTED


def test_the_part_is_in_the_upper_worklist_and_only_the_upper_staff_act_on_it(world):
    case_id, part_id = world.reported()
    listed = world.staff.worklist(staff(Role.HANDLER, "market"), role=None, step=None, cursor=None, limit=20).items
    assert [c.case_id for c in listed] == [part_id]
    assert world.staff.worklist(staff(Role.HANDLER, "echeng-market"), role=None, step=None, cursor=None, limit=20).items == []
    with pytest.raises(Forbidden):
        world.act(staff(Role.HANDLER, "echeng-market"), part_id, "submit", opinion="越级办理")
    with pytest.raises(Forbidden):
        world.staff.case_detail(staff(Role.HANDLER, "echeng-market"), part_id)


def test_the_upper_level_may_not_ask_the_applicant_for_material(world):
    _, part_id = world.reported()
    world.act(staff(Role.HANDLER, "market"), part_id, "submit", opinion="材料齐全")
    world.enter(part_id, "review")
    world.act(staff(Role.REVIEWER, "market"), part_id, "pass")
    world.enter(part_id, "approve")
    with pytest.raises(Conflict, match="不能执行“要求补正”"):
        world.act(staff(Role.LEADER, "market"), part_id, "request_supplement", missing_materials=["营业执照"])


def test_an_approval_comes_back_down_and_the_lower_window_issues_it(world):
    case_id, part_id = world.reported()
    # The applicant sees one case, with where the upper level is, in Chinese.
    mine = world.tracking.my_case(CITIZEN, case_id)
    assert mine.status_label == "已上报上级审批"
    assert mine.upper_progress.text == "已上报市市场监督管理局审批，当前环节：承办"
    assert mine.upper_progress.step is Step.HANDLE
    from sunlight.models.requests import TrackRequest

    tracked = world.tracking.track(TrackRequest(case_id=case_id, query_code=mine.query_code))
    assert tracked.upper_progress == mine.upper_progress  # tracking by query code says the same
    world.upper_decides(part_id, "approve")
    assert world.flow.report_back(case_id) is Decision.APPROVE
    assert world.flow.report_back(case_id) is Decision.APPROVE  # retried: nothing twice
    part = world.cases.get(part_id)
    assert part.status is CaseStatus.COMPLETED and part.decision_text == "准予食品生产许可"
    world.enter(case_id, "complete")
    lower = world.cases.get(case_id)
    entered = world.cases.events[case_id][-1]
    # The lower timeline records the upper leader's decision as the step before 办结.
    assert (entered.action, entered.to_state, entered.actor.user_id) == ("approve", CaseStatus.COMPLETE, "market-leader")
    assert entered.details["upper_department_name"] == "市市场监督管理局"
    assert lower.decision_text == "准予食品生产许可" and lower.awaiting_staff
    view = world.staff.case_detail(staff(Role.WINDOW, "echeng-market"), case_id)
    assert view.actionable and view.upper_progress.decided and "已作出审批决定（批准）" in view.upper_progress.text
    world.act(staff(Role.WINDOW, "echeng-market"), case_id, "complete", opinion="食品生产许可证 SC10642070400001，已送达")
    assert world.flow.finalize(case_id, Outcome.COMPLETED).case.status is CaseStatus.COMPLETED
    assert [e.action for e in world.cases.events[part_id]] == ["report", "submit", "pass", "approve"]


def test_a_denial_comes_back_down_and_ends_the_lower_case(world):
    case_id, part_id = world.reported()
    world.upper_decides(part_id, "deny", opinion="生产场所与有毒有害场所距离不符合要求，不予许可")
    assert world.flow.report_back(case_id) is Decision.DENY
    assert world.cases.get(part_id).status is CaseStatus.DENIED
    lower = world.flow.finalize(case_id, Outcome.DENIED).case
    assert lower.status is CaseStatus.DENIED and lower.decision_text.startswith("生产场所")
    assert world.cases.events[case_id][-1].actor.user_id == "market-leader"
    assert world.tracking.my_case(CITIZEN, case_id).upper_progress.status_label == "不予批准"


def test_a_retried_report_records_it_once_and_entering_again_creates_no_second_part(world):
    case_id, part_id = world.reported()
    assert world.flow.report_up(case_id).case_id == part_id
    events = len(world.cases.events[case_id])
    world.flow.enter_step(part_id, Step.HANDLE, "token-again", upper=world.flow.report_up(case_id))
    assert world.cases.get(part_id).task_token == "token-again" and len(world.cases.events[part_id]) == 1
    assert len(world.cases.events[case_id]) == events


def test_the_leader_returns_the_preliminary_opinion_before_reporting(world):
    case_id = world.applied()
    world.enter(case_id, "accept")
    world.act(staff(Role.WINDOW, "echeng-market"), case_id, "accept")
    world.enter(case_id, "preliminary_review")
    with pytest.raises(ValidationError):
        world.act(staff(Role.HANDLER, "echeng-market"), case_id, "submit")  # the opinion is required
    world.act(staff(Role.HANDLER, "echeng-market"), case_id, "submit", opinion="建议准予")
    world.enter(case_id, "report")
    with pytest.raises(Forbidden):
        world.act(staff(Role.HANDLER, "echeng-market"), case_id, "report", opinion="越权上报")
    world.act(staff(Role.LEADER, "echeng-market"), case_id, "return", opinion="现场核查记录不全")
    world.enter(case_id, "preliminary_review")
    assert world.cases.get(case_id).status is CaseStatus.PRELIMINARY_REVIEW
    assert world.tracking.my_case(CITIZEN, case_id).upper_progress is None


def test_suspending_the_lower_case_suspends_its_open_upper_part(world):
    case_id, part_id = world.reported()
    world.flow.suspend(case_id)
    assert world.cases.get(part_id).status is CaseStatus.SUSPENDED


def test_the_applicant_never_sees_the_upper_part(world):
    case_id, part_id = world.reported()
    assert [c.case_id for c in world.tracking.my_cases(CITIZEN, cursor=None, limit=20).items] == [case_id]
    with pytest.raises(NotFound):
        world.tracking.my_case(CITIZEN, part_id)


def test_a_late_upper_department_gets_the_card_for_its_part_and_the_waiting_lower_case_none(world):
    from datetime import datetime, timedelta, timezone

    case_id, part_id = world.reported()  # the upper 承办: 4 working days from Monday 23 Nov, due Friday 27 Nov
    world.deadlines.sweep(datetime(2026, 12, 2, 9, tzinfo=timezone(timedelta(hours=8))))
    cards = [w for w in world.warnings.for_case(part_id) if w.rule == "time_limit"]
    assert {w.level.value for w in cards} >= {"yellow"} and {w.department_id for w in cards} == {"market"}
    assert [w for w in world.warnings.for_case(case_id) if w.rule == "time_limit"] == []


def test_an_upper_part_id_keeps_its_cards_findable_by_case():
    from sunlight.adapters.dynamodb_warnings import case_id_of

    part_id = upper_case_id("SL20261208ABCDEF")
    assert "-" not in part_id and case_id_of(f"{part_id}-1-yellow") == part_id


def test_no_anomaly_on_either_case_of_a_reported_case_run_by_the_book(world):
    # The report (on the upper part) and the upper decision (on the lower case) are relayed copies:
    # judged where they were made, they are neither "out of order" nor the other level's acts.
    from sunlight.rules.anomalies import AnomalyContext, evaluate, out_of_order
    from tests.fakes.cases import WeekdayCalendar

    case_id, part_id = world.reported()
    world.upper_decides(part_id, "approve")
    world.flow.report_back(case_id)
    world.enter(case_id, "complete")
    for cid in (case_id, part_id):
        case, timeline = world.cases.get_with_timeline(cid)
        for event in timeline:
            context = AnomalyContext(item=REPORTED_ITEM, case=case, timeline=timeline, event=event, calendar=WeekdayCalendar())
            assert [h.rule for h in evaluate(context) if h.rule.value in ("out_of_order", "unauthorized_role")] == [], (cid, event.action)
    # Without the relay mark the handed-down approval would read as a decision outside any step.
    case, timeline = world.cases.get_with_timeline(case_id)
    relayed = timeline[-1]
    bare = relayed.model_copy(update={"details": {}})
    assert out_of_order(AnomalyContext(item=REPORTED_ITEM, case=case, timeline=timeline, event=bare, calendar=WeekdayCalendar()))


# --- 延期 of the upper part (行政许可法 第四十二条) --------------------------------------------


def test_the_upper_leader_extends_the_upper_part_and_the_applicants_one_case_moves_with_it(world):
    from sunlight.models.clock import ExtensionStatus
    from sunlight.rules.anomalies import AnomalyContext, evaluate
    from sunlight.rules.workdays import add_working_days
    from tests.fakes.cases import WeekdayCalendar

    case_id, part_id = world.reported()
    lower_before, part_before = world.cases.get(case_id), world.cases.get(part_id)
    world.procedures.request_extension(staff(Role.HANDLER, "market"), part_id, 5, "需组织专家对生产工艺进行评审")
    assert world.cases.get(case_id) == lower_before  # a request alone tells the applicant nothing
    world.procedures.decide_extension(staff(Role.LEADER, "market"), part_id, 1, True, "同意延期")
    part, lower = world.cases.get(part_id), world.cases.get(case_id)
    calendar = WeekdayCalendar()
    # The upper department's own limits move: its legal limit and the step it is at.
    assert part.legal_due_on == add_working_days(part_before.legal_due_on, 5, calendar)
    assert part.step_due_at > part_before.step_due_at
    # 第四十二条: the decision date the applicant was told moves by the same days, with the reason.
    [relayed] = lower.extensions
    assert (relayed.status, relayed.days, relayed.relayed_from_case_id, relayed.decided_by) == (
        ExtensionStatus.APPROVED, 5, part_id, "market-leader")
    assert lower.legal_due_on == add_working_days(lower_before.legal_due_on, 5, calendar)
    assert lower.promised_due_on == add_working_days(lower_before.promised_due_on, 5, calendar)
    assert lower.status is CaseStatus.REPORTED and lower.step is None
    mine = world.tracking.my_case(CITIZEN, case_id)
    assert (mine.legal_due_on, mine.promised_due_on) == (lower.legal_due_on, lower.promised_due_on)
    told = mine.timeline[-1]
    assert (told.action, told.opinion, told.details.days) == ("extension_approved", "需组织专家对生产工艺进行评审", 5)
    assert "_up" not in mine.model_dump_json()  # the applicant sees one case, never the part's id
    # The relayed record was judged where it was decided (the upper part), not again below.
    case, timeline = world.cases.get_with_timeline(case_id)
    assert evaluate(AnomalyContext(item=REPORTED_ITEM, case=case, timeline=timeline, event=timeline[-1], calendar=calendar)) == []
    # Deciding again changes nothing twice.
    with pytest.raises(Conflict, match="已审批"):
        world.procedures.decide_extension(staff(Role.LEADER, "market"), part_id, 1, True, None)
    assert len(world.cases.get(case_id).extensions) == 1


def test_only_the_upper_departments_leader_approves_the_upper_parts_extension(world):
    case_id, part_id = world.reported()
    with pytest.raises(Forbidden, match="其他部门"):
        world.procedures.request_extension(staff(Role.HANDLER, "echeng-market"), part_id, 3, "越级申请")
    world.procedures.request_extension(staff(Role.HANDLER, "market"), part_id, 3, "需现场核查")
    lower = world.cases.get(case_id)
    government_leader = Principal(user_id="gov-leader", name="市政府分管领导", roles=frozenset({Role.GOVERNMENT_LEADER}))
    for outsider in (staff(Role.LEADER, "echeng-market"), staff(Role.REVIEWER, "market"), government_leader):
        with pytest.raises(Forbidden, match="上级审批部门（市市场监督管理局）分管领导批准（行政许可法第四十二条）"):
            world.procedures.decide_extension(outsider, part_id, 1, True, None)
    assert world.cases.get(part_id).extensions[0].status.value == "requested"
    assert world.cases.get(case_id) == lower
    # A denial stays with the upper part: the applicant's dates do not move.
    world.procedures.decide_extension(staff(Role.LEADER, "market"), part_id, 1, False, "时限内可以完成")
    assert world.cases.get(case_id) == lower


def test_the_upper_part_is_extended_by_at_most_ten_working_days(world):
    from sunlight.services.errors import InvalidInput

    world.catalog.items[REPORTED_ITEM.item_code] = reported_item(warning_rules={"max_extension_days": 20})
    _, part_id = world.reported()
    view = world.staff.case_detail(staff(Role.HANDLER, "market"), part_id)
    assert (view.extension_max_days, view.extension_approver) == (10, Role.LEADER)
    with pytest.raises(InvalidInput, match="第四十二条") as refused:
        world.procedures.request_extension(staff(Role.HANDLER, "market"), part_id, 11, "需专家评审")
    assert refused.value.details == {"field": "days"}
    world.procedures.request_extension(staff(Role.HANDLER, "market"), part_id, 10, "需专家评审")


def test_the_relayed_extension_does_not_use_up_the_lower_departments_own(world):
    case_id, part_id = world.reported()
    world.procedures.request_extension(staff(Role.HANDLER, "market"), part_id, 8, "需专家评审")
    world.procedures.decide_extension(staff(Role.LEADER, "market"), part_id, 1, True, None)
    world.upper_decides(part_id, "approve")
    world.flow.report_back(case_id)
    world.enter(case_id, "complete")
    lower = world.procedures.request_extension(staff(Role.WINDOW, "echeng-market"), case_id, 10, "等待申请人现场领证")
    assert [e.days for e in lower.extensions] == [8, 10]
