"""The anomaly check on moto: a transition published on the domain bus reaches the function's rule,
the handler issues the warning into the inspectors' inboxes and notifies the anomaly topic, and a
second delivery issues nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
from sunlight.bootstrap import container
from sunlight.models.case import Actor, Case, CaseStatus, PendingDecision, TimelineEvent
from sunlight.models.flow import Decision, Step
from sunlight.models.warnings import WarningLevel
from tests.integration.test_handlers import Context
from tests.unit.conftest import APPLICANT

CST = timezone(timedelta(hours=8))
SAMPLE = Path(__file__).resolve().parents[2] / "events" / "eventbridge" / "case_transitioned.json"
CASE_ID = "SL20261123ABCDEF"  # the case of the sample event
RECEIVED = datetime(2026, 11, 23, 9, 0, tzinfo=CST)  # a Monday
SATURDAY_MORNING = datetime(2026, 11, 28, 10, 0, tzinfo=CST)
WINDOW = Actor(user_id="market-window-sub", name="张敏", role="window")


@pytest.fixture
def anomaly_check(aws_system, monkeypatch):
    """The handler module, configured like the deployed AnomalyCheckFunction; and its spec."""
    spec = next(s for s in aws_system.stack.functions.values() if s.handler == "anomaly_check.handler.handler")
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    container.cache_clear()
    from anomaly_check import handler

    yield handler, spec
    container.cache_clear()


@pytest.fixture
def anomaly_inbox(anomaly_check):
    """An SQS queue subscribed to the anomaly topic, standing in for the inspectors' e-mail."""
    _, spec = anomaly_check
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="anomaly-mail")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    boto3.client("sns").subscribe(TopicArn=spec.environment["ANOMALY_TOPIC_ARN"], Protocol="sqs", Endpoint=queue_arn)
    return queue_url


def accepted_on_saturday() -> None:
    """A case received on Monday, dispatched, and accepted by the window on Saturday morning; the
    transitions go through FlowService, which publishes them on the bus."""
    settings = container().settings
    cases = DynamoCaseRepository(boto3.client("dynamodb"), settings.cases_table)
    item = container().catalog.get_item("420700-XK-0201")
    case = Case(
        case_id=CASE_ID, query_code="123456", item_code=item.item_code, item_name=item.name, department_id=item.department_id,
        department_name="市市场监督管理局", applicant=APPLICANT, applicant_user_id="citizen-1",
        form={f.field_id: "测试" for f in item.form_fields}, status=CaseStatus.SUBMITTED, step_limit_days=item.step_limit_days,
        promised_limit_days=item.promised_limit_days, legal_limit_days=item.legal_limit_days,
        promised_due_on="2026-11-30", legal_due_on="2026-12-21", submitted_at=RECEIVED, updated_at=RECEIVED, fee_yuan="0.00",
    )
    applied = TimelineEvent(case_id=CASE_ID, seq=1, occurred_at=RECEIVED, actor=Actor(user_id="citizen-1", name="李华", role="citizen"),
                            action="apply", from_state=None, to_state=CaseStatus.SUBMITTED)
    cases.create(case, applied, None)
    container().flow.enter_step(CASE_ID, Step.ACCEPT, "token-accept")
    waiting = cases.get(CASE_ID)
    pending = PendingDecision(decision=Decision.ACCEPT, step=Step.ACCEPT, actor=WINDOW, decided_at=SATURDAY_MORNING,
                              opinion="材料齐全，予以受理")
    cases.save(waiting.with_decision(pending, now=SATURDAY_MORNING), expected_version=waiting.version)
    container().flow.enter_step(CASE_ID, Step.HANDLE, "token-handle")


def emitted(capsys, metric: str) -> list[float]:
    """Values of an EMF metric the handlers printed."""
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    return [value for line in lines if metric in line for value in line[metric]]


