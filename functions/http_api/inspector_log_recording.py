"""The inspector log's recorder (监察日志): middleware around an API function's handler that
appends every request of an inspector or admin to the log, whatever the outcome (refusals before
parsing included), so it wraps the whole handler. Applied to every function an inspector or admin
can call (every API function but the public one, whose routes carry no sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.middleware_factory import lambda_handler_decorator

from sunlight.bootstrap import container
from sunlight.models.inspector_log import LogEntry, LogRecord
from sunlight.models.roles import Role, principal_from_claims

from .api import metrics

logger = Logger()  # the service's logger (Powertools shares it by service name)

LOGGED_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})


@lambda_handler_decorator
def inspector_log_recorded(handler: Callable[[dict, Any], dict], event: dict, context: Any) -> dict:
    response = handler(event, context)
    record_request(event, response)
    return response


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
