"""The runner's SQS speed-up in moto (infra/local/engine/moto_fixes.py) keeps what a queue reports:
visibility, delays, and the three approximate counts, as they move with sends, receives and deletes."""

from __future__ import annotations

import time

import boto3
import pytest
from moto import mock_aws

from infra.local.engine.moto_fixes import COUNTS_REUSE_SECONDS, install_moto_fixes, uninstall_moto_fixes


@pytest.fixture
def sqs(aws_credentials):
    install_moto_fixes()
    try:
        with mock_aws():
            yield boto3.client("sqs")
    finally:
        uninstall_moto_fixes()


def _counts(sqs, url) -> tuple[int, int, int]:
    time.sleep(COUNTS_REUSE_SECONDS)  # counts are approximate: reused for a moment at most
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (int(attributes["ApproximateNumberOfMessages"]), int(attributes["ApproximateNumberOfMessagesNotVisible"]),
            int(attributes["ApproximateNumberOfMessagesDelayed"]))


def test_counts_visibility_and_delay_follow_sends_receives_and_deletes(sqs):
    url = sqs.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="now")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
    assert _counts(sqs, url) == (1, 0, 1)

    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in received] == ["now"]  # the delayed one is not handed out yet
    assert _counts(sqs, url) == (0, 1, 1)

    time.sleep(1.1)
    assert _counts(sqs, url) == (1, 1, 0)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
    later = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in later] == ["later"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=later[0]["ReceiptHandle"], VisibilityTimeout=0)
    assert _counts(sqs, url) == (1, 0, 0)


def test_uninstalling_puts_moto_back():
    from moto.sqs.models import Message, Queue

    before = (Message.__dict__["visible"], Queue.__dict__["approximate_number_of_messages"])
    install_moto_fixes()
    assert Message.__dict__["visible"] is not before[0]
    uninstall_moto_fixes()
    assert (Message.__dict__["visible"], Queue.__dict__["approximate_number_of_messages"]) == before
