"""In-memory implementations of the ports, for unit tests (fakes, not mocks)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel

from sunlight.models.case import Case, TimelineEvent
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.flow import STEP_ROLE, Step
from sunlight.models.levels import Government
from sunlight.models.roles import Role
from sunlight.services.ports import (
    ConcurrentModification,
    DuplicateRequest,
    IdempotencyRecord,
    StaleTaskToken,
    StoredObject,
    UploadedContent,
)


class InMemoryCases:
    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}
        self.events: dict[str, list[TimelineEvent]] = {}
        self.idempotency: dict[tuple[str, str], IdempotencyRecord] = {}
        self.fail_next_save = False

    def get(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)

    def get_with_timeline(self, case_id: str):
        case = self.cases.get(case_id)
        return (case, list(self.events[case_id])) if case else None

    def create(self, case: Case, event: TimelineEvent, idempotency: IdempotencyRecord | None) -> None:
        if idempotency and (idempotency.owner_id, idempotency.key) in self.idempotency:
            existing = self.idempotency[(idempotency.owner_id, idempotency.key)]
            raise DuplicateRequest(existing.case_id, existing.fingerprint)
        if case.case_id in self.cases:
            raise ConcurrentModification(case.case_id)
        self.cases[case.case_id] = case
        self.events[case.case_id] = [event]
        if idempotency:
            self.idempotency[(idempotency.owner_id, idempotency.key)] = idempotency

    def save(self, case: Case, *, expected_version: int, events: tuple[TimelineEvent, ...] = ()) -> None:
        current = self.cases.get(case.case_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(case.case_id)
        existing_seqs = {e.seq for e in self.events[case.case_id]}
        if any(e.seq in existing_seqs for e in events):
            raise ConcurrentModification(case.case_id)
        self.cases[case.case_id] = case
        self.events[case.case_id].extend(events)

    def delete_new(self, case: Case, idempotency: IdempotencyRecord | None) -> None:
        self.cases.pop(case.case_id, None)
        self.events.pop(case.case_id, None)
        if idempotency:
            self.idempotency.pop((idempotency.owner_id, idempotency.key), None)

    def worklist(self, department_id: str, role: Role, *, step: Step | None, limit: int, start_key: dict | None):
        waiting = sorted(
            (
                c
                for c in self.cases.values()
                if c.department_id == department_id and c.awaiting_staff and c.step and STEP_ROLE[c.step] is role
                and (step is None or c.step is step)
            ),
            key=lambda c: (c.step_due_at or c.updated_at, c.case_id),  # as the index: no step limit, by last change
        )
        start = int(start_key["offset"]) if start_key else 0
        page = waiting[start : start + limit]
        more = start + limit < len(waiting)
        return page, ({"offset": str(start + limit)} if more else None)

    def alarm_shards(self) -> int:
        return 2

    def due_alarms(self, shard: int, now: datetime, *, limit: int) -> list[str]:
        self.alarm_reads = getattr(self, "alarm_reads", 0) + 1
        due = sorted(
            (c.next_alarm_at, c.case_id)
            for c in self.cases.values()
            if hash(c.case_id) % 2 == shard and c.next_alarm_at is not None and c.next_alarm_at <= now
        )
        return [case_id for _, case_id in due[:limit]]

    def open_cases(self, shard: int, *, limit: int, start_key: dict | None):
        ids = sorted(c.case_id for c in self.cases.values() if hash(c.case_id) % 2 == shard and not c.status.is_closed)
        start = int(start_key["offset"]) if start_key else 0
        return ids[start : start + limit], ({"offset": str(start + limit)} if start + limit < len(ids) else None)

    def by_applicant(self, user_id: str, *, limit: int, start_key: dict | None):
        # Like the `by-applicant` index: a joint case's parts are not written to it.
        mine = sorted((c for c in self.cases.values() if c.applicant_user_id == user_id and c.parent_case_id is None),
                      key=lambda c: (c.submitted_at, c.case_id), reverse=True)
        start = int(start_key["offset"]) if start_key else 0
        more = start + limit < len(mine)
        return mine[start : start + limit], ({"offset": str(start + limit)} if more else None)

    def department_cases(self, department_id: str, query, *, limit: int, start_key: dict | None):
        """Like the `department` index: open cases, earliest step limit first, none last."""
        far = datetime.max.replace(tzinfo=UTC)

        def matches(c: Case) -> bool:
            due = c.step_due_at
            if query.without_due and due is not None:
                return False
            if not query.without_due and (query.due_from or query.due_before):
                if due is None or (query.due_from and due < query.due_from) or (query.due_before and due >= query.due_before):
                    return False
            return (
                (query.status is None or c.status is query.status)
                and (query.step is None or c.step is query.step)
                and (not query.extension_requested or any(e.status.value == "requested" for e in c.extensions))
            )

        open_cases = sorted(
            (c for c in self.cases.values() if c.department_id == department_id and not c.status.is_closed and matches(c)),
            key=lambda c: (c.step_due_at or far, c.case_id),
        )
        start = int(start_key["offset"]) if start_key else 0
        more = start + limit < len(open_cases)
        return open_cases[start : start + limit], ({"offset": str(start + limit)} if more else None)


class FakeCatalog:
    def __init__(self, items: list[CatalogItem], departments: list[Department], governments: list[Government] = ()) -> None:
        self.items = {i.item_code: i for i in items}
        self.departments = {d.department_id: d for d in departments}
        self.governments = {g.government_id: g for g in governments}

    def get_item(self, item_code: str) -> CatalogItem | None:
        return self.items.get(item_code)

    def get_department(self, department_id: str) -> Department | None:
        return self.departments.get(department_id)

    def list_departments(self) -> list[Department]:
        return [self.departments[key] for key in sorted(self.departments)]

    def list_governments(self) -> list[Government]:
        return sorted(self.governments.values(), key=lambda g: g.government_id)


class FakeWorkflow:
    """Records starts and decisions; tokens can be made stale or the engine made to fail."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.sent: list[tuple[str, dict]] = []
        self.stale_tokens: set[str] = set()
        self.fail_with: Exception | None = None

    def start(self, case_id: str, flow: str) -> None:
        if self.fail_with:
            raise self.fail_with
        if case_id not in self.started:
            self.started.append(case_id)

    def send_decision(self, task_token: str, output: dict[str, Any]) -> None:
        if self.fail_with:
            raise self.fail_with
        if task_token in self.stale_tokens:
            raise StaleTaskToken(task_token)
        self.sent.append((task_token, output))
        self.stale_tokens.add(task_token)  # a token resumes its step once


