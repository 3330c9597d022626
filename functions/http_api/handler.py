"""The REST API: public catalog and tracking, citizens' applications, staff worklists and actions.

Thin: parse and validate the request, call one use case, shape the response. Errors are mapped
to HTTP in one place (`_domain_error`, `_invalid_request`). Before any of that, `handler` checks
who may call the route (access.py) and whether the caller's sign-in was revoked
(services/sessions.py): a caller who may not use a route gets 401/403 before its body is parsed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import calendar_routes
from sunlight.bootstrap import container
from sunlight.config import ApiSettings, require_environment
from sunlight.models.catalog import CatalogItemSummary, Category, Department, PublicCatalogItem
from sunlight.models.due import ServerTime
from sunlight.models.flow import Step
from sunlight.models.requests import ApplicationRequest, StaffAction, SupplementRequest, TrackRequest, UploadRequest
from sunlight.models.roles import MeView, Principal, Role, principal_from_claims
from sunlight.models.validation import to_field_errors
from sunlight.models.views import (
    ActionReceipt,
    ApplicantCaseView,
    ApplicationReceipt,
    CaseSummary,
    DownloadLink,
    PublicCaseView,
    StaffCaseSummary,
    StaffCaseView,
    UploadTicket,
)
from sunlight.observability import handler_metrics
from sunlight.rules.workdays import local_date
from sunlight.services.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyAttempts,
    Unavailable,
)
from sunlight.services.pagination import Page, signed_cursors
from sunlight.services.sessions import REVOKED_MESSAGE, sign_in_time

from . import (
    access,
    admin_routes,
    evaluation_routes,
    inspector_log_routes,
    monitoring_routes,
    office_routes,
    orders_routes,
    reference_routes,
    social_routes,
    supervision_routes,
)
from .common import Cursor, IdempotencyKey, Limit, Unauthenticated, cursor_scope_of, principal_of
from .media_type import UNSUPPORTED_MEDIA_TYPE_MESSAGE, UnsupportedMediaType, require_json_bodies
from .openapi_document import completed_json

logger = Logger()
tracer = Tracer()
SETTINGS = ApiSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)

app = APIGatewayRestResolver(
    enable_validation=True,
    cors=CORSConfig(
        # Replaced per response by the caller's origin if the deployment allows it (_secure_headers).
        allow_origin="*",
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Content-Disposition"],  # export file names (CSV, Excel) for the SPA
        max_age=600,
    ),
)
require_json_bodies(app)  # a body that is not JSON: 415 (media_type.py)

app.include_router(supervision_routes.router)

_STATUS_OF = {
    BadRequest: 400, NotFound: 404, Forbidden: 403, Conflict: 409, InvalidInput: 422, TooManyAttempts: 429, Unavailable: 503,
}


def _principal() -> Principal:
    return principal_of(app.current_event)


# --- public -------------------------------------------------------------------------------


@app.get("/openapi.json", include_in_schema=False)
def openapi():  # a Response annotation would make Powertools try to model it
    return Response(200, content_types.APPLICATION_JSON, _openapi_document())


@lru_cache(maxsize=1)
def _openapi_document() -> str:
    # Every status and content type an operation can answer (openapi_document.py).
    return completed_json(app.get_openapi_json_schema(title="阳光政务 API", version="1.0.0", description="网上审批和电子监察平台"))


@app.get("/clock", summary="服务器时间（当前时刻、今天、本年、本月）")
def server_time() -> ServerTime:
    """One clock: pages take "now", "today", the default year and the current month from here,
    never from the browser (locally this is the demo clock)."""
    now = container().clock.now()
    today = local_date(now)
    return ServerTime(now=now, today=today, year=today.year, month=f"{today:%Y-%m}")


@app.get("/departments", summary="部门列表")
def list_departments() -> list[Department]:
    return container().catalog_service.list_departments()


@app.get("/catalog", summary="事项目录")
def list_catalog(
    department: Annotated[str | None, Query(max_length=40, description="部门")] = None,
    category: Annotated[Category | None, Query(description="权力类别")] = None,
    q: Annotated[str | None, Query(max_length=40, description="关键词")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[CatalogItemSummary]:
    return container().catalog_service.list_items(department_id=department, category=category, query=q, cursor=cursor, limit=limit)


@app.get("/catalog/<itemCode>", summary="事项详情")
def get_catalog_item(itemCode: str) -> PublicCatalogItem:
    return container().catalog_service.get_item(itemCode)


@app.post("/track", summary="凭办件编号和查询码查询办理进度")
def track(request: Annotated[TrackRequest, Body()]) -> PublicCaseView:
    return container().tracking.track(request)


# --- signed in ------------------------------------------------------------------------------


@app.get("/me", summary="当前用户")
def me() -> MeView:
    return MeView.of(_principal())


@app.post("/me/sign-out", summary="退出登录（所有设备，一分钟内生效）")
def sign_out() -> dict:
    principal = _principal()
    container().sessions.revoke(principal.user_id, "signed out", sparing_this_second=True)
    return {"signed_out": True}


@app.post("/uploads", summary="申请上传附件")
def create_upload(request: Annotated[UploadRequest, Body()]) -> Response[UploadTicket]:
    ticket = container().applications.create_upload(_principal(), request)
    return Response(201, content_types.APPLICATION_JSON, ticket)


@app.post("/applications", summary="提交申请")
def apply(request: Annotated[ApplicationRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[ApplicationReceipt]:
    receipt = container().applications.apply(_principal(), request, idempotency_key)
    metrics.add_metric(name="ApplicationsReceived", unit=MetricUnit.Count, value=1)
    return Response(201, content_types.APPLICATION_JSON, receipt)


@app.get("/my/cases", summary="我的办件")
def my_cases(cursor: Cursor = None, limit: Limit = 20) -> Page[CaseSummary]:
    return container().tracking.my_cases(_principal(), cursor=cursor, limit=limit)


@app.get("/my/cases/<caseId>", summary="我的办件详情")
def my_case(caseId: str) -> ApplicantCaseView:
    return container().tracking.my_case(_principal(), caseId)


@app.post("/my/cases/<caseId>/supplement", summary="补正材料")
def supplement(caseId: str, request: Annotated[SupplementRequest, Body()], idempotency_key: IdempotencyKey = None) -> ActionReceipt:
    return container().applications.supplement(_principal(), caseId, request, idempotency_key)


@app.get("/worklist", summary="待办件")
def worklist(
    role: Annotated[Role | None, Query(description="岗位")] = None,
    step: Annotated[Step | None, Query(description="环节")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[StaffCaseSummary]:
    return container().staff.worklist(_principal(), role=role, step=step, cursor=cursor, limit=limit)


@app.get("/cases/<caseId>", summary="办件详情（工作人员、监察人员）")
def case_detail(caseId: str) -> StaffCaseView:
    return container().staff.case_detail(_principal(), caseId)


@app.post("/cases/<caseId>/actions", summary="办理：受理、承办、审核、批准、办结")
def act(caseId: str, action: Annotated[StaffAction, Body()], idempotency_key: IdempotencyKey = None) -> ActionReceipt:
    receipt = container().staff.act(_principal(), caseId, action, idempotency_key)
    metrics.add_metric(name="StaffActions", unit=MetricUnit.Count, value=1)
    return receipt


@app.get("/cases/<caseId>/attachments/<attachmentId>", summary="下载附件")
def attachment(caseId: str, attachmentId: str) -> DownloadLink:
    return container().staff.attachment_link(_principal(), caseId, attachmentId)


app.include_router(reference_routes.router)  # GET /reference: reference_routes.py
app.include_router(calendar_routes.router)  # GET/PUT/DELETE/POST /calendar/...: calendar_routes.py
app.include_router(office_routes.router)  # /department/cases, /department/extensions, /window/applications
app.include_router(evaluation_routes.router)  # /evaluation/..., /public/evaluation/..., /statistics
app.include_router(orders_routes.router)  # /supervision-orders, /my/responsibilities: orders_routes.py
app.include_router(inspector_log_routes.router)  # /inspector-log, /inspector-flags: inspector_log_routes.py
app.include_router(social_routes.router)  # complaints, notifications, ratings, surveys: social_routes.py
app.include_router(admin_routes.router)  # /admin/...: catalog maintenance, departments, users (admin_routes.py)
app.include_router(monitoring_routes.router)  # GET /monitoring/overview: monitoring_routes.py


# --- errors, in one place -------------------------------------------------------------------


def _error(status: int, code: str, message: str, **extra: object) -> Response:
    return Response(status, content_types.APPLICATION_JSON, {"code": code, "message": message, **extra})


@app.exception_handler(DomainError)
def _domain_error(error: DomainError) -> Response:
    status = next((s for kind, s in _STATUS_OF.items() if isinstance(error, kind)), 500)
    if status >= 500:
        logger.warning("dependency failure", extra={"error": error.message}, exc_info=error.__cause__)
    response = _error(status, error.code, error.message, **({"details": error.details} if error.details else {}))
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


@app.exception_handler(RequestValidationError)
def _invalid_request(error: RequestValidationError) -> Response:
    errors = to_field_errors(error.errors())
    return _error(422, "validation_error", "提交的内容有误：" + "；".join(e["message"] for e in errors), errors=errors)


@app.exception_handler(UnsupportedMediaType)
def _unsupported_media_type(_: UnsupportedMediaType) -> Response:
    return _error(415, "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE_MESSAGE)


@app.exception_handler(Unauthenticated)
def _unauthenticated(_: Unauthenticated) -> Response:
    return _error(401, "unauthenticated", "请先登录。")


@app.not_found
def _no_route(_: Exception) -> Response:
    return _error(404, "not_found", "请求的地址不存在。")


@app.exception_handler(Exception)
def _unexpected(error: Exception) -> Response:
    logger.exception("unhandled error")
    metrics.add_metric(name="UnhandledErrors", unit=MetricUnit.Count, value=1)
    return _error(500, "internal_error", "系统出现异常，您的操作可能未完成，请稍后查看后重试。")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    response = _refusal(event)
    if response is None:
        # Page cursors are signed with the deployment's key, for this list, caller and filter.
        with signed_cursors(container().cursor_signing_key, cursor_scope_of(event)):
            response = app.resolve(event, context)
    inspector_log_routes.record_request(event, response)  # 监察日志: every inspector/admin request, any outcome
    return _secure_headers(event, response)


def _refusal(event: dict) -> dict | None:
    """401/403 before the resolver parses anything: the route's audience (access.POLICY), then
    whether the caller's sign-in was revoked (disabled, password reset, roles changed, signed out)."""
    method = event.get("httpMethod") or ""
    route = event.get("resource") or (event.get("requestContext") or {}).get("resourcePath") or ""
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or None
    principal = principal_from_claims(claims)
    refused = access.check(method, route, principal)
    if refused is None and principal is not None and claims is not None:
        if container().sessions.is_revoked(principal.user_id, sign_in_time(claims)):
            refused = (401, "session_revoked", REVOKED_MESSAGE)
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
def _allowed_origins() -> frozenset[str]:
    return frozenset(o.strip() for o in container().settings.allowed_origins.split(",") if o.strip())


def _secure_headers(event: dict, response: dict) -> dict:
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
    allowed = _allowed_origins()
    if origin and (origin in allowed or "*" in allowed):
        headers["Access-Control-Allow-Origin"] = [origin]
        headers["Vary"] = ["Origin"]
    return response
