"""The approval flows run as Step Functions executions named after their case."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from ..services.ports import StaleTaskToken

_STALE_TOKEN_ERRORS = {"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"}


class StepFunctionsWorkflowEngine:
    def __init__(self, client: Any, state_machines: dict[str, str]) -> None:
        self._client = client
        self._state_machines = state_machines  # flow pattern → state machine ARN

    def start(self, case_id: str, flow: str) -> None:
        try:
            self._client.start_execution(
                stateMachineArn=self._state_machines[flow], name=case_id, input=json.dumps({"caseId": case_id})
            )
        except ClientError as error:
            # Same name: this case's flow was started before; starting is idempotent per case.
            if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise

    def send_decision(self, task_token: str, output: dict[str, Any]) -> None:
        try:
            self._client.send_task_success(taskToken=task_token, output=json.dumps(output, ensure_ascii=False))
        except ClientError as error:
            if error.response["Error"]["Code"] in _STALE_TOKEN_ERRORS:
                raise StaleTaskToken(error.response["Error"]["Code"]) from error
            raise
