"""Checks each upload's content once it lands in S3 (上传文件校验).

Triggered by the attachments bucket's "Object Created" events for `uploads/`, which the bucket
sends to EventBridge and a rule hands to this function (CDK: infra/constructs/upload_check.py);
S3 notification records (the shape of a direct bucket notification) are read too. Each record's object is read and judged by the content
inspectors (services/upload_check.py); a failure is quarantined and marked 校验未通过. S3 may
deliver a notification more than once: a repeated record finds the verdict or nothing to move.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import UploadCheckSettings, require_environment
from sunlight.models.uploads import UploadCheckStatus
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = UploadCheckSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


OBJECT_CREATED = "Object Created"  # the detail-type of S3's EventBridge event for a new object


def object_keys(event: dict, bucket: str) -> list[str]:
    """The keys of the new objects of this bucket: one EventBridge "Object Created" event, or
    ObjectCreated notification records (S3 URL-encodes keys there, spaces as '+')."""
    if event.get("source") == "aws.s3":
        detail = event.get("detail") or {}
        name = (detail.get("bucket") or {}).get("name")
        if event.get("detail-type") != OBJECT_CREATED:
            return []
        if name != bucket:
            logger.warning("event of another bucket ignored", extra={"bucket": name})
            return []
        return [detail["object"]["key"]]
    keys = []
    for record in event.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        if record["s3"]["bucket"]["name"] != bucket:
            logger.warning("record of another bucket ignored", extra={"bucket": record["s3"]["bucket"]["name"]})
            continue
        keys.append(unquote_plus(record["s3"]["object"]["key"]))
    return keys


def handle_uploads(event: dict) -> dict[str, int]:
    services = container()
    counts = {status.value: 0 for status in UploadCheckStatus if status is not UploadCheckStatus.CHECKING}
    counts["skipped"] = 0
    for key in object_keys(event, services.settings.attachments_bucket):
        status = services.upload_check.check(key)
        counts[status.value if status else "skipped"] += 1
        if status is UploadCheckStatus.FAILED:
            logger.warning("upload failed its content check and was quarantined", extra={"key": key})
    return counts


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict[str, int]:
    require_environment(SETTINGS)
    counts = handle_uploads(event)
    metrics.add_metric(name="UploadsChecked", unit=MetricUnit.Count, value=counts["passed"] + counts["failed"])
    metrics.add_metric(name="UploadsQuarantined", unit=MetricUnit.Count, value=counts["failed"])
    return counts
