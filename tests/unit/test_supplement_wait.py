"""The 补正 wait: set per item in working days (WarningRules.supplement_wait_working_days, the
city's default 30), counted from the notice like every limit (from the next day, 民法典 第二百零一条,
working days only, 行政许可法 第八十二条). When it runs out, the deadline check ends the applicant's
step and the flow withdraws the application, saying why. Before: a fixed 180 calendar days in
the state machine, the same for every item, blind to holidays and to the demo clock.

FakeClock starts Monday 2026-11-23 09:00 CST; the weekday calendar has no holidays."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.models.case import CaseStatus
from sunlight.models.clock import WarningRules
from sunlight.models.flow import WITHDRAW_DECISION, Outcome
from sunlight.models.requests import StaffAction, SupplementRequest
from tests.fakes.catalog import make_item
from tests.unit.conftest import CITIZEN, ITEM, WINDOW

CST = timezone(timedelta(hours=8))
ACTION = TypeAdapter(StaffAction)


def waiting_for_supplement(world) -> tuple[str, str]:
    """Told to supplement on Monday 23 Nov; returns the case and its 补正 task token."""
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.staff.act(WINDOW, case_id, ACTION.validate_python({"action": "request_supplement", "missing_materials": ["营业执照副本"]}), None)
    return case_id, world.enter(case_id, "supplement")


def test_the_wait_is_the_items_working_days_from_the_notice(world):
    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={"warning_rules": WarningRules(supplement_wait_working_days=10)})
    case_id, _ = waiting_for_supplement(world)
    case = world.cases.get(case_id)
    # 10 working days after Mon 23 Nov, weekends not counted: Mon 7 Dec, at its end.
    assert case.supplement_due_at == datetime(2026, 12, 7, 23, 59, 59, tzinfo=CST)
    assert case.next_alarm_at == datetime(2026, 12, 8, 0, 0, 0, tzinfo=CST)
    assert world.tracking.my_case(CITIZEN, case_id).supplement_due_at == case.supplement_due_at  # the applicant is told


def test_the_city_default_is_30_working_days_and_an_item_sets_its_own_within_bounds():
    assert WarningRules().supplement_wait_working_days == 30
    assert make_item("420700-XK-0999").warning_rules.supplement_wait_working_days == 30
    assert make_item("420700-XK-0999", warning_rules={"supplement_wait_working_days": 15}).warning_rules.supplement_wait_working_days == 15
    for days in (0, 4, 91):
        with pytest.raises(ValidationError):
            make_item("420700-XK-0999", warning_rules={"supplement_wait_working_days": days})


def test_when_the_wait_runs_out_the_check_ends_the_step_and_the_flow_withdraws_saying_why(world):
    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={"warning_rules": WarningRules(supplement_wait_working_days=10)})
    case_id, token = waiting_for_supplement(world)
    world.deadlines.sweep(datetime(2026, 12, 7, 23, 59, 59, tzinfo=CST))  # the last second of the wait
    assert world.workflow.sent[-1][1].get("decision") != WITHDRAW_DECISION
    world.deadlines.sweep(datetime(2026, 12, 8, 0, 0, 1, tzinfo=CST))
    assert world.workflow.sent[-1] == (token, {"decision": WITHDRAW_DECISION})
    world.deadlines.sweep(datetime(2026, 12, 8, 0, 5, tzinfo=CST))  # again before the flow answered: stale, ignored

    world.clock.current = datetime(2026, 12, 8, 0, 0, 2, tzinfo=CST)
    world.flow.finalize(case_id, Outcome.WITHDRAWN)  # the state machine's Withdrawn branch
    case, events = world.cases.get_with_timeline(case_id)
    assert case.status is CaseStatus.WITHDRAWN and case.next_alarm_at is None
    assert events[-1].action == "finalize"
    assert events[-1].opinion == "申请人未在补正期限10个工作日内（2026年12月07日前）补正材料，视为撤回申请。"


def test_a_supplement_in_time_leaves_nothing_to_withdraw(world):
    case_id, token = waiting_for_supplement(world)
    upload = world.uploaded(upload_id="c" * 32, file_name="营业执照副本.pdf")
    world.applications.supplement(CITIZEN, case_id, SupplementRequest(upload_ids=[upload]), None)
    world.enter(case_id, "accept")
    case = world.cases.get(case_id)
    assert case.supplement_due_at is None
    world.deadlines.sweep(datetime(2027, 3, 1, tzinfo=CST))
    assert all(output.get("decision") != WITHDRAW_DECISION for _, output in world.workflow.sent)
