"""The real penalty ASLs (行政处罚法 2021) executed by moto's Step Functions interpreter, calling our real
flow_step handler: the ordinary procedure through every branch (撤销立案; 听证 or not; 法制审核 and
集体讨论 as marked at the notice or required by a hearing; 法制审核 returning the case; no penalty;
payment or enforcement; the statement window running out) and the simple procedure."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at

PENALTY_LIMITS = {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
                  "decide": 5, "deliver": 7, "execute": 15, "complete": 2}
SIMPLE_LIMITS = {"on_spot": 1, "execute": 15, "complete": 1}
OFFICERS = [{"name": "刘强", "certificate_number": "42070001"}, {"name": "王磊", "certificate_number": "42070002"}]


def start_penalty(aws) -> str:
    return start_case(aws, "penalty", step_limit_days=PENALTY_LIMITS)


def investigated_and_notified(aws, case_id: str, *, legal_review: bool = False, collective: bool = False) -> None:
    decide(aws, case_id, "investigate", "submit", role="handler", details={"officers": OFFICERS})
    decide(aws, case_id, "notify", "notify", role="handler",
           details={"intended_penalty_yuan": "8000.00", "legal_review_required": legal_review, "collective_required": collective})


def outcome(aws, case_id: str, flow: str = "penalty") -> str:
    execution = finished(aws, case_id, flow=flow)
    assert execution["status"] == "SUCCEEDED", execution
    return json.loads(execution["output"])["result"]["outcome"]


def state_transitions(aws, case_id: str, flow: str) -> int:
    """What Step Functions bills (standard workflows): each state entered."""
    arn = aws["flow_arns"][flow].replace(":stateMachine:", ":execution:") + f":{case_id}"
    events, token = [], None
    while True:
        page = aws["sfn"].get_execution_history(executionArn=arn, maxResults=1000, **({"nextToken": token} if token else {}))
        events += page["events"]
        token = page.get("nextToken")
        if not token:
            return sum(1 for e in events if e["type"].endswith("StateEntered"))


def test_a_hearing_case_runs_through_review_and_discussion_to_payment(aws, capsys):
    case_id = start_penalty(aws)
    investigated_and_notified(aws, case_id, collective=True)
    decide(aws, case_id, "statement", "request_hearing", role="citizen")
    decide(aws, case_id, "hearing_notice", "schedule_hearing", role="handler")
    decide(aws, case_id, "hearing", "heard", role="handler")
    decide(aws, case_id, "legal_review", "pass", role="reviewer")  # a hearing held requires it (第五十八条)
    decide(aws, case_id, "collective", "discussed", role="leader")
    decide(aws, case_id, "decide", "penalize", role="leader", details={"penalty_yuan": "8000.00"})
    decide(aws, case_id, "deliver", "delivered")
    decide(aws, case_id, "execute", "paid")
    decide(aws, case_id, "complete", "complete")
    assert outcome(aws, case_id) == "completed"
    assert path_of(aws, case_id) == [
        ("apply", "submitted"), ("dispatch", "investigate"), ("submit", "notify"), ("notify", "statement"),
        ("request_hearing", "hearing_notice"), ("schedule_hearing", "hearing"), ("heard", "legal_review"),
        ("pass", "collective"), ("discussed", "decide"), ("penalize", "deliver"), ("delivered", "execute"),
        ("paid", "complete"), ("complete", "completed"),
    ]
    with capsys.disabled():
        print(f"\n[penalty] state transitions of the hearing case: {state_transitions(aws, case_id, 'penalty')}")


def test_a_waived_statement_without_marks_goes_straight_to_the_decision(aws, capsys):
    case_id = start_penalty(aws)
    investigated_and_notified(aws, case_id)
    decide(aws, case_id, "statement", "waive", role="citizen")
    decide(aws, case_id, "decide", "penalize", role="leader", details={"penalty_yuan": "8000.00"})
    decide(aws, case_id, "deliver", "delivered")
    decide(aws, case_id, "execute", "enforce")
    decide(aws, case_id, "complete", "complete")
    assert outcome(aws, case_id) == "completed"
    assert [a for a, _ in path_of(aws, case_id)][3:] == ["notify", "waive", "penalize", "delivered", "enforce", "complete"]
    with capsys.disabled():
        print(f"\n[penalty] state transitions of the shortest happy path: {state_transitions(aws, case_id, 'penalty')}")


def test_marked_review_returns_the_case_to_investigation_and_no_penalty_skips_execution(aws):
    case_id = start_penalty(aws)
    investigated_and_notified(aws, case_id, legal_review=True)
    decide(aws, case_id, "statement", "submit_statement", role="citizen")
    decide(aws, case_id, "legal_review", "return", role="reviewer")
    investigated_and_notified(aws, case_id)  # the second notice has no marks: no review now
    decide(aws, case_id, "statement", "waive", role="citizen")
    decide(aws, case_id, "decide", "no_penalty", role="leader")
    decide(aws, case_id, "deliver", "delivered")
    decide(aws, case_id, "complete", "complete")  # nothing to execute
    assert outcome(aws, case_id) == "completed"
    assert [s for _, s in path_of(aws, case_id)][4:] == [
        "legal_review", "investigate", "notify", "statement", "decide", "deliver", "complete", "completed",
    ]


def test_a_statement_window_that_ran_out_goes_on_to_the_decision(aws, deadlines):
    case_id = start_penalty(aws)
    investigated_and_notified(aws, case_id, collective=True)
    waiting_at(aws, case_id, "statement")
    case = aws["cases"].get(case_id)
    deadlines.check(case_id, case.statement_due_at + timedelta(seconds=2))
    waiting_at(aws, case_id, "collective")
    assert path_of(aws, case_id)[-1] == ("expire", "collective")


def test_the_case_is_dropped_at_investigation(aws):
    case_id = start_penalty(aws)
    decide(aws, case_id, "investigate", "drop", role="handler")
    assert outcome(aws, case_id) == "dropped"
    assert aws["cases"].get(case_id).status.value == "dropped"


def test_a_decision_the_statement_step_does_not_take_fails_the_execution(aws):
    case_id = start_penalty(aws)
    investigated_and_notified(aws, case_id)
    token = waiting_at(aws, case_id, "statement")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "approve"}))
    execution = finished(aws, case_id, flow="penalty")
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")


@pytest.mark.parametrize("paid", ["paid", "enforce"])
def test_the_simple_procedure_fines_on_the_spot_then_executes(aws, paid, capsys):
    case_id = start_case(aws, "penalty_simple", step_limit_days=SIMPLE_LIMITS)
    decide(aws, case_id, "on_spot", "penalize", role="handler", details={"penalty_yuan": "50.00"})
    decide(aws, case_id, "execute", paid)
    decide(aws, case_id, "complete", "complete")
    assert outcome(aws, case_id, "penalty_simple") == "completed"
    assert [a for a, _ in path_of(aws, case_id)] == ["apply", "dispatch", "penalize", paid, "complete"]
    if paid == "paid":
        with capsys.disabled():
            print(f"\n[penalty_simple] state transitions of the happy path: {state_transitions(aws, case_id, 'penalty_simple')}")


def test_the_simple_procedure_drops_the_case(aws):
    case_id = start_case(aws, "penalty_simple", step_limit_days=SIMPLE_LIMITS)
    decide(aws, case_id, "on_spot", "drop", role="handler")
    assert outcome(aws, case_id, "penalty_simple") == "dropped"
