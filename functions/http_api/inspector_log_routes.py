"""Routes of the inspector log (监察日志) and inspector flags. The recorder that appends every
request of an inspector or admin to the log is middleware: inspector_log_recording.py."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from sunlight.bootstrap import container
from sunlight.models.inspector_log import InspectorFlag, LogRecordView, LogVerificationRun
from sunlight.services.pagination import Page

from .common import Cursor, Limit, current_principal
from .openapi_document import operation_summaries

router = Router()


@router.get("/inspector-log", summary="监察日志")
def inspector_log(
    user: Annotated[str | None, Query(max_length=80, description="用户编号")] = None,
    since: Annotated[date | None, Query(description="开始日期")] = None,
    until: Annotated[date | None, Query(description="结束日期（含）")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[LogRecordView]:
    page = container().inspector_log.page(current_principal(), user_id=user, since=since, until=until, cursor=cursor, limit=limit)
    summaries = operation_summaries()  # the whole API's, from its OpenAPI document
    return Page[LogRecordView](
        items=[LogRecordView(**record.model_dump(), action=summaries.get((record.method, record.route))) for record in page.items],
        next_cursor=page.next_cursor,
    )


@router.post("/inspector-log/verifications", summary="校验监察日志哈希链")
def start_verification() -> Response[LogVerificationRun]:
    """202 with a new run; 200 with the run still going if there is one (one run at a time)."""
    run, started = container().log_verifications.start(current_principal())
    return Response(202 if started else 200, content_types.APPLICATION_JSON, run)


@router.get("/inspector-log/verifications/latest", summary="最近一次监察日志校验")
def latest_verification() -> LogVerificationRun:
    return container().log_verifications.latest(current_principal())


@router.get("/inspector-log/verifications/<runId>", summary="监察日志校验进度")
def verification(runId: str) -> LogVerificationRun:
    return container().log_verifications.get(current_principal(), runId)


@router.get("/inspector-flags", summary="监察人员履职提醒")
def inspector_flags(cursor: Cursor = None, limit: Limit = 20) -> Page[InspectorFlag]:
    return container().inspector_log.flags(current_principal(), cursor=cursor, limit=limit)
