"""The real instant-flow ASL (即办件, 行政许可法 第三十四条) executed by moto's Step Functions
interpreter, calling our real flow_step handler: one window step that accepts and decides at once,
or asks for the missing material, or does not accept. Every branch."""

from __future__ import annotations

import json

import pytest

from sunlight.models.case import CaseStatus
from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at

INSTANT_LIMITS = {"instant": 0}


def start_instant(aws) -> str:
    return start_case(aws, "instant", step_limit_days=INSTANT_LIMITS)


@pytest.mark.parametrize(
    ("decision", "status"),
    [("approve", CaseStatus.COMPLETED), ("deny", CaseStatus.DENIED), ("reject", CaseStatus.REJECTED)],
)
def test_the_window_decides_on_the_spot(aws, decision, status):
    case_id = start_instant(aws)
    decide(aws, case_id, "instant", decision)
    execution = finished(aws, case_id, flow="instant")
    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"])["result"] == {"outcome": status.value}
    assert path_of(aws, case_id) == [("apply", "submitted"), ("dispatch", "instant"), (decision, status.value)]
    case = aws["cases"].get(case_id)
    assert case.status is status and case.closed_at is not None
    # Accepted and decided at once: the decision's moment is the acceptance (第三十四条), unless not accepted.
    assert (case.accepted_at is not None) is (decision != "reject")


def test_missing_material_is_supplied_and_the_window_decides_then(aws):
    case_id = start_instant(aws)
    decide(aws, case_id, "instant", "request_supplement")
    decide(aws, case_id, "supplement", "resubmit", role="citizen")
    decide(aws, case_id, "instant", "approve")
    assert finished(aws, case_id, flow="instant")["status"] == "SUCCEEDED"
    assert path_of(aws, case_id)[1:] == [
        ("dispatch", "instant"), ("request_supplement", "supplement"), ("resubmit", "instant"), ("approve", "completed"),
    ]


def test_a_supplement_wait_that_ran_out_withdraws_the_instant_application(aws, deadlines):
    from datetime import timedelta

    case_id = start_instant(aws)
    decide(aws, case_id, "instant", "request_supplement")
    waiting_at(aws, case_id, "supplement")
    case = aws["cases"].get(case_id)
    deadlines.check(case_id, case.supplement_due_at + timedelta(seconds=2))
    assert json.loads(finished(aws, case_id, flow="instant")["output"])["result"] == {"outcome": "withdrawn"}


def test_a_decision_the_instant_step_does_not_take_fails_the_execution(aws):
    case_id = start_instant(aws)
    token = waiting_at(aws, case_id, "instant")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "accept"}))
    execution = finished(aws, case_id, flow="instant")
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")
