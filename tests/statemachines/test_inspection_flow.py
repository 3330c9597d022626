"""The real inspection ASL (行政检查) executed by moto's Step Functions interpreter, calling our real
flow_step handler: inspect → result (合格 / 责令整改 → 整改复查 / 移送立案) → 公示. Every branch."""

from __future__ import annotations

import json

import pytest

from sunlight.models.case import CaseStatus
from tests.statemachines.driving import decide, finished, path_of, start_case, waiting_at

INSPECTION_LIMITS = {"inspect": 10, "inspect_result": 3, "rectification": 5, "publicize": 5}
OFFICERS = {"officers": [{"name": "张执法", "certificate_number": "4207001"}, {"name": "李执法", "certificate_number": "4207002"}]}


def start_inspection(aws) -> str:
    return start_case(aws, "inspection", step_limit_days=INSPECTION_LIMITS)


def inspect(aws, case_id: str) -> None:
    decide(aws, case_id, "inspect", "inspected", role="handler", details=OFFICERS)


def published(aws, case_id: str) -> dict:
    decide(aws, case_id, "publicize", "publish", role="window")
    execution = finished(aws, case_id, flow="inspection")
    assert execution["status"] == "SUCCEEDED"
    return json.loads(execution["output"])


@pytest.mark.parametrize("decision", ["qualified", "refer"])
def test_a_result_without_rectification_is_published_and_completes(aws, decision):
    case_id = start_inspection(aws)
    inspect(aws, case_id)
    decide(aws, case_id, "inspect_result", decision, role="leader")
    assert published(aws, case_id)["result"] == {"outcome": "completed"}
    assert path_of(aws, case_id) == [
        ("apply", "submitted"), ("dispatch", "inspect"), ("inspected", "inspect_result"), (decision, "publicize"),
        ("publish", "completed"),
    ]
    assert aws["cases"].get(case_id).status is CaseStatus.COMPLETED


@pytest.mark.parametrize("review", ["rectified", "refer"])
def test_a_rectification_is_reviewed_then_published(aws, review):
    case_id = start_inspection(aws)
    inspect(aws, case_id)
    decide(aws, case_id, "inspect_result", "rectify", role="leader", details={"rectification_due_on": "2030-01-31"})
    waiting_at(aws, case_id, "rectification")
    assert aws["cases"].get(case_id).rectification_due_on.isoformat() == "2030-01-31"
    decide(aws, case_id, "rectification", review, role="handler")
    assert published(aws, case_id)["result"] == {"outcome": "completed"}
    assert path_of(aws, case_id)[3:] == [("rectify", "rectification"), (review, "publicize"), ("publish", "completed")]


def test_a_decision_the_inspection_step_does_not_take_fails_the_execution(aws):
    case_id = start_inspection(aws)
    token = waiting_at(aws, case_id, "inspect")
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": "qualified"}))
    execution = finished(aws, case_id, flow="inspection")
    assert (execution["status"], execution.get("error")) == ("FAILED", "UnknownDecision")


def test_a_happy_path_inspection_costs_few_state_transitions(aws):
    """The closing figure: state transitions of a happy-path case (inspect → 合格 → 公示), counted
    from the execution history as Step Functions bills them (every state entered)."""
    case_id = start_inspection(aws)
    inspect(aws, case_id)
    decide(aws, case_id, "inspect_result", "qualified", role="leader")
    published(aws, case_id)
    arn = aws["flow_arns"]["inspection"].replace(":stateMachine:", ":execution:") + f":{case_id}"
    history = aws["sfn"].get_execution_history(executionArn=arn, maxResults=1000)["events"]
    entered = [e for e in history if e["type"].endswith("StateEntered")]
    print(f"\ninspection happy path: {len(entered)} state transitions")
    # Inspect, InspectDecision, InspectResult, InspectResultDecision, Publicize, PublicizeDecision, Completed.
    assert len(entered) == 7


def test_the_end_of_an_inspection_publishes_its_result(aws, system):
    import boto3

    from sunlight.adapters.dynamodb_inspections import DynamoInspectionRepository

    case_id = start_inspection(aws)
    inspect(aws, case_id)
    decide(aws, case_id, "inspect_result", "rectify", role="leader", details={"rectification_due_on": "2030-01-31"})
    decide(aws, case_id, "rectification", "rectified", role="handler")
    published(aws, case_id)
    dynamodb = boto3.client("dynamodb", endpoint_url=system.moto_url, region_name=system.region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    results, _ = DynamoInspectionRepository(dynamodb, system.outputs["CasesTableName"]).results(limit=100, start_key=None)
    (result,) = [r for r in results if r.case_id == case_id]
    assert result.result.value == "rectified" and result.subject_name == "李*"  # a natural person: surname only