class FakePublisher:
    """The domain event bus: case transitions in `published`, other events (cards, facts) in `details`."""

    def __init__(self) -> None:
        self.published: list[CaseTransitionedV1] = []
        self.details: list[tuple[str, BaseModel]] = []
        self.fail_next = False

    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        self.details.append((detail_type, detail))

    def publish(self, events: list[CaseTransitionedV1]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("bus unavailable")
        self.published.extend(events)


class FakeAttachments:
    def __init__(self) -> None:
        self.objects: dict[str, StoredObject] = {}
        self.bodies: dict[str, bytes] = {}
        self.quarantined: dict[str, bytes] = {}
        self.presigned: list[dict] = []

    def presign_upload(self, key, *, content_type, max_bytes, expires_in, file_name, material_id):
        self.presigned.append({"key": key, "content_type": content_type, "max_bytes": max_bytes, "file_name": file_name})
        return "https://uploads.example/bucket", {"key": key, "Content-Type": content_type}

    def put(
        self, key: str, *, size: int = 1000, content_type: str = "application/pdf", file_name: str = "申请书.pdf",
        material_id: str | None = None, body: bytes | None = None,
    ) -> None:
        if body is not None:
            size = len(body)
            self.bodies[key] = body
        self.objects[key] = StoredObject(size_bytes=size, content_type=content_type, file_name=file_name, material_id=material_id)

    # UploadContentStore (the upload check)
    def read(self, storage_key: str, head_bytes: int) -> UploadedContent | None:
        stored = self.objects.get(storage_key)
        if stored is None:
            return None
        return UploadedContent(
            storage_key=storage_key, declared_type=stored.content_type, size_bytes=stored.size_bytes,
            head=self.bodies.get(storage_key, b"")[:head_bytes], file_name=stored.file_name,
        )

    def quarantine(self, content: UploadedContent) -> None:
        if content.storage_key in self.objects:
            del self.objects[content.storage_key]
            self.quarantined["quarantine/" + content.storage_key] = self.bodies.pop(content.storage_key, b"")

    def stat(self, key: str) -> StoredObject | None:
        return self.objects.get(key)

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str:
        return f"https://downloads.example/{key}?name={file_name}"


class FakeClock:
    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class SequentialIds:
    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def case_id(self, now: datetime) -> str:
        return f"SL{now:%Y%m%d}{next(self._counter):06d}"

    def query_code(self) -> str:
        return "246810"

    def token(self) -> str:
        return f"{next(self._counter):032x}"


class WeekdayCalendar:
    """Monday to Friday: enough for service tests; the real calendar has its own tests."""

    def is_working_day(self, day) -> bool:
        return day.weekday() < 5



class InMemoryTrackingGuard:
    """TrackingGuard with the adapter's rules, in memory (one process, no concurrency)."""

    def __init__(self) -> None:
        self.counters: dict[str, dict] = {}

    def locked_until(self, case_key: str, now: datetime) -> datetime | None:
        until = self.counters.get(case_key, {}).get("locked_until")
        return until if until is not None and until > now else None

    def record_failure(self, case_key, now, *, max_failures, window_seconds, lock_seconds):
        counter = self.counters.get(case_key)
        if counter is None or counter["window_started"] <= now - timedelta(seconds=window_seconds):
            counter = self.counters[case_key] = {"failures": 0, "window_started": now, "locked_until": None}
        counter["failures"] += 1
        if counter["failures"] < max_failures:
            return None
        if counter["locked_until"] is not None and counter["locked_until"] > now:
            return counter["locked_until"]  # a lock in force is not extended (the adapter's condition)
        until = now + timedelta(seconds=lock_seconds)
        counter.update(failures=0, window_started=until, locked_until=until)
        return until


class InMemoryUploadChecks:
    """UploadChecks with the adapter's rules: a pass never over a verdict, a failure never twice."""

    def __init__(self) -> None:
        self.checks: dict[str, Any] = {}
        self.notifications: list[Any] = []

    def get_many(self, storage_keys):
        return {k: self.checks[k] for k in storage_keys if k in self.checks}

    def record_passed(self, check) -> bool:
        if check.storage_key in self.checks:
            return False
        self.checks[check.storage_key] = check
        return True

    def record_failed(self, check, notification) -> bool:
        existing = self.checks.get(check.storage_key)
        if existing is not None and existing.status == "failed":
            return False
        self.checks[check.storage_key] = check
        self.notifications.append(notification)
        return True


class WeekdaysConfirmedThrough(WeekdayCalendar):
    """Monday to Friday, with official 调休 data (or an administrator's confirmation) only up to
    `last_year`: the years after it are 日历未确认."""

    def __init__(self, last_year: int) -> None:
        self.last_year = last_year

    def year_confirmed(self, year: int) -> bool:
        return year <= self.last_year

