"""Deadlines and warning times, as plain functions of the calendar and the pause ledger.

How a limit of N days is counted (see README, "How time is counted"); each limit has its unit
(models/clock.py LimitUnit):
- 民法典 第二百零一条: the day the period starts (receipt, 受理, 立案, entering a step) is not counted;
  counting starts the next day.
- Working days (工作日): the licensing law's limits (行政许可法 第八十二条) and the penalty law's 二日、三日、
  五日、七日 (行政处罚法 第八十五条) count the city calendar's working days.
- Calendar days (自然日): the penalty law's other periods count every day; if the last day is not a
  working day (a statutory holiday or a rest day), the period ends on the next working day
  (民法典 第二百零三条).
- A limit of 0 days (即办件, 行政许可法 第三十四条) ends at the end of the start day if it is a
  working day, else at the end of the next working day.
- 行政许可法 第四十五条: days of a special procedure (and of 补正) are not counted. A pause covers
  the dates from the day it starts (inclusive) to the day it ends (exclusive); an open pause runs
  to today. The days it removes are only the days the clock would otherwise have counted, in the
  limit's own unit (a calendar-day limit loses every day the pause covers, a working-day limit only
  its working days): the counted days inside the *union* of the pause intervals that fall after the
  start day and before the deadline was reached. So a pause starting on the start day does not
  remove that day (it was never counted), overlapping pauses remove a day once, and a pause started
  after the deadline had run out removes nothing (it neither moves the due date nor postpones the cards).
- Approved extensions (延期) add days in the limit's unit.

Warnings for one step visit:
- reminder (临近时限): from the start of the last `reminder_working_days` counted days of the limit
  (in its unit, as the remaining time is shown), never before the step started;
- yellow (黄牌): once the due day has ended;
- red (红牌): once `supervision_working_days` more working days have ended (the city's supervision
  period counts working days whatever the limit's unit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..models.clock import Extension, ExtensionStatus, LimitUnit, Pause, WarningRules
from .workdays import WorkingCalendar, add_working_days, due_at_end_of, local_date, start_of

ONE_SECOND = timedelta(seconds=1)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PausedDates:
    """The union of pause intervals [start, end) as dates (China time)."""

    intervals: tuple[tuple[date, date], ...] = ()

    @classmethod
    def of(cls, pauses: Iterable[Pause], *, now: datetime) -> PausedDates:
        spans = []
        for pause in pauses:
            start = local_date(pause.started_at)
            end = local_date(pause.ended_at or now)
            if end > start:
                spans.append((start, end))
        return cls(tuple(sorted(spans)))

    def covers(self, day: date) -> bool:
        return any(start <= day < end for start, end in self.intervals)


NO_PAUSES = PausedDates()


class CountedDays:
    """Which days a limit counts: in its unit (every day, or the calendar's working days), less the
    days a pause covers."""

    def __init__(self, calendar: WorkingCalendar, paused: PausedDates = NO_PAUSES,
                 unit: LimitUnit = LimitUnit.WORKING_DAYS) -> None:
        self._calendar = calendar
        self._paused = paused
        self._unit = unit

    def is_counted(self, day: date) -> bool:
        in_unit = self._unit is LimitUnit.CALENDAR_DAYS or self._calendar.is_working_day(day)
        return in_unit and not self._paused.covers(day)

    def due_day(self, start: date, days: int) -> date:
        """The day a limit of `days` counted days ends, counting from the day after `start`."""
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return self.next_working_day(start)  # the day itself (即办件), if the office works on it
        day, remaining = start, days
        while remaining:
            day += ONE_DAY
            if self.is_counted(day):
                remaining -= 1
        if self._unit is LimitUnit.CALENDAR_DAYS:
            day = self.next_working_day(day)  # 民法典 第二百零三条: ends on a holiday → the next working day
        return day

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self._calendar.is_working_day(day):
            day += ONE_DAY
        return day

    def back(self, end: date, days: int) -> date:
        """The counted day `days` counted days before `end` (itself if `days` is 0)."""
        day, remaining = end, days
        while remaining:
            day -= ONE_DAY
            if self.is_counted(day):
                remaining -= 1
        return day


# 行政处罚法 第八十五条: "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日。"
PENALTY_LAW_WORKING_DAY_PERIODS = frozenset({2, 3, 5, 7})


def penalty_law_unit(days: int) -> LimitUnit:
    """The unit of a period of the penalty law (行政处罚法 第八十五条): its 二日、三日、五日、七日 are
    working days, every other period (15, 60, 90 days…) calendar days."""
    return LimitUnit.WORKING_DAYS if days in PENALTY_LAW_WORKING_DAY_PERIODS else LimitUnit.CALENDAR_DAYS


def removed_working_days(start: date, due: date, calendar: WorkingCalendar, paused: PausedDates) -> int:
    """Working days after `start` up to and including `due` that a pause removed from the count."""
    removed, day = 0, start + ONE_DAY
    while day <= due:
        removed += calendar.is_working_day(day) and paused.covers(day)
        day += ONE_DAY
    return removed


def approved_extension_days(extensions: Iterable[Extension]) -> int:
    return sum(e.days for e in extensions if e.status is ExtensionStatus.APPROVED)


def due_on(start: datetime, limit_days: int, *, extra_days: int, calendar: WorkingCalendar,
           paused: PausedDates = NO_PAUSES, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> date:
    return CountedDays(calendar, paused, unit).due_day(local_date(start), limit_days + extra_days)


@dataclass(frozen=True)
class WarningTimes:
    due_at: datetime
    reminder_at: datetime
    yellow_at: datetime
    red_at: datetime


def warning_times(due_day: date, rules: WarningRules, calendar: WorkingCalendar, *,
                  started_at: datetime | None = None, paused: PausedDates = NO_PAUSES,
                  unit: LimitUnit = LimitUnit.WORKING_DAYS) -> WarningTimes:
    reminder_day = CountedDays(calendar, paused, unit).back(due_day, rules.reminder_working_days - 1)
    reminder_at = start_of(reminder_day)
    if started_at is not None and reminder_at < started_at:
        reminder_at = started_at  # a short step: remind from its start, never before it
    # The supervision period runs on plain working days: once overdue, a pause stops nothing.
    red_day = add_working_days(due_day, rules.supervision_working_days, calendar)
    due_at = due_at_end_of(due_day)
    return WarningTimes(
        due_at=due_at,
        reminder_at=reminder_at,
        yellow_at=due_at + ONE_SECOND,
        red_at=due_at_end_of(red_day) + ONE_SECOND,
    )


def alarm_times(reminder_at: datetime, due_at: datetime, red_at: datetime) -> dict[str, datetime]:
    """When each warning level of a step visit falls due (yellow: once the due day has ended)."""
    return {"reminder": reminder_at, "yellow": due_at + ONE_SECOND, "red": red_at}


def pauses_of_visit(pauses: Sequence[Pause], step: object, started_at: datetime) -> list[Pause]:
    """The pauses that stop a step visit's clock: its own (same step, started during the visit)."""
    return [p for p in pauses if p.step == step and p.started_at >= started_at]
