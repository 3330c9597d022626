"""The documents function (文书) on moto: the window's acceptance, published on the domain bus,
reaches the function's rule; the function numbers the 受理通知书, puts its PDF in the attachments
bucket under documents/ and records it with the case; a redelivered event takes no second number.
Over the API, the applicant lists and downloads their own documents; another citizen and another
department's staff cannot."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import boto3
import pytest
from pypdf import PdfReader

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.adapters.dynamodb_documents import COUNTER_SK, DynamoDocumentRegistry, counter_pk
from sunlight.bootstrap import container
from sunlight.models.case import Actor, Case, CaseStatus, PendingDecision, TimelineEvent
from sunlight.models.documents import CaseDocument, DocumentKind
from sunlight.models.flow import Decision, Step
from sunlight.services.documents import document_key
from tests.integration.test_handlers import Context, call, handlers, sample  # noqa: F401
from tests.unit.conftest import APPLICANT

CST = timezone(timedelta(hours=8))
RECEIVED = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
ACCEPTED = datetime(2026, 11, 24, 10, 0, tzinfo=CST)
WINDOW = Actor(user_id="market-window-sub", name="张敏", role="window")
CITIZEN_CLAIMS = sample("api/apply.json")["requestContext"]["authorizer"]["claims"]
WINDOW_CLAIMS = sample("api/worklist.json")["requestContext"]["authorizer"]["claims"]
OTHER_CITIZEN = CITIZEN_CLAIMS | {"sub": "c0ffee00-0000-4000-8000-000000000099", "cognito:username": "citizen99", "name": "王五"}
OTHER_DEPARTMENT = WINDOW_CLAIMS | {"sub": "tax-window-sub", "custom:department": "tax"}


@pytest.fixture
def documents_function(aws_system, handlers, monkeypatch):
    """The handler module, configured like the deployed DocumentsFunction; and its spec."""
    spec = next(s for s in aws_system.stack.functions.values() if s.handler == "documents.handler.handler")
    for key, value in spec.environment.items():
        monkeypatch.setenv(key, value)
    container.cache_clear()
    from documents import handler

    yield handler, spec
    container.cache_clear()


def accepted(case_id: str) -> None:
    """A case received, dispatched to 受理 and accepted by the window; FlowService publishes each
    transition on the bus."""
    cases = DynamoCaseRepository(boto3.client("dynamodb"), container().settings.cases_table)
    item = container().catalog.get_item("420700-XK-0201")
    case = Case(
        case_id=case_id, query_code="123456", item_code=item.item_code, item_name=item.name, department_id=item.department_id,
        department_name="市市场监督管理局", applicant=APPLICANT, applicant_user_id=CITIZEN_CLAIMS["sub"],
        form={f.field_id: "测试" for f in item.form_fields}, status=CaseStatus.SUBMITTED, step_limit_days=item.step_limit_days,
        promised_limit_days=item.promised_limit_days, legal_limit_days=item.legal_limit_days,
        promised_due_on="2026-12-04", legal_due_on="2026-12-21", submitted_at=RECEIVED, updated_at=RECEIVED, fee_yuan="0.00",
    )
    applied = TimelineEvent(case_id=case_id, seq=1, occurred_at=RECEIVED, actor=Actor(user_id=CITIZEN_CLAIMS["sub"], name="李华", role="citizen"),
                            action="apply", from_state=None, to_state=CaseStatus.SUBMITTED)
    cases.create(case, applied, None)
    container().flow.enter_step(case_id, Step.ACCEPT, f"token-accept-{case_id}")
    waiting = cases.get(case_id)
    pending = PendingDecision(decision=Decision.ACCEPT, step=Step.ACCEPT, actor=WINDOW, decided_at=ACCEPTED, opinion="材料齐全，予以受理")
    cases.save(waiting.with_decision(pending, now=ACCEPTED), expected_version=waiting.version)
    container().flow.enter_step(case_id, Step.HANDLE, f"token-handle-{case_id}")


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def get(path: str, resource: str, parameters: dict, claims: dict) -> dict:
    event = json.loads(json.dumps(sample("api/worklist.json")))
    event |= {"path": path, "resource": resource, "httpMethod": "GET", "pathParameters": parameters,
              "queryStringParameters": None, "multiValueQueryStringParameters": None, "body": None}
    event["requestContext"] |= {"resourcePath": resource, "httpMethod": "GET", "authorizer": {"claims": claims}}
    return event


def test_an_acceptance_on_the_bus_issues_one_numbered_pdf_with_the_case(aws_system, documents_function):
    handler, spec = documents_function
    case_id = "SL20261123DOC001"
    accepted(case_id)

    delivered = aws_system.delivered.to(spec.arn)
    assert [(e["detail-type"], e["detail"]["action"]) for e in delivered] == [("CaseTransitioned", "dispatch"), ("CaseTransitioned", "accept")]
    dispatch, acceptance = delivered
    assert handler.handler(dispatch, Context())["document"] is None
    result = handler.handler(acceptance, Context())
    key = document_key(case_id, 3, DocumentKind.ACCEPTANCE)
    assert result["document"] == {"id": "3-acceptance", "kind": "acceptance", "number": "市场监管局受字〔2026〕第1号", "key": key}

    s3 = boto3.client("s3")
    bucket = container().settings.attachments_bucket
    stored = s3.get_object(Bucket=bucket, Key=key)
    assert stored["ContentType"] == "application/pdf"
    assert unquote(stored["Metadata"]["file-name"]) == "受理通知书（市场监管局受字〔2026〕第1号）.pdf"
    text = pdf_text(stored["Body"].read())
    promised = container().cases.get(case_id).promised_due_on  # counted from 受理 (第四十二条), as the case says
    assert promised > ACCEPTED.date()
    for expected in ("受理通知书", "市场监管局受字〔2026〕第1号", "李华", "食品经营许可", case_id, "决定予以受理",
                     "2026年11月23日", "2026年11月24日", f"承诺于{promised.year}年{promised.month}月{promised.day}日前办结", "市市场监督管理局"):
        assert expected in text, expected

    registry = DynamoDocumentRegistry(boto3.client("dynamodb"), container().settings.cases_table)
    [record] = registry.list_for_case(case_id)
    assert (record.kind, record.number, record.seq, record.stored_at is not None) == (DocumentKind.ACCEPTANCE, 1, 3, True)
    # The case's own reads are untouched by the record in its partition.
    case, timeline = container().cases.get_with_timeline(case_id)
    assert case.case_id == case_id and [e.action for e in timeline] == ["apply", "dispatch", "accept"]

    # Delivered again (EventBridge retries): the same document, no second number, no second object.
    assert handler.handler(acceptance, Context())["document"] == result["document"]
    counter = boto3.client("dynamodb").get_item(
        TableName=container().settings.cases_table, Key={"pk": {"S": counter_pk("market", 2026, DocumentKind.ACCEPTANCE)}, "sk": {"S": COUNTER_SK}}
    )["Item"]
    assert counter["n"]["N"] == "1"
    assert len(s3.list_object_versions(Bucket=bucket, Prefix=key).get("Versions", [])) == 1

    # The next case's acceptance takes the next number of the department, year and kind.
    accepted("SL20261123DOC002")
    second = handler.handler(aws_system.delivered.to(spec.arn)[-1], Context())
    assert second["document"]["number"] == "市场监管局受字〔2026〕第2号"


def test_issuers_racing_for_a_number_never_share_one(aws_system, documents_function):
    """Two documents of the same department, year and kind claimed with the same counter read: the
    second transaction is refused (the counter moved), and that issuer takes the next number."""
    client = boto3.client("dynamodb")
    table = container().settings.cases_table
    registry = DynamoDocumentRegistry(client, table)

    def draft(case_id: str) -> CaseDocument:
        return CaseDocument(case_id=case_id, seq=5, kind=DocumentKind.PENALTY_DECISION, department_id="market", year=2027,
                            number=1, number_text="", storage_key=document_key(case_id, 5, DocumentKind.PENALTY_DECISION),
                            issued_at=ACCEPTED)

    stale_reads = []

    class StaleOnce:
        """Answers the first counter read with the value before the other issuer's claim."""

        def __getattr__(self, name):
            return getattr(client, name)

        def get_item(self, **kwargs):
            if kwargs["Key"]["sk"]["S"] == COUNTER_SK and not stale_reads:
                stale_reads.append(kwargs)
                registry.claim(draft("SL-RACE-A"), prefix="市场监管局")  # the other issuer wins meanwhile
                return {}
            return client.get_item(**kwargs)

    racing = DynamoDocumentRegistry(StaleOnce(), table)
    second = racing.claim(draft("SL-RACE-B"), prefix="市场监管局")
    first = registry.get("SL-RACE-A", "5-penalty_decision")
    assert (first.number, second.number) == (1, 2) and stale_reads
    assert second.number_text == "市场监管局罚字〔2027〕第2号"
    # Claimed again (a redelivery that raced past the service's read): the record it has, no new number.
    assert registry.claim(draft("SL-RACE-A"), prefix="市场监管局") == first
    counter = client.get_item(TableName=table, Key={"pk": {"S": counter_pk("market", 2027, DocumentKind.PENALTY_DECISION)},
                                                    "sk": {"S": COUNTER_SK}})["Item"]
    assert counter["n"]["N"] == "2"


