"""Session revocation marks in the Supervision table.

| item | pk | sk | attributes |
| --- | --- | --- | --- |
| mark | `SESSION#{user id}` | `REVOKED` | `before` (epoch seconds), `reason` |
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError


class DynamoSessionRevocations:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    @staticmethod
    def _key(user_id: str) -> dict[str, Any]:
        return {"pk": {"S": f"SESSION#{user_id}"}, "sk": {"S": "REVOKED"}}

    def revoked_before(self, user_id: str) -> int | None:
        item = self._client.get_item(TableName=self._table, Key=self._key(user_id), ConsistentRead=True).get("Item")
        return int(item["before"]["N"]) if item and "before" in item else None

    def revoke(self, user_id: str, at: int, reason: str) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=self._key(user_id) | {"before": {"N": str(at)}, "reason": {"S": reason[:200]}},
                # Never move the mark back (two admins acting at once).
                ConditionExpression="attribute_not_exists(#b) OR #b < :at",
                ExpressionAttributeNames={"#b": "before"},
                ExpressionAttributeValues={":at": {"N": str(at)}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
