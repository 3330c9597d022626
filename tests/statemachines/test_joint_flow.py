"""The real joint-approval ASL (并联审批, 行政许可法 第二十六条) executed by moto's Step Functions
interpreter, calling our real flow_step handler: the lead accepts once, a Map runs one part case
per co-department (its own task token, department and clock), the opinions are gathered (one
combined 补正 notice when any department asks for material), and the lead decides for all. Every
branch, the Map and the combined supplement included."""

from __future__ import annotations

import json
import time

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.joint import part_case_id
from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at

JOINT_ITEM = "420700-XK-0404"  # 建筑工程施工许可（工程建设项目并联审批）: housing leads planning, ecology, urban
CO_DEPARTMENTS = ("planning", "ecology", "urban")
JOINT_LIMITS = {"accept": 1, "opinion": 5, "handle": 3, "review": 2, "approve": 2, "complete": 1}


def _start(aws) -> str:
    return start_case(aws, "joint", step_limit_days=JOINT_LIMITS, item_code=JOINT_ITEM,
                      item_name="建筑工程施工许可（工程建设项目并联审批）", department_id="housing",
                      department_name="市住房和城乡建设局")


def parts(case_id: str, round_: int = 1) -> list[str]:
    return [part_case_id(case_id, department, round_) for department in CO_DEPARTMENTS]


