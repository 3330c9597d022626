"""Operational metrics (实时监控): the daily figures of the inspectors' live overview, read back
from the metrics the `operational_metrics` function emits (see adapters/cloudwatch_metrics.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sunlight.models.monitoring import OperationalMetric


class OperationalMetricsReader(Protocol):
    def sums(
        self, start: datetime, end: datetime, metrics: Sequence[OperationalMetric], department_ids: Sequence[str], *, city: bool
    ) -> dict[str | None, dict[OperationalMetric, float]]:
        """The sum of each metric over [start, end) for each department (keyed by its id) and,
        if `city`, city-wide (keyed None). Metrics without data are absent (zero). Raises
        Unavailable when the metrics store cannot be read."""
