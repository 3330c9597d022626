"""The anomaly check (异常预警): every CaseTransitioned event on the domain bus goes through the
anomaly rules of its item; each hit is a warning to the inspectors. Delivery is at least once;
a re-delivered event issues nothing twice."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import AnomalyCheckSettings, require_environment
from sunlight.models.events import CaseTransitionedV1
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = AnomalyCheckSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


class CaseTransitionedEvent(EventBridgeModel):
    """The EventBridge envelope of a `CaseTransitioned` event."""

    detail: CaseTransitionedV1


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    transition = CaseTransitionedEvent.model_validate(event).detail
    logger.append_keys(case_id=transition.case_id, event_id=transition.event_id, action=transition.action)
    warnings = container().anomalies.check(transition)
    metrics.add_metric(name="AnomaliesDetected", unit=MetricUnit.Count, value=len(warnings))
    for warning in warnings:
        logger.info("anomaly warning issued", extra={"warning_id": warning.warning_id, "rule": warning.rule})
    return {
        "caseId": transition.case_id,
        "eventId": transition.event_id,
        "anomalies": len(warnings),
        "warningIds": [w.warning_id for w in warnings],
    }
