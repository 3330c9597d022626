"""SQS → Lambda event source mappings, polled as Lambda polls them.

moto invokes a mapped function inside `send_message` (synchronously, in the sender's request), deletes
the whole batch when the invocation returns, and makes it visible again at once when it fails: no
visibility timeout, no partial-batch responses, and a failed message waits for the next send. Here
moto's inline trigger is switched off and a thread per mapping receives (honouring FIFO groups,
visibility timeouts and the redrive policy, which moto implements on receive), invokes the function
with Lambda's SQS event, and deletes what the function did not name in `batchItemFailures`
(ReportBatchItemFailures, which the template sets: moto does not keep FunctionResponseTypes); on a
function error nothing is deleted.

Concurrency: a mapping has one poller thread unless `concurrency` asks for more (as Lambda runs up to
one invocation per active message group of a FIFO queue, or several batches of a standard one at
once). The threads take turns to receive (moto's FIFO receive does not lock a message group against a
concurrent receive: two at once could hand out two messages of one group) and invoke the function side
by side; a group's next message still waits until its previous one is deleted or times out. While
another thread's batch is in flight a thread does not long-poll (moto's receive spins through the queue
while the only visible messages are in that batch's groups): it receives without waiting, and on
nothing waits for a batch to finish.
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
    def __init__(self, session: boto3.Session, moto_url: str, dispatcher: LambdaDispatcher, mapping: dict[str, Any],
                 concurrency: int = 1) -> None:
        self.sqs = session.client("sqs", endpoint_url=moto_url)
        self.dispatcher = dispatcher
        self.mapping = mapping
        self.queue_arn = mapping["EventSourceArn"]
        self.region = self.queue_arn.split(":")[3]
        self.queue_url = self.sqs.get_queue_url(QueueName=self.queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
        self._stop = threading.Event()
        self._receiving = threading.Lock()  # one receive at a time (module docstring)
        self._finished = threading.Condition()  # notified when a batch is done with
        self._in_flight = 0
        name = f"sqs-{self.queue_arn.rsplit(':', 1)[-1]}"
        self._threads = [threading.Thread(target=self._run, name=f"{name}-{n}", daemon=True) for n in range(max(1, concurrency))]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=WAIT_SECONDS + 35)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # the poller must keep going, as Lambda's does
                log.exception("polling %s failed", self.queue_arn)
                self._stop.wait(1)

    def poll_once(self) -> int:
        """Receives one batch and hands it to the function; returns how many messages it received."""
        with self._receiving:
            with self._finished:
                others_in_flight = self._in_flight > 0
            answer = self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=int(self.mapping.get("BatchSize") or 10),
                                              AttributeNames=["All"], MessageAttributeNames=["All"],
                                              WaitTimeSeconds=0 if others_in_flight else WAIT_SECONDS)
            messages = answer.get("Messages", [])
            if messages:
                with self._finished:
                    self._in_flight += 1
        if not messages:
            if others_in_flight:
                with self._finished:
                    self._finished.wait(WAIT_SECONDS)
            return 0
        try:
            if self._stop.is_set():
                return 0
            return self._handle(messages)
        finally:
            with self._finished:
                self._in_flight -= 1
                self._finished.notify_all()

    def _handle(self, messages: list[dict[str, Any]]) -> int:
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
                      region: str, concurrency: int = 1) -> list[SqsPoller]:
    """A poller per SQS event source mapping of a locally runnable function, each with `concurrency`
    threads (see the module docstring)."""
    disable_moto_inline_triggers(account_id, region)
    client = session.client("lambda", endpoint_url=moto_url)
    pollers = []
    for mapping in client.list_event_source_mappings().get("EventSourceMappings", []):
        arn = mapping.get("EventSourceArn", "")
        spec = dispatcher.spec_for(mapping.get("FunctionArn", ""))
        if ":sqs:" not in arn or spec is None or not dispatcher.runnable(spec) or mapping.get("State") == "Disabled":
            continue
        poller = SqsPoller(session, moto_url, dispatcher, mapping, concurrency)
        poller.start()
        pollers.append(poller)
    return pollers
