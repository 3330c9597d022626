"""Filtered warning lists against moto's DynamoDB, with the Cases table and its `supervision`
index as the template defines them: pages are filled across Query pages, the cursor neither
skips nor repeats a warning, and one request makes a bounded number of reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from sunlight.adapters.dynamodb_warnings import MAX_QUERIES_PER_PAGE, DynamoWarningRepository
from sunlight.models.warnings import CardStatus, Warning, WarningFilter, WarningLevel

ISSUED = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
INBOX = "market#handler"


class CountingClient:
    """The DynamoDB client, counting the Query calls of each request."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.queries = 0

    def query(self, **kwargs: Any) -> dict:
        self.queries += 1
        return self._client.query(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@pytest.fixture
def client(aws_resources) -> CountingClient:
    return CountingClient(boto3.client("dynamodb"))


@pytest.fixture
def repository(aws_resources, client) -> DynamoWarningRepository:
    return DynamoWarningRepository(client, aws_resources["CasesTableName"])


def warning(n: int, level: WarningLevel, status: CardStatus = CardStatus.ISSUED) -> Warning:
    return Warning(
        warning_id=f"SL{n:03d}-1-{level.value}", case_id=f"SL{n:03d}", department_id="market", item_code="420700-XK-0201",
        item_name="食品经营许可", step="handle", step_visit=1, level=level, title="t", message="m",
        issued_at=ISSUED + timedelta(minutes=n), recipients=(INBOX,), status=status,
    )


def issue_mixed(repository: DynamoWarningRepository, count: int) -> list[Warning]:
    """Every third a yellow card (every fifteenth acknowledged); the rest reminders."""
    issued = []
    for n in range(count):
        level = WarningLevel.YELLOW if n % 3 == 0 else WarningLevel.REMINDER
        status = CardStatus.ACKNOWLEDGED if level is WarningLevel.YELLOW and n % 5 == 0 else CardStatus.ISSUED
        issued.append(warning(n, level, status))
        assert repository.issue(issued[-1])
    return issued


def every_page(read, limit: int) -> list[list[str]]:
    pages, cursor = [], None
    for _ in range(200):
        items, cursor = read(limit=limit, start_key=cursor)
        pages.append([w.warning_id for w in items])
        if cursor is None:
            return pages
    raise AssertionError("the cursor never ended")


def always_within_bound(warnings: list[Warning], matching: WarningFilter, limit: int) -> bool:
    """Whether any run of the items one request may read holds a page of matches (or the end)."""
    hits = [matching.matches(w) for w in sorted(warnings, key=lambda w: w.issued_at, reverse=True)]
    span = limit * MAX_QUERIES_PER_PAGE
    return all(sum(hits[i : i + span]) >= limit or i + span >= len(hits) for i in range(len(hits)))


def newest_first(warnings: list[Warning], matching: WarningFilter) -> list[str]:
    return [w.warning_id for w in sorted(warnings, key=lambda w: w.issued_at, reverse=True) if matching.matches(w)]


@pytest.mark.parametrize("matching", [
    WarningFilter(level=WarningLevel.YELLOW),
    WarningFilter(status=CardStatus.ACKNOWLEDGED),
    WarningFilter(level=WarningLevel.YELLOW, status=CardStatus.ISSUED),
    WarningFilter(),
])
@pytest.mark.fresh_stack
def test_filtered_pages_of_inbox_and_department_skip_and_repeat_nothing(repository, matching):
    issued = issue_mixed(repository, 40)
    expected = newest_first(issued, matching)
    for read in (lambda **page: repository.inbox(INBOX, matching=matching, **page),
                 lambda **page: repository.for_department("market", matching=matching, **page)):
        for limit in (1, 3, 7):
            pages = every_page(read, limit)
            assert [w for page in pages for w in page] == expected, (matching, limit)
            if always_within_bound(issued, matching, limit):  # then pages are full, not short
                assert all(len(page) == limit for page in pages[:-1]), (matching, limit)


def test_the_status_filter_sees_a_card_changed_after_it_was_issued(repository):
    card = warning(1, WarningLevel.RED)
    repository.issue(card)
    repository.issue(warning(2, WarningLevel.RED))
    repository.save(card.model_copy(update={"status": CardStatus.APPEALED, "version": 2}), expected_version=1)
    appealed = WarningFilter(status=CardStatus.APPEALED)
    assert [w.warning_id for w in repository.inbox(INBOX, matching=appealed, limit=10, start_key=None)[0]] == [card.warning_id]
    assert [w.warning_id for w in repository.for_department("market", matching=appealed, limit=10, start_key=None)[0]] == [card.warning_id]


@pytest.mark.fresh_stack
def test_one_request_reads_a_bounded_number_of_query_pages_and_answers_a_cursor(repository, client):
    limit = 2
    reminders = MAX_QUERIES_PER_PAGE * limit + 5  # more than one request may read
    for n in range(1, reminders + 1):
        repository.issue(warning(n, WarningLevel.REMINDER))
    red = warning(0, WarningLevel.RED)  # the oldest: behind all the reminders
    repository.issue(red)
    red_only = WarningFilter(level=WarningLevel.RED)

    for read in (lambda **page: repository.inbox(INBOX, matching=red_only, **page),
                 lambda **page: repository.for_department("market", matching=red_only, **page)):
        client.queries = 0
        items, cursor = read(limit=limit, start_key=None)
        assert items == [] and cursor is not None
        assert client.queries == MAX_QUERIES_PER_PAGE
        client.queries = 0
        items, cursor = read(limit=limit, start_key=cursor)
        assert [w.warning_id for w in items] == [red.warning_id] and cursor is None
        assert client.queries <= MAX_QUERIES_PER_PAGE


@pytest.mark.fresh_stack
def test_items_stored_before_level_and_status_were_attributes_are_filtered_on_their_document(repository, client, aws_resources):
    table = aws_resources["CasesTableName"]
    for n, level in enumerate([WarningLevel.YELLOW, WarningLevel.REMINDER, WarningLevel.YELLOW]):
        repository.issue(warning(n, level))
    for item in client.scan(TableName=table)["Items"]:  # as the items were written before
        client.update_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]},
                           UpdateExpression="REMOVE #level, #status", ExpressionAttributeNames={"#level": "level", "#status": "status"})
    yellow = WarningFilter(level=WarningLevel.YELLOW)
    assert [w.warning_id for w in repository.inbox(INBOX, matching=yellow, limit=10, start_key=None)[0]] == ["SL002-1-yellow", "SL000-1-yellow"]
    assert [w.warning_id for w in repository.for_department("market", matching=yellow, limit=1, start_key=None)[0]] == ["SL002-1-yellow"]


@pytest.mark.fresh_stack
def test_an_inbox_page_reads_its_warnings_in_one_batch(repository, client, monkeypatch):
    issue_mixed(repository, 12)
    calls: list[str] = []
    for name in ("get_item", "batch_get_item"):
        real = getattr(client._client, name)
        monkeypatch.setattr(client._client, name, lambda _real=real, _name=name, **kwargs: calls.append(_name) or _real(**kwargs))
    items, _ = repository.inbox(INBOX, limit=10, start_key=None)
    assert len(items) == 10 and calls == ["batch_get_item"]  # not one GetItem per entry
