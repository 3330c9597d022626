"""How close a case is to its limits, read on the server's clock at response time (one clock: the
browser's clock never decides a colour, a remaining time or what "today" is)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from .base import DomainModel
from .clock import LimitUnit


class DueState(StrEnum):
    """The colour of a case's current step, matching the time-limit warnings (预警纠错)."""

    OVERDUE = "overdue"  # 已超期: the step's due day has ended (黄牌 and later 红牌)
    NEAR = "near"  # 临近: the reminder (临近时限提醒) is due, the due day has not ended
    NORMAL = "normal"  # 正常
    NONE = "none"  # 不计时: no staff step running, the clock stands still, or the case is closed

    @property
    def label(self) -> str:
        return DUE_STATE_LABELS[self]


DUE_STATE_LABELS = {
    DueState.OVERDUE: "已超期",
    DueState.NEAR: "临近时限",
    DueState.NORMAL: "正常",
    DueState.NONE: "不计时",
}


class LimitReading(DomainModel):
    """One limit of a case (the step's, the promised 承诺时限, the legal 法定时限) in working days and
    in the limit's own unit."""

    kind: Literal["step", "promised", "legal"]
    due_on: date  # the last day of the limit, China time
    unit: LimitUnit = LimitUnit.WORKING_DAYS  # what the limit counts
    used_working_days: int  # from the start to today (to the day it closed), pauses left out
    remaining_working_days: int  # working days after today up to the due day; negative: past it
    used_days: int  # as used_working_days, in `unit`
    remaining_days: int  # as remaining_working_days, in `unit`
    overdue: bool


class ClockReading(DomainModel):
    """A case's clock as the server reads it now."""

    as_of: datetime  # the server's now (the demo clock locally)
    today: date  # the city's day of `as_of`
    due_state: DueState
    limits: list[LimitReading]
    paused_working_days: int  # all pauses of the case, an open one up to today
    pause_working_days: list[int]  # per pause, in the order of the case's pauses


class ServerTime(DomainModel):
    """GET /clock: what the server holds to be now and today (the city's day, China time)."""

    now: datetime
    today: date
    year: int
    month: str  # "YYYY-MM", the evaluation's current month
