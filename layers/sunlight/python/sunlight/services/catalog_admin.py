"""Catalog administration (权力清单维护): the legal office (法制办, the `admin` role) creates and
edits departments and items, publishes and unpublishes items. Every write is conditional on the
version the editor read (a stale edit is refused with 409) and leaves an entry in the record's
change history: who changed which fields from what to what, and when."""

from __future__ import annotations

from sunlight.models.catalog import CatalogItem, CatalogItemSummary, Department
from sunlight.models.catalog_admin import (
    DEPARTMENT_FIELD_LABELS,
    ITEM_FIELD_LABELS,
    AdminCatalogItem,
    AdminDepartment,
    AdminItemSummary,
    CatalogChange,
    CatalogItemCreate,
    CatalogItemUpdate,
    ChangeAction,
    DepartmentUpdate,
    Revision,
    field_changes,
)
from sunlight.models.roles import Principal, Role
from sunlight.services.catalog import DEPARTMENT_NOT_FOUND, ITEM_NOT_FOUND, MAX_PAGE_SIZE
from sunlight.services.errors import Conflict, Forbidden, InvalidCursor, InvalidInput, NotFound
from sunlight.services.pagination import Page, decode_cursor, encode_cursor
from sunlight.services.ports import CatalogAdminRepository, Clock, ConcurrentModification, StartKey

ADMIN_ONLY = "只有系统管理员（法制办）可以维护事项目录。"
UNKNOWN_DEPARTMENT = "所选的实施部门不存在，请先在“部门管理”中新建该部门。"
UNKNOWN_UPPER_DEPARTMENT = "所选的上级审批部门不存在，请先在“部门管理”中新建该部门。"
ITEM_EXISTS = "该权力编码已被其他事项使用，请核对编码。"
DEPARTMENT_EXISTS = "该部门编码已存在；如需修改，请打开该部门编辑。"


def stale(version: int) -> str:
    return f"该记录已被他人修改（当前为第{version}版），请刷新后在最新内容上重新修改。"


def item_subject(item_code: str) -> str:
    return f"ITEM#{item_code}"


def department_subject(department_id: str) -> str:
    return f"DEPT#{department_id}"


