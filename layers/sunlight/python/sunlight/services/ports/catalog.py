"""Catalog (权力清单): departments and their items, the part case handling reads, and catalog
administration (权力清单维护, 法制办): versioned writes with a change history."""

from __future__ import annotations

from typing import Protocol

from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.catalog_admin import CatalogChange, Revision
from sunlight.models.levels import Government

from .common import StartKey


class CatalogRepository(Protocol):
    """Departments and catalog items. Reads return None when absent; writes replace."""

    def get_department(self, department_id: str) -> Department | None: ...

    def list_departments(self) -> list[Department]:
        """Every department, ordered by id."""
        ...

    def list_governments(self) -> list[Government]:
        """Every government of the tree (models/levels.py), ordered by code; empty before any is stored."""
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

    def get_government(self, government_id: str) -> Government | None: ...

    def put_government(self, government: Government) -> None: ...


class CatalogReader(Protocol):
    """The part of the catalog that case handling reads (the catalog repository provides it)."""

    def get_item(self, item_code: str) -> CatalogItem | None: ...

    def get_department(self, department_id: str) -> Department | None: ...

    def list_departments(self) -> list[Department]: ...

    def list_governments(self) -> list[Government]:
        """The government tree (行政层级): a new case's government chain, a 监察局's departments."""
        ...


class CatalogAdminRepository(Protocol):
    """Versioned records of the catalog and their history (see adapters/dynamodb_catalog.py).

    `expected_version` None creates the record (ConcurrentModification if it exists); a number
    replaces the record only if that is its current version (0: a seeded, never edited record).
    The record and its history entry (`change`, whose version is the new one) are written
    atomically."""

    def get_item_revision(self, item_code: str) -> tuple[CatalogItem, Revision] | None: ...

    def list_item_revisions(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[tuple[CatalogItem, Revision]], StartKey | None]:
        """Like CatalogRepository.list_items, with each item's revision."""
        ...

    def save_item(self, item: CatalogItem, change: CatalogChange, *, expected_version: int | None) -> None: ...

    def get_department_revision(self, department_id: str) -> tuple[Department, Revision] | None: ...

    def list_department_revisions(self) -> list[tuple[Department, Revision]]: ...

    def save_department(self, department: Department, change: CatalogChange, *, expected_version: int | None) -> None: ...

    def history(self, subject: str, limit: int, start_key: StartKey | None = None) -> tuple[list[CatalogChange], StartKey | None]:
        """The changes of one record (`ITEM#{code}` or `DEPT#{id}`), newest first."""
        ...
