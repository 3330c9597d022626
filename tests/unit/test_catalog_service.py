"""CatalogService against the in-memory repository."""

from __future__ import annotations

import pytest

from sunlight.models.catalog import CatalogItemSummary, Category
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.services.catalog import CatalogService
from sunlight.services.errors import InvalidCursor, InvalidInput, NotFound
from sunlight.services.pagination import decode_cursor, encode_cursor
from tests.fakes.catalog import InMemoryCatalogRepository, make_department, make_item


@pytest.fixture
def repo() -> InMemoryCatalogRepository:
    departments = [make_department("market", "市市场监督管理局"), make_department("planning", "市自然资源和规划局")]
    items = [
        make_item("420700-XK-0001", "market", name="食品经营许可", fees=[]),
        make_item("420700-XK-0002", "market", name="食品生产许可"),
        make_item("420700-XK-0003", "market", name="药品零售企业经营许可"),
        make_item("420700-QT-0001", "market", name="第二类医疗器械经营备案", category="其他"),
        make_item("420700-XK-0004", "market", name="已下线的食品事项", published=False),
        make_item("420700-XK-0101", "planning", name="建设用地规划许可证核发"),
        make_item("420700-XK-0102", "planning", name="建设工程规划许可证核发"),
        make_item(
            "420700-QR-0101",
            "planning",
            name="不动产转移登记（住宅）",
            category="行政确认",
            fees=[{"name": "不动产登记费", "amount_yuan": "80", "basis": "发改价格规〔2016〕2559号"}],
        ),
    ]
    return InMemoryCatalogRepository(departments, items)


@pytest.fixture
def service(repo: InMemoryCatalogRepository) -> CatalogService:
    return CatalogService(repo)


def codes(page) -> list[str]:
    return [summary.item_code for summary in page.items]


def all_pages(service: CatalogService, **filters) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = service.list_items(cursor=cursor, **filters)
        pages.append(codes(page))
        cursor = page.next_cursor
        if cursor is None:
            return pages


# -- departments --------------------------------------------------------------------------------


def test_list_departments_is_ordered_by_id(service):
    assert [d.department_id for d in service.list_departments()] == ["market", "planning"]


