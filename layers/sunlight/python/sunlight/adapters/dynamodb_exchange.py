"""The outbound exchange's outbox (Exchange table) and its daily reconciliation (Supervision table).

Exchange table:
| item | pk | sk | index keys |
| --- | --- | --- | --- |
| message | `MSG#{message id}` | `MSG` | day: `DAY#{day}` / `{type}#{message id}`; entity: `ENTITY#{entity}` / `{sequence:012}#{message id}` |
| counters of a day and type | `COUNT#{day}` | `{type}` | — |

A message is written once (conditional put) and then only its state moves: pending → acked, or
pending → failed (given up, in the dead-letter queue) → acked after a redrive. The counters move
with the state (ADD), each message counted once per state. Messages expire after MESSAGE_TTL_DAYS.

Supervision table: `EXCHANGE#RECON` / `{day}#{type}`: a day's reconciled figures, and `EXCHANGE#RECON` /
`STATUS`: the last run's (the API reads them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ..models.exchange import MESSAGE_TYPE_LABELS, DeliveryState, ExchangeDayFigures, ExchangeMessage, ExchangeStatus, MessageType
from ..services.ports.exchange import StoredMessage

DAY_INDEX = "day"
ENTITY_INDEX = "entity"
MESSAGE_TTL_DAYS = 400
RECON_PK = "EXCHANGE#RECON"
COUNTERS = ("sent", "acked", "failed", "failed_attempts")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _key(message_id: str) -> dict[str, Any]:
    return {"pk": _s(f"MSG#{message_id}"), "sk": _s("MSG")}


def _conditional_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _stored(item: Mapping[str, Any]) -> StoredMessage:
    return StoredMessage(message=ExchangeMessage.model_validate_json(item["message"]["S"]),
                         state=DeliveryState(item["state"]["S"]), day=date.fromisoformat(item["day"]["S"]),
                         attempts=int(item.get("attempts", {}).get("N", "0")))


class DynamoExchangeOutbox:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def put_new(self, message: ExchangeMessage, day: date, now: datetime) -> bool:
        expires = int((now + timedelta(days=MESSAGE_TTL_DAYS)).timestamp())
        item = {
            **_key(message.message_id),
            "message": _s(message.model_dump_json()),
            "state": _s(DeliveryState.PENDING.value),
            "message_type": _s(message.message_type.value),
            "entity_id": _s(message.entity_id),
            "day": _s(day.isoformat()),
            "created_at": _s(now.isoformat()),
            "attempts": {"N": "0"},
            "day_pk": _s(f"DAY#{day.isoformat()}"),
            "day_sk": _s(f"{message.message_type.value}#{message.message_id}"),
            "entity_pk": _s(f"ENTITY#{message.entity_id}"),
            "entity_sk": _s(f"{message.sequence:012d}#{message.message_id}"),
            "expires_at": {"N": str(expires)},
        }
        try:
            self.client.put_item(TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if _conditional_failed(error):
                return False
            raise
        self._count(day, message.message_type, sent=1)
        return True

    def get(self, message_id: str) -> StoredMessage | None:
        item = self.client.get_item(TableName=self.table, Key=_key(message_id), ConsistentRead=True).get("Item")
        return None if item is None else _stored(item)

    def earlier(self, message: ExchangeMessage) -> list[StoredMessage]:
        if message.sequence <= 1:
            return []
        items: list[dict[str, Any]] = []
        request: dict[str, Any] = {
            "TableName": self.table, "IndexName": ENTITY_INDEX,
            # sequence 0 (a card in its case's group) has no place in the case's order
            "KeyConditionExpression": "entity_pk = :entity AND entity_sk BETWEEN :first AND :below",
            "ExpressionAttributeValues": {":entity": _s(f"ENTITY#{message.entity_id}"), ":first": _s(f"{1:012d}"),
                                          ":below": _s(f"{message.sequence:012d}")},
        }
        while True:
            page = self.client.query(**request)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return [_stored(item) for item in items]
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def mark_acked(self, message_id: str, status: str, now: datetime) -> bool:
        try:
            old = self.client.update_item(
                TableName=self.table, Key=_key(message_id),
                UpdateExpression="SET #state = :acked, acked_at = :now, ack_status = :status",
                ConditionExpression="attribute_exists(pk) AND #state <> :acked",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":acked": _s(DeliveryState.ACKED.value), ":now": _s(now.isoformat()), ":status": _s(status)},
                ReturnValues="ALL_OLD",
            )["Attributes"]
        except ClientError as error:
            if _conditional_failed(error):
                return False
            raise
        was_failed = old["state"]["S"] == DeliveryState.FAILED.value
        self._count(date.fromisoformat(old["day"]["S"]), MessageType(old["message_type"]["S"]), acked=1, failed=-1 if was_failed else 0)
        return True

    def record_failure(self, message_id: str, error: str, final: bool, now: datetime) -> None:
        names = {"#state": "state"}
        values: dict[str, Any] = {":one": {"N": "1"}, ":error": _s(error[:500]), ":now": _s(now.isoformat()),
                                  ":acked": _s(DeliveryState.ACKED.value)}
        update = "ADD attempts :one SET last_error = :error, failed_at = :now"
        if final:
            update += ", #state = :failed"
            values[":failed"] = _s(DeliveryState.FAILED.value)
        try:
            old = self.client.update_item(
                TableName=self.table, Key=_key(message_id), UpdateExpression=update,
                ConditionExpression="attribute_exists(pk) AND #state <> :acked",
                ExpressionAttributeNames=names, ExpressionAttributeValues=values, ReturnValues="ALL_OLD",
            )["Attributes"]
        except ClientError as failure:
            if _conditional_failed(failure):
                return  # acknowledged meanwhile (an earlier attempt's ack landed): nothing failed
            raise
        newly_failed = final and old["state"]["S"] != DeliveryState.FAILED.value
        self._count(date.fromisoformat(old["day"]["S"]), MessageType(old["message_type"]["S"]), failed_attempts=1,
                    failed=1 if newly_failed else 0)

    def _count(self, day: date, message_type: MessageType, **deltas: int) -> None:
        changes = {name: delta for name, delta in deltas.items() if delta}
        if not changes:
            return
        self.client.update_item(
            TableName=self.table, Key={"pk": _s(f"COUNT#{day.isoformat()}"), "sk": _s(message_type.value)},
            UpdateExpression="ADD " + ", ".join(f"#{n} :{n}" for n in changes),
            ExpressionAttributeNames={f"#{n}": n for n in changes},
            ExpressionAttributeValues={f":{n}": {"N": str(d)} for n, d in changes.items()},
        )

    def day_counters(self, day: date) -> Mapping[MessageType, Mapping[str, int]]:
        items = self.client.query(TableName=self.table, KeyConditionExpression="pk = :pk",
                                  ExpressionAttributeValues={":pk": _s(f"COUNT#{day.isoformat()}")})["Items"]
        return {MessageType(item["sk"]["S"]): {name: int(item[name]["N"]) for name in COUNTERS if name in item}
                for item in items if item["sk"]["S"] in MessageType._value2member_map_}

    def day_states(self, day: date) -> Mapping[MessageType, Mapping[DeliveryState, int]]:
        counts: dict[MessageType, Counter[DeliveryState]] = {}
        start: dict[str, Any] | None = None
        while True:
            page = self.client.query(
                TableName=self.table, IndexName=DAY_INDEX, KeyConditionExpression="day_pk = :day",
                ExpressionAttributeValues={":day": _s(f"DAY#{day.isoformat()}")},
                ProjectionExpression="message_type, #state", ExpressionAttributeNames={"#state": "state"},
                **({"ExclusiveStartKey": start} if start else {}),
            )
            for item in page["Items"]:
                counts.setdefault(MessageType(item["message_type"]["S"]), Counter())[DeliveryState(item["state"]["S"])] += 1
            start = page.get("LastEvaluatedKey")
            if not start:
                return counts


class DynamoReconciliationReports:
    def __init__(self, client: Any, table: str) -> None:
        self.client = client
        self.table = table

    def put_day(self, figures: list[ExchangeDayFigures]) -> None:
        for row in figures:
            self.client.put_item(TableName=self.table, Item={
                "pk": _s(RECON_PK), "sk": _s(f"{row.day.isoformat()}#{row.message_type.value}"),
                "doc": _s(row.model_dump_json()),
            })

    def days(self, first: date, last: date) -> list[ExchangeDayFigures]:
        rows: list[ExchangeDayFigures] = []
        start: dict[str, Any] | None = None
        while True:
            page = self.client.query(
                TableName=self.table, KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
                ExpressionAttributeValues={":pk": _s(RECON_PK), ":first": _s(first.isoformat()), ":last": _s(f"{last.isoformat()}#~")},
                **({"ExclusiveStartKey": start} if start else {}),
            )
            for item in page["Items"]:
                row = ExchangeDayFigures.model_validate_json(item["doc"]["S"])
                rows.append(row.model_copy(update={"type_label": MESSAGE_TYPE_LABELS[row.message_type]}))
            start = page.get("LastEvaluatedKey")
            if not start:
                return rows

    def put_status(self, status: ExchangeStatus) -> None:
        self.client.put_item(TableName=self.table, Item={"pk": _s(RECON_PK), "sk": _s("STATUS"), "doc": _s(status.model_dump_json())})

    def status(self) -> ExchangeStatus | None:
        item = self.client.get_item(TableName=self.table, Key={"pk": _s(RECON_PK), "sk": _s("STATUS")}).get("Item")
        return ExchangeStatus.model_validate_json(item["doc"]["S"]) if item else None
