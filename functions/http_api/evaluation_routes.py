"""Performance evaluation (绩效评估) and statistics routes, included by handler.py.

Inspectors and admins see every department's scores and rankings; department leaders (and a
department's own 监察室) their own department. Admins set the weights and may close a period by
hand. The formula and the rankings of closed periods are public (公示).
"""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query

from sunlight.bootstrap import container
from sunlight.models.evaluation import (
    BureauReport,
    CloseResult,
    DepartmentEvaluation,
    DepartmentHistory,
    Dimension,
    DrilldownRecord,
    Formula,
    Metric,
    Rankings,
    StatisticsTable,
    Weights,
    WeightsRequest,
)
from sunlight.models.levels import GovernmentLevel
from sunlight.models.roles import Principal
from sunlight.rules.periods import Granularity
from sunlight.services import exports
from sunlight.services.pagination import Page

from .common import Cursor, Limit, current_principal

router = Router()  # rankings, figures, statistics: the supervision function
admin_router = Router()  # weights and closing a period: the administration's function
public_router = Router()  # the published formula and rankings: the public function

PeriodQuery = Annotated[
    str | None, Query(max_length=10, description="考核期间：2026-10（月）、2026-Q4（季度）或 2026（年）；默认当月")
]
RequiredPeriod = Annotated[str, Query(max_length=10, description="考核期间：2026-10（月）、2026-Q4（季度）或 2026（年）")]
DepartmentId = Annotated[str, Path(max_length=40, description="部门编号")]
LevelQuery = Annotated[
    GovernmentLevel | None,
    Query(description="只含本层级的部门：city（市级）、county（县（市、区）级）、township（乡镇（街道）级）、village（村（社区）级）"),
]
GovernmentQuery = Annotated[
    str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$", description="只含该政府（行政区划代码）及其下级的部门")
]


def _principal() -> Principal:
    return current_principal()  # one place turns claims into the caller (and 401s)


@router.get("/evaluation/rankings", summary="部门考核排名（含环比、同比；可按层级、政府筛选，附各级政府汇总）")
def rankings(
    period: PeriodQuery = None,
    level: LevelQuery = None,
    government: GovernmentQuery = None,
) -> Rankings:
    return container().evaluation.rankings(_principal(), period, level=level, government=government)


@router.get("/evaluation/bureaus", summary="监督下级监察机构：各县（市、区）监察局的红黄牌、督办和投诉办理情况（市监察局）")
def bureaus(period: PeriodQuery = None) -> BureauReport:
    return container().evaluation.bureaus(_principal(), period)


@router.get("/evaluation/departments/<departmentId>", summary="部门考核指标（含环比、同比）")
def department_evaluation(departmentId: DepartmentId, period: PeriodQuery = None) -> DepartmentEvaluation:
    return container().evaluation.department(_principal(), departmentId, period)


@router.get("/evaluation/departments/<departmentId>/history", summary="部门考核历史（图表）")
def department_history(
    departmentId: DepartmentId,
    granularity: Annotated[Granularity, Query(description="month（近12个月）、quarter（近8个季度）或 year（近5年）")] = Granularity.MONTH,
) -> DepartmentHistory:
    return container().evaluation.history(_principal(), departmentId, granularity)


@router.get("/evaluation/departments/<departmentId>/drilldown", summary="考核数据明细（办件、预警、投诉、督办单编号）")
def drilldown(
    departmentId: DepartmentId,
    period: RequiredPeriod,
    metric: Annotated[Metric, Query(description="指标，如 completed、on_time、yellow_cards、complaints")],
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Page[DrilldownRecord]:
    return container().evaluation.drilldown(_principal(), departmentId, period, metric, cursor=cursor, limit=limit)


@admin_router.get("/evaluation/weights", summary="考核权重（管理员）")
def get_weights() -> Weights:
    return container().evaluation.get_weights(_principal())


@admin_router.put("/evaluation/weights", summary="设置考核权重（管理员；各项非负整数，合计100）")
def put_weights(request: Annotated[WeightsRequest, Body()]) -> Weights:
    return container().evaluation.put_weights(_principal(), request)


@admin_router.post("/evaluation/periods/<period>/close", summary="生成考核期间结果（管理员；重复执行不改变已生成的结果）")
def close_period(period: Annotated[str, Path(max_length=10, description="考核期间")]) -> CloseResult:
    return container().evaluation.close_by_admin(_principal(), period)


@public_router.get("/public/evaluation/formula", summary="考核计分办法（公示）")
def formula() -> Formula:
    return container().evaluation.formula()


@public_router.get("/public/evaluation/rankings", summary="部门考核排名公示（已结束的考核期间）")
def public_rankings(period: Annotated[str | None, Query(max_length=10, description="考核期间；默认上月")] = None) -> Rankings:
    return container().evaluation.public_rankings(period)


@router.get("/statistics", summary="多维统计（按部门、事项、权力类别或办件状态；可导出 CSV、Excel）")
def statistics(  # JSON or a file: a Response annotation would make Powertools model it
    period: RequiredPeriod,
    dimension: Annotated[Dimension, Query(description="department、item、category 或 status")] = Dimension.DEPARTMENT,
    file_format: Annotated[Literal["json", "csv", "xlsx"], Query(alias="format", description="json、csv 或 xlsx")] = "json",
    department: Annotated[str | None, Query(max_length=40, description="只统计某部门")] = None,
    level: LevelQuery = None,
    government: GovernmentQuery = None,
):
    table: StatisticsTable = container().evaluation.statistics(
        _principal(), period, dimension, department, level=level, government=government)
    if file_format == "json":
        return Response(200, content_types.APPLICATION_JSON, table.model_dump_json())
    headers, rows = exports.table_cells(table)
    if file_format == "csv":
        body, media_type = exports.to_csv(headers, rows), exports.CSV_MEDIA_TYPE
    else:
        body, media_type = exports.to_xlsx(headers, rows), exports.XLSX_MEDIA_TYPE
    # Bytes are returned base64-encoded (isBase64Encoded); API Gateway turns them back into the
    # file for clients whose Accept names the type (the API's binaryMediaTypes).
    disposition = f'attachment; filename="{exports.file_name(table, file_format)}"'
    return Response(200, media_type, body, headers={"Content-Disposition": disposition})
