"""The inbound exchange over HTTP on the local system: systems get access tokens by client
credentials at the token endpoint, report their cases to the exchange's own API, and the
higher-level platform sends a 督办 down to the city inspectors' inbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from infra import constants

ITEM_CODE = "420700-XK-0201"  # the city market department's licensing item (seed)


@pytest.fixture(scope="module")
def exchange(system) -> str:
    return system.outputs["ExchangeApiUrl"].rstrip("/")


def client_credentials(system, construct_id: str) -> tuple[str, str]:
    """A system's client id (a stack output) and secret (read from the pool, as README says)."""
    client_id = system.outputs[f"{construct_id}Id"]
    cognito = system.session.client("cognito-idp", endpoint_url=system.moto_url)
    described = cognito.describe_user_pool_client(UserPoolId=system.outputs["UserPoolId"], ClientId=client_id)
    return client_id, described["UserPoolClient"]["ClientSecret"]


def token_of(system, construct_id: str) -> str:
    client_id, secret = client_credentials(system, construct_id)
    response = requests.post(system.outputs["ExchangeTokenUrl"], auth=(client_id, secret), timeout=10,
                             data={"grant_type": "client_credentials"})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def report(sequence: int, entity: str, message_type: str = "case_transitioned", *, department: str = "market",
           message_id: str | None = None, **body) -> dict:
    defaults: dict = {"item_code": ITEM_CODE, "department_id": department}
    if message_type == "case_received":
        defaults |= {"applicant_name": "张*", "step": "accept"}
    else:
        defaults |= {"from_step": "accept", "decision": "accept", "to_step": "handle", "actor_name": "窗口甲"}
    return {
        "message_id": message_id or f"{entity}-{sequence:04d}", "message_type": message_type, "schema_version": "1.0",
        "platform_id": "market-zjxt", "government_id": "420700", "entity_id": entity, "sequence": sequence,
        "occurred_at": (datetime.now(UTC) - timedelta(hours=4 - sequence)).isoformat(), "body": {**defaults, **body},
    }


def post(url: str, token: str | None, body: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return requests.post(url, data=data.encode(), headers={**headers, "Content-Type": "application/json"}, timeout=30)


def test_a_token_by_client_credentials_and_wrong_secrets_refused(system):
    client_id, _ = client_credentials(system, "CityMarketSystemClient")
    wrong = requests.post(system.outputs["ExchangeTokenUrl"], auth=(client_id, "not-the-secret"), timeout=10,
                          data={"grant_type": "client_credentials"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_client"
    assert token_of(system, "CityMarketSystemClient")


def test_reports_accepted_once_applied_in_sequence_and_supervised(system, exchange, login):
    token = token_of(system, "CityMarketSystemClient")
    entity = f"ZJ-{uuid.uuid4().hex[:10]}"
    url = f"{exchange}/inbound/reports"
    first = report(1, entity, "case_received")
    received = post(url, token, first)
    assert received.status_code == 200, received.text
    assert received.json()["status"] == "accepted"
    case_id = received.json()["case_id"]
    assert post(url, token, first).json()["status"] == "duplicate"  # sent again: accepted once

    held = post(url, token, report(3, entity, from_step="handle", decision="submit", to_step="review", actor_name="承办乙"))
    assert (held.status_code, held.json()["outcome"], held.json()["waiting_for_sequence"]) == (200, "held", 2)
    filled = post(url, token, report(2, entity))
    assert (filled.json()["outcome"], filled.json()["applied_sequence"]) == ("applied", 3)

    case = login("inspector").get(f"/cases/{case_id}")
    assert case.status_code == 200, case.text
    body = case.json()
    assert body["status"] == "review" and body["step_due_at"] and body["source_system"] == "market-zjxt"
    assert [e["action"] for e in body["timeline"]] == ["report_received", "accept", "submit"]


def test_a_malformed_report_is_refused_naming_the_field_and_kept_for_inspectors(system, exchange, login):
    token = token_of(system, "CityMarketSystemClient")
    broken = report(1, f"ZJ-{uuid.uuid4().hex[:10]}", "case_received")
    del broken["body"]["applicant_name"]
    refused = post(f"{exchange}/inbound/reports", token, broken)
    assert refused.status_code == 422
    assert refused.json()["details"]["field"] == "body.applicant_name" and "缺少" in refused.json()["message"]
    quarantine = requests.get(f"{exchange}/inbound/quarantine", headers={"Authorization": login("inspector").session.headers["Authorization"]},
                              timeout=30)
    assert quarantine.status_code == 200, quarantine.text
    assert broken["message_id"] in [q["message_id"] for q in quarantine.json()["items"]]


def test_another_departments_report_and_tokens_without_the_scope_are_refused(system, exchange):
    url = f"{exchange}/inbound/reports"
    market = token_of(system, "CityMarketSystemClient")
    refused = post(url, market, report(1, f"ZJ-{uuid.uuid4().hex[:10]}", "case_received", department="planning",
                                       item_code="420700-XK-0101"))
    assert refused.status_code == 403, refused.text
    # The gateway refuses before the function runs: no token, or a token without a report scope.
    assert post(url, None, report(1, "ZJ-none", "case_received")).status_code == 401
    assert post(url, token_of(system, "UpperPlatformClient"), "{not even json").status_code == 401


def test_an_order_from_above_arrives_in_the_city_inspectors_inbox(system, exchange, login):
    upstream_id = f"HB-DB-{uuid.uuid4().hex[:8]}"
    order = {"message_id": f"up-{uuid.uuid4().hex}", "upstream_order_id": upstream_id, "platform_id": "hubei",
             "department_id": "market", "matter": "请核查市场监管局食品经营许可办理超期问题并答复", "deadline_days": 5}
    sent = post(f"{exchange}/inbound/orders", token_of(system, "UpperPlatformClient"), order)
    assert sent.status_code == 200, sent.text
    order_id = sent.json()["order_id"]
    inbox = login("inspector").get("/supervision-orders/inbox").json()["items"]
    mine = [e for e in inbox if e["order"]["order_id"] == order_id]
    assert mine and mine[0]["level"] == "upstream" and mine[0]["order"]["upstream_order_id"] == upstream_id
    # A report client may not send orders (the gateway checks the scope).
    assert post(f"{exchange}/inbound/orders", token_of(system, "CityMarketSystemClient"), order).status_code == 401


def test_every_system_client_is_provisioned(system):
    for client in constants.EXCHANGE_CLIENTS:
        assert system.outputs[f"{client.construct_id}Id"]
