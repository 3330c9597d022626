"""The real standard-flow ASL (承诺件) executed by moto's Step Functions interpreter, calling our real
flow_step handler in-process. Each test drives one path by answering task tokens directly."""

from __future__ import annotations

import json

from sunlight.models.case import CaseStatus
from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at


def test_happy_path(aws):
    case_id = start_case(aws)
    for step, decision in [("accept", "accept"), ("handle", "submit"), ("review", "pass"), ("approve", "approve"), ("complete", "complete")]:
        decide(aws, case_id, step, decision)
    execution = finished(aws, case_id)
    assert execution["status"] == "SUCCEEDED"
    assert json.loads(execution["output"])["result"] == {"outcome": "completed"}
    assert path_of(aws, case_id) == [
        ("apply", "submitted"), ("dispatch", "accept"), ("accept", "handle"), ("submit", "review"),
        ("pass", "approve"), ("approve", "complete"), ("complete", "completed"),
    ]


def test_reject_at_acceptance(aws):
    case_id = start_case(aws)
    decide(aws, case_id, "accept", "reject")
    assert finished(aws, case_id)["status"] == "SUCCEEDED"
    assert path_of(aws, case_id)[-1] == ("reject", "rejected")
    assert aws["cases"].get(case_id).status is CaseStatus.REJECTED


def test_supplement_loop_returns_to_acceptance(aws):
    case_id = start_case(aws)
    decide(aws, case_id, "accept", "request_supplement")
    decide(aws, case_id, "supplement", "resubmit")
    decide(aws, case_id, "accept", "request_supplement")
    decide(aws, case_id, "supplement", "resubmit")
    waiting_at(aws, case_id, "accept")
    assert path_of(aws, case_id)[1:] == [
        ("dispatch", "accept"), ("request_supplement", "supplement"), ("resubmit", "accept"),
        ("request_supplement", "supplement"), ("resubmit", "accept"),
    ]


def test_review_return_goes_back_to_handling(aws):
    case_id = start_case(aws)
    decide(aws, case_id, "accept", "accept")
    decide(aws, case_id, "handle", "submit")
    decide(aws, case_id, "review", "return")
    waiting_at(aws, case_id, "handle")
    assert path_of(aws, case_id)[-1] == ("return", "handle")


def test_deny_at_approval(aws):
    case_id = start_case(aws)
    for step, decision in [("accept", "accept"), ("handle", "submit"), ("review", "pass"), ("approve", "deny")]:
        decide(aws, case_id, step, decision)
    assert finished(aws, case_id)["status"] == "SUCCEEDED"
    assert aws["cases"].get(case_id).status is CaseStatus.DENIED


def test_a_decision_of_another_step_fails_the_execution(aws):
    case_id = start_case(aws)
    token = waiting_at(aws, case_id, "accept")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "approve"}))
    execution = finished(aws, case_id)
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")


def test_pause_resume_and_extension_keep_the_execution_waiting(aws, procedures):
    """Special procedures and extensions change the clock, not the flow: the execution keeps
    waiting on the same task token and finishes normally afterwards."""
    from sunlight.models.clock import PauseReason
    from sunlight.models.roles import Principal, Role

    handler = Principal(user_id="h", name="承办人", roles=frozenset({Role.HANDLER}), department_id="market")
    leader = Principal(user_id="l", name="分管领导", roles=frozenset({Role.LEADER}), department_id="market")
    case_id = start_case(aws)
    decide(aws, case_id, "accept", "accept")
    token = waiting_at(aws, case_id, "handle")
    procedures.start_special_procedure(handler, case_id, PauseReason.INSPECTION, "现场勘验")
    assert aws["cases"].get(case_id).next_alarm_at is None
    procedures.end_special_procedure(handler, case_id, "勘验完毕")
    procedures.request_extension(handler, case_id, 2, "需补充调查")
    procedures.decide_extension(leader, case_id, 1, True, "同意")
    assert waiting_at(aws, case_id, "handle") == token
    for step, decision in [("handle", "submit"), ("review", "pass"), ("approve", "approve"), ("complete", "complete")]:
        decide(aws, case_id, step, decision)
    assert finished(aws, case_id)["status"] == "SUCCEEDED"
    actions = [a for a, _ in path_of(aws, case_id)]
    assert actions[3:7] == ["pause", "resume", "extension_requested", "extension_approved"]


def test_a_supplement_wait_that_ran_out_withdraws_the_application(aws, deadlines):
    """The deadline check answers the 补正 task with "withdraw" once the item's working days have
    run out; the ASL's Withdrawn branch finalizes the case with the reason."""
    from datetime import timedelta

    case_id = start_case(aws)
    decide(aws, case_id, "accept", "request_supplement")
    waiting_at(aws, case_id, "supplement")
    case = aws["cases"].get(case_id)
    assert case.supplement_due_at is not None and case.next_alarm_at == case.supplement_due_at + timedelta(seconds=1)
    deadlines.check(case_id, case.supplement_due_at + timedelta(seconds=2))
    execution = finished(aws, case_id)
    assert json.loads(execution["output"])["result"] == {"outcome": "withdrawn"}
    _, events = aws["cases"].get_with_timeline(case_id)
    assert (events[-1].action, events[-1].to_state) == ("finalize", CaseStatus.WITHDRAWN)
    assert "视为撤回申请" in events[-1].opinion
