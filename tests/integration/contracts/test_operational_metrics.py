"""Contract of the operational metrics reader against its fake and the CloudWatch adapter in moto.
A point is written as the `operational_metrics` function emits it: once under the department's
dimension and once under the city-wide scope; each test uses a metric window of its own."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from infra import constants
from sunlight.adapters.cloudwatch_metrics import CloudWatchOperationalMetrics
from sunlight.models.monitoring import CITY_SCOPE, DEPARTMENT_DIMENSION, SCOPE_DIMENSION, OperationalMetric
from sunlight.services.ports import OperationalMetricsReader
from tests.fakes.monitoring import InMemoryMetrics

from .conftest import IMPLEMENTATIONS

_DAYS = itertools.count()
RECEIVED, OVERDUE, YELLOW = OperationalMetric.CASES_RECEIVED, OperationalMetric.CASES_OVERDUE, OperationalMetric.YELLOW_CARDS


@dataclass
class Metrics:
    reader: OperationalMetricsReader
    add: Callable[[OperationalMetric, str, datetime, float], None]


@pytest.fixture(params=IMPLEMENTATIONS)
def metrics(request) -> Metrics:
    if request.param == "fake":
        fake = InMemoryMetrics()
        return Metrics(fake, fake.add)
    request.getfixturevalue("aws_resources")
    client = boto3.client("cloudwatch")

    def put(metric: OperationalMetric, department_id: str, at: datetime, value: float) -> None:
        client.put_metric_data(Namespace=constants.METRICS_NAMESPACE, MetricData=[
            {"MetricName": metric.value, "Dimensions": [{"Name": DEPARTMENT_DIMENSION, "Value": department_id}],
             "Timestamp": at, "Value": value, "Unit": "Count"},
            {"MetricName": metric.value, "Dimensions": [{"Name": SCOPE_DIMENSION, "Value": CITY_SCOPE}],
             "Timestamp": at, "Value": value, "Unit": "Count"},
        ])

    return Metrics(CloudWatchOperationalMetrics(client, constants.METRICS_NAMESPACE), put)


@pytest.fixture
def day() -> datetime:
    """A day (UTC midnight) with the day after it that no other test of the module writes metrics
    in (each test goes back 5 days further)."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2 + 5 * next(_DAYS))


def test_sums_per_department_and_city_wide_within_the_window(metrics, day):
    metrics.add(RECEIVED, "market", day + timedelta(hours=1), 2)
    metrics.add(RECEIVED, "market", day + timedelta(hours=5), 3)
    metrics.add(RECEIVED, "planning", day + timedelta(hours=2), 4)
    metrics.add(YELLOW, "planning", day + timedelta(hours=3), 1)
    metrics.add(RECEIVED, "market", day - timedelta(hours=1), 100)  # the day before: outside the window
    sums = metrics.reader.sums(day, day + timedelta(days=1), [RECEIVED, YELLOW, OVERDUE], ["market", "planning"], city=True)
    assert sums == {"market": {RECEIVED: 5}, "planning": {RECEIVED: 4, YELLOW: 1}, None: {RECEIVED: 9, YELLOW: 1}}


def test_only_the_departments_and_metrics_asked_for(metrics, day):
    metrics.add(RECEIVED, "market", day + timedelta(hours=1), 2)
    metrics.add(YELLOW, "market", day + timedelta(hours=1), 1)
    metrics.add(RECEIVED, "police", day + timedelta(hours=2), 7)
    sums = metrics.reader.sums(day, day + timedelta(days=1), [RECEIVED], ["market", "tax"], city=False)
    assert sums == {"market": {RECEIVED: 2}}  # no data reads as absent (zero), the city only when asked
    assert metrics.reader.sums(day + timedelta(days=1), day + timedelta(days=2), [RECEIVED], ["market"], city=True) == {}
