"""The evaluation consumer (绩效评估数据采集): every CaseTransitioned event and every evaluation fact
(cards, complaints, ratings, supervision orders) on the domain bus is counted, exactly once, into
its department's monthly figures. Delivery is at least once; a redelivered event counts once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from sunlight.bootstrap import container
from sunlight.config import EvaluationSettings, require_environment

logger = Logger()
SETTINGS = EvaluationSettings  # what its environment must hold, checked on its first invocation


class DomainEvent(EventBridgeModel):
    """Any event of the domain bus; its detail is validated by the fact service per detail-type."""

    detail: dict[str, Any]


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    envelope = DomainEvent.model_validate(event)
    detail_type = envelope.detail_type
    logger.append_keys(detail_type=detail_type, event_id=envelope.detail.get("event_id"))
    try:
        outcome = container().evaluation_facts.handle(detail_type, envelope.detail)
    except ValidationError as error:
        # A retry cannot repair a malformed event: log it (with what was wrong) and drop it.
        logger.error("malformed evaluation event dropped", extra={"errors": error.errors(include_url=False)})
        return {"result": "rejected"}
    fact = outcome.fact
    logger.info("evaluation fact", extra={"result": outcome.result, "metrics": list(fact.metrics) if fact else [],
                                          "department": fact.department_id if fact else None, "month": fact.month if fact else None})
    return {"result": outcome.result, "metrics": list(fact.metrics) if fact else []}
