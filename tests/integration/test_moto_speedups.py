"""The runner's speed-ups in moto (infra/local/engine/moto_fixes.py) keep what moto answers: a queue's
visibility, delays and three approximate counts as they move with sends, receives and deletes; an
index query's items, order and pages."""

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


def _index_pages(dynamodb, entity: str, forward: bool) -> list[list[str]]:
    pages, request = [], {"TableName": "t", "IndexName": "entity", "Limit": 2, "ScanIndexForward": forward,
                          "KeyConditionExpression": "entity_pk = :e AND entity_sk BETWEEN :a AND :b",
                          "ExpressionAttributeValues": {":e": {"S": entity}, ":a": {"S": "0"}, ":b": {"S": "9"}}}
    while True:
        page = dynamodb.query(**request)
        pages.append([item["pk"]["S"] for item in page["Items"]])
        if "LastEvaluatedKey" not in page:
            return pages
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_an_index_query_answers_the_same_items_order_and_pages(aws_credentials):
    answers = []
    for fixed in (False, True):
        if fixed:
            install_moto_fixes()
        try:
            with mock_aws():
                dynamodb = boto3.client("dynamodb")
                dynamodb.create_table(
                    TableName="t", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "entity_pk", "entity_sk")],
                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    GlobalSecondaryIndexes=[{"IndexName": "entity", "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
                        {"AttributeName": "entity_pk", "KeyType": "HASH"}, {"AttributeName": "entity_sk", "KeyType": "RANGE"}]}])
                for n in (5, 1, 4, 2, 3, 6, 0):  # written out of order, one entity's items among another's
                    dynamodb.put_item(TableName="t", Item={"pk": {"S": f"MSG#{n}"}, "sk": {"S": "MSG"},
                                                           "entity_pk": {"S": f"ENTITY#{n % 2}"}, "entity_sk": {"S": f"{7 - n:012d}"}})
                dynamodb.put_item(TableName="t", Item={"pk": {"S": "COUNT#1"}, "sk": {"S": "x"}})  # not in the index
                answers.append([_index_pages(dynamodb, entity, forward) for entity in ("ENTITY#0", "ENTITY#1", "ENTITY#9")
                                for forward in (True, False)])
                scan = [item["pk"]["S"] for item in dynamodb.scan(TableName="t")["Items"]]
                answers.append(scan)
        finally:
            if fixed:
                uninstall_moto_fixes()
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert answers[0][0] == [["MSG#6", "MSG#4"], ["MSG#2", "MSG#0"]]  # lowest entity_sk first, two a page
