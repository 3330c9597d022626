"""The city working-day calendar (工作日历) routes, included by handler.py.

GET the year (staff, inspectors, administrators); administrators set or remove a day and
confirm a year. Errors are mapped to HTTP by handler.py, like every other route's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from sunlight.bootstrap import container
from sunlight.models.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarChangeReceipt,
    CalendarDayRequest,
    CalendarYearView,
    ConfirmYearRequest,
)
from sunlight.models.roles import Principal

from .common import current_principal

router = Router()  # the year view: the department office's function
edit_router = Router()  # changes: the administration's function

Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR, description="年份")]
Day = Annotated[dt.date, Path(description="日期，格式 yyyy-mm-dd")]


def _principal() -> Principal:
    return current_principal()  # one place turns claims into the caller (and 401s)


@router.get("/calendar/<year>", summary="工作日历（某年）")
def calendar_year(year: Year) -> CalendarYearView:
    return container().calendar_service.year(_principal(), year)


@edit_router.put("/calendar/days/<date>", summary="设置本市工作日安排（管理员）")
def set_calendar_day(date: Day, request: Annotated[CalendarDayRequest, Body()]) -> CalendarChangeReceipt:
    return container().calendar_service.set_day(_principal(), date, request.working, request.reason)


@edit_router.delete("/calendar/days/<date>", summary="删除本市工作日安排，恢复国家日历（管理员）")
def remove_calendar_day(date: Day) -> CalendarChangeReceipt:
    return container().calendar_service.remove_day(_principal(), date)


@edit_router.post("/calendar/<year>/confirm", summary="确认某年的节假日和调休安排已录入（管理员）")
def confirm_calendar_year(year: Year, request: Annotated[ConfirmYearRequest, Body()]) -> CalendarYearView:
    return container().calendar_service.confirm_year(_principal(), year, request.note)
