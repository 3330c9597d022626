"""Ports: what the use cases need from the outside world, as `typing.Protocol`s.

Adapters (`sunlight.adapters`) implement them against AWS; unit tests implement them in memory.
Each port lives in its own section below, so parts of the system can be added independently.
Storage keys cross the port only as opaque `StartKey` dicts: the services turn them into page
cursors (services/pagination.py) and never look inside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from sunlight.models.case import Case, TimelineEvent
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.flow import Step
from sunlight.models.roles import Role

StartKey: TypeAlias = dict[str, Any]
"""Where a listing continues: returned by one call, passed back unchanged to the next."""


# ---------------------------------------------------------------------------------------------
# Catalog (权力清单): departments and their items
# ---------------------------------------------------------------------------------------------


class CatalogRepository(Protocol):
    """Departments and catalog items. Reads return None when absent; writes replace."""

    def get_department(self, department_id: str) -> Department | None: ...

    def list_departments(self) -> list[Department]:
        """Every department, ordered by id."""
        ...

    def get_item(self, item_code: str) -> CatalogItem | None:
        """The item, published or not."""
        ...

    def list_items(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[CatalogItem], StartKey | None]:
        """Up to `limit` items (published or not), ordered by department then code, of one
        department or of all, continuing after `start_key`. Returns the items and the key to
        continue from, or None when the listing has ended. Raises InvalidInput for a start key
        this repository did not hand out for the same department filter."""
        ...

    def put_department(self, department: Department) -> None: ...

    def put_item(self, item: CatalogItem) -> None: ...


# ---------------------------------------------------------------------------------------------
# Cases (办件): cases and their timelines, the flow engine, events, attachments, time, ids
# ---------------------------------------------------------------------------------------------


class ConcurrentModification(Exception):
    """The case changed since it was read (optimistic lock lost)."""


class DuplicateRequest(Exception):
    """An idempotency key was used before; carries what it was used for."""

    def __init__(self, case_id: str, fingerprint: str) -> None:
        super().__init__(case_id)
        self.case_id = case_id
        self.fingerprint = fingerprint


@dataclass(frozen=True)
class IdempotencyRecord:
    owner_id: str
    key: str
    case_id: str
    fingerprint: str  # hash of the request body: the same key with another body is a conflict


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


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def case_id(self, now: datetime) -> str: ...

    def query_code(self) -> str: ...

    def token(self) -> str: ...


class CatalogReader(Protocol):
    """The part of the catalog that case handling reads (the catalog repository provides it)."""

    def get_item(self, item_code: str) -> CatalogItem | None: ...

    def get_department(self, department_id: str) -> Department | None: ...


# ---------------------------------------------------------------------------------------------
# Supervision (电子监察): warnings and cards, inboxes, notifications
# ---------------------------------------------------------------------------------------------


class WarningRepository(Protocol):
    def issue(self, warning: Warning) -> bool:
        """Stores the warning and its recipients' inbox entries atomically, once: False if a
        warning with this id exists already (a repeated or retried check)."""

    def get(self, warning_id: str) -> Warning | None: ...

    def save(self, warning: Warning, *, expected_version: int) -> None:
        """Raises ConcurrentModification."""

    def for_case(self, case_id: str) -> list[Warning]: ...

    def for_department(
        self, department_id: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        """Newest first, only those `matching` (see `inbox` for how pages are filled)."""

    def inbox(
        self, recipient: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        """Newest first, only those `matching`; `recipient` is an inbox key such as "market#handler"
        or "city#inspector". A page holds up to `limit` warnings: fewer (even none) with a key to
        continue when the store stopped at its bound of reads per request, and no key at the end.
        Continuing from the key neither skips nor repeats a warning."""


class Notifier(Protocol):
    def notify(self, warning: Warning) -> None:
        """Sends the warning to its level's subscribers (e-mail, SMS) outside the system."""


# ---------------------------------------------------------------------------------------------
# City calendar (工作日历): the city's own days and confirmed years, and the CalendarChanged event
# ---------------------------------------------------------------------------------------------
from collections.abc import Sequence  # noqa: E402  (this section's own imports)
from datetime import date  # noqa: E402

from pydantic import BaseModel  # noqa: E402

from sunlight.models.calendar import CalendarDay, CalendarYear, StoredCalendarYear  # noqa: E402
from sunlight.models.warnings import Warning, WarningFilter  # noqa: E402  (annotations above)


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


