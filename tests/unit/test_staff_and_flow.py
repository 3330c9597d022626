from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from sunlight.models.case import CaseStatus
from sunlight.models.flow import Outcome, Step
from sunlight.models.requests import StaffAction, SupplementRequest
from sunlight.models.roles import Role
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from tests.unit.conftest import CITIZEN, FOREIGN_WINDOW, HANDLER, INSPECTOR, LEADER, OTHER_CITIZEN, REVIEWER, WINDOW

ACTION = TypeAdapter(StaffAction)


def act(world, principal, case_id, request_id=None, **body):
    return world.staff.act(principal, case_id, ACTION.validate_python(body), request_id)


def test_enter_step_records_transition_sets_due_and_publishes(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")

    case, events = world.cases.get_with_timeline(case_id)
    assert case.status is CaseStatus.ACCEPT and case.task_token == "token-1"
    # accepted Monday 09:00 CST with a 1-working-day limit: due end of Tuesday
    assert case.step_due_at.isoformat() == "2026-11-24T23:59:59+08:00"
    assert [(e.action, e.from_state, e.to_state) for e in events][-1] == ("dispatch", CaseStatus.SUBMITTED, CaseStatus.ACCEPT)
    published = world.publisher.published[-1]
    assert (published.schema_version, published.to_state, published.event_id) == ("1.0", "accept", f"{case_id}#2")


def test_full_standard_flow_records_who_did_what(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="accept", opinion="材料齐全，予以受理")
    world.enter(case_id, "handle")
    act(world, HANDLER, case_id, action="submit", opinion="经现场核查，符合条件")
    world.enter(case_id, "review")
    act(world, REVIEWER, case_id, action="pass")
    world.enter(case_id, "approve")
    act(world, LEADER, case_id, action="approve", opinion="准予许可")
    world.enter(case_id, "complete")
    act(world, WINDOW, case_id, action="complete", opinion="证书编号 JY13301000001")
    world.flow.finalize(case_id, Outcome.COMPLETED)

    case, events = world.cases.get_with_timeline(case_id)
    assert case.status is CaseStatus.COMPLETED and case.closed_at is not None
    assert case.decision_text == "准予许可" and case.result_text == "证书编号 JY13301000001"
    assert [(e.actor.name, e.actor.role, e.action, e.from_state.value if e.from_state else None, e.to_state.value) for e in events] == [
        ("李华", "citizen", "apply", None, "submitted"),
        ("系统", "system", "dispatch", "submitted", "accept"),
        ("张敏", "window", "accept", "accept", "handle"),
        ("刘强", "handler", "submit", "handle", "review"),
        ("陈静", "reviewer", "pass", "review", "approve"),
        ("赵刚", "leader", "approve", "approve", "complete"),
        ("张敏", "window", "complete", "complete", "completed"),
    ]
    assert [d for _, d in world.workflow.sent] == [{"decision": d} for d in ("accept", "submit", "pass", "approve", "complete")]
    assert len(world.publisher.published) == 6


def test_staff_of_another_department_is_forbidden_and_case_unchanged(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    before = world.cases.get(case_id)
    with pytest.raises(Forbidden):
        act(world, FOREIGN_WINDOW, case_id, action="accept")
    assert world.cases.get(case_id) == before and world.workflow.sent == []


def test_wrong_role_for_the_step_is_forbidden(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    with pytest.raises(Forbidden, match="窗口受理人员"):
        act(world, HANDLER, case_id, action="accept")


def test_action_of_another_step_conflicts(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    with pytest.raises(Conflict, match="受理"):
        act(world, LEADER, case_id, action="approve", opinion="准予许可")


def test_repeated_action_conflicts_and_changes_nothing(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="accept")
    before = world.cases.get(case_id)
    with pytest.raises(Conflict, match="正在流转"):
        act(world, WINDOW, case_id, action="accept")
    world.enter(case_id, "handle")
    with pytest.raises(Conflict, match="承办"):
        act(world, WINDOW, case_id, action="accept")
    assert len(world.workflow.sent) == 1 and before.pending is not None


def test_retried_action_with_same_request_id_is_answered_once(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    first = act(world, WINDOW, case_id, "req-000001", action="accept")
    again = act(world, WINDOW, case_id, "req-000001", action="accept")  # before the flow moved on
    world.enter(case_id, "handle")
    later = act(world, WINDOW, case_id, "req-000001", action="accept")  # after
    assert first == again == later
    assert len(world.workflow.sent) == 1
    assert [e.action for e in world.cases.events[case_id]].count("accept") == 1


@pytest.mark.parametrize("other", [{"action": "reject", "opinion": "材料不齐全，不予受理"},
                                   {"action": "accept", "opinion": "同意受理"}])
def test_the_same_request_id_with_another_decision_or_body_is_refused_not_answered_with_the_first(world, other):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, "req-000001", action="accept")
    with pytest.raises(InvalidInput, match="Idempotency-Key"):  # while the decision is pending
        act(world, WINDOW, case_id, "req-000001", **other)
    world.enter(case_id, "handle")
    with pytest.raises(InvalidInput, match="Idempotency-Key"):  # and once it is recorded
        act(world, WINDOW, case_id, "req-000001", **other)
    assert len(world.workflow.sent) == 1


def test_engine_failure_undoes_the_decision(world):
    case_id = world.submitted_case()
    token = world.enter(case_id, "accept")
    world.workflow.fail_with = RuntimeError("throttled")
    with pytest.raises(Unavailable):
        act(world, WINDOW, case_id, action="accept")
    case = world.cases.get(case_id)
    assert case.pending is None and case.task_token == token and case.awaiting_staff


def test_stale_token_is_a_conflict_and_undone(world):
    case_id = world.submitted_case()
    token = world.enter(case_id, "accept")
    world.workflow.stale_tokens.add(token)
    with pytest.raises(Conflict, match="挂起"):
        act(world, WINDOW, case_id, action="accept")
    assert world.cases.get(case_id).task_token == token


def test_supplement_loop_resumes_at_acceptance(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="request_supplement", missing_materials=["营业执照副本", "场所平面图"])
    world.enter(case_id, "supplement")
    case = world.cases.get(case_id)
    assert case.status is CaseStatus.SUPPLEMENT and case.missing_materials == ("营业执照副本", "场所平面图")
    assert not case.awaiting_staff  # the applicant's turn: not in any staff worklist

    with pytest.raises(Forbidden):
        world.applications.supplement(OTHER_CITIZEN, case_id, SupplementRequest(upload_ids=["c" * 32]), None)
    upload = world.uploaded(upload_id="c" * 32, file_name="营业执照副本.pdf")
    world.applications.supplement(CITIZEN, case_id, SupplementRequest(upload_ids=[upload], note="已补齐"), None)
    world.enter(case_id, "accept")

    case, events = world.cases.get_with_timeline(case_id)
    assert case.status is CaseStatus.ACCEPT and case.missing_materials == ()
    assert [a.file_name for a in case.attachments] == ["营业执照副本.pdf"]
    assert [e.action for e in events][-2:] == ["request_supplement", "resubmit"]
    assert events[-2].details["missing_materials"] == ["营业执照副本", "场所平面图"]


def test_supplement_when_not_requested_conflicts(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    with pytest.raises(Conflict):
        world.applications.supplement(CITIZEN, case_id, SupplementRequest(upload_ids=["c" * 32]), None)


def test_review_return_goes_back_to_the_handler(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="accept")
    world.enter(case_id, "handle")
    act(world, HANDLER, case_id, action="submit", opinion="初审意见")
    world.enter(case_id, "review")
    act(world, REVIEWER, case_id, action="return", opinion="缺少现场核查记录")
    world.enter(case_id, "handle")
    case, events = world.cases.get_with_timeline(case_id)
    assert case.status is CaseStatus.HANDLE
    assert (events[-1].action, events[-1].from_state, events[-1].to_state, events[-1].opinion) == (
        "return", CaseStatus.REVIEW, CaseStatus.HANDLE, "缺少现场核查记录")


def test_reject_and_deny_end_the_case_with_their_reason(world):
    rejected = world.submitted_case()
    world.enter(rejected, "accept")
    act(world, WINDOW, rejected, action="reject", opinion="不属于本部门职权范围")
    world.flow.finalize(rejected, Outcome.REJECTED)
    case = world.cases.get(rejected)
    assert case.status is CaseStatus.REJECTED and case.decision_text == "不属于本部门职权范围"
    with pytest.raises(Conflict, match="不予受理"):
        act(world, WINDOW, rejected, action="accept")


def test_retried_callback_records_once_and_republishes(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.publisher.fail_next = True
    act(world, WINDOW, case_id, action="accept")
    with pytest.raises(RuntimeError):
        world.flow.enter_step(case_id, Step.HANDLE, "token-a")  # recorded, but the bus failed
    world.flow.enter_step(case_id, Step.HANDLE, "token-b")  # the state machine retries
    case, events = world.cases.get_with_timeline(case_id)
    assert [e.action for e in events].count("accept") == 1 and case.task_token == "token-b"
    assert world.publisher.published[-1].event_id == f"{case_id}#3"


def test_worklist_is_per_department_and_role_earliest_due_first(world):
    first = world.submitted_case()
    world.enter(first, "accept")
    world.clock.advance(days=1)
    second = world.submitted_case()
    world.enter(second, "accept")
    page = world.staff.worklist(WINDOW, role=None, step=None, cursor=None, limit=1)
    assert [c.case_id for c in page.items] == [first] and page.next_cursor
    rest = world.staff.worklist(WINDOW, role=None, step=None, cursor=page.next_cursor, limit=1)
    assert [c.case_id for c in rest.items] == [second] and rest.next_cursor is None
    assert world.staff.worklist(HANDLER, role=None, step=None, cursor=None, limit=10).items == []
    with pytest.raises(Forbidden):
        world.staff.worklist(WINDOW, role=Role.LEADER, step=None, cursor=None, limit=10)


def test_inspector_sees_any_case_but_foreign_staff_do_not(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    view = world.staff.case_detail(INSPECTOR, case_id)
    assert view.actionable is False and view.applicant.id_number == "110***********002X"
    assert world.staff.case_detail(WINDOW, case_id).actionable is True
    with pytest.raises(Forbidden):
        world.staff.case_detail(FOREIGN_WINDOW, case_id)
    with pytest.raises(NotFound):
        world.staff.case_detail(WINDOW, "SL20260101XXXXXX")


def _interleave(world, change):
    """The next save of the case loses a race to `change` (what a background writer does meanwhile)."""
    original = world.cases.save

    def save(case, *, expected_version, events=()):
        world.cases.save = original
        stored = world.cases.cases[case.case_id]
        world.cases.cases[case.case_id] = change(stored).model_copy(update={"version": stored.version + 1})
        return original(case, expected_version=expected_version, events=events)

    world.cases.save = save


def test_a_decision_survives_background_bookkeeping_on_the_case(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    # The deadline check records a reminder and moves the alarm between the clerk's read and save.
    _interleave(world, lambda case: case.model_copy(update={"warnings_issued": ("reminder",)}))
    receipt = act(world, WINDOW, case_id, action="accept")
    assert receipt.decision == "accept" and len(world.workflow.sent) == 1
    stored = world.cases.get(case_id)
    assert stored.pending is not None and stored.warnings_issued == ("reminder",)  # both kept


def test_a_decision_on_a_case_that_moved_on_meanwhile_conflicts(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    _interleave(world, lambda case: case.model_copy(update={"task_token": "token-of-another-visit"}))
    with pytest.raises(Conflict, match="案件状态已发生变化"):
        act(world, WINDOW, case_id, action="accept")
    assert world.workflow.sent == [] and world.cases.get(case_id).pending is None
