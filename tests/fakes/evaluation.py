"""An in-memory EvaluationRepository with the DynamoDB adapter's semantics: markers counted once,
revocations (also early ones) leave a revoked marker, snapshots are written once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sunlight.models.evaluation import FIGURE_FIELDS, Figures, Snapshot, Weights
from sunlight.services.ports import ConcurrentModification, FactEntry, FactRecord, StartKey


class InMemoryEvaluation:
    def __init__(self) -> None:
        # (department, month, metric) → subject → (fact, revoked)
        self.markers: dict[tuple[str, str, str], dict[str, tuple[FactEntry, bool]]] = defaultdict(dict)
        self.counters: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))  # (month, sk)
        self.snapshots: dict[str, Snapshot] = {}
        self.weights: Weights | None = None
        self.weights_history: list[Weights] = []
        self.month_reads: list[str] = []

    def _add(self, fact: FactEntry, sign: int) -> None:
        keys = [f"DEPT#{fact.department_id}"] + ([f"ITEM#{fact.department_id}#{fact.item_code}"] if fact.item_code else [])
        for key in keys:
            for name, value in fact.increments.items():
                if name in FIGURE_FIELDS:
                    self.counters[(fact.month, key)][name] += sign * value

    def record_fact(self, fact: FactEntry) -> bool:
        if any(fact.subject_id in self.markers[(fact.department_id, fact.month, m)] for m in fact.metrics):
            return False
        for metric in fact.metrics:
            self.markers[(fact.department_id, fact.month, metric)][fact.subject_id] = (fact, False)
        self._add(fact, +1)
        return True

    def revoke_fact(self, fact: FactEntry) -> bool:
        first = self.markers[(fact.department_id, fact.month, fact.metrics[0])].get(fact.subject_id)
        if first is not None and first[1]:
            return False
        for metric in fact.metrics:
            stored = self.markers[(fact.department_id, fact.month, metric)].get(fact.subject_id)
            self.markers[(fact.department_id, fact.month, metric)][fact.subject_id] = (stored[0] if stored else fact, True)
        if first is not None:
            self._add(fact, -1)
        return True

    def month_figures(self, month: str) -> dict[str, Figures]:
        self.month_reads.append(month)
        return {key.removeprefix("DEPT#"): Figures(**values) for (m, key), values in self.counters.items()
                if m == month and key.startswith("DEPT#")}

    def month_item_figures(self, month: str, department_id: str | None = None) -> dict[tuple[str, str], Figures]:
        prefix = f"ITEM#{department_id}#" if department_id else "ITEM#"
        result = {}
        for (m, key), values in self.counters.items():
            if m == month and key.startswith(prefix):
                _, dept, code = key.split("#", 2)
                result[(dept, code)] = Figures(**values)
        return result

    def fact_records(self, department_id: str, month: str, metric: str, *, limit: int, start_key: StartKey | None):
        live = sorted((s, f) for s, (f, revoked) in self.markers[(department_id, month, metric)].items() if not revoked)
        after = start_key["sk"] if start_key else ""
        page = [(s, f) for s, f in live if s > after][:limit]
        records = [FactRecord(metric=metric, subject_id=s, event_id=f.event_id, occurred_at=f.occurred_at,
                              item_code=f.item_code, details=dict(f.details)) for s, f in page]
        more = len(page) == limit and any(s > page[-1][0] for s, _ in live)
        return records, ({"sk": page[-1][0]} if more else None)

    def get_snapshot(self, period: str) -> Snapshot | None:
        return self.snapshots.get(period)

    def get_snapshots(self, periods: Sequence[str]) -> dict[str, Snapshot]:
        return {p: self.snapshots[p] for p in periods if p in self.snapshots}

    def put_snapshot(self, snapshot: Snapshot) -> bool:
        if snapshot.period in self.snapshots:
            return False
        self.snapshots[snapshot.period] = snapshot
        return True

    def get_weights(self) -> Weights | None:
        return self.weights

    def put_weights(self, weights: Weights, *, expected_version: int) -> None:
        if (self.weights.version if self.weights else 0) != expected_version:
            raise ConcurrentModification("weights")
        self.weights = weights
        self.weights_history.append(weights)
