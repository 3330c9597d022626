"""API-wide property-based fuzz over the served OpenAPI (schemathesis on hypothesis).

Every operation of /openapi.json is sent generated requests, valid and invalid, through the local
API Gateway (route table, Cognito authorizer, proxy event: infra/local/gateway.py) into the API
handler on moto, as a citizen and as a staff member holding every staff role. Each response must
be no 5xx and must conform to the document: a documented status, a documented content type and a
body that matches the documented schema. Bounded (examples per operation) to run in about a minute;
FUZZ_EXAMPLES=<n> raises the bound for a longer run."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.constants import API_ID
from infra.local.engine.gateway import ApiGateway
from infra.local.engine.lambda_dispatch import InvocationResult
from tests.integration.test_handlers import Context, handlers  # noqa: F401  (fixture)

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CLAIMS = {
    "citizen": {"sub": "c0ffee00-0000-4000-8000-00000000f001", "cognito:username": "fuzz.citizen", "name": "李华",
                "cognito:groups": "citizen", "token_use": "id"},
    "staff": {"sub": "c0ffee00-0000-4000-8000-00000000f002", "cognito:username": "fuzz.staff", "name": "周全",
              "cognito:groups": "window,handler,reviewer,leader,inspector,admin", "custom:department": "market",
              "token_use": "id"},
}


class TokenVerifier:
    """Stands in for Cognito: the bearer token names one of CLAIMS."""

    def verify(self, authorization: str | None, pool_ids: list[str], scopes: tuple[str, ...] = ()) -> dict[str, Any] | None:
        return CLAIMS.get((authorization or "").removeprefix("Bearer "))


@dataclass
class HandlerDispatcher:
    """Invokes the API handler module in-process, as Lambda would (an exception is a function error)."""

    api: Any

    def invoke(self, function_arn: str, event: dict, invocation_type: str = "RequestResponse") -> InvocationResult:
        try:
            return InvocationResult(json.dumps(self.api.handler(event, Context())).encode())
        except Exception:  # noqa: BLE001  (the gateway answers 502, which the fuzz reports)
            return InvocationResult(b"", function_error="Unhandled")


class GatewayWsgi:
    """A WSGI app in front of the local gateway, so schemathesis can call it without a socket."""

    def __init__(self, gateway: ApiGateway) -> None:
        self.gateway = gateway

    def __call__(self, environ: dict, start_response: Any) -> list[bytes]:
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/")
        query = environ.get("QUERY_STRING", "")
        headers = [(k[5:].replace("_", "-").title(), v) for k, v in environ.items() if k.startswith("HTTP_")]
        if environ.get("CONTENT_TYPE"):
            headers.append(("Content-Type", environ["CONTENT_TYPE"]))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        reply = self.gateway.handle(environ["REQUEST_METHOD"], path + ("?" + query if query else ""), headers, body,
                                    "127.0.0.1")
        start_response(f"{reply.status} -", [(k, v) for k, v in reply.headers if k.lower() != "content-length"])
        return [reply.body]


@pytest.fixture
def gateway_app(handlers, aws_system):
    api, _ = handlers
    # Every stack of the app: the RestApi's and the routes stack with its methods and stage (the
    # public API's; the exchange's RestApi has its own gateway and tests).
    public_api = next(lid for t in aws_system.stack.templates for lid in t.resources_of_type("AWS::ApiGateway::RestApi")
                      if lid.startswith(API_ID))
    return GatewayWsgi(ApiGateway(aws_system.stack, HandlerDispatcher(api), TokenVerifier(),  # type: ignore[arg-type]
                                  rest_api_logical_id=public_api))


def test_no_operation_answers_5xx_or_off_its_schema(gateway_app):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", gateway_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    only = os.environ.get("FUZZ_OPERATIONS")  # e.g. "POST /track" while investigating one operation
    chosen = [op for op in operations if not only or f"{op.method.upper()} {op.path}" in only.split(",")]
    calls: Counter[str] = Counter()
    failures: dict[str, str] = {}

    for operation in chosen:
        label = f"{operation.method.upper()} {operation.path}"
        strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy, who=st.sampled_from(sorted(CLAIMS)))
        def fuzz(case: Any, who: str) -> None:
            response = case.call(headers={"Authorization": f"Bearer {who}"})
            calls[label] += 1  # noqa: B023 (called only within this loop's iteration)
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (collected: one report per operation)
            failures[label] = str(error)[:1500]

    print(f"\nAPI fuzz: {len(operations)} operations, {sum(calls.values())} requests, {len(failures)} failing")
    assert len(operations) >= 60
    assert not failures, "\n\n".join(f"{label}:\n{detail}" for label, detail in sorted(failures.items()))
