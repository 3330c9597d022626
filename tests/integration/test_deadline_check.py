"""The deadline check on moto: the real adapters, the alarm index, SNS, the handler."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import boto3
import pytest

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
from sunlight.adapters.sns_notifier import SnsNotifier
from sunlight.models.flow import Step
from sunlight.models.warnings import WarningLevel
from sunlight.rules.workdays import ChinaCalendar
from sunlight.services.deadlines import DeadlineService
from sunlight.services.flow import FlowService
from tests.integration.test_case_adapters import a_case, first_event

CST = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 23, 9, tzinfo=CST)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


class NoPublisher:
    def publish(self, events) -> None:
        pass


@pytest.fixture
def world(aws_resources):
    client = boto3.client("dynamodb")
    operations: list[str] = []
    client.meta.events.register("before-call.dynamodb", lambda model, **_: operations.append(model.name))
    cases = DynamoCaseRepository(client, aws_resources["CasesTableName"])
    warnings = DynamoWarningRepository(client, aws_resources["CasesTableName"])
    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    queue = sqs.create_queue(QueueName="yellow-subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    yellow_topic = aws_resources["YellowCardTopicArn"]
    sns.subscribe(TopicArn=yellow_topic, Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"FilterPolicy": json.dumps({"department": ["market"]}), "RawMessageDelivery": "true"})
    clock = Clock(MONDAY)
    notifier = SnsNotifier(sns, {WarningLevel.YELLOW: yellow_topic})
    return {
        "cases": cases, "warnings": warnings, "clock": clock, "operations": operations, "sqs": sqs, "queue": queue,
        "flow": FlowService(cases=cases, publisher=NoPublisher(), clock=clock, calendar=ChinaCalendar()),
        "deadlines": DeadlineService(cases=cases, warnings=warnings, notifier=notifier, clock=clock),
    }


def open_case(world, case_id: str, step: Step = Step.HANDLE) -> None:
    case = a_case(case_id)
    world["cases"].create(case, first_event(case), None)
    world["flow"].enter_step(case_id, step, f"token-{case_id}")


def test_only_due_cases_are_read_and_each_card_is_issued_once(world):
    open_case(world, "SL20261123DUE001")
    world["clock"].current = MONDAY + timedelta(days=3)
    open_case(world, "SL20261126LATER1")  # entered later: not due at the first check
    world["operations"].clear()

    report = world["deadlines"].sweep(datetime(2026, 11, 27, 0, 0, 1, tzinfo=CST))  # Fri: Mon+4 due is Fri
    assert report.checked == 1 and report.issued == ["SL20261123DUE001-2-reminder"]
    assert "Scan" not in world["operations"]
    assert world["operations"].count("Query") == report.queries + 1  # the alarm shards, plus one case read

    again = world["deadlines"].sweep(datetime(2026, 11, 27, 0, 0, 1, tzinfo=CST))
    assert again.checked == 0 and again.issued == []

    late = world["deadlines"].sweep(datetime(2026, 12, 8, tzinfo=CST))
    assert sorted(late.issued) == sorted([
        "SL20261123DUE001-2-yellow", "SL20261123DUE001-2-red",
        "SL20261126LATER1-2-reminder", "SL20261126LATER1-2-yellow", "SL20261126LATER1-2-red",
    ])
    inbox, _ = world["warnings"].inbox("city#inspector", limit=10, start_key=None)
    assert {w.level for w in inbox} == {WarningLevel.RED}
    messages = world["sqs"].receive_message(QueueUrl=world["queue"], MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 2 and all("黄牌" in m["Body"] for m in messages)


def test_closed_cases_leave_the_alarm_index(world):
    open_case(world, "SL20261123CLOSE1")
    world["flow"].finalize("SL20261123CLOSE1", __import__("sunlight.models.flow", fromlist=["Outcome"]).Outcome.REJECTED)
    shard = __import__("sunlight.adapters.dynamodb_cases", fromlist=["alarm_shard"]).alarm_shard("SL20261123CLOSE1")
    assert world["cases"].open_cases(shard, limit=10, start_key=None)[0] == []
    assert world["deadlines"].sweep(datetime(2027, 1, 1, tzinfo=CST)).checked == 0


def test_no_request_path_or_sweep_uses_scan():
    """Product code never asks DynamoDB for a Scan (runtime checks above cover the sweep)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = [p for d in ("functions", "layers/sunlight/python") for p in (root / d).rglob("*.py")]
    offenders = [str(p) for p in sources if ".scan(" in p.read_text() or '"Scan"' in p.read_text()]
    assert offenders == []
