"""Evaluation on moto: the fact consumer (exactly once, revocation), the close (snapshot, rerun),
rankings with 环比/同比, drill-down, statistics as CSV and xlsx, and role checks, through the real
handlers and the Supervision table."""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
import zipfile
from datetime import datetime, timedelta

import boto3
import pytest

from sunlight.bootstrap import container
from sunlight.rules.periods import Period
from sunlight.rules.workdays import CHINA_TZ
from tests.integration.test_handlers import Context, call, filled_application, handlers, sample  # noqa: F401

ADMIN = {"sub": "c0ffee00-0000-4000-8000-0000000000ad", "cognito:username": "admin", "name": "谢文博",
         "cognito:groups": "admin", "token_use": "id"}
INSPECTOR = {"sub": "c0ffee00-0000-4000-8000-0000000000e1", "cognito:username": "inspector", "name": "郑国华",
             "cognito:groups": "inspector", "custom:government": "420700", "token_use": "id"}
MARKET_LEADER = {"sub": "c0ffee00-0000-4000-8000-0000000000l1", "cognito:username": "market.leader", "name": "刘建国",
                 "cognito:groups": "leader", "custom:department": "market", "token_use": "id"}
MARKET_HANDLER = {**MARKET_LEADER, "sub": "c0ffee00-0000-4000-8000-0000000000h1", "cognito:groups": "handler"}


def request(method: str, resource: str, *, path_params: dict | None = None, query: dict | None = None,
            body: dict | None = None, claims: dict | None = INSPECTOR, headers: dict | None = None) -> dict:
    event = sample("api/calendar_year.json")
    path = resource
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", value)
    event |= {"resource": resource, "path": path, "httpMethod": method, "pathParameters": path_params,
              "queryStringParameters": query, "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
              "body": json.dumps(body, ensure_ascii=False) if body is not None else None}
    event["headers"] |= headers or {}
    event["requestContext"] |= {"resourcePath": resource, "httpMethod": method}
    if claims is None:
        event["requestContext"].pop("authorizer")
    else:
        event["requestContext"]["authorizer"]["claims"] = claims
    return event


def bus_event(detail_type: str, detail: dict) -> dict:
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": "sunlight.approval",
            "account": "123456789012", "time": "2026-11-01T00:00:00Z", "region": "us-east-1", "resources": [],
            "detail": detail}


@pytest.fixture
def consumer(handlers):
    from evaluation_facts import handler as facts

    return lambda detail_type, detail: facts.handler(bus_event(detail_type, detail), Context())


@pytest.fixture
def last_month():
    return Period.month_of(datetime.now(CHINA_TZ)).previous()


def transition(case_id: str, seq: int, action: str, from_state: str, to_state: str, at: datetime) -> dict:
    return {
        "event_id": f"{case_id}#{seq}", "case_id": case_id, "seq": seq, "item_code": "420700-XK-0201",
        "item_name": "食品经营许可", "department_id": "market", "action": action,
        "actor": {"user_id": "u", "name": "张敏", "role": "window"}, "from_state": from_state, "to_state": to_state,
        "opinion": None, "occurred_at": at.isoformat(), "recorded_at": at.isoformat(), "step_due_at": None,
        "promised_due_on": "2099-01-01", "details": {},
    }


def stats(aws_system, month: str, sk: str = "DEPT#market") -> dict:
    item = boto3.client("dynamodb").get_item(TableName=aws_system["SupervisionTableName"],
                                             Key={"pk": {"S": f"STATS#{month}"}, "sk": {"S": sk}}).get("Item", {})
    return {k: int(v["N"]) for k, v in item.items() if "N" in v and int(v["N"])}


def header(response: dict, name: str) -> str:
    values = (response.get("multiValueHeaders") or {}).get(name) or [(response.get("headers") or {}).get(name)]
    return values[-1]


def a_case(api) -> str:
    status, receipt = call(api, filled_application())
    assert status == 201, receipt
    return receipt["case_id"]


