"""An in-memory OperationalMetricsReader: points (metric, department, time, value) summed per window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sunlight.models.monitoring import OperationalMetric


class InMemoryMetrics:
    def __init__(self) -> None:
        self.points: list[tuple[OperationalMetric, str, datetime, float]] = []
        self.calls: list[dict] = []

    def add(self, metric: OperationalMetric, department_id: str, at: datetime, value: float = 1) -> None:
        self.points.append((metric, department_id, at, value))

    def sums(
        self, start: datetime, end: datetime, metrics: Sequence[OperationalMetric], department_ids: Sequence[str], *, city: bool
    ) -> dict[str | None, dict[OperationalMetric, float]]:
        self.calls.append({"start": start, "end": end, "departments": list(department_ids), "city": city})
        sums: dict[str | None, dict[OperationalMetric, float]] = {}
        for metric, department, at, value in self.points:
            if metric not in metrics or not start <= at < end:
                continue
            scopes = ([department] if department in department_ids else []) + ([None] if city else [])
            for scope in scopes:
                sums.setdefault(scope, {})[metric] = sums.get(scope, {}).get(metric, 0) + value
        return sums