def wait_for(aws, case_id: str, predicate, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = aws["cases"].get(case_id)
        if case is not None and predicate(case):
            return case
        time.sleep(0.05)
    raise AssertionError(f"{case_id}: {aws['cases'].get(case_id)}")


def give_opinions(aws, case_id: str, decisions: dict[str, str], round_: int = 1, missing: dict[str, list[str]] | None = None) -> None:
    for department in CO_DEPARTMENTS:
        decide(aws, part_case_id(case_id, department, round_), "opinion", decisions.get(department, "agree"), role="handler",
               missing=(missing or {}).get(department, ()))


def test_a_joint_case_runs_every_co_department_in_parallel_and_the_lead_decides_for_all(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    # The lead waits at 征求意见 with no token; each co-department has its own part case and token.
    lead = wait_for(aws, case_id, lambda c: c.status is CaseStatus.OPINION)
    assert lead.task_token is None and lead.joint_round == 1 and set(lead.joint_parts) == set(parts(case_id))
    tokens = {waiting_at(aws, pid, "opinion") for pid in parts(case_id)}
    assert len(tokens) == 3
    for department, pid in zip(CO_DEPARTMENTS, parts(case_id), strict=True):
        part = aws["cases"].get(pid)
        assert (part.department_id, part.parent_case_id, part.flow.value) == (department, case_id, "joint")
        assert part.step_due_at is not None and part.accepted_at is not None
    give_opinions(aws, case_id, {"ecology": "disagree"})
    decide(aws, case_id, "handle", "submit", role="handler")
    decide(aws, case_id, "review", "pass", role="reviewer")
    decide(aws, case_id, "approve", "approve", role="leader")
    decide(aws, case_id, "complete", "complete")
    execution = finished(aws, case_id, flow="joint")
    assert execution["status"] == "SUCCEEDED", execution
    assert json.loads(execution["output"])["result"] == {"outcome": "completed"}
    assert path_of(aws, case_id) == [
        ("apply", "submitted"), ("dispatch", "accept"), ("accept", "opinion"), ("gather", "opinion"),
        ("dispatch", "handle"), ("submit", "review"), ("pass", "approve"), ("approve", "complete"),
        ("complete", "completed"),
    ]
    # Every part closed with its opinion; a co-department's disagreement is before the lead.
    _, events = aws["cases"].get_with_timeline(case_id)
    gathered = next(e for e in events if e.action == "gather")
    assert {o["department_id"]: o["decision"] for o in gathered.details["opinions"]} == {
        "planning": "agree", "ecology": "disagree", "urban": "agree",
    }
    for pid in parts(case_id):
        part = aws["cases"].get(pid)
        assert part.status is CaseStatus.COMPLETED and part.task_token is None
        assert [a for a, _ in path_of(aws, pid)] == ["forward", part.last_decision]


def test_any_request_for_material_becomes_one_combined_notice_then_a_new_round(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    give_opinions(aws, case_id, {"planning": "request_supplement", "urban": "request_supplement"},
                  missing={"planning": ["建设工程规划许可证"], "urban": ["建筑垃圾处置方案"]})
    waiting_at(aws, case_id, "supplement")
    lead = aws["cases"].get(case_id)
    # ONE notice (一次性告知) with every department's missing items.
    names = {p.department_id: p.department_name for p in (aws["cases"].get(pid) for pid in parts(case_id))}
    assert set(lead.missing_materials) == {f"{names['planning']}：建设工程规划许可证", f"{names['urban']}：建筑垃圾处置方案"}
    assert [a for a, _ in path_of(aws, case_id)].count("request_supplement") == 1
    decide(aws, case_id, "supplement", "resubmit", role="citizen")
    # Forwarded again: a new round of parts.
    lead = wait_for(aws, case_id, lambda c: c.joint_round == 2 and c.status is CaseStatus.OPINION)
    assert lead.missing_materials == ()
    give_opinions(aws, case_id, {}, round_=2)
    decide(aws, case_id, "handle", "submit", role="handler")
    decide(aws, case_id, "review", "return", role="reviewer")
    decide(aws, case_id, "handle", "submit", role="handler")
    decide(aws, case_id, "review", "pass", role="reviewer")
    decide(aws, case_id, "approve", "deny", role="leader")
    assert json.loads(finished(aws, case_id, flow="joint")["output"])["result"] == {"outcome": "denied"}
    assert len(aws["cases"].get(case_id).joint_parts) == 6


@pytest.mark.parametrize(("decision", "outcome"), [("reject", "rejected")])
def test_the_lead_window_does_not_accept(aws, decision, outcome):
    case_id = _start(aws)
    decide(aws, case_id, "accept", decision)
    assert json.loads(finished(aws, case_id, flow="joint")["output"])["result"] == {"outcome": outcome}
    assert aws["cases"].get(case_id).joint_parts == ()


def test_missing_material_before_acceptance_returns_to_the_lead_window(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "request_supplement", missing=["施工合同"])
    decide(aws, case_id, "supplement", "resubmit", role="citizen")
    decide(aws, case_id, "accept", "accept")
    wait_for(aws, case_id, lambda c: c.status is CaseStatus.OPINION)
    assert [a for a, _ in path_of(aws, case_id)] == ["apply", "dispatch", "request_supplement", "resubmit", "accept"]


def test_a_combined_supplement_wait_that_ran_out_withdraws_the_joint_application(aws, deadlines):
    from datetime import timedelta

    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    give_opinions(aws, case_id, {"ecology": "request_supplement"}, missing={"ecology": ["环评批复"]})
    waiting_at(aws, case_id, "supplement")
    case = aws["cases"].get(case_id)
    deadlines.check(case_id, case.supplement_due_at + timedelta(seconds=2))
    assert json.loads(finished(aws, case_id, flow="joint")["output"])["result"] == {"outcome": "withdrawn"}


def test_an_unknown_opinion_fails_the_execution(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    token = waiting_at(aws, parts(case_id)[0], "opinion")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "approve"}))
    execution = finished(aws, case_id, flow="joint")
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")


def test_a_part_that_fails_with_step_timed_out_suspends_the_joint_case_and_its_other_parts(aws):
    # A real States.Timeout cannot be sent with a task token (no custom error may start with
    # "States."); the iterator's own Catch of it is checked on the definition
    # (tests/unit/test_flow_definition.py). Its PartTimedOut state fails the iteration with
    # StepTimedOut, which is what the Map catches: send that.
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    first, *others = parts(case_id)
    token = waiting_at(aws, first, "opinion")
    for pid in others:
        waiting_at(aws, pid, "opinion")
    aws["sfn"].send_task_failure(taskToken=token, error="StepTimedOut", cause="test")
    execution = finished(aws, case_id, flow="joint")
    assert (execution["status"], execution.get("error")) == ("FAILED", "StepTimedOut")
    assert aws["cases"].get(case_id).status is CaseStatus.SUSPENDED
    assert {aws["cases"].get(pid).status for pid in parts(case_id)} == {CaseStatus.SUSPENDED}
