"""Warnings and cards in the Cases table, beside their case; inbox entries per recipient.

- warning: pk="CASE#{case}" sk="WARN#{warning id}"  (+ supervision_pk="{department}", supervision_sk="{issued}#{id}")
- inbox:   pk="INBOX#{recipient}" sk="{issued}#{warning id}"
A warning and its inbox entries are written in one transaction, conditional on the warning not
existing: a check that runs twice, or is retried, issues nothing twice.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..models.warnings import Warning
from ..services.ports import ConcurrentModification
from .dynamodb_cases import case_pk, utc_key

SUPERVISION_INDEX = "supervision"


def case_id_of(warning_id: str) -> str:
    return warning_id.split("-", 1)[0]


def _warning_key(warning_id: str) -> dict[str, Any]:
    return {"pk": {"S": case_pk(case_id_of(warning_id))}, "sk": {"S": f"WARN#{warning_id}"}}


def _warning_item(warning: Warning) -> dict[str, Any]:
    return {
        **_warning_key(warning.warning_id),
        "doc": {"S": warning.model_dump_json()},
        "version": {"N": str(warning.version)},
        "supervision_pk": {"S": warning.department_id},
        "supervision_sk": {"S": f"{utc_key(warning.issued_at)}#{warning.warning_id}"},
    }


class DynamoWarningRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def issue(self, warning: Warning) -> bool:
        operations = [{"Put": {"TableName": self._table, "Item": _warning_item(warning), "ConditionExpression": "attribute_not_exists(pk)"}}]
        for recipient in warning.recipients:
            operations.append({"Put": {"TableName": self._table, "Item": {
                "pk": {"S": f"INBOX#{recipient}"},
                "sk": {"S": f"{utc_key(warning.issued_at)}#{warning.warning_id}"},
                "warning_id": {"S": warning.warning_id},
            }}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                if self.get(warning.warning_id) is not None:
                    return False
            raise
        return True

    def get(self, warning_id: str) -> Warning | None:
        item = self._client.get_item(TableName=self._table, Key=_warning_key(warning_id), ConsistentRead=True).get("Item")
        return Warning.model_validate_json(item["doc"]["S"]) if item else None

    def save(self, warning: Warning, *, expected_version: int) -> None:
        try:
            self._client.put_item(
                TableName=self._table, Item=_warning_item(warning), ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": {"N": str(expected_version)}},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConcurrentModification(warning.warning_id) from error
            raise

    def for_case(self, case_id: str) -> list[Warning]:
        response = self._client.query(
            TableName=self._table, KeyConditionExpression="pk = :pk AND begins_with(sk, :w)",
            ExpressionAttributeValues={":pk": {"S": case_pk(case_id)}, ":w": {"S": "WARN#"}},
        )
        return sorted((Warning.model_validate_json(i["doc"]["S"]) for i in response["Items"]), key=lambda w: w.issued_at)

    def for_department(self, department_id: str, *, limit: int, start_key: dict | None) -> tuple[list[Warning], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": SUPERVISION_INDEX, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "supervision_pk = :d", "ExpressionAttributeValues": {":d": {"S": department_id}},
        }
        items, last = self._query(kwargs, start_key)
        return [Warning.model_validate_json(i["doc"]["S"]) for i in items], last

    def inbox(self, recipient: str, *, limit: int, start_key: dict | None) -> tuple[list[Warning], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": f"INBOX#{recipient}"}},
        }
        items, last = self._query(kwargs, start_key)
        warnings = [self.get(i["warning_id"]["S"]) for i in items]
        return [w for w in warnings if w is not None], last

    def _query(self, kwargs: dict[str, Any], start_key: dict | None) -> tuple[list[dict], dict | None]:
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: {"S": str(v)} for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return response["Items"], ({k: v["S"] for k, v in last.items()} if last else None)
