"""The inbox and department lists of warnings, filtered by level and status on the store's side:
pages are filled with matches, and following the cursor neither skips nor repeats a warning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sunlight.models.roles import Principal, Role
from sunlight.models.warnings import CardStatus, Warning, WarningLevel
from sunlight.services.cards import CardService
from sunlight.services.errors import InvalidInput
from tests.fakes.cases import FakeClock, InMemoryCases
from tests.fakes.supervision import InMemoryWarnings

HANDLER = Principal(user_id="h-1", name="刘强", roles=frozenset({Role.HANDLER}), department_id="market")
CITY_INSPECTOR = Principal(user_id="i-1", name="孙监察", roles=frozenset({Role.INSPECTOR}), government_id="420700")
ISSUED = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
# Levels in the order they are issued: the yellow and red cards are rare among the reminders.
PATTERN = [WarningLevel.REMINDER, WarningLevel.REMINDER, WarningLevel.YELLOW, WarningLevel.REMINDER, WarningLevel.RED, WarningLevel.ANOMALY]


def warning(n: int, level: WarningLevel, *, department: str = "market", status: CardStatus = CardStatus.ISSUED,
            at: datetime | None = None) -> Warning:
    return Warning(
        warning_id=f"SL{n:03d}-1-{level.value}", case_id=f"SL{n:03d}", department_id=department, item_code="420700-XK-0201",
        item_name="食品经营许可", step="handle", step_visit=1, level=level, title="t", message="m",
        issued_at=at or ISSUED + timedelta(hours=n), recipients=(f"{department}#handler", "city#inspector"), status=status,
    )


@pytest.fixture
def store() -> InMemoryWarnings:
    warnings = InMemoryWarnings()
    for n in range(30):
        warnings.issue(warning(n, PATTERN[n % len(PATTERN)]))
    # Two issued in the same instant: the warning id orders them.
    warnings.issue(warning(90, WarningLevel.YELLOW, at=ISSUED + timedelta(hours=5)))
    warnings.issue(warning(91, WarningLevel.YELLOW, at=ISSUED + timedelta(hours=5)))
    warnings.issue(warning(50, WarningLevel.YELLOW, department="planning"))
    return warnings


def cards(store: InMemoryWarnings) -> CardService:
    return CardService(warnings=store, cases=InMemoryCases(), clock=FakeClock())


def every_page(read, limit: int) -> list[list[str]]:
    pages, cursor = [], None
    for _ in range(100):
        page = read(cursor=cursor, limit=limit)
        pages.append([w.warning_id for w in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("the cursor never ended")


def newest_first(store: InMemoryWarnings, keep) -> list[str]:
    chosen = [w for w in store.warnings.values() if keep(w)]
    return [w.warning_id for w in sorted(chosen, key=lambda w: (w.issued_at, w.warning_id), reverse=True)]


def test_the_inbox_filtered_by_level_fills_its_pages_and_follows_on_without_gaps(store):
    service = cards(store)
    pages = every_page(lambda **page: service.inbox(HANDLER, key=None, level="yellow", **page), limit=3)
    expected = newest_first(store, lambda w: w.level is WarningLevel.YELLOW and w.department_id == "market")
    assert [w for page in pages for w in page] == expected
    assert all(len(page) == 3 for page in pages[:-1])  # not a page of 3 with one yellow card in it
    assert len(expected) == 7


def test_the_city_inspectors_department_list_filters_by_level_and_status_together(store):
    service = cards(store)
    service.act(CITY_INSPECTOR, "SL004-1-red", "revoke", "系统故障")
    service.act(CITY_INSPECTOR, "SL016-1-red", "revoke", "系统故障")
    revoked_red = every_page(lambda **page: service.for_department(CITY_INSPECTOR, "market", level=WarningLevel.RED,
                                                                   status=CardStatus.REVOKED, **page), limit=1)
    assert [w for page in revoked_red for w in page] == ["SL016-1-red", "SL004-1-red"]
    issued = every_page(lambda **page: service.for_department(CITY_INSPECTOR, "market", status="issued", **page), limit=7)
    assert [w for page in issued for w in page] == newest_first(
        store, lambda w: w.department_id == "market" and w.status is CardStatus.ISSUED)
    assert "SL004-1-red" not in [w for page in issued for w in page]


def test_a_card_that_changes_status_between_pages_does_not_shift_the_next_page(store):
    service = cards(store)
    first = service.inbox(CITY_INSPECTOR, key=None, status="issued", cursor=None, limit=4)
    service.act(CITY_INSPECTOR, first.items[0].warning_id, "revoke", "系统故障")  # it leaves the filter
    second = service.inbox(CITY_INSPECTOR, key=None, status="issued", cursor=first.next_cursor, limit=4)
    everything = newest_first(store, lambda w: True)
    assert [w.warning_id for w in first.items + second.items] == everything[:8]


def test_a_bounded_store_answers_short_or_empty_pages_with_a_cursor_and_misses_nothing(store):
    store.max_examined = 4  # fewer than the reminders between two red cards
    service = cards(store)
    pages = every_page(lambda **page: service.inbox(HANDLER, key=None, level=WarningLevel.RED, **page), limit=2)
    assert [] in pages[:-1]  # a request that found nothing before its bound still leads on
    assert [w for page in pages for w in page] == newest_first(
        store, lambda w: w.level is WarningLevel.RED and w.department_id == "market")


def test_no_filter_lists_everything_as_before(store):
    service = cards(store)
    pages = every_page(lambda **page: service.inbox(HANDLER, key="market#handler", **page), limit=10)
    assert [len(page) for page in pages] == [10, 10, 10, 2]


@pytest.mark.parametrize(("query", "field", "hint"), [
    ({"level": "purple"}, "level", "yellow（黄牌警告）"),
    ({"status": "closed"}, "status", "appealed（申诉中）"),
])
def test_unknown_filter_values_are_refused_with_the_choices(store, query, field, hint):
    service = cards(store)
    for read in (lambda: service.inbox(HANDLER, key=None, cursor=None, limit=10, **query),
                 lambda: service.for_department(HANDLER, None, cursor=None, limit=10, **query)):
        with pytest.raises(InvalidInput) as refused:
            read()
        assert refused.value.details == {"field": field}
        assert hint in refused.value.message and "无效" in refused.value.message
