"""query_page against a fake Query that, like DynamoDB, applies Limit before the filter."""

from __future__ import annotations

import pytest

from sunlight.adapters.dynamodb_paging import MAX_QUERIES_PER_PAGE, query_page


class LimitThenFilterQuery:
    def __init__(self, matches: list[bool]) -> None:
        self.items = [{"sk": {"S": f"{n:03d}"}, "match": match} for n, match in enumerate(matches)]
        self.calls = 0

    def query(self, **kwargs):
        self.calls += 1
        start = 0
        if "ExclusiveStartKey" in kwargs:
            start = int(kwargs["ExclusiveStartKey"]["sk"]["S"]) + 1
        evaluated = self.items[start : start + kwargs["Limit"]]
        keep = [i for i in evaluated if i["match"] or "FilterExpression" not in kwargs]
        response = {"Items": keep}
        if start + len(evaluated) < len(self.items):
            response["LastEvaluatedKey"] = {"sk": evaluated[-1]["sk"]}
        return response


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_filtered_pages_are_full_and_continuous(limit):
    matches = [n % 4 == 0 for n in range(30)]  # 8 of 30
    client = LimitThenFilterQuery(matches)
    seen, key, pages = [], None, 0
    while True:
        items, key = query_page(client, {"Limit": limit, "FilterExpression": "x"}, key)
        pages += 1
        assert len(items) == limit or key is None or not items
        seen += [i["sk"]["S"] for i in items]
        if key is None:
            break
    assert seen == [f"{n:03d}" for n in range(30) if matches[n]]
    assert pages <= 8 // limit + 2


def test_a_page_reads_at_most_a_bounded_number_of_times_and_says_where_to_go_on():
    client = LimitThenFilterQuery([False] * 100 + [True])
    items, key = query_page(client, {"Limit": 2, "FilterExpression": "x"}, None)
    assert items == [] and key == {"sk": f"{2 * MAX_QUERIES_PER_PAGE - 1:03d}"} and client.calls == MAX_QUERIES_PER_PAGE


def test_an_unfiltered_query_is_read_once():
    client = LimitThenFilterQuery([True] * 10)
    items, key = query_page(client, {"Limit": 3}, None)
    assert len(items) == 3 and key == {"sk": "002"} and client.calls == 1
