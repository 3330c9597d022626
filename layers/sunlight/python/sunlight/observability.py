"""Powertools Metrics for the handlers, with the namespace resolved when metrics are flushed.

Powertools reads POWERTOOLS_METRICS_NAMESPACE when `Metrics()` is constructed, i.e. when a
handler module is imported. A module imported before the variable is set (another test's
import, the local runner's start) then fails every flush with "Must contain a metric
namespace". Here the namespace is read at flush time: explicit argument, else the environment,
else the stack's default, so import order cannot matter.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from .config import DEFAULT_METRICS_NAMESPACE, EnvKeys
from .models.monitoring import MetricBatch

# Operational metrics carry the fact's own time; Powertools warns when that is outside CloudWatch's
# window (14 days back, 2 hours ahead: e.g. the local demo clock moved days ahead). Emitted anyway.
warnings.filterwarnings("ignore", message="This metric doesn't meet the requirements")


def metrics_namespace(explicit: str | None = None) -> str:
    return explicit or os.environ.get(EnvKeys.METRICS_NAMESPACE) or DEFAULT_METRICS_NAMESPACE


class FlushTimeNamespaceProvider(AmazonCloudWatchEMFProvider):
    """The EMF provider of Powertools with `namespace` looked up on every read."""

    def __init__(self, *, namespace: str | None = None, **kwargs: Any) -> None:
        super().__init__(namespace=namespace, **kwargs)
        self._explicit_namespace = namespace

    @property
    def namespace(self) -> str:
        return metrics_namespace(self.__dict__.get("_explicit_namespace"))

    @namespace.setter
    def namespace(self, value: str | None) -> None:
        # The base __init__ assigns the import-time environment here; __init__ then resets it
        # to the explicit argument, so only an explicit value sticks.
        self.__dict__["_explicit_namespace"] = value


def handler_metrics(*, namespace: str | None = None) -> Metrics:
    """What a handler module creates at import time instead of `Metrics()`. Like `Metrics()`, all
    instances share one metric set per process (Powertools' class-level sets), so metrics added
    by code outside the handler module are flushed by the handler's `log_metrics`."""
    metrics = Metrics()
    metrics.provider = FlushTimeNamespaceProvider(
        namespace=namespace,
        metric_set=metrics.metric_set,
        dimension_set=metrics.dimension_set,
        metadata_set=metrics.metadata_set,
        default_dimensions=metrics.default_dimensions,
    )
    return metrics


def invocation_metrics(*, namespace: str | None = None, service: str | None = None) -> Metrics:
    """A Metrics object with sets of its own (not shared with other instances): for metrics whose
    dimensions belong to one invocation, e.g. per department, which must not mix with another
    handler's metrics in a process that runs several at once (the local runner)."""
    return Metrics(provider=FlushTimeNamespaceProvider(
        namespace=namespace, service=service, metric_set={}, dimension_set={}, metadata_set={}, default_dimensions={}
    ))


def flush_operational_metrics(batch: MetricBatch) -> dict[str, Any]:
    """Prints one event's operational metrics as EMF (CloudWatch extracts them from the log),
    under both dimension sets, at the fact's own time. Returns the EMF document."""
    from aws_lambda_powertools.metrics import MetricUnit

    from .models.monitoring import CITY_SCOPE, DEPARTMENT_DIMENSION, SCOPE_DIMENSION, OperationalMetric

    metrics = invocation_metrics(service="")  # no service dimension: exactly the two sets below
    for metric, value in batch.values.items():
        unit = MetricUnit.NoUnit if metric is OperationalMetric.RATING_SCORE else MetricUnit.Count
        metrics.add_metric(name=metric.value, unit=unit, value=value)
    metrics.add_dimension(name=SCOPE_DIMENSION, value=CITY_SCOPE)
    metrics.add_dimensions(**{DEPARTMENT_DIMENSION: batch.department_id})
    metrics.set_timestamp(batch.at)
    document = metrics.serialize_metric_set()
    metrics.flush_metrics()
    return dict(document)
