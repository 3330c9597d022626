"""Routes of social interaction (社会互动): complaints (投诉) and notifications, satisfaction
ratings (满意度评价), online surveys (网上调查). Errors are mapped to HTTP by handler.py."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from sunlight.bootstrap import container
from sunlight.models.complaints import (
    ComplaintActionRequest,
    ComplaintRequest,
    ComplaintStatus,
    ComplaintSummary,
    ComplaintView,
    Notification,
    RatingRequest,
)
from sunlight.models.roles import Principal
from sunlight.models.satisfaction import CaseRatingView
from sunlight.models.surveys import (
    AnswerReceipt,
    AnswerRequest,
    SurveyRequest,
    SurveyResults,
    SurveyStatus,
    SurveySummary,
    SurveyView,
    TextAnswer,
)
from sunlight.models.views import DOWNLOAD_TTL_SECONDS, DownloadLink
from sunlight.services.pagination import Page

from .common import Cursor, IdempotencyKey, Limit, current_principal

router = Router()  # complaint handling and survey management: the supervision function
citizen_router = Router()  # a citizen's complaints, ratings and answers, anyone's notifications
office_router = Router()  # a case's rating, read by staff and inspectors: the department office's function
public_router = Router()  # open surveys: the public function


def _principal() -> Principal:
    return current_principal()


# --- complaints (投诉) ----------------------------------------------------------------------------


@citizen_router.post("/complaints", summary="提交投诉（公众）")
def file_complaint(request: Annotated[ComplaintRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[ComplaintView]:
    view = container().complaints.file(_principal(), request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, view)


@citizen_router.get("/my/complaints", summary="我的投诉")
def my_complaints(cursor: Cursor = None, limit: Limit = 20) -> Page[ComplaintSummary]:
    return container().complaints.my_complaints(_principal(), cursor=cursor, limit=limit)


@citizen_router.get("/my/complaints/<complaintId>", summary="我的投诉详情（含办理过程）")
def my_complaint(complaintId: str) -> ComplaintView:
    return container().complaints.my_complaint(_principal(), complaintId)


@citizen_router.post("/my/complaints/<complaintId>/rating", summary="评价投诉答复（一次）")
def rate_complaint(complaintId: str, request: Annotated[RatingRequest, Body()]) -> ComplaintView:
    return container().complaints.rate(_principal(), complaintId, request)


@router.get("/complaints", summary="投诉列表（市监察局：全部；部门分管领导、监察室：本部门）")
def list_complaints(
    status: Annotated[ComplaintStatus | None, Query(description="状态")] = None, cursor: Cursor = None, limit: Limit = 20
) -> Page[ComplaintSummary]:
    return container().complaints.list(_principal(), status=status, cursor=cursor, limit=limit)


@router.get("/complaints/<complaintId>", summary="投诉详情")
def complaint_detail(complaintId: str) -> ComplaintView:
    return container().complaints.detail(_principal(), complaintId)


@router.post("/complaints/<complaintId>/actions", summary="办理投诉：受理、不予受理、转办、答复、办结")
def complaint_action(
    complaintId: str, request: Annotated[ComplaintActionRequest, Body()], idempotency_key: IdempotencyKey = None
) -> ComplaintView:
    return container().complaints.act(_principal(), complaintId, request, idempotency_key)


@router.get("/complaints/<complaintId>/attachments/<attachmentId>", summary="下载投诉附件")
def complaint_attachment(complaintId: str, attachmentId: str) -> DownloadLink:
    url = container().complaints.attachment_link(_principal(), complaintId, attachmentId)
    return DownloadLink(url=url, expires_in_seconds=DOWNLOAD_TTL_SECONDS)


@citizen_router.get("/my/notifications", summary="我的通知（最新在前）")
def my_notifications(cursor: Cursor = None, limit: Limit = 20) -> Page[Notification]:
    return container().complaints.notifications(_principal(), cursor=cursor, limit=limit)


@citizen_router.post("/my/notifications/<notificationId>/read", summary="标记通知已读")
def read_notification(notificationId: str) -> Notification:
    return container().complaints.mark_read(_principal(), notificationId)


# --- satisfaction (满意度评价) -----------------------------------------------------------------------


@citizen_router.post("/my/cases/<caseId>/rating", summary="评价办件满意度（办结后一次）")
def rate_case(caseId: str, request: Annotated[RatingRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[CaseRatingView]:
    view = container().satisfaction.rate(_principal(), caseId, request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, view)


@citizen_router.get("/my/cases/<caseId>/rating", summary="我的办件满意度评价")
def my_case_rating(caseId: str) -> CaseRatingView:
    return container().satisfaction.my_rating(_principal(), caseId)


@office_router.get("/cases/<caseId>/rating", summary="办件的满意度评价（工作人员、监察人员）")
def case_rating(caseId: str) -> CaseRatingView:
    return container().satisfaction.case_rating(_principal(), caseId)


# --- surveys (网上调查) -------------------------------------------------------------------------------


@public_router.get("/surveys", summary="正在进行的网上调查（公开）")
def open_surveys(cursor: Cursor = None, limit: Limit = 20) -> Page[SurveySummary]:
    return container().surveys.open_surveys(cursor=cursor, limit=limit)


@public_router.get("/surveys/<surveyId>", summary="调查问卷（公开）")
def survey(surveyId: str) -> SurveyView:
    return container().surveys.public_survey(surveyId)


@citizen_router.post("/surveys/<surveyId>/answers", summary="提交问卷（公众，每人一次）")
def answer_survey(surveyId: str, request: Annotated[AnswerRequest, Body()]) -> Response[AnswerReceipt]:
    receipt = container().surveys.answer(_principal(), surveyId, request)
    return Response(201, content_types.APPLICATION_JSON, receipt)


@router.post("/surveys", summary="新建调查（市监察局）")
def create_survey(request: Annotated[SurveyRequest, Body()], idempotency_key: IdempotencyKey = None) -> Response[SurveyView]:
    view = container().surveys.create(_principal(), request, idempotency_key)
    return Response(201, content_types.APPLICATION_JSON, view)


@router.get("/inspector/surveys", summary="调查管理列表（市监察局）")
def managed_surveys(
    status: Annotated[SurveyStatus, Query(description="状态")] = SurveyStatus.DRAFT, cursor: Cursor = None, limit: Limit = 20
) -> Page[SurveySummary]:
    return container().surveys.manage_list(_principal(), status, cursor=cursor, limit=limit)


@router.post("/surveys/<surveyId>/publish", summary="发布调查（市监察局）")
def publish_survey(surveyId: str) -> SurveyView:
    return container().surveys.publish(_principal(), surveyId)


@router.post("/surveys/<surveyId>/close", summary="结束调查（市监察局）")
def close_survey(surveyId: str) -> SurveyView:
    return container().surveys.close(_principal(), surveyId)


@router.get("/surveys/<surveyId>/results", summary="调查结果（市监察局）")
def survey_results(surveyId: str) -> SurveyResults:
    return container().surveys.results(_principal(), surveyId)


@router.get("/surveys/<surveyId>/text-answers", summary="文字题的回答（市监察局，分页）")
def survey_text_answers(
    surveyId: str, question: Annotated[str, Query(min_length=1, max_length=10, description="题目编号")], cursor: Cursor = None, limit: Limit = 20
) -> Page[TextAnswer]:
    return container().surveys.text_answers(_principal(), surveyId, question, cursor=cursor, limit=limit)