def test_the_consumer_counts_each_fact_once_and_revocation_subtracts(handlers, consumer, aws_system, last_month):
    api, _ = handlers
    case_id = a_case(api)
    at = datetime(last_month.year, last_month.number, 10, 10, tzinfo=CHINA_TZ)
    month = str(last_month)
    accepted = transition(case_id, 3, "accept", "accept", "handle", at)
    completed = transition(case_id, 8, "complete", "complete", "completed", at + timedelta(days=1))
    assert consumer("CaseTransitioned", accepted)["result"] == "counted"
    assert consumer("CaseTransitioned", accepted)["result"] == "duplicate"
    assert consumer("CaseTransitioned", completed)["result"] == "counted"
    assert consumer("CaseTransitioned", completed)["result"] == "duplicate"
    figures = stats(aws_system, month)
    assert figures["received"] == 1 and figures["completed"] == 1 and figures["on_time"] == 1
    assert figures["days_promised"] == container().cases.get(case_id).promised_limit_days  # read from the case
    assert stats(aws_system, month, "ITEM#market#420700-XK-0201")["completed"] == 1

    card = {"event_id": f"{case_id}-2-yellow:issued", "department_id": "market", "warning_id": f"{case_id}-2-yellow",
            "case_id": case_id, "level": "yellow", "issued_at": at.isoformat(), "item_code": "420700-XK-0201"}
    assert consumer("WarningIssued", card)["result"] == "counted"
    assert consumer("WarningIssued", card)["result"] == "duplicate"
    assert stats(aws_system, month)["yellow_cards"] == 1
    revoked = {**card, "event_id": f"{case_id}-2-yellow:revoked", "revoked_at": datetime.now(CHINA_TZ).isoformat()}
    assert consumer("WarningRevoked", revoked)["result"] == "revoked"
    assert consumer("WarningRevoked", revoked)["result"] == "duplicate"
    assert "yellow_cards" not in stats(aws_system, month)
    assert consumer("WarningIssued", {**card, "issued_at": "not a time"})["result"] == "rejected"


def test_close_rankings_drilldown_and_exports(handlers, consumer, aws_system, last_month):
    api, _ = handlers
    case_id = a_case(api)
    at = datetime(last_month.year, last_month.number, 12, 10, tzinfo=CHINA_TZ)
    consumer("CaseTransitioned", transition(case_id, 3, "accept", "accept", "handle", at))
    consumer("CaseTransitioned", transition(case_id, 8, "complete", "complete", "completed", at))
    period = str(last_month)

    status, live = call(api, request("GET", "/evaluation/rankings", query={"period": period}))
    assert status == 200 and live["provisional"], live
    status, _ = call(api, request("GET", "/public/evaluation/rankings", query={"period": period}, claims=None))
    assert status == 404

    close = request("POST", "/evaluation/periods/{period}/close", path_params={"period": period}, claims=ADMIN)
    status, first = call(api, close)
    assert status == 200 and first["created"], first
    status, again = call(api, close)
    assert status == 200 and not again["created"] and again["snapshot"] == first["snapshot"]

    # A late fact after the close changes the counters, never the snapshot.
    consumer("CaseTransitioned", transition(case_id + "X", 8, "reject", "accept", "rejected", at))
    status, ranking = call(api, request("GET", "/public/evaluation/rankings", query={"period": period}, claims=None))
    assert status == 200 and not ranking["provisional"]
    market = next(r for r in ranking["rows"] if r["department_id"] == "market")
    assert market["rank"] == 1 and market["comparison"]["previous_period"] == str(last_month.previous())
    assert market["comparison"]["year_earlier_period"] == str(last_month.year_earlier())
    assert "updated_by" not in json.dumps(ranking)

    status, detail = call(api, request("GET", "/evaluation/departments/{departmentId}", path_params={"departmentId": "market"},
                                       query={"period": period}, claims=MARKET_LEADER))
    assert status == 200 and detail["score"]["figures"]["completed"] == 1 and detail["score"]["figures"]["closed_rejected"] == 0

    status, page = call(api, request("GET", "/evaluation/departments/{departmentId}/drilldown", path_params={"departmentId": "market"},
                                     query={"period": period, "metric": "completed"}))
    assert status == 200 and [r["subject_id"] for r in page["items"]] == [case_id], page

    status, history = call(api, request("GET", "/evaluation/departments/{departmentId}/history",
                                        path_params={"departmentId": "market"}, query={"granularity": "month"}))
    assert status == 200 and any(p["period"] == period and not p["provisional"] for p in history["points"])

    csv_response = api.handler(request("GET", "/statistics", query={"period": period, "format": "csv"}), Context())
    assert csv_response["statusCode"] == 200 and csv_response["isBase64Encoded"]
    assert header(csv_response, "Content-Disposition") == f'attachment; filename="statistics-department-{period}.csv"'
    text = base64.b64decode(csv_response["body"])
    assert text.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert next(r for r in rows if r["部门编号"] == "market")["办结件数（作出决定：办结或不予批准）"] == "1"

    xlsx_response = api.handler(request("GET", "/statistics", query={"period": period, "format": "xlsx", "dimension": "item"}), Context())
    assert xlsx_response["statusCode"] == 200
    assert header(xlsx_response, "Content-Type") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = zipfile.ZipFile(io.BytesIO(base64.b64decode(xlsx_response["body"])))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve">权力编码</t>' in sheet and '<t xml:space="preserve">420700-XK-0201</t>' in sheet


