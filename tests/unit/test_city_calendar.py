"""The city calendar: national calendar plus the city's own days, and which years can be trusted."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from sunlight.rules.workdays import (
    ChinaCalendar,
    CityCalendar,
    add_working_days,
    national_adjusted_workdays,
    national_holidays,
    year_is_trusted,
)

TYPHOON_DAY = date(2026, 9, 15)  # a Tuesday
EXTRA_SATURDAY = date(2026, 11, 28)


def test_without_overrides_the_city_calendar_is_the_national_one():
    city, china = CityCalendar({}), ChinaCalendar()
    for day in (date(2026, 10, 1), date(2026, 10, 10), date(2026, 2, 14), date(2026, 11, 23), date(2026, 11, 22)):
        assert city.is_working_day(day) is china.is_working_day(day)


def test_a_typhoon_closure_on_a_workday_is_a_day_off():
    city = CityCalendar({TYPHOON_DAY: False})
    assert ChinaCalendar().is_working_day(TYPHOON_DAY)
    assert not city.is_working_day(TYPHOON_DAY)
    assert city.base_is_working_day(TYPHOON_DAY)
    # Mon 14 Sep + 1 working day is Wed 16 Sep, not Tue 15 Sep.
    assert add_working_days(date(2026, 9, 14), 1, city) == date(2026, 9, 16)
    assert add_working_days(date(2026, 9, 14), 1, ChinaCalendar()) == date(2026, 9, 15)


def test_an_extra_working_saturday_is_a_working_day():
    city = CityCalendar({EXTRA_SATURDAY: True})
    assert not ChinaCalendar().is_working_day(EXTRA_SATURDAY)
    assert city.is_working_day(EXTRA_SATURDAY)
    # Fri 27 Nov + 1 working day is Sat 28 Nov instead of Mon 30 Nov.
    assert add_working_days(date(2026, 11, 27), 1, city) == EXTRA_SATURDAY


def test_an_override_wins_over_an_adjusted_workday_and_a_holiday():
    adjusted_sunday, national_day = date(2026, 9, 20), date(2026, 10, 1)
    city = CityCalendar({adjusted_sunday: False, national_day: True})
    assert ChinaCalendar().is_working_day(adjusted_sunday) and not city.is_working_day(adjusted_sunday)
    assert not ChinaCalendar().is_working_day(national_day) and city.is_working_day(national_day)


def test_the_overrides_are_a_copy():
    overrides = {TYPHOON_DAY: False}
    city = CityCalendar(overrides)
    overrides[TYPHOON_DAY] = True
    city.overrides[TYPHOON_DAY] = True
    assert not city.is_working_day(TYPHOON_DAY)


def test_a_custom_base_calendar():
    class EveryDay:
        def is_working_day(self, day: date) -> bool:
            return True

    city = CityCalendar({TYPHOON_DAY: False}, base=EveryDay())
    assert city.is_working_day(date(2026, 10, 1)) and not city.is_working_day(TYPHOON_DAY)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_years_with_national_adjusted_workdays_are_trusted(year):
    assert national_adjusted_workdays(year) and all(d.year == year and d.weekday() >= 5 for d in national_adjusted_workdays(year))
    assert year_is_trusted(year, confirmed_years=())


def test_2027_is_not_trusted_until_the_city_confirms_it():
    assert national_adjusted_workdays(2027) == []
    assert national_holidays(2027)  # the package still returns rule-based holidays, silently
    assert not year_is_trusted(2027, confirmed_years=())
    assert not year_is_trusted(2027, confirmed_years={2026, 2028})
    assert year_is_trusted(2027, confirmed_years={2027})


def test_national_holidays_of_a_year():
    holidays_2026 = national_holidays(2026)
    assert date(2026, 10, 1) in holidays_2026 and all(d.year == 2026 for d in holidays_2026)
    assert date(2026, 2, 14) in national_adjusted_workdays(2026)


def test_importing_the_rules_does_not_import_holidays():
    code = "import sys, sunlight.rules.workdays, sunlight.models.calendar; assert 'holidays' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
