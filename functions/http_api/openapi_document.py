"""The served OpenAPI says every status and content type an operation can answer.

Powertools documents 200 and its own 422 only. The error answers come from one place (handler.py's
exception handlers and API Gateway's responses) and follow the route's shape, so they are added
here per operation: 401 where a login is required (API Gateway's Cognito authorizer), 403 (role or
department), 404 (what was asked for does not exist), 400 (a page cursor the API did not issue), 409
(a change that meets another), 413 and 415 (a body too large or not JSON), 422 (invalid input),
429 (API Gateway's throttle) and 503 (a dependency failed, nothing changed). The 201/202 answers
and the file exports are named here as well.

No API function imports every route, so the whole document is composed at build time from the
routers of all of them (`compose`, run by `make openapi`: infra/tools/openapi_export.py) into
DOCUMENT_FILE, which ships with the code: the public function serves it (GET /openapi.json) and
the inspector log names each recorded request by its operation's summary. A unit test fails when
the file is stale."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .access import POLICY

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Router

DOCUMENT_FILE = Path(__file__).with_name("openapi.json")
TITLE, VERSION, DESCRIPTION = "阳光政务 API", "1.0.0", "网上审批和电子监察平台"

ERROR_SCHEMA_NAME = "ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": ERROR_SCHEMA_NAME,
    "description": "错误说明：message 为中文提示；code 为错误类别（API 网关自身的错误只有 message）",
    "required": ["message"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "details": {"type": "object"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}

ERROR_DESCRIPTIONS = {
    "400": "翻页标记无效（被修改、伪造或不属于本列表）",
    "401": "未登录或登录已失效",
    "403": "无权办理（角色或部门不符），或请求的地址或方法不存在（API 网关）",
    "404": "要找的对象不存在",
    "409": "与他人的操作冲突，或当前状态不允许此操作",
    "413": "请求内容过大",
    "415": "请求内容不是 JSON",
    "422": "提交的内容有误",
    "429": "请求过于频繁，请稍后再试",
    "503": "服务暂不可用，未做任何更改，可稍后重试",
}

# Routes open to everyone (infra/constants.py ROUTES with authenticated=False; a test keeps both equal).
PUBLIC_OPERATIONS = frozenset((method.lower(), path) for (method, path), access in POLICY.items() if access.public)

# Operations whose success is not 200 (the routes answer Response(201/202, ...)).
SUCCESS_STATUSES: dict[tuple[str, str], tuple[str, ...]] = {
    ("post", "/uploads"): ("201",),
    ("post", "/applications"): ("201",),
    ("post", "/window/applications"): ("201",),
    ("post", "/admin/catalog/items"): ("201",),
    ("post", "/admin/users"): ("201",),
    ("post", "/supervision-orders"): ("201",),
    ("post", "/complaints"): ("201",),
    ("post", "/my/cases/{caseId}/rating"): ("201",),
    ("post", "/surveys/{surveyId}/answers"): ("201",),
    ("post", "/surveys"): ("201",),
    ("post", "/inspector-log/verifications"): ("200", "202"),
}

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Operations that answer files as well as JSON (the `format` query parameter).
FILE_EXPORTS: dict[tuple[str, str], tuple[str, ...]] = {("get", "/statistics"): (CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)}


def _error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters") or []
    statuses = ["403", "404", "422", "429", "503"]  # 404: also a lookup by body or query (tracking, rankings)
    if (method, path) not in PUBLIC_OPERATIONS:
        statuses.append("401")
    if any(p.get("in") == "query" and p.get("name") == "cursor" for p in parameters):
        statuses.append("400")
    if method != "get":
        statuses.append("409")
    if "requestBody" in operation:
        statuses += ["413", "415"]
    return sorted(statuses)


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """The Powertools document with every answer of every operation (changed in place, returned)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}}
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            success = SUCCESS_STATUSES.get((method, path))
            if success and "200" in responses:
                ok = responses.pop("200")
                for status in success:
                    responses[status] = ok
            for media_type in FILE_EXPORTS.get((method, path), ()):
                for status in success or ("200",):
                    responses[status].setdefault("content", {})[media_type] = {"schema": {"type": "string", "format": "binary"}}
            for status in _error_statuses(method, path, operation):
                responses[status] = {"description": ERROR_DESCRIPTIONS[status], "content": error_content}
    # Powertools' own 422 shapes are replaced by ErrorResponse; its ResponseValidationError (a reply
    # that fails its model is a 500, never documented) would be left pointing at the removed one.
    for name in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(name, None)
    return document


def compose(routers: list[Router]) -> dict[str, Any]:
    """The whole API's document from the routers of every API function (build time only: it
    binds the routers to a resolver of its own for the time it takes, then gives them back)."""
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

    bound = [(router, router.api_resolver) for router in routers]
    try:
        app = APIGatewayRestResolver(enable_validation=True)
        for router in routers:
            app.include_router(router)
        return complete(json.loads(app.get_openapi_json_schema(title=TITLE, version=VERSION, description=DESCRIPTION)))
    finally:
        for router, resolver in bound:
            router.api_resolver = resolver


@lru_cache(maxsize=1)
def served_json() -> str:
    return DOCUMENT_FILE.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def operation_summaries() -> dict[tuple[str, str], str]:
    """(METHOD, route template) → the operation's summary, for every route of the API."""
    paths = json.loads(served_json()).get("paths", {})
    return {(method.upper(), path): operation["summary"]
            for path, methods in paths.items() for method, operation in methods.items() if operation.get("summary")}
