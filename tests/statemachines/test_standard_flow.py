"""The real standard-flow ASL executed by moto's Step Functions interpreter, calling our real
flow_step handler in-process. Each test drives one path by answering task tokens directly."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import boto3
import pytest

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.models.case import Actor, Case, CaseStatus, TimelineEvent
from tests.unit.conftest import APPLICANT


@pytest.fixture(scope="module")
def aws(system):
    def client(service: str):
        return boto3.client(
            service, endpoint_url=system.moto_url, region_name=system.region,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )

    return {
        "sfn": client("stepfunctions"),
        "cases": DynamoCaseRepository(client("dynamodb"), system.outputs["CasesTableName"]),
        "flow_arn": system.outputs["StandardFlowArn"],
        "lambda": client("lambda"),
    }


def _container_as(handler: str, system, aws, tmp_path, monkeypatch):
    """A composition root in this process, configured as the running system's function with this
    handler is (its environment read back from moto's Lambda), on the system's moto and demo clock."""
    import requests

    from sunlight.bootstrap import Container
    from sunlight.config import Settings

    functions = aws["lambda"].list_functions()["Functions"]
    environment = next(f for f in functions if f["Handler"] == handler)["Environment"]["Variables"]
    clock = requests.post(f"{system.web_url}/__local/clock", json={}, timeout=10).json()
    clock_file = tmp_path / "clock.json"
    clock_file.write_text(json.dumps({"offset_seconds": clock["offset_seconds"]}))
    for key, value in {"AWS_ENDPOINT_URL": system.moto_url, "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": system.region}.items():
        monkeypatch.setenv(key, value)
    return Container(Settings.from_env({**environment, "SUNLIGHT_LOCAL_CLOCK_FILE": str(clock_file)}))


@pytest.fixture
def procedures(system, aws, tmp_path, monkeypatch):
    """The procedures use case, as the running system's office API function has it."""
    from infra.constants import API_OFFICE

    return _container_as(API_OFFICE.handler, system, aws, tmp_path, monkeypatch).procedures


@pytest.fixture
def deadlines(system, aws, tmp_path, monkeypatch):
    """The deadline check's use case, as the running system's deadline-check function has it."""
    from infra.constants import DEADLINE_CHECK_HANDLER

    return _container_as(DEADLINE_CHECK_HANDLER, system, aws, tmp_path, monkeypatch).deadlines


def start_case(aws) -> str:
    now = datetime.now(UTC)
    case_id = "SLT" + uuid.uuid4().hex[:12].upper()
    case = Case(
        case_id=case_id, query_code="123456", item_code="420700-XK-0201", item_name="食品经营许可",
        department_id="market", department_name="市市场监督管理局", applicant=APPLICANT,
        applicant_user_id="citizen-sm", form={}, status=CaseStatus.SUBMITTED,
        step_limit_days={"accept": 1, "handle": 3, "review": 2, "approve": 2, "complete": 1},
        promised_due_on=now.date(), legal_due_on=now.date(), submitted_at=now, updated_at=now,
    )
    first = TimelineEvent(case_id=case_id, seq=1, occurred_at=now, actor=Actor(user_id="citizen-sm", name="测试", role="citizen"),
                          action="apply", from_state=None, to_state=CaseStatus.SUBMITTED)
    aws["cases"].create(case, first, None)
    aws["sfn"].start_execution(stateMachineArn=aws["flow_arn"], name=case_id, input=json.dumps({"caseId": case_id}))
    return case_id


def waiting_at(aws, case_id: str, step: str, timeout: float = 15) -> str:
    """The task token of the step the execution now waits on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = aws["cases"].get(case_id)
        if case.step and case.step.value == step and case.task_token and case.pending is None:
            return case.task_token
        time.sleep(0.05)
    raise AssertionError(f"{case_id} never waited at {step}: {aws['cases'].get(case_id)}")


def decide(aws, case_id: str, step: str, decision: str) -> None:
    """What a staff action does: record the decision, then hand the token back."""
    from sunlight.models.case import PendingDecision
    from sunlight.models.flow import Decision, Step

    case = aws["cases"].get(case_id)
    token = waiting_at(aws, case_id, step)
    case = aws["cases"].get(case_id)
    pending = PendingDecision(decision=Decision(decision), step=Step(step), actor=Actor(user_id="u", name="测试员", role="window"),
                              decided_at=datetime.now(UTC), opinion="意见")
    aws["cases"].save(case.with_decision(pending, now=datetime.now(UTC)), expected_version=case.version)
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": decision}))


def finished(aws, case_id: str, timeout: float = 15) -> dict:
    arn = aws["flow_arn"].replace(":stateMachine:", ":execution:") + f":{case_id}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        execution = aws["sfn"].describe_execution(executionArn=arn)
        if execution["status"] != "RUNNING":
            return execution
        time.sleep(0.05)
    raise AssertionError(f"{case_id} still running")


def path_of(aws, case_id: str) -> list[tuple[str, str]]:
    _, events = aws["cases"].get_with_timeline(case_id)
    return [(e.action, e.to_state.value) for e in events]


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
