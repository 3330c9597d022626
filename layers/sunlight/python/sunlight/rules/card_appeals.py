"""How fast a 监察局 decided a card appeal (申诉), pure: no I/O.

Neither the seeds nor the law set a limit for deciding an appeal. DOMAIN.md (监察日志) has
inspectors flagged when they leave warnings unhandled past a limit, and that limit is 2 working
days (rules/inspector_flags.py DEFAULT_UNHANDLED_WORKING_DAYS, the inspector watch's setting): an
appeal waiting for the inspector's decision is such a warning, so it is decided in time within
the same 2 working days. Counted like every time limit: from the day after the appeal, to the
end of the last working day; the days taken are counted as an order's days to answer are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .inspector_flags import DEFAULT_UNHANDLED_WORKING_DAYS
from .workdays import WorkingCalendar, due_after, local_date, working_days_between

APPEAL_DECISION_WORKING_DAYS = DEFAULT_UNHANDLED_WORKING_DAYS


@dataclass(frozen=True)
class AppealTiming:
    due_at: datetime
    working_days_to_decide: int
    on_time: bool


def appeal_timing(appealed_at: datetime, decided_at: datetime, calendar: WorkingCalendar,
                  limit_days: int = APPEAL_DECISION_WORKING_DAYS) -> AppealTiming:
    due = due_after(appealed_at, limit_days, calendar)
    days = working_days_between(local_date(appealed_at) + timedelta(days=1), local_date(decided_at) + timedelta(days=1), calendar)
    return AppealTiming(due_at=due, working_days_to_decide=days, on_time=decided_at <= due)
