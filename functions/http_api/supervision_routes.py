"""Routes of electronic supervision: warnings and cards, special procedures, extensions."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from sunlight.bootstrap import container
from sunlight.models.clock import PauseReason
from sunlight.models.roles import Principal
from sunlight.models.views import StaffCaseView
from sunlight.models.warnings import CardStatus, Warning, WarningLevel
from sunlight.services.pagination import Page

from .common import Cursor, Limit, checked_before_body, current_principal

router = Router()  # warnings and cards: the supervision function
office_router = Router()  # the inbox, special procedures, extensions: the department office's function


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CardActionRequest(_Body):
    action: Literal["acknowledge", "appeal", "uphold", "revoke"] = Field(description="签收、申诉、维持或撤销")
    reason: str | None = Field(default=None, max_length=2000, description="理由")


class SpecialProcedureRequest(_Body):
    reason: PauseReason = Field(description="特别程序类型")
    note: str | None = Field(default=None, max_length=1000, description="说明")


class ResumeRequest(_Body):
    note: str | None = Field(default=None, max_length=1000, description="说明")


class ExtensionRequest(_Body):
    days: int = Field(ge=1, le=60, description="延期工作日数")
    reason: str = Field(min_length=2, max_length=1000, description="延期理由")


class ExtensionDecision(_Body):
    approve: StrictBool = Field(description="是否批准")
    note: str | None = Field(default=None, max_length=1000, description="审批意见")


def _staff_view(case_id: str) -> StaffCaseView:
    return container().staff.case_detail(current_principal(), case_id)


# Filters of the warning lists; the store fills each page with matches (see the adapter).
LevelFilter = Annotated[WarningLevel | None, Query(description="预警类别：reminder 临近时限提醒、yellow 黄牌、red 红牌、anomaly 异常预警")]
StatusFilter = Annotated[CardStatus | None, Query(description="状态：issued 已发出、acknowledged 已签收、appealed 申诉中、upheld 维持、revoked 已撤销")]


@office_router.get("/inbox", summary="我的预警")
def inbox(
    box: Annotated[str | None, Query(max_length=80, description="收件箱")] = None, level: LevelFilter = None, status: StatusFilter = None,
    cursor: Cursor = None, limit: Limit = 20,
) -> Page[Warning]:
    return container().cards.inbox(current_principal(), key=box, level=level, status=status, cursor=cursor, limit=limit)


@router.get("/warnings", summary="部门预警和红黄牌")
def department_warnings(
    department: Annotated[str | None, Query(max_length=40, description="部门")] = None, level: LevelFilter = None, status: StatusFilter = None,
    cursor: Cursor = None, limit: Limit = 20,
) -> Page[Warning]:
    return container().cards.for_department(
        current_principal(), department, level=level, status=status, cursor=cursor, limit=limit
    )


@router.get("/cases/<caseId>/warnings", summary="办件的预警")
def case_warnings(caseId: str) -> list[Warning]:
    return container().cards.for_case(current_principal(), caseId)


@router.post("/warnings/<warningId>/actions", summary="签收、申诉、审查红黄牌")
def card_action(warningId: str, request: Annotated[CardActionRequest, Body()]) -> Warning:
    return container().cards.act(current_principal(), warningId, request.action, request.reason)


@office_router.post("/cases/<caseId>/special-procedures", summary="启动特别程序（计时暂停）")
def start_special_procedure(caseId: str, request: Annotated[SpecialProcedureRequest, Body()]) -> StaffCaseView:
    container().procedures.start_special_procedure(current_principal(), caseId, request.reason, request.note)
    return _staff_view(caseId)


@office_router.post("/cases/<caseId>/special-procedures/end", summary="结束特别程序（恢复计时）")
def end_special_procedure(caseId: str, request: Annotated[ResumeRequest, Body()]) -> StaffCaseView:
    container().procedures.end_special_procedure(current_principal(), caseId, request.note)
    return _staff_view(caseId)


@office_router.post("/cases/<caseId>/extensions", summary="申请延期")
def request_extension(caseId: str, request: Annotated[ExtensionRequest, Body()]) -> StaffCaseView:
    container().procedures.request_extension(current_principal(), caseId, request.days, request.reason)
    return _staff_view(caseId)


@checked_before_body("POST", "/cases/{caseId}/extensions/{extensionId}/decision")
def may_decide_extension(principal: Principal, path: dict[str, str]) -> None:
    """Only the case's approver (its department's leader; a 上报件's upper department's leader; a
    joint case's government leader) gets as far as the decision's body (行政许可法 第四十二条)."""
    container().procedures.extension_decider(principal, path.get("caseId", ""))


@office_router.post("/cases/<caseId>/extensions/<extensionId>/decision", summary="审批延期")
def decide_extension(caseId: str, extensionId: int, request: Annotated[ExtensionDecision, Body()]) -> StaffCaseView:
    container().procedures.decide_extension(current_principal(), caseId, extensionId, request.approve, request.note)
    return _staff_view(caseId)
