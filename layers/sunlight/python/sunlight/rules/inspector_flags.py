"""When an inspector is flagged to their leader (监察人员履职监督), pure: no I/O.

- idle: no logged action (监察日志) within `idle_days` calendar days (or never);
- unhandled warnings: a card or anomaly warning in their inbox still "issued" (not acknowledged,
  appealed or decided) after `working_days` working days, counted like any time limit: from the
  day after it was issued, to the end of the last working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from ..models.warnings import CardStatus, Warning, WarningLevel
from .workdays import WorkingCalendar, due_after

DEFAULT_IDLE_DAYS = 3
DEFAULT_UNHANDLED_WORKING_DAYS = 2


def is_idle(last_action_at: datetime | None, now: datetime, idle_days: int) -> bool:
    return last_action_at is None or now - last_action_at > timedelta(days=idle_days)


def unhandled_warnings(warnings: Iterable[Warning], now: datetime, working_days: int, calendar: WorkingCalendar) -> list[str]:
    """Ids of the warnings left unhandled past the limit, oldest first."""
    late = [
        w for w in warnings
        if w.status is CardStatus.ISSUED and w.level is not WarningLevel.REMINDER
        and due_after(w.issued_at, working_days, calendar) < now
    ]
    return [w.warning_id for w in sorted(late, key=lambda w: w.issued_at)]
