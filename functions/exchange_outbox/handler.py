"""The exchange's outbox (数据交换发件箱): each bus fact the higher-level platform takes becomes one
message, stored once in the Exchange table and queued in its case's FIFO group. EventBridge delivers
at least once: a redelivered fact finds its message stored and is not counted again."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from sunlight.bootstrap import container
from sunlight.config import ExchangeOutboxSettings, require_environment

logger = Logger()
SETTINGS = ExchangeOutboxSettings  # what its environment must hold, checked on its first invocation


class DomainEvent(EventBridgeModel):
    detail: dict[str, Any]


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    envelope = DomainEvent.model_validate(event)
    logger.append_keys(detail_type=envelope.detail_type, event_id=envelope.detail.get("event_id"))
    try:
        outcome = container().exchange_outbox.handle(envelope.detail_type, envelope.detail)
    except ValidationError as error:
        # A retry cannot repair a malformed fact: log what was wrong and drop it.
        logger.error("malformed fact not exchanged", extra={"errors": error.errors(include_url=False)})
        return {"result": "rejected"}
    logger.info("exchange outbox", extra={"result": outcome.result, "message_id": outcome.message_id,
                                          "message_type": outcome.message_type})
    return {"result": outcome.result, "message_id": outcome.message_id}
