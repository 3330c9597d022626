"""Operational metrics (实时监控): every domain event that counts for the inspectors' live view
(cases received, completed, closed late; warnings and cards by level; complaints, ratings,
supervision orders) becomes CloudWatch metrics per department and city-wide, as EMF in this
function's log. Subscribed on the domain bus beside the evaluation consumer (fan-out)."""

from __future__ import annotations

from typing import Any, cast

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.config import OperationalMetricsSettings, require_environment
from sunlight.observability import flush_operational_metrics
from sunlight.rules.operational_metrics import metrics_of

logger = Logger()
SETTINGS = OperationalMetricsSettings  # what its environment must hold, checked on its first invocation


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    envelope = EventBridgeModel.model_validate(event)
    detail = cast(dict[str, Any], envelope.detail)  # a JSON object (the parser types it as dict or model)
    logger.append_keys(detail_type=envelope.detail_type, event_id=detail.get("event_id"))
    batch = metrics_of(envelope.detail_type, detail)
    if batch is None:
        return {"detailType": envelope.detail_type, "metrics": {}}
    flush_operational_metrics(batch)
    return {
        "detailType": envelope.detail_type,
        "department": batch.department_id,
        "metrics": {metric.value: value for metric, value in batch.values.items()},
    }
