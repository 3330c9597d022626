"""An in-memory CatalogRepository that pages like the DynamoDB one."""

from __future__ import annotations

from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.catalog_admin import CatalogChange, Revision
from sunlight.models.levels import Government
from sunlight.services.errors import InvalidInput
from sunlight.services.ports import ConcurrentModification, StartKey


class InMemoryCatalogRepository:
    def __init__(
        self, departments: list[Department] = (), items: list[CatalogItem] = (), governments: list[Government] = ()
    ) -> None:
        self.departments: dict[str, Department] = {d.department_id: d for d in departments}
        self.items: dict[str, CatalogItem] = {i.item_code: i for i in items}
        self.governments: dict[str, Government] = {g.government_id: g for g in governments}
        self.list_calls: list[tuple[str | None, int, StartKey | None]] = []

    def get_department(self, department_id: str) -> Department | None:
        return self.departments.get(department_id)

    def list_departments(self) -> list[Department]:
        return [self.departments[key] for key in sorted(self.departments)]

    def list_governments(self) -> list[Government]:
        return [self.governments[key] for key in sorted(self.governments)]

    def put_government(self, government: Government) -> None:
        self.governments[government.government_id] = government

    def get_item(self, item_code: str) -> CatalogItem | None:
        return self.items.get(item_code)

    def list_items(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[CatalogItem], StartKey | None]:
        self.list_calls.append((department_id, limit, start_key))
        prefix = f"{department_id}#" if department_id is not None else ""
        after = ""
        if start_key is not None:
            after = start_key.get("listing_sk")
            if set(start_key) != {"listing_sk"} or not isinstance(after, str) or not after.startswith(prefix):
                raise InvalidInput("翻页参数无效，请从第一页重新查询。")
        keys = sorted(
            sort_key
            for sort_key in (f"{i.department_id}#{i.item_code}" for i in self.items.values())
            if sort_key.startswith(prefix) and sort_key > after
        )
        page = keys[:limit]
        items = [self.items[key.partition("#")[2]] for key in page]
        # Like DynamoDB: a key whenever the page is full, even if nothing follows.
        return items, ({"listing_sk": page[-1]} if len(page) == limit else None)

    def put_department(self, department: Department) -> None:
        self.departments[department.department_id] = department

    def put_item(self, item: CatalogItem) -> None:
        self.items[item.item_code] = item


def make_department(department_id: str = "market", name: str = "市市场监督管理局", **overrides) -> Department:
    return Department.model_validate(
        {"department_id": department_id, "name": name, "short_name": name[1:6], **overrides}
    )


def make_item(item_code: str, department_id: str = "market", **overrides) -> CatalogItem:
    """A valid item; override any field."""
    fields = {
        "item_code": item_code,
        "name": f"测试事项{item_code}",
        "category": "行政许可",
        "department_id": department_id,
        "legal_basis": "《中华人民共和国行政许可法》第十二条",
        "conditions": "申请材料齐全、符合法定形式。",
        "materials": [{"material_id": "application", "name": "申请书"}],
        "fees": [],
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "step_limit_days": {"accept": 1, "handle": 5, "review": 2, "approve": 1, "complete": 1},
    }
    return CatalogItem.model_validate({**fields, **overrides})


class VersionedCatalogRepository(InMemoryCatalogRepository):
    """InMemoryCatalogRepository with versions and change history (CatalogAdminRepository)."""

    def __init__(self, departments: list[Department] = (), items: list[CatalogItem] = ()) -> None:
        super().__init__(departments, items)
        self.revisions: dict[str, Revision] = {}  # subject → revision; absent: version 0 (seeded)
        self.changes: dict[str, list[CatalogChange]] = {}

    def _revision(self, subject: str) -> Revision:
        return self.revisions.get(subject, Revision(version=0))

    def get_item_revision(self, item_code: str) -> tuple[CatalogItem, Revision] | None:
        item = self.items.get(item_code)
        return None if item is None else (item, self._revision(f"ITEM#{item_code}"))

    def list_item_revisions(self, department_id, limit, start_key=None):
        items, key = self.list_items(department_id, limit, start_key)
        return [(item, self._revision(f"ITEM#{item.item_code}")) for item in items], key

    def save_item(self, item: CatalogItem, change: CatalogChange, *, expected_version: int | None) -> None:
        self._save(f"ITEM#{item.item_code}", item.item_code in self.items, change, expected_version)
        self.items[item.item_code] = item

    def get_department_revision(self, department_id: str) -> tuple[Department, Revision] | None:
        department = self.departments.get(department_id)
        return None if department is None else (department, self._revision(f"DEPT#{department_id}"))

    def list_department_revisions(self) -> list[tuple[Department, Revision]]:
        return [(d, self._revision(f"DEPT#{d.department_id}")) for d in self.list_departments()]

    def save_department(self, department: Department, change: CatalogChange, *, expected_version: int | None) -> None:
        self._save(f"DEPT#{department.department_id}", department.department_id in self.departments, change, expected_version)
        self.departments[department.department_id] = department

    def history(self, subject: str, limit: int, start_key=None):
        newest_first = sorted(self.changes.get(subject, []), key=lambda c: -c.version)
        after = start_key["version"] if start_key else None
        remaining = [c for c in newest_first if after is None or c.version < after]
        page = remaining[:limit]
        return page, ({"version": page[-1].version} if len(page) == limit else None)

    def _save(self, subject: str, exists: bool, change: CatalogChange, expected_version: int | None) -> None:
        if expected_version is None and exists:
            raise ConcurrentModification(subject)
        if expected_version is not None and (not exists or self._revision(subject).version != expected_version):
            raise ConcurrentModification(subject)
        self.revisions[subject] = Revision(
            version=change.version, updated_at=change.changed_at, updated_by=change.changed_by, updated_by_name=change.changed_by_name
        )
        self.changes.setdefault(subject, []).append(change)
