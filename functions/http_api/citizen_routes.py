"""Routes of a citizen's applications (申请人): uploads, applying, their cases and supplements."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.metrics import MetricUnit

from sunlight.bootstrap import container
from sunlight.models.documents import DocumentList
from sunlight.models.requests import ApplicationRequest, SupplementRequest, UploadRequest
from sunlight.models.views import ActionReceipt, ApplicantCaseView, ApplicationReceipt, CaseSummary, DownloadLink, UploadTicket
from sunlight.services.pagination import Page

from .api import metrics
from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()


@router.post("/uploads", summary="申请上传附件")
def create_upload(request: Annotated[UploadRequest, Body()]) -> Response[UploadTicket]:
    ticket = container().applications.create_upload(current_principal(), request)
    return Response(201, content_types.APPLICATION_JSON, ticket)


@router.post("/applications", summary="提交申请")
def apply(request: Annotated[ApplicationRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[ApplicationReceipt]:
    receipt = container().applications.apply(current_principal(), request, idempotency_key)
    metrics.add_metric(name="ApplicationsReceived", unit=MetricUnit.Count, value=1)
    return Response(201, content_types.APPLICATION_JSON, receipt)


@router.get("/my/cases", summary="我的办件")
def my_cases(cursor: Cursor = None, limit: Limit = 20) -> Page[CaseSummary]:
    return container().tracking.my_cases(current_principal(), cursor=cursor, limit=limit)


@router.get("/my/cases/<caseId>", summary="我的办件详情")
def my_case(caseId: str) -> ApplicantCaseView:
    return container().tracking.my_case(current_principal(), caseId)


@router.post("/my/cases/<caseId>/supplement", summary="补正材料")
def supplement(caseId: str, request: Annotated[SupplementRequest, Body()], idempotency_key: IdempotencyKey = None) -> ActionReceipt:
    return container().applications.supplement(current_principal(), caseId, request, idempotency_key)


@router.get("/my/cases/<caseId>/documents", summary="我的办件文书")
def my_case_documents(caseId: str) -> DocumentList:
    return container().documents.for_applicant(current_principal(), caseId)


@router.get("/my/cases/<caseId>/documents/<documentId>", summary="下载我的办件文书")
def my_case_document(caseId: str, documentId: str) -> DownloadLink:
    return container().documents.applicant_link(current_principal(), caseId, documentId)
