"""Cost of one monthly close (考核结算) against 100,000 cases' worth of facts.

30 departments with 2 catalog items each; N cases of October 2026 are counted as the consumer
counts them (accepted, completed; on time, overdue or early; some yellow and red cards,
complaints, ratings) — the marker items and the counter ADDs come from the same adapter code
(`DynamoEvaluationRepository.fact_operations`), batched for speed: markers with BatchWriteItem,
counter ADDs summed per counter item. Then the close runs with the real service and adapters, and
its DynamoDB calls are counted by operation with items read and the consumed read capacity moto
reports. The close must read O(departments + items), not O(cases).

    .venv/bin/python -m bench.scoring_run [N]
"""

from __future__ import annotations

import os
import random
import sys
import time
import warnings
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
DEPARTMENTS = 30
ITEMS_PER_DEPARTMENT = 2
CASES = 100_000
MONTH = "2026-10"
CST = timezone(timedelta(hours=8))
READS = {"GetItem", "BatchGetItem", "Query", "Scan"}


class _Recorder:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0
        self.read_capacity = 0.0

    def params(self, params: dict, model, **_: object) -> None:
        if model.name in READS:
            params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def before(self, model, **_: object) -> None:
        self.calls[model.name] += 1

    def after(self, parsed: dict, model, **_: object) -> None:
        self.items += parsed.get("Count", 0) + (1 if parsed.get("Item") else 0)
        if isinstance(parsed.get("Responses"), dict):
            self.items += sum(len(v) for v in parsed["Responses"].values())
        consumed = parsed.get("ConsumedCapacity")
        for entry in consumed if isinstance(consumed, list) else [consumed] if consumed else []:
            if model.name in READS:
                self.read_capacity += float(entry.get("CapacityUnits", 0))


def _facts(cases: int):
    """The facts of `cases` cases, as the consumer would derive them (deterministic)."""
    from sunlight.services.ports import FactEntry

    rng = random.Random(2026)
    at = datetime(2026, 10, 15, 10, tzinfo=CST)
    for index in range(cases):
        department = f"dept{index % DEPARTMENTS:02d}"
        item = f"420700-XK-{index % DEPARTMENTS:02d}{index % ITEMS_PER_DEPARTMENT + 1:02d}"
        case_id = f"SL20261015{index:06d}"
        yield FactEntry(f"{case_id}#3", department, MONTH, case_id, item, ("received",), {"received": 1}, at, {})
        used = rng.randint(2, 14)
        metrics = ["completed", "closed_completed", "on_time" if used <= 10 else "overdue"] + (["early"] if used < 10 else [])
        yield FactEntry(f"{case_id}#9", department, MONTH, case_id, item, tuple(metrics),
                        {**{m: 1 for m in metrics}, "days_used": used, "days_promised": 10}, at, {})
        if index % 50 == 0:
            yield FactEntry(f"{case_id}-4-yellow:issued", department, MONTH, f"{case_id}-4-yellow", item,
                            ("yellow_cards",), {"yellow_cards": 1}, at, {})
        if index % 20 == 0:
            rating = rng.randint(3, 5)
            yield FactEntry(f"{case_id}:rated", department, MONTH, case_id, item, ("ratings",),
                            {"ratings": 1, "rating_sum": rating}, at, {})


def _seed(client, table: str, repository, cases: int) -> int:
    """Markers in batches of 25; counter ADDs summed per counter item, then one UpdateItem each."""
    from sunlight.services.ports import FactEntry

    markers, written = [], 0
    sums: dict[tuple[str, str | None], Counter[str]] = defaultdict(Counter)
    for fact in _facts(cases):
        for operation in repository.fact_operations(fact):
            if "Put" in operation:
                markers.append({"PutRequest": {"Item": operation["Put"]["Item"]}})
        sums[(fact.department_id, fact.item_code)].update(fact.increments)
        if len(markers) >= 25:
            client.batch_write_item(RequestItems={table: markers[:25]})
            written += 25
            markers = markers[25:]
    if markers:
        client.batch_write_item(RequestItems={table: markers})
        written += len(markers)
    at = datetime(2026, 10, 15, tzinfo=CST)
    departments: dict[str, Counter[str]] = defaultdict(Counter)
    for (department, item), counts in sums.items():
        departments[department].update(counts)
        # The item row only; the department row gets the department's sum below.
        for update in repository._counter_updates(FactEntry("seed", department, MONTH, "seed", item, (), counts, at, {}), +1)[1:]:
            client.update_item(**update["Update"])
    for department, counts in departments.items():
        update = repository._counter_updates(FactEntry("seed", department, MONTH, "seed", None, (), counts, at, {}), +1)[0]
        client.update_item(**update["Update"])
    return written


def main(cases: int = CASES) -> None:
    warnings.filterwarnings("ignore")
    os.environ.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)

    import boto3
    from moto import mock_aws

    from bench.deadline_sweep import _skip_moto_transaction_backup
    from infra.local.engine.provision import provision_stacks
    from infra.local.engine.template import load_stacks
    from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
    from sunlight.adapters.dynamodb_evaluation import DynamoEvaluationRepository
    from sunlight.rules.periods import Period
    from sunlight.services.evaluation import EvaluationService
    from tests.fakes.catalog import make_department, make_item

    _skip_moto_transaction_backup()
    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION),
                                 endpoint_url=None, region=REGION)
        client = boto3.client("dynamodb")
        table = stack.outputs["SupervisionTableName"]
        catalog = DynamoCatalogRepository(boto3.resource("dynamodb").Table(stack.outputs["CatalogTableName"]))
        for d in range(DEPARTMENTS):
            catalog.put_department(make_department(f"dept{d:02d}", f"测试部门{d:02d}局"))
            for i in range(ITEMS_PER_DEPARTMENT):
                catalog.put_item(make_item(f"420700-XK-{d:02d}{i + 1:02d}", f"dept{d:02d}"))
        repository = DynamoEvaluationRepository(client, table)
        started = time.perf_counter()
        markers = _seed(client, table, repository, cases)
        seeded = time.perf_counter() - started

        class Clock:
            def now(self) -> datetime:
                return datetime(2026, 11, 1, 0, 30, tzinfo=CST)

        recorder = _Recorder()
        for service_client in (client, catalog._table.meta.client):
            service_client.meta.events.register("provide-client-params.dynamodb", recorder.params)
            service_client.meta.events.register("before-call.dynamodb", recorder.before)
            service_client.meta.events.register("after-call.dynamodb", recorder.after)
        service = EvaluationService(evaluation=repository, catalog=catalog, clock=Clock())
        started = time.perf_counter()
        result = service.close(Period.parse(MONTH))
        elapsed = time.perf_counter() - started
        assert result.created and sum(d.figures.completed for d in result.snapshot.departments) == cases

        print(f"{cases:,} cases' facts of {MONTH} ({markers:,} marker items, seeded in {seeded:.0f} s), "
              f"{DEPARTMENTS} departments, {DEPARTMENTS * ITEMS_PER_DEPARTMENT} items")
        print(f"one monthly close: {elapsed:.2f} s wall (moto, in-process)")
        print("DynamoDB calls: " + ", ".join(f"{name} {count}" for name, count in sorted(recorder.calls.items())))
        print(f"items read: {recorder.items}; consumed read capacity (as moto reports it): {recorder.read_capacity:g}")
        top = result.snapshot.departments[0]
        print(f"rank 1: {top.department_name} total {top.total}; snapshot of {len(result.snapshot.departments)} departments")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)
