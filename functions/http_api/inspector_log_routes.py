"""Routes of the inspector log (监察日志) and inspector flags; and the recorder that appends every
request of an inspector or admin to the log (called once per request by the handler)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver, Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.metrics import MetricUnit

from sunlight.bootstrap import container
from sunlight.models.inspector_log import InspectorFlag, LogEntry, LogRecord, LogRecordView, LogVerificationRun
from sunlight.models.roles import Role, principal_from_claims
from sunlight.observability import handler_metrics
from sunlight.services.pagination import Page

from .common import Cursor, Limit, principal_of

router = Router()
logger = Logger()
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)

LOGGED_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})


@router.get("/inspector-log", summary="监察日志")
def inspector_log(
    user: Annotated[str | None, Query(max_length=80, description="用户编号")] = None,
    since: Annotated[date | None, Query(description="开始日期")] = None,
    until: Annotated[date | None, Query(description="结束日期（含）")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[LogRecordView]:
    page = container().inspector_log.page(principal_of(router.current_event), user_id=user, since=since, until=until, cursor=cursor, limit=limit)
    summaries = _operation_summaries()
    return Page[LogRecordView](
        items=[LogRecordView(**record.model_dump(), action=summaries.get((record.method, record.route))) for record in page.items],
        next_cursor=page.next_cursor,
    )


@lru_cache(maxsize=1)
def _operation_summaries() -> dict[tuple[str, str], str]:
    """(method, route template) → the route's summary, from the resolver this router is part of."""
    app = router.api_resolver  # set by the handler's include_router
    if not isinstance(app, ApiGatewayResolver):
        return {}
    routes = [*app._static_routes, *app._dynamic_routes]  # Powertools keeps no public list of them
    return {(route.method, route.openapi_path): route.summary for route in routes if route.summary}


@router.post("/inspector-log/verifications", summary="校验监察日志哈希链")
def start_verification() -> Response[LogVerificationRun]:
    """202 with a new run; 200 with the run still going if there is one (one run at a time)."""
    run, started = container().log_verifications.start(principal_of(router.current_event))
    return Response(202 if started else 200, content_types.APPLICATION_JSON, run)


@router.get("/inspector-log/verifications/latest", summary="最近一次监察日志校验")
def latest_verification() -> LogVerificationRun:
    return container().log_verifications.latest(principal_of(router.current_event))


@router.get("/inspector-log/verifications/<runId>", summary="监察日志校验进度")
def verification(runId: str) -> LogVerificationRun:
    return container().log_verifications.get(principal_of(router.current_event), runId)


@router.get("/inspector-flags", summary="监察人员履职提醒")
def inspector_flags(cursor: Cursor = None, limit: Limit = 20) -> Page[InspectorFlag]:
    return container().inspector_log.flags(principal_of(router.current_event), cursor=cursor, limit=limit)


def record_request(event: dict[str, Any], response: dict[str, Any], now: Any = None) -> LogRecord | None:
    """Appends the request to the inspector log if an inspector or admin made it, whatever the
    outcome (reads of dossiers included). A failure never changes the user's answer: it is
    logged as an error and counted (metric InspectorLogFailures) for the alarm."""
    try:
        context = event.get("requestContext") or {}
        principal = principal_from_claims((context.get("authorizer") or {}).get("claims"))
        if principal is None or not principal.roles & LOGGED_ROLES:
            return None
        identity = context.get("identity") or {}
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        entry = LogEntry(
            at=now or container().clock.now(),
            user_id=principal.user_id, user_name=principal.name, roles=tuple(sorted(r.value for r in principal.roles)),
            department_id=principal.department_id, method=event.get("httpMethod", ""),
            route=event.get("resource") or context.get("resourcePath") or "", path=event.get("path", ""),
            path_params={k: str(v) for k, v in (event.get("pathParameters") or {}).items()},
            status=int(response.get("statusCode", 0)),
            source_ip=identity.get("sourceIp"), user_agent=(identity.get("userAgent") or headers.get("user-agent") or "")[:300] or None,
        )
        return container().inspector_log.record(entry)
    except Exception:  # the user's action stands; the gap is made visible
        logger.exception("inspector log append failed", extra={"path": event.get("path"), "method": event.get("httpMethod")})
        metrics.add_metric(name="InspectorLogFailures", unit=MetricUnit.Count, value=1)
        return None
