"""One page of a DynamoDB Query, filled despite a FilterExpression.

DynamoDB applies Limit before the filter, so one filtered Query can return a short page, or an
empty one with a key to go on. Here a filtered Query is repeated from where it stopped, each time
for the items still missing, until the page is full, the range ends, or MAX_QUERIES_PER_PAGE calls
were made (which bounds one request's reads); the key returned continues right after the last item
read, so nothing is skipped or read twice."""

from __future__ import annotations

from typing import Any

MAX_QUERIES_PER_PAGE = 10


def query_page(client: Any, kwargs: dict[str, Any], start_key: dict[str, str] | None) -> tuple[list[dict], dict[str, str] | None]:
    """(items, key to continue or None); keys are plain strings (every key attribute is a string)."""
    limit = kwargs["Limit"]
    items: list[dict] = []
    key = start_key
    for _ in range(MAX_QUERIES_PER_PAGE if "FilterExpression" in kwargs else 1):
        request = {**kwargs, "Limit": limit - len(items)}
        if key:
            request["ExclusiveStartKey"] = {k: {"S": str(v)} for k, v in key.items()}
        response = client.query(**request)
        items += response["Items"]
        last = response.get("LastEvaluatedKey")
        key = {k: v["S"] for k, v in last.items()} if last else None
        if key is None or len(items) >= limit:
            break
    return items, key
