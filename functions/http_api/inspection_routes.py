"""Routes of 行政检查 (双随机、一公开): a department leader's inspection plans and their draws, and
the public 公示 of inspection results."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from sunlight.bootstrap import container
from sunlight.models.inspection import InspectionPlanRequest, InspectionPlanSummary, InspectionPlanView, PublishedResult
from sunlight.services.pagination import Page

from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()
public_router = Router()


@router.post("/inspection-plans", summary="制定双随机抽查计划（随机抽取检查对象和执法人员）")
def create_plan(
    request: Annotated[InspectionPlanRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[InspectionPlanView]:
    plan = container().inspections.create_plan(current_principal(), request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, plan)


@router.get("/inspection-plans", summary="本部门的双随机抽查计划")
def list_plans(
    department: Annotated[str | None, Query(max_length=40, description="部门（市级监察人员指定）")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[InspectionPlanSummary]:
    return container().inspections.plans(current_principal(), department, cursor=cursor, limit=limit)


@router.get("/inspection-plans/<planId>", summary="抽查计划及其抽取记录")
def get_plan(planId: str) -> InspectionPlanView:
    return container().inspections.plan(current_principal(), planId)


@public_router.get("/public/inspection-results", summary="双随机抽查结果公示")
def published_results(cursor: Cursor = None, limit: Limit = 20) -> Page[PublishedResult]:
    return container().inspections.published_results(cursor=cursor, limit=limit)
