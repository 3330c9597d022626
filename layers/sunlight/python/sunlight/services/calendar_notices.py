"""Telling the administrators that cases are being counted in a year whose calendar is unknown.

A year without the State Council's 调休 notice (and not confirmed by an administrator) is never
counted in silently (LAW.md, "Counting"): the cases get the 日历未确认 mark (services/clock.py), and
the first case that reaches such a year puts one notice per year in the administrators' inbox.
The notice's id is the year's, so a second case, a retry or a second container issues nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ..models.calendar import untrusted_year_warning
from ..models.case import Case
from ..models.warnings import Warning, WarningLevel
from ..rules.workdays import WorkingCalendar
from .clock import case_unconfirmed_years
from .ports import WarningRepository

log = logging.getLogger(__name__)

ADMIN_INBOX = "city#admin"
CALENDAR_RULE = "calendar_unconfirmed"
CITY = "city"


def calendar_notice_id(year: int) -> str:
    return f"calendar-{year}-unconfirmed"


class CalendarNotices:
    def __init__(self, *, warnings: WarningRepository, calendar: WorkingCalendar) -> None:
        self._warnings = warnings
        self._calendar = calendar
        self._told: set[int] = set()  # years this container knows are told: no write per step entry

    def after_recompute(self, case: Case, now: datetime) -> list[Warning]:
        """The notices newly issued because `case` (as just saved) reaches unconfirmed years.

        Never fails the caller: the mark is on the case already; a lost notice is logged."""
        if not case.calendar_unconfirmed:
            return []
        issued = []
        for year in case_unconfirmed_years(case, self._calendar):
            if year in self._told:
                continue
            notice = calendar_notice(year, case, now)
            try:
                if self._warnings.issue(notice):
                    issued.append(notice)
                self._told.add(year)
            except Exception:
                log.exception("the administrators could not be told that %s is not confirmed", year)
        return issued


def calendar_notice(year: int, case: Case, now: datetime) -> Warning:
    return Warning(
        warning_id=calendar_notice_id(year),
        case_id=case.case_id,
        department_id=CITY,
        item_code=case.item_code,
        item_name=case.item_name,
        step=None,
        step_visit=0,
        level=WarningLevel.ANOMALY,
        rule=CALENDAR_RULE,
        title=f"{year}年工作日历未确认",
        message=(
            f"{untrusted_year_warning(year)}办件{case.case_id}（{case.item_name}）等的期限已计入{year}年，"
            f"这些办件标有“日历未确认”。请在“工作日历”中录入{year}年的法定节假日和调休安排并确认。"
        ),
        issued_at=now,
        recipients=(ADMIN_INBOX,),
        evidence={"year": year, "first_case_id": case.case_id},
    )
