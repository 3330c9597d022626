"""Hands a verification run of the inspector log to the log_verify function."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..services.ports import WorkerUnavailable


class LambdaVerificationWorker:
    """An asynchronous invocation of the worker function with the run's id: Lambda queues the
    event and retries a failed invocation twice; the run's saved progress makes that safe."""

    def __init__(self, client: Any, function: str) -> None:
        self._client = client
        self._function = function

    def continue_run(self, run_id: str) -> None:
        if not self._function:
            raise WorkerUnavailable("no verification function is configured")
        try:
            self._client.invoke(FunctionName=self._function, InvocationType="Event",
                                Payload=json.dumps({"run_id": run_id}).encode())
        except (BotoCoreError, ClientError) as error:
            raise WorkerUnavailable(str(error)) from error
