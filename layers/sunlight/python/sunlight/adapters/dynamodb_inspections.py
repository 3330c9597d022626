"""Inspection plans (双随机抽查计划) and published inspection results (公示) in the Cases table.

Keys (beside the cases, see adapters/dynamodb_cases.py):
- plan:           pk="PLAN#{id}"            sk="PLAN"
- plan listing:   pk="PLANS#{department}"   sk="{created, UTC}#{id}" (the same document; newest first)
- idempotency:    pk="IDEM#{owner}#{key}"   sk="IDEM" (case_id holds the plan id)
- public result:  pk="INSPECTION_RESULTS"   sk="{published, UTC}#{case id}" (one partition: a city's
  inspections are a few thousand a year)
Documents are stored as JSON beside the key attributes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.inspection import InspectionPlan, PublishedResult
from ..services.ports import ConcurrentModification, DuplicatePlanRequest, IdempotencyRecord
from .dynamodb_cases import utc_key
from .dynamodb_paging import query_page

PLAN_SK = "PLAN"
RESULTS_PK = "INSPECTION_RESULTS"


def _plan_key(plan_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"PLAN#{plan_id}"}, "sk": {"S": PLAN_SK}}


def _idempotency_key(record: IdempotencyRecord) -> dict[str, Any]:
    return {"pk": {"S": f"IDEM#{record.owner_id}#{record.key}"}, "sk": {"S": "IDEM"}}


class DynamoInspectionRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create_plan(self, plan: InspectionPlan, idempotency: IdempotencyRecord | None) -> None:
        doc = {"doc": {"S": plan.model_dump_json()}}
        listing = {"pk": {"S": f"PLANS#{plan.department_id}"}, "sk": {"S": f"{utc_key(plan.created_at)}#{plan.plan_id}"}}
        new = "attribute_not_exists(pk)"
        operations: list[dict[str, Any]] = [
            {"Put": {"TableName": self._table, "Item": {**_plan_key(plan.plan_id), **doc}, "ConditionExpression": new}},
            {"Put": {"TableName": self._table, "Item": {**listing, **doc}, "ConditionExpression": new}},
        ]
        if idempotency:
            item = {**_idempotency_key(idempotency), "case_id": {"S": plan.plan_id}, "fingerprint": {"S": idempotency.fingerprint}}
            operations.append({"Put": {"TableName": self._table, "Item": item, "ConditionExpression": new}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if idempotency:
                existing = self._client.get_item(TableName=self._table, Key=_idempotency_key(idempotency), ConsistentRead=True).get("Item")
                if existing and existing["case_id"]["S"] != plan.plan_id:
                    raise DuplicatePlanRequest(existing["case_id"]["S"], existing["fingerprint"]["S"]) from error
            if error.response.get("Error", {}).get("Code") in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                raise ConcurrentModification(str(error)) from error
            raise

    def get_plan(self, plan_id: str) -> InspectionPlan | None:
        item = self._client.get_item(TableName=self._table, Key=_plan_key(plan_id), ConsistentRead=True).get("Item")
        return InspectionPlan.model_validate_json(item["doc"]["S"]) if item else None

    def department_plans(self, department_id: str, *, limit: int, start_key: dict | None) -> tuple[list[InspectionPlan], dict | None]:
        kwargs = {
            "TableName": self._table, "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"PLANS#{department_id}"}}, "ScanIndexForward": False, "Limit": limit,
        }
        items, key = query_page(self._client, kwargs, start_key)
        return [InspectionPlan.model_validate_json(i["doc"]["S"]) for i in items], key

    def put_result(self, result: PublishedResult, *, published_at: datetime) -> None:
        item = {"pk": {"S": RESULTS_PK}, "sk": {"S": f"{utc_key(published_at)}#{result.case_id}"}, "doc": {"S": result.model_dump_json()}}
        self._client.put_item(TableName=self._table, Item=item)

    def results(self, *, limit: int, start_key: dict | None) -> tuple[list[PublishedResult], dict | None]:
        kwargs = {
            "TableName": self._table, "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": RESULTS_PK}}, "ScanIndexForward": False, "Limit": limit,
        }
        items, key = query_page(self._client, kwargs, start_key)
        return [PublishedResult.model_validate_json(i["doc"]["S"]) for i in items], key
