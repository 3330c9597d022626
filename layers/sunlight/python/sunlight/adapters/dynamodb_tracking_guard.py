"""Wrong query codes per case number, in the Cases table (public tracking lockout).

Key: pk="TRACKGUARD#{case number as typed}" sk="TRACKGUARD". Attributes: `failures` (counted
with ADD, so concurrent wrong codes all count), `window_started` and `locked_until` (epoch
seconds), `expires_at` (epoch seconds, the table's TTL attribute: a counter nobody touches
disappears by itself). Unknown case numbers get a counter too (see services/tracking.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

SK = "TRACKGUARD"
KEY_PREFIX = "TRACKGUARD#"  # the public API function may update only these items (infra/constructs/api.py)


def _key(case_key: str) -> dict[str, Any]:
    return {"pk": {"S": f"{KEY_PREFIX}{case_key}"}, "sk": {"S": SK}}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _conditional_failure(error: ClientError) -> bool:
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoTrackingGuard:
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def locked_until(self, case_key: str, now: datetime) -> datetime | None:
        item = self._client.get_item(TableName=self._table, Key=_key(case_key), ConsistentRead=True).get("Item")
        if not item or "locked_until" not in item:
            return None
        until = int(item["locked_until"]["N"])
        return datetime.fromtimestamp(until, UTC) if until > now.timestamp() else None

    def record_failure(
        self, case_key: str, now: datetime, *, max_failures: int, window_seconds: int, lock_seconds: int
    ) -> datetime | None:
        at = _epoch(now)
        failures = self._count(case_key, at, window_seconds, lock_seconds)
        if failures < max_failures:
            return None
        until = at + lock_seconds
        try:
            # The count restarts when the lock ends; a lock in force is not extended.
            self._client.update_item(
                TableName=self._table,
                Key=_key(case_key),
                UpdateExpression="SET locked_until = :until, window_started = :until, failures = :zero, expires_at = :expires",
                ConditionExpression="failures >= :max AND (attribute_not_exists(locked_until) OR locked_until <= :now)",
                ExpressionAttributeValues={
                    ":until": _n(until), ":zero": _n(0), ":max": _n(max_failures), ":now": _n(at),
                    ":expires": _n(until + window_seconds + lock_seconds),
                },
            )
        except ClientError as error:
            if not _conditional_failure(error):
                raise
            return self.locked_until(case_key, now)  # a concurrent failure locked it first
        return datetime.fromtimestamp(until, UTC)

    def _count(self, case_key: str, at: int, window_seconds: int, lock_seconds: int) -> int:
        values = {":one": _n(1), ":floor": _n(at - window_seconds), ":expires": _n(at + window_seconds + lock_seconds)}
        for _ in range(3):  # each attempt fails only because another request changed the window
            try:  # within the current window
                response = self._client.update_item(
                    TableName=self._table,
                    Key=_key(case_key),
                    UpdateExpression="ADD failures :one SET expires_at = :expires",
                    ConditionExpression="window_started > :floor",
                    ExpressionAttributeValues=values,
                    ReturnValues="UPDATED_NEW",
                )
                return int(response["Attributes"]["failures"]["N"])
            except ClientError as error:
                if not _conditional_failure(error):
                    raise
            try:  # no counter yet, or its window has passed: a new window starts now
                self._client.update_item(
                    TableName=self._table,
                    Key=_key(case_key),
                    UpdateExpression="SET failures = :one, window_started = :now, expires_at = :expires",
                    ConditionExpression="attribute_not_exists(pk) OR window_started <= :floor",
                    ExpressionAttributeValues={**values, ":now": _n(at)},
                )
                return 1
            except ClientError as error:
                if not _conditional_failure(error):
                    raise
        raise RuntimeError("the tracking counter kept changing under concurrent requests")
