"""The inbound exchange's records in the Supervision table.

| record | pk | sk | listing (listing_pk, listing_sk) |
|---|---|---|---|
| received message id | `INBOUNDMSG#{message id}` | `MESSAGE` | — |
| held report | `INBOUNDHOLD#{client}#{platform}#{entity}` | `{sequence:010d}` | `INBOUNDHOLD#all`, `{received, UTC}#{stream}#{sequence}` |
| quarantined message | `INBOUNDQ#{id}` | `QUARANTINE` | `INBOUNDQ#all`, `{received, UTC}#{id}` |

A message id and its held report are written in one transaction, conditional on the id being new:
a retried or repeated message never holds (or applies) twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.inbound import QuarantinedMessage
from ..services.ports import HeldReport
from .dynamodb_cases import utc_key
from .dynamodb_paging import query_page

LISTING_INDEX = "listing"
QUARANTINE_LISTING = "INBOUNDQ#all"
HELD_LISTING = "INBOUNDHOLD#all"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _message_key(message_id: str) -> dict[str, Any]:
    return {"pk": _s(f"INBOUNDMSG#{message_id}"), "sk": _s("MESSAGE")}


def _hold_pk(stream: str) -> str:
    return f"INBOUNDHOLD#{stream}"


def _held(item: dict[str, Any]) -> HeldReport:
    received = item.get("received_at", {}).get("S")
    return HeldReport(sequence=int(item["sk"]["S"]), message_id=item["message_id"]["S"], raw=item["raw"]["S"],
                      stream=item.get("stream", {}).get("S", ""), received_at=datetime.fromisoformat(received) if received else None)


class DynamoInboundStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def receive(self, message_id: str, *, fingerprint: str, stream: str, sequence: int, raw: str | None,
                received_at: datetime) -> str | None:
        operations: list[dict[str, Any]] = [{"Put": {
            "TableName": self._table, "ConditionExpression": "attribute_not_exists(pk)",
            "Item": {**_message_key(message_id), "fingerprint": _s(fingerprint), "stream": _s(stream),
                     "sequence": {"N": str(sequence)}}}}]
        if raw is not None:
            operations.append({"Put": {"TableName": self._table, "Item": {
                "pk": _s(_hold_pk(stream)), "sk": _s(f"{sequence:010d}"), "message_id": _s(message_id), "raw": _s(raw),
                "stream": _s(stream), "received_at": _s(received_at.isoformat()),
                "listing_pk": _s(HELD_LISTING), "listing_sk": _s(f"{utc_key(received_at)}#{stream}#{sequence:010d}")}}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            stored = self._client.get_item(TableName=self._table, Key=_message_key(message_id), ConsistentRead=True).get("Item")
            if stored is None:
                raise
            return str(stored["fingerprint"]["S"])
        return None

    def held(self, stream: str) -> list[HeldReport]:
        items, key = [], None
        while True:
            request: dict[str, Any] = {"TableName": self._table, "KeyConditionExpression": "pk = :pk", "ConsistentRead": True,
                                       "ExpressionAttributeValues": {":pk": _s(_hold_pk(stream))}}
            if key:
                request["ExclusiveStartKey"] = key
            response = self._client.query(**request)
            items += response["Items"]
            key = response.get("LastEvaluatedKey")
            if not key:
                break
        return [_held(i) for i in items]

    def waiting(self, *, limit: int, start_key: dict | None) -> tuple[list[HeldReport], dict | None]:
        items, last = query_page(self._client, {
            "TableName": self._table, "IndexName": LISTING_INDEX, "KeyConditionExpression": "listing_pk = :l",
            "ExpressionAttributeValues": {":l": _s(HELD_LISTING)}, "Limit": limit,
        }, start_key)
        return [_held(i) for i in items], last

    def release(self, stream: str, sequence: int) -> None:
        self._client.delete_item(TableName=self._table, Key={"pk": _s(_hold_pk(stream)), "sk": _s(f"{sequence:010d}")})

    def quarantine(self, record: QuarantinedMessage) -> None:
        self._client.put_item(TableName=self._table, Item={
            "pk": _s(f"INBOUNDQ#{record.quarantine_id}"), "sk": _s("QUARANTINE"),
            "listing_pk": _s(QUARANTINE_LISTING), "listing_sk": _s(f"{utc_key(record.received_at)}#{record.quarantine_id}"),
            "doc": _s(record.model_dump_json())})

    def quarantined(self, *, limit: int, start_key: dict | None) -> tuple[list[QuarantinedMessage], dict | None]:
        items, last = query_page(self._client, {
            "TableName": self._table, "IndexName": LISTING_INDEX, "KeyConditionExpression": "listing_pk = :l",
            "ExpressionAttributeValues": {":l": _s(QUARANTINE_LISTING)}, "ScanIndexForward": False, "Limit": limit,
        }, start_key)
        return [QuarantinedMessage.model_validate_json(item["doc"]["S"]) for item in items], last
