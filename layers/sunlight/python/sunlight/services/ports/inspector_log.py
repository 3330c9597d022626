"""The inspector log (监察日志), its verification runs and the inspectors' flags: stored in the
Supervision table (adapters/dynamodb_inspector_log.py); its external anchors in the anchors
bucket under Object Lock (adapters/s3_log_anchors.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sunlight.models.inspector_log import InspectorFlag, InspectorLogAnchoredV1, LogEntry, LogRecord, LogVerificationRun

from .common import StartKey


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


class LogAnchors(Protocol):
    """The log's external anchors: written once, never overwritten or deleted (Object Lock)."""

    def write(self, anchor: InspectorLogAnchoredV1) -> bool:
        """Stores the anchor under its `anchor_key` only if nothing is stored there: False if
        something is (an anchor is never overwritten)."""

    def page(self, after: str | None, limit: int) -> tuple[list[InspectorLogAnchoredV1], str | None]:
        """Up to `limit` anchors stored under keys after `after` (None: from the first), oldest
        first, and the key to read on after (None: there are no more). Each is the first version
        written under its key; a stored object that is not an anchor is skipped."""


class FlagRepository(Protocol):
    def raise_flag(self, flag: InspectorFlag) -> bool:
        """Stores the flag once per inspector and day: False if it exists."""

    def recent(self, *, limit: int, start_key: StartKey | None) -> tuple[list[InspectorFlag], StartKey | None]:
        """Newest first."""
