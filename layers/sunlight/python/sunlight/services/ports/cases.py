"""Cases (办件): cases and their timelines, the flow engine, case events, attachments, the public
tracking guard, and department listings (部门办件: every open case of a department, for its
leader; implemented by the case repository on the Cases table's sparse `department` index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sunlight.models.case import Case, CaseStatus, TimelineEvent
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.flow import Step
from sunlight.models.roles import Role

from .common import IdempotencyRecord, StartKey


class CaseRepository(Protocol):
    def get(self, case_id: str) -> Case | None: ...

    def get_with_timeline(self, case_id: str) -> tuple[Case, list[TimelineEvent]] | None: ...

    def create(self, case: Case, event: TimelineEvent, idempotency: IdempotencyRecord | None) -> None:
        """Writes all three atomically; raises DuplicateRequest if the idempotency key exists."""

    def save(self, case: Case, *, expected_version: int, events: tuple[TimelineEvent, ...] = ()) -> None:
        """Writes the case and new events atomically; raises ConcurrentModification."""

    def delete_new(self, case: Case, idempotency: IdempotencyRecord | None) -> None:
        """Removes a case created by `create` whose flow could not be started."""

    def worklist(
        self, department_id: str, role: Role, *, step: Step | None, limit: int, start_key: dict | None
    ) -> tuple[list[Case], dict | None]:
        """Cases waiting on `role` in the department (optionally at one step), earliest due first."""

    def by_applicant(self, user_id: str, *, limit: int, start_key: dict | None) -> tuple[list[Case], dict | None]: ...

    def alarm_shards(self) -> int:
        """How many partitions the alarm index is spread over (each is queried on its own)."""

    def due_alarms(self, shard: int, now: datetime, *, limit: int) -> list[str]:
        """Ids of open cases whose next alarm is at or before `now`, earliest first."""

    def open_cases(self, shard: int, *, limit: int, start_key: dict | None) -> tuple[list[str], dict | None]:
        """Ids of every open case of the shard (for recomputing deadlines after a calendar edit)."""


class WorkflowEngine(Protocol):
    def start(self, case_id: str, flow: str) -> None:
        """Starts the case's flow; idempotent per case id (the execution is named after it)."""

    def send_decision(self, task_token: str, output: dict[str, Any]) -> None:
        """Resumes the waiting step; raises StaleTaskToken if the step is no longer waiting."""


class StaleTaskToken(Exception):
    """The state machine no longer waits on this token (timed out, or already resumed)."""


class EventPublisher(Protocol):
    def publish(self, events: list[CaseTransitionedV1]) -> None: ...


@dataclass(frozen=True)
class StoredObject:
    size_bytes: int
    content_type: str
    file_name: str | None = None
    material_id: str | None = None


class AttachmentStore(Protocol):
    def presign_upload(
        self, key: str, *, content_type: str, max_bytes: int, expires_in: int, file_name: str, material_id: str | None
    ) -> tuple[str, dict[str, str]]: ...

    def stat(self, key: str) -> StoredObject | None: ...

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str: ...


class TrackingGuard(Protocol):
    """Counts wrong query codes per case number (public tracking), so codes cannot be guessed.

    Keys are case numbers as typed (normalized), whether or not such a case exists."""

    def locked_until(self, case_key: str, now: datetime) -> datetime | None:
        """When tracking of this case number unlocks, or None if it is not locked now."""

    def record_failure(
        self, case_key: str, now: datetime, *, max_failures: int, window_seconds: int, lock_seconds: int
    ) -> datetime | None:
        """Counts one wrong code atomically (concurrent failures all count). The count restarts
        when `window_seconds` have passed since its first failure. Returns when tracking unlocks
        if this failure reached `max_failures` and locked it for `lock_seconds`, else None."""


@dataclass(frozen=True)
class DepartmentCaseQuery:
    """Which open cases: a window of step due times [due_from, due_before) or only the cases
    without a step limit, and optional status, step and pending-extension filters."""

    status: CaseStatus | None = None
    step: Step | None = None
    due_from: datetime | None = None
    due_before: datetime | None = None
    without_due: bool = False
    extension_requested: bool = False


class DepartmentCases(Protocol):
    def department_cases(
        self, department_id: str, query: DepartmentCaseQuery, *, limit: int, start_key: StartKey | None
    ) -> tuple[list[Case], StartKey | None]:
        """Open cases of the department matching `query`, earliest step limit first (cases
        without a step limit last). A page may hold fewer than `limit` cases and still continue."""
        ...
