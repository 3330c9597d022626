"""Upload check verdicts in the Cases table, keyed by the upload's storage key.

Key: pk="UPLOAD#{storage key}" sk="CHECK", `status` beside the JSON document for conditions.
A failure is written with the uploader's notification (Supervision table) in one transaction.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..models.complaints import Notification
from ..models.uploads import UploadCheck, UploadCheckStatus
from .dynamodb_social import _notification_item  # the one shape of a notification item

SK = "CHECK"
_BATCH = 100  # BatchGetItem's limit per call


def _key(storage_key: str) -> dict[str, Any]:
    return {"pk": {"S": f"UPLOAD#{storage_key}"}, "sk": {"S": SK}}


def _item(check: UploadCheck) -> dict[str, Any]:
    return {**_key(check.storage_key), "status": {"S": check.status.value}, "doc": {"S": check.model_dump_json()}}


class DynamoUploadChecks:
    def __init__(self, client: Any, cases_table: str, supervision_table: str) -> None:
        self._client = client
        self._table = cases_table
        self._supervision_table = supervision_table

    def get_many(self, storage_keys: list[str]) -> dict[str, UploadCheck]:
        found: dict[str, UploadCheck] = {}
        keys = list(dict.fromkeys(storage_keys))
        for start in range(0, len(keys), _BATCH):
            request: dict[str, Any] = {
                self._table: {"Keys": [_key(k) for k in keys[start:start + _BATCH]], "ConsistentRead": True}
            }
            while request:
                response = self._client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self._table, []):
                    check = UploadCheck.model_validate_json(item["doc"]["S"])
                    found[check.storage_key] = check
                request = response.get("UnprocessedKeys") or {}
        return found

    def record_passed(self, check: UploadCheck) -> bool:
        try:
            self._client.put_item(
                TableName=self._table, Item=_item(check), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def record_failed(self, check: UploadCheck, notification: Notification) -> bool:
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _item(check),
                            "ConditionExpression": "attribute_not_exists(pk) OR #status <> :failed",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {":failed": {"S": UploadCheckStatus.FAILED.value}},
                        }
                    },
                    {"Put": {"TableName": self._supervision_table, "Item": _notification_item(notification)}},
                ]
            )
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            if error.response["Error"]["Code"] == "TransactionCanceledException" and any(
                r.get("Code") == "ConditionalCheckFailed" for r in reasons
            ):
                return False
            raise
        return True
