"""Facts → counter updates, counted once; cards published as facts by the supervision services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sunlight.models.case import Case
from sunlight.models.clock import Pause, PauseReason
from sunlight.models.evaluation_events import WARNING_ISSUED, WARNING_REVOKED
from sunlight.models.events import CASE_TRANSITIONED
from sunlight.models.roles import Principal, Role
from sunlight.models.warnings import Warning, WarningLevel
from sunlight.services.cards import CardService
from sunlight.services.evaluation_facts import FactService, case_closing_figures
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeClock, InMemoryCases, WeekdayCalendar
from tests.fakes.evaluation import InMemoryEvaluation
from tests.fakes.supervision import InMemoryWarnings

CST = timezone(timedelta(hours=8))
SUBMITTED = datetime(2026, 11, 2, 9, 0, tzinfo=CST)  # a Monday
CITY_INSPECTOR = Principal(user_id="i-1", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")


def make_case(case_id: str = "SL1", **overrides) -> Case:
    fields = dict(
        case_id=case_id, query_code="123456", item_code="420700-XK-0201", item_name="食品经营许可",
        department_id="market", department_name="市市场监督管理局",
        applicant={"name": "李明", "id_type": "passport", "id_number": "E12345678", "phone": "13800138000"},
        applicant_user_id="citizen-1", form={}, status="completed",
        step_limit_days={"accept": 1, "handle": 5, "review": 2, "approve": 1, "complete": 1},
        promised_limit_days=10, legal_limit_days=20,
        promised_due_on=date(2026, 11, 16), legal_due_on=date(2026, 11, 30),  # 10 working days after 2 Nov
        submitted_at=SUBMITTED, updated_at=SUBMITTED,
    )
    return Case.model_validate({**fields, **overrides})


def transition(case_id: str, seq: int, action: str, from_state: str, to_state: str, at: datetime) -> dict:
    return {
        "event_id": f"{case_id}#{seq}", "case_id": case_id, "seq": seq, "item_code": "420700-XK-0201",
        "item_name": "食品经营许可", "department_id": "market", "action": action,
        "actor": {"user_id": "u", "name": "张敏", "role": "window"}, "from_state": from_state, "to_state": to_state,
        "opinion": None, "occurred_at": at.isoformat(), "recorded_at": at.isoformat(), "step_due_at": None,
        "promised_due_on": "2026-11-16", "details": {},
    }


def world():
    cases, facts = InMemoryCases(), InMemoryEvaluation()
    return cases, facts, FactService(facts=facts, cases=cases, calendar=WeekdayCalendar())


def counters(facts: InMemoryEvaluation, month: str = "2026-11", key: str = "DEPT#market") -> dict[str, int]:
    return {k: v for k, v in facts.counters[(month, key)].items() if v}


def test_closing_figures_count_working_days_after_receipt_without_pauses():
    case = make_case()
    closed = datetime(2026, 11, 12, 15, 0, tzinfo=CST)  # Thursday
    # Working days 3–6 and 9–12 Nov: 8 used; 13 and 16 Nov still left before the promise: early.
    assert case_closing_figures(case, closed, WeekdayCalendar()) == {
        "days_used": 8, "days_promised": 10, "on_time": True, "early": True, "promised_due_on": "2026-11-16"}
    paused = case.model_copy(update={"pauses": (Pause(reason=PauseReason.SUPPLEMENT, step="accept",
                                                      started_at=datetime(2026, 11, 3, 10, tzinfo=CST),
                                                      ended_at=datetime(2026, 11, 5, 10, tzinfo=CST)),)})
    assert case_closing_figures(paused, closed, WeekdayCalendar())["days_used"] == 6  # 3 and 4 Nov paused
    # Closed on the promised day: on time, not early; a day later: overdue.
    on_the_day = case_closing_figures(case, datetime(2026, 11, 16, 17, tzinfo=CST), WeekdayCalendar())
    assert on_the_day["on_time"] and not on_the_day["early"]
    assert not case_closing_figures(case, datetime(2026, 11, 17, 9, tzinfo=CST), WeekdayCalendar())["on_time"]


def test_a_calendar_day_promise_is_weighed_in_the_working_days_it_spans():
    # 14 calendar days from Mon 2 Nov end on Mon 16 Nov: 10 working days (3–6, 9–13, 16 Nov), so the
    # ratio of days used to days promised compares working days with working days.
    case = make_case(promised_limit_days=14, promised_limit_unit="calendar_days")
    closed = datetime(2026, 11, 12, 15, 0, tzinfo=CST)
    figures = case_closing_figures(case, closed, WeekdayCalendar())
    assert (figures["days_used"], figures["days_promised"]) == (8, 10)
    # A pause of 3–4 Nov removes those calendar days: 14 days then end on Wed 18 Nov, which spans
    # 12 working days of which 2 were paused: still 10.
    paused = case.model_copy(update={"pauses": (Pause(reason=PauseReason.SUPPLEMENT, step="accept",
                                                      started_at=datetime(2026, 11, 3, 10, tzinfo=CST),
                                                      ended_at=datetime(2026, 11, 5, 10, tzinfo=CST)),)})
    assert case_closing_figures(paused, closed, WeekdayCalendar())["days_promised"] == 10


def test_acceptance_and_completion_map_to_counters_once():
    cases, facts, service = world()
    cases.cases["SL1"] = make_case()
    accepted = transition("SL1", 3, "accept", "accept", "handle", SUBMITTED + timedelta(hours=2))
    completed = transition("SL1", 7, "complete", "complete", "completed", datetime(2026, 11, 12, 15, tzinfo=CST))
    assert service.handle(CASE_TRANSITIONED, accepted).result == "counted"
    assert service.handle(CASE_TRANSITIONED, accepted).result == "duplicate"
    outcome = service.handle(CASE_TRANSITIONED, completed)
    assert outcome.result == "counted"
    assert set(outcome.fact.metrics) == {"completed", "closed_completed", "on_time", "early"}
    assert service.handle(CASE_TRANSITIONED, completed).result == "duplicate"
    expected = {"received": 1, "completed": 1, "closed_completed": 1, "on_time": 1, "early": 1, "days_used": 8, "days_promised": 10}
    assert counters(facts) == expected
    assert counters(facts, key="DEPT#market") == counters(facts, key="ITEM#market#420700-XK-0201")
    # Steps in between are no facts.
    assert service.handle(CASE_TRANSITIONED, transition("SL1", 4, "submit", "handle", "review", SUBMITTED)).result == "ignored"


def test_a_penalty_counts_as_received_at_registration_and_its_decision_against_ninety_days():
    cases, facts, service = world()
    limits = {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
              "decide": 5, "deliver": 7, "execute": 15, "complete": 2}
    for case_id in ("CF1", "CF2"):
        cases.cases[case_id] = make_case(case_id, flow="penalty", step_limit_days=limits, status="deliver")
    opened = transition("CF1", 2, "dispatch", "submitted", "investigate", SUBMITTED)
    assert set(service.handle(CASE_TRANSITIONED, opened).fact.metrics) == {"received"}
    # 2 Nov + 90 days = 31 Jan 2027, a Sunday: due Monday 1 Feb (民法典 第二百零三条).
    in_time = transition("CF1", 9, "penalize", "decide", "deliver", datetime(2027, 2, 1, 10, tzinfo=CST))
    late = transition("CF2", 9, "no_penalty", "decide", "deliver", datetime(2027, 2, 2, 10, tzinfo=CST))
    assert set(service.handle(CASE_TRANSITIONED, in_time).fact.metrics) == {"penalties_decided", "penalties_decided_in_time"}
    assert service.handle(CASE_TRANSITIONED, late).fact.details["decision_due_on"] == "2027-02-01"
    assert counters(facts, month="2027-02") == {"penalties_decided": 2, "penalties_decided_in_time": 1}
    from sunlight.models.evaluation import Figures
    from sunlight.rules.scoring import indicator_values

    assert indicator_values(Figures(penalties_decided=2, penalties_decided_in_time=1), None).penalty_in_time_rate == 50.0


def test_a_case_accepted_again_after_supplement_is_received_once():
    _, facts, service = world()
    service.handle(CASE_TRANSITIONED, transition("SL2", 3, "accept", "accept", "handle", SUBMITTED))
    assert service.handle(CASE_TRANSITIONED, transition("SL2", 9, "accept", "accept", "handle", SUBMITTED)).result == "duplicate"
    assert counters(facts) == {"received": 1}


def test_rejection_counts_in_the_status_dimension_only():
    _, facts, service = world()
    service.handle(CASE_TRANSITIONED, transition("SL3", 3, "reject", "accept", "rejected", SUBMITTED))
    assert counters(facts) == {"closed_rejected": 1}


def test_facts_count_in_the_month_they_happened_on_city_time():
    _, facts, service = world()
    late_october_utc = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)  # 1 Nov 01:00 in Shanghai
    service.handle(CASE_TRANSITIONED, transition("SL4", 3, "accept", "accept", "handle", late_october_utc))
    assert counters(facts, "2026-11") == {"received": 1} and counters(facts, "2026-10") == {}


def card(level: str = "yellow", at: datetime = SUBMITTED) -> dict:
    return {"event_id": "SL1-2-yellow:issued", "department_id": "market", "warning_id": f"SL1-2-{level}",
            "case_id": "SL1", "level": level, "issued_at": at.isoformat(), "item_code": "420700-XK-0201"}


def revocation(level: str = "yellow", at: datetime = SUBMITTED) -> dict:
    return {**card(level, at), "event_id": "SL1-2-yellow:revoked", "revoked_at": (at + timedelta(days=40)).isoformat()}


def test_revocation_subtracts_from_the_month_of_issue_once():
    _, facts, service = world()
    assert service.handle(WARNING_ISSUED, card()).result == "counted"
    assert counters(facts) == {"yellow_cards": 1}
    assert service.handle(WARNING_REVOKED, revocation()).result == "revoked"
    assert service.handle(WARNING_REVOKED, revocation()).result == "duplicate"
    assert service.handle(WARNING_ISSUED, card()).result == "duplicate"  # redelivered after revocation
    assert counters(facts) == {}


def test_a_revocation_that_overtakes_its_card_keeps_the_card_from_counting():
    _, facts, service = world()
    assert service.handle(WARNING_REVOKED, revocation()).result == "revoked"
    assert service.handle(WARNING_ISSUED, card()).result == "duplicate"
    assert counters(facts) == {}


def test_reminders_and_unknown_detail_types_are_no_facts():
    _, facts, service = world()
    assert service.handle(WARNING_ISSUED, card("reminder")).result == "ignored"
    assert service.handle("CalendarChanged", {"anything": 1}).result == "ignored"
    assert facts.markers == {}


def test_other_facts_map_to_their_counters():
    _, facts, service = world()
    at = SUBMITTED.isoformat()
    service.handle("ComplaintFiled", {"event_id": "C1:filed", "department_id": "market", "complaint_id": "C1", "case_id": None, "filed_at": at})
    service.handle("ComplaintConcluded", {"event_id": "C1:concluded", "department_id": "market", "complaint_id": "C1",
                                          "case_id": None, "founded": True, "filed_at": at, "concluded_at": at})
    service.handle("SatisfactionRated", {"event_id": "SL1:rated", "department_id": "market", "case_id": "SL1",
                                         "item_code": "420700-XK-0201", "rating": 4, "rated_at": at})
    service.handle("SupervisionOrderIssued", {"event_id": "O1:issued", "department_id": "market", "order_id": "O1",
                                              "source_kind": "warning", "source_id": "W1", "issued_at": at, "due_at": at})
    service.handle("SupervisionOrderAnswered", {"event_id": "O1:answered", "department_id": "market", "order_id": "O1",
                                                "issued_at": at, "due_at": at, "answered_at": at, "working_days_to_answer": 3, "on_time": True})
    service.handle("SupervisionOrderConcluded", {"event_id": "O1:concluded", "department_id": "market", "order_id": "O1",
                                                 "conclusion": "corrected", "issued_at": at, "concluded_at": at})
    assert counters(facts) == {
        "complaints": 1, "complaints_concluded": 1, "complaints_founded": 1, "ratings": 1, "rating_sum": 4,
        "orders_issued": 1, "orders_answered": 1, "orders_answered_on_time": 1, "order_answer_days": 3,
        "orders_concluded": 1, "orders_founded": 1,
    }
    assert counters(facts, key="ITEM#market#420700-XK-0201") == {"ratings": 1, "rating_sum": 4}


# --- cards are published as facts ---------------------------------------------------------


def stored_card(warnings: InMemoryWarnings, level=WarningLevel.YELLOW) -> Warning:
    warning = Warning(warning_id=f"SL1-2-{level.value}", case_id="SL1", department_id="market", item_code="420700-XK-0201",
                      item_name="食品经营许可", step="handle", step_visit=2, level=level, title="t", message="m",
                      issued_at=SUBMITTED, recipients=("market#handler",))
    warnings.issue(warning)
    return warning


def test_revoking_a_card_publishes_warning_revoked_and_a_retry_publishes_the_same_id():
    warnings, events = InMemoryWarnings(), RecordingEvents()
    stored_card(warnings)
    cards = CardService(warnings=warnings, cases=InMemoryCases(), clock=FakeClock(), events=events)
    cards.act(CITY_INSPECTOR, "SL1-2-yellow", "revoke", "系统故障导致超期")
    assert [(t, d["event_id"], d["issued_at"]) for t, d, _ in events.published] == [
        (WARNING_REVOKED, "SL1-2-yellow:revoked", SUBMITTED.isoformat())]
    try:
        cards.act(CITY_INSPECTOR, "SL1-2-yellow", "revoke", "重试")
    except Exception as error:  # noqa: BLE001  (any error: its type is checked by name below)
        assert type(error).__name__ == "Conflict"
    assert [d["event_id"] for _, d, _ in events.published] == ["SL1-2-yellow:revoked"] * 2


def test_acknowledging_a_card_publishes_nothing():
    warnings, events = InMemoryWarnings(), RecordingEvents()
    stored_card(warnings)
    market_handler = Principal(user_id="h", name="李强", roles=frozenset({Role.HANDLER}), department_id="market")
    CardService(warnings=warnings, cases=InMemoryCases(), clock=FakeClock(), events=events).act(market_handler, "SL1-2-yellow", "acknowledge", None)
    assert events.published == []


def test_a_joint_cases_part_counts_for_its_co_department_on_time_but_not_as_a_case_of_its_own():
    # 并联审批: the co-department's part (its promised date is its opinion limit) counts in its
    # on-time figures; the case itself is received and closed once, by the lead department.
    cases, facts, service = world()
    part = make_case("SL1-ecology-1", parent_case_id="SL1", flow="joint", department_id="ecology",
                     department_name="市生态环境局", step_limit_days={"opinion": 3}, promised_limit_days=3,
                     legal_limit_days=3, promised_due_on=date(2026, 11, 5), accepted_at=SUBMITTED)
    cases.cases[part.case_id] = part
    late = transition(part.case_id, 2, "agree", "opinion", "completed", datetime(2026, 11, 6, 10, tzinfo=CST))
    late["department_id"] = "ecology"
    assert service.handle(CASE_TRANSITIONED, late).result == "counted"
    figures = counters(facts, key="DEPT#ecology")
    assert figures["completed"] == 1 and figures["overdue"] == 1
    assert "closed_completed" not in figures and "received" not in figures and "on_time" not in figures
