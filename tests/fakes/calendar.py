"""In-memory fakes for the city calendar: its repository, its event publisher, and the open-case
listing of the alarm index over an InMemoryCases."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from sunlight.models.calendar import CalendarDay, CalendarYear, StoredCalendarYear
from tests.fakes.cases import InMemoryCases


class InMemoryCalendarRepository:
    def __init__(self) -> None:
        self.days: dict[date, CalendarDay] = {}
        self.years: dict[int, CalendarYear] = {}
        self.loads: list[int] = []
        self.fail_with: Exception | None = None

    def load_year(self, year: int) -> StoredCalendarYear:
        if self.fail_with:
            raise self.fail_with
        self.loads.append(year)
        days = tuple(self.days[d] for d in sorted(self.days) if d.year == year)
        return StoredCalendarYear(year=year, record=self.years.get(year), days=days)

    def put_day(self, day: CalendarDay) -> None:
        self.days[day.day] = day

    def delete_day(self, day: date) -> CalendarDay | None:
        return self.days.pop(day, None)

    def put_year(self, record: CalendarYear) -> None:
        self.years[record.year] = record


class RecordingEvents:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict, list[str]]] = []
        self.fail_with: Exception | None = None

    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        if self.fail_with:
            raise self.fail_with
        self.published.append((detail_type, detail.model_dump(mode="json"), list(resources)))


class OpenCasesIndex:
    """An InMemoryCases plus `alarm_shards`/`open_cases` paged like the DynamoDB repository's
    alarm index (every open case, spread over shards). Everything else goes to the cases."""

    def __init__(self, cases: InMemoryCases, shards: int = 3) -> None:
        self._cases = cases
        self.shards = shards
        self.before_save: list[Any] = []  # callables run before a save (a concurrent writer)
        self.saves = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cases, name)

    def alarm_shards(self) -> int:
        return self.shards

    def open_cases(self, shard: int, *, limit: int, start_key: dict | None) -> tuple[list[str], dict | None]:
        ids = sorted(
            c.case_id for c in self._cases.cases.values()
            if not c.status.is_closed and zlib.crc32(c.case_id.encode()) % self.shards == shard
        )
        start = int(start_key["offset"]) if start_key else 0
        page = ids[start : start + limit]
        return page, ({"offset": str(start + limit)} if len(page) == limit else None)

    def save(self, case, *, expected_version: int, events=()) -> None:
        for hook in list(self.before_save):
            hook(case)
        self._cases.save(case, expected_version=expected_version, events=events)
        self.saves += 1
