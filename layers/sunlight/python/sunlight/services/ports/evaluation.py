"""Performance evaluation (绩效评估): facts counted once into per-department monthly counters,
immutable period snapshots, the configured weights (see adapters/dynamodb_evaluation.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sunlight.models.evaluation import Figures, Snapshot, Weights

from .common import StartKey


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
        """The records behind a counter (revoked ones excluded), in subject-id order (the order the
        store keeps them in)."""

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
