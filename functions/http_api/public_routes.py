"""Routes open to everyone (信息公开): the server's clock, departments, the catalog, tracking a case
by its number and query code, and the API's own description."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from sunlight.bootstrap import container
from sunlight.models.catalog import CatalogItemSummary, Category, PublicCatalogItem, PublicDepartment
from sunlight.models.due import ServerTime
from sunlight.models.requests import TrackRequest
from sunlight.models.views import PublicCaseView
from sunlight.rules.workdays import local_date
from sunlight.services.pagination import Page

from .common import Cursor, Limit
from .openapi_document import served_json

router = Router()


@router.get("/openapi.json", include_in_schema=False)
def openapi():  # a Response annotation would make Powertools try to model it
    # The whole API's document, composed from every function's routers when it was generated
    # (openapi_document.py); this function serves only its own routes.
    return Response(200, content_types.APPLICATION_JSON, served_json())


@router.get("/clock", summary="服务器时间（当前时刻、今天、本年、本月）")
def server_time() -> ServerTime:
    """One clock: pages take "now", "today", the default year and the current month from here,
    never from the browser (locally this is the demo clock)."""
    now = container().clock.now()
    today = local_date(now)
    return ServerTime(now=now, today=today, year=today.year, month=f"{today:%Y-%m}")


@router.get("/departments", summary="部门列表（可只列某级政府及其下级政府的部门）")
def list_departments(
    government: Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$", description="行政区划代码：只列该政府及其下级政府的部门")] = None,
) -> list[PublicDepartment]:
    return container().catalog_service.public_departments(government)


@router.get("/catalog", summary="事项目录")
def list_catalog(
    department: Annotated[str | None, Query(max_length=40, description="部门")] = None,
    category: Annotated[Category | None, Query(description="权力类别")] = None,
    q: Annotated[str | None, Query(max_length=40, description="关键词")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[CatalogItemSummary]:
    return container().catalog_service.list_items(department_id=department, category=category, query=q, cursor=cursor, limit=limit)


@router.get("/catalog/<itemCode>", summary="事项详情")
def get_catalog_item(itemCode: str) -> PublicCatalogItem:
    return container().catalog_service.get_item(itemCode)


@router.post("/track", summary="凭办件编号和查询码查询办理进度")
def track(request: Annotated[TrackRequest, Body()]) -> PublicCaseView:
    return container().tracking.track(request)
