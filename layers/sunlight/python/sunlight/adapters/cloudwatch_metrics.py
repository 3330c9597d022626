"""The operational metrics, read back from CloudWatch with GetMetricData.

What is read: metrics of the stack's namespace (models/monitoring.py), dimension
`Department={id}` per department and `Scope=city` city-wide, statistic Sum over one period that
spans the requested window (a day). One MetricStat query per (metric, department or city), up to
500 per call (GetMetricData's limit): the city overview of 29 departments and 8 figures is 240
queries in one call. Explicit queries, not SEARCH, so that the same code runs against moto, and
a department without data reads as zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from ..models.monitoring import CITY_SCOPE, DEPARTMENT_DIMENSION, SCOPE_DIMENSION, OperationalMetric
from ..services.errors import Unavailable

MAX_QUERIES_PER_CALL = 500
UNAVAILABLE = "监控数据暂时无法读取，请稍后刷新。"


class CloudWatchOperationalMetrics:
    def __init__(self, client: Any, namespace: str) -> None:
        self._client = client
        self._namespace = namespace

    def sums(
        self, start: datetime, end: datetime, metrics: Sequence[OperationalMetric], department_ids: Sequence[str], *, city: bool
    ) -> dict[str | None, dict[OperationalMetric, float]]:
        scopes: list[str | None] = [*department_ids, *([None] if city else [])]
        wanted = [(scope, metric) for scope in scopes for metric in metrics]
        period = max(60, int((end - start).total_seconds()) // 60 * 60)  # one data point for the window
        sums: dict[str | None, dict[OperationalMetric, float]] = {}
        for first in range(0, len(wanted), MAX_QUERIES_PER_CALL):
            chunk = wanted[first:first + MAX_QUERIES_PER_CALL]
            queries = [self._query(f"q{index}", metric, scope, period) for index, (scope, metric) in enumerate(chunk)]
            for result in self._results(queries, start, end):
                values = result.get("Values") or []
                if values:
                    scope, metric = chunk[int(result["Id"][1:])]
                    sums.setdefault(scope, {})[metric] = sums.get(scope, {}).get(metric, 0.0) + float(sum(values))
        return sums

    def _query(self, query_id: str, metric: OperationalMetric, scope: str | None, period: int) -> dict[str, Any]:
        dimension = {"Name": SCOPE_DIMENSION, "Value": CITY_SCOPE} if scope is None else {"Name": DEPARTMENT_DIMENSION, "Value": scope}
        return {
            "Id": query_id,
            "MetricStat": {
                "Metric": {"Namespace": self._namespace, "MetricName": metric.value, "Dimensions": [dimension]},
                "Period": period,
                "Stat": "Sum",
            },
            "ReturnData": True,
        }

    def _results(self, queries: list[dict[str, Any]], start: datetime, end: datetime) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        token: str | None = None
        try:
            while True:
                response = self._client.get_metric_data(
                    MetricDataQueries=queries, StartTime=start, EndTime=end, **({"NextToken": token} if token else {})
                )
                results.extend(response.get("MetricDataResults", []))
                token = response.get("NextToken")
                if not token:
                    return results
        except (ClientError, BotoCoreError) as error:
            raise Unavailable(UNAVAILABLE) from error
