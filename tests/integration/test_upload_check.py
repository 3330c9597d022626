"""The upload check on moto: the bucket's notification configuration (EventBridge on) comes from the
data stack's template, an object created under uploads/ reaches the check function through the
compute stack's rule (asynchronously, as EventBridge delivers),
and the handler quarantines HTML declared as PDF, records 校验未通过 with the uploader's
notification, and does nothing twice when S3 delivers the same record again."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import boto3
import pytest

from infra import constants
from infra.local.engine.s3_notifications import apply_bucket_notifications, install_lambda_notifications, uninstall_lambda_notifications
from sunlight.bootstrap import container
from sunlight.models.uploads import UploadCheckStatus
from tests.integration.test_handlers import Context

REAL_PDF = (Path(__file__).resolve().parents[1] / "data" / "uploads" / "real.pdf").read_bytes()
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
OWNER = "citizen-sub-1"


@pytest.fixture
def upload_check(aws_resources, monkeypatch):
    """The handler, configured like the deployed function, with the data stack's bucket notifications
    (EventBridge) applied and the rule's deliveries recorded; and the function's ARN."""
    spec = next(s for s in aws_resources.stack.functions.values() if s.handler == constants.UPLOAD_CHECK_HANDLER)
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    data = aws_resources.stack.stacks[constants.DATA_STACK_NAME]
    applied = apply_bucket_notifications(data.template, data.resolver, boto3.client("s3"))
    assert applied == {aws_resources["AttachmentsBucketName"]: {"EventBridgeConfiguration": {}}}
    install_lambda_notifications(aws_resources.delivered)
    container.cache_clear()
    from upload_check import handler

    try:
        yield handler, spec.arn
    finally:
        uninstall_lambda_notifications()
        container.cache_clear()


def put_upload(bucket: str, upload_id: str, body: bytes, *, content_type="application/pdf", name="营业执照 副本.pdf") -> str:
    key = f"uploads/{OWNER}/{upload_id}"
    boto3.client("s3").put_object(
        Bucket=bucket, Key=key, Body=body, ContentType=content_type, Metadata={"file-name": quote(name)}
    )
    return key


def test_html_declared_as_pdf_is_quarantined_marked_failed_and_its_uploader_told(aws_resources, upload_check):
    handler, function_arn = upload_check
    bucket = aws_resources["AttachmentsBucketName"]
    key = put_upload(bucket, "a" * 32, HTML)

    [event] = aws_resources.delivered.to(function_arn)
    assert event["source"] == "aws.s3" and event["detail-type"] == "Object Created"
    assert event["detail"]["object"]["key"] == key
    assert handler.handler(event, Context()) == {"passed": 0, "failed": 1, "skipped": 0}

    s3 = boto3.client("s3")
    assert s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", []) == []  # gone for good
    quarantined = s3.get_object(Bucket=bucket, Key=f"quarantine/{key}")
    assert quarantined["Body"].read() == HTML and quarantined["ContentType"] == "application/pdf"
    verdict = container().upload_checks.get_many([key])[key]
    assert verdict.status is UploadCheckStatus.FAILED and verdict.file_name == "营业执照 副本.pdf"
    assert "网页或脚本" in verdict.reason
    notes, _ = container().notification_repository.for_user(OWNER, limit=10, start_key=None)
    assert [(n.title, n.subject_kind, n.subject_id) for n in notes] == [("上传的文件未通过校验", "upload", "a" * 32)]

    # S3 delivers at least once: the same record again finds nothing left to check.
    assert handler.handler(event, Context()) == {"passed": 0, "failed": 0, "skipped": 1}
    assert len(container().notification_repository.for_user(OWNER, limit=10, start_key=None)[0]) == 1
    # The quarantine copy is not an upload: it raised no notification of its own.
    assert len(aws_resources.delivered.to(function_arn)) == 1


def test_a_real_pdf_passes_and_stays(aws_resources, upload_check):
    handler, function_arn = upload_check
    bucket = aws_resources["AttachmentsBucketName"]
    key = put_upload(bucket, "b" * 32, REAL_PDF)
    [event] = aws_resources.delivered.to(function_arn)
    assert handler.handler(event, Context()) == {"passed": 1, "failed": 0, "skipped": 0}
    assert boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read() == REAL_PDF
    assert container().upload_checks.get_many([key])[key].status is UploadCheckStatus.PASSED


def test_objects_outside_uploads_are_not_delivered(aws_resources, upload_check):
    _, function_arn = upload_check
    boto3.client("s3").put_object(Bucket=aws_resources["AttachmentsBucketName"], Key="exports/report.pdf", Body=HTML)
    assert aws_resources.delivered.to(function_arn) == []


def test_an_empty_file_fails_without_breaking_the_check(aws_resources, upload_check):
    handler, function_arn = upload_check
    key = put_upload(aws_resources["AttachmentsBucketName"], "c" * 32, b"", content_type="image/png", name="照片.png")
    [event] = aws_resources.delivered.to(function_arn)
    assert handler.handler(event, Context()) == {"passed": 0, "failed": 1, "skipped": 0}
    assert container().upload_checks.get_many([key])[key].reason == "文件内容不是PNG 图片。"
