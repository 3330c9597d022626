"""CatalogAdminService: admin only, versions (409 on a stale edit), history of every change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from sunlight.models.catalog_admin import CatalogItemCreate, CatalogItemUpdate, ChangeAction, DepartmentUpdate
from sunlight.models.roles import Principal, Role
from sunlight.services.catalog import CatalogService
from sunlight.services.catalog_admin import CatalogAdminService
from sunlight.services.errors import Conflict, Forbidden, InvalidCursor, InvalidInput, NotFound
from tests.fakes.cases import FakeClock
from tests.fakes.catalog import VersionedCatalogRepository, make_department, make_item

ADMIN = Principal(user_id="sub-admin", name="法制办王律", roles=frozenset({Role.ADMIN}))
OTHER_ADMIN = Principal(user_id="sub-admin2", name="法制办李审", roles=frozenset({Role.ADMIN}))
LEADER = Principal(user_id="sub-leader", name="刘建国", roles=frozenset({Role.LEADER}), department_id="market")
CODE = "420700-XK-0001"


@pytest.fixture
def repo() -> VersionedCatalogRepository:
    return VersionedCatalogRepository([make_department("market"), make_department("planning", "市自然资源和规划局")], [make_item(CODE)])


@pytest.fixture
def service(repo) -> CatalogAdminService:
    return CatalogAdminService(repo, FakeClock(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)))


def edit(service: CatalogAdminService, version: int, **changes) -> CatalogItemUpdate:
    current = service.get_item(ADMIN, CODE).item.model_dump(mode="json", exclude={"published"})
    return CatalogItemUpdate.model_validate({**current, **changes, "version": version})


def test_only_admins_maintain_the_catalog(service):
    for call in (
        lambda: service.list_items(LEADER),
        lambda: service.get_item(LEADER, CODE),
        lambda: service.history(LEADER, CODE),
        lambda: service.set_published(LEADER, CODE, False, 0),
        lambda: service.list_departments(LEADER),
    ):
        with pytest.raises(Forbidden, match="法制办"):
            call()


def test_an_edit_records_who_changed_which_field_and_bumps_the_version(service):
    updated = service.update_item(ADMIN, CODE, edit(service, 0, legal_basis="《中华人民共和国食品安全法》第三十五条（2021年修正）"))
    assert updated.revision.version == 1 and updated.revision.updated_by_name == "法制办王律"
    assert updated.item.published  # an edit keeps the publication as it was
    (change,) = service.history(ADMIN, CODE).items
    assert (change.version, change.action, change.changed_by_name) == (1, ChangeAction.UPDATE, "法制办王律")
    assert [(c.field, c.label) for c in change.changes] == [("legal_basis", "设定依据")]
    assert change.changes[0].before == "《中华人民共和国行政许可法》第十二条"
    assert change.changes[0].after.endswith("（2021年修正）")


def test_a_stale_edit_is_refused_and_changes_nothing(service):
    service.update_item(ADMIN, CODE, edit(service, 0, promised_limit_days=12))
    with pytest.raises(Conflict, match="第1版") as refused:
        service.update_item(ADMIN, CODE, edit(service, 0, promised_limit_days=15))
    assert refused.value.details == {"version": 1}
    assert service.get_item(ADMIN, CODE).item.promised_limit_days == 12
    assert len(service.history(ADMIN, CODE).items) == 1


def test_an_edit_that_changes_nothing_makes_no_version(service):
    same = service.update_item(ADMIN, CODE, edit(service, 0))
    assert same.revision.version == 0 and service.history(ADMIN, CODE).items == []


def test_the_item_code_cannot_change_and_the_department_must_exist(service):
    with pytest.raises(InvalidInput, match="权力编码不能修改"):
        service.update_item(ADMIN, CODE, edit(service, 0, item_code="420700-XK-9999"))
    with pytest.raises(InvalidInput, match="部门管理"):
        service.update_item(ADMIN, CODE, edit(service, 0, department_id="nowhere"))


def test_a_reported_items_upper_department_must_exist(service):
    steps = {"accept": 1, "preliminary_review": 4, "report": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1}
    body = make_item("420700-XK-0019", "planning").model_dump(mode="json") | {
        "flow": "reported", "step_limit_days": steps, "promised_limit_days": 15, "legal_limit_days": 40}
    with pytest.raises(InvalidInput, match="上级审批部门不存在") as refused:
        service.create_item(ADMIN, CatalogItemCreate.model_validate(body | {"upper_department_id": "nowhere"}))
    assert refused.value.details == {"field": "upper_department_id"}
    created = service.create_item(ADMIN, CatalogItemCreate.model_validate(body | {"upper_department_id": "market"}))
    assert created.item.upper_department_id == "market"


def test_create_unpublished_then_publish_and_the_public_sees_it(service, repo):
    body = make_item("420700-XK-0009", "planning", name="新事项").model_dump(mode="json")
    created = service.create_item(ADMIN, CatalogItemCreate.model_validate(body))
    assert (created.item.published, created.revision.version) == (False, 1)
    public = CatalogService(repo)
    with pytest.raises(NotFound):
        public.get_item("420700-XK-0009")
    # a retry of the same creation answers with the item it created
    assert service.create_item(ADMIN, CatalogItemCreate.model_validate(body)).revision.version == 1
    with pytest.raises(Conflict, match="权力编码已被"):
        service.create_item(OTHER_ADMIN, CatalogItemCreate.model_validate(body))
    with pytest.raises(Conflict, match="第1版"):
        service.set_published(ADMIN, "420700-XK-0009", True, 0)
    published = service.set_published(ADMIN, "420700-XK-0009", True, 1)
    assert (published.item.published, published.revision.version) == (True, 2)
    assert public.get_item("420700-XK-0009").name == "新事项"
    with pytest.raises(Conflict, match="已发布"):
        service.set_published(ADMIN, "420700-XK-0009", True, 2)
    history = service.history(ADMIN, "420700-XK-0009").items
    assert [c.action for c in history] == [ChangeAction.PUBLISH, ChangeAction.CREATE]
    assert [(c.field, c.before, c.after) for c in history[0].changes] == [("published", "false", "true")]


def test_unpublish_hides_the_item_from_the_public_but_not_from_the_admin_list(service, repo):
    service.set_published(ADMIN, CODE, False, 0)
    with pytest.raises(NotFound):
        CatalogService(repo).get_item(CODE)
    (summary,) = service.list_items(ADMIN, department_id="market").items
    assert (summary.item_code, summary.published, summary.version, summary.updated_by_name) == (CODE, False, 1, "法制办王律")


def test_history_pages_newest_first(service):
    for version, days in enumerate((11, 12, 13)):
        service.update_item(ADMIN, CODE, edit(service, version, promised_limit_days=days))
    first = service.history(ADMIN, CODE, limit=2)
    second = service.history(ADMIN, CODE, cursor=first.next_cursor, limit=2)
    assert [c.version for c in first.items + second.items] == [3, 2, 1]
    with pytest.raises(InvalidCursor):  # a cursor continues the history it was issued for only
        service.department_history(ADMIN, "market", cursor=first.next_cursor)
    with pytest.raises(NotFound):
        service.history(ADMIN, "420700-XK-0002")


def test_departments_are_created_once_and_edited_by_version(service):
    created = service.save_department(ADMIN, "health", DepartmentUpdate(name="市卫生健康委员会", short_name="卫健委"))
    assert created.revision.version == 1
    with pytest.raises(Conflict, match="部门编码已存在"):
        service.save_department(ADMIN, "health", DepartmentUpdate(name="市卫生健康委员会", short_name="卫健委"))
    edited = service.save_department(ADMIN, "health", DepartmentUpdate(name="市卫生健康委员会", short_name="卫健委", phone="0711-1234567", version=1))
    assert edited.revision.version == 2
    with pytest.raises(Conflict, match="第2版"):
        service.save_department(ADMIN, "health", DepartmentUpdate(name="市卫健委", short_name="卫健委", version=1))
    with pytest.raises(NotFound):
        service.save_department(ADMIN, "police", DepartmentUpdate(name="市公安局", short_name="公安局", version=1))
    with pytest.raises(InvalidInput, match="部门编码"):
        service.save_department(ADMIN, "Bad Id", DepartmentUpdate(name="市公安局", short_name="公安局"))
    (latest, _) = service.department_history(ADMIN, "health").items
    assert [(c.field, c.after) for c in latest.changes] == [("phone", "0711-1234567")]


def test_an_update_body_carries_a_version_and_no_publication():
    body = make_item(CODE).model_dump(mode="json")
    with pytest.raises(ValidationError) as missing:
        CatalogItemUpdate.model_validate({**body})
    assert [e["loc"] for e in missing.value.errors()] == [("version",)]
    with pytest.raises(ValidationError):
        CatalogItemUpdate.model_validate({**body, "version": 0, "surprise": 1})


def test_a_seeded_department_is_edited_at_version_0(service):
    edited = service.save_department(ADMIN, "market", DepartmentUpdate(name="市市场监督管理局", short_name="市场监管局", phone="0711-1", version=0))
    assert edited.revision.version == 1
    with pytest.raises(Conflict):
        service.save_department(ADMIN, "market", DepartmentUpdate(name="市市场监督管理局", short_name="市场监管局", version=0))
