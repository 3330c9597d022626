"""SQS → Lambda event source mappings, polled as Lambda polls them.

moto invokes a mapped function inside `send_message` (synchronously, in the sender's request), deletes
the whole batch when the invocation returns, and makes it visible again at once when it fails: no
visibility timeout, no partial-batch responses, and a failed message waits for the next send. Here
moto's inline trigger is switched off and a thread per mapping receives (honouring FIFO groups,
visibility timeouts and the redrive policy, which moto implements on receive), invokes the function
with Lambda's SQS event, and deletes what the function did not name in `batchItemFailures`
(ReportBatchItemFailures, which the template sets: moto does not keep FunctionResponseTypes); on a
function error nothing is deleted.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

import boto3

from infra.local.engine.lambda_dispatch import LambdaDispatcher

log = logging.getLogger(__name__)

WAIT_SECONDS = 1


def disable_moto_inline_triggers(account_id: str, region: str) -> None:
    from moto.sqs.models import sqs_backends

    for queue in sqs_backends[account_id][region].queues.values():
        queue.lambda_event_source_mappings.clear()


def _record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"], "body": message["Body"],
        "attributes": message.get("Attributes", {}), "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs", "eventSourceARN": queue_arn, "awsRegion": region,
    }


class SqsPoller:
    def __init__(self, session: boto3.Session, moto_url: str, dispatcher: LambdaDispatcher, mapping: dict[str, Any]) -> None:
        self.sqs = session.client("sqs", endpoint_url=moto_url)
        self.dispatcher = dispatcher
        self.mapping = mapping
        self.queue_arn = mapping["EventSourceArn"]
        self.region = self.queue_arn.split(":")[3]
        self.queue_url = self.sqs.get_queue_url(QueueName=self.queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sqs-{self.queue_arn.rsplit(':', 1)[-1]}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=WAIT_SECONDS + 35)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # the poller must keep going, as Lambda's does
                log.exception("polling %s failed", self.queue_arn)
                self._stop.wait(1)

    def poll_once(self) -> int:
        """Receives one batch and hands it to the function; returns how many messages it received."""
        answer = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=int(self.mapping.get("BatchSize") or 10),
                                          AttributeNames=["All"], MessageAttributeNames=["All"], WaitTimeSeconds=WAIT_SECONDS)
        messages = answer.get("Messages", [])
        if not messages or self._stop.is_set():
            return 0
        event = {"Records": [_record(m, self.queue_arn, self.region) for m in messages]}
        result = self.dispatcher.invoke(self.mapping["FunctionArn"], event)
        if result.function_error:
            return len(messages)  # nothing deleted: the batch comes back after its visibility timeout
        payload = result.json()
        failures = payload.get("batchItemFailures") if isinstance(payload, dict) else None
        failed = {f.get("itemIdentifier") for f in failures or [] if isinstance(f, dict)}
        for message in messages:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)


def start_sqs_pollers(session: boto3.Session, moto_url: str, dispatcher: LambdaDispatcher, account_id: str,
                      region: str) -> list[SqsPoller]:
    """A poller per SQS event source mapping of a locally runnable function."""
    disable_moto_inline_triggers(account_id, region)
    client = session.client("lambda", endpoint_url=moto_url)
    pollers = []
    for mapping in client.list_event_source_mappings().get("EventSourceMappings", []):
        arn = mapping.get("EventSourceArn", "")
        spec = dispatcher.spec_for(mapping.get("FunctionArn", ""))
        if ":sqs:" not in arn or spec is None or not dispatcher.runnable(spec) or mapping.get("State") == "Disabled":
            continue
        poller = SqsPoller(session, moto_url, dispatcher, mapping)
        poller.start()
        pollers.append(poller)
    return pollers