# ---------------------------------------------------------------------------------------------
# Domain events of any detail-type (supervision, complaints, evaluation; see
# models/evaluation_events.py): the container's `publisher` implements it
# ---------------------------------------------------------------------------------------------


class DomainEvents(Protocol):
    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        """Publishes one event; raises if it was not accepted (the caller's retry re-publishes)."""


# ---------------------------------------------------------------------------------------------
# Department listings (部门办件): every open case of a department, for its leader; implemented by
# the case repository on the Cases table's sparse `department` index
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Performance evaluation (绩效评估): facts counted once into per-department monthly counters,
# immutable period snapshots, the configured weights (see adapters/dynamodb_evaluation.py)
# ---------------------------------------------------------------------------------------------
from collections.abc import Mapping  # noqa: E402  (this section's own imports)

from sunlight.models.case import CaseStatus  # noqa: E402  (annotations above)
from sunlight.models.evaluation import Figures, Snapshot, Weights  # noqa: E402


@dataclass(frozen=True)
class FactEntry:
    """One fact as the counters see it: the records (markers) it adds to the drill-down lists of
    `metrics`, and what it adds to the department's (and item's) counters of `month`."""

    event_id: str
    department_id: str
    month: str  # YYYY-MM, city time
    subject_id: str  # the case, card, complaint or order id: the marker's key within its list
    item_code: str | None
    metrics: tuple[str, ...]
    increments: Mapping[str, int]
    occurred_at: datetime
    details: Mapping[str, Any]


@dataclass(frozen=True)
class FactRecord:
    """One record behind a figure (drill-down)."""

    metric: str
    subject_id: str
    event_id: str
    occurred_at: datetime
    item_code: str | None
    details: Mapping[str, Any]


class EvaluationRepository(Protocol):
    def record_fact(self, fact: FactEntry) -> bool:
        """Writes the markers and adds to the counters atomically, once: False if the fact's
        markers exist already (a redelivered event, or a revoked fact)."""

    def revoke_fact(self, fact: FactEntry) -> bool:
        """Marks the fact revoked and subtracts it, once. A revocation that arrives before its
        fact leaves a revoked marker, so the fact never counts. False if nothing changed."""

    def month_figures(self, month: str) -> dict[str, Figures]:
        """Every department's counters of the month (one Query; departments without facts are absent)."""

    def month_item_figures(self, month: str, department_id: str | None = None) -> dict[tuple[str, str], Figures]:
        """Counters per (department, item code) of the month, of one department or all."""

    def fact_records(
        self, department_id: str, month: str, metric: str, *, limit: int, start_key: StartKey | None
    ) -> tuple[list[FactRecord], StartKey | None]:
        """The records behind a counter (revoked ones excluded), oldest first."""

    def get_snapshot(self, period: str) -> Snapshot | None: ...

    def get_snapshots(self, periods: Sequence[str]) -> dict[str, Snapshot]:
        """The stored snapshots among `periods`, by period."""

    def put_snapshot(self, snapshot: Snapshot) -> bool:
        """Stores the snapshot only if the period has none: False if it had (never overwrites)."""

    def get_weights(self) -> Weights | None:
        """The current weights, None when no admin has set any."""

    def put_weights(self, weights: Weights, *, expected_version: int) -> None:
        """Stores `weights` (version expected_version + 1) as current and in the history;
        raises ConcurrentModification if the current version is not `expected_version`."""


# ---------------------------------------------------------------------------------------------
# Supervision orders (督查督办) and the inspector log (监察日志): stored in the Supervision table
# (adapters/dynamodb_orders.py, adapters/dynamodb_inspector_log.py); the staff directory in
# Cognito (adapters/cognito_directory.py)
# ---------------------------------------------------------------------------------------------

from collections.abc import Iterator  # noqa: E402  (this section's own imports)

from sunlight.models.inspector_log import InspectorFlag, LogEntry, LogRecord, LogVerificationRun  # noqa: E402
from sunlight.models.orders import OrderInboxEntry, StaffMember, SupervisionOrder  # noqa: E402


class DuplicateOrderRequest(Exception):
    """The idempotency key was used before, for `order_id` with a request of `fingerprint`."""

    def __init__(self, order_id: str, fingerprint: str) -> None:
        super().__init__(order_id)
        self.order_id = order_id
        self.fingerprint = fingerprint


