"""Verifying the inspector log on moto: the adapter's range reads, and runs started through the API
and carried out by log_verify in several invocations, dispatched by moto's Lambda as locally."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from infra import constants
from infra.local.engine.lambda_dispatch import LambdaDispatcher
from sunlight.adapters.dynamodb_inspector_log import DynamoInspectorLog
from sunlight.bootstrap import container
from sunlight.models.inspector_log import LogEntry
from tests.integration.test_handlers import handlers  # noqa: F401
from tests.integration.test_orders_api import api  # noqa: F401

RUNS = "/inspector-log/verifications"
RUN = "/inspector-log/verifications/{runId}"
LATEST = "/inspector-log/verifications/latest"
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def entry(n: int) -> LogEntry:
    return LogEntry(at=START + timedelta(seconds=n), user_id=f"i-{n % 4}", user_name="郑国华", roles=("inspector",), method="GET",
                    route="/cases/{caseId}", path=f"/cases/SL{n:06d}", status=200, source_ip="10.0.0.1", user_agent="pytest")


def append(count: int) -> None:
    log = container().inspector_log
    for n in range(count):
        log.record(entry(n))


@pytest.fixture
def worker(aws_system, handlers, monkeypatch):
    """log_verify as the local runner runs it: moto's Lambda hands the API's and its own
    asynchronous invocations to the handler, each in a thread. Small segments and budgets, so a
    few hundred records take several invocations."""
    monkeypatch.setenv(constants.EnvKeys.LOG_VERIFY_SEGMENT_RECORDS, "40")
    monkeypatch.setenv(constants.EnvKeys.LOG_VERIFY_RECORDS_PER_INVOCATION, "100")
    spec = next(s for s in aws_system.stack.functions.values() if s.handler == constants.LOG_VERIFY_HANDLER)
    # In one process the environment is the API's; log_verify also reads the anchors bucket.
    monkeypatch.setenv(constants.EnvKeys.LOG_ANCHORS_BUCKET, spec.environment[constants.EnvKeys.LOG_ANCHORS_BUCKET])
    container.cache_clear()
    dispatcher = LambdaDispatcher([spec], [constants.FUNCTIONS_DIR])
    dispatcher.load_handlers()
    worker = Worker()
    handler = dispatcher.runtime._handlers[spec.name]  # type: ignore[attr-defined]

    def counted(event, context):
        assert worker.open.wait(30)
        result = handler(event, context)
        worker.results.append(result)
        return result

    dispatcher.runtime._handlers[spec.name] = counted  # type: ignore[attr-defined]
    with dispatcher.installed():
        yield worker


class Worker:
    def __init__(self) -> None:
        self.results: list[dict] = []  # what each invocation returned
        self.open = threading.Event()  # cleared: invocations wait
        self.open.set()


def finished(api, run_id: str, username: str = "inspector") -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, run = api(username, "GET", RUN, f"{RUNS}/{run_id}", params={"runId": run_id})
        assert status == 200, run
        if run["status"] != "running":
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still running: {run}")


def test_a_run_over_hundreds_of_records_goes_in_several_invocations_and_saves_every_segment(api, worker, aws_system):
    append(300)
    worker.open.clear()
    status, run = api("inspector", "POST", RUNS, RUNS)
    assert status == 202 and run["status"] == "running" and run["head_seq"] == 300, run
    assert run["started_by_name"] == "郑国华" and run["checked"] == 0
    again_status, again = api("inspector.chief", "POST", RUNS, RUNS)  # one run at a time: the same run
    assert (again_status, again["run_id"], again["started_by_name"]) == (200, run["run_id"], "郑国华")
    worker.open.set()

    done = finished(api, run["run_id"])
    assert (done["status"], done["checked"], done["first_break"]) == ("intact", 300, None)
    assert done["message"] == "链完整：共 300 条记录，逐条校验无误；尚无外部锚点可对照。" and done["finished_at"]
    assert [r["status"] for r in worker.results] == ["running", "running", "intact"]  # 100 records each
    # Saved after every segment of 40: 8 segments, one version each; then one page of anchors (none yet).
    item = boto3.client("dynamodb").get_item(TableName=aws_system["SupervisionTableName"],
                                             Key={"pk": {"S": f"LOGVERIFY#{run['run_id']}"}, "sk": {"S": "RUN"}})["Item"]
    assert item["version"]["N"] == str(1 + 8 + 1) and json.loads(item["doc"]["S"])["checked"] == 300
    status, latest = api("inspector.chief", "GET", LATEST, LATEST)
    assert status == 200 and latest["run_id"] == run["run_id"]
    for outsider in ("market.inspector", "admin"):  # the supervised, and the admin, do not
        assert api(outsider, "GET", LATEST, LATEST)[0] == api(outsider, "POST", RUNS, RUNS)[0] == 403


def test_a_tampered_record_is_found_and_reported_with_the_first_break(api, worker, aws_system):
    append(200)
    dynamodb, table = boto3.client("dynamodb"), aws_system["SupervisionTableName"]
    key = {"pk": {"S": "INSPLOG"}, "sk": {"S": "SEQ#000000000123"}}
    doc = json.loads(dynamodb.get_item(TableName=table, Key=key)["Item"]["doc"]["S"])
    doc["path"] = "/cases/SOMETHING-ELSE"
    dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET doc = :d",
                         ExpressionAttributeValues={":d": {"S": json.dumps(doc, ensure_ascii=False)}})
    status, run = api("inspector.chief", "POST", RUNS, RUNS)
    assert status == 202
    done = finished(api, run["run_id"], "inspector.chief")
    assert done["status"] == "broken" and done["checked"] == 122
    assert done["first_break"]["seq"] == 123 and done["message"] == "链已断开：第 123 条记录处断链：记录内容与其哈希不符（记录被改动）"
    assert [r["status"] for r in worker.results] == ["running", "broken"]  # 100 intact, then the break in the next invocation

    status, again = api("inspector", "POST", RUNS, RUNS)  # the last run ended: a new one starts
    assert status == 202 and again["run_id"] != run["run_id"] and again["head_seq"] > 200
    assert finished(api, again["run_id"])["status"] == "broken"  # the record is still edited


@pytest.mark.fresh_stack
def test_staff_may_not_start_or_read_runs_and_before_any_run_there_is_none(api, worker):
    assert api("market.handler", "POST", RUNS, RUNS)[0] == 403
    assert api("market.handler", "GET", LATEST, LATEST)[0] == 403
    assert api("inspector", "GET", LATEST, LATEST)[0] == 404
    assert api("inspector", "GET", RUN, f"{RUNS}/nope", params={"runId": "nope"})[0] == 404
    assert worker.results == []


@pytest.mark.fresh_stack
def test_range_reads_take_every_stored_key_exactly_once_and_page_as_asked(aws_system, handlers):
    append(9)
    table = aws_system["SupervisionTableName"]
    dynamodb = boto3.client("dynamodb")
    stray = {"seq": 77, "note": "inserted"}
    for sk in ("SEQ#000000000004x", "SEQ#", "SEQ#000000000009~"):
        dynamodb.put_item(TableName=table, Item={"pk": {"S": "INSPLOG"}, "sk": {"S": sk}, "doc": {"S": json.dumps(stray)}})
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "INSPLOG"}, "sk": {"S": "SEQ#000000000006"}, "doc": {"S": "not json"}})
    log = DynamoInspectorLog(dynamodb, table)
    segments = [list(log.stored_records(a, b, page_size=2)) for a, b in ((1, 4), (4, 7), (7, 10))]
    assert [[r["seq"] for r in s] for s in segments] == [[77, 1, 2, 3], [4, 77, 5, None], [7, 8, 9, 77]]
    assert segments[1][3] == {"seq": None, "unreadable": "SEQ#000000000006"}
    assert [r["seq"] for r in log.stored_records(10, None)] == [] and list(log.stored_records(5, 5)) == []
    assert [r["seq"] for r in log.stored_records(9, None, page_size=1)] == [9, 77]
