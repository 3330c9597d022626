"""City calendar (工作日历): the city's own days and confirmed years, and the CalendarChanged event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from pydantic import BaseModel

from sunlight.models.calendar import CalendarDay, CalendarYear, StoredCalendarYear


class CalendarRepository(Protocol):
    """Stored in the Catalog table under pk="CALENDAR#{year}" (see adapters/dynamodb_calendar.py)."""

    def load_year(self, year: int) -> StoredCalendarYear:
        """The year's confirmation record (if any) and every day the city set in it, by date.
        Reads are strongly consistent: a recompute right after an edit sees the edit."""

    def put_day(self, day: CalendarDay) -> None:
        """Creates or replaces the day's override."""

    def delete_day(self, day: date) -> CalendarDay | None:
        """Removes the day's override; returns what was removed, None if there was none."""

    def put_year(self, record: CalendarYear) -> None:
        """Creates or replaces the year's confirmation record."""


class CalendarEvents(Protocol):
    """Where calendar edits are announced (the domain event bus)."""

    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        """Publishes one event; raises if it was not accepted."""
