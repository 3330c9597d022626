"""The city's working-day calendar (工作日历): days the city sets apart from the national calendar,
the years an administrator has confirmed, what the API shows of them, and the CalendarChanged
event that makes open cases' deadlines follow an edit."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field, StrictBool

from .base import DomainModel

MIN_YEAR = 2000
MAX_YEAR = 2100

Date = date  # fields named "date" below would shadow the type inside their class

CALENDAR_CHANGED = "CalendarChanged"
CALENDAR_SCHEMA_VERSION = "1.0"


def untrusted_year_warning(year: int) -> str:
    return f"{year}年的法定节假日和调休安排尚未录入，期限计算可能不准确，请管理员录入并确认。"


# --- stored ------------------------------------------------------------------------------------


class CalendarDay(DomainModel):
    """One day the city sets: working (e.g. an extra working Saturday) or not (a typhoon closure)."""

    model_config = ConfigDict(frozen=True)

    day: date
    working: bool
    reason: str
    updated_by: str  # user id
    updated_by_name: str = ""
    updated_at: AwareDatetime


class CalendarYear(DomainModel):
    """An administrator has entered the year's holidays and adjusted workdays and confirmed them."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    confirmed: bool = False
    confirmed_by: str | None = None  # user id
    confirmed_by_name: str | None = None
    confirmed_at: AwareDatetime | None = None
    note: str | None = None


class StoredCalendarYear(DomainModel):
    """Everything stored for one year (one Query)."""

    model_config = ConfigDict(frozen=True)

    year: int
    record: CalendarYear | None = None
    days: tuple[CalendarDay, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.record is not None and self.record.confirmed


# --- requests ----------------------------------------------------------------------------------


class CalendarDayRequest(DomainModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    working: StrictBool = Field(description="当天是否上班：true 上班（如调休上班的周末），false 不上班（如台风停工、地方节假日）")
    reason: str = Field(min_length=2, max_length=100, description="原因，例如“台风停工”“国庆节调休上班”")


class ConfirmYearRequest(DomainModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    note: str | None = Field(default=None, max_length=200, description="说明，例如依据的国务院办公厅通知")


# --- views -------------------------------------------------------------------------------------


class CalendarDayView(DomainModel):
    date: Date
    working: bool
    national_working: bool = Field(description="按国家日历当天是否上班")
    reason: str
    updated_by: str
    updated_by_name: str
    updated_at: AwareDatetime

    @classmethod
    def of(cls, day: CalendarDay, *, national_working: bool) -> CalendarDayView:
        return cls(
            date=day.day,
            working=day.working,
            national_working=national_working,
            reason=day.reason,
            updated_by=day.updated_by,
            updated_by_name=day.updated_by_name,
            updated_at=day.updated_at,
        )


class NationalHoliday(DomainModel):
    date: Date
    name: str


class CalendarYearView(DomainModel):
    year: int
    trusted: bool = Field(description="期限计算是否可信：国家日历含当年调休安排，或管理员已确认")
    national_data: bool = Field(description="国家日历（holidays 软件包）是否含当年调休安排")
    confirmed: bool
    confirmed_by: str | None = None
    confirmed_by_name: str | None = None
    confirmed_at: AwareDatetime | None = None
    note: str | None = None
    warning: str | None = Field(default=None, description="不可信时给管理员的提示")
    overrides: list[CalendarDayView] = Field(description="本市自定义的日期")
    national_holidays: list[NationalHoliday] = Field(description="国家日历的法定节假日")
    adjusted_workdays: list[date] = Field(description="国家日历的调休上班日")


class RecomputeStatus(StrEnum):
    QUEUED = "queued"  # a CalendarChanged event was published; the recompute function runs it
    COMPLETED = "completed"  # recomputed within the request


class RecomputeSummary(DomainModel):
    since: date | None
    checked: int
    changed: int
    failed: list[str] = Field(default_factory=list)


class CalendarChangeReceipt(DomainModel):
    date: Date
    working: bool | None = Field(description="修改后的自定义安排；删除后为 null（按国家日历）")
    reason: str | None = None
    effective_working: bool = Field(description="修改后当天是否上班")
    recompute: RecomputeStatus
    report: RecomputeSummary | None = None


# --- event -------------------------------------------------------------------------------------


class CalendarChange(StrEnum):
    SET = "set"
    REMOVE = "remove"
    CONFIRM = "confirm"  # a year confirmed: no day moves, the 日历未确认 marks go


class CalendarChangedV1(DomainModel):
    """`detail` of a `CalendarChanged` event: the recompute function recomputes open deadlines."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = Field(default=CALENDAR_SCHEMA_VERSION, pattern=r"^1\.\d+$")
    change: CalendarChange
    days: list[date] = Field(min_length=1)
    changed_by: str
    changed_at: AwareDatetime

    @property
    def since(self) -> date:
        return min(self.days)
