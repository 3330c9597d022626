"""Contracts of the ports stored in the Catalog table: the city calendar and the versioned catalog
(catalog administration), each against its fake and its DynamoDB adapter. Calendar years and the
department listing are shared by the module's tests, so each test takes a year and departments of
its own."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from sunlight.adapters.dynamodb_calendar import DynamoCalendarRepository
from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.models.calendar import CalendarDay, CalendarYear
from sunlight.models.catalog_admin import CatalogChange, ChangeAction, Revision
from sunlight.services.ports import CalendarRepository, CatalogAdminRepository, ConcurrentModification
from tests.fakes.calendar import InMemoryCalendarRepository
from tests.fakes.catalog import VersionedCatalogRepository, make_department, make_item

from .conftest import IMPLEMENTATIONS, read_all

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
_YEARS = itertools.count(2030)


def catalog_table(request) -> str:
    return request.getfixturevalue("aws_resources")["CatalogTableName"]


# -- the city calendar -------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def calendar(request) -> CalendarRepository:
    if request.param == "fake":
        return InMemoryCalendarRepository()
    table = catalog_table(request)  # first: it sets up the stack and the credentials
    return DynamoCalendarRepository(boto3.client("dynamodb"), table)


@pytest.fixture
def year() -> int:
    """A year no other test of the module writes (the adapters' table is shared)."""
    return next(_YEARS)


def a_day(day: date, working: bool = False, reason: str = "台风停工") -> CalendarDay:
    return CalendarDay(day=day, working=working, reason=reason, updated_by="admin-1", updated_by_name="管理员",
                       updated_at=NOW)


def test_a_year_nobody_touched_has_no_record_and_no_days(calendar, year):
    stored = calendar.load_year(year)
    assert (stored.year, stored.record, stored.days, stored.confirmed) == (year, None, (), False)


def test_days_read_back_in_date_order_each_replaced_by_its_last_write(calendar, year):
    later, earlier = date(year, 10, 8), date(year, 2, 1)
    calendar.put_day(a_day(later, working=True, reason="国庆节调休上班"))
    calendar.put_day(a_day(earlier))
    calendar.put_day(a_day(date(year + 1, 1, 1), reason="元旦"))  # another year's day
    replaced = a_day(earlier, working=True, reason="春节调休上班")
    calendar.put_day(replaced)
    assert calendar.load_year(year).days == (replaced, a_day(later, working=True, reason="国庆节调休上班"))


def test_deleting_a_day_returns_what_was_removed(calendar, year):
    day = a_day(date(year, 5, 6))
    calendar.put_day(day)
    assert calendar.delete_day(day.day) == day
    assert calendar.delete_day(day.day) is None
    assert calendar.load_year(year).days == ()


def test_the_years_confirmation_record_reads_back_and_is_replaced(calendar, year):
    plain = CalendarYear(year=year)
    calendar.put_year(plain)
    assert calendar.load_year(year).record == plain
    confirmed = CalendarYear(year=year, confirmed=True, confirmed_by="admin-1", confirmed_by_name="管理员",
                             confirmed_at=NOW, note="国办发明电〔2025〕7号")
    calendar.put_year(confirmed)
    stored = calendar.load_year(year)
    assert (stored.record, stored.confirmed) == (confirmed, True)
    assert calendar.load_year(year + 50).record is None  # per year (no test writes that far)


# -- the versioned catalog (catalog administration) --------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def catalog(request) -> CatalogAdminRepository:
    if request.param == "fake":
        return VersionedCatalogRepository()
    table = catalog_table(request)
    return DynamoCatalogRepository(boto3.resource("dynamodb").Table(table))


def a_change(subject: str, version: int, action: ChangeAction = ChangeAction.UPDATE, minutes: int = 0) -> CatalogChange:
    return CatalogChange(subject=subject, version=version, action=action, changed_by="admin-1",
                         changed_by_name="法制办管理员", changed_at=NOW + timedelta(minutes=minutes))


def revision_of(change: CatalogChange) -> Revision:
    return Revision(version=change.version, updated_at=change.changed_at, updated_by=change.changed_by,
                    updated_by_name=change.changed_by_name)


def test_an_item_is_created_once_then_replaced_only_at_its_version(catalog, unique):
    department = f"dept{unique.lower()}"
    item = make_item(f"420700-XK-{unique[:4]}", department)
    subject = f"ITEM#{item.item_code}"
    assert catalog.get_item_revision(item.item_code) is None
    created = a_change(subject, 1, ChangeAction.CREATE)
    catalog.save_item(item, created, expected_version=None)
    assert catalog.get_item_revision(item.item_code) == (item, revision_of(created))
    with pytest.raises(ConcurrentModification):
        catalog.save_item(item, a_change(subject, 1, ChangeAction.CREATE), expected_version=None)
    renamed = item.model_copy(update={"name": "食品经营许可（变更）"})
    with pytest.raises(ConcurrentModification):
        catalog.save_item(renamed, a_change(subject, 2), expected_version=2)
    with pytest.raises(ConcurrentModification):
        catalog.save_item(renamed, a_change(subject, 2), expected_version=0)  # it was created here, not seeded
    updated = a_change(subject, 2, minutes=5)
    catalog.save_item(renamed, updated, expected_version=1)
    assert catalog.get_item_revision(item.item_code) == (renamed, revision_of(updated))
    assert catalog.history(subject, 10)[0] == [updated, created]


def test_a_record_that_does_not_exist_cannot_be_replaced(catalog, unique):
    department = make_department(f"dept{unique.lower()}", "市测试局")
    with pytest.raises(ConcurrentModification):
        catalog.save_department(department, a_change(f"DEPT#{department.department_id}", 2), expected_version=1)
    assert catalog.get_department_revision(department.department_id) is None


def test_departments_are_listed_with_their_revisions(catalog, unique):
    ours = [make_department(f"dept{unique.lower()}{n}", f"市测试{n}局") for n in range(3)]
    changes = {}
    for department in reversed(ours):
        changes[department.department_id] = a_change(f"DEPT#{department.department_id}", 1, ChangeAction.CREATE)
        catalog.save_department(department, changes[department.department_id], expected_version=None)
    listed = [(d, r) for d, r in catalog.list_department_revisions() if d.department_id.startswith(f"dept{unique.lower()}")]
    assert listed == [(d, revision_of(changes[d.department_id])) for d in ours]
    assert catalog.get_department_revision(ours[0].department_id) == (ours[0], revision_of(changes[ours[0].department_id]))


def test_items_are_listed_by_department_then_code_with_their_revisions(catalog, unique):
    department = f"dept{unique.lower()}"
    items = [make_item(f"420700-XK-{n:04d}", department) for n in (3, 1, 2)]
    for item in items:
        catalog.save_item(item, a_change(f"ITEM#{item.item_code}", 1, ChangeAction.CREATE), expected_version=None)
    for limit in (1, 2, 10):
        listed = read_all(lambda limit, start_key: catalog.list_item_revisions(department, limit, start_key), limit)
        assert [(i.item_code, r.version) for i, r in listed] == [
            ("420700-XK-0001", 1), ("420700-XK-0002", 1), ("420700-XK-0003", 1)]


def test_history_is_newest_first_page_by_page(catalog, unique):
    department = make_department(f"dept{unique.lower()}", "市测试局")
    subject = f"DEPT#{department.department_id}"
    changes = [a_change(subject, 1, ChangeAction.CREATE)]
    catalog.save_department(department, changes[0], expected_version=None)
    for version in range(2, 6):
        changes.append(a_change(subject, version, minutes=version))
        catalog.save_department(department.model_copy(update={"phone": f"1234{version}"}), changes[-1],
                                expected_version=version - 1)
    for limit in (1, 2, 10):
        assert read_all(lambda limit, start_key: catalog.history(subject, limit, start_key), limit) == list(reversed(changes))
    assert catalog.history(f"DEPT#nobody{unique.lower()}", 5) == ([], None)


def test_a_seeded_record_is_version_0_until_edited(catalog, unique):
    item = make_item(f"420700-QR-{unique[:4]}", f"dept{unique.lower()}")
    catalog.put_item(item)  # as the seed writes it (CatalogRepository)
    assert catalog.get_item_revision(item.item_code) == (item, Revision(version=0))
    subject = f"ITEM#{item.item_code}"
    with pytest.raises(ConcurrentModification):
        catalog.save_item(item, a_change(subject, 1, ChangeAction.CREATE), expected_version=None)
    with pytest.raises(ConcurrentModification):
        catalog.save_item(item, a_change(subject, 2), expected_version=1)
    edited = a_change(subject, 1, ChangeAction.PUBLISH)
    catalog.save_item(item.model_copy(update={"published": False}), edited, expected_version=0)
    assert catalog.get_item_revision(item.item_code) == (item.model_copy(update={"published": False}), revision_of(edited))
