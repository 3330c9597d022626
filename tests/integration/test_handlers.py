"""The Lambda handlers on moto, driven by the sample events in events/."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

from sunlight.bootstrap import container

EVENTS = Path(__file__).resolve().parents[2] / "events"


def sample(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


class Context:
    function_name = "ApiFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:ApiFunction"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


@pytest.fixture
def handlers(aws_system, monkeypatch):
    """The API (each route to its function) and flow_step, configured like the deployed functions
    (environment from the template)."""
    for key, value in aws_system.environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    container.cache_clear()
    from flow_step import handler as flow_step
    from tests.integration.api_gateway import ApiGateway

    yield ApiGateway(), flow_step
    container.cache_clear()


def call(api, event: dict) -> tuple[int, dict]:
    response = api.handler(event, Context())
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else {}


def with_body(event: dict, body: dict) -> dict:
    return event | {"body": json.dumps(body, ensure_ascii=False)}


def filled_application() -> dict:
    event = sample("api/apply.json")
    body = json.loads(event["body"])
    item = container().catalog_service.get_item(body["item_code"])
    body["form"] = {f.field_id: "测试" for f in item.form_fields}
    return with_body(event, body)


def test_public_catalog(handlers):
    api, _ = handlers
    status, page = call(api, sample("api/list_catalog.json"))
    assert status == 200 and len(page["items"]) == 5
    assert {i["department_id"] for i in page["items"]} == {"market"}


def test_apply_starts_the_flow_and_a_retry_returns_the_same_case(handlers, aws_system):
    api, _ = handlers
    status, receipt = call(api, filled_application())
    assert status == 201, receipt
    assert call(api, filled_application())[1]["case_id"] == receipt["case_id"]
    executions = boto3.client("stepfunctions").list_executions(stateMachineArn=json.loads(aws_system.environment["FLOW_STATE_MACHINES"])["standard"])
    assert [e["name"] for e in executions["executions"]].count(receipt["case_id"]) == 1


@pytest.mark.fresh_stack
def test_invalid_application_names_fields_and_writes_nothing(handlers, aws_system):
    api, _ = handlers
    event = with_body(sample("api/apply.json"), {"item_code": "1", "applicant": {}})
    status, body = call(api, event)
    assert status == 422 and body["code"] == "validation_error"
    assert {"item_code", "applicant.name", "applicant.id_type", "applicant.phone"} <= {e["field"] for e in body["errors"]}
    cases = boto3.client("dynamodb").query(
        TableName=aws_system.environment["CASES_TABLE_NAME"], IndexName="by-applicant",
        KeyConditionExpression="applicant_pk = :u", ExpressionAttributeValues={":u": {"S": "c0ffee00-0000-4000-8000-000000000001"}},
    )
    assert cases["Count"] == 0


def test_unauthenticated_and_unknown_routes(handlers):
    api, _ = handlers
    event = sample("api/worklist.json")
    event["requestContext"].pop("authorizer")
    assert call(api, event)[0] == 401
    assert call(api, sample("api/track.json"))[0] == 404


def test_flow_step_records_entry_and_staff_action_resumes(handlers):
    api, flow_step = handlers
    _, receipt = call(api, filled_application())
    case_id = receipt["case_id"]
    accept = sample("api/staff_accept.json")
    accept |= {"path": f"/cases/{case_id}/actions", "pathParameters": {"caseId": case_id}}
    assert call(api, accept)[0] == 409  # not yet at 受理: the flow has not handed over a token

    enter = sample("flow/enter_step.json") | {"caseId": case_id}
    result = flow_step.handler(enter, Context())
    assert result == {"caseId": case_id, "status": "accept", "outcome": "accept"}
    status, worklist = call(api, sample("api/worklist.json"))
    assert status == 200 and [c["case_id"] for c in worklist["items"]] == [case_id]
    status, body = call(api, accept)
    assert status == 200, body
    case = container().cases.get(case_id)
    assert (case.task_token, case.pending.decision, case.pending.spent_token) == (None, "accept", "sample-task-token")
    assert call(api, sample("api/worklist.json"))[1]["items"] == []  # in transit: in nobody's worklist
    assert call(api, accept)[0] == 409


def test_openapi_document(handlers):
    api, _ = handlers
    event = sample("api/list_catalog.json") | {
        "resource": "/openapi.json", "path": "/openapi.json", "queryStringParameters": None, "multiValueQueryStringParameters": None,
    }
    status, spec = call(api, event)
    assert status == 200 and "/applications" in spec["paths"]


def test_the_server_time_is_public_and_follows_the_servers_clock(handlers, monkeypatch, tmp_path):
    """GET /clock answers anyone with the server's now (here a demo clock 40 days ahead): the pages'
    "today", default year and current month come from it, never from the browser."""
    clock_file = tmp_path / "clock.json"
    clock_file.write_text(json.dumps({"offset_seconds": 40 * 86400}))
    monkeypatch.setenv("SUNLIGHT_LOCAL_CLOCK_FILE", str(clock_file))
    container.cache_clear()
    api, _ = handlers
    event = sample("api/list_catalog.json") | {
        "resource": "/clock", "path": "/clock", "queryStringParameters": None, "multiValueQueryStringParameters": None,
    }
    event["requestContext"] = event["requestContext"] | {"resourcePath": "/clock", "path": "/prod/clock"}
    status, body = call(api, event)
    expected = (datetime.now(UTC) + timedelta(days=40)).astimezone(timezone(timedelta(hours=8)))
    assert status == 200, body
    assert body["today"] == expected.date().isoformat() and body["year"] == expected.year and body["month"] == f"{expected:%Y-%m}"
    assert abs(datetime.fromisoformat(body["now"]) - expected) < timedelta(minutes=1)
