"""The working-day clock on the Chinese calendar (public holidays off, adjusted workdays on).

Time limits in the Administrative Licensing Law are counted in working days from the day after
receipt; a limit of N days ends at the close of the N-th working day after the start date.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "CST")  # no daylight saving in China
END_OF_DAY = time(23, 59, 59)


class WorkingCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...


class ChinaCalendar:
    """The `holidays` package's China calendar (with 调休 adjusted workdays), loaded lazily."""

    def is_working_day(self, day: date) -> bool:
        return _china_holidays(day.year).is_working_day(day)


@lru_cache(maxsize=16)
def _china_holidays(year: int):
    import holidays  # imported on first use: keeps cold starts of handlers that never count days fast

    return holidays.China(years=year)


# --- the city calendar: national calendar plus the city's own days --------------------------


class CityCalendar:
    """The national calendar with the city's overrides on top (an override always wins).

    An override marks one day as working (an extra working Saturday, a 调休 day the holidays
    package does not know yet) or as not working (a typhoon closure, a local holiday).
    """

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, base: WorkingCalendar | None = None,
        confirmed_years: Collection[int] = (),
    ) -> None:
        self._overrides = dict(overrides or {})
        self._base = base if base is not None else ChinaCalendar()
        self._confirmed_years = frozenset(confirmed_years)

    def year_confirmed(self, year: int) -> bool:
        """Whether the year's working days are known: official 调休 data, or an administrator's
        confirmation (see `year_is_trusted`)."""
        return year_is_trusted(year, self._confirmed_years)

    @property
    def overrides(self) -> Mapping[date, bool]:
        return dict(self._overrides)

    def is_working_day(self, day: date) -> bool:
        override = self._overrides.get(day)
        return self._base.is_working_day(day) if override is None else override

    def base_is_working_day(self, day: date) -> bool:
        """What the national calendar alone says."""
        return self._base.is_working_day(day)


def national_adjusted_workdays(year: int) -> list[date]:
    """The weekend days the holidays package knows as working days (调休) in `year`.

    The package's `weekend_workdays` is not limited to the requested year, hence the filter.
    """
    return sorted(day for day in _china_holidays(year).weekend_workdays if day.year == year)


def national_holidays(year: int) -> dict[date, str]:
    """The public holidays the holidays package knows in `year`, with their (English) names."""
    calendar = _china_holidays(year)
    return {day: calendar[day] for day in sorted(calendar) if day.year == year}


def year_is_trusted(year: int, confirmed_years: Collection[int]) -> bool:
    """Whether deadlines in `year` can be counted without warning anyone.

    The holidays package computes a year's public holidays by rule even when the State Council
    has not published (or the package has not yet recorded) that year's schedule; the 调休
    adjusted workdays cannot be computed by rule, so a year without any is not trusted unless
    the city has entered and confirmed it.
    """
    return year in confirmed_years or bool(national_adjusted_workdays(year))


def local_date(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def add_working_days(start: date, days: int, calendar: WorkingCalendar) -> date:
    """The date on which a limit of `days` working days, counted from the day after `start`, ends."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def add_calendar_days(start: date, days: int, calendar: WorkingCalendar) -> date:
    """The last day of a period of `days` calendar days from the day after `start`
    (民法典 第二百零一条); if it is not a working day (a statutory holiday or rest day), the period
    ends on the next working day (民法典 第二百零三条). For limits counted in calendar days, e.g.
    the 15-day, 60-day and 90-day periods of 行政处罚法 (第八十五条). A period of 0 days ends on
    `start` if it is a working day, else on the next one (as rules/deadlines.py counts it)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start + timedelta(days=days)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_at_end_of(day: date) -> datetime:
    """The last second of `day` in China time, as an aware datetime."""
    return datetime.combine(day, END_OF_DAY, tzinfo=CHINA_TZ)


def due_after(moment: datetime, days: int, calendar: WorkingCalendar) -> datetime:
    return due_at_end_of(add_working_days(local_date(moment), days, calendar))


def subtract_working_days(end: date, days: int, calendar: WorkingCalendar) -> date:
    """The working day that is `days` working days before `end` (itself if `days` is 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = end
    remaining = days
    while remaining:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days d with start <= d < end."""
    count = 0
    day = start
    while day < end:
        if calendar.is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ)
