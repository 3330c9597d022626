"""Handler metrics: the namespace is read when metrics are flushed, not when a module is imported
(the cause of "SchemaValidationError: Must contain a metric namespace" under pytest-xdist)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sunlight.observability import handler_metrics, invocation_metrics

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def flushed(metrics, capsys) -> dict:
    metrics.flush_metrics()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_a_metrics_object_made_before_the_namespace_is_set_flushes_into_it(monkeypatch, capsys):
    monkeypatch.delenv("POWERTOOLS_METRICS_NAMESPACE", raising=False)
    metrics = handler_metrics()  # as at import time
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "SetLater")
    metrics.add_metric(name="Things", unit="Count", value=1)
    assert flushed(metrics, capsys)["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "SetLater"


def test_without_any_namespace_the_stack_default_is_used(monkeypatch, capsys):
    monkeypatch.delenv("POWERTOOLS_METRICS_NAMESPACE", raising=False)
    metrics = handler_metrics()
    metrics.add_metric(name="Things", unit="Count", value=1)
    assert flushed(metrics, capsys)["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Sunlight"


def test_an_explicit_namespace_wins(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "FromEnv")
    metrics = handler_metrics(namespace="Explicit")
    metrics.add_metric(name="Things", unit="Count", value=1)
    assert flushed(metrics, capsys)["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Explicit"


def test_invocation_metrics_do_not_share_their_sets(capsys):
    shared, own = handler_metrics(), invocation_metrics()
    own.add_metric(name="Mine", unit="Count", value=1)
    own.add_dimension(name="Department", value="market")
    assert "Mine" not in shared.metric_set and "Department" not in shared.dimension_set
    assert flushed(own, capsys)["Department"] == "market"


def test_no_handler_constructs_powertools_metrics_directly():
    offenders = [str(p.relative_to(FUNCTIONS)) for p in FUNCTIONS.glob("*/*.py") if re.search(r"\bMetrics\(", p.read_text())]
    assert offenders == []
