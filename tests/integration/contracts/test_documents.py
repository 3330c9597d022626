"""Contract of the document registry (文书 records and 文号 counters) against the fake and the
DynamoDB adapter on the stack's Cases table in moto: numbers run per department, year and kind;
a document claimed again keeps its number; only stored documents are final; a case lists its own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3
import pytest

from sunlight.adapters.dynamodb_documents import DynamoDocumentRegistry
from sunlight.models.documents import CaseDocument, DocumentKind
from tests.fakes.documents import InMemoryDocumentRegistry

from .conftest import IMPLEMENTATIONS

ISSUED = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(params=IMPLEMENTATIONS)
def registry(request) -> InMemoryDocumentRegistry | DynamoDocumentRegistry:
    if request.param == "fake":
        return InMemoryDocumentRegistry()
    table = request.getfixturevalue("aws_resources")["CasesTableName"]
    return DynamoDocumentRegistry(boto3.client("dynamodb"), table)


def draft(case_id: str, seq: int, kind: DocumentKind, department: str, year: int = 2026) -> CaseDocument:
    return CaseDocument(case_id=case_id, seq=seq, kind=kind, department_id=department, year=year, number=1, number_text="",
                        storage_key=f"documents/{case_id}/{seq:06d}-{kind.value}.pdf", issued_at=ISSUED)


def test_numbers_run_per_department_year_and_kind_and_a_second_claim_keeps_the_first(registry, unique):
    department = f"d{unique.lower()}"
    a = registry.claim(draft(f"A{unique}", 3, DocumentKind.ACCEPTANCE, department), prefix="市场监管局")
    b = registry.claim(draft(f"B{unique}", 3, DocumentKind.ACCEPTANCE, department), prefix="市场监管局")
    c = registry.claim(draft(f"A{unique}", 4, DocumentKind.SUPPLEMENT_NOTICE, department), prefix="市场监管局")
    d = registry.claim(draft(f"C{unique}", 3, DocumentKind.ACCEPTANCE, department, year=2027), prefix="市场监管局")
    assert [x.number_text for x in (a, b, c, d)] == [
        "市场监管局受字〔2026〕第1号", "市场监管局受字〔2026〕第2号", "市场监管局补字〔2026〕第1号", "市场监管局受字〔2027〕第1号"]
    assert registry.claim(draft(f"A{unique}", 3, DocumentKind.ACCEPTANCE, department), prefix="市场监管局") == a
    assert registry.claim(draft(f"D{unique}", 3, DocumentKind.ACCEPTANCE, department), prefix="市场监管局").number == 3


def test_a_case_lists_its_documents_stored_or_not_and_get_reads_one(registry, unique):
    department = f"d{unique.lower()}"
    case_id = f"L{unique}"
    claimed = registry.claim(draft(case_id, 3, DocumentKind.ACCEPTANCE, department), prefix="市场监管局")
    assert registry.get(case_id, "3-acceptance") == claimed and claimed.stored_at is None
    stored = registry.mark_stored(claimed.model_copy(update={"stored_at": ISSUED}))
    registry.claim(draft(case_id, 7, DocumentKind.LICENCE_GRANTED, department), prefix="市场监管局")
    assert registry.get(case_id, "3-acceptance") == stored
    assert sorted((d.seq, d.kind, d.stored_at is not None) for d in registry.list_for_case(case_id)) == [
        (3, DocumentKind.ACCEPTANCE, True), (7, DocumentKind.LICENCE_GRANTED, False)]
    assert registry.list_for_case(f"other{unique}") == []
    assert registry.get(case_id, "9-acceptance") is None
    assert registry.get(case_id, "not-a-document") is None
