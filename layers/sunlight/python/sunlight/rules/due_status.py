"""Reading a case's clock at a moment: the due colour of its step and the working days used and
left of each limit. Pure: the caller passes the server's now (services read it from their Clock),
so every page shows the same colour for the same case at the same moment.

Counting (as the time limits count, rules/workdays.py): "remaining" is the working days after
today up to and including the due day (0 on the due day itself); past it, minus the working days
after the due day up to and including today. "Used" is the working days after the start day up to
today, less the working days the clock stood still (pauses).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..models.case import Case
from ..models.clock import LimitUnit, Pause
from ..models.due import ClockReading, DueState, LimitReading
from ..models.flow import STAFF_STEPS
from .workdays import WorkingCalendar, local_date, working_days_between

ONE_DAY = timedelta(days=1)
# When a step has no stored reminder time, "near" is the last day before its due time.
NEAR_WITHOUT_REMINDER = timedelta(days=1)


def days_after_through(start: date, end: date, calendar: WorkingCalendar, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> int:
    """Days of `unit` d with start < d <= end (0 when end is not after start)."""
    if unit is LimitUnit.CALENDAR_DAYS:
        return max((end - start).days, 0)
    return working_days_between(start + ONE_DAY, end + ONE_DAY, calendar)


def remaining_working_days(today: date, due_day: date, calendar: WorkingCalendar, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> int:
    """Days of `unit` after today up to the due day; past it, minus the days after it up to today."""
    if today > due_day:
        return -days_after_through(due_day, today, calendar, unit)
    return days_after_through(today, due_day, calendar, unit)


def step_is_timed(case: Case) -> bool:
    """The step's clock runs: an open case at a staff step with a due time and no open pause."""
    return (
        not case.status.is_closed
        and case.step in STAFF_STEPS
        and case.step_due_at is not None
        and case.open_pause is None
    )


def step_due_state(case: Case, now: datetime) -> DueState:
    if not step_is_timed(case):
        return DueState.NONE
    assert case.step_due_at is not None
    if now > case.step_due_at:
        return DueState.OVERDUE
    reminder_at = case.step_reminder_at or case.step_due_at - NEAR_WITHOUT_REMINDER
    return DueState.NEAR if now >= reminder_at else DueState.NORMAL


def step_remaining_working_days(case: Case, now: datetime, calendar: WorkingCalendar,
                                unit: LimitUnit = LimitUnit.WORKING_DAYS) -> int | None:
    """The step's time left in `unit` (working days unless asked otherwise); None when not timed."""
    if not step_is_timed(case):
        return None
    assert case.step_due_at is not None
    return remaining_working_days(local_date(now), local_date(case.step_due_at), calendar, unit)


def pause_working_days(pause: Pause, today: date, calendar: WorkingCalendar, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> int:
    """Days of `unit` a pause covered (an open one up to today)."""
    end = local_date(pause.ended_at) if pause.ended_at else today
    return days_after_through(local_date(pause.started_at), end, calendar, unit)


def _limit(kind, start: date, due: date, today: date, pauses: list[Pause], calendar: WorkingCalendar,
           unit: LimitUnit, pause_today: date) -> LimitReading:
    def used_in(counted: LimitUnit) -> int:
        paused = sum(pause_working_days(p, pause_today, calendar, counted) for p in pauses)
        return max(days_after_through(start, today, calendar, counted) - paused, 0)

    return LimitReading(
        kind=kind, due_on=due, unit=unit,
        used_working_days=used_in(LimitUnit.WORKING_DAYS),
        remaining_working_days=remaining_working_days(today, due, calendar),
        used_days=used_in(unit), remaining_days=remaining_working_days(today, due, calendar, unit),
        overdue=today > due,
    )


def clock_reading(case: Case, now: datetime, calendar: WorkingCalendar) -> ClockReading:
    """The step's limit (while a staff step is open), the promised and the legal limit; a closed
    case's limits are counted to the day it closed."""
    today = local_date(now)
    per_pause = [pause_working_days(p, today, calendar) for p in case.pauses]
    limits: list[LimitReading] = []
    if not case.status.is_closed and case.step in STAFF_STEPS and case.step_started_at and case.step_due_at:
        started = case.step_started_at
        own = [p for p in case.pauses if p.step == case.step and p.started_at >= started]
        limits.append(_limit("step", local_date(started), local_date(case.step_due_at), today, own, calendar,
                             case.step_limit_unit(case.step), today))
    end = local_date(case.closed_at) if case.closed_at else today
    submitted = local_date(case.submitted_at)
    paused = sum(per_pause)
    pauses = list(case.pauses)
    if case.promised_due_on:
        limits.append(_limit("promised", submitted, case.promised_due_on, end, pauses, calendar, case.promised_limit_unit, today))
    if case.legal_due_on:
        limits.append(_limit("legal", submitted, case.legal_due_on, end, pauses, calendar, case.legal_limit_unit, today))
    return ClockReading(
        as_of=now, today=today, due_state=step_due_state(case, now), limits=limits,
        paused_working_days=paused, pause_working_days=per_pause,
    )


def due_fields(case: Case, now: datetime, calendar: WorkingCalendar) -> dict:
    """The due fields of a case summary (CaseSummary.due_state, .remaining_working_days, and the
    step's time left in its own unit: .remaining_days, .remaining_unit)."""
    unit = case.step_limit_unit(case.step) if step_is_timed(case) and case.step is not None else None
    return {
        "due_state": step_due_state(case, now),
        "remaining_working_days": step_remaining_working_days(case, now, calendar),
        "remaining_days": step_remaining_working_days(case, now, calendar, unit) if unit else None,
        "remaining_unit": unit,
    }
