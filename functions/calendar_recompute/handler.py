"""Recomputes the due dates of every open case after an edit of the city calendar.

Triggered by `CalendarChanged` events on the domain bus (source "sunlight.approval"), which the
API publishes when an administrator sets or removes a day. Deterministic and idempotent: a
repeated or retried event changes nothing twice, so delivery may be at least once. Also accepts
the same events wrapped in SQS records (e.g. from a delay queue between the bus and this
function, for a second pass once every container's calendar cache has expired).
"""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import CalendarRecomputeSettings, require_environment
from sunlight.models.calendar import CALENDAR_CHANGED, CalendarChangedV1
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = CalendarRecomputeSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


class RecomputeIncomplete(Exception):
    """Some cases kept changing under the recompute: raise so the event is retried."""


def calendar_changes(event: dict) -> list[CalendarChangedV1]:
    """The CalendarChanged details of an EventBridge event, or of SQS records holding them."""
    envelopes = [json.loads(record["body"]) for record in event["Records"]] if "Records" in event else [event]
    changes = []
    for envelope in envelopes:
        detail_type = envelope.get("detail-type", CALENDAR_CHANGED)
        if detail_type != CALENDAR_CHANGED:
            raise ValueError(f"not a {CALENDAR_CHANGED} event: {detail_type}")
        changes.append(CalendarChangedV1.model_validate(envelope["detail"]))
    return changes


def handle_calendar_changed(event: dict) -> dict:
    """Recompute every open case's deadlines with the calendar as stored now; returns the counts."""
    changes = calendar_changes(event)
    since = min(change.since for change in changes)
    logger.info(
        "calendar changed",
        extra={"changes": [c.model_dump(mode="json") for c in changes], "since": since.isoformat()},
    )
    services = container()
    report = services.calendar_service.recompute_open_deadlines(since=since, workers=services.cases.alarm_shards())
    result = report.summary().model_dump(mode="json")
    logger.info("open deadlines recomputed", extra=result)
    if report.failed:
        raise RecomputeIncomplete(f"{len(report.failed)} cases kept changing: {list(report.failed)[:20]}")
    return result


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    result = handle_calendar_changed(event)
    metrics.add_metric(name="CalendarRecomputeChecked", unit=MetricUnit.Count, value=result["checked"])
    metrics.add_metric(name="CalendarRecomputeChanged", unit=MetricUnit.Count, value=result["changed"])
    return result
