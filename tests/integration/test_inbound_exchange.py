"""The inbound exchange's function and store on moto (the stack as synthesized, demo catalog
seeded): reports applied to cases in the Cases table, message ids recorded once, malformed
messages kept in the Supervision table, orders from above in the city inspectors' inbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from sunlight.bootstrap import container
from sunlight.models.roles import Principal, Role
from sunlight.rules.inbound import reported_case_id
from tests.integration.test_anomaly_check import anomaly_check  # noqa: F401
from tests.integration.test_handlers import Context, handlers  # noqa: F401

ITEM_CODE = "420700-XK-0201"
CITY_INSPECTOR = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")


def message(sequence: int, entity: str, message_type: str = "case_transitioned", **body) -> dict:
    defaults: dict = {"item_code": ITEM_CODE, "department_id": "market"}
    if message_type == "case_received":
        defaults |= {"applicant_name": "张*", "step": "accept"}
    else:
        defaults |= {"from_step": "accept", "decision": "accept", "to_step": "handle", "actor_name": "窗口甲"}
    return {"message_id": f"{entity}-{sequence:04d}", "message_type": message_type, "platform_id": "market-zjxt",
            "government_id": "420700", "entity_id": entity, "sequence": sequence,
            "occurred_at": f"2026-11-23T0{sequence}:00:00+08:00", "body": {**defaults, **body}}


@pytest.fixture
def inbound(handlers, aws_system):
    from exchange_inbound import handler

    def call(method: str, resource: str, body: object = None, *, claims: dict | None = None,
             query: dict | None = None) -> tuple[int, dict]:
        raw = body if isinstance(body, str) or body is None else json.dumps(body, ensure_ascii=False)
        event = {"resource": resource, "path": resource, "httpMethod": method, "headers": {}, "body": raw,
                 "isBase64Encoded": False, "queryStringParameters": query,
                 "requestContext": {"resourcePath": resource, "httpMethod": method, "requestId": "r-1",
                                    "authorizer": {"claims": claims if claims is not None else SYSTEM_CLAIMS}}}
        response = handler.handler(event, Context())
        return response["statusCode"], json.loads(response["body"])

    return call


SYSTEM_CLAIMS = {"token_use": "access", "client_id": "city-market-system", "sub": "city-market-system",
                 "scope": "exchange/report.market"}
UPPER_CLAIMS = {"token_use": "access", "client_id": "upper", "sub": "upper", "scope": "exchange/orders"}
INSPECTOR_CLAIMS = {"sub": "i-city", "name": "郑国华", "cognito:groups": "inspector", "custom:government": "420700", "token_use": "id"}


def test_reports_become_a_case_once_and_in_sequence_order(inbound):
    entity = f"ZJ-{uuid.uuid4().hex[:8]}"
    assert inbound("POST", "/inbound/reports", message(1, entity, "case_received"))[1]["outcome"] == "applied"
    status, held = inbound("POST", "/inbound/reports", message(3, entity, from_step="handle", decision="submit",
                                                               to_step="review", actor_name="承办乙"))
    assert (status, held["outcome"], held["waiting_for_sequence"]) == (200, "held", 2)
    status, waiting = inbound("GET", "/inbound/quarantine", claims=INSPECTOR_CLAIMS, query={"held": "1"})
    assert status == 200 and (entity, 3) in [(w["entity_id"], w["sequence"]) for w in waiting["items"]]
    assert inbound("POST", "/inbound/reports", message(2, entity))[1]["applied_sequence"] == 3
    assert inbound("POST", "/inbound/reports", message(2, entity))[1]["status"] == "duplicate"
    case, timeline = container().cases.get_with_timeline(reported_case_id("city-market-system", "market-zjxt", entity))
    assert case.status.value == "review" and case.source_system == "market-zjxt" and case.next_alarm_at is not None
    assert [e.action for e in timeline] == ["report_received", "accept", "submit"]
    assert container().inbound_store.held(f"city-market-system#market-zjxt#{entity}") == []


def test_a_malformed_report_is_refused_and_kept_and_inspectors_list_it(inbound):
    broken = message(1, f"ZJ-{uuid.uuid4().hex[:8]}", "case_received")
    broken["body"]["step"] = "fly"
    status, refused = inbound("POST", "/inbound/reports", broken)
    assert (status, refused["details"]["field"]) == (422, "body.step")
    assert "body.step" in refused["message"]
    status, page = inbound("GET", "/inbound/quarantine", claims=INSPECTOR_CLAIMS)
    assert status == 200 and broken["message_id"] in [q["message_id"] for q in page["items"]]
    assert container().cases.get(reported_case_id("city-market-system", "market-zjxt", broken["entity_id"])) is None


def test_authorization_comes_before_the_body(inbound):
    before = len(container().inbound_store.quarantined(limit=100, start_key=None)[0])
    assert inbound("POST", "/inbound/reports", "{garbage", claims=UPPER_CLAIMS)[0] == 403
    assert inbound("POST", "/inbound/reports", "{garbage", claims=INSPECTOR_CLAIMS)[0] == 403  # a person's ID token
    assert len(container().inbound_store.quarantined(limit=100, start_key=None)[0]) == before
    other = message(1, f"ZJ-{uuid.uuid4().hex[:8]}", "case_received", department_id="planning", item_code="420700-XK-0101")
    assert inbound("POST", "/inbound/reports", other)[0] == 403


def test_the_store_records_a_message_id_once(aws_system, handlers):
    store = container().inbound_store
    message_id = f"m-{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    assert store.receive(message_id, fingerprint="a", stream="s#1", sequence=1, raw="{}", received_at=now) is None
    assert store.receive(message_id, fingerprint="b", stream="s#1", sequence=1, raw="{}", received_at=now) == "a"
    assert [h.message_id for h in store.held("s#1")] == [message_id]
    store.release("s#1", 1)
    assert store.held("s#1") == []


def test_an_order_from_above_reaches_the_city_inbox(inbound):
    upstream_id = f"HB-{uuid.uuid4().hex[:8]}"
    status, sent = inbound("POST", "/inbound/orders", {"message_id": f"up-{uuid.uuid4().hex}", "upstream_order_id": upstream_id,
                                                       "platform_id": "hubei", "department_id": "market",
                                                       "matter": "请核查并答复办理超期问题"}, claims=UPPER_CLAIMS)
    assert status == 200, sent
    inbox = container().order_service.inbox(CITY_INSPECTOR, cursor=None, limit=50).items
    assert [e.order.upstream_order_id for e in inbox if e.order.order_id == sent["order_id"]] == [upstream_id]
    assert inbound("POST", "/inbound/orders", {"matter": "x"}, claims=SYSTEM_CLAIMS)[0] == 403


def test_a_step_reported_out_of_order_becomes_an_anomaly_warning(inbound, anomaly_check, aws_system):
    """Reported transitions go on the bus like native ones; the anomaly check judges them."""
    handler, spec = anomaly_check
    entity = f"ZJ-{uuid.uuid4().hex[:8]}"
    inbound("POST", "/inbound/reports", message(1, entity, "case_received"))
    # At 受理, the system reports a decision taken at 审核: 承办 and 审核 were skipped.
    inbound("POST", "/inbound/reports", message(2, entity, from_step="review", decision="pass", to_step="approve",
                                                actor_name="审核丙", actor_role="reviewer"))
    case_id = reported_case_id("city-market-system", "market-zjxt", entity)
    delivered = [e for e in aws_system.delivered.to(spec.arn) if e["detail"]["case_id"] == case_id]
    assert [e["detail"]["seq"] for e in delivered] == [1, 2]
    container.cache_clear()  # the anomaly function's own configuration
    results = [handler.handler(event, Context()) for event in delivered]
    assert results[0]["anomalies"] == 0
    assert any("out_of_order" in warning_id for warning_id in results[1]["warningIds"]), results[1]
