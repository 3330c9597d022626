"""并联审批 (行政许可法 第二十六条, 第四十二条): the catalog's joint rules, the part cases the flow
creates for the co-departments (their own department, clock and visibility), the combined 补正
notice, and the 45 + 15 days whose extension only the city government's leader approves."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sunlight.models.case import CaseStatus
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.clock import WarningRules
from sunlight.models.flow import FlowPattern, Step
from sunlight.models.joint import JointPart, part_case_id
from sunlight.models.requests import StaffAction
from sunlight.models.roles import Principal, Role
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.unit.conftest import APPLICANT, CITIZEN, DEPARTMENTS, ITEM, World

JOINT_ITEM = ITEM.model_copy(update={
    "item_code": "330100-XK-0404", "name": "建筑工程施工许可（并联审批）", "department_id": "housing", "flow": FlowPattern.JOINT,
    "warning_rules": WarningRules(max_extension_days=15),
    "legal_limit_days": 45, "promised_limit_days": 20,
    "step_limit_days": {Step.ACCEPT: 1, Step.OPINION: 5, Step.HANDLE: 3, Step.REVIEW: 2, Step.APPROVE: 2, Step.COMPLETE: 1},
})
JOINT_RULES = {"co_departments": [{"department_id": "planning", "opinion_limit_days": 3},
                                  {"department_id": "ecology", "opinion_limit_days": 5}]}
JOINT_DEPARTMENTS = [
    *DEPARTMENTS,
    Department(department_id="housing", name="市住房和城乡建设局", short_name="住建局"),
    Department(department_id="planning", name="市自然资源和规划局", short_name="自然资源局"),
    Department(department_id="ecology", name="市生态环境局", short_name="生态环境局"),
]


def joint_item(**changes) -> CatalogItem:
    raw = JOINT_ITEM.model_dump(mode="json") | {"joint": JOINT_RULES} | changes
    return CatalogItem.model_validate(raw)


def staff(role: Role, department: str) -> Principal:
    return Principal(user_id=f"{department}-{role.value}", name="测试员", roles=frozenset({role}), department_id=department)


GOVERNMENT_LEADER = Principal(user_id="gov-1", name="周副市长", roles=frozenset({Role.GOVERNMENT_LEADER}))


# --- catalog ---------------------------------------------------------------------------------


def test_a_joint_item_names_its_co_departments_each_with_its_own_limit():
    item = joint_item()
    assert [(c.department_id, c.opinion_limit_days) for c in item.joint.co_departments] == [("planning", 3), ("ecology", 5)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"joint": None}, "须且只须列明配合部门"),
        ({"joint": {"co_departments": [{"department_id": "housing", "opinion_limit_days": 3}]}}, "不能是牵头部门"),
        ({"joint": {"co_departments": [{"department_id": "planning", "opinion_limit_days": 6}]}}, "不能超过“会签意见”环节时限"),
        ({"joint": {"co_departments": [{"department_id": "planning", "opinion_limit_days": 3}] * 2}}, "不能重复"),
        ({"joint": {"co_departments": []}}, "at least 1"),
        ({"legal_limit_days": 46}, "45个工作日"),
        ({"warning_rules": {"max_extension_days": 16}}, "15个工作日"),
    ],
)
def test_a_joint_item_is_refused_when_its_rules_do_not_hold(changes, message):
    with pytest.raises(ValidationError, match=message):
        joint_item(**changes)


def test_only_a_joint_item_has_co_departments():
    with pytest.raises(ValidationError, match="须且只须列明配合部门"):
        CatalogItem.model_validate(ITEM.model_dump(mode="json") | {"joint": JOINT_RULES})


# --- part cases ------------------------------------------------------------------------------


class JointWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.catalog.items[JOINT_ITEM.item_code] = joint_item()
        self.catalog.departments.update({d.department_id: d for d in JOINT_DEPARTMENTS})

    def applied(self) -> str:
        from sunlight.models.requests import ApplicationRequest

        body = {"item_code": JOINT_ITEM.item_code, "applicant": APPLICANT, "form": {"companyName": "鄂州建工集团有限公司"}}
        return self.applications.apply(CITIZEN, ApplicationRequest.model_validate(body), None).case_id

    def act(self, principal: Principal, case_id: str, action: str, **body) -> None:
        from pydantic import TypeAdapter

        self.staff.act(principal, case_id, TypeAdapter(StaffAction).validate_python({"action": action, **body}), None)

    def accepted_and_forwarded(self) -> tuple[str, list[JointPart]]:
        case_id = self.applied()
        self.enter(case_id, "accept")
        self.act(staff(Role.WINDOW, "housing"), case_id, "accept")
        parts = self.flow.forward(case_id)
        for part in parts:
            self._tokens += 1
            self.flow.enter_step(part.case_id, Step.OPINION, f"token-{self._tokens}", part)
        return case_id, parts


@pytest.fixture
def joint() -> JointWorld:
    return JointWorld()


def test_forwarding_creates_one_part_case_per_co_department_of_that_department(joint):
    case_id, parts = joint.accepted_and_forwarded()
    lead = joint.cases.get(case_id)
    assert lead.status is CaseStatus.OPINION and lead.task_token is None and lead.accepted_at is not None
    assert lead.next_alarm_at is None  # the lead waits: its co-departments' parts carry the clock
    assert [p.case_id for p in parts] == [part_case_id(case_id, d, 1) for d in ("planning", "ecology")]
    for part, limit in zip(parts, (3, 5), strict=True):
        case = joint.cases.get(part.case_id)
        assert (case.department_id, case.parent_case_id, case.status, case.step) == (
            part.department_id, case_id, CaseStatus.OPINION, Step.OPINION)
        assert case.step_limit_days == {Step.OPINION: limit} and case.promised_limit_days == limit
        assert case.task_token and case.awaiting_staff and case.step_due_at is not None
        assert case.next_alarm_at is not None  # its own reminder, yellow and red card
        assert case.attachments == lead.attachments and case.query_code == ""


def test_a_part_case_is_at_its_co_departments_level_not_the_leads(joint):
    from sunlight.models.levels import Government, GovernmentLevel

    joint.catalog.governments.update({g.government_id: g for g in (
        Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"))})
    planning = joint.catalog.departments["planning"]
    joint.catalog.departments["planning"] = planning.model_copy(update={"government_id": "420704"})
    case_id, parts = joint.accepted_and_forwarded()
    assert joint.cases.get(case_id).government_path == ("420700",)
    by_department = {p.department_id: joint.cases.get(p.case_id) for p in parts}
    assert (by_department["planning"].government_id, by_department["planning"].government_path) == ("420704", ("420700", "420704"))
    assert by_department["ecology"].government_path == ("420700",)


def test_entering_the_opinion_step_again_creates_no_second_part(joint):
    case_id, parts = joint.accepted_and_forwarded()
    part = parts[0]
    joint.flow.enter_step(part.case_id, Step.OPINION, "token-again", part)
    assert joint.cases.get(part.case_id).task_token == "token-again"
    assert len(joint.cases.events[part.case_id]) == 1
    assert joint.flow.forward(case_id) == parts  # a retried forward: the same round, no new parts
    assert joint.cases.get(case_id).joint_round == 1


def test_a_co_department_gives_its_opinion_on_its_own_part_only(joint):
    case_id, parts = joint.accepted_and_forwarded()
    planning = parts[0].case_id
    with pytest.raises(Forbidden):
        joint.act(staff(Role.HANDLER, "ecology"), planning, "agree")
    with pytest.raises(Forbidden):
        joint.act(staff(Role.HANDLER, "housing"), planning, "agree")
    with pytest.raises(Conflict):
        joint.act(staff(Role.HANDLER, "planning"), planning, "submit", opinion="承办意见")
    joint.act(staff(Role.HANDLER, "planning"), planning, "disagree", opinion="用地红线与规划许可不符")
    closed = joint.flow.close_part(planning).case
    assert closed.status is CaseStatus.COMPLETED and closed.decision_text == "用地红线与规划许可不符"
    assert [e.action for e in joint.cases.events[planning]] == ["forward", "disagree"]


def test_the_lead_sees_every_opinion_and_the_applicant_only_who_has_given_one(joint):
    case_id, parts = joint.accepted_and_forwarded()
    joint.act(staff(Role.HANDLER, "planning"), parts[0].case_id, "disagree", opinion="不符合规划")
    joint.flow.close_part(parts[0].case_id)
    view = joint.staff.case_detail(staff(Role.HANDLER, "housing"), case_id)
    opinions = {o.department_id: o for o in view.joint_opinions}
    assert opinions["planning"].decision_label == "不同意" and opinions["planning"].opinion == "不符合规划"
    assert opinions["ecology"].decision is None and opinions["ecology"].status_label == "征求意见中"
    mine = joint.tracking.my_case(CITIZEN, case_id)
    assert [(p.department_name, p.given) for p in mine.joint_progress] == [("市自然资源和规划局", True), ("市生态环境局", False)]
    assert "不符合规划" not in mine.model_dump_json()


def test_the_applicant_never_sees_a_part_case(joint):
    case_id, parts = joint.accepted_and_forwarded()
    listed = joint.tracking.my_cases(CITIZEN, cursor=None, limit=20).items
    assert [c.case_id for c in listed] == [case_id]
    with pytest.raises(NotFound):
        joint.tracking.my_case(CITIZEN, parts[0].case_id)


def test_a_co_department_reads_the_attachments_of_its_part_not_of_the_lead(joint):
    case_id, parts = joint.accepted_and_forwarded()
    joint.staff.case_detail(staff(Role.HANDLER, "planning"), parts[0].case_id)
    with pytest.raises(Forbidden):
        joint.staff.case_detail(staff(Role.HANDLER, "planning"), case_id)
    with pytest.raises(Forbidden):
        joint.staff.case_detail(staff(Role.HANDLER, "planning"), parts[1].case_id)


def test_any_request_for_material_makes_one_combined_notice_with_every_departments_items(joint):
    case_id, parts = joint.accepted_and_forwarded()
    joint.act(staff(Role.HANDLER, "planning"), parts[0].case_id, "request_supplement", missing_materials=["建设工程规划许可证"])
    joint.act(staff(Role.HANDLER, "ecology"), parts[1].case_id, "request_supplement", missing_materials=["环评批复", "排污许可证"])
    for part in parts:
        joint.flow.close_part(part.case_id)
    assert joint.flow.gather(case_id) is True
    assert joint.flow.gather(case_id) is True  # retried: recorded once
    joint.enter(case_id, "supplement")
    lead = joint.cases.get(case_id)
    assert lead.missing_materials == ("市自然资源和规划局：建设工程规划许可证", "市生态环境局：环评批复", "市生态环境局：排污许可证")
    actions = [e.action for e in joint.cases.events[case_id]]
    assert actions.count("gather") == 1 and actions.count("request_supplement") == 1


def test_without_requests_for_material_the_lead_handles_with_every_opinion(joint):
    case_id, parts = joint.accepted_and_forwarded()
    joint.act(staff(Role.HANDLER, "planning"), parts[0].case_id, "agree")
    joint.act(staff(Role.HANDLER, "ecology"), parts[1].case_id, "disagree", opinion="不符合环评要求")
    for part in parts:
        joint.flow.close_part(part.case_id)
    assert joint.flow.gather(case_id) is False
    gathered = joint.cases.events[case_id][-1]
    assert gathered.action == "gather"
    assert [(o["department_id"], o["decision"]) for o in gathered.details["opinions"]] == [("planning", "agree"), ("ecology", "disagree")]


def test_suspending_the_lead_suspends_its_open_parts(joint):
    case_id, parts = joint.accepted_and_forwarded()
    joint.flow.suspend(case_id)
    assert {joint.cases.get(p.case_id).status for p in parts} == {CaseStatus.SUSPENDED}


# --- 45 + 15 days (行政许可法 第四十二条) ----------------------------------------------------------


def test_a_joint_case_is_extended_by_at_most_15_days_and_only_by_the_government_leader(joint):
    case_id, _ = joint.accepted_and_forwarded()
    handler = staff(Role.HANDLER, "housing")
    with pytest.raises(InvalidInput, match="15"):
        joint.procedures.request_extension(handler, case_id, 16, "需现场踏勘")
    joint.procedures.request_extension(handler, case_id, 15, "需现场踏勘")
    with pytest.raises(Forbidden, match="市政府分管领导"):
        joint.procedures.decide_extension(staff(Role.LEADER, "housing"), case_id, 1, True, None)
    assert [row.case_id for row in joint.services.department.pending_extensions(staff(Role.LEADER, "housing"), cursor=None, limit=20).items] == []
    pending = joint.services.department.government_extensions(GOVERNMENT_LEADER, limit=20).items
    assert [row.case_id for row in pending] == [case_id]
    legal_before = joint.cases.get(case_id).legal_due_on
    decided = joint.procedures.decide_extension(GOVERNMENT_LEADER, case_id, 1, True, "同意延长15个工作日")
    assert decided.extensions[0].status.value == "approved" and decided.legal_due_on > legal_before
    assert joint.cases.events[case_id][-1].actor.role == "government_leader"


def test_the_government_leader_does_not_approve_other_extensions_nor_a_co_department_extend_its_part(joint):
    case_id, parts = joint.accepted_and_forwarded()
    with pytest.raises(Conflict, match="会签意见不能单独延期"):
        joint.procedures.request_extension(staff(Role.HANDLER, "planning"), parts[0].case_id, 2, "需要补充调查")
    market_case = joint.submitted_case()
    joint.enter(market_case, "accept")
    joint.procedures.request_extension(staff(Role.WINDOW, "market"), market_case, 2, "材料较多")
    with pytest.raises(Forbidden):
        joint.procedures.decide_extension(GOVERNMENT_LEADER, market_case, 1, True, None)
    with pytest.raises(Forbidden):
        joint.services.department.government_extensions(staff(Role.LEADER, "housing"), limit=20)


def test_a_government_leader_has_no_department():
    from sunlight.models.users import CreateUserRequest

    with pytest.raises(ValidationError, match="不属于任何部门"):
        CreateUserRequest(username="gov.leader", full_name="周副市长", roles=(Role.GOVERNMENT_LEADER,), department_id="housing")
    assert not Principal(user_id="x", name="x", roles=frozenset({Role.GOVERNMENT_LEADER}), department_id="housing").is_government_leader


def test_a_late_co_department_gets_the_card_for_its_part_and_the_lead_none(joint):
    from datetime import datetime, timedelta, timezone

    case_id, parts = joint.accepted_and_forwarded()
    planning = parts[0].case_id  # 3 working days from Monday 23 Nov: due Thursday 26 Nov
    joint.act(staff(Role.HANDLER, "ecology"), parts[1].case_id, "agree")
    joint.deadlines.sweep(datetime(2026, 11, 28, 9, tzinfo=timezone(timedelta(hours=8))))
    cards = [w for w in joint.warnings.for_case(planning) if w.rule == "time_limit"]
    assert {w.level.value for w in cards} >= {"yellow"} and {w.department_id for w in cards} == {"planning"}
    assert [w for w in joint.warnings.for_case(case_id) if w.rule == "time_limit"] == []
    assert joint.warnings.for_case(parts[1].case_id) == []


def test_a_part_case_id_keeps_its_cards_findable_by_case():
    # A warning's id is "{case id}-{visit}-{level}" and the warnings table keys it by what precedes
    # the first "-": a part's id has none, whatever its department's id.
    from sunlight.adapters.dynamodb_warnings import case_id_of

    part_id = part_case_id("SL20261208ABCDEF", "urban-admin", 2)
    assert "-" not in part_id and case_id_of(f"{part_id}-1-yellow") == part_id
