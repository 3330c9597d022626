"""The time limits and bounds of an administrative penalty (行政处罚法 2021), as pure functions.

第八十五条: this law's 二日、三日、五日、七日 are working days; its other periods (15 days, 90 days) are
calendar days. Each constant below says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ..models.case import IdType, TimelineEvent
from ..models.flow import Decision
from .workdays import WorkingCalendar, add_calendar_days, add_working_days, due_at_end_of, local_date

MIN_OFFICERS = 2  # 第四十二条: at least two officers holding enforcement certificates
STATEMENT_WORKING_DAYS = 5  # 第六十四条: a hearing is asked for within 5 days of the notice (working days, 第八十五条)
HEARING_NOTICE_WORKING_DAYS = 7  # 第六十四条: time and place notified 7 days before the hearing (working days, 第八十五条)
DECISION_CALENDAR_DAYS = 90  # 第六十条: decided within 90 days of 立案 (calendar days)
DELIVERY_WORKING_DAYS = 7  # 第六十一条: served within 7 days when the party is absent (working days, 第八十五条)
PAYMENT_CALENDAR_DAYS = 15  # 第六十七条: a fine is paid within 15 days of receiving the decision (calendar days)

# 第五十一条: on the spot, a warning or a fine up to 200 yuan for a citizen, 3,000 for an organisation.
SIMPLE_FINE_BOUND_CITIZEN = Decimal("200")
SIMPLE_FINE_BOUND_ORGANISATION = Decimal("3000")


def simple_fine_bound(id_type: IdType) -> Decimal:
    """The largest fine of the simple procedure for this party: an organisation is known by its
    credit code; a resident id or a passport is a citizen's."""
    return SIMPLE_FINE_BOUND_ORGANISATION if id_type is IdType.CREDIT_CODE else SIMPLE_FINE_BOUND_CITIZEN


def party_kind(id_type: IdType) -> str:
    return "单位" if id_type is IdType.CREDIT_CODE else "公民"


def statement_due_at(notified_at: datetime, calendar: WorkingCalendar) -> datetime:
    """The end of the party's window to ask for a hearing: the close of the 5th working day after
    the day of the notice (民法典 第二百零一条: the day of the notice is not counted)."""
    return due_at_end_of(add_working_days(local_date(notified_at), STATEMENT_WORKING_DAYS, calendar))


def earliest_hearing_day(notified_on: date, calendar: WorkingCalendar) -> date:
    """The first day a hearing may be held when its notice goes out on `notified_on`: 7 working days later."""
    return add_working_days(notified_on, HEARING_NOTICE_WORKING_DAYS, calendar)


def decision_due_on(registered_at: datetime, calendar: WorkingCalendar) -> date:
    """The last day of the 90 calendar days from 立案 (第六十条), moved past a holiday it falls on
    (民法典 第二百零三条)."""
    return add_calendar_days(local_date(registered_at), DECISION_CALENDAR_DAYS, calendar)


@dataclass(frozen=True)
class PenaltyRoute:
    """Which optional steps a case needs before the decision."""

    legal_review: bool  # 法制审核 (第五十八条)
    collective: bool  # 集体讨论 (第五十七条)


def route_of(timeline: Sequence[TimelineEvent], pending: Decision | None = None) -> PenaltyRoute:
    """From the latest 事先告知: the handler's marks; and a hearing held after it makes 法制审核
    required (第五十八条第一款第二项 names cases heard at a hearing). `pending` is the decision just
    taken and not yet on the timeline (it is recorded when the next step is entered)."""
    ordered = sorted(timeline, key=lambda e: e.seq)
    notices = [e for e in ordered if e.action == Decision.NOTIFY.value]
    if not notices:
        return PenaltyRoute(legal_review=False, collective=False)
    notice = notices[-1]
    heard = pending is Decision.HEARD or any(e.action == Decision.HEARD.value and e.seq > notice.seq for e in ordered)
    return PenaltyRoute(
        legal_review=bool(notice.details.get("legal_review_required")) or heard,
        collective=bool(notice.details.get("collective_required")),
    )
