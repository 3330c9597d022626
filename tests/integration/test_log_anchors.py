"""The inspector log's external anchors on moto: the anchors bucket as the local runner provisions
it from the template (Object Lock, compliance mode, default retention), log_anchor's handler
writing the head there and publishing the fact, what Object Lock refuses, and a verification run
finding a cut-off tail that the chain alone does not show."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import boto3
import pytest
from botocore.exceptions import ClientError

from infra import constants
from infra.tools.verify_inspector_log import main as verify_main
from sunlight.adapters.s3_log_anchors import S3LogAnchors
from sunlight.bootstrap import container
from sunlight.models.inspector_log import INSPECTOR_LOG_ANCHORED, InspectorLogAnchoredV1, LogEntry
from tests.integration.test_handlers import Context, handlers  # noqa: F401
from tests.integration.test_log_verification import RUNS, finished, worker  # noqa: F401
from tests.integration.test_orders_api import api  # noqa: F401

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def append(count: int) -> None:
    log = container().inspector_log
    for n in range(count):
        log.record(LogEntry(at=START + timedelta(seconds=n), user_id="i-city", user_name="郑国华", roles=("inspector",), method="GET",
                            route="/cases/{caseId}", path=f"/cases/SL{n:06d}", status=200))


@pytest.fixture
def anchoring(aws_system, handlers, monkeypatch):
    """log_anchor's handler with its environment from the template."""
    spec = next(s for s in aws_system.stack.functions.values() if s.handler == constants.LOG_ANCHOR_HANDLER)
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    container.cache_clear()
    from log_anchor import handler

    yield lambda: InspectorLogAnchoredV1.model_validate(handler.handler({"detail-type": "Scheduled Event"}, Context()))
    container.cache_clear()


def audit_trail(detail_type: str) -> list[dict]:
    """The events of a detail-type the bus copied to its audit-trail log group (moto delivers log targets)."""
    logs, found = boto3.client("logs"), []
    for group in logs.describe_log_groups()["logGroups"]:
        for event in logs.filter_log_events(logGroupName=group["logGroupName"]).get("events", []):
            try:
                message = json.loads(event["message"])
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("detail-type") == detail_type:
                found.append(message)
    return found


def anchor_when(anchor: InspectorLogAnchoredV1) -> str:
    return f"{anchor.anchored_at.astimezone(timezone(timedelta(hours=8))):%Y-%m-%d %H:%M}"


def bucket_of(aws_system) -> str:
    return aws_system["LogAnchorsBucketName"]


@pytest.mark.fresh_stack
def test_the_bucket_is_provisioned_with_object_lock_in_compliance_mode(aws_system):
    s3, bucket = boto3.client("s3"), bucket_of(aws_system)
    assert s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": constants.LOG_ANCHOR_RETENTION_DAYS, "Years": 0}},
    }
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"


@pytest.mark.fresh_stack
def test_an_anchor_is_written_locked_and_published_and_object_lock_refuses_to_delete_it(aws_system, anchoring):
    append(7)
    anchor = anchoring()
    head = container().inspector_log_store.head()
    assert (anchor.head_sequence, anchor.head_hash) == (7, head.hash)
    assert anchor.anchor_key.startswith(f"anchors/{anchor.anchored_at:%Y/%m/%d}/") and anchor.anchor_key.endswith("-7.json")

    s3, bucket = boto3.client("s3"), bucket_of(aws_system)
    stored = s3.get_object(Bucket=bucket, Key=anchor.anchor_key)
    assert InspectorLogAnchoredV1.model_validate_json(stored["Body"].read()) == anchor
    assert stored["ObjectLockMode"] == "COMPLIANCE"
    retained = stored["ObjectLockRetainUntilDate"] - datetime.now(UTC)
    assert timedelta(days=constants.LOG_ANCHOR_RETENTION_DAYS - 1) < retained <= timedelta(days=constants.LOG_ANCHOR_RETENTION_DAYS)

    assert [InspectorLogAnchoredV1.model_validate(e["detail"]) for e in audit_trail(INSPECTOR_LOG_ANCHORED)] == [anchor]

    # Object Lock: the locked version cannot be deleted, not even with governance bypass.
    version = stored["VersionId"]
    for bypass in (False, True):
        with pytest.raises(ClientError) as refused:
            s3.delete_object(Bucket=bucket, Key=anchor.anchor_key, VersionId=version, BypassGovernanceRetention=bypass)
        assert refused.value.response["Error"]["Code"] == "AccessDenied"
    # The adapter's conditional write never replaces it.
    assert S3LogAnchors(s3, bucket).write(anchor.model_copy(update={"head_hash": "0" * 64})) is False

    # What Object Lock does not stop — a delete marker, a newer version — does not hide the anchor
    # from the verifier, which reads each key's first version.
    s3.put_object(Bucket=bucket, Key=anchor.anchor_key, Body=anchor.model_copy(update={"head_hash": "f" * 64}).model_dump_json().encode(),
                  ChecksumAlgorithm="SHA256")
    s3.delete_object(Bucket=bucket, Key=anchor.anchor_key)
    assert S3LogAnchors(s3, bucket).all() == [anchor]
    assert s3.get_object(Bucket=bucket, Key=anchor.anchor_key, VersionId=version)["Body"].read()


