"""Routes of supervision orders (督查督办): issue, list, detail, actions, escalations, and the
staff's own responsibility findings."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from sunlight.bootstrap import container
from sunlight.models.orders import IssueOrderRequest, OrderActionRequest, OrderInboxEntry, OrderStatus, StaffMember, SupervisionOrder
from sunlight.services.pagination import Page

from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()  # the supervision function
office_router = Router()  # a staff member's own responsibilities: the department office's function


def _principal():
    return current_principal()


@router.post("/supervision-orders", summary="下达督办（市监察局；区、乡镇监察局向本级及下级部门）")
def issue_order(request: Annotated[IssueOrderRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[SupervisionOrder]:
    order = container().order_service.issue(_principal(), request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, order)


@router.get("/supervision-orders", summary="督办清单")
def list_orders(
    department: Annotated[str | None, Query(max_length=40, description="部门")] = None,
    status: Annotated[OrderStatus | None, Query(description="状态")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[SupervisionOrder]:
    return container().order_service.list(_principal(), department_id=department, status=status, cursor=cursor, limit=limit)


@router.get("/supervision-orders/inbox", summary="超期督办（报送分管领导、市监察局、下达督办的监察局）")
def order_inbox(cursor: Cursor = None, limit: Limit = 20) -> Page[OrderInboxEntry]:
    return container().order_service.inbox(_principal(), cursor=cursor, limit=limit)


@router.get("/supervision-orders/<orderId>", summary="督办详情")
def get_order(orderId: str) -> SupervisionOrder:
    return container().order_service.get(_principal(), orderId)


@router.get("/supervision-orders/<orderId>/candidates", summary="可认定的责任人（本部门承办人、分管领导）")
def order_candidates(orderId: str) -> list[StaffMember]:
    return container().order_service.candidates(_principal(), orderId)


@router.post("/supervision-orders/<orderId>/actions", summary="责任认定、异议、裁定、答复、办结")
def order_action(orderId: str, request: Annotated[OrderActionRequest, Body()]) -> SupervisionOrder:
    return container().order_service.act(_principal(), orderId, request)


@office_router.get("/my/responsibilities", summary="涉及本人的责任认定")
def my_responsibilities(cursor: Cursor = None, limit: Limit = 20) -> Page[SupervisionOrder]:
    return container().order_service.my_responsibilities(_principal(), cursor=cursor, limit=limit)
