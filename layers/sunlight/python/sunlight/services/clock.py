"""Keeping a case's due dates true to its limits, pauses and approved extensions.

The case's limits (promised and legal) run from the item's start event (Case.counting_start): 受理 —
from receipt while the case is not yet accepted, and for good when it is deemed accepted (行政许可法
第三十二条, 第四十二条) —, receipt (收件) or registration (立案); every pause of the case can stop them.
A step's limit runs from entering the step, and only that step visit's own pauses stop it. Each limit
counts in its own unit (working or calendar days, rules/deadlines.py has the arithmetic); the waits of
the warning rules (受理期限 of 第三十二条, 补正期限, the supervision period) count working days.
"""

from __future__ import annotations

from datetime import date, datetime

from ..models.case import Case
from ..models.clock import ExtensionStatus
from ..models.flow import STAFF_STEPS, Step
from ..rules.deadlines import PausedDates, approved_extension_days, due_on, pauses_of_visit, warning_times
from ..rules.workdays import WorkingCalendar, add_working_days, due_at_end_of, local_date


def recompute_clock(case: Case, *, now: datetime, calendar: WorkingCalendar) -> Case:
    """The same case with every due date recomputed; deterministic for a given calendar."""
    extension_days = approved_extension_days(case.extensions)
    update: dict = {}
    if case.promised_limit_days or case.legal_limit_days:  # a promised limit of 0: decided on the day (即办件)
        paused = PausedDates.of(case.pauses, now=now)
        start = case.counting_start
        update["promised_due_on"] = due_on(start, case.promised_limit_days, extra_days=extension_days, calendar=calendar,
                                           paused=paused, unit=case.promised_limit_unit)
        update["legal_due_on"] = due_on(start, case.legal_limit_days, extra_days=extension_days, calendar=calendar,
                                        paused=paused, unit=case.legal_limit_unit)
    last_day = max(update.get("legal_due_on", case.legal_due_on), update.get("promised_due_on", case.promised_due_on))
    supplement_day = None
    if case.step is Step.SUPPLEMENT and case.step_started_at is not None:
        # 补正期限 in working days from the notice (the item's rule), not a fixed calendar period.
        supplement_day = add_working_days(local_date(case.step_started_at), case.warning_rules.supplement_wait_working_days, calendar)
        last_day = max(last_day, supplement_day)
    update["supplement_due_at"] = due_at_end_of(supplement_day) if supplement_day else None
    if case.step in STAFF_STEPS and case.step_started_at is not None:
        started = case.step_started_at
        paused = PausedDates.of(pauses_of_visit(case.pauses, case.step, started), now=now)
        extra = sum(
            e.days for e in case.extensions
            if e.status is ExtensionStatus.APPROVED and e.decided_at is not None and e.decided_at >= started
        )
        unit = case.step_limit_unit(case.step)
        due_day = due_on(started, case.step_limit_days[case.step], extra_days=extra, calendar=calendar, paused=paused, unit=unit)
        times = warning_times(due_day, case.warning_rules, calendar, started_at=started, paused=paused, unit=unit)
        update |= {"step_due_at": times.due_at, "step_reminder_at": times.reminder_at, "step_red_at": times.red_at}
        last_day = max(last_day, local_date(times.red_at))
        if case.step is Step.ACCEPT:
            acceptance_day = add_working_days(local_date(started), case.warning_rules.acceptance_working_days, calendar)
            update["acceptance_due_at"] = due_at_end_of(acceptance_day)
            last_day = max(last_day, acceptance_day)
    update["calendar_unconfirmed"] = bool(unconfirmed_years(local_date(case.submitted_at), last_day, calendar))
    changed = {key: value for key, value in update.items() if getattr(case, key) != value}
    return case.model_copy(update=changed) if changed else case


def case_unconfirmed_years(case: Case, calendar: WorkingCalendar) -> list[int]:
    """The unconfirmed years a (recomputed) case's dates reach: from receipt to the last of its
    due dates, its step's red card and, at 受理, the acceptance deadline."""
    last = max(case.legal_due_on, case.promised_due_on)
    if case.step in STAFF_STEPS and case.step_red_at is not None:
        last = max(last, local_date(case.step_red_at))
    if case.step is Step.ACCEPT and case.acceptance_due_at is not None:
        last = max(last, local_date(case.acceptance_due_at))
    if case.step is Step.SUPPLEMENT and case.supplement_due_at is not None:
        last = max(last, local_date(case.supplement_due_at))
    return unconfirmed_years(local_date(case.submitted_at), last, calendar)


def unconfirmed_years(first: date, last: date, calendar: WorkingCalendar) -> list[int]:
    """The years from `first` to `last` whose calendar is not confirmed (no official 调休 data, not
    confirmed by an administrator). A calendar that cannot tell (a test's fake) confirms all."""
    confirmed = getattr(calendar, "year_confirmed", None)
    if confirmed is None:
        return []
    return [year for year in range(first.year, last.year + 1) if not confirmed(year)]
