"""The exchange's sender (数据交换发送): the FIFO queue's consumer. Each message is signed and POSTed
to the higher-level platform; its acknowledgement is recorded. A message not acknowledged stays on
the queue (a partial-batch response names it) and comes back after an exponential backoff; after the
queue's maxReceiveCount it goes to the dead-letter queue (redrive: python -m infra.tools.exchange_redrive)."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import ExchangeSendSettings, require_environment
from sunlight.services.exchange import NOT_DELIVERED, QueuedDelivery

logger = Logger()
SETTINGS = ExchangeSendSettings  # what its environment must hold, checked on its first invocation


def _delivery(record: dict) -> QueuedDelivery:
    attributes = record.get("attributes", {})
    return QueuedDelivery(record_id=record["messageId"], receipt_handle=record["receiptHandle"], body=record["body"],
                          receive_count=int(attributes.get("ApproximateReceiveCount", "1")),
                          group_id=attributes.get("MessageGroupId", ""))


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    outcomes = container().exchange_sender.deliver_batch([_delivery(r) for r in event.get("Records", [])])
    for outcome in outcomes:
        log = logger.warning if outcome.result in NOT_DELIVERED else logger.info
        log("exchange delivery", extra={"message_id": outcome.message_id, "result": outcome.result, "detail": outcome.detail})
    # ReportBatchItemFailures: the records named here stay on the queue; the others are deleted.
    return {"batchItemFailures": [{"itemIdentifier": o.record_id} for o in outcomes if o.result in NOT_DELIVERED]}
