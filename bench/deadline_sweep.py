"""Cost of one deadline check against the number of open cases, with the same number due.

The Cases table is created from the synthesized template in an in-process moto; N open cases
that are not due and DUE cases that are due are written; one sweep runs with the real adapters.
DynamoDB calls and items read must stay flat as N grows (the alarm index is read only up to
now). Two costs of moto itself are not DynamoDB's: every TransactWriteItems deep-copies the whole
table as a rollback backup (O(N) per transaction; the benchmark turns that backup off, since its
transactions never roll back), and Query walks every item of an index in memory, so wall time in
moto still grows with N even though the items DynamoDB would read do not.

    .venv/bin/python -m bench.deadline_sweep [N ...]
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
DUE = 100
SIZES = (1_000, 10_000, 100_000)
CST = timezone(timedelta(hours=8))


def main(sizes: tuple[int, ...] = SIZES) -> None:
    warnings.filterwarnings("ignore")
    os.environ.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    print("(moto's per-transaction full-table backup is off; see the module docstring)")
    print(f"{'open cases':>10}{'due':>6}{'checked':>9}{'issued':>8}{'DynamoDB calls':>16}{'items read':>12}{'wall s (moto)':>15}")
    for size in sizes:
        print(_run(size), flush=True)


class _Counter:
    def __init__(self) -> None:
        self.calls = 0
        self.items = 0

    def before(self, **_: object) -> None:
        self.calls += 1

    def after(self, parsed: dict, **_: object) -> None:
        self.items += parsed.get("Count", 0) + (1 if parsed.get("Item") else 0)
        self.items += sum(len(v) for v in parsed.get("Responses", {}).values()) if isinstance(parsed.get("Responses"), dict) else 0


def _skip_moto_transaction_backup() -> None:
    import copy
    import types

    import moto.dynamodb.models as ddb_models

    def deepcopy(value, memo=None):
        return value if isinstance(value, ddb_models.Table) else copy.deepcopy(value, memo)

    ddb_models.copy = types.SimpleNamespace(deepcopy=deepcopy, copy=copy.copy)


def _run(size: int) -> str:
    import boto3
    from moto import mock_aws

    _skip_moto_transaction_backup()

    from infra.local.engine.provision import provision_stacks
    from infra.local.engine.template import load_stacks
    from sunlight.adapters.dynamodb_cases import ALARM_SHARDS, DynamoCaseRepository, alarm_pk, alarm_shard
    from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
    from sunlight.models.flow import Step
    from sunlight.rules.workdays import ChinaCalendar
    from sunlight.services.deadlines import DeadlineService
    from sunlight.services.flow import FlowService
    from tests.integration.test_case_adapters import a_case, first_event

    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION),
                                 endpoint_url=None, region=REGION)
        table = stack.outputs["CasesTableName"]
        client = boto3.client("dynamodb")
        cases = DynamoCaseRepository(client, table)

        class Clock:
            current = datetime(2026, 11, 23, 9, tzinfo=CST)

            def now(self) -> datetime:
                return self.current

        class Quiet:
            def publish(self, events) -> None: ...
            def notify(self, warning) -> None: ...

        clock = Clock()
        flow = FlowService(cases=cases, publisher=Quiet(), clock=clock, calendar=ChinaCalendar())
        for index in range(DUE):  # due: at 承办 since Monday, checked two weeks later
            case = a_case(f"SL20261123D{index:05d}")
            cases.create(case, first_event(case), None)
            flow.enter_step(case.case_id, Step.HANDLE, f"token-{index}")
        # Not due: open cases whose next alarm is next month. Only the index keys matter here.
        requests = []
        for index in range(size):
            case_id = f"SL20261123N{index:07d}"
            requests.append({"PutRequest": {"Item": {
                "pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "CASE"},
                "alarm_pk": {"S": alarm_pk(alarm_shard(case_id))}, "alarm_sk": {"S": f"2026-12-31T00:00:00Z#{case_id}"},
            }}})
            if len(requests) == 25:
                client.batch_write_item(RequestItems={table: requests})
                requests = []
        if requests:
            client.batch_write_item(RequestItems={table: requests})

        counter = _Counter()
        client.meta.events.register("before-call.dynamodb", counter.before)
        client.meta.events.register("after-call.dynamodb", counter.after)
        service = DeadlineService(cases=cases, warnings=DynamoWarningRepository(client, table), notifier=Quiet(), clock=clock)
        started = time.perf_counter()
        report = service.sweep(datetime(2026, 12, 7, 9, tzinfo=CST))
        elapsed = time.perf_counter() - started
        assert report.checked == DUE and ALARM_SHARDS
        return f"{size:>10}{DUE:>6}{report.checked:>9}{len(report.issued):>8}{counter.calls:>16}{counter.items:>12}{elapsed:>15.1f}"


if __name__ == "__main__":
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    main(sizes)