def test_the_applicant_downloads_their_own_document_and_no_one_else_can(aws_system, documents_function, handlers):
    handler, spec = documents_function
    api, _ = handlers
    case_id = "SL20261123DOC003"
    accepted(case_id)
    for event in aws_system.delivered.to(spec.arn):
        if event["detail"]["case_id"] == case_id:
            handler.handler(event, Context())

    mine = get(f"/my/cases/{case_id}/documents", "/my/cases/{caseId}/documents", {"caseId": case_id}, CITIZEN_CLAIMS)
    status, listing = call(api, mine)
    assert status == 200, listing
    [document] = listing["items"]
    assert (document["title"], document["kind"], document["document_id"]) == ("受理通知书", "acceptance", "3-acceptance")
    assert document["number_text"].startswith("市场监管局受字〔2026〕第")
    one = get(f"/my/cases/{case_id}/documents/3-acceptance", "/my/cases/{caseId}/documents/{documentId}",
              {"caseId": case_id, "documentId": "3-acceptance"}, CITIZEN_CLAIMS)
    status, link = call(api, one)
    assert status == 200 and link["expires_in_seconds"] == 300
    assert document_key(case_id, 3, DocumentKind.ACCEPTANCE) in link["url"] and "Signature" in link["url"]

    other = OTHER_CITIZEN
    assert call(api, get(f"/my/cases/{case_id}/documents", "/my/cases/{caseId}/documents", {"caseId": case_id}, other))[0] == 403
    assert call(api, one | {"requestContext": {**one["requestContext"], "authorizer": {"claims": other}}})[0] == 403
    assert call(api, get(f"/my/cases/{case_id}/documents/9-acceptance", "/my/cases/{caseId}/documents/{documentId}",
                         {"caseId": case_id, "documentId": "9-acceptance"}, CITIZEN_CLAIMS))[0] == 404

    staff = get(f"/cases/{case_id}/documents", "/cases/{caseId}/documents", {"caseId": case_id}, WINDOW_CLAIMS)
    status, staff_listing = call(api, staff)
    assert status == 200 and staff_listing == listing
    staff_one = get(f"/cases/{case_id}/documents/3-acceptance", "/cases/{caseId}/documents/{documentId}",
                    {"caseId": case_id, "documentId": "3-acceptance"}, WINDOW_CLAIMS)
    assert call(api, staff_one)[0] == 200
    assert call(api, staff_one | {"requestContext": {**staff_one["requestContext"], "authorizer": {"claims": OTHER_DEPARTMENT}}})[0] == 403
    # A citizen cannot use the staff's route, nor staff the citizen's.
    assert call(api, staff | {"requestContext": {**staff["requestContext"], "authorizer": {"claims": CITIZEN_CLAIMS}}})[0] == 403
    assert call(api, mine | {"requestContext": {**mine["requestContext"], "authorizer": {"claims": WINDOW_CLAIMS}}})[0] == 403
