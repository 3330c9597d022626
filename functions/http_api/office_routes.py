"""Routes of the staff office: the department's open cases and pending extensions (leaders),
and walk-in applications registered at the window (窗口代办)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from sunlight.bootstrap import container
from sunlight.models.case import CaseStatus
from sunlight.models.flow import Step
from sunlight.models.office import DepartmentCaseRow, DueWindow
from sunlight.models.requests import WindowApplicationRequest
from sunlight.models.views import ApplicationReceipt
from sunlight.services.pagination import Page

from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()


@router.get("/department/cases", summary="部门在办件（分管领导）")
def department_cases(
    department: Annotated[str | None, Query(max_length=40, description="部门（市级监察人员指定）")] = None,
    status: Annotated[CaseStatus | None, Query(description="状态")] = None,
    step: Annotated[Step | None, Query(description="环节")] = None,
    due: Annotated[DueWindow | None, Query(description="时限：overdue 已超期、near 临近、normal 正常、none 不计时")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[DepartmentCaseRow]:
    return container().department.cases(
        current_principal(), department, status=status, step=step, due=due, cursor=cursor, limit=limit
    )


@router.get("/department/extensions", summary="待我审批的延期申请")
def pending_extensions(cursor: Cursor = None, limit: Limit = 20) -> Page[DepartmentCaseRow]:
    return container().department.pending_extensions(current_principal(), cursor=cursor, limit=limit)


@router.get("/government/extensions", summary="待市政府分管领导审批的并联审批延期申请")
def government_extensions(limit: Limit = 20) -> Page[DepartmentCaseRow]:
    return container().department.government_extensions(current_principal(), limit=limit)


@router.post("/window/applications", summary="窗口代办：为现场申请人登记申请")
def window_application(
    request: Annotated[WindowApplicationRequest, Body()], idempotency_key: IdempotencyKey = None
) -> Response[ApplicationReceipt]:
    receipt = container().applications.apply_at_window(current_principal(), request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, receipt)
