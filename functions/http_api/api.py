"""What every API function shares (one per audience: functions/api_*/handler.py): the resolver
with its CORS and JSON-only validation, the error map, the refusal before parsing, page-cursor
signing and the headers every response carries. Route modules import this module or common.py;
nothing here imports a route module or a handler.

Errors are mapped to HTTP in one place (`_domain_error`, `_invalid_request`, ...). Before any of
that, `serve` checks who may call the route (access.py) and whether the caller's sign-in was
revoked (services/sessions.py): a caller who may not use a route gets 401/403 before its body is
parsed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import FunctionSettings, require_environment
from sunlight.models.roles import principal_from_claims
from sunlight.models.validation import to_field_errors
from sunlight.observability import handler_metrics
from sunlight.services.errors import (
    DomainError,
    TooManyAttempts,
)
from sunlight.services.pagination import signed_cursors
from sunlight.services.sessions import REVOKED_MESSAGE, sign_in_time

from . import access
from .common import BEFORE_BODY, CURRENT_EVENT, Unauthenticated, cursor_scope_of
from .media_type import UNSUPPORTED_MEDIA_TYPE_MESSAGE, UnsupportedMediaType, require_json_bodies

logger = Logger()
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)

CORS = CORSConfig(
    # Replaced per response by the caller's origin if the deployment allows it (_secure_headers).
    allow_origin="*",
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
    expose_headers=["Content-Disposition"],  # export file names (CSV, Excel) for the SPA
    max_age=600,
)


def resolver(*routers: Router) -> APIGatewayRestResolver:
    """A resolver serving `routers`, with the API's validation, CORS and error answers."""
    app = APIGatewayRestResolver(enable_validation=True, cors=CORS)
    require_json_bodies(app)  # a body that is not JSON: 415 (media_type.py)
    for router in routers:
        app.include_router(router)
    app.exception_handler(DomainError)(_domain_error)
    app.exception_handler(RequestValidationError)(_invalid_request)
    app.exception_handler(UnsupportedMediaType)(_unsupported_media_type)
    app.exception_handler(Unauthenticated)(_unauthenticated)
    app.not_found(_no_route)
    app.exception_handler(Exception)(_unexpected)
    return app


def serve(app: APIGatewayRestResolver, settings: type[FunctionSettings], event: dict, context: LambdaContext) -> dict:
    """One request: the function's settings, the refusal before parsing, then the resolver with
    page cursors signed for this list and caller, then the secure headers."""
    require_environment(settings)
    response = _refusal(event)
    if response is None:
        token = CURRENT_EVENT.set(event)
        try:
            # Page cursors are signed with the deployment's key, for this list, caller and filter.
            with signed_cursors(container().cursor_signing_key, cursor_scope_of(event)):
                response = app.resolve(event, context)
        finally:
            CURRENT_EVENT.reset(token)
    return _secure_headers(event, response)


# --- errors, in one place -------------------------------------------------------------------


def _error(status: int, code: str, message: str, **extra: object) -> Response:
    return Response(status, content_types.APPLICATION_JSON, {"code": code, "message": message, **extra})


def _domain_error(error: DomainError) -> Response:
    status = error.http_status
    if status >= 500:
        logger.warning("dependency failure", extra={"error": error.message}, exc_info=error.__cause__)
    response = _error(status, error.code, error.message, **({"details": error.details} if error.details else {}))
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


def _invalid_request(error: RequestValidationError) -> Response:
    errors = to_field_errors(error.errors())
    return _error(422, "validation_error", "提交的内容有误：" + "；".join(e["message"] for e in errors), errors=errors)


def _unsupported_media_type(_: UnsupportedMediaType) -> Response:
    return _error(415, "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE_MESSAGE)


def _unauthenticated(_: Unauthenticated) -> Response:
    return _error(401, "unauthenticated", "请先登录。")


def _no_route(_: Exception) -> Response:
    return _error(404, "not_found", "请求的地址不存在。")


def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error")
    metrics.add_metric(name="UnhandledErrors", unit=MetricUnit.Count, value=1)
    return _error(500, "internal_error", "系统出现异常，您的操作可能未完成，请稍后查看后重试。")


def _refusal(event: dict) -> dict | None:
    """401/403 before the resolver parses anything: the route's audience (access.POLICY), then
    whether the caller's sign-in was revoked (disabled, password reset, roles changed, signed out),
    then the route's record-level check if it has one (common.BEFORE_BODY)."""
    method = event.get("httpMethod") or ""
    route = event.get("resource") or (event.get("requestContext") or {}).get("resourcePath") or ""
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or None
    principal = principal_from_claims(claims)
    refused = access.check(method, route, principal)
    if refused is None and principal is not None and claims is not None:
        if container().sessions.is_revoked(principal.user_id, sign_in_time(claims)):
            refused = (401, "session_revoked", REVOKED_MESSAGE)
    record_check = BEFORE_BODY.get((method.upper(), route))
    if refused is None and principal is not None and record_check is not None:
        try:
            record_check(principal, event.get("pathParameters") or {})
        except DomainError as error:
            refused = (error.http_status, error.code, error.message)
    if refused is None:
        return None
    status, code, message = refused
    return {
        "statusCode": status,
        "multiValueHeaders": {"Content-Type": [content_types.APPLICATION_JSON]},
        "body": json.dumps({"code": code, "message": message}, ensure_ascii=False),
        "isBase64Encoded": False,
    }


@lru_cache(maxsize=1)
def allowed_origins() -> frozenset[str]:
    return frozenset(o.strip() for o in container().settings.allowed_origins.split(",") if o.strip())


def _secure_headers(event: dict, response: dict[str, Any]) -> dict[str, Any]:
    """No cache keeps a response (they carry personal data); CORS names the caller's origin only
    if the deployment allows it (ALLOWED_ORIGINS, the same list as API Gateway's preflight)."""
    headers = response.setdefault("multiValueHeaders", {})
    single = response.get("headers") or {}
    for name in [*headers, *single]:
        if name.lower() in ("access-control-allow-origin", "cache-control", "vary"):
            headers.pop(name, None)
            single.pop(name, None)
    headers["Cache-Control"] = ["no-store"]
    origin = next((v for k, v in (event.get("headers") or {}).items() if k.lower() == "origin"), None)
    allowed = allowed_origins()
    if origin and (origin in allowed or "*" in allowed):
        headers["Access-Control-Allow-Origin"] = [origin]
        headers["Vary"] = ["Origin"]
    return response