@pytest.mark.fresh_stack
def test_a_tail_cut_off_behind_the_newest_anchor_is_reported_by_the_cli_and_by_a_run(api, worker, anchoring, aws_system, capsys):
    append(30)
    status, run = api("inspector", "POST", RUNS, RUNS)
    assert status == 202
    done = finished(api, run["run_id"])
    assert done["status"] == "intact" and done["anchors_checked"] == 0 and done["message"].endswith("尚无外部锚点可对照。"), done
    anchor = anchoring()  # the head now: the 30 records and the inspector's requests above (each is logged)
    assert anchor.head_sequence > 30

    # Delete the newest records and move the head back: what is left is a valid, shorter chain.
    dynamodb, table = boto3.client("dynamodb"), aws_system["SupervisionTableName"]
    for seq in range(26, anchor.head_sequence + 1):
        dynamodb.delete_item(TableName=table, Key={"pk": {"S": "INSPLOG"}, "sk": {"S": f"SEQ#{seq:012d}"}})
    kept = json.loads(dynamodb.get_item(TableName=table, Key={"pk": {"S": "INSPLOG"}, "sk": {"S": f"SEQ#{25:012d}"}})["Item"]["doc"]["S"])
    dynamodb.update_item(TableName=table, Key={"pk": {"S": "INSPLOG"}, "sk": {"S": "HEAD"}}, UpdateExpression="SET seq = :s, #h = :h",
                         ExpressionAttributeNames={"#h": "hash"},
                         ExpressionAttributeValues={":s": {"N": "25"}, ":h": {"S": kept["hash"]}})

    # From a shell (no request of its own is logged): the chain alone passes; with the anchors the cut is found.
    capsys.readouterr()
    assert verify_main(["--table", table]) == 0
    assert verify_main(["--table", table, "--anchors-bucket", bucket_of(aws_system)]) == 1
    out = capsys.readouterr().out
    assert f"链头为第 25 条，落后于 {anchor_when(anchor)} 的外部锚点所记的第 {anchor.head_sequence} 条" in out and "发现截断或改写" in out

    # From the page: the chief's requests append records again while the run goes, so by the time
    # it compares, the head is behind the anchor (a cut) or past it with other records (a rewrite).
    status, run = api("inspector.chief", "POST", RUNS, RUNS)
    assert status == 202
    done = finished(api, run["run_id"], "inspector.chief")
    assert done["status"] == "broken" and done["first_break"]["anchor_key"] == anchor.anchor_key, done
    assert done["message"].startswith("发现截断或改写：与外部锚点不符：")
    assert "落后于" in done["first_break"]["reason"] or "改写" in done["first_break"]["reason"]


@pytest.mark.fresh_stack
def test_a_page_of_anchors_reads_each_keys_first_version_however_many_were_added(aws_system):
    s3, bucket = boto3.client("s3"), bucket_of(aws_system)
    store = S3LogAnchors(s3, bucket)
    first = InspectorLogAnchoredV1(event_id="e1", head_sequence=4, head_hash="a" * 64, anchored_at=START,
                                   anchor_key="anchors/2026/11/23/20261123T010000Z-4.json")
    second = first.model_copy(update={"event_id": "e2", "head_sequence": 9, "anchored_at": START + timedelta(hours=1),
                                      "anchor_key": "anchors/2026/11/23/20261123T020000Z-9.json"})
    assert store.write(first) and store.write(second)
    for n in range(5):  # newer versions over the first key, then a delete marker: none replaces the anchor
        forged = first.model_copy(update={"head_hash": f"{n}" * 64})
        s3.put_object(Bucket=bucket, Key=first.anchor_key, Body=forged.model_dump_json().encode(), ChecksumAlgorithm="SHA256")
    s3.delete_object(Bucket=bucket, Key=first.anchor_key)
    assert store.page(None, 1) == ([first], first.anchor_key)
    assert store.page(first.anchor_key, 1) == ([second], None)
