"""Evaluation records in the Supervision table (绩效评估).

| record | pk | sk | other |
| --- | --- | --- | --- |
| fact marker | `FACT#{dept}#{YYYY-MM}#{metric}` | `{subject id}` (case/card/complaint/order) | `event_id`, `at`, `item_code`, `details` (JSON), `revoked_at` |
| department counters | `STATS#{YYYY-MM}` | `DEPT#{dept}` | one Number per figure (models/evaluation.py Figures) |
| item counters | `STATS#{YYYY-MM}` | `ITEM#{dept}#{item code}` | the same Numbers, for the facts that name an item |
| period snapshot | `SNAPSHOT#{period}` | `SNAPSHOT` | `doc` (JSON); `listing_pk`=`SNAPSHOT#{granularity}`, `listing_sk`=`{period}` |
| weights | `WEIGHTS` | `CURRENT` / `V#{version:06d}` | `doc` (JSON), `version` |

A fact is one transaction: its markers (each `attribute_not_exists`) and the ADDs to its
counters, so a redelivered event counts once and every counter equals the number of live
markers behind it. A month's figures for every department are one Query of `STATS#{month}`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.evaluation import FIGURE_FIELDS, Figures, Snapshot, Weights
from ..services.ports import ConcurrentModification, FactEntry, FactRecord, StartKey

SNAPSHOT_SK = "SNAPSHOT"
WEIGHTS_PK = "WEIGHTS"
CURRENT_WEIGHTS_SK = "CURRENT"
BATCH_GET_MAX = 100
_FIGURES = frozenset(FIGURE_FIELDS)


def marker_pk(department_id: str, month: str, metric: str) -> str:
    return f"FACT#{department_id}#{month}#{metric}"


def stats_pk(month: str) -> str:
    return f"STATS#{month}"


def snapshot_pk(period: str) -> str:
    return f"SNAPSHOT#{period}"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _figures(item: dict[str, Any]) -> Figures:
    return Figures(**{k: int(v["N"]) for k, v in item.items() if k in _FIGURES and "N" in v})


def _is_cancelled(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in ("TransactionCanceledException", "ConditionalCheckFailedException")


class DynamoEvaluationRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # --- facts -------------------------------------------------------------------------------

    def _marker_key(self, fact: FactEntry, metric: str) -> dict[str, Any]:
        return {"pk": _s(marker_pk(fact.department_id, fact.month, metric)), "sk": _s(fact.subject_id)}

    def _marker_item(self, fact: FactEntry, metric: str, revoked_at: str | None = None) -> dict[str, Any]:
        item = {
            **self._marker_key(fact, metric),
            "event_id": _s(fact.event_id),
            "at": _s(fact.occurred_at.isoformat()),
            "details": _s(json.dumps(dict(fact.details), ensure_ascii=False, default=str)),
        }
        if fact.item_code:
            item["item_code"] = _s(fact.item_code)
        if revoked_at:
            item["revoked_at"] = _s(revoked_at)
        return item

    def _counter_updates(self, fact: FactEntry, sign: int) -> list[dict[str, Any]]:
        increments = {k: v for k, v in fact.increments.items() if k in _FIGURES and v}
        if not increments:
            return []
        names = {f"#f{i}": name for i, name in enumerate(increments)}
        values = {f":v{i}": {"N": str(sign * increments[name])} for i, name in enumerate(increments)}
        expression = "ADD " + ", ".join(f"#f{i} :v{i}" for i in range(len(increments)))
        sort_keys = [f"DEPT#{fact.department_id}"] + ([f"ITEM#{fact.department_id}#{fact.item_code}"] if fact.item_code else [])
        return [
            {"Update": {"TableName": self._table, "Key": {"pk": _s(stats_pk(fact.month)), "sk": _s(sk)},
                        "UpdateExpression": expression, "ExpressionAttributeNames": names,
                        "ExpressionAttributeValues": values}}
            for sk in sort_keys
        ]

    def fact_operations(self, fact: FactEntry) -> list[dict[str, Any]]:
        """The TransactItems that count a fact (also used to seed the benchmark as the consumer would)."""
        markers = [
            {"Put": {"TableName": self._table, "Item": self._marker_item(fact, metric), "ConditionExpression": "attribute_not_exists(pk)"}}
            for metric in fact.metrics
        ]
        return markers + self._counter_updates(fact, +1)

    def _marker(self, fact: FactEntry) -> dict[str, Any] | None:
        return self._client.get_item(TableName=self._table, Key=self._marker_key(fact, fact.metrics[0]), ConsistentRead=True).get("Item")

    def record_fact(self, fact: FactEntry) -> bool:
        try:
            self._client.transact_write_items(TransactItems=self.fact_operations(fact))
        except ClientError as error:
            if _is_cancelled(error) and self._marker(fact) is not None:
                return False  # counted before (or revoked before it arrived)
            raise
        return True

    def revoke_fact(self, fact: FactEntry) -> bool:
        revoked_at = str(fact.details.get("revoked_at") or fact.occurred_at.isoformat())
        for _ in range(3):
            marker = self._marker(fact)
            if marker is not None and "revoked_at" in marker:
                return False
            if marker is None:  # the revocation overtook its fact: the fact must never count
                operations = [
                    {"Put": {"TableName": self._table, "Item": self._marker_item(fact, metric, revoked_at),
                             "ConditionExpression": "attribute_not_exists(pk)"}}
                    for metric in fact.metrics
                ]
            else:
                operations = [
                    {"Update": {"TableName": self._table, "Key": self._marker_key(fact, metric),
                                "UpdateExpression": "SET revoked_at = :r",
                                "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(revoked_at)",
                                "ExpressionAttributeValues": {":r": _s(revoked_at)}}}
                    for metric in fact.metrics
                ] + self._counter_updates(fact, -1)
            try:
                self._client.transact_write_items(TransactItems=operations)
                return True
            except ClientError as error:
                if not _is_cancelled(error):
                    raise  # otherwise the fact arrived or was revoked meanwhile: look again
        raise ConcurrentModification(fact.subject_id)

    def _query_all(self, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            response = self._client.query(TableName=self._table, **params)
            items += response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return items
            params["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def month_figures(self, month: str) -> dict[str, Figures]:
        items = self._query_all(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
            ExpressionAttributeValues={":pk": _s(stats_pk(month)), ":p": _s("DEPT#")},
        )
        return {item["sk"]["S"].removeprefix("DEPT#"): _figures(item) for item in items}

    def month_item_figures(self, month: str, department_id: str | None = None) -> dict[tuple[str, str], Figures]:
        prefix = f"ITEM#{department_id}#" if department_id else "ITEM#"
        items = self._query_all(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
            ExpressionAttributeValues={":pk": _s(stats_pk(month)), ":p": _s(prefix)},
        )
        result = {}
        for item in items:
            _, department, code = item["sk"]["S"].split("#", 2)
            result[(department, code)] = _figures(item)
        return result

    def fact_records(
        self, department_id: str, month: str, metric: str, *, limit: int, start_key: StartKey | None
    ) -> tuple[list[FactRecord], StartKey | None]:
        pk = marker_pk(department_id, month, metric)
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "FilterExpression": "attribute_not_exists(revoked_at)",
            "ExpressionAttributeValues": {":pk": _s(pk)},
            "Limit": limit,
        }
        if start_key:
            if start_key.get("pk") != pk or not isinstance(start_key.get("sk"), str):
                from ..services.errors import InvalidInput

                raise InvalidInput("翻页参数无效，请从第一页重新查询。")
            params["ExclusiveStartKey"] = {"pk": _s(pk), "sk": _s(start_key["sk"])}
        response = self._client.query(**params)
        records = [
            FactRecord(
                metric=metric, subject_id=item["sk"]["S"], event_id=item["event_id"]["S"],
                occurred_at=datetime.fromisoformat(item["at"]["S"]), item_code=item.get("item_code", {}).get("S"),
                details=json.loads(item.get("details", {}).get("S", "{}")),
            )
            for item in response.get("Items", [])
        ]
        last = response.get("LastEvaluatedKey")
        return records, ({"pk": last["pk"]["S"], "sk": last["sk"]["S"]} if last else None)

    # --- snapshots ---------------------------------------------------------------------------

    def get_snapshot(self, period: str) -> Snapshot | None:
        item = self._client.get_item(
            TableName=self._table, Key={"pk": _s(snapshot_pk(period)), "sk": _s(SNAPSHOT_SK)}, ConsistentRead=True
        ).get("Item")
        return Snapshot.model_validate_json(item["doc"]["S"]) if item else None

    def get_snapshots(self, periods: Sequence[str]) -> dict[str, Snapshot]:
        wanted = list(dict.fromkeys(periods))
        found: dict[str, Snapshot] = {}
        for start in range(0, len(wanted), BATCH_GET_MAX):
            keys = [{"pk": _s(snapshot_pk(p)), "sk": _s(SNAPSHOT_SK)} for p in wanted[start : start + BATCH_GET_MAX]]
            request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
            while request:
                response = self._client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self._table, []):
                    snapshot = Snapshot.model_validate_json(item["doc"]["S"])
                    found[snapshot.period] = snapshot
                request = response.get("UnprocessedKeys") or {}
        return found

    def put_snapshot(self, snapshot: Snapshot) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    "pk": _s(snapshot_pk(snapshot.period)),
                    "sk": _s(SNAPSHOT_SK),
                    "doc": _s(snapshot.model_dump_json()),
                    "listing_pk": _s(f"SNAPSHOT#{snapshot.granularity}"),
                    "listing_sk": _s(snapshot.period),
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # --- weights -----------------------------------------------------------------------------

    def get_weights(self) -> Weights | None:
        item = self._client.get_item(
            TableName=self._table, Key={"pk": _s(WEIGHTS_PK), "sk": _s(CURRENT_WEIGHTS_SK)}, ConsistentRead=True
        ).get("Item")
        return Weights.model_validate_json(item["doc"]["S"]) if item else None

    def put_weights(self, weights: Weights, *, expected_version: int) -> None:
        doc = _s(weights.model_dump_json())
        version = {"N": str(weights.version)}
        current: dict[str, Any] = {"TableName": self._table, "Item": {"pk": _s(WEIGHTS_PK), "sk": _s(CURRENT_WEIGHTS_SK), "doc": doc, "version": version}}
        if expected_version == 0:
            current["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            current["ConditionExpression"] = "version = :v"
            current["ExpressionAttributeValues"] = {":v": {"N": str(expected_version)}}
        history = {"TableName": self._table, "Item": {"pk": _s(WEIGHTS_PK), "sk": _s(f"V#{weights.version:06d}"), "doc": doc, "version": version},
                   "ConditionExpression": "attribute_not_exists(pk)"}
        try:
            self._client.transact_write_items(TransactItems=[{"Put": current}, {"Put": history}])
        except ClientError as error:
            if _is_cancelled(error):
                raise ConcurrentModification(WEIGHTS_PK) from error
            raise
