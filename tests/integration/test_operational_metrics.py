"""The operational metrics function on moto, with the local runner's EMF path (its printed EMF →
PutMetricData into moto's CloudWatch), and the overview API reading them back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from infra import constants
from infra.local.engine.emf import EmfForwarder
from infra.local.engine.lambda_dispatch import LambdaDispatcher
from sunlight.models import evaluation_events as ev
from sunlight.rules.workdays import local_date
from tests.integration.test_calendar_api import INSPECTOR_CLAIMS, as_user
from tests.integration.test_handlers import call, handlers, sample  # noqa: F401


def now() -> datetime:
    """Read when a test starts, not when the module is imported: a run may cross 00:00 China time
    between collecting and running, and the overview's default date is the server's today."""
    return datetime.now(UTC).replace(microsecond=0)


LEADER_CLAIMS = {"sub": "c0ffee00-0000-4000-8000-0000000000a4", "cognito:username": "planning.leader", "name": "周领导",
                 "cognito:groups": "leader", "custom:department": "planning", "token_use": "id"}
WINDOW_CLAIMS = sample("api/worklist.json")["requestContext"]["authorizer"]["claims"]


def bus_event(detail_type: str, detail: dict, at: datetime) -> dict:
    return {"version": "0", "id": "e-1", "detail-type": detail_type, "source": constants.DOMAIN_EVENT_SOURCE,
            "account": "123456789012", "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "region": "us-east-1", "resources": [],
            "detail": detail}


def warning_issued(department: str, level: str, n: int, at: datetime) -> dict:
    fact = ev.WarningIssuedV1(event_id=f"w{n}:issued", department_id=department, warning_id=f"w{n}", case_id=f"c{n}", level=level,
                              issued_at=at)
    return bus_event(ev.WARNING_ISSUED, fact.model_dump(mode="json"), at)


def received(department: str, at: datetime) -> dict:
    detail = sample("eventbridge/case_transitioned.json")["detail"] | {
        "department_id": department, "from_state": "submitted", "to_state": "accept", "action": "dispatch",
        "occurred_at": at.isoformat(), "recorded_at": at.isoformat(), "promised_due_on": (at + timedelta(days=20)).date().isoformat()}
    return bus_event("CaseTransitioned", detail, at)


@pytest.fixture
def operational_metrics(aws_system):
    """The function as the local runner runs it: dispatched in-process, its output to moto's CloudWatch."""
    spec = next(s for s in aws_system.stack.functions.values() if s.handler == constants.OPERATIONAL_METRICS_HANDLER)
    forwarder = EmfForwarder(boto3.client("cloudwatch"))
    dispatcher = LambdaDispatcher([spec], [constants.FUNCTIONS_DIR], log_sink=forwarder.forward)
    dispatcher.load_handlers()
    return lambda event: dispatcher.invoke(spec.name, event).json()


def overview_event(claims: dict, day: str | None = None) -> dict:
    event = sample("api/worklist.json") | {"resource": "/monitoring/overview", "path": "/monitoring/overview",
                                            "queryStringParameters": {"date": day} if day else None}
    event["requestContext"]["resourcePath"] = "/monitoring/overview"
    return as_user(event, claims)


def test_events_become_metrics_in_cloudwatch_and_the_overview_reads_them(operational_metrics, handlers):
    at = now()
    assert operational_metrics(warning_issued("market", "yellow", 1, at)) == {
        "detailType": "WarningIssued", "department": "market", "metrics": {"YellowCards": 1}}
    operational_metrics(warning_issued("market", "yellow", 2, at))
    operational_metrics(warning_issued("planning", "red", 3, at))
    operational_metrics(received("planning", at))
    assert operational_metrics(bus_event("CalendarChanged", {"x": 1}, at))["metrics"] == {}

    listed = boto3.client("cloudwatch").list_metrics(Namespace=constants.METRICS_NAMESPACE)["Metrics"]
    assert {(m["MetricName"], tuple((d["Name"], d["Value"]) for d in m["Dimensions"])) for m in listed} >= {
        ("YellowCards", (("Department", "market"),)), ("YellowCards", (("Scope", "city"),)),
        ("RedCards", (("Department", "planning"),)), ("CasesReceived", (("Department", "planning"),)),
    }

    api, _ = handlers
    status, overview = call(api, overview_event(INSPECTOR_CLAIMS))
    assert status == 200, overview
    assert overview["scope"] == "city" and overview["date"] == local_date(at).isoformat()
    assert (overview["totals"]["yellow"], overview["totals"]["red"], overview["totals"]["received"]) == (2, 1, 1)
    rows = {row["department_id"]: row["figures"] for row in overview["departments"]}
    assert rows["market"]["yellow"] == 2 and rows["planning"]["red"] == 1 and rows["planning"]["received"] == 1
    assert set(rows) >= {"market", "planning"} and all(r["completed"] == 0 for r in rows.values())

    # A department's leader sees that department only; yesterday had nothing.
    status, mine = call(api, overview_event(LEADER_CLAIMS))
    assert status == 200 and mine["scope"] == "planning" and [r["department_id"] for r in mine["departments"]] == ["planning"]
    assert mine["totals"]["red"] == 1 and mine["totals"]["yellow"] == 0
    yesterday = (local_date(at) - timedelta(days=1)).isoformat()
    assert call(api, overview_event(INSPECTOR_CLAIMS, yesterday))[1]["totals"]["yellow"] == 0


def test_the_overview_refuses_staff_without_supervision_and_bad_dates(handlers):
    api, _ = handlers
    status, body = call(api, overview_event(WINDOW_CLAIMS))
    assert status == 403 and "监察总览" in body["message"]
    status, body = call(api, overview_event(INSPECTOR_CLAIMS, "2026-13-01"))
    assert status == 422 and body["errors"][0]["field"] == "date"
    tomorrow = (local_date(now()) + timedelta(days=1)).isoformat()
    status, body = call(api, overview_event(INSPECTOR_CLAIMS, tomorrow))
    assert status == 422 and "今天以后" in body["message"]
