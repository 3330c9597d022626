"""Administrative penalties (行政处罚法 2021): the time rules, the staff's penalty decisions as the law
lets them be stated, the party online (claim, statement, hearing request) and the anomaly rules."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from sunlight.models.case import Actor, Applicant, CaseStatus, IdType
from sunlight.models.flow import Decision
from sunlight.models.requests import ClaimCaseRequest, PartyStatementRequest, WindowApplicationRequest
from sunlight.models.supervision import AnomalyRule
from sunlight.rules.penalty import (
    PenaltyRoute,
    decision_due_on,
    earliest_hearing_day,
    route_of,
    simple_fine_bound,
    statement_due_at,
)
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.fakes.cases import WeekdayCalendar
from tests.fakes.catalog import make_item
from tests.unit.conftest import CITIZEN, HANDLER, LEADER, OTHER_CITIZEN, WINDOW, World
from tests.unit.test_anomaly_rules import CST, Timeline, at, context, hit_of, make_case
from tests.unit.test_anomaly_rules import HANDLER as HANDLER_ACTOR
from tests.unit.test_anomaly_rules import LEADER as LEADER_ACTOR

PENALTY_LIMITS = {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
                  "decide": 5, "deliver": 7, "execute": 15, "complete": 2}
PENALTY = make_item("420700-CF-0206", category="行政处罚", flow="penalty", legal_limit_days=90, promised_limit_days=85,
                    step_limit_days=PENALTY_LIMITS, name="食品安全行政处罚",
                    supervision={"discretion": {"min_yuan": "5000", "max_yuan": "50000"}})
SIMPLE = make_item("420700-CF-1102", category="行政处罚", flow="penalty_simple", legal_limit_days=17, promised_limit_days=17,
                   step_limit_days={"on_spot": 1, "execute": 15, "complete": 1}, name="道路交通当场处罚")
PARTY = {"name": "李华", "id_number": "11010519491231002X", "phone": "13800138000"}
OFFICERS = [{"name": "刘强", "certificate_number": "42070001"}, {"name": "王磊", "certificate_number": "42070002"}]
CALENDAR = WeekdayCalendar()


class HolidayCalendar:
    """Weekdays, except the listed days off (a stand-in for 国庆 in a test)."""

    def __init__(self, *off: date) -> None:
        self.off = set(off)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.off


# --- the time rules ---------------------------------------------------------------------------


def test_the_statement_window_is_five_working_days_after_the_notice():
    # Notified on a Thursday: Fri, Mon, Tue, Wed, Thu → ends at the close of the next Thursday.
    notified = datetime(2026, 11, 26, 15, 0, tzinfo=CST)
    assert statement_due_at(notified, CALENDAR) == datetime(2026, 12, 3, 23, 59, 59, tzinfo=CST)
    # 第八十五条: working days — a holiday inside the window moves its end.
    assert statement_due_at(notified, HolidayCalendar(date(2026, 11, 30))).date() == date(2026, 12, 4)


def test_a_hearing_is_at_least_seven_working_days_after_its_notice():
    assert earliest_hearing_day(date(2026, 11, 23), CALENDAR) == date(2026, 12, 2)  # Mon + 7 working days = Wed of next week


def test_the_decision_is_due_ninety_calendar_days_after_registration():
    registered = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
    assert decision_due_on(registered, CALENDAR) == date(2027, 2, 21) + timedelta(days=1)  # 21 Feb 2027 is a Sunday
    assert decision_due_on(datetime(2026, 11, 25, 9, 0, tzinfo=CST), CALENDAR) == date(2027, 2, 23)  # a Tuesday


@pytest.mark.parametrize(("id_type", "bound"), [("resident_id", "200"), ("passport", "200"), ("credit_code", "3000")])
def test_the_simple_procedure_bound_depends_on_the_party(id_type, bound):
    assert simple_fine_bound(IdType(id_type)) == Decimal(bound)


def _event(timeline: Timeline, action: str, to_state: str, **details):
    return timeline.then(action, HANDLER_ACTOR, to_state, **details)


def test_the_route_follows_the_notice_marks_and_a_hearing_held():
    timeline = Timeline()
    assert route_of(timeline.events) == PenaltyRoute(legal_review=False, collective=False)
    _event(timeline, "notify", "statement", legal_review_required=False, collective_required=True)
    assert route_of(timeline.events) == PenaltyRoute(legal_review=False, collective=True)
    _event(timeline, "request_hearing", "hearing_notice")
    _event(timeline, "schedule_hearing", "hearing")
    # The state machine asks right after the hearing: its decision is still pending, not on the timeline.
    assert route_of(timeline.events, Decision.HEARD) == PenaltyRoute(legal_review=True, collective=True)  # 第五十八条
    _event(timeline, "heard", "decide")
    assert route_of(timeline.events) == PenaltyRoute(legal_review=True, collective=True)


# --- staff and the party through the services ----------------------------------------------------


@pytest.fixture
def penalty_world() -> World:
    world = World()
    world.catalog.items[PENALTY.item_code] = PENALTY
    return world


def registered(world: World) -> str:
    """立案 at the window, the party recorded as the applicant; the flow waits at 调查取证."""
    request = WindowApplicationRequest.model_validate({"item_code": PENALTY.item_code, "applicant": PARTY, "form": {}})
    case_id = world.applications.apply_at_window(WINDOW, request, None).case_id
    world.enter(case_id, "investigate")
    return case_id


def act(world: World, case_id: str, principal, body: dict):
    from pydantic import TypeAdapter

    from sunlight.models.requests import StaffAction

    return world.staff.act(principal, case_id, TypeAdapter(StaffAction).validate_python(body), None)


def notified(world: World) -> str:
    case_id = registered(world)
    act(world, case_id, HANDLER, {"action": "submit", "opinion": "调查终结，事实清楚", "officers": OFFICERS})
    world.enter(case_id, "notify")
    act(world, case_id, HANDLER, {"action": "notify", "opinion": "拟罚款8000元", "intended_penalty_yuan": "8000",
                                  "legal_review_required": True, "collective_required": False})
    world.enter(case_id, "statement")
    return case_id


def test_an_investigation_by_one_officer_is_refused_naming_the_field(penalty_world):
    case_id = registered(penalty_world)
    with pytest.raises(InvalidInput) as refused:
        act(penalty_world, case_id, HANDLER, {"action": "submit", "opinion": "调查终结", "officers": OFFICERS[:1]})
    assert refused.value.details == {"field": "officers"} and "第四十二条" in str(refused.value)
    # Two entries with one certificate are one officer.
    with pytest.raises(InvalidInput):
        act(penalty_world, case_id, HANDLER, {"action": "submit", "opinion": "调查终结", "officers": [OFFICERS[0], OFFICERS[0]]})
    act(penalty_world, case_id, HANDLER, {"action": "submit", "opinion": "调查终结", "officers": OFFICERS})
    assert penalty_world.cases.get(case_id).pending.details["officers"] == OFFICERS


def test_the_notice_records_the_marks_and_opens_a_five_working_day_window(penalty_world):
    case_id = notified(penalty_world)
    case, timeline = penalty_world.cases.get_with_timeline(case_id)
    notice = next(e for e in timeline if e.action == "notify")
    assert notice.details == {"intended_penalty_yuan": "8000.00", "legal_review_required": True, "collective_required": False}
    assert case.step.value == "statement"
    assert case.statement_due_at == datetime(2026, 11, 30, 23, 59, 59, tzinfo=CST)  # Mon 23 Nov + 5 working days
    assert case.next_alarm_at == case.statement_due_at + timedelta(seconds=1)
    assert penalty_world.flow.route(case_id) == PenaltyRoute(legal_review=True, collective=False)


def test_the_party_claims_the_case_with_the_notice_and_their_id_number(penalty_world):
    case_id = notified(penalty_world)
    code = penalty_world.cases.get(case_id).query_code
    with pytest.raises(NotFound):
        penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=code, id_number="110105194912310029"))
    view = penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=code, id_number=PARTY["id_number"]))
    assert view.case_id == case_id and view.statement_due_at is not None
    assert penalty_world.cases.get(case_id).applicant_user_id == CITIZEN.user_id
    # Claimed: nobody else can claim it, even with the right codes (the same answer as a wrong code).
    with pytest.raises(NotFound):
        penalty_world.services.party.claim(OTHER_CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=code, id_number=PARTY["id_number"]))
    # The party sees the notice, never the investigation's internal opinion or its officers.
    timeline = {e.action: e for e in view.timeline}
    assert timeline["notify"].opinion == "拟罚款8000元" and timeline["notify"].details.intended_penalty_yuan == "8000.00"
    assert timeline["notify"].details.legal_review_required is None
    assert timeline["submit"].opinion is None and timeline["submit"].details.officers is None


def test_only_the_party_requests_a_hearing_and_only_within_the_window(penalty_world):
    case_id = notified(penalty_world)
    case = penalty_world.cases.get(case_id)
    penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=case.query_code, id_number=PARTY["id_number"]))
    hearing = PartyStatementRequest(action="request_hearing", statement="请求听证")
    with pytest.raises(Forbidden):
        penalty_world.services.party.statement(OTHER_CITIZEN, case_id, hearing, None)
    with pytest.raises(InvalidInput) as missing:
        penalty_world.services.party.statement(CITIZEN, case_id, PartyStatementRequest(action="submit_statement"), None)
    assert missing.value.details == {"field": "statement"}
    penalty_world.clock.current = case.statement_due_at + timedelta(seconds=1)
    with pytest.raises(Conflict) as late:
        penalty_world.services.party.statement(CITIZEN, case_id, hearing, None)
    assert "陈述申辩期限" in str(late.value)
    penalty_world.clock.current = case.statement_due_at - timedelta(hours=1)
    receipt = penalty_world.services.party.statement(CITIZEN, case_id, hearing, None)
    assert receipt.decision == "request_hearing"
    assert penalty_world.workflow.sent[-1][1] == {"decision": "request_hearing"}


def test_the_hearing_is_scheduled_at_least_seven_working_days_ahead(penalty_world):
    case_id = notified(penalty_world)
    case = penalty_world.cases.get(case_id)
    penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=case.query_code, id_number=PARTY["id_number"]))
    penalty_world.services.party.statement(CITIZEN, case_id, PartyStatementRequest(action="request_hearing"), None)
    penalty_world.enter(case_id, "hearing_notice")
    too_soon = datetime.combine(date(2026, 12, 1), time(9, 30), tzinfo=CST)  # Mon 23 Nov + 6 working days
    with pytest.raises(InvalidInput) as refused:
        act(penalty_world, case_id, HANDLER, {"action": "schedule_hearing", "hearing_at": too_soon.isoformat(), "hearing_place": "第一听证室"})
    assert refused.value.details == {"field": "hearing_at"} and "2026年12月02日" in str(refused.value)
    act(penalty_world, case_id, HANDLER, {"action": "schedule_hearing", "hearing_at": (too_soon + timedelta(days=1)).isoformat(),
                                          "hearing_place": "第一听证室"})
    assert penalty_world.cases.get(case_id).pending.details["hearing_place"] == "第一听证室"


def test_an_unanswered_statement_window_ends_by_the_deadline_check(penalty_world):
    case_id = notified(penalty_world)
    case = penalty_world.cases.get(case_id)
    penalty_world.deadlines.check(case_id, case.statement_due_at)  # not yet
    assert penalty_world.workflow.sent[-1][1] != {"decision": "expire"}
    penalty_world.deadlines.check(case_id, case.statement_due_at + timedelta(seconds=2))
    assert penalty_world.workflow.sent[-1] == (case.task_token, {"decision": "expire"})
    penalty_world.enter(case_id, "legal_review")
    last = penalty_world.cases.get_with_timeline(case_id)[1][-1]
    assert (last.action, last.actor.role, last.to_state) == ("expire", "system", CaseStatus.LEGAL_REVIEW)
    assert "5个工作日" in last.opinion


def test_the_leaders_penalty_is_recorded_as_the_decision_text(penalty_world):
    case_id = notified(penalty_world)
    penalty_world.enter(case_id, "decide")
    act(penalty_world, case_id, LEADER, {"action": "penalize", "opinion": "罚款8000元", "penalty_yuan": "8000"})
    penalty_world.enter(case_id, "deliver")
    case = penalty_world.cases.get(case_id)
    assert case.decision_text == "罚款8000元"
    assert penalty_world.cases.get_with_timeline(case_id)[1][-1].details["penalty_yuan"] == "8000.00"


# --- anomaly rules ----------------------------------------------------------------------------


def penalty_case(**overrides):
    return make_case(item_code=PENALTY.item_code, flow="penalty", step_limit_days=PENALTY_LIMITS, **overrides)


def test_a_penalty_without_the_prior_notice_is_an_anomaly():
    timeline = Timeline()
    timeline.then("submit", HANDLER_ACTOR, "decide", from_state="investigate", officers=OFFICERS)
    event = timeline.then("penalize", LEADER_ACTOR, "deliver", penalty_yuan="8000.00")
    hit = hit_of(AnomalyRule.PENALTY_WITHOUT_NOTICE, context(event, timeline, item=PENALTY, case=penalty_case()))
    assert hit is not None and "第四十四条" in hit.message
    noticed = Timeline()
    noticed.then("notify", HANDLER_ACTOR, "statement", from_state="notify")
    noticed.then("waive", Actor(user_id="citizen-1", name="李华", role="citizen"), "decide")
    event = noticed.then("penalize", LEADER_ACTOR, "deliver", penalty_yuan="8000.00")
    assert hit_of(AnomalyRule.PENALTY_WITHOUT_NOTICE, context(event, noticed, item=PENALTY, case=penalty_case())) is None


def test_a_hearing_request_answered_late_or_never_held_is_an_anomaly():
    party = Actor(user_id="citizen-1", name="李华", role="citizen")
    timeline = Timeline()
    timeline.then("notify", HANDLER_ACTOR, "statement", from_state="notify")
    timeline.then("request_hearing", party, "hearing_notice", at(date(2026, 11, 24)))
    in_time = timeline.then("schedule_hearing", HANDLER_ACTOR, "hearing", at(date(2026, 11, 27)))  # 3 working days
    assert hit_of(AnomalyRule.HEARING_NOT_ANSWERED, context(in_time, timeline, item=PENALTY, case=penalty_case())) is None
    timeline.events.pop()
    late = timeline.then("schedule_hearing", HANDLER_ACTOR, "hearing", at(date(2026, 11, 30)))  # the 4th working day
    hit = hit_of(AnomalyRule.HEARING_NOT_ANSWERED, context(late, timeline, item=PENALTY, case=penalty_case()))
    assert hit is not None and hit.evidence["deadline"] == "2026-11-27"
    skipped = Timeline()
    skipped.then("notify", HANDLER_ACTOR, "statement", from_state="notify")
    skipped.then("request_hearing", party, "decide")
    decided = skipped.then("penalize", LEADER_ACTOR, "deliver", penalty_yuan="8000.00")
    assert hit_of(AnomalyRule.HEARING_NOT_ANSWERED, context(decided, skipped, item=PENALTY, case=penalty_case())).title.startswith("当事人申请听证")


def test_a_decision_after_ninety_days_of_registration_is_an_anomaly():
    registered = at(date(2026, 11, 25), 9)  # due 23 Feb 2027
    case = penalty_case(submitted_at=registered)
    for day, late in ((date(2027, 2, 23), False), (date(2027, 2, 24), True)):
        timeline = Timeline()
        timeline.then("notify", HANDLER_ACTOR, "statement", from_state="notify")
        event = timeline.then("no_penalty", LEADER_ACTOR, "deliver", at(day))
        hit = hit_of(AnomalyRule.PENALTY_DECIDED_LATE, context(event, timeline, item=PENALTY, case=case, calendar=CALENDAR))
        assert (hit is not None) is late


def test_an_investigation_by_fewer_than_two_officers_is_an_anomaly():
    timeline = Timeline()
    one = timeline.then("submit", HANDLER_ACTOR, "notify", from_state="investigate", officers=OFFICERS[:1])
    assert hit_of(AnomalyRule.TOO_FEW_OFFICERS, context(one, timeline, item=PENALTY, case=penalty_case())).title.endswith("（1名）")
    timeline.events.pop()
    two = timeline.then("submit", HANDLER_ACTOR, "notify", from_state="investigate", officers=OFFICERS)
    assert hit_of(AnomalyRule.TOO_FEW_OFFICERS, context(two, timeline, item=PENALTY, case=penalty_case())) is None


ORGANISATION = Applicant(name="沙市区味道餐饮店", id_type="credit_code", id_number="91420700MA4F0XXX1B", phone="13800138000")


@pytest.mark.parametrize(
    ("applicant", "amount", "hit"),
    [(None, "200", False), (None, "200.01", True), (ORGANISATION, "3000", False), (ORGANISATION, "3500", True)],
)
def test_a_simple_procedure_fine_above_its_bound_is_an_anomaly(applicant, amount, hit):
    case = make_case(item_code=SIMPLE.item_code, flow="penalty_simple", step_limit_days=SIMPLE.step_limit_days,
                     **({"applicant": applicant} if applicant else {}))
    timeline = Timeline()
    event = timeline.then("penalize", HANDLER_ACTOR, "execute", from_state="on_spot", penalty_yuan=amount)
    found = hit_of(AnomalyRule.SIMPLE_FINE_ABOVE_BOUND, context(event, timeline, item=SIMPLE, case=case))
    assert (found is not None) is hit
    if hit:
        assert ("单位" if applicant else "公民") in found.message


def test_the_discretion_check_covers_the_penalty_decisions():
    timeline = Timeline()
    timeline.then("notify", HANDLER_ACTOR, "statement", from_state="notify")
    event = timeline.then("penalize", LEADER_ACTOR, "deliver", penalty_yuan="60000")
    assert hit_of(AnomalyRule.DISCRETION_OUT_OF_RANGE, context(event, timeline, item=PENALTY, case=penalty_case())) is not None



def test_the_window_registers_an_organisation_as_the_party_by_its_credit_code(penalty_world):
    organisation = {"name": "沙市区味道餐饮店", "id_type": "credit_code", "id_number": "91420700MA4F0XXX1B", "phone": "13800138000"}
    request = WindowApplicationRequest.model_validate({"item_code": PENALTY.item_code, "applicant": organisation, "form": {}})
    case_id = penalty_world.applications.apply_at_window(WINDOW, request, None).case_id
    assert penalty_world.cases.get(case_id).applicant.id_type is IdType.CREDIT_CODE
    with pytest.raises(ValueError, match="统一社会信用代码有误"):
        WindowApplicationRequest.model_validate({"item_code": PENALTY.item_code, "form": {},
                                                 "applicant": organisation | {"id_number": "91420700MA4F0XXXIB"}})
    with pytest.raises(ValueError, match="校验位"):  # a resident id still has its checksum
        WindowApplicationRequest.model_validate({"item_code": PENALTY.item_code, "form": {},
                                                 "applicant": PARTY | {"id_number": "110105194912310029"}})


def test_a_claim_racing_the_flow_claims_the_fresh_copy(penalty_world):
    case_id = registered(penalty_world)
    act(penalty_world, case_id, HANDLER, {"action": "submit", "opinion": "调查终结，事实清楚", "officers": OFFICERS})
    code = penalty_world.cases.get(case_id).query_code
    original_get = penalty_world.cases.get
    raced = []

    def get_then_move(key):  # the state machine enters the next step right after the claim reads the case
        found = original_get(key)
        if not raced and found is not None:
            raced.append(True)
            penalty_world.enter(case_id, "notify")
        return found

    penalty_world.cases.get = get_then_move
    view = penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=code, id_number=PARTY["id_number"]))
    assert raced and view.status == "notify"
    assert original_get(case_id).applicant_user_id == CITIZEN.user_id


def test_wrong_claims_lock_the_case_number_like_tracking(penalty_world):
    from sunlight.services.errors import TooManyAttempts

    case_id = notified(penalty_world)
    code = penalty_world.cases.get(case_id).query_code
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(NotFound):
            penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=wrong, id_number=PARTY["id_number"]))
    with pytest.raises(TooManyAttempts):  # the 5th wrong code locks
        penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=wrong, id_number=PARTY["id_number"]))
    with pytest.raises(TooManyAttempts):  # and the right one is refused while locked
        penalty_world.services.party.claim(CITIZEN, ClaimCaseRequest(case_id=case_id, query_code=code, id_number=PARTY["id_number"]))
    assert penalty_world.cases.get(case_id).applicant_user_id.startswith("WINDOW#")
