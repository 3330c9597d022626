"""The real 上报件 ASL (行政许可法 第三十五条, 第四十三条) executed by moto's Step Functions interpreter,
calling our real flow_step handler: the lower department (echeng-market) accepts, reviews first and
reports; the upper department (the city's market) handles, reviews and decides on its own part case
with its own task tokens; the decision comes back down and the lower window issues it. Every branch
a person can take; the hard-limit timeout (States.Timeout) cannot be sent with a task token, its
Catch is checked on the definition (tests/unit/test_flow_definition.py) and the suspension of both
cases in tests/unit/test_reported_flow.py."""

from __future__ import annotations

import json
import time

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.reported import upper_case_id
from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at

REPORTED_ITEM = "420704-XK-0251"  # 食品生产许可（区级受理初审、市级审批）: echeng-market reports to market
LIMITS = {"accept": 1, "preliminary_review": 4, "report": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1}


def _start(aws) -> str:
    return start_case(aws, "reported", step_limit_days=LIMITS, item_code=REPORTED_ITEM,
                      item_name="食品生产许可（区级受理初审、市级审批）", department_id="echeng-market",
                      department_name="鄂城区市场监督管理局")


def wait_for(aws, case_id: str, predicate, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = aws["cases"].get(case_id)
        if case is not None and predicate(case):
            return case
        time.sleep(0.05)
    raise AssertionError(f"{case_id}: {aws['cases'].get(case_id)}")


def reported(aws) -> tuple[str, str]:
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    decide(aws, case_id, "preliminary_review", "submit", role="handler")
    decide(aws, case_id, "report", "report", role="leader")
    return case_id, upper_case_id(case_id)


def test_a_reported_case_goes_up_for_the_decision_and_comes_back_down_to_be_issued(aws):
    case_id, part_id = reported(aws)
    # The lower case waits at 已上报 with no token; the upper department's part has its own.
    waiting_at(aws, part_id, "handle")
    lower, part = aws["cases"].get(case_id), aws["cases"].get(part_id)
    assert (lower.status, lower.step, lower.task_token) == (CaseStatus.REPORTED, None, None)
    assert (part.department_id, part.parent_case_id, part.flow.value) == ("market", case_id, "reported")
    assert part.step_limit_days == {"handle": 4, "review": 2, "approve": 2} and part.step_due_at is not None
    decide(aws, part_id, "handle", "submit", role="handler")
    decide(aws, part_id, "review", "pass", role="reviewer")
    decide(aws, part_id, "approve", "approve", role="leader")
    decide(aws, case_id, "complete", "complete")
    execution = finished(aws, case_id, flow="reported")
    assert execution["status"] == "SUCCEEDED", execution
    assert json.loads(execution["output"])["result"] == {"outcome": "completed"}
    assert path_of(aws, case_id) == [
        ("apply", "submitted"), ("dispatch", "accept"), ("accept", "preliminary_review"), ("submit", "report"),
        ("report", "reported"), ("approve", "complete"), ("complete", "completed"),
    ]
    assert path_of(aws, part_id) == [("report", "handle"), ("submit", "review"), ("pass", "approve"), ("approve", "completed")]
    assert aws["cases"].get(part_id).task_token is None


def test_the_upper_reviewer_returns_and_the_upper_leader_denies(aws):
    case_id, part_id = reported(aws)
    decide(aws, part_id, "handle", "submit", role="handler")
    decide(aws, part_id, "review", "return", role="reviewer")
    decide(aws, part_id, "handle", "submit", role="handler")
    decide(aws, part_id, "review", "pass", role="reviewer")
    decide(aws, part_id, "approve", "deny", role="leader")
    assert json.loads(finished(aws, case_id, flow="reported")["output"])["result"] == {"outcome": "denied"}
    assert aws["cases"].get(part_id).status is CaseStatus.DENIED
    assert path_of(aws, case_id)[-1] == ("deny", "denied")


def test_the_lower_leader_returns_the_preliminary_opinion_before_reporting(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "accept")
    decide(aws, case_id, "preliminary_review", "submit", role="handler")
    decide(aws, case_id, "report", "return", role="leader")
    decide(aws, case_id, "preliminary_review", "submit", role="handler")
    decide(aws, case_id, "report", "report", role="leader")
    waiting_at(aws, upper_case_id(case_id), "handle")
    assert [a for a, _ in path_of(aws, case_id)] == ["apply", "dispatch", "accept", "submit", "return", "submit", "report"]


@pytest.mark.parametrize(("decision", "outcome"), [("reject", "rejected")])
def test_the_lower_window_does_not_accept(aws, decision, outcome):
    case_id = _start(aws)
    decide(aws, case_id, "accept", decision)
    assert json.loads(finished(aws, case_id, flow="reported")["output"])["result"] == {"outcome": outcome}
    assert aws["cases"].get(upper_case_id(case_id)) is None


def test_missing_material_is_asked_for_below_before_acceptance(aws):
    case_id = _start(aws)
    decide(aws, case_id, "accept", "request_supplement", missing=["食品生产设备布局图"])
    decide(aws, case_id, "supplement", "resubmit", role="citizen")
    decide(aws, case_id, "accept", "accept")
    wait_for(aws, case_id, lambda c: c.status is CaseStatus.PRELIMINARY_REVIEW)
    assert [a for a, _ in path_of(aws, case_id)] == ["apply", "dispatch", "request_supplement", "resubmit", "accept"]


def test_a_supplement_wait_that_ran_out_withdraws_the_application(aws, deadlines):
    from datetime import timedelta

    case_id = _start(aws)
    decide(aws, case_id, "accept", "request_supplement", missing=["食品生产设备布局图"])
    waiting_at(aws, case_id, "supplement")
    case = aws["cases"].get(case_id)
    deadlines.check(case_id, case.supplement_due_at + timedelta(seconds=2))
    assert json.loads(finished(aws, case_id, flow="reported")["output"])["result"] == {"outcome": "withdrawn"}


def test_a_request_for_material_from_above_fails_the_execution(aws):
    # 第三十五条: the upper level may not ask the applicant again; the ASL has no such branch above.
    case_id, part_id = reported(aws)
    token = waiting_at(aws, part_id, "handle")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "request_supplement"}))
    execution = finished(aws, case_id, flow="reported")
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")
