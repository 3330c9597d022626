"""The case adapters against moto's DynamoDB, S3, Step Functions and EventBridge."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest
import requests

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.adapters.eventbridge import EventBridgePublisher
from sunlight.adapters.s3_attachments import S3AttachmentStore
from sunlight.models.case import Actor, Case, CaseStatus, TimelineEvent
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.flow import Step
from sunlight.models.roles import Role
from sunlight.services.ports import ConcurrentModification, DuplicateRequest, IdempotencyRecord
from tests.unit.conftest import APPLICANT

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def a_case(case_id: str = "SL20261123ABCDEF", **overrides) -> Case:
    data = dict(
        case_id=case_id,
        query_code="123456",
        item_code="330100-XK-0001",
        item_name="食品经营许可",
        department_id="market",
        department_name="市市场监督管理局",
        applicant=APPLICANT,
        applicant_user_id="citizen-1",
        form={"companyName": "甲公司"},
        status=CaseStatus.SUBMITTED,
        step_limit_days={"accept": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1},
        promised_due_on="2026-12-07",
        legal_due_on="2026-12-21",
        submitted_at=NOW,
        updated_at=NOW,
    )
    return Case.model_validate(data | overrides)


def first_event(case: Case) -> TimelineEvent:
    return TimelineEvent(
        case_id=case.case_id, seq=1, occurred_at=NOW, actor=Actor(user_id="citizen-1", name="李华", role="citizen"),
        action="apply", from_state=None, to_state=CaseStatus.SUBMITTED,
    )


@pytest.fixture
def repo(aws_resources) -> DynamoCaseRepository:
    return DynamoCaseRepository(boto3.client("dynamodb"), aws_resources["CasesTableName"])


def test_case_and_timeline_round_trip_in_one_query(repo):
    case = a_case()
    repo.create(case, first_event(case), None)
    loaded, events = repo.get_with_timeline(case.case_id)
    assert loaded == case and events == [first_event(case)]
    assert repo.get("SL20261123NOPE00") is None and repo.get_with_timeline("SL20261123NOPE00") is None


@pytest.mark.fresh_stack
def test_idempotency_record_makes_a_retry_a_duplicate(repo):
    case = a_case()
    record = IdempotencyRecord(owner_id="citizen-1", key="key-00000001", case_id=case.case_id, fingerprint="f1")
    repo.create(case, first_event(case), record)
    retry = a_case("SL20261123GHJKMN")
    with pytest.raises(DuplicateRequest) as duplicate:
        repo.create(retry, first_event(retry), IdempotencyRecord("citizen-1", "key-00000001", retry.case_id, "f1"))
    assert (duplicate.value.case_id, duplicate.value.fingerprint) == (case.case_id, "f1")
    assert repo.get(retry.case_id) is None


@pytest.mark.fresh_stack
def test_save_is_conditional_on_the_version(repo):
    case = a_case()
    repo.create(case, first_event(case), None)
    moved, event = case.entered_step(Step.ACCEPT, "tok", now=NOW, due_at=NOW)
    repo.save(moved, expected_version=case.version, events=(event,))
    with pytest.raises(ConcurrentModification):
        repo.save(moved, expected_version=case.version, events=())
    assert [e.seq for e in repo.get_with_timeline(case.case_id)[1]] == [1, 2]


@pytest.mark.fresh_stack
def test_delete_new_removes_everything_written_by_create(repo, aws_resources):
    case = a_case()
    record = IdempotencyRecord("citizen-1", "key-00000002", case.case_id, "f")
    repo.create(case, first_event(case), record)
    repo.delete_new(case, record)
    items = boto3.client("dynamodb").query(
        TableName=aws_resources["CasesTableName"], KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{case.case_id}"}},
    )["Items"]
    assert items == []
    repo.create(case, first_event(case), record)  # the key is free again


@pytest.mark.fresh_stack  # reads the department's whole worklist
def test_worklist_holds_only_cases_waiting_on_staff_ordered_by_due(repo):
    later, sooner = a_case("SL20261123LATER0"), a_case("SL20261123SOONER")
    for case, due in ((later, datetime(2026, 11, 26, tzinfo=UTC)), (sooner, datetime(2026, 11, 24, tzinfo=UTC))):
        repo.create(case, first_event(case), None)
        moved, event = case.entered_step(Step.ACCEPT, "tok", now=NOW, due_at=due)
        repo.save(moved, expected_version=case.version, events=(event,))
    cases, last = repo.worklist("market", Role.WINDOW, step=None, limit=10, start_key=None)
    assert [c.case_id for c in cases] == [sooner.case_id, later.case_id] and last is None
    first_page, last = repo.worklist("market", Role.WINDOW, step=Step.ACCEPT, limit=1, start_key=None)
    second_page, _ = repo.worklist("market", Role.WINDOW, step=Step.ACCEPT, limit=1, start_key=last)
    assert [c.case_id for c in first_page + second_page] == [sooner.case_id, later.case_id]
    assert repo.worklist("market", Role.HANDLER, step=None, limit=10, start_key=None)[0] == []
    # Spent token (decision in transit): off the worklist.
    current = repo.get(sooner.case_id)
    from sunlight.models.case import PendingDecision
    from sunlight.models.flow import Decision

    decided = current.with_decision(
        PendingDecision(decision=Decision.ACCEPT, step=Step.ACCEPT, actor=Actor(user_id="w", name="w", role="window"), decided_at=NOW),
        now=NOW,
    )
    repo.save(decided, expected_version=current.version)
    assert [c.case_id for c in repo.worklist("market", Role.WINDOW, step=None, limit=10, start_key=None)[0]] == [later.case_id]


@pytest.mark.fresh_stack
def test_cases_by_applicant_newest_first(repo):
    old, new = a_case("SL20261123OLD000"), a_case("SL20261123NEW000", submitted_at=datetime(2026, 11, 24, tzinfo=UTC))
    for case in (old, new):
        repo.create(case, first_event(case), None)
    cases, _ = repo.by_applicant("citizen-1", limit=10, start_key=None)
    assert [c.case_id for c in cases] == [new.case_id, old.case_id]


def test_presigned_post_uploads_and_stat_reads_metadata(aws_resources):
    store = S3AttachmentStore(boto3.client("s3"), aws_resources["AttachmentsBucketName"])
    url, fields = store.presign_upload(
        "uploads/citizen-1/" + "a" * 32, content_type="application/pdf", max_bytes=1024, expires_in=300,
        file_name="营业执照.pdf", material_id="license",
    )
    assert fields["Content-Type"] == "application/pdf"
    policy = json.loads(__import__("base64").b64decode(fields["policy"]))
    assert ["content-length-range", 1, 1024] in policy["conditions"]
    response = requests.post(url, data=fields, files={"file": ("x.pdf", b"%PDF-1.4 demo")}, timeout=10)
    assert response.status_code in (200, 204), response.text
    stored = store.stat("uploads/citizen-1/" + "a" * 32)
    assert (stored.size_bytes, stored.content_type, stored.file_name, stored.material_id) == (13, "application/pdf", "营业执照.pdf", "license")
    assert store.stat("uploads/citizen-1/" + "b" * 32) is None
    assert "response-content-disposition" in store.presign_download("uploads/citizen-1/" + "a" * 32, file_name="营业执照.pdf", expires_in=60)


def test_events_reach_the_bus_with_the_versioned_schema(aws_resources):
    events_client, sqs = boto3.client("events"), boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="subscriber")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = aws_resources["EventBusName"]
    events_client.put_rule(Name="provincial", EventBusName=bus, EventPattern=json.dumps({"source": ["sunlight.approval"]}))
    events_client.put_targets(Rule="provincial", EventBusName=bus, Targets=[{"Id": "q", "Arn": queue_arn}])

    case = a_case()
    moved, event = case.entered_step(Step.ACCEPT, "tok", now=NOW, due_at=NOW)
    EventBridgePublisher(events_client, bus, "sunlight.approval").publish([CaseTransitionedV1.of(moved, event, recorded_at=NOW)])

    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    envelope = json.loads(messages[0]["Body"])
    assert envelope["detail-type"] == "CaseTransitioned"
    detail = CaseTransitionedV1.model_validate(envelope["detail"])
    assert (detail.schema_version, detail.case_id, detail.to_state) == ("1.0", case.case_id, "accept")


@pytest.mark.parametrize("limit", [1, 3, 4])
@pytest.mark.fresh_stack
def test_filtered_department_pages_are_full_and_skip_or_repeat_nothing(repo, limit):
    """The status filter applies after DynamoDB's Limit: the adapter queries on until a page is full."""
    from sunlight.services.ports import DepartmentCaseQuery

    wanted = set()
    for n in range(14):
        status = CaseStatus.ACCEPT if n % 3 == 0 else CaseStatus.SUBMITTED  # 5 of 14 match
        case = a_case(f"SL20261123FILT{n:02d}", status=status)
        repo.create(case, first_event(case), None)
        if status is CaseStatus.ACCEPT:
            wanted.add(case.case_id)
    query = DepartmentCaseQuery(status=CaseStatus.ACCEPT)
    pages, key = [], None
    while True:
        cases, key = repo.department_cases("market", query, limit=limit, start_key=key)
        pages.append([c.case_id for c in cases])
        if key is None:
            break
    seen = [case_id for page in pages for case_id in page]
    assert sorted(seen) == sorted(wanted) and len(seen) == len(set(seen))
    assert all(len(page) == limit for page in pages[:-1] if page) and len(pages[-1]) <= limit
    assert len(pages) <= len(wanted) // limit + 2  # full pages, at most one empty page at the end
