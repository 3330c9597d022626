"""Documents (文书) with their case, and the 文号 counters, in the Cases table.

Keys:
- document: pk="CASE#{id}"  sk="DOC#{seq:06}#{kind}" (the case's partition: one Query lists them;
            the case's own reads keep only sk="CASE" and "EVT#…")
- counter:  pk="DOCNO#{department}#{year}#{kind}"  sk="DOCNO", n = the last number taken

The number is taken with the record in one transaction: the counter moves from the value read
to the next only if no one moved it meanwhile, and the record is put only if the document (case,
event, kind) has none yet. So numbers are unique and gap-free, and a redelivered event finds its
record instead of taking a second number.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..models.documents import CaseDocument, DocumentKind, document_number
from ..services.ports import ConcurrentModification
from .dynamodb_cases import case_pk

DOCUMENT_SK_PREFIX = "DOC#"
COUNTER_SK = "DOCNO"
# Concurrent issuers of the same department, year and kind each retry on a moved counter.
CLAIM_ATTEMPTS = 8


def document_sk(seq: int, kind: DocumentKind) -> str:
    return f"{DOCUMENT_SK_PREFIX}{seq:06d}#{kind.value}"


def counter_pk(department_id: str, year: int, kind: DocumentKind) -> str:
    return f"DOCNO#{department_id}#{year}#{kind.value}"


def _sk_of(document_id: str) -> str | None:
    seq, _, kind = document_id.partition("-")
    if not seq.isdigit() or kind not in DocumentKind._value2member_map_:
        return None
    return document_sk(int(seq), DocumentKind(kind))


class DynamoDocumentRegistry:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def get(self, case_id: str, document_id: str) -> CaseDocument | None:
        sk = _sk_of(document_id)
        if sk is None:
            return None
        item = self._client.get_item(
            TableName=self._table, Key={"pk": {"S": case_pk(case_id)}, "sk": {"S": sk}}, ConsistentRead=True
        ).get("Item")
        return CaseDocument.model_validate_json(item["doc"]["S"]) if item else None

    def claim(self, draft: CaseDocument, *, prefix: str) -> CaseDocument:
        key = {"pk": {"S": case_pk(draft.case_id)}, "sk": {"S": document_sk(draft.seq, draft.kind)}}
        counter_key = {"pk": {"S": counter_pk(draft.department_id, draft.year, draft.kind)}, "sk": {"S": COUNTER_SK}}
        for _ in range(CLAIM_ATTEMPTS):
            counter = self._client.get_item(TableName=self._table, Key=counter_key, ConsistentRead=True).get("Item")
            last = int(counter["n"]["N"]) if counter else 0
            number = last + 1
            document = draft.model_copy(
                update={"number": number, "number_text": document_number(prefix, draft.kind, draft.year, number)}
            )
            moved = {"ConditionExpression": "n = :last", "ExpressionAttributeValues": {":last": {"N": str(last)}, ":next": {"N": str(number)}}} \
                if counter else {"ConditionExpression": "attribute_not_exists(pk)", "ExpressionAttributeValues": {":next": {"N": str(number)}}}
            try:
                self._client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": self._table, "Key": counter_key, "UpdateExpression": "SET n = :next", **moved}},
                    {"Put": {"TableName": self._table, "Item": {**key, **_attributes(document)},
                             "ConditionExpression": "attribute_not_exists(pk)"}},
                ])
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                existing = self.get(draft.case_id, draft.document_id)
                if existing is not None:
                    return existing  # recorded by an earlier (or concurrent) delivery: its number stands
                continue  # the counter moved: read it again
            return document
        raise ConcurrentModification(f"document number of {draft.document_id} of case {draft.case_id}")

    def mark_stored(self, document: CaseDocument) -> CaseDocument:
        self._client.put_item(
            TableName=self._table,
            Item={"pk": {"S": case_pk(document.case_id)}, "sk": {"S": document_sk(document.seq, document.kind)}, **_attributes(document)},
            # Only over its own record: the number is never changed after it was taken.
            ConditionExpression="attribute_exists(pk) AND num = :number",
            ExpressionAttributeValues={":number": {"N": str(document.number)}},
        )
        return document

    def list_for_case(self, case_id: str) -> list[CaseDocument]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :doc)",
            "ExpressionAttributeValues": {":pk": {"S": case_pk(case_id)}, ":doc": {"S": DOCUMENT_SK_PREFIX}},
        }
        documents = []
        while True:
            response = self._client.query(**kwargs)
            documents += [CaseDocument.model_validate_json(item["doc"]["S"]) for item in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return documents
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def _attributes(document: CaseDocument) -> dict[str, Any]:
    return {"doc": {"S": document.model_dump_json()}, "num": {"N": str(document.number)}}
