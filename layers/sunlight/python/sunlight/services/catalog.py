"""The public catalog (信息公开: 事项目录): departments, item listings with filters, item details."""

from __future__ import annotations

from sunlight.models.catalog import CatalogItem, CatalogItemSummary, Category, Department, PublicCatalogItem, PublicDepartment
from sunlight.models.levels import placed_path, within
from sunlight.services.errors import InvalidCursor, InvalidInput, NotFound
from sunlight.services.pagination import Page, decode_cursor, encode_cursor
from sunlight.services.ports import CatalogRepository, StartKey

MAX_PAGE_SIZE = 100

ITEM_NOT_FOUND = "未找到该事项，请核对事项编码。"
DEPARTMENT_NOT_FOUND = "未找到该部门，请核对部门编码。"


class CatalogService:
    def __init__(self, repo: CatalogRepository) -> None:
        self._repo = repo

    def list_departments(self) -> list[Department]:
        return self._repo.list_departments()

    def public_departments(self, within_government: str | None = None) -> list[PublicDepartment]:
        """Every department with its government's name and level (two reads, no lookup per department);
        with `within_government`, only those of that government and the levels below it (a district
        监察局's choice of departments to 督办; services/scope.py draws the same line)."""
        governments = {g.government_id: g for g in self._repo.list_governments()}
        departments = self._repo.list_departments()
        if within_government is not None:
            departments = [d for d in departments if within(placed_path(d.government_id, governments), within_government)]
        return [PublicDepartment.of(d, governments.get(d.government_id)) for d in departments]

    def get_department(self, department_id: str) -> Department:
        department = self._repo.get_department(department_id)
        if department is None:
            raise NotFound(DEPARTMENT_NOT_FOUND)
        return department

    def get_item(self, item_code: str) -> PublicCatalogItem:
        """A published item; unpublished ones do not exist for the public."""
        item = self._repo.get_item(item_code.strip().upper())
        if item is None or not item.published:
            raise NotFound(ITEM_NOT_FOUND)
        return PublicCatalogItem.of(item)

    def list_items(
        self,
        department_id: str | None = None,
        category: Category | str | None = None,
        query: str | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> Page[CatalogItemSummary]:
        """Published items, ordered by department then code, optionally of one department, of
        one category, and whose name or code contains `query` (case-insensitive).

        The repository filters by department; the service filters the rest. To keep pages full
        and never skip an item, it asks the repository for just as many items as the page still
        lacks, again until the page is full or the listing ends: so every item read is either
        returned or filtered out, and the cursor continues right after the last item read.
        A cursor only continues the listing with the same filters it was issued for.
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(f"每页条数应在1到{MAX_PAGE_SIZE}之间。")
        wanted_category = _category(category)
        needle = (query or "").strip().casefold() or None
        filters = [department_id, wanted_category.value if wanted_category else None, needle]
        start_key = _start_key(cursor, filters)

        found: list[CatalogItem] = []
        while True:
            items, start_key = self._repo.list_items(department_id, limit - len(found), start_key)
            found.extend(item for item in items if _matches(item, wanted_category, needle))
            if start_key is None or len(found) >= limit:
                break

        names = {d.department_id: d.name for d in self._repo.list_departments()} if found else {}
        return Page[CatalogItemSummary](
            items=[CatalogItemSummary.of(item, names.get(item.department_id, item.department_id)) for item in found],
            next_cursor=encode_cursor({"k": start_key, "f": filters}) if start_key else None,
        )


def _category(category: Category | str | None) -> Category | None:
    if category is None or category == "":
        return None
    try:
        return Category(category)
    except ValueError:
        raise InvalidInput(f"事项类别无效：{category}", details={"allowed": [c.value for c in Category]}) from None


def _matches(item: CatalogItem, category: Category | None, needle: str | None) -> bool:
    if not item.published:
        return False
    if category is not None and item.category is not category:
        return False
    return needle is None or needle in item.name.casefold() or needle in item.item_code.casefold()


def _start_key(cursor: str | None, filters: list[str | None]) -> StartKey | None:
    payload = decode_cursor(cursor)
    if payload is None:
        return None
    key = payload.get("k")
    if payload.get("f") != filters or not isinstance(key, dict) or not key:
        raise InvalidCursor()
    return key
