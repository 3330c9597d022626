from __future__ import annotations

import os

import boto3
import pytest
from moto import mock_aws

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture
def aws_credentials(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


@pytest.fixture
def aws_resources(aws_credentials):
    """Tables, bucket and bus as the stack defines them (TEMPORARY: hand-made until provisioning from the template)."""
    with mock_aws():
        ddb = boto3.client("dynamodb")
        string = lambda *names: [{"AttributeName": n, "AttributeType": "S"} for n in names]  # noqa: E731
        keys = lambda h, r: [{"AttributeName": h, "KeyType": "HASH"}, {"AttributeName": r, "KeyType": "RANGE"}]  # noqa: E731
        ddb.create_table(
            TableName="cases", BillingMode="PAY_PER_REQUEST", KeySchema=keys("pk", "sk"),
            AttributeDefinitions=string("pk", "sk", "worklist_pk", "worklist_sk", "applicant_pk", "applicant_sk"),
            GlobalSecondaryIndexes=[
                {"IndexName": "worklist", "KeySchema": keys("worklist_pk", "worklist_sk"), "Projection": {"ProjectionType": "ALL"}},
                {"IndexName": "by-applicant", "KeySchema": keys("applicant_pk", "applicant_sk"), "Projection": {"ProjectionType": "ALL"}},
            ],
        )
        boto3.client("s3").create_bucket(Bucket="attachments")
        boto3.client("events").create_event_bus(Name="domain")
        yield {"CasesTableName": "cases", "AttachmentsBucketName": "attachments", "EventBusName": "domain"}
