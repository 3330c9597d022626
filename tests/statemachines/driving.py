"""Driving a flow pattern's state machine on the local system: start a case, wait for a step's
task token, decide as a person would (record the decision, then hand the token back), read the path."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

from sunlight.models.case import Actor, Case, CaseStatus, TimelineEvent
from tests.unit.conftest import APPLICANT

STANDARD_LIMITS = {"accept": 1, "handle": 3, "review": 2, "approve": 2, "complete": 1}


def start_case(aws, flow: str = "standard", *, step_limit_days: dict[str, int] | None = None, **fields) -> str:
    """A new case of the pattern `flow` (its own state machine), started like an application."""
    now = datetime.now(UTC)
    case_id = "SLT" + uuid.uuid4().hex[:12].upper()
    item = {"item_code": "420700-XK-0201", "item_name": "食品经营许可", "department_id": "market",
            "department_name": "市市场监督管理局"}
    item.update({key: fields.pop(key) for key in list(item) if key in fields})
    case = Case(
        case_id=case_id, query_code="123456", flow=flow, **item, applicant=APPLICANT,
        applicant_user_id="citizen-sm", form={}, status=CaseStatus.SUBMITTED,
        step_limit_days=step_limit_days or STANDARD_LIMITS, **fields,
        promised_due_on=now.date(), legal_due_on=now.date(), submitted_at=now, updated_at=now,
    )
    first = TimelineEvent(case_id=case_id, seq=1, occurred_at=now, actor=Actor(user_id="citizen-sm", name="测试", role="citizen"),
                          action="apply", from_state=None, to_state=CaseStatus.SUBMITTED)
    aws["cases"].create(case, first, None)
    aws["sfn"].start_execution(stateMachineArn=aws["flow_arns"][flow], name=case_id, input=json.dumps({"caseId": case_id}))
    return case_id


def waiting_at(aws, case_id: str, step: str, timeout: float = 15) -> str:
    """The task token of the step the execution now waits on."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        case = aws["cases"].get(case_id)
        if case is not None and case.step and case.step.value == step and case.task_token and case.pending is None:
            return case.task_token
        time.sleep(0.05)
    raise AssertionError(f"{case_id} never waited at {step}: {aws['cases'].get(case_id)}")


def decide(aws, case_id: str, step: str, decision: str, *, role: str = "window", details: dict | None = None,
           missing: tuple[str, ...] | list[str] = ()) -> None:
    """What a staff action does: record the decision, then hand the token back."""
    from sunlight.models.case import PendingDecision
    from sunlight.models.flow import Decision, Step

    case = aws["cases"].get(case_id)
    token = waiting_at(aws, case_id, step)
    case = aws["cases"].get(case_id)
    pending = PendingDecision(decision=Decision(decision), step=Step(step), actor=Actor(user_id="u", name="测试员", role=role),
                              decided_at=datetime.now(UTC), opinion="意见", details=details or {},
                              missing_materials=tuple(missing))
    aws["cases"].save(case.with_decision(pending, now=datetime.now(UTC)), expected_version=case.version)
    aws["sfn"].send_task_success(taskToken=token, output=json.dumps({"decision": decision}))


def finished(aws, case_id: str, timeout: float = 15, flow: str = "standard") -> dict:
    arn = aws["flow_arns"][flow].replace(":stateMachine:", ":execution:") + f":{case_id}"
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
