"""Property tests of the pause arithmetic (行政许可法 第四十五条, 民法典 第二百零一条), against an
oracle written from the definition: the due day is the N-th day after the start day that is a
working day and lies in no pause interval."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from sunlight.models.clock import Pause, PauseReason, WarningRules
from sunlight.models.flow import Step
from sunlight.models.requests import StaffAction
from sunlight.rules.deadlines import PausedDates, due_on, removed_working_days, warning_times
from sunlight.services.errors import Conflict
from tests.fakes.cases import WeekdayCalendar
from tests.unit.conftest import HANDLER, LEADER, REVIEWER, WINDOW, World

CST = timezone(timedelta(hours=8))
CALENDAR = WeekdayCalendar()
START = date(2026, 3, 2)


def moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CST)


def pause(start: date, end: date | None) -> Pause:
    return Pause(reason=PauseReason.HEARING, step=Step.HANDLE, started_at=moment(start),
                 ended_at=moment(end) if end else None)


def oracle_due(start: date, days: int, intervals: list[tuple[date, date]]) -> date:
    counted = [d for d in (start + timedelta(n) for n in range(1, 800))
               if d.weekday() < 5 and not any(a <= d < b for a, b in intervals)]
    return counted[days - 1] if days else start


spans = st.lists(st.tuples(st.integers(-5, 40), st.integers(0, 15)), max_size=5)
limits = st.integers(1, 25)


@settings(max_examples=300, deadline=None)
@given(offset=st.integers(0, 6), days=limits, raw=spans)
def test_due_day_matches_the_definition_and_removes_each_working_day_once(offset, days, raw):
    start = START + timedelta(offset)
    intervals = [(start + timedelta(a), start + timedelta(a + length)) for a, length in raw]
    paused = PausedDates.of([pause(a, b) for a, b in intervals], now=moment(start + timedelta(100)))
    due = due_on(moment(start), days, extra_days=0, calendar=CALENDAR, paused=paused)
    assert due == oracle_due(start, days, intervals)
    plain = due_on(moment(start), days, extra_days=0, calendar=CALENDAR)
    # Days removed = working days in the union of the pauses after the start day, up to the due day.
    union = {start + timedelta(n) for n in range(1, (due - start).days + 1) if any(a <= start + timedelta(n) < b for a, b in intervals)}
    removed = sum(1 for d in union if d.weekday() < 5)
    assert removed_working_days(start, due, CALENDAR, paused) == removed
    assert sum(1 for n in range(1, (due - start).days + 1) if (start + timedelta(n)).weekday() < 5) == days + removed
    assert due >= plain


@settings(max_examples=200, deadline=None)
@given(offset=st.integers(0, 6), days=limits, length=st.integers(1, 20))
def test_a_pause_from_the_start_day_counts_as_one_from_the_next_day(offset, days, length):
    start = START + timedelta(offset)
    now = moment(start + timedelta(60))
    from_start = PausedDates.of([pause(start, start + timedelta(length))], now=now)
    from_next = PausedDates.of([pause(start + timedelta(1), start + timedelta(length))], now=now)
    assert due_on(moment(start), days, extra_days=0, calendar=CALENDAR, paused=from_start) == due_on(
        moment(start), days, extra_days=0, calendar=CALENDAR, paused=from_next)


@settings(max_examples=200, deadline=None)
@given(offset=st.integers(0, 6), days=limits, inner=st.tuples(st.integers(0, 10), st.integers(1, 10)),
       outer=st.tuples(st.integers(0, 10), st.integers(1, 20)))
def test_overlapping_pauses_count_as_their_union(offset, days, inner, outer):
    start = START + timedelta(offset)
    now = moment(start + timedelta(90))
    a = (start + timedelta(inner[0]), start + timedelta(inner[0] + inner[1]))
    b = (start + timedelta(outer[0]), start + timedelta(outer[0] + outer[1]))
    both = PausedDates.of([pause(*a), pause(*b)], now=now)
    if max(a[0], b[0]) <= min(a[1], b[1]):  # they overlap or touch: one interval
        union = PausedDates.of([pause(min(a[0], b[0]), max(a[1], b[1]))], now=now)
        assert due_on(moment(start), days, extra_days=0, calendar=CALENDAR, paused=both) == due_on(
            moment(start), days, extra_days=0, calendar=CALENDAR, paused=union)


@settings(max_examples=200, deadline=None)
@given(offset=st.integers(0, 6), days=limits, late=st.integers(1, 10), length=st.integers(0, 30), open_=st.booleans())
def test_a_pause_started_after_the_deadline_moves_neither_due_day_nor_red_card(offset, days, late, length, open_):
    start = START + timedelta(offset)
    plain = due_on(moment(start), days, extra_days=0, calendar=CALENDAR)
    begins = plain + timedelta(late)
    paused = PausedDates.of([pause(begins, None if open_ else begins + timedelta(length))], now=moment(begins + timedelta(40)))
    due = due_on(moment(start), days, extra_days=0, calendar=CALENDAR, paused=paused)
    assert due == plain
    rules = WarningRules()
    assert warning_times(due, rules, CALENDAR, paused=paused).red_at == warning_times(plain, rules, CALENDAR).red_at


# --- a case's steps under random special procedures ----------------------------------------------

ACTION = TypeAdapter(StaffAction)
HAND_ON = {"handle": (HANDLER, "submit"), "review": (REVIEWER, "pass"), "approve": (LEADER, "approve"), "complete": (WINDOW, "complete")}
NEXT = {"handle": "review", "review": "approve", "approve": "complete"}
moves = st.lists(st.tuples(st.sampled_from(["start", "end", "hand_on", "wait"]), st.integers(1, 40)), min_size=1, max_size=20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=moves)
def test_no_step_loses_its_warnings_to_a_pause_that_is_not_its_own(plan):
    world = World()
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.staff.act(WINDOW, case_id, ACTION.validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    for move, hours in plan:
        world.clock.advance(hours=hours)
        case = world.cases.get(case_id)
        if case.step is None or case.status.is_closed:
            break
        step = case.step.value
        if move == "start" and case.open_pause is None:
            world.procedures.start_special_procedure(HANDLER if step == "handle" else LEADER, case_id, PauseReason.INSPECTION, None)
        elif move == "end" and case.open_pause is not None:
            world.procedures.end_special_procedure(HANDLER if step == "handle" else LEADER, case_id, None)
        elif move == "hand_on" and step in HAND_ON:
            who, decision = HAND_ON[step]
            try:
                world.staff.act(who, case_id, ACTION.validate_python({"action": decision, "opinion": "同意"}), None)
            except Conflict:
                assert case.open_pause is not None  # refused only while a special procedure runs
                continue
            assert case.open_pause is None
            if step in NEXT:
                world.enter(case_id, NEXT[step])
            else:
                world.flow.finalize(case_id, __import__("sunlight.models.flow", fromlist=["Outcome"]).Outcome.COMPLETED)
        world.deadlines.sweep(world.clock.now())
        case = world.cases.get(case_id)
        if case.step is None:
            continue
        own_open = [p for p in case.pauses if p.open and p.step is case.step and p.started_at >= case.step_started_at]
        assert all(p.step is case.step for p in case.pauses if p.open)  # no pause outlives its step
        if not own_open and case.pending is None and len(case.warnings_issued) < 3:
            assert case.next_alarm_at is not None  # the step is watched
            assert case.step_reminder_at >= case.step_started_at
