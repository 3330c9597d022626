"""Window intake (窗口代办) and the leader's department views, on fakes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sunlight.models.case import CaseStatus
from sunlight.models.office import DueWindow
from sunlight.models.requests import WindowApplicationRequest
from sunlight.models.roles import Principal, Role
from sunlight.services.applications import walk_in_owner
from sunlight.services.department import DepartmentService
from sunlight.services.errors import Forbidden, InvalidInput, NotFound
from sunlight.services.pagination import decode_cursor
from tests.fakes.cases import WeekdayCalendar
from tests.unit.conftest import CITIZEN, FOREIGN_WINDOW, HANDLER, INSPECTOR, ITEM, LEADER, WINDOW

WALK_IN = {"name": "王建国", "id_number": "11010519491231002x", "phone": "13912345678", "address": "市江南大道1号"}
FOREIGN_LEADER = Principal(user_id="l-9", name="钱进", roles=frozenset({Role.LEADER}), department_id="planning")


def walk_in(**overrides) -> WindowApplicationRequest:
    body = {"item_code": ITEM.item_code, "applicant": WALK_IN, "form": {"companyName": "王记小吃店"}} | overrides
    return WindowApplicationRequest.model_validate(body)


# --- window intake ----------------------------------------------------------------------------


def test_window_registers_a_walk_in_application_recorded_as_the_clerks(world):
    upload = world.uploaded(WINDOW)
    receipt = world.applications.apply_at_window(WINDOW, walk_in(upload_ids=[upload]), "walkin-key-0001")

    case, events = world.cases.get_with_timeline(receipt.case_id)
    assert case.status is CaseStatus.SUBMITTED and world.workflow.started == [receipt.case_id]
    assert case.applicant.name == "王建国" and case.applicant.id_number == "11010519491231002X"
    assert case.applicant_user_id == walk_in_owner(WINDOW.user_id)  # in no citizen's "my cases"
    assert events[0].actor.role == "window" and events[0].details["channel"] == "window"
    assert [a.attachment_id for a in case.attachments] == [upload]
    assert receipt.query_code == case.query_code


def test_retried_walk_in_with_the_same_key_creates_one_case(world):
    first = world.applications.apply_at_window(WINDOW, walk_in(), "walkin-key-0002")
    second = world.applications.apply_at_window(WINDOW, walk_in(), "walkin-key-0002")
    assert first.case_id == second.case_id and len(world.cases.cases) == 1


@pytest.mark.parametrize("principal", [CITIZEN, HANDLER, LEADER, INSPECTOR])
def test_only_window_clerks_register_walk_ins(world, principal):
    with pytest.raises(Forbidden):
        world.applications.apply_at_window(principal, walk_in(), None)
    assert world.cases.cases == {}


def test_window_of_another_department_cannot_register_this_item(world):
    with pytest.raises(Forbidden, match="本部门"):
        world.applications.apply_at_window(FOREIGN_WINDOW, walk_in(), None)


def test_unknown_item_at_the_window_is_not_found(world):
    with pytest.raises(NotFound):
        world.applications.apply_at_window(WINDOW, walk_in(item_code="999999-XX-0000"), None)


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491231002", "1101051949123100XX"])
def test_id_number_with_a_wrong_checksum_or_length_is_refused(number):
    with pytest.raises(ValidationError):
        walk_in(applicant=WALK_IN | {"id_number": number})


def test_checksum_message_tells_the_clerk_what_to_fix():
    with pytest.raises(ValidationError) as caught:
        walk_in(applicant=WALK_IN | {"id_number": "110105194912310021"})
    assert "校验位" in str(caught.value)


# --- the department's open cases ----------------------------------------------------------------


@pytest.fixture
def department(world) -> DepartmentService:
    return DepartmentService(cases=world.cases, clock=world.clock, calendar=WeekdayCalendar())


def _case_at(world, step: str) -> str:
    case_id = world.submitted_case()
    world.enter(case_id, step)
    return case_id


def test_leader_pages_through_the_departments_open_cases(world, department):
    ids = [_case_at(world, "accept") for _ in range(5)]
    first = department.cases(LEADER, None, status=None, step=None, due=None, cursor=None, limit=2)
    assert len(first.items) == 2 and first.next_cursor and decode_cursor(first.next_cursor)
    seen = [row.case_id for row in first.items]
    cursor = first.next_cursor
    while cursor:
        page = department.cases(LEADER, None, status=None, step=None, due=None, cursor=cursor, limit=2)
        seen += [row.case_id for row in page.items]
        cursor = page.next_cursor
    assert sorted(seen) == sorted(ids)
    assert first.items[0].applicant_name == "李华"


def test_due_window_and_step_filter(world, department):
    due_soon = _case_at(world, "accept")  # 1 working day: due within a day → near
    world.clock.advance(days=2)  # past that limit: overdue now
    fresh = _case_at(world, "accept")

    def ids(**filters) -> set[str]:
        query = {"status": None, "step": None, "due": None} | filters
        return {r.case_id for r in department.cases(LEADER, None, cursor=None, limit=50, **query).items}

    assert ids(due=DueWindow.OVERDUE) == {due_soon}
    assert fresh in ids(due=DueWindow.NEAR) | ids(due=DueWindow.NORMAL)
    assert due_soon not in ids(due=DueWindow.NEAR) | ids(due=DueWindow.NORMAL)
    assert ids(step=world.cases.get(fresh).step) == {due_soon, fresh}
    assert ids(status=CaseStatus.HANDLE) == set()


def test_other_departments_and_other_roles_are_refused(world, department):
    with pytest.raises(Forbidden):
        department.cases(FOREIGN_LEADER, "market", status=None, step=None, due=None, cursor=None, limit=20)
    with pytest.raises(Forbidden):
        department.cases(LEADER, "planning", status=None, step=None, due=None, cursor=None, limit=20)
    with pytest.raises(Forbidden):
        department.cases(HANDLER, None, status=None, step=None, due=None, cursor=None, limit=20)


def test_city_inspector_names_the_department(world, department):
    case_id = _case_at(world, "accept")
    with pytest.raises(InvalidInput):
        department.cases(INSPECTOR, None, status=None, step=None, due=None, cursor=None, limit=20)
    rows = department.cases(INSPECTOR, "market", status=None, step=None, due=None, cursor=None, limit=20).items
    assert [r.case_id for r in rows] == [case_id]


def test_pending_extensions_list_only_cases_waiting_for_the_leader(world, department):
    waiting = _case_at(world, "handle")
    _case_at(world, "handle")
    world.procedures.request_extension(HANDLER, waiting, 2, "需现场核查")
    page = department.pending_extensions(LEADER, cursor=None, limit=20)
    assert [r.case_id for r in page.items] == [waiting]
    assert page.items[0].pending_extension.days == 2
    with pytest.raises(Forbidden):
        department.pending_extensions(HANDLER, cursor=None, limit=20)

    world.procedures.decide_extension(LEADER, waiting, 1, True, "同意")
    assert department.pending_extensions(LEADER, cursor=None, limit=20).items == []