class OrderRepository(Protocol):
    def create(self, order: SupervisionOrder, idempotency: IdempotencyRecord | None) -> None:
        """Stores a new order (and its idempotency record) atomically; raises DuplicateOrderRequest
        if the key was used before."""

    def get(self, order_id: str) -> SupervisionOrder | None: ...

    def save(self, order: SupervisionOrder, *, expected_version: int, previous: SupervisionOrder,
             inbox: tuple[str, ...] = ()) -> None:
        """Writes the order if its stored version is `expected_version` (else ConcurrentModification),
        moving its due-alarm and its responsibility entry from `previous`; `inbox` recipients get
        the order in their inbox in the same transaction."""

    def list_all(self, *, status: str | None, limit: int, start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Every department's orders, newest first."""

    def for_department(self, department_id: str, *, status: str | None, limit: int,
                       start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Newest first."""

    def naming(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Orders whose finding names the user, newest finding first."""

    def due(self, now: datetime, *, limit: int) -> list[str]:
        """Ids of unanswered orders whose next alarm is at or before `now`, earliest first."""

    def inbox(self, recipient: str, *, limit: int, start_key: StartKey | None) -> tuple[list[OrderInboxEntry], StartKey | None]:
        """Escalated orders of an inbox ("{dept}#leader", "city#inspector"), newest first."""


class StaffDirectory(Protocol):
    """The users of the user pool (Cognito), by group."""

    def members(self, group: str) -> list[StaffMember]: ...


class InspectorLog(Protocol):
    def append(self, entry: LogEntry) -> LogRecord:
        """Chains the entry after the current head, atomically with moving the head (retries when
        another append won the race)."""

    def head(self) -> HeadState:
        """The last record's sequence number and hash (0 and GENESIS for an empty chain)."""

    def stored_records(self, from_seq: int, to_seq: int | None, *, page_size: int | None = None) -> Iterator[dict[str, Any]]:
        """The records stored for sequence numbers [from_seq, to_seq), or from `from_seq` to the
        end of the chain's storage if `to_seq` is None: in storage order, as stored (raw fields;
        a record that no longer parses comes as {"seq": None, ...}), read lazily, `page_size` at
        a time if given.
        Whatever is stored between two sequence numbers' places is read with the lower one, so
        consecutive ranges together read exactly what one read of the whole chain would."""

    def newest(self, *, user_id: str | None, since: datetime | None, until: datetime | None, limit: int,
               start_key: StartKey | None) -> tuple[list[LogRecord], StartKey | None]: ...

    def last_action_of(self, user_id: str) -> datetime | None: ...


@dataclass(frozen=True)
class HeadState:
    seq: int
    hash: str


class VerificationRuns(Protocol):
    """Verification runs of the inspector log, and which one is current (the latest started)."""

    def current(self) -> LogVerificationRun | None: ...

    def get(self, run_id: str) -> LogVerificationRun | None: ...

    def start(self, run: LogVerificationRun, *, replacing: str | None) -> None:
        """Stores a new run and makes it current, only if the current run is still `replacing`
        (None: there is none yet); else raises ConcurrentModification (another start won)."""

    def save(self, run: LogVerificationRun, *, expected_version: int) -> None:
        """Replaces the run if its stored version is `expected_version`; else raises
        ConcurrentModification (another invocation saved a step first)."""


class WorkerUnavailable(Exception):
    """The verification worker could not be handed a run; nothing was started."""


class VerificationWorker(Protocol):
    def continue_run(self, run_id: str) -> None:
        """Has the worker carry the run on, asynchronously; raises WorkerUnavailable."""


class FlagRepository(Protocol):
    def raise_flag(self, flag: InspectorFlag) -> bool:
        """Stores the flag once per inspector and day: False if it exists."""

    def recent(self, *, limit: int, start_key: StartKey | None) -> tuple[list[InspectorFlag], StartKey | None]:
        """Newest first."""


# ---------------------------------------------------------------------------------------------
# Social interaction (社会互动): complaints and their notifications, satisfaction ratings, surveys
# (stored in the Supervision table; see adapters/dynamodb_social.py)
# ---------------------------------------------------------------------------------------------

from sunlight.models.complaints import Complaint, Notification  # noqa: E402
from sunlight.models.satisfaction import SatisfactionRating  # noqa: E402
from sunlight.models.surveys import Survey, TextAnswer  # noqa: E402


class ComplaintRepository(Protocol):
    def create(self, complaint: Complaint, notification: Notification, idempotency: IdempotencyRecord | None) -> None:
        """Writes the complaint, the complainant's notification and the idempotency record
        atomically; raises DuplicateRequest (carrying the complaint id) if the key was used."""

    def get(self, complaint_id: str) -> Complaint | None: ...

    def save(self, complaint: Complaint, *, expected_version: int, previous: Complaint, notification: Notification | None) -> None:
        """Writes the changed complaint (and its listing entries, moved from `previous`'s) and the
        notification atomically; raises ConcurrentModification if the version moved on."""

    def by_complainant(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Complaint], StartKey | None]:
        """Newest first."""

    def queue(
        self, scope: str, *, limit: int, start_key: StartKey | None
    ) -> tuple[list[Complaint], StartKey | None]:
        """Open ones earliest due first, then closed ones. `scope` is "city" (every complaint) or a
        department id (the complaints dispatched to it)."""

    def by_status(self, status: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Complaint], StartKey | None]:
        """Complaints in one status, earliest due first."""


