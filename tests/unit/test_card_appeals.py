"""Card appeals decided by a 监察局 (申诉处理): the timing rule, the WarningAppealDecided fact the
card service publishes, how the evaluation consumer counts it, and the bureau figures built from
it, against figures counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sunlight.models.catalog import Department
from sunlight.models.evaluation import Figures
from sunlight.models.evaluation_events import WARNING_APPEAL_DECIDED, WARNING_REVOKED, AppealOutcome, WarningAppealDecidedV1
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.models.roles import Principal, Role
from sunlight.models.warnings import Warning, WarningLevel
from sunlight.rules.card_appeals import APPEAL_DECISION_WORKING_DAYS, appeal_timing
from sunlight.rules.rollup import bureau_supervision, roll_up
from sunlight.services.cards import CardService
from sunlight.services.errors import Conflict, Forbidden
from sunlight.services.evaluation_facts import FactService
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeClock, InMemoryCases, WeekdayCalendar
from tests.fakes.catalog import InMemoryCatalogRepository
from tests.fakes.evaluation import InMemoryEvaluation
from tests.fakes.supervision import InMemoryWarnings

CST = timezone(timedelta(hours=8))
CITY, ECHENG, HUARONG = "420700", "420704", "420703"
FRIDAY = datetime(2026, 11, 20, 16, 0, tzinfo=CST)


class HolidayCalendar(WeekdayCalendar):
    """Monday to Friday, but Tuesday 24 November 2026 off (as a public holiday would be)."""

    def is_working_day(self, day) -> bool:
        return super().is_working_day(day) and day != date(2026, 11, 24)


def inspector(government: str, department: str | None = None) -> Principal:
    return Principal(user_id=f"i-{government}-{department}", name="监察员", roles=frozenset({Role.INSPECTOR}),
                     government_id=government, department_id=department)


def leader(department: str) -> Principal:
    return Principal(user_id=f"l-{department}", name="分管领导", roles=frozenset({Role.LEADER}), department_id=department)


# --- the timing rule (working days, like an order's days to answer) ------------------------


def test_the_limit_is_the_inspectors_unhandled_warning_limit_of_two_working_days():
    assert APPEAL_DECISION_WORKING_DAYS == 2


@pytest.mark.parametrize(("decided", "days", "on_time"), [
    (datetime(2026, 11, 20, 17, 0, tzinfo=CST), 0, True),  # the same Friday
    (datetime(2026, 11, 22, 10, 0, tzinfo=CST), 0, True),  # Sunday: no working day yet
    (datetime(2026, 11, 23, 9, 0, tzinfo=CST), 1, True),  # Monday
    (datetime(2026, 11, 24, 9, 0, tzinfo=CST), 1, True),  # the holiday counts no day
    (datetime(2026, 11, 25, 23, 59, tzinfo=CST), 2, True),  # Wednesday: the 2nd working day, its last minute
    (datetime(2026, 11, 26, 8, 30, tzinfo=CST), 3, False),  # Thursday: late
])
def test_working_days_to_decide_and_the_limit_skip_weekends_and_holidays(decided, days, on_time):
    timing = appeal_timing(FRIDAY, decided, HolidayCalendar())
    assert timing.due_at == datetime(2026, 11, 25, 23, 59, 59, tzinfo=CST)  # Mon 23 and Wed 25 (Tue 24 off)
    assert (timing.working_days_to_decide, timing.on_time) == (days, on_time)


# --- the card service publishes the decision ------------------------------------------------


def card_world(at: datetime = FRIDAY):
    catalog = InMemoryCatalogRepository(
        departments=[Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局", government_id=ECHENG),
                     Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容区市场监管局",
                                government_id=HUARONG)],
        governments=[Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
                     Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
                     Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY)],
    )
    warnings, events, clock = InMemoryWarnings(), RecordingEvents(), FakeClock(at)
    for department in ("echeng-market", "huarong-market"):
        warnings.issue(Warning(
            warning_id=f"{department}-SL1-2-yellow", case_id=f"{department}-SL1", department_id=department,
            item_code="420704-XK-0201", item_name="食品经营许可", step="handle", step_visit=2, level=WarningLevel.YELLOW,
            title="t", message="m", issued_at=at - timedelta(days=3), recipients=(f"{department}#handler",)))
    cards = CardService(warnings=warnings, cases=InMemoryCases(), clock=clock, events=events, catalog=catalog,
                        calendar=HolidayCalendar())
    return cards, events, clock


def decided(events: RecordingEvents) -> list[dict]:
    return [d for t, d, _ in events.published if t == WARNING_APPEAL_DECIDED]


def test_a_district_bureau_decides_its_own_departments_appeals_and_the_decision_is_published_after_the_write():
    cards, events, clock = card_world()
    card = "echeng-market-SL1-2-yellow"
    cards.act(leader("echeng-market"), card, "appeal", "系统故障")
    for outsider in (inspector(HUARONG), inspector(ECHENG, "echeng-market"), inspector("420799")):
        with pytest.raises(Forbidden):  # another district's, the department's own 监察室, an unknown level
            cards.act(outsider, card, "revoke", "撤销")
    assert decided(events) == []
    clock.advance(days=5, hours=1)  # Wednesday 25th, 17:00: the 2nd working day (Tuesday off)
    revoked = cards.act(inspector(ECHENG), card, "revoke", "情况属实")
    assert revoked.history[-1].actor_government_id == ECHENG
    assert [t for t, _, _ in events.published] == [WARNING_REVOKED, WARNING_APPEAL_DECIDED]
    assert decided(events) == [{
        "schema_version": "1.0", "event_id": f"{card}:appeal-decided", "department_id": "echeng-market", "warning_id": card,
        "case_id": "echeng-market-SL1", "level": "yellow", "department_government_id": ECHENG, "decided_by_government_id": ECHENG,
        "appealed_at": FRIDAY.isoformat(), "decided_at": (FRIDAY + timedelta(days=5, hours=1)).isoformat(),
        "due_at": datetime(2026, 11, 25, 23, 59, 59, tzinfo=CST).isoformat(), "outcome": "granted",
        "working_days_to_decide": 2, "on_time": True, "item_code": "420704-XK-0201",
    }]
    clock.advance(days=1)
    with pytest.raises(Conflict):  # a retry after a failed publish: the same fact, the same id
        cards.act(inspector(ECHENG), card, "revoke", "重试")
    assert decided(events)[0] == decided(events)[1]


def test_the_city_decides_any_appeal_and_a_rejection_is_published_as_the_card_standing():
    cards, events, clock = card_world()
    card = "huarong-market-SL1-2-yellow"
    cards.act(leader("huarong-market"), card, "appeal", "系统故障")
    clock.advance(days=6)  # Thursday 26th: 3 working days, past the limit
    cards.act(inspector(CITY), card, "uphold", "理由不成立")
    (fact,) = decided(events)
    assert (fact["outcome"], fact["decided_by_government_id"], fact["department_government_id"]) == ("rejected", CITY, HUARONG)
    assert (fact["working_days_to_decide"], fact["on_time"]) == (3, False)
    assert [t for t, _, _ in events.published] == [WARNING_APPEAL_DECIDED]  # the card stands: no revocation


def test_revoking_a_card_nobody_appealed_is_no_appeal_decision():
    cards, events, _ = card_world()
    cards.act(inspector(ECHENG), "echeng-market-SL1-2-yellow", "revoke", "误发")
    assert [t for t, _, _ in events.published] == [WARNING_REVOKED]


# --- the consumer counts it; the bureau figures are built from the counts -----------------------


def appeal(warning_id: str, department: str, decided_at: datetime, days: int, on_time: bool, outcome: str) -> dict:
    return WarningAppealDecidedV1(
        event_id=f"{warning_id}:appeal-decided", department_id=department, warning_id=warning_id, case_id="SL1",
        level="yellow", appealed_at=decided_at - timedelta(days=days), decided_at=decided_at, due_at=decided_at,
        outcome=AppealOutcome(outcome), working_days_to_decide=days, on_time=on_time, item_code="420704-XK-0201",
    ).model_dump(mode="json")


def test_the_consumer_counts_each_decision_once_in_its_department_and_the_month_it_was_decided():
    facts = InMemoryEvaluation()
    service = FactService(facts=facts, cases=InMemoryCases(), calendar=WeekdayCalendar())
    november = datetime(2026, 11, 30, 23, 30, tzinfo=CST)  # 15:30 UTC: still November in the city
    decisions = [appeal("W1", "echeng-market", november, 1, True, "granted"),
                 appeal("W2", "echeng-market", november, 4, False, "rejected"),
                 appeal("W3", "echeng-market", november + timedelta(hours=1), 2, True, "rejected")]  # December
    assert [service.handle(WARNING_APPEAL_DECIDED, d).result for d in decisions] == ["counted"] * 3
    assert service.handle(WARNING_APPEAL_DECIDED, decisions[0]).result == "duplicate"
    november_counts = {k: v for k, v in facts.counters[("2026-11", "DEPT#echeng-market")].items() if v}
    assert november_counts == {"appeals_decided": 2, "appeals_decided_on_time": 1, "appeal_decision_days": 5, "appeals_granted": 1}
    december_counts = {k: v for k, v in facts.counters[("2026-12", "DEPT#echeng-market")].items() if v}
    assert december_counts == {"appeals_decided": 1, "appeals_decided_on_time": 1, "appeal_decision_days": 2}
    assert facts.counters[("2026-11", "ITEM#echeng-market#420704-XK-0201")]["appeals_decided"] == 2


def test_bureau_figures_of_decided_appeals_against_figures_counted_by_hand():
    governments = {g.government_id: g for g in (
        Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
        Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY))}
    figures = {
        # 鄂城区: 3 appeals (days 0, 1, 4), 2 in time, 1 granted; 华容区 none; the city's own 1 (days 2)
        "echeng-market": Figures(appeals_decided=2, appeals_decided_on_time=2, appeal_decision_days=1, appeals_granted=1),
        "echeng-tax": Figures(appeals_decided=1, appeal_decision_days=4),
        "market": Figures(appeals_decided=1, appeals_decided_on_time=1, appeal_decision_days=2, appeals_granted=1),
    }
    rolled = {r.government_id: r for r in roll_up(
        governments, {"echeng-market": ECHENG, "echeng-tax": ECHENG, "market": CITY, "huarong-market": HUARONG}, figures)}
    echeng = bureau_supervision(rolled[ECHENG])
    assert (echeng.appeals_decided, echeng.appeals_decided_on_time, echeng.appeals_granted) == (3, 2, 1)
    assert (echeng.appeals_on_time_rate, echeng.avg_appeal_decision_days, echeng.appeals_granted_rate) == (66.67, 1.67, 33.33)
    huarong = bureau_supervision(rolled[HUARONG])
    assert (huarong.appeals_decided, huarong.appeals_on_time_rate, huarong.avg_appeal_decision_days, huarong.appeals_granted_rate) == (
        0, None, None, None)
    city = bureau_supervision(rolled[CITY])
    assert (city.appeals_decided, city.appeals_on_time_rate, city.avg_appeal_decision_days, city.appeals_granted_rate) == (
        4, 75.0, 1.75, 50.0)
