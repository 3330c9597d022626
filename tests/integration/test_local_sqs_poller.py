"""The local runner's SQS event source mapping (infra/local/engine/sqs_pollers.py): what the function
does not name in batchItemFailures is deleted, what it names comes back after its visibility timeout,
a function error deletes nothing, and moto's redrive policy moves a message to the DLQ on receive."""

from __future__ import annotations

import json
import threading
import time

import boto3
import pytest
from moto import mock_aws

from infra.local.engine.lambda_dispatch import InvocationResult
from infra.local.engine.sqs_pollers import SqsPoller


class Dispatcher:
    def __init__(self, answer):
        self.answer = answer
        self.events: list[dict] = []

    def invoke(self, name, event, invocation_type="RequestResponse"):
        self.events.append(event)
        return self.answer(event)


@pytest.fixture
def queue(aws_credentials):
    with mock_aws():
        sqs = boto3.client("sqs")
        dlq = sqs.create_queue(QueueName="d.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        url = sqs.create_queue(QueueName="q.fifo", Attributes={
            "FifoQueue": "true", "VisibilityTimeout": "30",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        yield sqs, url, dlq, arn


def _poller(sqs_queue, answer, batch=10):
    sqs, url, dlq, arn = sqs_queue
    dispatcher = Dispatcher(answer)
    poller = SqsPoller(boto3.Session(), None, dispatcher, {"EventSourceArn": arn, "FunctionArn": "f", "BatchSize": batch})  # type: ignore[arg-type]
    poller.sqs = sqs
    return poller, dispatcher


def _send(sqs, url, *bodies, group="g"):
    for n, body in enumerate(bodies):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=f"{group}{n}", MessageDeduplicationId=body)


def _visible(sqs, url) -> int:
    return int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessages"])


def _in_flight(sqs, url) -> int:
    return int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]["ApproximateNumberOfMessagesNotVisible"])


def test_the_records_named_as_failures_stay_and_the_others_are_deleted(queue):
    sqs, url, _, arn = queue
    _send(sqs, url, "a", "b", "c")

    def fail_b(event):
        failed = [r["messageId"] for r in event["Records"] if r["body"] == "b"]
        return InvocationResult(json.dumps({"batchItemFailures": [{"itemIdentifier": i} for i in failed]}).encode())

    poller, dispatcher = _poller(queue, fail_b)
    assert poller.poll_once() == 3
    record = dispatcher.events[0]["Records"][0]
    assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"] == arn
    assert record["attributes"]["ApproximateReceiveCount"] == "1" and record["attributes"]["MessageGroupId"] == "g0"
    assert _visible(sqs, url) == 0 and _in_flight(sqs, url) == 1  # b waits out its visibility timeout


def test_a_function_error_deletes_nothing(queue):
    sqs, url, _, _ = queue
    _send(sqs, url, "a", "b")
    poller, _ = _poller(queue, lambda event: InvocationResult(b'{"errorMessage": "boom"}', "Unhandled"))
    assert poller.poll_once() == 2
    assert _in_flight(sqs, url) == 2


def test_after_max_receives_the_queue_moves_the_message_to_the_dead_letter_queue(queue):
    sqs, url, dlq, _ = queue
    _send(sqs, url, "a")

    def fail_and_show_again(event):
        for record in event["Records"]:
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=record["receiptHandle"], VisibilityTimeout=0)
        return InvocationResult(json.dumps({"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}).encode())

    poller, dispatcher = _poller(queue, fail_and_show_again)
    poller.poll_once()
    poller.poll_once()
    assert poller.poll_once() == 0  # the third receive moved it
    assert [e["Records"][0]["attributes"]["ApproximateReceiveCount"] for e in dispatcher.events] == ["1", "2"]
    assert _visible(sqs, dlq) == 1


def test_with_concurrency_groups_are_invoked_side_by_side_and_a_group_one_message_at_a_time(queue):
    sqs, url, _, arn = queue
    for body, group in (("a1", "a"), ("b1", "b"), ("a2", "a"), ("b2", "b")):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body)
    spans: dict[str, tuple[float, float]] = {}
    lock = threading.Lock()

    def slow(event):
        started = time.monotonic()
        time.sleep(0.4)
        with lock:
            for record in event["Records"]:
                spans[record["body"]] = (started, time.monotonic())
        return InvocationResult(b"{}")

    dispatcher = Dispatcher(slow)
    poller = SqsPoller(boto3.Session(), None, dispatcher, {"EventSourceArn": arn, "FunctionArn": "f", "BatchSize": 1},  # type: ignore[arg-type]
                       concurrency=2)
    poller.sqs = sqs
    poller.start()
    try:
        deadline = time.monotonic() + 10
        while len(spans) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        poller.stop()
    assert set(spans) == {"a1", "a2", "b1", "b2"}
    assert spans["a1"][0] < spans["b1"][1] and spans["b1"][0] < spans["a1"][1]  # two groups at once
    assert spans["a2"][0] >= spans["a1"][1] and spans["b2"][0] >= spans["b1"][1]  # a group's next waits for its previous
    assert _visible(sqs, url) == 0 and _in_flight(sqs, url) == 0
