"""Routes of a department's case work (办理): the worklist, a case's dossier (also read by
inspectors), the staff's actions and attachments."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.metrics import MetricUnit

from sunlight.bootstrap import container
from sunlight.models.documents import DocumentList
from sunlight.models.flow import Step
from sunlight.models.requests import StaffAction
from sunlight.models.roles import Role
from sunlight.models.views import ActionReceipt, DownloadLink, StaffCaseSummary, StaffCaseView
from sunlight.services.pagination import Page

from .api import metrics
from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()


@router.get("/worklist", summary="待办件")
def worklist(
    role: Annotated[Role | None, Query(description="岗位")] = None,
    step: Annotated[Step | None, Query(description="环节")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[StaffCaseSummary]:
    return container().staff.worklist(current_principal(), role=role, step=step, cursor=cursor, limit=limit)


@router.get("/cases/<caseId>", summary="办件详情（工作人员、监察人员）")
def case_detail(caseId: str) -> StaffCaseView:
    return container().staff.case_detail(current_principal(), caseId)


@router.post("/cases/<caseId>/actions", summary="办理：受理、承办、审核、批准、办结")
def act(caseId: str, action: Annotated[StaffAction, Body()], idempotency_key: IdempotencyKey = None) -> ActionReceipt:
    receipt = container().staff.act(current_principal(), caseId, action, idempotency_key)
    metrics.add_metric(name="StaffActions", unit=MetricUnit.Count, value=1)
    return receipt


@router.get("/cases/<caseId>/attachments/<attachmentId>", summary="下载附件")
def attachment(caseId: str, attachmentId: str) -> DownloadLink:
    return container().staff.attachment_link(current_principal(), caseId, attachmentId)


@router.get("/cases/<caseId>/documents", summary="办件文书（工作人员、监察人员）")
def case_documents(caseId: str) -> DocumentList:
    return container().documents.for_staff(current_principal(), caseId)


@router.get("/cases/<caseId>/documents/<documentId>", summary="下载办件文书")
def case_document(caseId: str, documentId: str) -> DownloadLink:
    return container().documents.staff_link(current_principal(), caseId, documentId)