class NotificationRepository(Protocol):
    def for_user(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Notification], StartKey | None]:
        """Newest first."""

    def mark_read(self, user_id: str, notification_id: str) -> Notification | None:
        """Marks it read (idempotent); None if the user has no such notification."""

    def add(self, notification: Notification) -> None:
        """Stores a notification once per id."""


class RatingRepository(Protocol):
    def get(self, case_id: str) -> SatisfactionRating | None: ...

    def add(self, rating: SatisfactionRating) -> bool:
        """Stores the case's rating if it has none: False if it was rated before."""


class SurveyRepository(Protocol):
    def create(self, survey: Survey, idempotency: IdempotencyRecord | None) -> None:
        """Raises DuplicateRequest (carrying the survey id) if the idempotency key was used."""

    def get(self, survey_id: str) -> Survey | None: ...

    def save(self, survey: Survey, *, expected_version: int, previous_status: str) -> None:
        """Raises ConcurrentModification."""

    def by_status(self, status: str, *, closing_from: date | None, limit: int, start_key: StartKey | None) -> tuple[list[Survey], StartKey | None]:
        """Surveys in one status, earliest closing first (optionally closing on or after a day)."""

    def add_answer(self, survey: Survey, user_id: str, counters: list[str], texts: list[TextAnswer], at: datetime) -> bool:
        """In one transaction: the user's answer record (only if absent), +1 on each named counter
        and on the answer count, the text answers; conditional on the survey still being
        published. False if the user answered before; raises ConcurrentModification if the
        survey is no longer published."""

    def counters(self, survey_id: str) -> dict[str, int]:
        """Every counter of the survey, with "answers" for the number of answers."""

    def text_answers(self, survey_id: str, question_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[TextAnswer], StartKey | None]:
        """Newest first."""


# ---------------------------------------------------------------------------------------------
# Catalog administration (权力清单维护, 法制办): versioned writes with a change history, and the
# staff accounts of the user pool (用户与角色)
# ---------------------------------------------------------------------------------------------

from sunlight.models.catalog_admin import CatalogChange, Revision  # noqa: E402
from sunlight.models.users import StaffUser  # noqa: E402


class CatalogAdminRepository(Protocol):
    """Versioned records of the catalog and their history (see adapters/dynamodb_catalog.py).

    `expected_version` None creates the record (ConcurrentModification if it exists); a number
    replaces the record only if that is its current version (0: a seeded, never edited record).
    The record and its history entry (`change`, whose version is the new one) are written
    atomically."""

    def get_item_revision(self, item_code: str) -> tuple[CatalogItem, Revision] | None: ...

    def list_item_revisions(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[tuple[CatalogItem, Revision]], StartKey | None]:
        """Like CatalogRepository.list_items, with each item's revision."""
        ...

    def save_item(self, item: CatalogItem, change: CatalogChange, *, expected_version: int | None) -> None: ...

    def get_department_revision(self, department_id: str) -> tuple[Department, Revision] | None: ...

    def list_department_revisions(self) -> list[tuple[Department, Revision]]: ...

    def save_department(self, department: Department, change: CatalogChange, *, expected_version: int | None) -> None: ...

    def history(self, subject: str, limit: int, start_key: StartKey | None = None) -> tuple[list[CatalogChange], StartKey | None]:
        """The changes of one record (`ITEM#{code}` or `DEPT#{id}`), newest first."""
        ...


class UserExists(Exception):
    """The username is taken."""


