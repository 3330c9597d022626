"""Supervision orders (督查督办) in the Supervision table.

| item | pk | sk | index keys |
| --- | --- | --- | --- |
| order | `ORDER#{id}` | `ORDER` | listing: `ORDER#{dept}` / `{issued}#{id}`; owner: `ORDER#city` / `{issued}#{id}` |
| responsibility entry | `ORDER#{id}` | `RESP` | owner: `ORDERRESP#{user id}` / `{established}#{id}` |
| due alarm (unanswered only) | `ORDERALARM` | `{next alarm}#{id}` | — (the sweep queries sk <= now) |
| escalation inbox entry | `ORDERINBOX#{recipient}` | `{at}#{id}` | — |
| idempotency key | `IDEM#{user}#{key}` | `ORDER` | — |

The order carries a `version`; every save is one transaction: the order conditional on its
version, its responsibility entry and due alarm moved with it, and any new inbox entries. The
alarm partition holds only unanswered orders, so the sweep reads what is due, never the rest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.orders import OrderInboxEntry, SupervisionOrder
from ..services.ports import ConcurrentModification, DuplicateOrderRequest, IdempotencyRecord
from .dynamodb_cases import utc_key
from .dynamodb_paging import query_page

LISTING_INDEX = "listing"
OWNER_INDEX = "owner"
ALARM_PK = "ORDERALARM"
CITY_LISTING = "ORDER#city"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def order_key(order_id: str) -> dict[str, Any]:
    return {"pk": _s(f"ORDER#{order_id}"), "sk": _s("ORDER")}


def _order_item(order: SupervisionOrder) -> dict[str, Any]:
    sort = f"{utc_key(order.issued_at)}#{order.order_id}"
    return {
        **order_key(order.order_id),
        "doc": _s(order.model_dump_json()),
        "version": {"N": str(order.version)},
        "status": _s(order.status.value),
        "listing_pk": _s(f"ORDER#{order.department_id}"),
        "listing_sk": _s(sort),
        "owner_pk": _s(CITY_LISTING),
        "owner_sk": _s(sort),
    }


def _alarm_key(order: SupervisionOrder) -> dict[str, Any] | None:
    alarm = order.next_alarm_at
    return {"pk": _s(ALARM_PK), "sk": _s(f"{utc_key(alarm)}#{order.order_id}")} if alarm else None


def _responsibility_item(order: SupervisionOrder) -> dict[str, Any] | None:
    if order.responsibility is None:
        return None
    responsibility = order.responsibility
    return {
        "pk": _s(f"ORDER#{order.order_id}"), "sk": _s("RESP"), "order_id": _s(order.order_id),
        "owner_pk": _s(f"ORDERRESP#{responsibility.staff_user_id}"),
        "owner_sk": _s(f"{utc_key(responsibility.established_at)}#{order.order_id}"),
    }


def _cancelled(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in ("TransactionCanceledException", "ConditionalCheckFailedException")


class DynamoOrderRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, order: SupervisionOrder, idempotency: IdempotencyRecord | None) -> None:
        operations: list[dict[str, Any]] = [
            {"Put": {"TableName": self._table, "Item": _order_item(order), "ConditionExpression": "attribute_not_exists(pk)"}}
        ]
        alarm = _alarm_key(order)
        if alarm:
            operations.append({"Put": {"TableName": self._table, "Item": {**alarm, "order_id": _s(order.order_id)}}})
        if idempotency:
            operations.append({"Put": {"TableName": self._table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
                **self._idempotency_key(idempotency.owner_id, idempotency.key),
                "order_id": _s(order.order_id), "fingerprint": _s(idempotency.fingerprint)}}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _cancelled(error) and idempotency:
                stored = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                               Key=self._idempotency_key(idempotency.owner_id, idempotency.key)).get("Item")
                if stored:
                    raise DuplicateOrderRequest(stored["order_id"]["S"], stored["fingerprint"]["S"]) from error
            raise

    @staticmethod
    def _idempotency_key(owner_id: str, key: str) -> dict[str, Any]:
        return {"pk": _s(f"IDEM#{owner_id}#{key}"), "sk": _s("ORDER")}

    def get(self, order_id: str) -> SupervisionOrder | None:
        item = self._client.get_item(TableName=self._table, Key=order_key(order_id), ConsistentRead=True).get("Item")
        return SupervisionOrder.model_validate_json(item["doc"]["S"]) if item else None

    def save(self, order: SupervisionOrder, *, expected_version: int, previous: SupervisionOrder, inbox: tuple[str, ...] = ()) -> None:
        operations: list[dict[str, Any]] = [{"Put": {
            "TableName": self._table, "Item": _order_item(order), "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":v": {"N": str(expected_version)}}}}]
        old_alarm, new_alarm = _alarm_key(previous), _alarm_key(order)
        if old_alarm != new_alarm:
            if old_alarm:
                operations.append({"Delete": {"TableName": self._table, "Key": old_alarm}})
            if new_alarm:
                operations.append({"Put": {"TableName": self._table, "Item": {**new_alarm, "order_id": _s(order.order_id)}}})
        responsibility = _responsibility_item(order)
        if responsibility and responsibility != _responsibility_item(previous):
            operations.append({"Put": {"TableName": self._table, "Item": responsibility}})
        for recipient in inbox:
            escalation = next(e for e in reversed(order.escalations) if e.recipient == recipient)
            operations.append({"Put": {"TableName": self._table, "Item": {
                "pk": _s(f"ORDERINBOX#{recipient}"), "sk": _s(f"{utc_key(escalation.at)}#{order.order_id}"),
                "order_id": _s(order.order_id), "level": _s(escalation.level), "at": _s(escalation.at.isoformat())}}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _cancelled(error):
                raise ConcurrentModification(order.order_id) from error
            raise

    def list_all(self, *, status: str | None, limit: int, start_key: dict | None) -> tuple[list[SupervisionOrder], dict | None]:
        return self._orders_of(OWNER_INDEX, "owner_pk", CITY_LISTING, status, limit, start_key)

    def for_department(self, department_id: str, *, status: str | None, limit: int, start_key: dict | None) -> tuple[list[SupervisionOrder], dict | None]:
        return self._orders_of(LISTING_INDEX, "listing_pk", f"ORDER#{department_id}", status, limit, start_key)

    def _orders_of(self, index: str, key: str, value: str, status: str | None, limit: int, start_key: dict | None):
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": index, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": f"{key} = :k", "ExpressionAttributeValues": {":k": _s(value)},
        }
        if status:
            # A filter: the page is filled by repeated reads (dynamodb_paging).
            kwargs["FilterExpression"] = "#status = :status"
            kwargs["ExpressionAttributeNames"] = {"#status": "status"}
            kwargs["ExpressionAttributeValues"][":status"] = _s(status)
        items, last = query_page(self._client, kwargs, start_key)
        return [SupervisionOrder.model_validate_json(i["doc"]["S"]) for i in items], last

    def naming(self, user_id: str, *, limit: int, start_key: dict | None) -> tuple[list[SupervisionOrder], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": OWNER_INDEX, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "owner_pk = :k", "ExpressionAttributeValues": {":k": _s(f"ORDERRESP#{user_id}")},
        }
        items, last = self._query(kwargs, start_key)
        orders = [self.get(i["order_id"]["S"]) for i in items]
        return [o for o in orders if o is not None], last

    def due(self, now: datetime, *, limit: int) -> list[str]:
        response = self._client.query(
            TableName=self._table, KeyConditionExpression="pk = :pk AND sk <= :now", Limit=limit,
            ExpressionAttributeValues={":pk": _s(ALARM_PK), ":now": _s(f"{utc_key(now)}#~")},
        )
        return [item["order_id"]["S"] for item in response["Items"]]

    def inbox(self, recipient: str, *, limit: int, start_key: dict | None) -> tuple[list[OrderInboxEntry], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": _s(f"ORDERINBOX#{recipient}")},
        }
        items, last = self._query(kwargs, start_key)
        entries = []
        for item in items:
            order = self.get(item["order_id"]["S"])
            if order is not None:
                entries.append(OrderInboxEntry(recipient=recipient, at=datetime.fromisoformat(item["at"]["S"]),
                                               level=item["level"]["S"], order=order))
        return entries, last

    def _query(self, kwargs: dict[str, Any], start_key: dict | None) -> tuple[list[dict], dict | None]:
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: _s(str(v)) for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return response["Items"], ({k: v["S"] for k, v in last.items()} if last else None)