class CatalogAdminService:
    def __init__(self, repo: CatalogAdminRepository, clock: Clock) -> None:
        self._repo = repo
        self._clock = clock

    # --- items -----------------------------------------------------------------------------

    def list_items(
        self, principal: Principal, department_id: str | None = None, cursor: str | None = None, limit: int = 20
    ) -> Page[AdminItemSummary]:
        """Every item, published or not, ordered by department then code."""
        _require_admin(principal)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(f"每页条数应在1到{MAX_PAGE_SIZE}之间。")
        start_key = _start_key(cursor, department_id)
        found, next_key = self._repo.list_item_revisions(department_id or None, limit, start_key)
        names = {d.department_id: d.name for d, _ in self._repo.list_department_revisions()} if found else {}
        return Page[AdminItemSummary](
            items=[_summary(item, revision, names) for item, revision in found],
            next_cursor=encode_cursor({"k": next_key, "f": department_id or None}) if next_key else None,
        )

    def get_item(self, principal: Principal, item_code: str) -> AdminCatalogItem:
        _require_admin(principal)
        item, revision = self._item(item_code)
        return AdminCatalogItem(item=item, revision=revision)

    def create_item(self, principal: Principal, request: CatalogItemCreate) -> AdminCatalogItem:
        """A new item, unpublished. Repeating the same creation (a retry whose answer was lost)
        returns the item it created instead of a conflict."""
        _require_admin(principal)
        item = request.item()
        self._check_department(item.department_id)
        self._check_upper_department(item.upper_department_id)
        existing = self._repo.get_item_revision(item.item_code)
        if existing is not None:
            return self._same_creation(principal, existing, item)
        change = self._change(principal, item_subject(item.item_code), 1, ChangeAction.CREATE, None, item, ITEM_FIELD_LABELS)
        try:
            self._repo.save_item(item, change, expected_version=None)
        except ConcurrentModification:
            existing = self._repo.get_item_revision(item.item_code)
            if existing is None:
                raise Conflict(ITEM_EXISTS) from None
            return self._same_creation(principal, existing, item)
        return AdminCatalogItem(item=item, revision=_revision(change))

    def update_item(self, principal: Principal, item_code: str, request: CatalogItemUpdate) -> AdminCatalogItem:
        """Replaces every field of the item (except its code and publication) if `request.version`
        is still the current version."""
        _require_admin(principal)
        current, revision = self._item(item_code)
        if request.item_code != current.item_code:
            raise InvalidInput("权力编码不能修改；如需更换编码，请新建事项。", details={"field": "item_code"})
        updated = request.item(published=current.published)
        self._check_department(updated.department_id)
        self._check_upper_department(updated.upper_department_id)
        return self._save_item(principal, current, revision, updated, request.version, ChangeAction.UPDATE)

    def set_published(self, principal: Principal, item_code: str, published: bool, version: int) -> AdminCatalogItem:
        _require_admin(principal)
        current, revision = self._item(item_code)
        if current.published == published:
            if revision.version != version:
                raise Conflict(stale(revision.version), details={"version": revision.version})
            raise Conflict("该事项已发布。" if published else "该事项尚未发布，无需撤销。")
        if published:
            self._check_department(current.department_id)
        action = ChangeAction.PUBLISH if published else ChangeAction.UNPUBLISH
        updated = current.model_copy(update={"published": published})
        return self._save_item(principal, current, revision, updated, version, action)

    def history(self, principal: Principal, item_code: str, cursor: str | None = None, limit: int = 20) -> Page[CatalogChange]:
        _require_admin(principal)
        code = item_code.strip().upper()
        if self._repo.get_item_revision(code) is None:
            raise NotFound(ITEM_NOT_FOUND)
        return self._history(item_subject(code), cursor, limit)

    # --- departments -----------------------------------------------------------------------

    def list_departments(self, principal: Principal) -> list[AdminDepartment]:
        _require_admin(principal)
        return [AdminDepartment(department=d, revision=r) for d, r in self._repo.list_department_revisions()]

    def save_department(self, principal: Principal, department_id: str, request: DepartmentUpdate) -> AdminDepartment:
        """Creates the department (`version` null) or edits that version of it."""
        _require_admin(principal)
        try:
            department = Department.model_validate({"department_id": department_id, **request.model_dump(exclude={"version"})})
        except ValueError:
            raise InvalidInput("部门编码应以小写字母开头，只含小写字母、数字和连字符（2–40位）。", details={"field": "department_id"}) from None
        existing = self._repo.get_department_revision(department_id)
        if request.version is None:
            if existing is not None:
                raise Conflict(DEPARTMENT_EXISTS, details={"version": existing[1].version})
            before, expected, action = None, None, ChangeAction.CREATE
        else:
            if existing is None:
                raise NotFound(DEPARTMENT_NOT_FOUND)
            before, revision = existing
            if revision.version != request.version:
                raise Conflict(stale(revision.version), details={"version": revision.version})
            expected, action = request.version, ChangeAction.UPDATE
        new_version = (expected or 0) + 1
        change = self._change(principal, department_subject(department_id), new_version, action, before, department, DEPARTMENT_FIELD_LABELS)
        try:
            self._repo.save_department(department, change, expected_version=expected)
        except ConcurrentModification:
            latest = self._repo.get_department_revision(department_id)
            version = latest[1].version if latest else 0
            raise Conflict(stale(version), details={"version": version}) from None
        return AdminDepartment(department=department, revision=_revision(change))

    def department_history(self, principal: Principal, department_id: str, cursor: str | None = None, limit: int = 20) -> Page[CatalogChange]:
        _require_admin(principal)
        if self._repo.get_department_revision(department_id) is None:
            raise NotFound(DEPARTMENT_NOT_FOUND)
        return self._history(department_subject(department_id), cursor, limit)

    # --- helpers ---------------------------------------------------------------------------

    def _item(self, item_code: str) -> tuple[CatalogItem, Revision]:
        found = self._repo.get_item_revision(item_code.strip().upper())
        if found is None:
            raise NotFound(ITEM_NOT_FOUND)
        return found

    def _check_department(self, department_id: str) -> None:
        if self._repo.get_department_revision(department_id) is None:
            raise InvalidInput(UNKNOWN_DEPARTMENT, details={"field": "department_id"})

    def _check_upper_department(self, department_id: str | None) -> None:
        """上报件: the deciding department one level up must exist too."""
        if department_id is not None and self._repo.get_department_revision(department_id) is None:
            raise InvalidInput(UNKNOWN_UPPER_DEPARTMENT, details={"field": "upper_department_id"})

    def _save_item(
        self,
        principal: Principal,
        current: CatalogItem,
        revision: Revision,
        updated: CatalogItem,
        expected: int,
        action: ChangeAction,
    ) -> AdminCatalogItem:
        if revision.version != expected:
            raise Conflict(stale(revision.version), details={"version": revision.version})
        if updated == current:
            return AdminCatalogItem(item=current, revision=revision)  # nothing changed: no new version
        change = self._change(principal, item_subject(current.item_code), expected + 1, action, current, updated, ITEM_FIELD_LABELS)
        try:
            self._repo.save_item(updated, change, expected_version=expected)
        except ConcurrentModification:
            latest = self._repo.get_item_revision(current.item_code)
            version = latest[1].version if latest else 0
            raise Conflict(stale(version), details={"version": version}) from None
        return AdminCatalogItem(item=updated, revision=_revision(change))

    def _same_creation(self, principal: Principal, existing: tuple[CatalogItem, Revision], item: CatalogItem) -> AdminCatalogItem:
        stored, revision = existing
        if revision.version == 1 and revision.updated_by == principal.user_id and stored == item:
            return AdminCatalogItem(item=stored, revision=revision)
        raise Conflict(ITEM_EXISTS)

    def _change(self, principal, subject, version, action, before, after, labels) -> CatalogChange:
        return CatalogChange(
            subject=subject,
            version=version,
            action=action,
            action_label=action.label,
            changed_by=principal.user_id,
            changed_by_name=principal.name,
            changed_at=self._clock.now(),
            changes=field_changes(before, after, labels),
        )

    def _history(self, subject: str, cursor: str | None, limit: int) -> Page[CatalogChange]:
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(f"每页条数应在1到{MAX_PAGE_SIZE}之间。")
        payload = decode_cursor(cursor)
        start_key = None
        if payload is not None:
            if payload.get("s") != subject or not isinstance(payload.get("k"), dict):
                raise InvalidCursor()
            start_key = payload["k"]
        changes, next_key = self._repo.history(subject, limit, start_key)
        return Page[CatalogChange](items=changes, next_cursor=encode_cursor({"k": next_key, "s": subject}) if next_key else None)


def _require_admin(principal: Principal) -> None:
    if not principal.has_role(Role.ADMIN):
        raise Forbidden(ADMIN_ONLY)


def _revision(change: CatalogChange) -> Revision:
    return Revision(
        version=change.version, updated_at=change.changed_at, updated_by=change.changed_by, updated_by_name=change.changed_by_name
    )


def _summary(item: CatalogItem, revision: Revision, names: dict[str, str]) -> AdminItemSummary:
    base = CatalogItemSummary.of(item, names.get(item.department_id, item.department_id)).model_dump()
    return AdminItemSummary(
        **base,
        published=item.published,
        version=revision.version,
        updated_at=revision.updated_at,
        updated_by_name=revision.updated_by_name,
    )


def _start_key(cursor: str | None, department_id: str | None) -> StartKey | None:
    payload = decode_cursor(cursor)
    if payload is None:
        return None
    if payload.get("f") != (department_id or None) or not isinstance(payload.get("k"), dict):
        raise InvalidCursor()
    return payload["k"]
