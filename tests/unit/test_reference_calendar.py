"""Our working-day calendar against an independent reference: the `chinese-calendar` package
(PyPI `chinesecalendar`, test-only), which transcribes the State Council's notices on its own.
Every date from 2018-01-01 to the last year with official 调休 data is compared (working or not),
and due dates of N working days from every start date, the reference counting with its own
`find_workday`. The counts are printed (pytest -s) for the record."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import chinese_calendar
import pytest

from sunlight.rules.deadlines import PausedDates, due_on
from sunlight.rules.workdays import CityCalendar, add_calendar_days, add_working_days, national_adjusted_workdays

FIRST = date(2018, 1, 1)
SAMPLE_LIMITS = (1, 2, 5, 20, 45)


def last_official_year() -> int:
    year = FIRST.year
    while national_adjusted_workdays(year + 1):
        year += 1
    return year


LAST = date(last_official_year(), 12, 31)


def every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_the_official_years_reach_at_least_2026():
    assert LAST >= date(2026, 12, 31)


def test_every_day_is_classed_as_the_reference_classes_it():
    calendar = CityCalendar()
    compared = 0
    disagreements = []
    for day in every_day(FIRST, LAST):
        compared += 1
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
    print(f"\nday classes: {compared} dates compared {FIRST}..{LAST}, {len(disagreements)} disagreements")
    assert compared == (LAST - FIRST).days + 1 and disagreements == []


def test_due_dates_agree_with_the_reference_for_every_start_date():
    calendar = CityCalendar()
    last_start = LAST - timedelta(days=120)  # the reference knows nothing beyond LAST
    compared = 0
    disagreements = []
    for start in every_day(FIRST, last_start):
        for days in SAMPLE_LIMITS:
            compared += 1
            reference = chinese_calendar.find_workday(days - 1, start + timedelta(days=1))
            if add_working_days(start, days, calendar) != reference:
                disagreements.append((start, days))
    print(f"\ndue dates: {compared} compared (N in {SAMPLE_LIMITS}), {len(disagreements)} disagreements")
    assert disagreements == []


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # 民法典 第二百零一条: the day of receipt is not counted. Received on Friday 2024-09-27
        # (before 国庆): 1 working day → Sunday 29 Sep, an adjusted working day (调休).
        (date(2024, 9, 27), 1, date(2024, 9, 29)),
        # Received on the last day before the 2025 Spring Festival break: 1 working day → 5 Feb.
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        # 行政许可法 第四十二条: 20 working days from 受理 on Monday 2026-09-28, across 国庆.
        (date(2026, 9, 28), 20, chinese_calendar.find_workday(19, date(2026, 9, 29))),
    ],
)
def test_working_day_limits_start_the_next_day(received, days, due):
    assert add_working_days(received, days, CityCalendar()) == due


def test_a_working_day_limit_received_late_in_the_day_still_starts_the_next_day():
    cst = timezone(timedelta(hours=8))
    late = datetime(2026, 3, 2, 23, 30, tzinfo=cst)  # Monday, half past eleven at night
    assert due_on(late, 1, extra_days=0, calendar=CityCalendar(), paused=PausedDates()) == date(2026, 3, 3)


@pytest.mark.parametrize(
    ("start", "days", "last_day"),
    [
        # 民法典 第二百零三条: a calendar-day period ending on a holiday ends the day after it.
        # 15 days from 2024-09-16 end on 1 Oct (国庆) → the first working day after, Tue 8 Oct.
        (date(2024, 9, 16), 15, date(2024, 10, 8)),
        # ... ending on a Sunday → Monday.
        (date(2026, 3, 7), 15, date(2026, 3, 23)),
        # ... ending on an adjusted working Sunday (调休) is not extended: Sunday 2026-09-20 was worked.
        (date(2026, 9, 5), 15, date(2026, 9, 20)),
        # ... ending on a working day stays.
        (date(2026, 3, 2), 15, date(2026, 3, 17)),
    ],
)
def test_calendar_day_periods_ending_on_a_holiday_extend(start, days, last_day):
    assert add_calendar_days(start, days, CityCalendar()) == last_day
    assert chinese_calendar.is_workday(last_day)


def test_the_reference_is_a_test_dependency_only():
    """`make test` installs it (the dev extra); the Lambda layer (project dependencies, built by
    infra/build_deps_layer.py) never carries it."""
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert any(d.startswith("chinesecalendar==") for d in project["optional-dependencies"]["dev"])
    assert not any("chinese" in d for d in project["dependencies"])
