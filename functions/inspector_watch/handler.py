"""The daily inspector watch: flags inspectors who are idle or leave warnings unhandled."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import InspectorWatchSettings, require_environment
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = InspectorWatchSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    report = container().inspector_watch.run()
    if report.flagged:
        metrics.add_metric(name="InspectorsFlagged", unit=MetricUnit.Count, value=len(report.flagged))
    logger.info("inspector watch", extra=report.model_dump())
    return report.model_dump()
