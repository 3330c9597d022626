"""The inspectors' live overview (监察总览), included by handler.py: today's (or a given day's)
cases received, completed and closed late, warnings and cards by level, complaints, by
department, from the operational metrics; and the exchange's pages for the city's 监察局: the daily
reconciliation, and (`view=quarantine`, a query parameter: the routes stack has little room) the
inbound messages refused as malformed, read through the inbound service (the exchange API's
GET /inbound/quarantine wants a token the SPA does not call that API with)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from sunlight.bootstrap import container
from sunlight.models.exchange import ExchangeReconciliation
from sunlight.models.inbound import QuarantinedMessageView
from sunlight.models.monitoring import MonitoringOverview
from sunlight.services.pagination import Page

from .common import Cursor, Limit, current_principal

router = Router()


@router.get("/monitoring/overview", summary="监察总览：当日办件和红黄牌（按部门）")
def monitoring_overview(
    date: Annotated[dt.date | None, Query(description="日期，格式 yyyy-mm-dd，默认今天")] = None,
) -> MonitoringOverview:
    return container().monitoring.overview(current_principal(), date)


@router.get("/monitoring/exchange", summary="数据交换对账：每日按消息类型统计发送、确认和失败；view=quarantine：待核查的接入消息")
def exchange_reconciliation(
    days: Annotated[int, Query(ge=1, le=92, description="最近几天（含今天），默认 31")] = 31,
    view: Annotated[Literal["reconciliation", "quarantine"],
                    Query(description="reconciliation：对账（默认）；quarantine：因格式错误被拒收、留待核查的接入消息")] = "reconciliation",
    cursor: Cursor = None,
    limit: Limit = 20,
) -> ExchangeReconciliation | Page[QuarantinedMessageView]:
    if view == "quarantine":
        return container().inbound.quarantined_view(current_principal(), cursor=cursor, limit=limit)
    return container().exchange_reconciler.reconciliation(current_principal(), days)
