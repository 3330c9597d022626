"""Keeping a case's due dates true to its limits, pauses and approved extensions."""

from __future__ import annotations

from datetime import datetime

from ..models.case import Case
from ..models.clock import ExtensionStatus
from ..models.flow import STAFF_STEPS, Step
from ..rules.deadlines import approved_extension_days, due_on, paused_working_days, warning_times
from ..rules.workdays import WorkingCalendar, add_working_days, due_at_end_of, local_date


def recompute_clock(case: Case, *, now: datetime, calendar: WorkingCalendar) -> Case:
    """The same case with every due date recomputed; deterministic for a given calendar."""
    extension_days = approved_extension_days(case.extensions)
    paused_days = paused_working_days(case.pauses, since=None, now=now, calendar=calendar)
    update: dict = {}
    if case.promised_limit_days:
        extra = extension_days + paused_days
        update["promised_due_on"] = due_on(case.submitted_at, case.promised_limit_days, extra_days=extra, calendar=calendar)
        update["legal_due_on"] = due_on(case.submitted_at, case.legal_limit_days, extra_days=extra, calendar=calendar)
    if case.step in STAFF_STEPS and case.step_started_at is not None:
        started = case.step_started_at
        extra = paused_working_days(case.pauses, since=started, now=now, calendar=calendar) + sum(
            e.days for e in case.extensions
            if e.status is ExtensionStatus.APPROVED and e.decided_at is not None and e.decided_at >= started
        )
        due_day = due_on(started, case.step_limit_days[case.step], extra_days=extra, calendar=calendar)
        times = warning_times(due_day, case.warning_rules, calendar)
        update |= {"step_due_at": times.due_at, "step_reminder_at": times.reminder_at, "step_red_at": times.red_at}
        if case.step is Step.ACCEPT:
            acceptance_day = add_working_days(local_date(started), case.warning_rules.acceptance_working_days, calendar)
            update["acceptance_due_at"] = due_at_end_of(acceptance_day)
    return case.model_copy(update=update) if update else case
