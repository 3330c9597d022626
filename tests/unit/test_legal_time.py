"""Legal time: the counting start (受理), pauses as intervals, deemed acceptance as a state
change, special procedures that cannot outlive their step, reminders never before the step.
Each test states what the law says (LAW.md) and fails on the clock as it was before.

FakeClock starts Monday 2026-11-23 09:00 CST; the weekday calendar has no holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter

from sunlight.models.clock import Pause, PauseReason, WarningRules
from sunlight.models.flow import Step
from sunlight.models.requests import StaffAction
from sunlight.services.clock import recompute_clock
from sunlight.services.errors import Conflict
from tests.fakes.cases import WeekdayCalendar
from tests.unit.conftest import HANDLER, WINDOW

CST = timezone(timedelta(hours=8))
ACTION = TypeAdapter(StaffAction)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=CST)


def act(world, principal, case_id: str, **body) -> None:
    world.staff.act(principal, case_id, ACTION.validate_python(body), None)


def handling_case(world) -> str:
    """At 承办 (4 working days) from Monday 23 Nov 09:00: due Fri 27 Nov."""
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="accept")
    world.enter(case_id, "handle")
    return case_id


# --- pauses ---------------------------------------------------------------------------------


def test_a_pause_from_the_start_day_removes_only_days_the_clock_would_have_counted(world):
    case_id = handling_case(world)
    world.clock.current = at(11, 23, 10)  # the step's start day: never counted (民法典 第二百零一条)
    world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.EXPERT_REVIEW, "专家评审")
    world.clock.current = at(11, 25, 10)  # covers Mon 23 and Tue 24: only Tue 24 was counted
    case = world.procedures.end_special_procedure(HANDLER, case_id, None)
    assert case.step_due_at == datetime(2026, 11, 30, 23, 59, 59, tzinfo=CST)


def test_overlapping_pauses_remove_a_day_once(world):
    case_id = handling_case(world)
    case = world.cases.get(case_id)
    # A ledger with two overlapping pauses (an inspection Tue 24..Thu 26 within a hearing Tue
    # 24..Fri 27, as an older version could leave them): three working days lost, not five.
    pauses = (
        Pause(reason=PauseReason.HEARING, step=Step.HANDLE, started_at=at(11, 24), ended_at=at(11, 27)),
        Pause(reason=PauseReason.INSPECTION, step=Step.HANDLE, started_at=at(11, 24, 11), ended_at=at(11, 26)),
    )
    recomputed = recompute_clock(case.model_copy(update={"pauses": pauses}), now=at(12, 1), calendar=WeekdayCalendar())
    assert recomputed.step_due_at == datetime(2026, 12, 2, 23, 59, 59, tzinfo=CST)  # Fri 27 + 3 working days
    # The case's promised limit (10 working days from 受理 on Mon 23: Mon 7 Dec) loses the same three.
    assert recomputed.promised_due_on == date(2026, 12, 10)


def test_a_pause_started_after_the_deadline_ran_out_moves_nothing(world):
    case_id = handling_case(world)
    world.deadlines.sweep(at(11, 28))  # Sat: the step is overdue, yellow card issued
    before = world.cases.get(case_id)
    world.clock.current = at(11, 30, 10)
    world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.INSPECTION, "现场勘验")
    paused = world.cases.get(case_id)
    assert paused.next_alarm_at == before.step_red_at  # the red card is still watched
    world.deadlines.sweep(datetime(2026, 12, 2, 0, 0, 1, tzinfo=CST))
    levels = [w.level.value for w in world.warnings.for_case(case_id) if w.rule == "time_limit"]
    assert levels == ["reminder", "yellow", "red"]
    world.clock.current = at(12, 4)
    ended = world.procedures.end_special_procedure(HANDLER, case_id, None)
    assert (ended.step_due_at, ended.step_red_at) == (before.step_due_at, before.step_red_at)


# --- a special procedure and the next step ----------------------------------------------------


def test_a_step_is_not_handed_on_while_its_special_procedure_runs(world):
    case_id = handling_case(world)
    world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.HEARING, "听证")
    with pytest.raises(Conflict, match="请先结束特别程序“听证”"):
        act(world, HANDLER, case_id, action="submit", opinion="同意")
    assert world.cases.get(case_id).pending is None  # nothing was handed on
    world.procedures.end_special_procedure(HANDLER, case_id, None)
    act(world, HANDLER, case_id, action="submit", opinion="同意")
    world.enter(case_id, "review")
    assert world.cases.get(case_id).next_alarm_at is not None


def test_a_pause_left_open_by_another_step_never_silences_this_one(world):
    case_id = handling_case(world)
    act(world, HANDLER, case_id, action="submit", opinion="同意")
    # An open pause of the 承办 step (as an older version could leave it) when 审核 is entered:
    case = world.cases.get(case_id)
    stale = Pause(reason=PauseReason.HEARING, step=Step.HANDLE, started_at=at(11, 23, 10))
    world.cases.save(case.model_copy(update={"pauses": (stale,), "version": case.version + 1}), expected_version=case.version)
    world.clock.current = at(11, 24)
    world.enter(case_id, "review")
    case = world.cases.get(case_id)
    assert case.open_pause is None and case.pauses[0].ended_at == at(11, 24)  # ended with its step
    assert case.next_alarm_at == case.step_reminder_at
    # Even with the stale pause still open, 审核's own clock ignores it.
    reopened = case.model_copy(update={"pauses": (stale,)})
    assert reopened.next_alarm_at == case.step_reminder_at


# --- counting start ----------------------------------------------------------------------------


def test_the_limits_run_from_acceptance_not_receipt(world):
    case_id = world.submitted_case()  # received Mon 23 Nov
    world.enter(case_id, "accept")
    world.clock.current = at(11, 25, 15)  # accepted Wed 25 (行政许可法 第四十二条: from 受理)
    act(world, WINDOW, case_id, action="accept")
    world.enter(case_id, "handle")
    case = world.cases.get(case_id)
    assert case.accepted_at == at(11, 25, 15) and not case.deemed_accepted
    assert case.promised_due_on == date(2026, 12, 9)  # 10 working days after Wed 25
    assert case.legal_due_on == date(2026, 12, 23)  # 20 working days after Wed 25


def test_deemed_acceptance_is_a_state_change_dated_at_receipt(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.clock.current = at(12, 1, 10)
    world.deadlines.sweep(at(12, 1, 10))  # 5 working days (Tue 24..Mon 30) without 受理 or 补正 notice
    case, events = world.cases.get_with_timeline(case_id)
    assert case.deemed_accepted and case.accepted_at == case.submitted_at
    assert case.promised_due_on == date(2026, 12, 7) and case.status.value == "accept"  # waits for the window
    deemed = events[-1]
    assert (deemed.action, deemed.actor.user_id) == ("deemed_accept", "system")
    assert "第三十二条" in deemed.opinion and deemed.details["accepted_as_of"] == case.submitted_at.isoformat()
    assert world.publisher.published[-1].action == "deemed_accept"
    with pytest.raises(Conflict, match="视为受理"):
        act(world, WINDOW, case_id, action="reject", opinion="材料不全")
    with pytest.raises(Conflict, match="视为受理"):
        act(world, WINDOW, case_id, action="request_supplement", missing_materials=["平面图"])
    world.clock.current = at(12, 2)
    act(world, WINDOW, case_id, action="accept")  # the window registers it; the start stays at receipt
    world.enter(case_id, "handle")
    assert world.cases.get(case_id).accepted_at == case.submitted_at
    world.deadlines.sweep(at(12, 3))
    assert len([e for e in world.cases.events[case_id] if e.action == "deemed_accept"]) == 1


# --- reminders ---------------------------------------------------------------------------------


def test_the_reminder_never_falls_before_the_step_started(world):
    case_id = world.submitted_case()
    case = world.cases.get(case_id)
    rules = WarningRules(reminder_working_days=3)
    world.cases.save(case.model_copy(update={"warning_rules": rules, "version": case.version + 1}), expected_version=case.version)
    world.clock.current = at(11, 23, 15)
    world.enter(case_id, "accept")  # 受理: 1 working day → due Tue 24; 3 days' notice would be Fri 20
    case = world.cases.get(case_id)
    assert case.step_reminder_at == at(11, 23, 15)
    assert case.next_alarm_at >= case.step_started_at


# --- naive datetimes ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["case", "pause", "timeline_event", "warning", "calendar_day"])
def test_the_models_of_time_reject_a_naive_datetime(world, model):
    """A moment without its offset cannot be placed on the China calendar (is 23:30 yesterday's
    or today's?): the models refuse it rather than guess."""
    from pydantic import ValidationError

    from sunlight.models.calendar import CalendarDay
    from sunlight.models.case import Case, TimelineEvent
    from sunlight.models.warnings import Warning

    case = world.cases.get(handling_case(world))
    naive = datetime(2026, 11, 23, 9, 0)
    data = {
        "case": (Case, case.model_dump() | {"submitted_at": naive}),
        "pause": (Pause, {"reason": "hearing", "step": "handle", "started_at": naive}),
        "timeline_event": (TimelineEvent, world.cases.get_with_timeline(case.case_id)[1][0].model_dump() | {"occurred_at": naive}),
        "warning": (Warning, {"warning_id": "w", "case_id": case.case_id, "department_id": "market", "item_code": case.item_code,
                              "item_name": case.item_name, "step": "handle", "step_visit": 1, "level": "yellow", "title": "t",
                              "message": "m", "issued_at": naive, "recipients": ["market#handler"]}),
        "calendar_day": (CalendarDay, {"day": "2026-10-10", "working": True, "reason": "调休", "updated_by": "admin", "updated_at": naive}),
    }
    cls, fields = data[model]
    aware = fields | {key: value.replace(tzinfo=CST) for key, value in fields.items() if value is naive}
    cls.model_validate(aware)  # the same with its offset is fine
    with pytest.raises(ValidationError, match="timezone"):
        cls.model_validate(fields)
