"""One clock: the due colour and the working days left of a case are read on the server's clock
when the response is made, on the city's calendar, never on the browser's. Expected values are
counted by hand on the official calendar (2026-11-23 is a Monday; the National Day holiday is
1–7 October 2026 with Saturday 10 October worked)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter

from sunlight.models.case import CaseStatus
from sunlight.models.clock import Pause, PauseReason
from sunlight.models.due import DueState
from sunlight.models.flow import Step
from sunlight.models.requests import StaffAction
from sunlight.rules.due_status import clock_reading, remaining_working_days, step_due_state
from sunlight.rules.workdays import ChinaCalendar
from tests.unit.conftest import INSPECTOR, WINDOW

CST = timezone(timedelta(hours=8))
ACTION = TypeAdapter(StaffAction)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


@pytest.fixture
def waiting_for_acceptance(world) -> str:
    """Received and at 受理 on Monday 2026-11-23 09:00: one working day, due Tuesday 23:59:59."""
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    return case_id


@pytest.mark.parametrize(
    ("moment", "state", "left"),
    [
        ("2026-11-23T10:00", "normal", 1),  # Monday: Tuesday is left
        ("2026-11-24T00:00", "near", 0),  # the due day begins: the reminder falls due
        ("2026-11-24T23:59", "near", 0),
        ("2026-11-25T00:00", "overdue", -1),  # Wednesday: the due day has ended (黄牌)
        ("2026-11-28T10:00", "overdue", -3),  # Saturday: Wednesday, Thursday, Friday past it
    ],
)
def test_the_worklist_colours_each_case_on_the_servers_clock(world, waiting_for_acceptance, moment, state, left):
    world.clock.current = at(moment)
    [row] = world.staff.worklist(WINDOW, role=None, step=None, cursor=None, limit=10).items
    assert (row.case_id, row.due_state, row.remaining_working_days) == (waiting_for_acceptance, state, left)


def test_the_case_view_carries_the_colour_and_the_limits_as_of_the_servers_now(world, waiting_for_acceptance):
    world.clock.current = at("2026-12-09T15:00")  # Wednesday, past the promised day (Monday 7 December)
    view = world.staff.case_detail(INSPECTOR, waiting_for_acceptance)
    assert (view.due_state, view.remaining_working_days) == ("overdue", -11)
    clock = view.clock
    assert clock.as_of == world.clock.now() and clock.today == date(2026, 12, 9) and clock.due_state == "overdue"
    step, promised, legal = clock.limits
    assert (step.kind, step.due_on, step.used_working_days, step.remaining_working_days, step.overdue) == ("step", date(2026, 11, 24), 12, -11, True)
    assert (promised.due_on, promised.used_working_days, promised.remaining_working_days, promised.overdue) == (date(2026, 12, 7), 12, -2, True)
    assert (legal.due_on, legal.remaining_working_days, legal.overdue) == (date(2026, 12, 21), 8, False)


def test_a_step_whose_clock_stands_still_or_a_closed_case_has_no_colour(world, waiting_for_acceptance):
    case = world.cases.get(waiting_for_acceptance)
    late = at("2026-12-01T10:00")
    assert step_due_state(case, late) is DueState.OVERDUE
    paused = case.model_copy(update={"pauses": (Pause(reason=PauseReason.EXPERT_REVIEW, step=Step.ACCEPT, started_at=at("2026-11-24T10:00")),)})
    assert step_due_state(paused, late) is DueState.NONE
    assert step_due_state(case.model_copy(update={"step_due_at": None}), late) is DueState.NONE


def test_near_follows_the_items_reminder_not_a_fixed_day(world, waiting_for_acceptance):
    case = world.cases.get(waiting_for_acceptance)
    earlier = case.model_copy(update={"step_reminder_at": at("2026-11-23T00:00")})  # a two-day reminder
    assert step_due_state(earlier, at("2026-11-23T10:00")) is DueState.NEAR
    assert step_due_state(case, at("2026-11-23T10:00")) is DueState.NORMAL


def test_remaining_working_days_skip_the_holiday_and_count_the_adjusted_saturday():
    calendar = ChinaCalendar()
    # after 30 September up to 16 October: 8, 9, 10 (Saturday, worked), 12–16 → 8
    assert remaining_working_days(date(2026, 9, 30), date(2026, 10, 16), calendar) == 8
    assert remaining_working_days(date(2026, 10, 16), date(2026, 10, 16), calendar) == 0
    # past a due day of 30 September, on 9 October: only 8 and 9 October were working days
    assert remaining_working_days(date(2026, 10, 9), date(2026, 9, 30), calendar) == -2


def _handled(world, case_id: str, **update):
    case = world.cases.get(case_id)
    return case.model_copy(update={
        "step": Step.HANDLE, "step_started_at": at("2026-11-24T09:00"), "step_due_at": at("2026-11-27T23:59:59"),
        "step_reminder_at": at("2026-11-27T00:00"), **update,
    })


def test_the_limits_count_working_days_used_and_left(world, waiting_for_acceptance):
    reading = clock_reading(_handled(world, waiting_for_acceptance), at("2026-11-26T10:00"), ChinaCalendar())  # Thursday
    step, promised, legal = reading.limits
    assert (step.kind, step.due_on, step.used_working_days, step.remaining_working_days, step.overdue) == ("step", date(2026, 11, 27), 2, 1, False)
    assert (promised.kind, promised.used_working_days, promised.remaining_working_days) == ("promised", 3, 7)
    assert legal.remaining_working_days == 17 and reading.due_state is DueState.NORMAL


def test_pauses_are_left_out_of_the_days_used(world, waiting_for_acceptance):
    pause = Pause(reason=PauseReason.EXPERT_REVIEW, step=Step.HANDLE, started_at=at("2026-11-25T10:00"), ended_at=at("2026-11-27T10:00"))
    reading = clock_reading(_handled(world, waiting_for_acceptance, pauses=(pause,)), at("2026-11-30T10:00"), ChinaCalendar())  # Monday
    assert reading.paused_working_days == 2 and reading.pause_working_days == [2]
    step = reading.limits[0]
    assert (step.used_working_days, step.remaining_working_days, step.overdue) == (2, -1, True)  # 4 working days since the start, 2 paused


def test_a_closed_case_is_counted_to_the_day_it_closed(world, waiting_for_acceptance):
    closed = _handled(world, waiting_for_acceptance, closed_at=at("2026-11-27T10:00"), status=CaseStatus.COMPLETED)
    reading = clock_reading(closed, at("2026-12-10T10:00"), ChinaCalendar())
    assert [r.kind for r in reading.limits] == ["promised", "legal"]
    assert reading.limits[0].overdue is False and reading.due_state is DueState.NONE
