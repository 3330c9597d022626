"""Deadlines and warning times of a case step, as plain functions of the calendar.

A limit of N working days counts from the day after the start; working days covered by a pause
(from its start date, inclusive, to its end date, exclusive) do not count, nor does an open
pause. Approved extensions add days. Warnings for one step visit:
- reminder (临近时限): from the start of the last `reminder_working_days` working days;
- yellow (黄牌): once the due day has ended;
- red (红牌): once `supervision_working_days` more working days have ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..models.clock import Extension, ExtensionStatus, Pause, WarningRules
from .workdays import (
    WorkingCalendar,
    add_working_days,
    due_at_end_of,
    local_date,
    start_of,
    subtract_working_days,
    working_days_between,
)

ONE_SECOND = timedelta(seconds=1)


def paused_working_days(pauses: Iterable[Pause], *, since: datetime | None, now: datetime, calendar: WorkingCalendar) -> int:
    """Working days lost to pauses that started at or after `since` (an open pause runs to `now`)."""
    total = 0
    for pause in pauses:
        if since is not None and pause.started_at < since:
            continue
        end = pause.ended_at or now
        total += working_days_between(local_date(pause.started_at), local_date(end), calendar)
    return total


def approved_extension_days(extensions: Iterable[Extension]) -> int:
    return sum(e.days for e in extensions if e.status is ExtensionStatus.APPROVED)


def due_on(start: datetime, limit_days: int, *, extra_days: int, calendar: WorkingCalendar) -> date:
    return add_working_days(local_date(start), limit_days + extra_days, calendar)


@dataclass(frozen=True)
class WarningTimes:
    due_at: datetime
    reminder_at: datetime
    yellow_at: datetime
    red_at: datetime


def warning_times(due_day: date, rules: WarningRules, calendar: WorkingCalendar) -> WarningTimes:
    reminder_day = subtract_working_days(due_day, rules.reminder_working_days - 1, calendar)
    red_day = add_working_days(due_day, rules.supervision_working_days, calendar)
    due_at = due_at_end_of(due_day)
    return WarningTimes(
        due_at=due_at,
        reminder_at=start_of(reminder_day),
        yellow_at=due_at + ONE_SECOND,
        red_at=due_at_end_of(red_day) + ONE_SECOND,
    )


def alarm_times(reminder_at: datetime, due_at: datetime, red_at: datetime) -> dict[str, datetime]:
    """When each warning level of a step visit falls due (yellow: once the due day has ended)."""
    return {"reminder": reminder_at, "yellow": due_at + ONE_SECOND, "red": red_at}