def test_a_transition_on_the_bus_becomes_one_anomaly_warning(aws_system, anomaly_check, anomaly_inbox, capsys):
    handler, spec = anomaly_check
    accepted_on_saturday()

    # What the bus's AnomalyCheckRule delivered to the function: the dispatch, then the acceptance.
    delivered = aws_system.delivered.to(spec.arn)
    assert [(e["detail-type"], e["source"], e["detail"]["seq"]) for e in delivered] == [
        ("CaseTransitioned", "sunlight.approval", 2), ("CaseTransitioned", "sunlight.approval", 3),
    ]
    dispatch, acceptance = delivered
    assert handler.handler(dispatch, Context()) == {"caseId": CASE_ID, "eventId": f"{CASE_ID}#2", "anomalies": 0, "warningIds": []}
    result = handler.handler(acceptance, Context())
    warning_id = f"{CASE_ID}-d20261128-anomaly-outside_working_hours"
    assert result == {"caseId": CASE_ID, "eventId": f"{CASE_ID}#3", "anomalies": 1, "warningIds": [warning_id]}
    assert emitted(capsys, "AnomaliesDetected") == [0.0, 1.0]

    repository = DynamoWarningRepository(boto3.client("dynamodb"), container().settings.cases_table)
    warning = repository.get(warning_id)
    assert (warning.level, warning.rule, warning.step, warning.department_id) == (WarningLevel.ANOMALY, "outside_working_hours", "accept", "market")
    assert warning.recipients == ("market#inspector", "city#inspector")
    assert warning.message == "张敏（窗口受理人员）于2026-11-28（星期六）10:00作出“受理”，当天不是工作日。"
    assert warning.evidence["event"]["actor"]["user_id"] == WINDOW.user_id
    assert [e["action"] for e in warning.evidence["timeline"]] == ["apply", "dispatch", "accept"]
    assert warning.evidence["clock"]["status"] == "handle"
    for inbox in ("city#inspector", "market#inspector"):
        assert [w.warning_id for w in repository.inbox(inbox, limit=10, start_key=None)[0]] == [warning_id]

    # Delivered again (EventBridge retries), or the sample event of the same transition: nothing twice.
    assert handler.handler(acceptance, Context())["anomalies"] == 0
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert handler.handler(sample, Context()) == {"caseId": CASE_ID, "eventId": f"{CASE_ID}#3", "anomalies": 0, "warningIds": []}
    assert [w.warning_id for w in repository.for_case(CASE_ID)] == [warning_id]
    assert len(repository.inbox("city#inspector", limit=10, start_key=None)[0]) == 1

    mails = boto3.client("sqs").receive_message(QueueUrl=anomaly_inbox, MaxNumberOfMessages=10)["Messages"]
    assert len(mails) == 1
    notification = json.loads(mails[0]["Body"])
    assert notification["Subject"] == "【异常预警】食品经营许可" and warning_id.split("-")[0] in notification["Message"]
    assert notification["MessageAttributes"]["department"]["Value"] == "market"


def test_the_sample_event_is_a_valid_envelope_of_the_v1_schema(aws_system, anomaly_check):
    handler, _ = anomaly_check
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    parsed = handler.CaseTransitionedEvent.model_validate(sample)
    assert (parsed.detail_type, parsed.detail.schema_version, parsed.detail.event_id) == ("CaseTransitioned", "1.0", f"{CASE_ID}#3")
    # No such case in a fresh stack: nothing to check, nothing issued.
    assert handler.handler(sample, Context())["anomalies"] == 0


def test_an_event_of_another_schema_is_refused(aws_system, anomaly_check):
    handler, _ = anomaly_check
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    sample["detail"]["schema_version"] = "2.0"
    with pytest.raises(ValueError):
        handler.handler(sample, Context())


@pytest.mark.fresh_stack  # the sample event's case, which other tests of this module also use
def test_a_day_of_staff_actions_on_a_holiday_is_one_warning_with_every_occurrence(aws_system, anomaly_check, anomaly_inbox):
    """The window accepts and the handler submits on the same Saturday: one 非工作时间办理 warning
    (one mail) whose occurrences list both actions, each once however often it is delivered."""
    handler, spec = anomaly_check
    accepted_on_saturday()
    cases = DynamoCaseRepository(boto3.client("dynamodb"), container().settings.cases_table)
    waiting = cases.get(CASE_ID)
    handler_actor = Actor(user_id="market-handler-sub", name="王磊", role="handler")
    submitted_at = SATURDAY_MORNING + timedelta(hours=2)
    pending = PendingDecision(decision=Decision.SUBMIT, step=Step.HANDLE, actor=handler_actor, decided_at=submitted_at, opinion="符合条件")
    cases.save(waiting.with_decision(pending, now=submitted_at), expected_version=waiting.version)
    container().flow.enter_step(CASE_ID, Step.REVIEW, "token-review")

    delivered = aws_system.delivered.to(spec.arn)
    assert [e["detail"]["seq"] for e in delivered] == [2, 3, 4]
    results = [handler.handler(event, Context()) for event in (*delivered, delivered[2], delivered[1])]
    warning_id = f"{CASE_ID}-d20261128-anomaly-outside_working_hours"
    risk_id = f"{CASE_ID}-d20261128-anomaly-risk_point_without_control_document"  # the submit's other rule
    assert [r["warningIds"] for r in results] == [[], [warning_id], [risk_id], [], []]

    repository = DynamoWarningRepository(boto3.client("dynamodb"), container().settings.cases_table)
    assert sorted(w.warning_id for w in repository.for_case(CASE_ID)) == sorted([warning_id, risk_id])
    warning = repository.get(warning_id)
    assert warning.version == 2
    assert [(o.seq, o.action, o.actor_name) for o in warning.occurrences] == [(3, "accept", "张敏"), (4, "submit", "王磊")]
    assert sorted(w.warning_id for w in repository.inbox("city#inspector", limit=10, start_key=None)[0]) == sorted([warning_id, risk_id])
    mails = boto3.client("sqs").receive_message(QueueUrl=anomaly_inbox, MaxNumberOfMessages=10).get("Messages", [])
    assert sorted(json.loads(m["Body"])["Subject"] for m in mails) == ["【异常预警】食品经营许可"] * 2  # one per warning
