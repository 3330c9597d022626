"""Limits in both units (工作日 / 自然日) against the law's examples and the official 2026 calendar.

The expected dates are worked out by hand from the State Council's notice on the 2026 holidays
(国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04), not from the code:
- 元旦 1 Jan–3 Jan off, Sun 4 Jan worked; 春节 15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked;
- 劳动节 1–5 May off, Sat 9 May worked; 中秋 25–27 Sep off;
- 国庆 Thu 1 Oct–Wed 7 Oct off, Sun 20 Sep and Sat 10 Oct worked.
How a period counts: 民法典 第二百零一条 (from the next day), 第二百零三条 (a calendar-day period whose
last day is a holiday ends on the next working day), 行政处罚法 第八十五条 (二日、三日、五日、七日 are
working days, the others calendar days), 行政许可法 第三十四条 (即办件: the day of receipt).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from pydantic import ValidationError

from sunlight.models.case import Applicant, Case, CaseStatus
from sunlight.models.catalog import CatalogItem
from sunlight.models.clock import Extension, ExtensionStatus, LimitStart, LimitUnit, Pause, PauseReason, WarningRules
from sunlight.models.flow import Step
from sunlight.models.reference import reference_data
from sunlight.rules.deadlines import PausedDates, due_on, warning_times
from sunlight.rules.due_status import clock_reading, due_fields
from sunlight.rules.workdays import CityCalendar, add_calendar_days
from sunlight.services.clock import recompute_clock

CST = timezone(timedelta(hours=8))
WORKING = LimitUnit.WORKING_DAYS
CALENDAR = LimitUnit.CALENDAR_DAYS


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CST)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=CST)


def due(start: date, days: int, unit: LimitUnit, pauses: tuple[Pause, ...] = (), now: date | None = None) -> date:
    paused = PausedDates.of(pauses, now=at(now or start))
    return due_on(at(start), days, extra_days=0, calendar=CityCalendar(), paused=paused, unit=unit)


# --- 行政处罚法 第八十五条: the same number of days, two units -------------------------------------


def test_five_days_to_ask_for_a_hearing_are_working_days_across_national_day():
    # 第六十四条: the party asks within 5 days of the prior notice, delivered Tue 29 Sep 2026.
    # Working days after it: Wed 30 Sep (1); 1–7 Oct off; Thu 8 (2), Fri 9 (3), Sat 10 Oct (4,
    # worked), Mon 12 Oct (5).
    assert due(date(2026, 9, 29), 5, WORKING) == date(2026, 10, 12)
    # Counted as calendar days the same 5 would end on Sun 4 Oct, a holiday → Thu 8 Oct.
    assert due(date(2026, 9, 29), 5, CALENDAR) == date(2026, 10, 8)


def test_fifteen_days_to_pay_a_fine_are_calendar_days_and_a_last_day_in_the_holiday_moves_after_it():
    # 第六十七条: 15 days from receipt of the decision on Wed 16 Sep: the 15th day is Thu 1 Oct,
    # 国庆 → the period ends on the day after the holiday, Thu 8 Oct (民法典 第二百零三条).
    assert due(date(2026, 9, 16), 15, CALENDAR) == date(2026, 10, 8)
    assert add_calendar_days(date(2026, 9, 16), 15, CityCalendar()) == date(2026, 10, 8)
    # Received Mon 21 Sep: the 15th day is Tue 6 Oct, still in the holiday → Thu 8 Oct.
    assert due(date(2026, 9, 21), 15, CALENDAR) == date(2026, 10, 8)
    # Received Fri 4 Sep: the 15th day is Sat 19 Sep, a rest day → Sun 20 Sep, a make-up working day.
    assert due(date(2026, 9, 4), 15, CALENDAR) == date(2026, 9, 20)
    # Received Wed 2 Sep: the 15th day is Thu 17 Sep, a working day: it stays.
    assert due(date(2026, 9, 2), 15, CALENDAR) == date(2026, 9, 17)
    # In working days the same 15 from Wed 16 Sep: 17, 18, Sun 20 (worked), 21–24 (7); 中秋 25–27
    # off; 28–30 Sep (10); 8, 9, Sat 10 Oct (worked), 12, 13 Oct (15) → Tue 13 Oct.
    assert due(date(2026, 9, 16), 15, WORKING) == date(2026, 10, 13)


@pytest.mark.parametrize(
    ("registered", "decided_by"),
    [
        (date(2026, 7, 1), date(2026, 9, 29)),  # 30 July + 31 August + 29 September days: Tue 29 Sep
        (date(2026, 7, 4), date(2026, 10, 8)),  # the 90th day is Fri 2 Oct (国庆) → Thu 8 Oct
    ],
)
def test_a_penalty_is_decided_within_ninety_calendar_days_of_registration(registered, decided_by):
    # 第六十条: 90 days from 立案; the case's legal limit counts from registration.
    case = recompute_clock(penalty_case(at(registered, 15)), now=at(registered, 16), calendar=CityCalendar())
    assert case.legal_due_on == decided_by
    assert case.counting_start == at(registered, 15)


def test_a_licence_is_decided_within_twenty_working_days_of_acceptance():
    # 行政许可法 第四十二条: 受理 on Mon 28 Sep 2026: 29, 30 Sep (2), 8, 9, 10 (Sat, worked), 12–16,
    # 19–23, 26–30 Oct (20) → Fri 30 Oct.
    assert due(date(2026, 9, 28), 20, WORKING) == date(2026, 10, 30)
    received = at(date(2026, 9, 25), 9)  # received the Friday before, accepted on Monday
    case = licence_case(submitted_at=received, accepted_at=at(date(2026, 9, 28), 9), legal_limit_days=20)
    assert recompute_clock(case, now=at(date(2026, 9, 28), 11), calendar=CityCalendar()).legal_due_on == date(2026, 10, 30)


# --- 即办件: a limit of 0 days ------------------------------------------------------------------


@pytest.mark.parametrize("unit", [WORKING, CALENDAR])
@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        (date(2026, 11, 24), date(2026, 11, 24)),  # a Tuesday: that day
        (date(2026, 11, 28), date(2026, 11, 30)),  # a Saturday: the end of Monday
        (date(2026, 9, 19), date(2026, 9, 20)),  # Saturday before the make-up working Sunday 20 Sep
        (date(2026, 2, 14), date(2026, 2, 14)),  # a make-up working Saturday itself
        (date(2026, 10, 3), date(2026, 10, 8)),  # in 国庆: the first working day after it
    ],
)
def test_a_zero_day_limit_ends_on_the_day_of_receipt_or_the_next_working_day(unit, received, due_day):
    assert due(received, 0, unit) == due_day


def test_an_instant_case_received_on_saturday_is_due_and_yellow_after_monday():
    saturday = date(2026, 11, 28)
    case = licence_case(
        submitted_at=at(saturday, 10), status=CaseStatus.ACCEPT, step=Step.ACCEPT, step_started_at=at(saturday, 10),
        step_limit_days={**STEPS, Step.ACCEPT: 0}, promised_limit_days=0, legal_limit_days=20,
        promised_due_on=saturday, legal_due_on=saturday,
    )
    case = recompute_clock(case, now=at(saturday, 11), calendar=CityCalendar())
    assert case.step_due_at == end_of(date(2026, 11, 30))
    assert case.promised_due_on == date(2026, 11, 30)


# --- pauses and extensions, in the limit's own unit -----------------------------------------


SUPPLEMENT_5_TO_10_MARCH = (
    Pause(reason=PauseReason.SUPPLEMENT, step=Step.ACCEPT, started_at=at(date(2026, 3, 5)), ended_at=at(date(2026, 3, 10))),
)


def test_a_pause_removes_calendar_days_from_a_calendar_day_limit():
    # 15 calendar days from Mon 2 Mar: Tue 17 Mar. The pause covers 5–9 Mar (5 days, a weekend
    # among them): 15 days end on Sun 22 Mar → the next working day, Mon 23 Mar.
    assert due(date(2026, 3, 2), 15, CALENDAR) == date(2026, 3, 17)
    assert due(date(2026, 3, 2), 15, CALENDAR, SUPPLEMENT_5_TO_10_MARCH, now=date(2026, 3, 12)) == date(2026, 3, 23)


def test_a_pause_removes_only_working_days_from_a_working_day_limit():
    # 15 working days from Mon 2 Mar: Mon 23 Mar. The pause covers the working days 5, 6 and 9 Mar:
    # three more → Thu 26 Mar.
    assert due(date(2026, 3, 2), 15, WORKING) == date(2026, 3, 23)
    assert due(date(2026, 3, 2), 15, WORKING, SUPPLEMENT_5_TO_10_MARCH, now=date(2026, 3, 12)) == date(2026, 3, 26)


def test_a_case_pause_and_an_extension_count_in_each_limits_unit():
    case = licence_case(
        submitted_at=at(date(2026, 3, 2), 9), accepted_at=at(date(2026, 3, 2), 9),
        promised_limit_days=15, promised_limit_unit=CALENDAR, legal_limit_days=15, legal_limit_unit=WORKING,
        pauses=SUPPLEMENT_5_TO_10_MARCH,
        extensions=(Extension(extension_id=1, days=5, reason="需现场核查", requested_by="h-1", requested_at=at(date(2026, 3, 11)),
                              status=ExtensionStatus.APPROVED, decided_by="l-1", decided_at=at(date(2026, 3, 11))),),
    )
    case = recompute_clock(case, now=at(date(2026, 3, 12)), calendar=CityCalendar())
    # Calendar: 20 days, 5 paused: 2 Mar + 25 days = Fri 27 Mar. Working: 20 working days and 3
    # paused: 23 working days after 2 Mar = Thu 2 Apr.
    assert case.promised_due_on == date(2026, 3, 27)
    assert case.legal_due_on == date(2026, 4, 2)


# --- warnings and readings in the unit ------------------------------------------------------


def test_the_reminder_counts_back_in_the_limits_unit_and_the_red_card_in_working_days():
    rules = WarningRules(reminder_working_days=2, supervision_working_days=2)
    due_day = date(2026, 3, 23)  # a Monday
    calendar_times = warning_times(due_day, rules, CityCalendar(), unit=CALENDAR)
    working_times = warning_times(due_day, rules, CityCalendar(), unit=WORKING)
    assert calendar_times.reminder_at == at(date(2026, 3, 22), 0)  # the last 2 calendar days: Sun and Mon
    assert working_times.reminder_at == at(date(2026, 3, 20), 0)  # the last 2 working days: Fri and Mon
    assert calendar_times.red_at == working_times.red_at == end_of(date(2026, 3, 25)) + timedelta(seconds=1)


def test_a_calendar_day_step_reads_its_time_left_in_calendar_days():
    started = at(date(2026, 9, 29), 9)
    case = penalty_case(started, status=CaseStatus.HANDLE, step=Step.HANDLE, step_started_at=started,
                        step_limit_days={**STEPS, Step.HANDLE: 15}, step_limit_units={Step.HANDLE: CALENDAR})
    case = recompute_clock(case, now=started, calendar=CityCalendar())
    assert case.step_due_at == end_of(date(2026, 10, 14))  # 14 Oct, a Wednesday
    now = at(date(2026, 10, 9), 9)  # Fri 9 Oct: 5 calendar days left (10–14 Oct), 4 working days (10, 12, 13, 14)
    fields = due_fields(case, now, CityCalendar())
    assert (fields["remaining_days"], fields["remaining_unit"], fields["remaining_working_days"]) == (5, CALENDAR, 4)
    step = next(limit for limit in clock_reading(case, now, CityCalendar()).limits if limit.kind == "step")
    assert (step.unit, step.used_days, step.remaining_days) == (CALENDAR, 10, 5)
    assert (step.used_working_days, step.remaining_working_days) == (3, 4)  # 30 Sep, 8 and 9 Oct


def test_a_calendar_day_limit_into_an_unannounced_year_marks_the_case_unconfirmed():
    # The State Council's notice on the 2027 holidays is not in the calendar data (no 调休 known), so
    # only what the law fixes is asserted: 15 days from Thu 17 Dec 2026 end on Fri 1 Jan 2027, 元旦, a
    # statutory holiday every year (全国年节及纪念日放假办法) → later than that day; and the case says
    # its dates may be wrong (日历未确认) until an administrator confirms 2027.
    registered = at(date(2026, 12, 17), 9)
    case = recompute_clock(penalty_case(registered, legal_limit_days=15), now=registered, calendar=CityCalendar())
    assert case.legal_due_on > date(2027, 1, 1) and case.calendar_unconfirmed
    with_2027 = CityCalendar(confirmed_years={2027})
    assert not recompute_clock(penalty_case(registered, legal_limit_days=15), now=registered, calendar=with_2027).calendar_unconfirmed


# --- the catalog and the reference data -----------------------------------------------------


STEPS = {Step.ACCEPT: 1, Step.HANDLE: 4, Step.REVIEW: 2, Step.APPROVE: 2, Step.COMPLETE: 1}
ITEM_FIELDS = dict(
    item_code="330100-CF-0001", name="食品安全违法行为行政处罚", category="行政处罚", department_id="market",
    legal_basis="《中华人民共和国行政处罚法》第六十条", conditions="发现违法行为依法立案",
    materials=[{"material_id": "record", "name": "立案审批表"}], legal_limit_days=90, promised_limit_days=60,
    step_limit_days=STEPS,
)


def test_an_item_without_units_counts_working_days_from_acceptance():
    item = CatalogItem(**ITEM_FIELDS)
    assert (item.legal_limit_unit, item.promised_limit_unit, item.step_limit_units) == (WORKING, WORKING, {})
    assert item.step_limit_unit(Step.HANDLE) is WORKING and item.limit_starts_at is LimitStart.ACCEPTANCE


def test_the_step_sum_check_compares_only_limits_of_the_same_unit():
    # 10 promised working days; 承办 15 calendar days is not added to the working-day steps (7 ≤ 10).
    CatalogItem(**ITEM_FIELDS | {"promised_limit_days": 10, "step_limit_days": {**STEPS, Step.HANDLE: 15},
                                 "step_limit_units": {Step.HANDLE: CALENDAR}})
    with pytest.raises(ValidationError, match="各环节时限之和不能超过承诺时限"):
        CatalogItem(**ITEM_FIELDS | {"promised_limit_days": 10, "step_limit_days": {**STEPS, Step.HANDLE: 15}})
    # Working-day steps alone over a working-day promise are refused even beside a calendar-day step.
    with pytest.raises(ValidationError, match="各环节时限之和不能超过承诺时限"):
        CatalogItem(**ITEM_FIELDS | {"promised_limit_days": 10, "step_limit_days": {**STEPS, Step.HANDLE: 8, Step.REVIEW: 15},
                                     "step_limit_units": {Step.REVIEW: CALENDAR}})
    # Promised 60 calendar days within a legal limit of 50 working days: different units, accepted.
    CatalogItem(**ITEM_FIELDS | {"legal_limit_days": 50, "promised_limit_unit": CALENDAR})
    with pytest.raises(ValidationError, match="承诺时限不能超过法定时限"):
        CatalogItem(**ITEM_FIELDS | {"legal_limit_days": 50})


def test_a_unit_for_a_step_without_a_limit_is_refused():
    with pytest.raises(ValidationError, match="只能为有时限的环节设置时限单位"):
        CatalogItem(**ITEM_FIELDS | {"step_limit_units": {Step.SUPPLEMENT: CALENDAR}})


def test_the_reference_data_names_the_units_and_start_events():
    data = reference_data()
    assert [(u.value, u.label) for u in data.limit_units] == [(WORKING, "工作日"), (CALENDAR, "自然日")]
    assert [(s.value, s.label) for s in data.limit_starts] == [
        (LimitStart.RECEIPT, "收件"), (LimitStart.ACCEPTANCE, "受理"), (LimitStart.REGISTRATION, "立案"),
    ]


# --- helpers ------------------------------------------------------------------------------------


def licence_case(**overrides) -> Case:
    submitted = overrides.get("submitted_at", at(date(2026, 3, 2), 9))
    fields = dict(
        case_id="SL20260302000001", query_code="246810", item_code="330100-XK-0001", item_name="食品经营许可",
        department_id="market", department_name="市市场监督管理局",
        applicant=Applicant(name="李华", id_type="resident_id", id_number="11010519491231002X", phone="13800138000"),
        applicant_user_id="citizen-1", form={}, status=CaseStatus.SUBMITTED, step_limit_days=STEPS,
        promised_limit_days=10, legal_limit_days=20, promised_due_on=submitted.date(), legal_due_on=submitted.date(),
        submitted_at=submitted, updated_at=submitted,
    )
    return Case(**fields | overrides)


def penalty_case(registered: datetime, **overrides) -> Case:
    """A penalty case registered (立案) at `registered`: 90 calendar days from registration."""
    return licence_case(**{
        "submitted_at": registered, "updated_at": registered, "item_code": "330100-CF-0001",
        "legal_limit_days": 90, "legal_limit_unit": CALENDAR, "promised_limit_days": 60, "promised_limit_unit": CALENDAR,
        "limit_starts_at": LimitStart.REGISTRATION, "promised_due_on": registered.date(), "legal_due_on": registered.date(),
    } | overrides)


def test_an_application_carries_the_items_units_and_its_due_dates_count_in_them(world):
    from tests.unit.conftest import ITEM

    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={
        "promised_limit_unit": CALENDAR, "legal_limit_unit": CALENDAR, "limit_starts_at": LimitStart.RECEIPT,
        "step_limit_units": {Step.HANDLE: CALENDAR},
    })
    case = world.cases.get(world.submitted_case())  # Mon 23 Nov 2026, a Monday-to-Friday calendar
    assert (case.promised_limit_unit, case.legal_limit_unit, case.limit_starts_at) == (CALENDAR, CALENDAR, LimitStart.RECEIPT)
    assert case.step_limit_unit(Step.HANDLE) is CALENDAR and case.step_limit_unit(Step.REVIEW) is WORKING
    assert case.promised_due_on == date(2026, 12, 3)  # 10 days: Thu 3 Dec (10 working days: Mon 7 Dec)
    assert case.legal_due_on == date(2026, 12, 14)  # 20 days: Sun 13 Dec, a rest day → Mon 14 Dec


@pytest.mark.parametrize(("start", "legal_due"), [(LimitStart.ACCEPTANCE, date(2026, 10, 30)), (LimitStart.RECEIPT, date(2026, 10, 29))])
def test_the_case_limits_count_from_the_items_start_event(start, legal_due):
    # Received Fri 25 Sep, accepted Mon 28 Sep, 20 working days: from 受理 Fri 30 Oct; from 收件 the
    # count starts on Mon 28 Sep itself → Thu 29 Oct.
    case = licence_case(submitted_at=at(date(2026, 9, 25), 9), accepted_at=at(date(2026, 9, 28), 9),
                        legal_limit_days=20, limit_starts_at=start)
    assert recompute_clock(case, now=at(date(2026, 9, 28), 11), calendar=CityCalendar()).legal_due_on == legal_due


def test_a_calendar_day_step_is_carded_after_its_own_due_day(world):
    """承办 of 6 calendar days entered Mon 23 Nov (a Monday-to-Friday calendar): the 6th day is Sun 29
    Nov → due Mon 30 Nov; as 6 working days it would run to Tue 1 Dec."""
    from pydantic import TypeAdapter

    from sunlight.models.requests import StaffAction
    from tests.unit.conftest import ITEM, WINDOW

    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={
        "step_limit_days": {**ITEM.step_limit_days, Step.HANDLE: 6}, "step_limit_units": {Step.HANDLE: CALENDAR},
    })
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.staff.act(WINDOW, case_id, TypeAdapter(StaffAction).validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    case = world.cases.get(case_id)
    assert case.step_due_at == end_of(date(2026, 11, 30))
    assert case.step_reminder_at == at(date(2026, 11, 30), 0)  # the last calendar day (reminder: 1 day)
    world.deadlines.sweep(at(date(2026, 12, 1), 0) + timedelta(seconds=1))
    assert [w.level.value for w in world.warnings.for_case(case_id) if w.rule == "time_limit"] == ["reminder", "yellow"]


def test_the_disclosure_check_does_not_weigh_days_of_different_units_against_each_other():
    from sunlight.rules.scoring import disclosure_checks

    mixed = CatalogItem(**ITEM_FIELDS | {"legal_limit_days": 50, "promised_limit_unit": CALENDAR})  # 60 自然日 / 50 工作日
    assert disclosure_checks(mixed)["limits"]
    assert disclosure_checks(CatalogItem(**ITEM_FIELDS))["limits"]


@pytest.mark.parametrize(("days", "unit"), [(2, WORKING), (3, WORKING), (5, WORKING), (7, WORKING),
                                            (15, CALENDAR), (60, CALENDAR), (90, CALENDAR), (10, CALENDAR)])
def test_the_penalty_laws_periods_take_the_unit_of_article_85(days, unit):
    from sunlight.rules.deadlines import penalty_law_unit

    assert penalty_law_unit(days) is unit


def test_the_public_catalog_listing_carries_the_units():
    from sunlight.models.catalog import CatalogItemSummary

    summary = CatalogItemSummary.of(CatalogItem(**ITEM_FIELDS | {"legal_limit_unit": CALENDAR}), "市市场监督管理局")
    assert (summary.legal_limit_unit, summary.promised_limit_unit) == (CALENDAR, WORKING)
