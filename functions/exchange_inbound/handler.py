"""The inbound exchange API (系统对接·接入), its own RestApi in the Exchange stack:
- POST /inbound/reports: a department's own system or a district platform reports a case's step
  (access token of its app client; scope `exchange/report.<department>` per department);
- POST /inbound/orders: the higher-level platform sends a 督办 down (scope `exchange/orders`);
- GET /inbound/quarantine: inspectors list the refused messages (their ID token); with `?held=1`,
  the reports held for an earlier sequence that has not arrived (gaps).

API Gateway's Cognito authorizer has checked the token and that it holds one of the method's
scopes; here the client's scopes are checked against what it asks for before the body is read.
"""

from __future__ import annotations

import base64
import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import InboundExchangeSettings, require_environment
from sunlight.models.roles import principal_from_claims
from sunlight.observability import handler_metrics
from sunlight.services.errors import (
    DomainError,
    InvalidInput,
)
from sunlight.services.inbound import InboundClient
from sunlight.services.pagination import signed_cursors

logger = Logger()
SETTINGS = InboundExchangeSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()
MAX_LIMIT = 100
DEFAULT_LIMIT = 50


def _response(status: int, body: object) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json; charset=utf-8"},
            "body": json.dumps(body, ensure_ascii=False, default=str), "isBase64Encoded": False}


def _error(error: DomainError) -> dict:
    return _response(error.http_status, {"code": error.code, "message": error.message, **({"details": error.details} if error.details else {})})


def _claims(event: dict) -> dict:
    return ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}


def _raw_body(event: dict) -> str:
    body = event.get("body") or ""
    return base64.b64decode(body).decode("utf-8", "replace") if event.get("isBase64Encoded") else body


def _client(event: dict) -> InboundClient | None:
    claims = _claims(event)
    if claims.get("token_use") != "access" or not claims.get("client_id"):
        return None
    return InboundClient.of(str(claims["client_id"]), str(claims.get("scope") or ""))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    route = (event.get("httpMethod"), event.get("resource"))
    try:
        if route == ("GET", "/inbound/quarantine"):
            principal = principal_from_claims(_claims(event))
            if principal is None:
                return _response(401, {"code": "unauthenticated", "message": "请先登录。"})
            params = event.get("queryStringParameters") or {}
            given = str(params.get("limit") or "")
            limit = min(MAX_LIMIT, int(given)) if given.isdigit() and int(given) > 0 else DEFAULT_LIMIT
            held = params.get("held") in ("1", "true")  # reports held for a missing earlier sequence (gaps)
            with signed_cursors(container().cursor_signing_key, f"inbound-{'held' if held else 'quarantine'}#{principal.user_id}"):
                service = container().inbound
                page = (service.waiting if held else service.quarantined)(principal, cursor=params.get("cursor"), limit=limit)
            return _response(200, page.model_dump(mode="json"))
        client = _client(event)
        if client is None:  # an ID token (a person), not a system's access token
            return _response(403, {"code": "forbidden", "message": "请使用对接系统的客户端凭证（client credentials）获取访问令牌。"})
        if route == ("POST", "/inbound/reports"):
            ack = container().inbound.report(client, _raw_body(event))
            metrics.add_metric(name=f"InboundReports{ack.outcome.value.capitalize()}", unit=MetricUnit.Count, value=1)
            return _response(200, ack.model_dump(mode="json"))
        if route == ("POST", "/inbound/orders"):
            order = container().inbound.order(client, _raw_body(event))
            return _response(200, {"status": "accepted", "order_id": order.order_id, "upstream_order_id": order.upstream_order_id,
                                   "status_label": order.status.label})
    except DomainError as error:
        if isinstance(error, InvalidInput):
            metrics.add_metric(name="InboundRefused", unit=MetricUnit.Count, value=1)
        return _error(error)
    return _response(404, {"code": "not_found", "message": "请求的地址不存在。"})
