"""Supervision orders and the inspector log through the API functions on moto (the stack as
synthesized, demo users seeded in its user pool)."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from infra.tools.verify_inspector_log import main as verify_main
from sunlight.bootstrap import container
from tests.integration.test_handlers import Context, handlers, sample  # noqa: F401

USERS = {u["username"]: u for u in json.loads(open("infra/seed/users.json", encoding="utf-8").read())["users"]}


@pytest.fixture
def api(handlers, aws_system):
    http_api, _ = handlers
    cognito = boto3.client("cognito-idp")
    pool = aws_system["UserPoolId"]
    claims: dict[str, dict] = {}

    def claims_of(username: str) -> dict:
        if username not in claims:
            attributes = {a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool, Username=username)["UserAttributes"]}
            user = USERS[username]
            claims[username] = {"sub": attributes["sub"], "cognito:username": username, "name": user["name"],
                                "cognito:groups": ",".join(user["groups"]), "token_use": "id",
                                **({"custom:department": user["department_id"]} if user.get("department_id") else {}),
                                **({"custom:government": user["government_id"]} if user.get("government_id") else {})}
        return claims[username]

    def call(username: str, method: str, resource: str, path: str, body: dict | None = None, *,
             params: dict | None = None, query: dict | None = None, key: str | None = None) -> tuple[int, dict]:
        event = sample("api/worklist.json")
        event |= {"resource": resource, "path": path, "httpMethod": method, "pathParameters": params,
                  "queryStringParameters": query, "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
                  "body": json.dumps(body, ensure_ascii=False) if body is not None else None}
        event["headers"] = {**event["headers"], "User-Agent": "pytest-orders", **({"Idempotency-Key": key} if key else {})}
        event["multiValueHeaders"] = {k: [v] for k, v in event["headers"].items()}
        event["requestContext"] |= {"resourcePath": resource, "httpMethod": method}
        event["requestContext"]["authorizer"]["claims"] = claims_of(username)
        response = http_api.handler(event, Context())
        return response["statusCode"], json.loads(response["body"]) if response.get("body") else {}

    call.claims_of = claims_of
    return call


@pytest.fixture
def published(aws_system):
    """An SQS queue subscribed to the supervision-order facts on the domain bus."""
    events_client, sqs = boto3.client("events"), boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="order-facts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = aws_system["EventBusName"]
    pattern = {"detail-type": ["SupervisionOrderIssued", "SupervisionOrderAnswered", "SupervisionOrderConcluded"]}
    events_client.put_rule(Name="order-facts", EventBusName=bus, EventPattern=json.dumps(pattern))
    events_client.put_targets(Rule="order-facts", EventBusName=bus, Targets=[{"Id": "q", "Arn": queue_arn}])

    def received() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return received


ORDERS = "/supervision-orders"
ORDER = "/supervision-orders/{orderId}"
ACTIONS = "/supervision-orders/{orderId}/actions"


def issue(api, key: str = "order-key-0001", **overrides) -> tuple[int, dict]:
    body = {"source_kind": "complaint", "source_id": "TS20261123001", "department_id": "market", "matter": "群众投诉办件超期，请核查整改", **overrides}
    return api("inspector", "POST", ORDERS, ORDERS, body, key=key)


def act(api, username: str, order_id: str, body: dict) -> tuple[int, dict]:
    return api(username, "POST", ACTIONS, f"{ORDERS}/{order_id}/actions", body, params={"orderId": order_id})


def test_the_order_lifecycle_with_its_refusals(api, published):
    status, order = issue(api)
    assert status == 201, order
    order_id = order["order_id"]
    assert issue(api)[1]["order_id"] == order_id  # the same Idempotency-Key: the same order
    assert issue(api, matter="另一项不同的督办事项")[0] == 409
    assert issue(api, key="order-key-0002", matter="短")[0] == 422
    body = {"source_kind": "complaint", "source_id": "TS1x", "department_id": "market", "matter": "越权下达督办"}
    assert api("market.inspector", "POST", ORDERS, ORDERS, body)[0] == 403
    assert api("inspector", "GET", ORDER, f"{ORDERS}/DB0000NOPE", params={"orderId": "DB0000NOPE"})[0] == 404

    status, candidates = api("market.inspector", "GET", ORDER + "/candidates", f"{ORDERS}/{order_id}/candidates", params={"orderId": order_id})
    assert status == 200 and {c["username"] for c in candidates} == {"market.handler", "market.leader"}
    handler_id = api.claims_of("market.handler")["sub"]

    assert act(api, "planning.inspector", order_id, {"action": "answer", "text": "答复"})[0] == 403  # another department
    assert act(api, "market.handler", order_id, {"action": "answer", "text": "答复"})[0] == 403  # not the 监察室
    assert act(api, "inspector", order_id, {"action": "conclude", "conclusion": "corrected"})[0] == 409  # not answered
    assert act(api, "market.inspector", order_id, {"action": "establish_responsibility", "text": "认定"})[0] == 422
    assert act(api, "market.inspector", order_id, {"action": "close"})[0] == 422

    establish = {"action": "establish_responsibility", "staff_user_id": handler_id, "text": "承办人未在承诺时限内办结"}
    status, order = act(api, "market.inspector", order_id, establish)
    assert status == 200 and order["status"] == "responsibility_established", order
    status, mine = api("market.handler", "GET", "/my/responsibilities", "/my/responsibilities")
    assert status == 200 and [o["order_id"] for o in mine["items"]] == [order_id]
    assert act(api, "market.handler", order_id, {"action": "dispute", "text": "补正期间不应计时"})[1]["status"] == "disputed"
    assert act(api, "market.inspector", order_id, {"action": "answer", "text": "已整改"})[0] == 409  # dispute open
    assert act(api, "market.inspector", order_id, {"action": "decide_dispute", "decision": "maintain", "text": "经核查，认定无误"})[0] == 200
    assert act(api, "market.inspector", order_id, {"action": "answer", "text": "已整改，责任人已批评教育"})[0] == 200
    status, order = act(api, "inspector", order_id, {"action": "conclude", "conclusion": "well_founded", "text": "问题属实，已整改"})
    assert status == 200 and order["status"] == "concluded"
    assert [h["action"] for h in order["history"]] == ["issue", "establish_responsibility", "dispute", "decide_dispute", "answer", "conclude"]

    assert [o["order_id"] for o in api("market.leader", "GET", ORDERS, ORDERS)[1]["items"]] == [order_id]
    assert api("planning.inspector", "GET", ORDER, f"{ORDERS}/{order_id}", params={"orderId": order_id})[0] == 403
    assert api("inspector", "GET", ORDERS, ORDERS, query={"status": "concluded", "department": "market"})[1]["items"][0]["order_id"] == order_id
    assert api("inspector", "GET", ORDERS, ORDERS, query={"status": "issued"})[1]["items"] == []

    facts = {m["detail-type"]: m["detail"]["event_id"] for m in published()}
    assert facts == {"SupervisionOrderIssued": f"{order_id}:issued", "SupervisionOrderAnswered": f"{order_id}:answered",
                     "SupervisionOrderConcluded": f"{order_id}:concluded"}


@pytest.mark.fresh_stack
def test_an_overdue_order_escalates_to_the_leader_and_the_city(api):
    order = issue(api)[1]
    stored = container().orders.get(order["order_id"])
    report = container().order_service.sweep(stored.red_at + timedelta(seconds=1))
    assert report.escalated == [f"{order['order_id']}:leader", f"{order['order_id']}:city"]
    assert container().order_service.sweep(stored.red_at + timedelta(days=3)).escalated == []
    status, inbox = api("market.leader", "GET", "/supervision-orders/inbox", "/supervision-orders/inbox")
    assert status == 200 and [(e["level"], e["order"]["overdue"]) for e in inbox["items"]] == [("leader", True)]
    assert [e["level"] for e in api("inspector", "GET", "/supervision-orders/inbox", "/supervision-orders/inbox")[1]["items"]] == ["city"]
    assert api("market.handler", "GET", "/supervision-orders/inbox", "/supervision-orders/inbox")[0] == 403


@pytest.mark.fresh_stack
def test_inspector_requests_are_chained_in_the_log_and_an_edit_is_detected(api, aws_system, capsys):
    api("inspector", "GET", ORDERS, ORDERS)
    api("inspector", "GET", ORDER, f"{ORDERS}/DB0000NOPE", params={"orderId": "DB0000NOPE"})  # a 404 is logged too
    api("market.handler", "GET", "/my/responsibilities", "/my/responsibilities")  # staff: not logged
    status, page = api("inspector.chief", "GET", "/inspector-log", "/inspector-log")
    assert status == 200
    records = page["items"]
    assert [(r["seq"], r["route"], r["status"]) for r in records] == [(2, ORDER, 404), (1, ORDERS, 200)]
    assert (records[0]["source_ip"], records[0]["user_agent"], records[0]["path_params"]) == ("203.0.113.10", "pytest-orders", {"orderId": "DB0000NOPE"})
    assert records[0]["prev_hash"] == records[1]["hash"]
    assert api("market.handler", "GET", "/inspector-log", "/inspector-log")[0] == 403
    # The supervised and the admin do not read it (the admin's attempt is logged: seq 4).
    assert api("market.inspector", "GET", "/inspector-log", "/inspector-log")[0] == 403
    assert api("admin", "GET", "/inspector-log", "/inspector-log")[0] == 403
    by_user = api("inspector", "GET", "/inspector-log", "/inspector-log", query={"user": api.claims_of("inspector.chief")["sub"]})[1]["items"]
    assert [r["seq"] for r in by_user] == [3]  # the chief's own read of the log

    table = aws_system["SupervisionTableName"]
    assert verify_main(["--table", table, "--segment", "2"]) == 0  # the runs from the SPA: test_log_verification.py
    assert "链完整" in capsys.readouterr().out
    dynamodb = boto3.client("dynamodb")
    key = {"pk": {"S": "INSPLOG"}, "sk": {"S": "SEQ#000000000002"}}
    doc = json.loads(dynamodb.get_item(TableName=table, Key=key)["Item"]["doc"]["S"])
    doc["status"] = 200  # someone hides the failed lookup
    dynamodb.update_item(
        TableName=table, Key=key, UpdateExpression="SET doc = :d", ExpressionAttributeValues={":d": {"S": json.dumps(doc, ensure_ascii=False)}},
    )

    assert verify_main(["--table", table, "--segment", "2"]) == 1
    assert "第 2 条记录处断链" in capsys.readouterr().out


@pytest.mark.fresh_stack
def test_the_inspector_watch_flags_idle_inspectors_for_the_chief(api, aws_system, monkeypatch):
    monkeypatch.setenv("USER_POOL_ID", aws_system["UserPoolId"])
    api("inspector", "GET", ORDERS, ORDERS)  # the city inspector acted today
    from inspector_watch import handler as watch

    class WatchContext(Context):
        function_name = "InspectorWatchFunction"

    report = watch.handler({"source": "aws.events"}, WatchContext())
    assert "inspector" not in report["flagged"] and "inspector.chief" not in report["flagged"]
    assert {"market.inspector", "police.inspector"} <= set(report["flagged"])
    assert watch.handler({}, WatchContext())["flagged"] == []  # once per inspector and day
    status, flags = api("inspector.chief", "GET", "/inspector-flags", "/inspector-flags")
    assert status == 200 and {f["username"] for f in flags["items"]} == set(report["flagged"])
    assert flags["items"][0]["reasons"][0]["kind"] == "idle"
    assert api("inspector", "GET", "/inspector-flags", "/inspector-flags")[0] == 403


def test_a_district_bureau_issues_within_its_levels_and_concludes_its_own_order(api):
    from sunlight.models.orders import OrderActionRequest
    from sunlight.models.roles import Principal, Role

    body = {"source_kind": "complaint", "source_id": "TS20261123002", "department_id": "fenghuang-center", "matter": "街道办件超期，请核查整改"}
    status, order = api("echeng.inspector", "POST", ORDERS, ORDERS, body, key="order-key-district1")
    assert status == 201 and order["issued_by_government_id"] == "420704", order
    for department in ("huarong-market", "market"):  # another district, the city's department
        status, refused = api("echeng.inspector", "POST", ORDERS, ORDERS, {**body, "department_id": department})
        assert status == 403 and refused["message"] == "您只能向本级及下级政府的部门下达督办。", refused
    listed = api("echeng.inspector", "GET", ORDERS, ORDERS)[1]["items"]
    assert [o["order_id"] for o in listed] == [order["order_id"]]
    assert api("huarong.inspector", "GET", ORDERS, ORDERS)[1]["items"] == []
    # The seed has no 监察室 for the street's center: its answer goes through the service.
    office = Principal(user_id="i-fh", name="凤凰街道监察室", roles=frozenset({Role.INSPECTOR}), department_id="fenghuang-center")
    container().order_service.act(office, order["order_id"], OrderActionRequest(action="answer", text="已整改"))
    conclude = {"action": "conclude", "conclusion": "corrected", "text": "整改到位"}
    assert act(api, "huarong.inspector", order["order_id"], conclude)[0] == 403
    status, concluded = act(api, "echeng.inspector", order["order_id"], conclude)
    assert status == 200 and concluded["status"] == "concluded", concluded
    assert concluded["history"][-1]["actor_role"] == "鄂城区监察局"
