"""DynamoCalendarRepository on the stack's Catalog table (provisioned from the template into moto)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import boto3
import pytest
from botocore.exceptions import ClientError

from sunlight.adapters.dynamodb_calendar import DynamoCalendarRepository
from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.models.calendar import CalendarDay, CalendarYear
from sunlight.services.errors import Unavailable

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 11, 23, 9, 30, tzinfo=CST)


@pytest.fixture
def repo(aws_resources) -> DynamoCalendarRepository:
    return DynamoCalendarRepository(boto3.client("dynamodb"), aws_resources.environment["CATALOG_TABLE_NAME"])


def a_day(day: date, working: bool, reason: str = "台风停工") -> CalendarDay:
    return CalendarDay(day=day, working=working, reason=reason, updated_by="admin-1", updated_by_name="管理员", updated_at=AT)


def test_days_and_year_records_round_trip(repo):
    empty = repo.load_year(2027)
    assert (empty.year, empty.record, empty.days, empty.confirmed) == (2027, None, (), False)

    repo.put_day(a_day(date(2027, 2, 20), True, "春节调休上班"))
    repo.put_day(a_day(date(2027, 2, 11), False, "春节"))
    repo.put_day(a_day(date(2026, 9, 15), False))  # another year, another partition
    record = CalendarYear(year=2027, confirmed=True, confirmed_by="admin-1", confirmed_by_name="管理员", confirmed_at=AT, note="国办发明电〔2026〕X号")
    repo.put_year(record)
    repo.put_year(CalendarYear(year=2028))  # without the optional fields

    stored = repo.load_year(2027)
    assert stored.record == record and stored.confirmed
    assert stored.days == (a_day(date(2027, 2, 11), False, "春节"), a_day(date(2027, 2, 20), True, "春节调休上班"))
    assert [d.day for d in repo.load_year(2026).days] == [date(2026, 9, 15)] and repo.load_year(2026).record is None
    assert repo.load_year(2028).record == CalendarYear(year=2028) and not repo.load_year(2028).confirmed

    # A put replaces; a delete returns what it removed, then nothing.
    repo.put_day(a_day(date(2027, 2, 20), False, "取消调休"))
    assert [(d.day, d.working, d.reason) for d in repo.load_year(2027).days][1] == (date(2027, 2, 20), False, "取消调休")
    assert repo.delete_day(date(2027, 2, 20)) == a_day(date(2027, 2, 20), False, "取消调休")
    assert repo.delete_day(date(2027, 2, 20)) is None
    assert [d.day for d in repo.load_year(2027).days] == [date(2027, 2, 11)]


def test_a_year_with_many_days_is_read_across_pages(repo):
    days = [date(2027, 1, 1) + timedelta(days=i) for i in range(365)]
    for day in days:  # ~3 KB each: more than one 1 MB page of a Query
        repo.put_day(CalendarDay(day=day, working=day.weekday() < 5, reason="整" * 1000, updated_by="a", updated_at=AT))
    queries = []
    original = repo._client.query
    repo._client.query = lambda **kwargs: queries.append(kwargs) or original(**kwargs)
    assert [d.day for d in repo.load_year(2027).days] == days
    assert len(queries) > 1


def test_calendar_records_stay_out_of_the_catalog_listings_and_throttling_is_unavailable(repo, aws_resources, monkeypatch):
    repo.put_day(a_day(date(2027, 2, 11), False, "春节"))
    repo.put_year(CalendarYear(year=2027, confirmed=True))
    catalog = DynamoCatalogRepository(boto3.resource("dynamodb").Table(aws_resources.environment["CATALOG_TABLE_NAME"]))
    assert catalog.list_departments() == []
    assert catalog.list_items(None, 100) == ([], None)

    def throttled(**_):
        raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "Query")

    monkeypatch.setattr(repo._client, "query", throttled)
    with pytest.raises(Unavailable):
        repo.load_year(2027)
