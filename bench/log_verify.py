"""Records verified per second when checking the inspector log's hash chain (监察日志校验) on moto.

Seeds N chained records (default 50,000) in the Supervision table as the adapter stores them
(one partition, SEQ#{seq} keys, canonical JSON), then verifies them twice with the real adapter
and service: the CLI's synchronous pass and a run in bounded steps, its invocations of log_verify
taken in turn from a queue in this process. Prints wall time, records per second and DynamoDB
calls. moto walks the partition in Python on every Query, so these figures are moto's, not
DynamoDB's; what they show is that memory and each invocation's work stay bounded.

    .venv/bin/python -m bench.log_verify [N]
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
RECORDS = 50_000
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _seed(client, table: str, count: int) -> None:
    from sunlight.adapters.dynamodb_inspector_log import seq_sk
    from sunlight.models.inspector_log import LogEntry
    from sunlight.rules import hashchain

    head, batch = hashchain.EMPTY, []
    for n in range(count):
        entry = LogEntry(at=START + timedelta(seconds=n), user_id=f"i-{n % 7}", user_name="郑国华", roles=("inspector",), method="GET",
                         route="/cases/{caseId}", path=f"/cases/SL{n:08d}", status=200, source_ip="10.0.0.1", user_agent="bench")
        record = hashchain.chain(entry.fields(), seq=head.seq + 1, prev_hash=head.hash)
        head = hashchain.Head(record["seq"], record["hash"])
        batch.append({"PutRequest": {"Item": {"pk": {"S": "INSPLOG"}, "sk": {"S": seq_sk(record["seq"])},
                                              "doc": {"S": hashchain.canonical_json(record)}}}})
        if len(batch) == 25:
            client.batch_write_item(RequestItems={table: batch})
            batch = []
    if batch:
        client.batch_write_item(RequestItems={table: batch})
    client.put_item(TableName=table, Item={"pk": {"S": "INSPLOG"}, "sk": {"S": "HEAD"}, "seq": {"N": str(head.seq)}, "hash": {"S": head.hash}})


def main(count: int = RECORDS) -> None:
    warnings.filterwarnings("ignore")
    os.environ.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)

    import boto3
    from moto import mock_aws

    from infra import constants
    from infra.local.engine.provision import provision_stacks
    from infra.local.engine.template import load_stacks
    from sunlight.adapters.dynamodb_inspector_log import DynamoInspectorLog, DynamoVerificationRuns
    from sunlight.adapters.system import RandomIds, SystemClock
    from sunlight.models.roles import Principal, Role
    from sunlight.services.log_verification import LogVerificationService, verify_chain

    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION),
                                 endpoint_url=None, region=REGION)
        client = boto3.client("dynamodb")
        table = stack.outputs["SupervisionTableName"]
        started = time.perf_counter()
        _seed(client, table, count)
        print(f"{count:,} chained records seeded in {time.perf_counter() - started:.0f} s")

        calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))
        log = DynamoInspectorLog(client, table)

        started = time.perf_counter()
        report = verify_chain(log, segment_records=constants.LOG_VERIFY_SEGMENT_RECORDS)
        elapsed = time.perf_counter() - started
        assert report.ok and report.checked == count, report
        print(f"CLI, one process, segments of {constants.LOG_VERIFY_SEGMENT_RECORDS:,}: {elapsed:.1f} s, "
              f"{count / elapsed:,.0f} records/s; DynamoDB calls: " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))

        class Queue:
            def __init__(self) -> None:
                self.events: list[str] = []

            def continue_run(self, run_id: str) -> None:
                self.events.append(run_id)

        queue = Queue()
        per_invocation = 5 * constants.LOG_VERIFY_SEGMENT_RECORDS  # several invocations, as a large log takes
        service = LogVerificationService(log=log, runs=DynamoVerificationRuns(client, table), worker=queue, clock=SystemClock(),
                                         ids=RandomIds(), segment_records=constants.LOG_VERIFY_SEGMENT_RECORDS,
                                         records_per_invocation=per_invocation)
        calls.clear()
        started = time.perf_counter()
        run, _ = service.start(Principal(user_id="bench", name="bench", roles=frozenset({Role.INSPECTOR})))
        invocations, slowest = 0, 0.0
        while queue.events:
            began = time.perf_counter()
            run = service.advance(queue.events.pop(0), has_time=lambda: True)
            slowest = max(slowest, time.perf_counter() - began)
            invocations += 1
        elapsed = time.perf_counter() - started
        assert run is not None and run.status == "intact" and run.checked == count, run
        print(f"run in bounded steps: {invocations} invocations of {per_invocation:,} records, {elapsed:.1f} s, "
              f"{count / elapsed:,.0f} records/s, slowest invocation {slowest:.1f} s; progress saved {calls['PutItem']} times; "
              "DynamoDB calls: " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RECORDS)
