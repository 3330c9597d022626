"""The city calendar in the Catalog table (no table of its own).

| record       | pk               | sk                  | attributes                                                     |
| ------------ | ---------------- | ------------------- | -------------------------------------------------------------- |
| day override | CALENDAR#{year}  | DAY#{yyyy-mm-dd}    | working, reason, updated_by, updated_by_name, updated_at       |
| year record  | CALENDAR#{year}  | YEAR                | confirmed, confirmed_by, confirmed_by_name, confirmed_at, note |

A year is one partition: one Query by pk (never Scan) returns its record and every override, in
date order. The records carry no `listing_*` attributes, so they stay out of the catalog's
`listing` index. Works with the low-level client (shared with the cases repository, so loading
the calendar costs no extra client on a cold start).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.calendar import CalendarDay, CalendarYear, StoredCalendarYear
from ..services.errors import Unavailable
from .dynamodb_codec import RETRYABLE_ERRORS

YEAR_SK = "YEAR"
DAY_PREFIX = "DAY#"

_UNAVAILABLE = "工作日历暂时无法访问，请稍后重试。"


def calendar_pk(year: int) -> str:
    return f"CALENDAR#{year}"


def day_key(day: date) -> dict[str, Any]:
    return {"pk": {"S": calendar_pk(day.year)}, "sk": {"S": f"{DAY_PREFIX}{day.isoformat()}"}}


def year_key(year: int) -> dict[str, Any]:
    return {"pk": {"S": calendar_pk(year)}, "sk": {"S": YEAR_SK}}


class DynamoCalendarRepository:
    """Implements `sunlight.services.ports.CalendarRepository` on a boto3 DynamoDB client."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def load_year(self, year: int) -> StoredCalendarYear:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": calendar_pk(year)}},
            "ConsistentRead": True,
        }
        items: list[dict[str, Any]] = []
        while True:
            response = self._call("query", **kwargs)
            items.extend(response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        record = next((_year_of(i) for i in items if i["sk"]["S"] == YEAR_SK), None)
        days = tuple(_day_of(i) for i in items if i["sk"]["S"].startswith(DAY_PREFIX))
        return StoredCalendarYear(year=year, record=record, days=days)

    def put_day(self, day: CalendarDay) -> None:
        item = {
            **day_key(day.day),
            "day": {"S": day.day.isoformat()},
            "working": {"BOOL": day.working},
            "reason": {"S": day.reason},
            "updated_by": {"S": day.updated_by},
            "updated_by_name": {"S": day.updated_by_name},
            "updated_at": {"S": day.updated_at.isoformat()},
        }
        self._call("put_item", TableName=self._table, Item=item)

    def delete_day(self, day: date) -> CalendarDay | None:
        response = self._call("delete_item", TableName=self._table, Key=day_key(day), ReturnValues="ALL_OLD")
        old = response.get("Attributes")
        return _day_of(old) if old else None

    def put_year(self, record: CalendarYear) -> None:
        item: dict[str, Any] = {**year_key(record.year), "year": {"N": str(record.year)}, "confirmed": {"BOOL": record.confirmed}}
        optional = {
            "confirmed_by": record.confirmed_by,
            "confirmed_by_name": record.confirmed_by_name,
            "confirmed_at": record.confirmed_at.isoformat() if record.confirmed_at else None,
            "note": record.note,
        }
        item.update({name: {"S": value} for name, value in optional.items() if value is not None})
        self._call("put_item", TableName=self._table, Item=item)

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in RETRYABLE_ERRORS:
                raise Unavailable(_UNAVAILABLE) from error
            raise


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value["S"] if value else None


def _day_of(item: dict[str, Any]) -> CalendarDay:
    return CalendarDay(
        day=date.fromisoformat(item["sk"]["S"].removeprefix(DAY_PREFIX)),
        working=item["working"]["BOOL"],
        reason=_text(item, "reason") or "",
        updated_by=_text(item, "updated_by") or "",
        updated_by_name=_text(item, "updated_by_name") or "",
        updated_at=datetime.fromisoformat(item["updated_at"]["S"]),
    )


def _year_of(item: dict[str, Any]) -> CalendarYear:
    confirmed_at = _text(item, "confirmed_at")
    return CalendarYear(
        year=int(item["pk"]["S"].removeprefix("CALENDAR#")),
        confirmed=item.get("confirmed", {}).get("BOOL", False),
        confirmed_by=_text(item, "confirmed_by"),
        confirmed_by_name=_text(item, "confirmed_by_name"),
        confirmed_at=datetime.fromisoformat(confirmed_at) if confirmed_at else None,
        note=_text(item, "note"),
    )
