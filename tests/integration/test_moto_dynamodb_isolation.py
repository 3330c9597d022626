"""moto restores a deep copy of its tables when a transaction's condition fails, so writes other
threads made meanwhile vanish (a case created while another transaction fails was read back as
missing in a local-system run), and the copy itself fails with an internal error while another
thread writes. The local runner's moto fix isolates each DynamoDB call."""

from __future__ import annotations

import threading

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local.engine.moto_fixes import install_moto_fixes, uninstall_moto_fixes

WRITES = 300


def _lost_writes_and_errors() -> tuple[int, list[str]]:
    client = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    client.create_table(TableName="t", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for n in range(3000):  # a table worth copying: the copy takes a while
        client.put_item(TableName="t", Item={"pk": {"S": f"old-{n}"}, "doc": {"S": "x" * 200}})
    done = threading.Event()
    errors: list[str] = []

    def failing_transactions() -> None:
        while not done.is_set():
            try:
                client.transact_write_items(TransactItems=[
                    {"Put": {"TableName": "t", "Item": {"pk": {"S": "never"}}, "ConditionExpression": "attribute_exists(pk)"}},
                ])
            except client.exceptions.TransactionCanceledException:
                pass  # the condition failed, as it should
            except (RuntimeError, ClientError) as error:  # moto's copy of a table another thread writes to
                errors.append(repr(error))

    failing = [threading.Thread(target=failing_transactions) for _ in range(2)]
    for thread in failing:
        thread.start()
    try:
        for n in range(WRITES):
            client.put_item(TableName="t", Item={"pk": {"S": f"new-{n}"}})
    finally:
        done.set()
        for thread in failing:
            thread.join()
    lost = sum(client.get_item(TableName="t", Key={"pk": {"S": f"new-{n}"}}).get("Item") is None for n in range(WRITES))
    return lost, errors


@pytest.fixture
def moto_fixes():
    install_moto_fixes()
    yield
    uninstall_moto_fixes()


def test_a_failing_transaction_loses_no_write_made_beside_it(moto_fixes):
    with mock_aws():
        lost, errors = _lost_writes_and_errors()
    assert (lost, errors[:3]) == (0, [])