def test_roles_and_validation(handlers):
    api, _ = handlers
    market = {"departmentId": "market"}
    assert call(api, request("GET", "/evaluation/rankings", claims=MARKET_LEADER))[0] == 403
    assert call(api, request("GET", "/evaluation/departments/{departmentId}", path_params={"departmentId": "planning"},
                             claims=MARKET_LEADER))[0] == 403
    assert call(api, request("GET", "/evaluation/departments/{departmentId}", path_params=market, claims=MARKET_HANDLER))[0] == 403
    assert call(api, request("GET", "/evaluation/departments/{departmentId}", path_params={"departmentId": "nowhere"}))[0] == 404
    status, error = call(api, request("GET", "/evaluation/rankings", query={"period": "2026-13"}))
    assert status == 422 and "2026-10（月）" in error["message"]
    status, error = call(api, request("GET", "/evaluation/departments/{departmentId}/drilldown", path_params=market,
                                      query={"period": "2026-10", "metric": "bogus"}))
    assert status == 422
    assert call(api, request("GET", "/evaluation/weights"))[0] == 403
    assert call(api, request("POST", "/evaluation/periods/{period}/close", path_params={"period": "2026-10"}))[0] == 403
    weights = {"on_time": 30, "early": 10, "time_used": 10, "cards": 15, "complaints": 10, "satisfaction": 15, "orders": 10, "disclosure": 5}
    status, error = call(api, request("PUT", "/evaluation/weights", body={"weights": weights}, claims=ADMIN))
    assert status == 422 and "当前为105" in error["message"], error
    weights["on_time"] = 25
    status, saved = call(api, request("PUT", "/evaluation/weights", body={"weights": weights, "base_version": 0}, claims=ADMIN))
    assert status == 200 and saved["version"] == 1
    assert call(api, request("PUT", "/evaluation/weights", body={"weights": weights, "base_version": 0}, claims=ADMIN))[0] == 409
    status, formula = call(api, request("GET", "/public/evaluation/formula", claims=None))
    assert status == 200 and formula["weights"]["version"] == 1 and "updated_by" not in formula["weights"]
    future = Period.month_of(datetime.now(CHINA_TZ))
    status, error = call(api, request("POST", "/evaluation/periods/{period}/close", path_params={"period": str(future)}, claims=ADMIN))
    assert status == 409 and "尚未结束" in error["message"]



@pytest.fixture
def outbox_rule(aws_system):
    """The ARN of the exchange outbox function, the target of its rule on the domain bus."""
    return next(s for s in aws_system.stack.functions.values() if s.handler == "exchange_outbox.handler.handler").arn


def test_the_monthly_close_publishes_each_closed_periods_scores_for_the_exchange(aws_system, outbox_rule, monkeypatch):
    """The close function, configured like the deployed one, puts EvaluationSnapshotTaken on the bus;
    the outbox rule hears it and it makes one evaluation_snapshot; a rerun publishes the same fact."""
    from sunlight.rules.exchange import message_for

    spec = next(s for s in aws_system.stack.functions.values() if s.handler == "evaluation_close.handler.handler")
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    container.cache_clear()
    from evaluation_close import handler as close

    first = close.handler({}, Context())["closed"]
    again = close.handler({}, Context())["closed"]
    container.cache_clear()
    assert [c["period"] for c in first] == [c["period"] for c in again] and not any(c["created"] for c in again)
    delivered = aws_system.delivered.to(outbox_rule)
    assert [e["detail-type"] for e in delivered] == ["EvaluationSnapshotTaken"] * (2 * len(first))
    assert [e["detail"]["period"] for e in delivered] == [c["period"] for c in first] * 2
    assert delivered[: len(first)] != [] and [e["detail"] for e in delivered[: len(first)]] == [e["detail"] for e in delivered[len(first):]]
    message = message_for("EvaluationSnapshotTaken", delivered[0]["detail"], platform_id="420700", government_of=lambda _: "420700")
    assert message is not None and message.message_type.value == "evaluation_snapshot"
    assert message.body["period"] == first[0]["period"]
