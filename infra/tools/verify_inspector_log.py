"""Verify the inspector log's hash chain (监察日志防篡改校验).

    python -m infra.tools.verify_inspector_log --stack-outputs outputs.json      # a deployed stack
    python -m infra.tools.verify_inspector_log --table Sunlight-SupervisionTable... \\
        --anchors-bucket <LogAnchorsBucketName> \\
        --endpoint-url http://127.0.0.1:4566                                       # the local runner's moto

Reads the chain head, then the records up to it in sequence order, one segment at a time (the
same resumable verifier as the API's runs, services/log_verification.py, so memory stays one
segment's whatever the log's size), recomputes each hash and reports the first broken link (an
edited, deleted, inserted or reordered record). Records appended while it runs are left to the
next verification. With the anchors bucket (from the stack outputs, or `--anchors-bucket`), an
intact chain is then checked against the external anchors: a cut-off tail or a rewrite is broken
too. Exit status: 0 intact, 1 broken, 2 could not read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from sunlight.adapters.dynamodb_inspector_log import DynamoInspectorLog
from sunlight.adapters.s3_log_anchors import S3LogAnchors
from sunlight.models.inspector_log import ChainReport
from sunlight.services.log_verification import SEGMENT_RECORDS, verify_chain

TABLE_OUTPUT = "SupervisionTableName"
ANCHORS_OUTPUT = "LogAnchorsBucketName"


def verify_table(client, table_name: str, *, segment_records: int = SEGMENT_RECORDS, anchors: S3LogAnchors | None = None) -> ChainReport:
    return verify_chain(DynamoInspectorLog(client, table_name), segment_records=segment_records, anchors=anchors)


def _from_outputs(path: Path, stack: str | None) -> tuple[str, str | None]:
    from infra.seed import read_stack_outputs

    outputs = read_stack_outputs(path, stack)
    return outputs[TABLE_OUTPUT], outputs.get(ANCHORS_OUTPUT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.tools.verify_inspector_log", description="校验监察日志哈希链")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--table", help="the Supervision table's name")
    source.add_argument("--stack-outputs", type=Path, help="file written by `cdk deploy --outputs-file`")
    parser.add_argument("--stack", help="one stack's outputs only (default: the app's stacks together)")
    parser.add_argument("--anchors-bucket", help="the anchors bucket (default: LogAnchorsBucketName of the stack outputs)")
    parser.add_argument("--endpoint-url", help="e.g. the local runner's moto, http://127.0.0.1:4566")
    parser.add_argument("--region", help="AWS region (default: the session's)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--segment", type=int, default=SEGMENT_RECORDS, help=f"records read per segment (default {SEGMENT_RECORDS})")
    args = parser.parse_args(argv)
    try:
        table, bucket = (args.table, None) if args.table else _from_outputs(args.stack_outputs, args.stack)
        bucket = args.anchors_bucket or bucket
        session = boto3.Session(region_name=args.region) if args.region else boto3.Session()
        anchors = S3LogAnchors(session.client("s3", endpoint_url=args.endpoint_url), bucket) if bucket else None
        report = verify_table(session.client("dynamodb", endpoint_url=args.endpoint_url), table, segment_records=max(args.segment, 1),
                              anchors=anchors)
    except (OSError, ValueError, KeyError, BotoCoreError, ClientError) as error:
        print(f"verify_inspector_log: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report.model_dump(), ensure_ascii=False, indent=2) if args.json else report.message)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
