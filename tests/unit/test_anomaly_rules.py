"""Each anomaly rule on hand-built contexts: a hit and a non-hit, and the edges that matter."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from pydantic import ValidationError

from sunlight.models.case import Actor, Applicant, Attachment, Case, CaseStatus, TimelineEvent
from sunlight.models.catalog import CatalogItem
from sunlight.models.supervision import AnomalyRule, SupervisionRules
from sunlight.rules.anomalies import RULES, AnomalyContext, evaluate
from sunlight.rules.workdays import ChinaCalendar
from tests.fakes.cases import WeekdayCalendar
from tests.fakes.catalog import make_item

CST = timezone(timedelta(hours=8))
MONDAY = date(2026, 11, 23)  # received on this day, 09:00 China time

APPLICANT = Actor(user_id="citizen-1", name="李华", role="citizen")
SYSTEM = Actor.system()
WINDOW = Actor(user_id="w-1", name="张敏", role="window")
HANDLER = Actor(user_id="h-1", name="刘强", role="handler")
REVIEWER = Actor(user_id="r-1", name="陈静", role="reviewer")
LEADER = Actor(user_id="l-1", name="赵刚", role="leader")

ITEM = make_item(
    "420700-XK-0201",
    name="食品经营许可",
    fees=[{"name": "证书工本费", "amount_yuan": "80", "basis": "《收费标准通知》（发改价格〔2019〕914号）"}],
    supervision={
        "risk_points": [
            {"step": "handle", "control_material_id": "site-inspection-record", "name": "现场核查", "document_name": "现场核查记录表"}
        ]
    },
)
PENALTY_LIMITS = {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
                  "decide": 5, "deliver": 7, "execute": 15, "complete": 2}
PENALTY_ITEM = make_item(
    "420700-CF-0206",
    name="食品安全行政处罚",
    category="行政处罚",
    flow="penalty",
    legal_limit_days=90,
    promised_limit_days=85,
    step_limit_days=PENALTY_LIMITS,
    supervision={"discretion": {"min_yuan": "5000", "max_yuan": "50000", "basis": "《食品安全法》第一百二十六条"}},
)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CST)


def make_case(**overrides) -> Case:
    fields = dict(
        case_id="SL20261123000001",
        query_code="246810",
        item_code=ITEM.item_code,
        item_name=ITEM.name,
        department_id="market",
        department_name="市市场监督管理局",
        applicant=Applicant(name="李华", id_type="resident_id", id_number="11010519491231002X", phone="13800138000"),
        applicant_user_id=APPLICANT.user_id,
        form={},
        status=CaseStatus.HANDLE,
        step_limit_days=ITEM.step_limit_days,
        promised_due_on=date(2026, 12, 7),
        legal_due_on=date(2026, 12, 21),
        submitted_at=at(MONDAY, 9),
        updated_at=at(MONDAY, 9),
        fee_yuan="80.00",
    )
    return Case(**fields | overrides)


class Timeline:
    """Builds a timeline event by event: each continues from the state the previous one left."""

    def __init__(self) -> None:
        self.events: list[TimelineEvent] = [
            TimelineEvent(case_id="SL20261123000001", seq=1, occurred_at=at(MONDAY, 9), actor=APPLICANT, action="apply",
                          from_state=None, to_state=CaseStatus.SUBMITTED),
            TimelineEvent(case_id="SL20261123000001", seq=2, occurred_at=at(MONDAY, 9), actor=SYSTEM, action="dispatch",
                          from_state=CaseStatus.SUBMITTED, to_state=CaseStatus.ACCEPT),
        ]

    def then(self, action: str, actor: Actor, to_state: str, when: datetime | None = None, *, from_state: str | None = None,
             **details) -> TimelineEvent:
        previous = self.events[-1]
        event = TimelineEvent(
            case_id=previous.case_id,
            seq=previous.seq + 1,
            occurred_at=when or at(MONDAY, 10),
            actor=actor,
            action=action,
            from_state=CaseStatus(from_state) if from_state else previous.to_state,
            to_state=CaseStatus(to_state),
            details=details,
        )
        self.events.append(event)
        return event


def context(event: TimelineEvent, timeline: Timeline, *, item: CatalogItem = ITEM, case: Case | None = None,
            calendar=None) -> AnomalyContext:
    return AnomalyContext(item=item, case=case or make_case(), timeline=list(timeline.events), event=event,
                          calendar=calendar or WeekdayCalendar())


def hit_of(rule: AnomalyRule, ctx: AnomalyContext):
    return RULES[rule](ctx)


def test_every_rule_has_a_function():
    assert set(RULES) == set(AnomalyRule)


# --- out of order -----------------------------------------------------------------------------------


def test_out_of_order_decision_not_accepted_at_the_step():
    timeline = Timeline()
    timeline.then("accept", WINDOW, "handle")
    event = timeline.then("approve", LEADER, "complete")  # at 承办: only 提交承办意见
    hit = hit_of(AnomalyRule.OUT_OF_ORDER, context(event, timeline))
    assert hit.rule is AnomalyRule.OUT_OF_ORDER
    assert "“承办”环节" in hit.message and "“批准”" in hit.message and "提交承办意见" in hit.message
    assert hit.evidence["allowed_actions"] == ["submit"] and hit.evidence["previous_event"]["seq"] == 3


def test_out_of_order_step_skipped():
    timeline = Timeline()
    timeline.then("accept", WINDOW, "handle")
    event = timeline.then("pass", REVIEWER, "approve", from_state="review")  # 承办 never done
    hit = hit_of(AnomalyRule.OUT_OF_ORDER, context(event, timeline))
    assert hit is not None and "已将办件转到“承办中”" in hit.message


def test_in_order_flow_and_system_or_other_actions_pass():
    timeline = Timeline()
    steps = [("accept", WINDOW, "handle"), ("submit", HANDLER, "review"), ("return", REVIEWER, "handle"),
             ("submit", HANDLER, "review"), ("pass", REVIEWER, "approve"), ("approve", LEADER, "complete"),
             ("complete", WINDOW, "completed")]
    for action, actor, to_state in steps:
        event = timeline.then(action, actor, to_state)
        assert hit_of(AnomalyRule.OUT_OF_ORDER, context(event, timeline)) is None, action
    for event in timeline.events[:2]:
        assert hit_of(AnomalyRule.OUT_OF_ORDER, context(event, timeline)) is None
    pause = timeline.then("pause", HANDLER, "completed", from_state="handle")  # not a flow decision
    assert hit_of(AnomalyRule.OUT_OF_ORDER, context(pause, timeline)) is None


def test_supplement_loop_is_in_order():
    timeline = Timeline()
    timeline.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    event = timeline.then("resubmit", APPLICANT, "accept")
    assert hit_of(AnomalyRule.OUT_OF_ORDER, context(event, timeline)) is None


# --- unauthorized role ------------------------------------------------------------------------------


def test_unauthorized_role_at_a_step():
    timeline = Timeline()
    event = timeline.then("accept", HANDLER, "handle")
    hit = hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(event, timeline))
    assert hit.rule is AnomalyRule.UNAUTHORIZED_ROLE
    assert hit.message == "“受理”环节的“受理”应由窗口受理人员办理，实际由刘强（承办人）办理。"
    assert hit.evidence["expected_role"] == "window" and hit.evidence["actor"]["user_id"] == "h-1"


def test_step_roles_pass():
    timeline = Timeline()
    for action, actor, to_state in [("accept", WINDOW, "handle"), ("submit", HANDLER, "review"), ("pass", REVIEWER, "approve"),
                                    ("approve", LEADER, "complete"), ("complete", WINDOW, "completed")]:
        event = timeline.then(action, actor, to_state)
        assert hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(event, timeline)) is None
    for event in timeline.events[:2]:
        assert hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(event, timeline)) is None


def test_supplement_by_someone_other_than_the_applicant():
    timeline = Timeline()
    timeline.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    by_clerk = timeline.then("resubmit", WINDOW, "accept")
    assert "应由申请人办理" in hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(by_clerk, timeline)).message
    other = Timeline()
    other.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    by_other_citizen = other.then("resubmit", Actor(user_id="citizen-2", name="王芳", role="citizen"), "accept")
    hit = hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(by_other_citizen, other))
    assert "非申请人本人" in hit.title and "citizen-2" in hit.message
    own = Timeline()
    own.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    assert hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(own.then("resubmit", APPLICANT, "accept"), own)) is None


def test_system_actions_by_a_person():
    timeline = Timeline()
    event = timeline.then("finalize", WINDOW, "withdrawn", from_state="supplement")
    hit = hit_of(AnomalyRule.UNAUTHORIZED_ROLE, context(event, timeline))
    assert hit is not None and "应由系统办理" in hit.message


# --- fee --------------------------------------------------------------------------------------------


def completed(**details) -> tuple[TimelineEvent, Timeline]:
    timeline = Timeline()
    for action, actor, to_state in [("accept", WINDOW, "handle"), ("submit", HANDLER, "review"), ("pass", REVIEWER, "approve"),
                                    ("approve", LEADER, "complete")]:
        timeline.then(action, actor, to_state)
    return timeline.then("complete", WINDOW, "completed", **details), timeline


def test_fee_differing_from_the_standard():
    event, timeline = completed(fee_charged_yuan="100.00")
    hit = hit_of(AnomalyRule.FEE_MISMATCH, context(event, timeline))
    assert hit.title == "收费异常：实收100.00元，标准80.00元"
    assert "与公布的收费标准80.00元（证书工本费80.00元）不符，多收20.00元" in hit.message and "发改价格〔2019〕914号" in hit.message
    assert hit.evidence | {"fees": None} == {
        "charged_yuan": "100.00", "standard_yuan": "80.00", "difference_yuan": "20.00", "fees": None, "fee_at_application_yuan": "80.00",
    }


def test_fee_matching_or_not_recorded_passes():
    for details in ({"fee_charged_yuan": "80"}, {}):
        event, timeline = completed(**details)
        assert hit_of(AnomalyRule.FEE_MISMATCH, context(event, timeline)) is None


def test_fee_charged_for_a_free_item():
    event, timeline = completed(fee_charged_yuan="10.00")
    hit = hit_of(AnomalyRule.FEE_MISMATCH, context(event, timeline, item=make_item("420700-XK-0202")))
    assert "公布为不收费" in hit.message and "10.00元" in hit.message
    event, timeline = completed(fee_charged_yuan="0")
    assert hit_of(AnomalyRule.FEE_MISMATCH, context(event, timeline, item=make_item("420700-XK-0202"))) is None


# --- discretion -------------------------------------------------------------------------------------


def decided(penalty: str | None, action: str = "approve") -> tuple[TimelineEvent, Timeline]:
    timeline = Timeline()
    for a, actor, to_state in [("accept", WINDOW, "handle"), ("submit", HANDLER, "review"), ("pass", REVIEWER, "approve")]:
        timeline.then(a, actor, to_state)
    details = {"penalty_yuan": penalty} if penalty is not None else {}
    return timeline.then(action, LEADER, "complete" if action == "approve" else "denied", **details), timeline


@pytest.mark.parametrize(("penalty", "words"), [("60000", "高于上限50000.00元"), ("1000.5", "低于下限5000.00元")])
def test_penalty_outside_the_discretion_range(penalty, words):
    event, timeline = decided(penalty)
    hit = hit_of(AnomalyRule.DISCRETION_OUT_OF_RANGE, context(event, timeline, item=PENALTY_ITEM))
    assert words in hit.message and "自由裁量范围5000.00–50000.00元" in hit.message and "第一百二十六条" in hit.message
    assert hit.evidence["min_yuan"] == "5000.00" and hit.evidence["max_yuan"] == "50000.00"


@pytest.mark.parametrize("penalty", ["5000", "50000.00", "12345.67", None])
def test_penalty_within_the_range_or_absent_passes(penalty):
    event, timeline = decided(penalty)
    assert hit_of(AnomalyRule.DISCRETION_OUT_OF_RANGE, context(event, timeline, item=PENALTY_ITEM)) is None


def test_penalty_on_deny_is_checked_and_items_without_a_range_are_not():
    event, timeline = decided("99999", action="deny")
    assert hit_of(AnomalyRule.DISCRETION_OUT_OF_RANGE, context(event, timeline, item=PENALTY_ITEM)) is not None
    assert hit_of(AnomalyRule.DISCRETION_OUT_OF_RANGE, context(event, timeline, item=ITEM)) is None


# --- risk points ------------------------------------------------------------------------------------

RECORD_ID = "c" * 32


def record(material_id: str = "site-inspection-record") -> Attachment:
    return Attachment(attachment_id=RECORD_ID, material_id=material_id, file_name="现场核查记录.pdf", content_type="application/pdf",
                      size_bytes=1000, storage_key=f"uploads/h-1/{RECORD_ID}", uploaded_at=at(MONDAY, 11))


def test_risk_point_passed_without_its_control_document():
    timeline = Timeline()
    timeline.then("accept", WINDOW, "handle")
    event = timeline.then("submit", HANDLER, "review")
    hit = hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, context(event, timeline))
    assert hit.title == "风险点未上传控制文书：现场核查"
    assert hit.message == "刘强在“承办”环节作出“提交承办意见”，但风险点“现场核查”须上传控制文书“现场核查记录表”，未上传。"
    assert hit.evidence["missing"][0]["control_material_id"] == "site-inspection-record"


def test_risk_point_with_its_control_document_passes():
    timeline = Timeline()
    timeline.then("accept", WINDOW, "handle")
    event = timeline.then("submit", HANDLER, "review", attachment_ids=[RECORD_ID])
    ctx = context(event, timeline, case=make_case(attachments=(record(),)))
    assert hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, ctx) is None
    # a document of another material does not count
    ctx = context(event, timeline, case=make_case(attachments=(record("photos"),)))
    assert hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, ctx) is not None


def test_an_applicants_upload_is_no_control_document():
    timeline = Timeline()
    timeline.events[0] = timeline.events[0].model_copy(update={"details": {"attachment_ids": [RECORD_ID]}})
    timeline.then("accept", WINDOW, "handle")
    event = timeline.then("submit", HANDLER, "review")
    ctx = context(event, timeline, case=make_case(attachments=(record(),)))
    assert hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, ctx) is not None


def test_steps_without_risk_points_and_supplement_requests_pass():
    item = ITEM.model_copy(update={"supervision": SupervisionRules.model_validate(
        {"risk_points": [{"step": "accept", "control_material_id": "acceptance-check", "name": "受理审查"}]})})
    timeline = Timeline()
    request = timeline.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    assert hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, context(request, timeline, item=item)) is None
    timeline.then("resubmit", APPLICANT, "accept")
    accepted = timeline.then("accept", WINDOW, "handle")
    hit = hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, context(accepted, timeline, item=item))
    assert "控制文书“acceptance-check”" in hit.message  # no document name: its material id
    submitted = timeline.then("submit", HANDLER, "review")
    assert hit_of(AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT, context(submitted, timeline, item=item)) is None


# --- 一次性告知 ----------------------------------------------------------------------------------------


def test_supplement_requested_twice():
    timeline = Timeline()
    timeline.then("request_supplement", WINDOW, "supplement", at(MONDAY, 10), missing_materials=["营业执照"])
    timeline.then("resubmit", APPLICANT, "accept", at(MONDAY, 15))
    event = timeline.then("request_supplement", WINDOW, "supplement", at(MONDAY + timedelta(days=1), 10), missing_materials=["平面图"])
    hit = hit_of(AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST, context(event, timeline))
    assert hit.title == "未一次性告知补正：重复要求补正"
    assert "这是第2次要求补正（2026-11-23已要求补正：营业执照）" in hit.message
    assert hit.evidence["request_number"] == 2 and hit.evidence["late"] is False
    assert hit.evidence["earlier_requests"][0]["missing_materials"] == ["营业执照"]


def test_supplement_requested_once_on_the_sixth_working_day():
    timeline = Timeline()
    sixth = date(2026, 12, 1)  # Mon 23 Nov received; Tue..Mon are working days 1..5; Tue 1 Dec is the 6th
    event = timeline.then("request_supplement", WINDOW, "supplement", at(sixth), missing_materials=["营业执照"])
    hit = hit_of(AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST, context(event, timeline))
    assert hit.title == "未一次性告知补正：逾期要求补正"
    assert "收件后第6个工作日才要求补正，超过一次性告知期限（收件后5个工作日内，截至2026-11-30）" in hit.message
    assert (hit.evidence["working_day_after_receipt"], hit.evidence["deadline"]) == (6, "2026-11-30")


def test_supplement_requested_once_on_the_fifth_working_day_passes():
    timeline = Timeline()
    event = timeline.then("request_supplement", WINDOW, "supplement", at(date(2026, 11, 30), 17), missing_materials=["营业执照"])
    assert hit_of(AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST, context(event, timeline)) is None


def test_supplement_requested_again_and_late_names_both_and_uses_the_items_period():
    timeline = Timeline()
    timeline.then("request_supplement", WINDOW, "supplement", at(MONDAY, 10), missing_materials=["营业执照"])
    timeline.then("resubmit", APPLICANT, "accept", at(MONDAY, 15))
    event = timeline.then("request_supplement", WINDOW, "supplement", at(date(2026, 11, 26)), missing_materials=["平面图"])
    case = make_case(warning_rules={"acceptance_working_days": 2})
    hit = hit_of(AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST, context(event, timeline, case=case))
    assert hit.title == "未一次性告知补正：重复要求补正、逾期要求补正"
    assert "收件后第3个工作日" in hit.message and "收件后2个工作日内" in hit.message


# --- outside working hours --------------------------------------------------------------------------


def accepted_at(moment: datetime, actor: Actor = WINDOW) -> tuple[TimelineEvent, Timeline]:
    timeline = Timeline()
    return timeline.then("accept", actor, "handle", moment), timeline


def test_weekend_is_outside_working_hours():
    event, timeline = accepted_at(at(date(2026, 11, 28), 10))  # a Saturday
    hit = hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline, calendar=ChinaCalendar()))
    assert hit.title == "非工作时间办理：2026-11-28（星期六）10:00"
    assert hit.message == "张敏（窗口受理人员）于2026-11-28（星期六）10:00作出“受理”，当天不是工作日。"
    assert hit.evidence["working_day"] is False and hit.evidence["in_office_hours"] is True


def test_adjusted_weekend_workday_is_a_working_day():
    event, timeline = accepted_at(at(date(2026, 9, 20), 10))  # Sunday, a 调休 workday before National Day
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline, calendar=ChinaCalendar())) is None
    event, timeline = accepted_at(at(date(2026, 10, 1), 10))  # National Day, a Thursday
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline, calendar=ChinaCalendar())) is not None


@pytest.mark.parametrize(
    ("hour", "minute", "outside"),
    [(8, 29, True), (8, 30, False), (11, 59, False), (12, 0, True), (13, 29, True), (13, 30, False), (17, 29, False), (17, 30, True), (23, 5, True)],
)
def test_office_hours_on_a_working_day(hour, minute, outside):
    event, timeline = accepted_at(at(MONDAY, hour, minute))
    hit = hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline))
    assert (hit is not None) is outside
    if hit:
        assert "不在办公时间（08:30–12:00、13:30–17:30）内" in hit.message


def test_time_zone_is_china_time():
    event, timeline = accepted_at(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 10:00 in China
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline)) is None


def test_configured_office_hours_and_people_other_than_staff():
    item = make_item("420700-XK-0203", supervision={"office_hours": [{"start": "09:00", "end": "21:00"}]})
    event, timeline = accepted_at(at(MONDAY, 20))
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline, item=item)) is None
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(event, timeline)) is not None
    late_night = Timeline()
    late_night.then("request_supplement", WINDOW, "supplement", missing_materials=["营业执照"])
    resubmit = late_night.then("resubmit", APPLICANT, "accept", at(date(2026, 11, 28), 23))
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(resubmit, late_night)) is None
    assert hit_of(AnomalyRule.OUTSIDE_WORKING_HOURS, context(late_night.events[1], late_night)) is None  # the system


# --- evaluate and configuration ---------------------------------------------------------------------


def test_evaluate_runs_the_enabled_rules_in_order():
    timeline = Timeline()
    event = timeline.then("accept", HANDLER, "handle", at(date(2026, 11, 28), 22))
    assert [h.rule for h in evaluate(context(event, timeline))] == [AnomalyRule.UNAUTHORIZED_ROLE, AnomalyRule.OUTSIDE_WORKING_HOURS]
    quiet = ITEM.model_copy(update={"supervision": SupervisionRules(enabled_rules=(AnomalyRule.FEE_MISMATCH,))})
    assert evaluate(context(event, timeline, item=quiet)) == []


def test_a_normal_case_has_no_anomalies():
    timeline = Timeline()
    event = None
    for action, actor, to_state, extra in [
        ("accept", WINDOW, "handle", {}),
        ("submit", HANDLER, "review", {"attachment_ids": [RECORD_ID]}),
        ("pass", REVIEWER, "approve", {}),
        ("approve", LEADER, "complete", {}),
        ("complete", WINDOW, "completed", {"fee_charged_yuan": "80.00"}),
    ]:
        event = timeline.then(action, actor, to_state, **extra)
        assert evaluate(context(event, timeline, case=make_case(attachments=(record(),)))) == [], action


def test_supervision_rules_are_validated():
    rules = SupervisionRules()
    assert rules.enabled_rules == tuple(AnomalyRule) and rules.office_hours_text == "08:30–12:00、13:30–17:30"
    assert SupervisionRules(enabled_rules=["fee_mismatch", "out_of_order", "fee_mismatch"]).enabled_rules == (
        AnomalyRule.OUT_OF_ORDER, AnomalyRule.FEE_MISMATCH,
    )
    with pytest.raises(ValidationError, match="重叠"):
        SupervisionRules(office_hours=[{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "17:00"}])
    with pytest.raises(ValidationError, match="开始时间应早于结束时间"):
        SupervisionRules(office_hours=[{"start": "12:00", "end": "08:00"}])
    with pytest.raises(ValidationError, match="minimum exceeds"):
        SupervisionRules(discretion={"min_yuan": "100", "max_yuan": "10"})
    with pytest.raises(ValidationError, match="工作人员办理的环节"):
        SupervisionRules(risk_points=[{"step": "supplement", "control_material_id": "x", "name": "补正"}])
    with pytest.raises(ValidationError, match="只有行政处罚事项"):
        make_item("420700-XK-0209", supervision={"discretion": {"min_yuan": "1", "max_yuan": "2"}})
