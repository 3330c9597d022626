"""The inspectors' live overview (监察总览), included by handler.py: today's (or a given day's)
cases received, completed and closed late, warnings and cards by level, complaints, by
department, from the operational metrics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from sunlight.bootstrap import container
from sunlight.models.exchange import ExchangeReconciliation
from sunlight.models.monitoring import MonitoringOverview

from .common import current_principal

router = Router()


@router.get("/monitoring/overview", summary="监察总览：当日办件和红黄牌（按部门）")
def monitoring_overview(
    date: Annotated[dt.date | None, Query(description="日期，格式 yyyy-mm-dd，默认今天")] = None,
) -> MonitoringOverview:
    return container().monitoring.overview(current_principal(), date)


@router.get("/monitoring/exchange", summary="数据交换对账：每日按消息类型统计发送、确认和失败")
def exchange_reconciliation(
    days: Annotated[int, Query(ge=1, le=92, description="最近几天（含今天），默认 31")] = 31,
) -> ExchangeReconciliation:
    return container().exchange_reconciler.reconciliation(current_principal(), days)
