"""Anchors the inspector log's head outside the log (监察日志外部锚点), on a schedule: writes it
to the anchors bucket (Object Lock) and publishes InspectorLogAnchored (sent upward as log_head)."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import LogAnchorSettings, require_environment
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = LogAnchorSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    anchor = container().log_anchor.anchor()
    logger.info("inspector log anchored", extra={"head_sequence": anchor.head_sequence, "anchor_key": anchor.anchor_key})
    return anchor.model_dump(mode="json")