def test_public_departments_name_their_government_and_level(repo, service):
    repo.put_government(Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY))
    repo.put_government(Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"))
    repo.put_department(make_department("echeng-market", "鄂城区市场监督管理局", government_id="420704"))
    rows = {d.department_id: (d.government_name, d.level_label) for d in service.public_departments()}
    assert rows == {"echeng-market": ("鄂城区", "县（市、区）级"), "market": ("鄂州市", "市级"), "planning": ("鄂州市", "市级")}


def test_public_departments_within_a_government_and_below(repo, service):
    repo.put_government(Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY))
    repo.put_government(Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"))
    repo.put_government(Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700"))
    repo.put_government(Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"))
    repo.put_department(make_department("echeng-market", "鄂城区市场监督管理局", government_id="420704"))
    repo.put_department(make_department("fenghuang-center", "凤凰街道便民服务中心", government_id="420704001"))
    repo.put_department(make_department("huarong-market", "华容区市场监督管理局", government_id="420703"))
    repo.put_department(make_department("stray", "未入目录政府的部门", government_id="420799"))

    def within(government: str) -> list[str]:
        return sorted(d.department_id for d in service.public_departments(government))

    assert within("420704") == ["echeng-market", "fenghuang-center"]  # never 华容区's
    assert within("420704001") == ["fenghuang-center"]
    assert within("420700") == sorted(d.department_id for d in service.public_departments())
    assert within("420799") == ["stray"]  # a government not in the catalog: under the city, as scope.py places it


def test_get_department(service):
    assert service.get_department("planning").name == "市自然资源和规划局"


def test_unknown_department_is_not_found(service):
    with pytest.raises(NotFound, match="未找到该部门"):
        service.get_department("nope")


# -- items --------------------------------------------------------------------------------------


def test_get_item_returns_the_published_item(service):
    item = service.get_item("420700-XK-0001")
    assert item.name == "食品经营许可"


def test_get_item_accepts_lower_case_and_spaces(service):
    assert service.get_item(" 420700-xk-0001 ").item_code == "420700-XK-0001"


@pytest.mark.parametrize("code", ["420700-XK-9999", "420700-XK-0004"], ids=["absent", "unpublished"])
def test_get_item_not_found(service, code):
    with pytest.raises(NotFound) as raised:
        service.get_item(code)
    assert raised.value.message == "未找到该事项，请核对事项编码。"


def test_list_items_summaries_carry_department_names_limits_and_fees(service):
    page = service.list_items(department_id="planning")
    assert page.next_cursor is None
    by_code = {s.item_code: s for s in page.items}
    assert set(by_code) == {"420700-QR-0101", "420700-XK-0101", "420700-XK-0102"}
    summary = by_code["420700-QR-0101"]
    assert isinstance(summary, CatalogItemSummary)
    assert summary.department_name == "市自然资源和规划局"
    assert (summary.legal_limit_days, summary.promised_limit_days) == (20, 10)
    assert str(summary.total_fee_yuan) == "80.00"
    assert summary.model_dump(mode="json")["total_fee_yuan"] == "80.00"
    assert str(by_code["420700-XK-0101"].total_fee_yuan) == "0.00"


def test_list_items_hides_unpublished_items(service):
    listed = [code for page in all_pages(service) for code in page]
    assert "420700-XK-0004" not in listed
    assert len(listed) == 7


def test_list_items_orders_by_department_then_code(service):
    assert codes(service.list_items()) == [
        "420700-QT-0001",
        "420700-XK-0001",
        "420700-XK-0002",
        "420700-XK-0003",
        "420700-QR-0101",
        "420700-XK-0101",
        "420700-XK-0102",
    ]


def test_filter_by_category(service):
    page = service.list_items(category=Category.CONFIRMATION)
    assert codes(page) == ["420700-QR-0101"]
    assert codes(service.list_items(category="其他")) == ["420700-QT-0001"]


def test_unknown_category_is_invalid_input(service):
    with pytest.raises(InvalidInput, match="事项类别无效"):
        service.list_items(category="许可")


def test_query_matches_name_or_code_case_insensitively(service):
    assert codes(service.list_items(query="食品")) == ["420700-XK-0001", "420700-XK-0002"]
    assert codes(service.list_items(query=" xk-010 ")) == ["420700-XK-0101", "420700-XK-0102"]
    assert codes(service.list_items(query="规划", department_id="market")) == []


def test_filters_combine(service):
    page = service.list_items(department_id="market", category="行政许可", query="药品")
    assert codes(page) == ["420700-XK-0003"]


@pytest.mark.parametrize("limit", [0, -1, 101])
def test_limit_out_of_range_is_invalid_input(service, limit):
    with pytest.raises(InvalidInput):
        service.list_items(limit=limit)


# -- pagination ---------------------------------------------------------------------------------


def test_pages_without_filters_cover_everything_once(service):
    pages = all_pages(service, limit=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    flat = [code for page in pages for code in page]
    assert flat == codes(service.list_items(limit=100))


def test_filtered_pages_are_full_and_read_across_repository_pages(service, repo):
    # Category 行政许可 skips the 其他 item and the unpublished one: the service must read on.
    first = service.list_items(category="行政许可", limit=2)
    assert codes(first) == ["420700-XK-0001", "420700-XK-0002"]
    assert first.next_cursor
    repo.list_calls.clear()
    second = service.list_items(category="行政许可", limit=2, cursor=first.next_cursor)
    assert codes(second) == ["420700-XK-0003", "420700-XK-0101"]
    assert len(repo.list_calls) > 1, "the unpublished item had to be read past"
    third = service.list_items(category="行政许可", limit=2, cursor=second.next_cursor)
    assert codes(third) == ["420700-XK-0102"]
    assert third.next_cursor is None


def test_filtered_pagination_never_skips_or_repeats(service):
    for limit in range(1, 6):
        pages = all_pages(service, query="许可", limit=limit)
        flat = [code for page in pages for code in page]
        assert flat == codes(service.list_items(query="许可", limit=100)), limit
        assert all(len(page) == limit for page in pages[:-1])


def test_repository_is_asked_only_for_what_the_page_lacks(service, repo):
    service.list_items(query="许可", limit=4)
    assert [limit for _, limit, _ in repo.list_calls] == sorted((limit for _, limit, _ in repo.list_calls), reverse=True)
    assert repo.list_calls[0][1] == 4


def test_cursor_round_trip(service):
    first = service.list_items(department_id="market", limit=2)
    payload = decode_cursor(first.next_cursor)
    assert payload["f"] == ["market", None, None]
    assert encode_cursor(payload) == first.next_cursor
    assert codes(first) == ["420700-QT-0001", "420700-XK-0001"]
    second = service.list_items(department_id="market", limit=2, cursor=first.next_cursor)
    assert codes(second) == ["420700-XK-0002", "420700-XK-0003"]


def test_a_full_last_page_may_lead_to_an_empty_one(service):
    # Like DynamoDB, the fake returns a key whenever a page is full, even if nothing follows.
    first = service.list_items(department_id="planning", limit=3)
    assert len(first.items) == 3 and first.next_cursor
    last = service.list_items(department_id="planning", limit=3, cursor=first.next_cursor)
    assert last.items == [] and last.next_cursor is None


@pytest.mark.parametrize("cursor", ["not-base64!!", "bm90IGpzb24", {"x": 1}, {"k": "s"}])
def test_bad_cursor_is_invalid_cursor(service, cursor):
    cursor = encode_cursor(cursor) if isinstance(cursor, dict) else cursor  # signed inside the test only
    with pytest.raises(InvalidCursor, match="翻页标记无效"):
        service.list_items(cursor=cursor)


def test_cursor_of_other_filters_is_invalid_cursor(service):
    cursor = service.list_items(department_id="market", limit=1).next_cursor
    with pytest.raises(InvalidCursor):
        service.list_items(department_id="planning", cursor=cursor)
    with pytest.raises(InvalidCursor):
        service.list_items(department_id="market", query="食品", cursor=cursor)


def test_forged_start_key_is_invalid_input(service):
    forged = encode_cursor({"k": {"listing_sk": "planning#420700-XK-0101"}, "f": ["market", None, None]})
    with pytest.raises(InvalidInput):
        service.list_items(department_id="market", cursor=forged)
