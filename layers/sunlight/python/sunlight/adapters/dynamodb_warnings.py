"""Warnings and cards in the Cases table, beside their case; inbox entries per recipient.

- warning: pk="CASE#{case}" sk="WARN#{warning id}", level, status
           (+ supervision_pk="{department}", supervision_sk="{issued}#{id}")
- inbox:   pk="INBOX#{recipient}" sk="{issued}#{warning id}", warning_id, level
A warning and its inbox entries are written in one transaction, conditional on the warning not
existing: a check that runs twice, or is retried, issues nothing twice.

Lists filtered by level or status use a FilterExpression. DynamoDB applies `Limit` before the
filter, so a list keeps reading (from LastEvaluatedKey) until its page is full, the partition
ends or MAX_QUERIES_PER_PAGE reads were made; the key it returns continues exactly after the last
warning it returned (or after the last item it read), so pages never skip or repeat a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from botocore.exceptions import ClientError

from ..models.warnings import Warning, WarningFilter
from ..services.ports import ConcurrentModification
from .dynamodb_cases import case_pk, utc_key

SUPERVISION_INDEX = "supervision"
# The bound of one request's reads: a filter that matches little cannot make one request walk a
# whole partition; the caller gets a shorter page (perhaps empty) and a key to continue.
MAX_QUERIES_PER_PAGE = 10
BATCH_GET_MAX = 100

_INBOX_KEY = ("pk", "sk")
_SUPERVISION_KEY = ("pk", "sk", "supervision_pk", "supervision_sk")


def case_id_of(warning_id: str) -> str:
    return warning_id.split("-", 1)[0]


def _warning_key(warning_id: str) -> dict[str, Any]:
    return {"pk": {"S": case_pk(case_id_of(warning_id))}, "sk": {"S": f"WARN#{warning_id}"}}


def _warning_item(warning: Warning) -> dict[str, Any]:
    return {
        **_warning_key(warning.warning_id),
        "doc": {"S": warning.model_dump_json()},
        "version": {"N": str(warning.version)},
        "level": {"S": warning.level.value},
        "status": {"S": warning.status.value},
        "supervision_pk": {"S": warning.department_id},
        "supervision_sk": {"S": f"{utc_key(warning.issued_at)}#{warning.warning_id}"},
    }


def _add_filter(query: dict[str, Any], attributes: dict[str, str | None]) -> None:
    """Adds `attribute = value` for each value given. Items written before these attributes were
    stored have none: they pass here and are decided on their document (WarningFilter.matches)."""
    conditions = []
    for name, value in attributes.items():
        if value is None:
            continue
        conditions.append(f"(attribute_not_exists(#{name}) OR #{name} = :{name})")
        query.setdefault("ExpressionAttributeNames", {})[f"#{name}"] = name  # both are reserved words
        query["ExpressionAttributeValues"][f":{name}"] = {"S": value}
    if conditions:
        query["FilterExpression"] = " AND ".join(conditions)


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
                "level": {"S": warning.level.value},
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

    def for_department(
        self, department_id: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        matching = matching or WarningFilter()
        query: dict[str, Any] = {
            "TableName": self._table, "IndexName": SUPERVISION_INDEX, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "supervision_pk = :d", "ExpressionAttributeValues": {":d": {"S": department_id}},
        }
        _add_filter(query, {"level": matching.level, "status": matching.status})
        return self._fill_page(query, start_key, limit, matching, _documents, _SUPERVISION_KEY)

    def inbox(
        self, recipient: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        matching = matching or WarningFilter()
        query: dict[str, Any] = {
            "TableName": self._table, "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": {":pk": {"S": f"INBOX#{recipient}"}},
        }
        # Inbox entries carry the level, which never changes, so the Query filters on it. Not the
        # status: it changes with every card action, and a copy on each recipient's entry would
        # make every action a multi-item transaction and a second place to keep right. The
        # status is checked on the warnings read (one BatchGetItem per Query page).
        _add_filter(query, {"level": matching.level})
        return self._fill_page(query, start_key, limit, matching, self._pointed_to, _INBOX_KEY)

    def _fill_page(
        self, query: dict[str, Any], start_key: dict | None, limit: int, matching: WarningFilter,
        warnings_of: Callable[[list[dict]], list[Warning | None]], key_attributes: Iterable[str],
    ) -> tuple[list[Warning], dict | None]:
        page: list[Warning] = []
        start = start_key
        for _ in range(MAX_QUERIES_PER_PAGE):
            items, last = self._query(dict(query), start)
            for index, (item, warning) in enumerate(zip(items, warnings_of(items), strict=True)):
                if warning is None or not matching.matches(warning):
                    continue
                page.append(warning)
                if len(page) == limit:
                    # Full: continue right after this item (the rest of this read is read again),
                    # or where the read stopped when it was the read's last item.
                    return page, ({k: item[k]["S"] for k in key_attributes} if index < len(items) - 1 else last)
            if last is None:
                return page, None
            start = last
        return page, start

    def _pointed_to(self, entries: list[dict]) -> list[Warning | None]:
        """The warnings of inbox entries, in their order (None for an entry whose warning is gone)."""
        found: dict[str, Warning] = {}
        wanted = list(dict.fromkeys(entry["warning_id"]["S"] for entry in entries))
        for first in range(0, len(wanted), BATCH_GET_MAX):
            request: dict[str, Any] = {self._table: {"Keys": [_warning_key(w) for w in wanted[first : first + BATCH_GET_MAX]], "ConsistentRead": True}}
            while request:
                response = self._client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self._table, []):
                    warning = Warning.model_validate_json(item["doc"]["S"])
                    found[warning.warning_id] = warning
                request = response.get("UnprocessedKeys") or {}
        return [found.get(entry["warning_id"]["S"]) for entry in entries]

    def _query(self, kwargs: dict[str, Any], start_key: dict | None) -> tuple[list[dict], dict | None]:
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: {"S": str(v)} for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return response["Items"], ({k: v["S"] for k, v in last.items()} if last else None)


def _documents(items: list[dict]) -> list[Warning | None]:
    return [Warning.model_validate_json(item["doc"]["S"]) for item in items]