class UserDirectory(Protocol):
    """Staff accounts in the user pool (see adapters/cognito_admin.py). Unknown users: None or
    UserNotFound."""

    def list_group(self, group: Role, limit: int, token: str | None) -> tuple[list[StaffUser], str | None]:
        """Up to `limit` members of one group (each with all its roles), and the token to continue."""
        ...

    def get_user(self, username: str) -> StaffUser | None: ...

    def create_user(self, user: StaffUser, temporary_password: str) -> StaffUser:
        """Creates the account (must change its password at first sign-in) and adds its groups;
        raises UserExists."""
        ...

    def update_user(self, username: str, *, full_name: str, department_id: str | None, add: Sequence[Role], remove: Sequence[Role]) -> None: ...

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Disabling also signs the user out everywhere (refresh tokens revoked)."""
        ...

    def reset_password(self, username: str, temporary_password: str) -> None:
        """Replaces the password by a temporary one that must be changed at the next sign-in,
        and signs the user out everywhere."""
        ...

    def set_name(self, username: str, name: str) -> None:
        """The display name (the standard `name`), as an administrator writes it."""

    def add_to_group(self, username: str, role: Role) -> None:
        """Adds the user to the role's group (adding twice is harmless)."""
        ...


class UserNotFound(Exception):
    pass


class PasswordGenerator(Protocol):
    def temporary_password(self) -> str:
        """A password that satisfies the pool's policy."""
        ...


# ---------------------------------------------------------------------------------------------
# Operational metrics (实时监控): the daily figures of the inspectors' live overview, read back
# from the metrics the `operational_metrics` function emits (see adapters/cloudwatch_metrics.py)
# ---------------------------------------------------------------------------------------------

from sunlight.models.monitoring import OperationalMetric  # noqa: E402  (this section's own imports)


class OperationalMetricsReader(Protocol):
    def sums(
        self, start: datetime, end: datetime, metrics: Sequence[OperationalMetric], department_ids: Sequence[str], *, city: bool
    ) -> dict[str | None, dict[OperationalMetric, float]]:
        """The sum of each metric over [start, end) for each department (keyed by its id) and,
        if `city`, city-wide (keyed None). Metrics without data are absent (zero). Raises
        Unavailable when the metrics store cannot be read."""


# ---------------------------------------------------------------------------------------------
# Upload check (上传文件校验): the bytes of an upload against its declared type, and verdicts
# ---------------------------------------------------------------------------------------------

from sunlight.models.uploads import UploadCheck  # noqa: E402


@dataclass(frozen=True)
class UploadedContent:
    """One stored upload as the inspectors see it. `head` holds its first bytes; an inspector
    that needs the whole object (a malware scanner) reads it by `storage_key` and `version_id`."""

    storage_key: str
    declared_type: str
    size_bytes: int
    head: bytes
    file_name: str | None = None
    version_id: str | None = None


class ContentInspector(Protocol):
    """One check of an upload's content. The file-signature check is the first; a malware
    scanner plugs in as another (bootstrap: Container.content_inspectors)."""

    name: str

    def inspect(self, content: UploadedContent) -> str | None:
        """Why the content must not be accepted (Chinese, shown to the uploader and the staff),
        or None if it passes this check."""


class UploadContentStore(Protocol):
    def read(self, storage_key: str, head_bytes: int) -> UploadedContent | None:
        """The upload's metadata and first bytes; None if no object is stored under the key."""

    def quarantine(self, content: UploadedContent) -> None:
        """Moves the object out of reach of downloads (idempotent: nothing left to move is fine)."""


class UploadChecks(Protocol):
    def get_many(self, storage_keys: list[str]) -> dict[str, UploadCheck]:
        """The verdicts recorded for these keys (keys without one are absent: not checked yet)."""

    def record_passed(self, check: UploadCheck) -> bool:
        """Records a pass unless a verdict exists already; True if it was recorded."""

    def record_failed(self, check: UploadCheck, notification: Notification) -> bool:
        """Records a failure (over a pass, never over a failure) together with the uploader's
        notification, atomically; True if recorded, False if it had failed already."""


class SessionRevocations(Protocol):
    """Per user: sign-ins at or before this moment (epoch seconds) no longer count (an account
    disabled, its password reset, its roles changed, or the user signed out everywhere)."""

    def revoked_before(self, user_id: str) -> int | None: ...

    def revoke(self, user_id: str, at: int, reason: str) -> None:
        """Moves the mark forward (never back)."""
