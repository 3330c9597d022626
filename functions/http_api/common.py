"""What every route module of the API shares: the caller, and common query parameters."""

from __future__ import annotations

import json
from typing import Annotated, cast

from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from sunlight.models.roles import Principal, principal_from_claims

IdempotencyKey = Annotated[
    str | None,
    Header(alias="idempotency-key", pattern=r"^[A-Za-z0-9_-]{8,64}$", description="重试时保持不变的请求标识"),
]
Limit = Annotated[int, Query(ge=1, le=100, description="每页条数")]
Cursor = Annotated[str | None, Query(max_length=2000, description="翻页标记")]


def cursor_scope_of(event: dict) -> str:
    """What a page cursor is bound to: the list (resource and path), the caller and every query
    parameter but the cursor and the page size (sunlight/services/pagination.py)."""
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    query = event.get("multiValueQueryStringParameters") or {}
    filters = sorted((k, v) for k, values in query.items() if k not in ("cursor", "limit") for v in values or [])
    return json.dumps([event.get("resource"), event.get("pathParameters"), claims.get("sub"), filters],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Unauthenticated(Exception):
    pass


def principal_of(event: BaseProxyEvent) -> Principal:
    """`event` is the REST resolver's APIGatewayProxyEvent (a router only knows its base class)."""
    principal = principal_from_claims(cast(APIGatewayProxyEvent, event).request_context.authorizer.claims)
    if principal is None:  # API Gateway's authorizer guards these routes; be safe anyway
        raise Unauthenticated()
    return principal
