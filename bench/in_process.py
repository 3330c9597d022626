"""The harness of the DynamoDB-call benches: the real handlers in-process against the synthesized
stack provisioned into an in-process moto, driven one call at a time so that every DynamoDB (and
CloudWatch) call is attributed to the operation that made it.

    with in_process_system() as bench:
        bench.api("GET /catalog", bench.sample("api/list_catalog.json"))
        bench.callback("flow_step enter_step(accept)", {...})
    bench.print_rows()
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))  # as Lambda puts the function code on the path
REGION = "us-east-1"


class CallCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0

    def before(self, model, **_: object) -> None:
        self.calls[model.name] += 1

    def after(self, parsed, model, **_: object) -> None:
        if isinstance(parsed, dict):
            self.items += parsed.get("Count", 0) + (1 if parsed.get("Item") else 0)

    def take(self) -> tuple[int, int, str]:
        summary = ", ".join(f"{name} {n}" for name, n in sorted(self.calls.items()))
        result = (sum(self.calls.values()), self.items, summary)
        self.calls.clear()
        self.items = 0
        return result


class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


class Bench:
    """One row per operation: its label, DynamoDB (and CloudWatch) calls, items read, calls by API."""

    def __init__(self, counter: CallCounter) -> None:
        self.counter = counter
        self.rows: list[tuple[str, int, int, str]] = []

    @staticmethod
    def sample(name: str) -> dict[str, Any]:
        return json.loads((ROOT / "events" / name).read_text())

    def api(self, label: str, event: dict) -> dict:
        from tests.integration.api_gateway import ApiGateway

        response = ApiGateway.handler(event, Context())
        self.rows.append((label, *self.counter.take()))
        assert response["statusCode"] < 300, response
        return json.loads(response["body"])

    def callback(self, label: str, event: dict) -> dict:
        from flow_step import handler as flow_step

        answer = flow_step.handler(event, Context())
        self.rows.append((label, *self.counter.take()))
        return answer

    def staff_event(self, role: str, department: str, method: str, resource: str, path: str, body: dict | None,
                    **path_parameters: str) -> dict:
        """An API Gateway event of a staff member of `department` with `role`."""
        event = self.sample("api/staff_accept.json")
        claims = event["requestContext"]["authorizer"]["claims"]
        claims.update({"cognito:groups": role, "custom:department": department, "cognito:username": f"{department}.{role}"})
        event["requestContext"] = {**event["requestContext"], "resourcePath": resource, "httpMethod": method}
        return event | {"resource": resource, "path": path, "httpMethod": method, "pathParameters": path_parameters or None,
                        "body": json.dumps(body, ensure_ascii=False) if body is not None else None}

    def act(self, case_id: str, role: str, department: str, body: dict) -> dict:
        """POST /cases/{caseId}/actions as the department's `role`."""
        return self.api(f"POST /cases/{{caseId}}/actions ({body['action']})", self.staff_event(
            role, department, "POST", "/cases/{caseId}/actions", f"/cases/{case_id}/actions", body, caseId=case_id))

    def print_rows(self) -> None:
        width = max(len(r[0]) for r in self.rows) + 2
        print(f"{'operation':<{width}}{'calls':>6}{'items read':>12}  calls by API")
        for label, calls, items, summary in self.rows:
            print(f"{label:<{width}}{calls:>6}{items:>12}  {summary}")


@contextmanager
def in_process_system() -> Iterator[Bench]:
    """The app's stacks provisioned into an in-process moto and seeded; the API and flow-step
    functions' environment set in this process; DynamoDB and CloudWatch calls counted."""
    warnings.filterwarnings("ignore", "No application metrics to publish")
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION,
                       "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
                       "POWERTOOLS_LOG_LEVEL": "ERROR"}.items():
        os.environ[key] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)

    import boto3
    from moto import mock_aws

    from infra.local.engine.events import install_rule_delivery
    from infra.local.engine.lambda_dispatch import merged_environment
    from infra.local.engine.provision import provision_stacks
    from infra.local.engine.template import load_stacks
    from infra.seed import seed_all

    class _Undelivered:
        """The bus's Lambda targets (the anomaly check...) are not run: this counts the API and flow only."""

        def deliver(self, target_arn: str, payload: str, source: str) -> None: ...

    install_rule_delivery(_Undelivered())  # moto cannot deliver to Lambda targets in-process
    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION),
                                 endpoint_url=None, region=REGION)
        seed_all(stack.outputs, boto3.Session(region_name=REGION))
        functions = [s for s in stack.functions.values() if s.handler.split(".")[0] == "flow_step" or s.handler.startswith("api_")]
        os.environ.update(merged_environment(functions))

        counter = CallCounter()
        boto3.DEFAULT_SESSION = None
        session = boto3._get_default_session()
        session.events.register("before-call.dynamodb", counter.before)
        session.events.register("after-call.dynamodb", counter.after)
        session.events.register("before-call.cloudwatch", counter.before)
        yield Bench(counter)
