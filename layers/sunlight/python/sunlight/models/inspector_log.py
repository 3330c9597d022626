"""The inspector log (监察日志): every request of an inspector or admin, chained by hashes
(rules/hashchain.py); and the flags raised on inspectors who are idle or leave warnings unhandled."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from .base import DomainModel

# The log_anchor function's fact on the domain bus: the head it wrote to the anchors bucket (the
# outbound exchange sends it upward as `log_head`). Add fields compatibly; bump the major version
# (and the detail-type) for anything else.
INSPECTOR_LOG_ANCHORED = "InspectorLogAnchored"
ANCHOR_SCHEMA_VERSION = "1.0"


class LogEntry(DomainModel):
    """What is logged about one request (before it is chained)."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    user_id: str
    user_name: str
    roles: tuple[str, ...]
    department_id: str | None = None
    method: str
    route: str  # the route template, e.g. /cases/{caseId}
    path: str
    path_params: dict[str, str] = {}
    status: int
    source_ip: str | None = None
    user_agent: str | None = None

    def fields(self) -> dict[str, Any]:
        """The fields the hash covers, as JSON values."""
        return self.model_dump(mode="json")


class LogRecord(LogEntry):
    seq: int
    prev_hash: str
    hash: str


class LogRecordView(LogRecord):
    """A record as the 监察日志 page shows it: with what the request did, in words (the API
    operation's summary, e.g. 下达督办). Added when read, so the chained record never changes."""

    action: str | None = None


class ChainBreak(DomainModel):
    seq: int
    found_seq: int | None = None
    reason: str
    message: str
    anchor_key: str | None = None  # the external anchor the chain no longer matches (截断或改写)


class InspectorLogAnchoredV1(DomainModel):
    """An external anchor of the log's head (监察日志外部锚点): the body of the anchor object
    (`anchor_key` in the anchors bucket, under Object Lock) and the `detail` of the
    InspectorLogAnchored fact. `event_id` is derived from the key: a retried publish repeats it."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = Field(default=ANCHOR_SCHEMA_VERSION, pattern=r"^1\.\d+$")
    event_id: str
    head_sequence: int = Field(ge=0)  # 0: the log was empty
    head_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    anchored_at: datetime
    anchor_key: str


class ChainReport(DomainModel):
    ok: bool
    checked: int
    head_seq: int
    first_break: ChainBreak | None = None
    message: str


class VerificationStatus(StrEnum):
    RUNNING = "running"  # 校验中
    INTACT = "intact"  # 链完整
    BROKEN = "broken"  # 链已断开
    FAILED = "failed"  # 校验中断 (no progress for too long: start another)


class LogVerificationRun(DomainModel):
    """One verification of the chain (监察日志校验), carried out in bounded steps by the log_verify
    function. It covers records 1..head_seq, the head when it started; records appended since
    belong to the next run. `next_seq` and `last_hash` are where the next step resumes."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    started_by: str  # user id
    started_by_name: str
    started_at: datetime
    head_seq: int
    head_hash: str
    next_seq: int
    last_hash: str
    checked: int  # records found intact so far
    status: VerificationStatus
    first_break: ChainBreak | None = None
    message: str
    updated_at: datetime
    finished_at: datetime | None = None
    version: int = 1  # each saved step adds one; a step is saved only over the version it read
    # After an intact chain, the external anchors, page by page: how many so far (None: not
    # reached, e.g. the run broke on the chain itself), the key to read on after, and the newest.
    anchors_checked: int | None = None
    anchors_after: str | None = None
    newest_anchor_seq: int | None = None
    newest_anchor_at: datetime | None = None


class FlagKind(StrEnum):
    IDLE = "idle"  # 未登录履职
    UNHANDLED_WARNINGS = "unhandled_warnings"  # 预警未及时处理

    @property
    def label(self) -> str:
        return {FlagKind.IDLE: "未按时登录履职", FlagKind.UNHANDLED_WARNINGS: "预警超期未处理"}[self]


class FlagReason(DomainModel):
    model_config = ConfigDict(frozen=True)

    kind: FlagKind
    detail: str
    last_action_at: datetime | None = None
    warning_ids: tuple[str, ...] = ()


class InspectorFlag(DomainModel):
    """One inspector flagged on one day (idempotent per inspector and day)."""

    model_config = ConfigDict(frozen=True)

    flag_id: str  # "{day}#{user id}"
    day: date
    user_id: str
    username: str
    user_name: str
    department_id: str | None = None
    reasons: tuple[FlagReason, ...]
    recipient: str  # who it goes to: the chief inspector (inspector leaders)
    raised_at: datetime


class WatchReport(DomainModel):
    inspectors: int
    flagged: list[str]
    already_flagged: list[str]
