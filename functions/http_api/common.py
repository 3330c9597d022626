"""What every route module of the API shares: the caller, and common query parameters.

The caller is read from the event being served (set by http_api.api.serve), not from a router:
a route module may hold routers of several functions, and each router only knows its own resolver."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header, Query

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


CURRENT_EVENT: ContextVar[dict[str, Any] | None] = ContextVar("current_event", default=None)


def current_principal() -> Principal:
    """The caller of the request being served (401 if none: API Gateway's authorizer guards these
    routes; be safe anyway)."""
    event = CURRENT_EVENT.get() or {}
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or None
    principal = principal_from_claims(claims)
    if principal is None:
        raise Unauthenticated()
    return principal


# Record-level checks that run before the body is parsed (http_api.api.serve), for routes whose
# audience alone (access.py) lets in callers who may not act on this record: such a caller gets its
# 403 and never a description of the body. Keyed by (method, path template); each raises a
# DomainError (Forbidden, NotFound, Conflict) or returns.
RecordCheck = Callable[[Principal, dict[str, str]], None]
BEFORE_BODY: dict[tuple[str, str], RecordCheck] = {}


def checked_before_body(method: str, template: str) -> Callable[[RecordCheck], RecordCheck]:
    def register(check: RecordCheck) -> RecordCheck:
        BEFORE_BODY[(method.upper(), template)] = check
        return check

    return register
