"""The calendar routes through the API functions, and the recompute function, on moto."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import boto3
import pytest

from sunlight.bootstrap import container
from sunlight.models.flow import Step
from sunlight.rules.workdays import ChinaCalendar, add_working_days, local_date
from sunlight.services.clock import recompute_clock
from tests.integration.test_handlers import Context, call, filled_application, handlers, sample, with_body  # noqa: F401

WINDOW_CLAIMS = sample("api/worklist.json")["requestContext"]["authorizer"]["claims"]
CITIZEN_CLAIMS = sample("api/apply.json")["requestContext"]["authorizer"]["claims"]
INSPECTOR_CLAIMS = {"sub": "c0ffee00-0000-4000-8000-0000000000e1", "cognito:username": "inspector", "name": "孙监察",
                    "cognito:groups": "inspector", "custom:government": "420700", "token_use": "id"}


def as_user(event: dict, claims: dict) -> dict:
    event = json.loads(json.dumps(event))
    event["requestContext"]["authorizer"]["claims"] = claims
    return event


def year_event(year: str) -> dict:
    event = sample("api/calendar_year.json")
    return event | {"path": f"/calendar/{year}", "pathParameters": {"year": year}}


def day_event(day: str, method: str = "PUT", body: dict | None = None) -> dict:
    event = sample("api/calendar_set_day.json")
    event |= {"path": f"/calendar/days/{day}", "pathParameters": {"date": day}, "httpMethod": method}
    event["requestContext"]["httpMethod"] = method
    if method == "DELETE":
        event["body"] = None
    elif body is not None:
        event = with_body(event, body)
    return event


def confirm_event(year: str, body: dict) -> dict:
    event = with_body(sample("api/calendar_year.json"), body)
    event |= {"resource": "/calendar/{year}/confirm", "path": f"/calendar/{year}/confirm", "httpMethod": "POST",
              "pathParameters": {"year": year}}
    event["requestContext"] |= {"resourcePath": "/calendar/{year}/confirm", "httpMethod": "POST"}
    return event


@pytest.fixture
def subscriber(aws_system):
    """An SQS queue subscribed to CalendarChanged on the domain bus."""
    events_client, sqs = boto3.client("events"), boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="calendar-changes")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = aws_system["EventBusName"]
    pattern = {"source": ["sunlight.approval"], "detail-type": ["CalendarChanged"]}
    events_client.put_rule(Name="calendar-test", EventBusName=bus, EventPattern=json.dumps(pattern))
    events_client.put_targets(Rule="calendar-test", EventBusName=bus, Targets=[{"Id": "q", "Arn": queue_arn}])

    def received() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(m["Body"]) for m in messages]

    return received


# --- the routes ------------------------------------------------------------------------------


def test_the_year_view_warns_about_2027(handlers):
    api, _ = handlers
    status, view = call(api, sample("api/calendar_year.json"))
    assert status == 200, view
    assert (view["year"], view["trusted"], view["confirmed"]) == (2027, False, False)
    assert view["warning"] == "2027年的法定节假日和调休安排尚未录入，期限计算可能不准确，请管理员录入并确认。"
    status, view_2026 = call(api, as_user(year_event("2026"), WINDOW_CLAIMS))
    assert status == 200 and view_2026["trusted"] and view_2026["warning"] is None
    assert "2026-02-14" in view_2026["adjusted_workdays"]
    assert call(api, as_user(year_event("2026"), INSPECTOR_CLAIMS))[0] == 200


def test_citizens_may_not_see_the_calendar_and_only_admins_edit(handlers):
    api, _ = handlers
    status, body = call(api, as_user(sample("api/calendar_year.json"), CITIZEN_CLAIMS))
    assert (status, body["code"]) == (403, "forbidden")
    for claims in (WINDOW_CLAIMS, INSPECTOR_CLAIMS, CITIZEN_CLAIMS):
        for event in (sample("api/calendar_set_day.json"), day_event("2027-02-20", "DELETE"), confirm_event("2027", {})):
            status, body = call(api, as_user(event, claims))
            assert (status, body["message"]) == (403, "只有系统管理员可以修改工作日历。"), event["httpMethod"]
    assert call(api, sample("api/calendar_year.json"))[1]["overrides"] == []
    event = sample("api/calendar_set_day.json")
    event["requestContext"].pop("authorizer")
    assert call(api, event)[0] == 401


def test_invalid_input_is_422(handlers):
    api, _ = handlers
    for event in (
        year_event("1999"),
        year_event("abc"),
        day_event("2027-02-30", body={"working": False, "reason": "台风停工"}),
        day_event("2027-07-01", body={"working": False}),
        day_event("2027-07-01", body={"working": "maybe", "reason": "台风停工"}),
        day_event("2027-07-01", body={"working": False, "reason": "台风停工", "extra": 1}),
    ):
        status, body = call(api, event)
        assert status == 422 and body["code"] == "validation_error", (event["path"], body)


def test_an_admin_sets_removes_and_confirms(handlers, subscriber):
    api, _ = handlers
    status, receipt = call(api, sample("api/calendar_set_day.json"))
    assert status == 200, receipt
    assert receipt == {"date": "2027-02-20", "working": True, "reason": "春节调休上班", "effective_working": True,
                       "recompute": "queued", "report": None}
    status, receipt = call(api, day_event("2027-07-01", body={"working": False, "reason": "台风停工"}))
    assert status == 200 and receipt["effective_working"] is False

    [first, second] = subscriber()
    assert (first["detail-type"], first["source"], first["resources"]) == ("CalendarChanged", "sunlight.approval", ["calendar/2027-02-20"])
    assert {(e["detail"]["change"], tuple(e["detail"]["days"])) for e in (first, second)} == {("set", ("2027-02-20",)), ("set", ("2027-07-01",))}
    assert first["detail"]["changed_by"] == "c0ffee00-0000-4000-8000-0000000000ad"

    view = call(api, sample("api/calendar_year.json"))[1]
    assert [(o["date"], o["working"], o["national_working"], o["reason"], o["updated_by_name"]) for o in view["overrides"]] == [
        ("2027-02-20", True, False, "春节调休上班", "系统管理员"),
        ("2027-07-01", False, True, "台风停工", "系统管理员"),
    ]

    status, removed = call(api, day_event("2027-07-01", "DELETE"))
    assert status == 200 and (removed["working"], removed["effective_working"], removed["recompute"]) == (None, True, "queued")
    assert [e["detail"]["change"] for e in subscriber()] == ["remove"]
    status, body = call(api, day_event("2027-07-01", "DELETE"))
    assert (status, body["code"]) == (404, "not_found")

    status, confirmed = call(api, confirm_event("2027", {"note": "依据国务院办公厅通知录入"}))
    assert status == 200, confirmed
    assert (confirmed["trusted"], confirmed["confirmed"], confirmed["warning"], confirmed["note"]) == (True, True, None, "依据国务院办公厅通知录入")
    assert call(api, sample("api/calendar_year.json"))[1]["trusted"] is True


def test_the_resolver_serves_the_routes_table_and_documents_the_routes(handlers):
    """The stack builds the API methods from ROUTES (tests/infra compares); the functions must serve the same."""
    from infra.constants import ROUTES
    from tests.integration.api_gateway import served_routes

    api, _ = handlers
    served = {(r.method, re.sub(r"<(\w+)>", r"{\1}", r.path)) for r in served_routes()}
    assert served == {(route.method, route.path) for route in ROUTES}
    event = sample("api/list_catalog.json") | {"resource": "/openapi.json", "path": "/openapi.json",
                                               "queryStringParameters": None, "multiValueQueryStringParameters": None}
    paths = call(api, event)[1]["paths"]
    assert {"get"} <= set(paths["/calendar/{year}"]) and {"put", "delete"} <= set(paths["/calendar/days/{date}"])
    assert "post" in paths["/calendar/{year}/confirm"]


# --- an edit moves open deadlines --------------------------------------------------------------


def case_at_handle_step(api) -> str:
    """A case applied for through the API and entered into 承办 as flow_step would (no bus publish)."""
    _, receipt = call(api, filled_application())
    services = container()
    case = services.cases.get(receipt["case_id"])
    now = services.clock.now()
    entered, event = case.entered_step(Step.HANDLE, "token-1", now=now, due_at=None)
    entered = recompute_clock(entered, now=now, calendar=services.calendar)
    services.cases.save(entered, expected_version=case.version, events=(event,))
    return case.case_id


@pytest.mark.fresh_stack  # it counts every open case and every calendar event of the stack
def test_a_closure_inside_the_step_window_moves_the_due_date_by_one_working_day(handlers, subscriber):
    api, _ = handlers
    from calendar_recompute import handler as recompute

    case_id = case_at_handle_step(api)
    before = container().cases.get(case_id)
    closure = add_working_days(local_date(before.step_started_at), 1, ChinaCalendar())  # first day of the window
    status, receipt = call(api, day_event(closure.isoformat(), body={"working": False, "reason": "台风停工"}))
    assert status == 200 and receipt["recompute"] == "queued"
    assert container().cases.get(case_id) == before  # the recompute function does it

    [event] = subscriber()
    result = recompute.handler(event, Context())
    after = container().cases.get(case_id)
    assert result == {"since": closure.isoformat(), "checked": 1, "changed": 1, "failed": []}
    assert local_date(after.step_due_at) == add_working_days(local_date(before.step_due_at), 1, ChinaCalendar())
    assert after.step_due_at - before.step_due_at >= timedelta(days=1)
    assert after.version == before.version + 1

    assert recompute.handler(event, Context())["changed"] == 0  # deterministic: nothing changes twice
    sqs_wrapped = {"Records": [{"body": json.dumps(event)}]}
    assert recompute.handle_calendar_changed(sqs_wrapped)["changed"] == 0

    call(api, day_event(closure.isoformat(), "DELETE"))
    recompute.handler(subscriber()[0], Context())
    restored = container().cases.get(case_id)
    assert (restored.step_due_at, restored.promised_due_on, restored.legal_due_on) == (
        before.step_due_at, before.promised_due_on, before.legal_due_on)


@pytest.mark.fresh_stack  # it counts every open case of the table
def test_the_recompute_function_rejects_other_events(handlers):
    from calendar_recompute import handler as recompute

    with pytest.raises(ValueError):
        recompute.handle_calendar_changed({"detail-type": "CaseTransitioned", "detail": {}})
    assert recompute.handle_calendar_changed(sample("calendar/calendar_changed.json")) == {
        "since": "2026-11-25", "checked": 0, "changed": 0, "failed": []}

