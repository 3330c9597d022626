"""Ports: what the use cases need from the outside world, as `typing.Protocol`s.

Adapters (`sunlight.adapters`) implement them against AWS; unit tests implement them in memory.
Each port lives in its own section below, so parts of the system can be added independently.
Storage keys cross the port only as opaque `StartKey` dicts: the services turn them into page
cursors (services/pagination.py) and never look inside.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias

from sunlight.models.catalog import CatalogItem, Department

StartKey: TypeAlias = dict[str, Any]
"""Where a listing continues: returned by one call, passed back unchanged to the next."""


# ---------------------------------------------------------------------------------------------
# Catalog (权力清单): departments and their items
# ---------------------------------------------------------------------------------------------


class CatalogRepository(Protocol):
    """Departments and catalog items. Reads return None when absent; writes replace."""

    def get_department(self, department_id: str) -> Department | None: ...

    def list_departments(self) -> list[Department]:
        """Every department, ordered by id."""
        ...

    def get_item(self, item_code: str) -> CatalogItem | None:
        """The item, published or not."""
        ...

    def list_items(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[CatalogItem], StartKey | None]:
        """Up to `limit` items (published or not), ordered by department then code, of one
        department or of all, continuing after `start_key`. Returns the items and the key to
        continue from, or None when the listing has ended. Raises InvalidInput for a start key
        this repository did not hand out for the same department filter."""
        ...

    def put_department(self, department: Department) -> None: ...

    def put_item(self, item: CatalogItem) -> None: ...
