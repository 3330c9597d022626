"""The deadline check, special procedures, extensions and the card lifecycle, on fakes.
FakeClock starts Monday 2026-11-23 09:00 CST; the weekday calendar has no holidays."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunlight.models.clock import PauseReason
from sunlight.models.warnings import CardStatus
from sunlight.services.errors import Conflict, Forbidden, InvalidInput
from tests.unit.conftest import HANDLER, INSPECTOR, LEADER, WINDOW, World

CST = timezone(timedelta(hours=8))


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=CST)


def handling_case(world) -> str:
    """A case at 承办 (4 working days), entered Monday 23 Nov: due Fri 27 Nov 23:59:59."""
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    staff_action = __import__("pydantic").TypeAdapter(__import__("sunlight.models.requests", fromlist=["StaffAction"]).StaffAction)
    world.staff.act(WINDOW, case_id, staff_action.validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    return case_id


def levels(world, case_id: str) -> list[str]:
    return [w.level.value for w in world.warnings.for_case(case_id) if w.rule == "time_limit"]


def test_step_due_dates_follow_the_limit(world):
    case = world.cases.get(handling_case(world))
    assert case.step_due_at == datetime(2026, 11, 26, 23, 59, 59, tzinfo=CST) + timedelta(days=1)
    assert case.step_reminder_at == datetime(2026, 11, 27, tzinfo=CST)  # the last working day
    assert case.step_red_at == datetime(2026, 12, 2, tzinfo=CST)  # due + 2 working days, ended
    assert case.next_alarm_at == case.step_reminder_at


def test_reminder_yellow_red_each_once_and_never_early(world):
    case_id = handling_case(world)
    world.deadlines.sweep(at(26, 23))
    assert levels(world, case_id) == []
    world.deadlines.sweep(at(27, 8))
    world.deadlines.sweep(at(27, 10))
    assert levels(world, case_id) == ["reminder"]
    world.deadlines.sweep(at(28))  # Saturday: the due day has passed
    assert levels(world, case_id) == ["reminder", "yellow"]
    world.deadlines.sweep(at(30))
    world.deadlines.sweep(datetime(2026, 12, 1, 23, tzinfo=CST))
    assert levels(world, case_id) == ["reminder", "yellow"]
    world.deadlines.sweep(datetime(2026, 12, 2, 0, 0, 1, tzinfo=CST))
    world.deadlines.sweep(datetime(2026, 12, 9, tzinfo=CST))
    assert levels(world, case_id) == ["reminder", "yellow", "red"]
    assert len(world.notifier.sent) == 3 and world.cases.get(case_id).next_alarm_at is None
    red = world.warnings.for_case(case_id)[-1]
    assert set(red.recipients) == {"market#leader", "market#inspector", "city#inspector"}
    assert red.evidence["clock"]["step"] == "handle" and red.evidence["timeline"][-1]["to_state"] == "handle"


def test_a_late_sweep_issues_every_missed_level_at_once(world):
    case_id = handling_case(world)
    report = world.deadlines.sweep(datetime(2026, 12, 10, tzinfo=CST))
    assert levels(world, case_id) == ["reminder", "yellow", "red"] and report.checked == 1


def test_acting_in_time_issues_nothing_and_a_new_step_starts_over(world):
    case_id = handling_case(world)
    world.deadlines.sweep(at(27, 10))
    world.clock.current = at(27, 11)
    from pydantic import TypeAdapter

    from sunlight.models.requests import StaffAction

    world.staff.act(HANDLER, case_id, TypeAdapter(StaffAction).validate_python({"action": "submit", "opinion": "同意"}), None)
    world.deadlines.sweep(at(28))
    assert levels(world, case_id) == ["reminder"]
    world.enter(case_id, "review")  # 2 working days from Fri 27: due Tue 1 Dec
    assert world.cases.get(case_id).warnings_issued == ()
    world.deadlines.sweep(datetime(2026, 12, 2, 1, tzinfo=CST))
    assert levels(world, case_id) == ["reminder", "reminder", "yellow"]


def test_special_procedure_stops_the_clock_and_resumes_it(world):
    case_id = handling_case(world)
    world.clock.current = at(24)
    world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.EXPERT_REVIEW, "组织专家评审")
    assert world.cases.get(case_id).next_alarm_at is None
    world.deadlines.sweep(datetime(2026, 12, 3, tzinfo=CST))
    assert levels(world, case_id) == []  # no card while the clock stands still
    with pytest.raises(Conflict):
        world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.HEARING, None)
    world.clock.current = datetime(2026, 12, 1, 10, tzinfo=CST)  # Tue 24 Nov .. Tue 1 Dec: 5 working days lost
    case = world.procedures.end_special_procedure(HANDLER, case_id, "评审完毕")
    assert case.step_due_at == datetime(2026, 12, 4, 23, 59, 59, tzinfo=CST)
    actions = [e.action for e in world.cases.events[case_id]][-2:]
    assert actions == ["pause", "resume"] and world.publisher.published[-1].action == "resume"


def test_supplement_pauses_the_case_clock(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    before = world.cases.get(case_id).promised_due_on
    from pydantic import TypeAdapter

    from sunlight.models.requests import StaffAction, SupplementRequest

    world.staff.act(WINDOW, case_id, TypeAdapter(StaffAction).validate_python({"action": "request_supplement", "missing_materials": ["平面图"]}), None)
    world.enter(case_id, "supplement")
    assert world.cases.get(case_id).open_pause.reason is PauseReason.SUPPLEMENT
    world.clock.current = datetime(2026, 11, 30, 9, tzinfo=CST)  # a week later
    upload = world.uploaded()
    world.applications.supplement(__import__("tests.unit.conftest", fromlist=["CITIZEN"]).CITIZEN, case_id, SupplementRequest(upload_ids=[upload]), None)
    world.enter(case_id, "accept")
    case = world.cases.get(case_id)
    assert case.open_pause is None and case.pauses[0].ended_at == datetime(2026, 11, 30, 9, tzinfo=CST)
    # Asked on the day of receipt (Mon 23), resubmitted Mon 30: the pause covers 23..29, but the
    # receipt day was never counted (民法典 第二百零一条), so it removes Tue 24..Fri 27 only.
    assert (case.promised_due_on - before).days == 4


def test_extension_needs_the_leader_and_is_bounded(world):
    case_id = handling_case(world)
    with pytest.raises(InvalidInput, match="不得超过10个工作日"):
        world.procedures.request_extension(HANDLER, case_id, 11, "需补充调查")
    with pytest.raises(Forbidden):
        world.procedures.request_extension(WINDOW, case_id, 3, "需补充调查")
    world.procedures.request_extension(HANDLER, case_id, 3, "需补充调查")
    with pytest.raises(Conflict):
        world.procedures.request_extension(HANDLER, case_id, 2, "再次申请")
    with pytest.raises(Forbidden):
        world.procedures.decide_extension(HANDLER, case_id, 1, True, None)
    case = world.procedures.decide_extension(LEADER, case_id, 1, True, "同意延期")
    assert case.step_due_at == datetime(2026, 12, 2, 23, 59, 59, tzinfo=CST)
    with pytest.raises(Conflict):
        world.procedures.decide_extension(LEADER, case_id, 1, False, None)


def test_deemed_acceptance_after_five_working_days(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.deadlines.sweep(datetime(2026, 11, 30, 23, tzinfo=CST))
    assert not any(w.rule == "deemed_acceptance" for w in world.warnings.for_case(case_id))
    world.deadlines.sweep(datetime(2026, 12, 1, 0, 0, 1, tzinfo=CST))
    world.deadlines.sweep(datetime(2026, 12, 2, tzinfo=CST))
    deemed = [w for w in world.warnings.for_case(case_id) if w.rule == "deemed_acceptance"]
    assert len(deemed) == 1 and world.cases.get(case_id).deemed_accepted


def test_card_lifecycle(world):
    case_id = handling_case(world)
    world.deadlines.sweep(at(28))
    yellow = next(w for w in world.warnings.for_case(case_id) if w.level.value == "yellow")
    inbox = {w.warning_id for w in world.cards.inbox(HANDLER, key=None, cursor=None, limit=10).items}
    assert inbox == {w.warning_id for w in world.warnings.for_case(case_id)}  # the reminder and the yellow card
    world.cards.act(HANDLER, yellow.warning_id, "acknowledge", None)
    with pytest.raises(Forbidden):
        world.cards.act(HANDLER, yellow.warning_id, "appeal", "系统故障")
    with pytest.raises(InvalidInput):
        world.cards.act(LEADER, yellow.warning_id, "appeal", " ")
    world.cards.act(LEADER, yellow.warning_id, "appeal", "申请人要求暂缓，已书面说明")
    with pytest.raises(Forbidden):
        world.cards.act(LEADER, yellow.warning_id, "revoke", "自己撤销")
    revoked = world.cards.act(INSPECTOR, yellow.warning_id, "revoke", "情况属实，撤销黄牌")
    assert revoked.status is CardStatus.REVOKED and not revoked.counts_in_score
    assert [h.to_status for h in revoked.history] == [CardStatus.ACKNOWLEDGED, CardStatus.APPEALED, CardStatus.REVOKED]
    with pytest.raises(Conflict):
        world.cards.act(INSPECTOR, yellow.warning_id, "uphold", "再维持")
    reminder = world.warnings.for_case(case_id)[0]
    with pytest.raises(Conflict):
        world.cards.act(HANDLER, reminder.warning_id, "acknowledge", None)


# --- property: over random sweep times and pauses, nothing due is missed, nothing twice, nothing early

sweeps = st.lists(st.integers(min_value=1, max_value=36), min_size=1, max_size=25)  # hours between events
pauses = st.lists(st.tuples(st.integers(0, 24), st.booleans()), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gaps=sweeps, toggles=pauses)
def test_no_card_is_missed_duplicated_or_early(gaps, toggles):
    world = World()
    case_id = handling_case(world)
    plan = dict(toggles)
    for index, gap in enumerate(gaps):
        world.clock.advance(hours=gap)
        if index in plan and plan[index]:
            case = world.cases.get(case_id)
            if case.open_pause:
                world.procedures.end_special_procedure(HANDLER, case_id, None)
            else:
                world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.INSPECTION, None)
        now = world.clock.now()
        before = world.cases.get(case_id)
        world.deadlines.sweep(now)
        after = world.cases.get(case_id)
        issued = world.warnings.for_case(case_id)
        ids = [w.warning_id for w in issued]
        assert len(ids) == len(set(ids))  # never twice
        for warning in issued:  # never early
            times = {"reminder": after.step_reminder_at, "yellow": after.step_due_at + timedelta(seconds=1), "red": after.step_red_at}
            if warning.issued_at == now and warning.rule == "time_limit":
                assert times[warning.level.value] <= now
        if before.open_pause is None:  # never missed while the clock runs
            for level, due in {"reminder": before.step_reminder_at, "yellow": before.step_due_at + timedelta(seconds=1), "red": before.step_red_at}.items():
                if due <= now:
                    assert level in after.warnings_issued


def test_warnings_are_published_once_each_reminders_included(world):
    from sunlight.services.deadlines import DeadlineService
    from tests.fakes.calendar import RecordingEvents

    events = RecordingEvents()
    world.deadlines = DeadlineService(cases=world.cases, warnings=world.warnings, notifier=world.notifier,
                                      clock=world.clock, events=events)
    case_id = handling_case(world)
    world.deadlines.sweep(datetime(2026, 12, 10, tzinfo=CST))
    world.deadlines.sweep(datetime(2026, 12, 11, tzinfo=CST))
    # Each once, dated when issued; the reminder too (the live overview counts it, the evaluation not).
    assert [(t, d["level"], d["event_id"]) for t, d, _ in events.published] == [
        ("WarningIssued", "reminder", f"{case_id}-3-reminder:issued"),
        ("WarningIssued", "yellow", f"{case_id}-3-yellow:issued"), ("WarningIssued", "red", f"{case_id}-3-red:issued")]
    assert {d["item_code"] for _, d, _ in events.published} == {world.cases.get(case_id).item_code}
