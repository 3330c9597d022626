"""Evaluation periods (考核期间): a month `YYYY-MM`, a quarter `YYYY-Qn` or a year `YYYY`, on the
city's calendar (Asia/Shanghai). Figures are counted per month; a quarter or a year is the sum of
its months."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .workdays import CHINA_TZ, local_date, start_of


class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def label(self) -> str:
        return {"month": "月度", "quarter": "季度", "year": "年度"}[self.value]


_PATTERNS = {
    Granularity.MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    Granularity.QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    Granularity.YEAR: re.compile(r"^(\d{4})$"),
}
PERIOD_HINT = "考核期间格式为 2026-10（月）、2026-Q4（季度）或 2026（年）"


@dataclass(frozen=True, order=True)
class Period:
    granularity: Granularity
    year: int
    number: int  # month 1–12, quarter 1–4, or 1 for a year

    @classmethod
    def parse(cls, text: str) -> Period:
        """Raises ValueError (with a zh-CN message) for anything but YYYY-MM, YYYY-Qn, YYYY."""
        value = (text or "").strip().upper()
        for granularity, pattern in _PATTERNS.items():
            if match := pattern.match(value):
                year = int(match.group(1))
                if not 2000 <= year <= 2999:
                    break
                number = int(match.group(2)) if granularity is not Granularity.YEAR else 1
                return cls(granularity, year, number)
        raise ValueError(PERIOD_HINT)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(Granularity.MONTH, year, month)

    @classmethod
    def month_of(cls, moment: datetime) -> Period:
        """The month a moment falls in, on the city's calendar."""
        day = local_date(moment)
        return cls.month(day.year, day.month)

    def __str__(self) -> str:
        if self.granularity is Granularity.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.granularity is Granularity.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        if self.granularity is Granularity.MONTH:
            return f"{self.year}年{self.number}月"
        if self.granularity is Granularity.QUARTER:
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年"

    def months(self) -> list[Period]:
        """The months the period is made of, in order."""
        if self.granularity is Granularity.MONTH:
            return [self]
        if self.granularity is Granularity.QUARTER:
            first = 3 * (self.number - 1) + 1
            return [Period.month(self.year, m) for m in range(first, first + 3)]
        return [Period.month(self.year, m) for m in range(1, 13)]

    @property
    def first_day(self) -> date:
        return date(self.year, self.months()[0].number, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        last = self.months()[-1]
        return date(last.year + 1, 1, 1) if last.number == 12 else date(last.year, last.number + 1, 1)

    @property
    def starts_at(self) -> datetime:
        return start_of(self.first_day)

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period (midnight city time)."""
        return start_of(self.end_day)

    def has_ended(self, now: datetime) -> bool:
        return now.astimezone(CHINA_TZ) >= self.ends_at

    def has_started(self, now: datetime) -> bool:
        return now.astimezone(CHINA_TZ) >= self.starts_at

    def previous(self) -> Period:
        """The period just before (环比)."""
        if self.granularity is Granularity.YEAR:
            return Period(Granularity.YEAR, self.year - 1, 1)
        count = 12 if self.granularity is Granularity.MONTH else 4
        if self.number == 1:
            return Period(self.granularity, self.year - 1, count)
        return Period(self.granularity, self.year, self.number - 1)

    def year_earlier(self) -> Period:
        """The same period a year earlier (同比)."""
        return Period(self.granularity, self.year - 1, self.number)

    def quarter(self) -> Period:
        assert self.granularity is Granularity.MONTH
        return Period(Granularity.QUARTER, self.year, (self.number - 1) // 3 + 1)

    def year_period(self) -> Period:
        return Period(Granularity.YEAR, self.year, 1)

    def recent(self, count: int) -> list[Period]:
        """The `count` periods of this granularity ending with this one, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]


def periods_closing_with(month: Period) -> list[Period]:
    """What closes when `month` ends: the month, and its quarter and year when they end with it."""
    closing = [month]
    if month.number % 3 == 0:
        closing.append(month.quarter())
    if month.number == 12:
        closing.append(month.year_period())
    return closing


def month_just_ended(now: datetime) -> Period:
    """The month before the one `now` falls in (what the close on the 1st closes)."""
    return Period.month_of(now).previous()
