"""A function whose environment lacks what its settings require stops at its first invocation,
naming the variables, before any use case runs (sunlight/config.py)."""

from __future__ import annotations

import pytest

from sunlight.bootstrap import container
from sunlight.config import DeadlineCheckSettings, SettingsMissing, require_environment

DEADLINE_CHECK_ENVIRONMENT = {
    "CASES_TABLE_NAME": "cases", "CATALOG_TABLE_NAME": "catalog", "SUPERVISION_TABLE_NAME": "supervision",
    "EVENT_BUS_NAME": "bus", "FLOW_STATE_MACHINES": '{"standard": "arn:flow"}', "REMINDER_TOPIC_ARN": "arn:reminder",
    "YELLOW_CARD_TOPIC_ARN": "arn:yellow", "RED_CARD_TOPIC_ARN": "arn:red", "ANOMALY_TOPIC_ARN": "arn:anomaly",
}


class Context:
    function_name = "DeadlineCheckFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:DeadlineCheckFunction"
    aws_request_id = "test-request"


@pytest.fixture
def environment(monkeypatch):
    for key in DeadlineCheckSettings.keys():
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    require_environment.cache_clear()
    container.cache_clear()
    yield monkeypatch
    require_environment.cache_clear()
    container.cache_clear()


def test_the_deadline_check_without_its_event_bus_stops_before_sweeping(environment):
    from deadline_check import handler

    for key, value in DEADLINE_CHECK_ENVIRONMENT.items():
        if key != "EVENT_BUS_NAME":  # once, a missing bus silently disabled publishing
            environment.setenv(key, value)
    with pytest.raises(SettingsMissing, match="DeadlineCheckSettings: .*EVENT_BUS_NAME: missing"):
        handler.handler({"source": "aws.events"}, Context())
    assert container.cache_info().currsize == 0  # no use case was built


def test_settings_are_read_once_per_container_from_the_process_environment(environment):
    for key, value in DEADLINE_CHECK_ENVIRONMENT.items():
        environment.setenv(key, value)
    settings = require_environment(DeadlineCheckSettings)
    assert isinstance(settings, DeadlineCheckSettings) and settings.event_bus == "bus"
    assert require_environment(DeadlineCheckSettings) is settings  # checked at cold start, not per invocation


def test_the_monthly_close_logs_each_period_it_closed(monkeypatch):
    """The close's log line names whether the period was created; a key the logging module owns
    (`created` is a LogRecord attribute) would make it raise after the snapshots were stored."""
    from types import SimpleNamespace

    from evaluation_close import handler

    closed = SimpleNamespace(period="2026-11", created=True, snapshot=SimpleNamespace(departments=[1, 2]))
    monkeypatch.setattr(handler, "require_environment", lambda settings: None)
    monkeypatch.setattr(handler, "container", lambda: SimpleNamespace(evaluation=SimpleNamespace(close_due=lambda: [closed])))
    assert handler.handler({}, Context()) == {"closed": [{"period": "2026-11", "created": True}]}
