"""UserAdminService: staff accounts over a directory fake; the rules of roles and departments."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sunlight.models.roles import Principal, Role
from sunlight.models.users import CreateUserRequest, UpdateUserRequest
from sunlight.services.errors import Conflict, Forbidden, InvalidCursor, InvalidInput, NotFound
from sunlight.services.users import UserAdminService
from tests.fakes.catalog import InMemoryCatalogRepository, make_department
from tests.fakes.users import FixedPasswords, InMemoryUserDirectory, staff

ADMIN = Principal(user_id="sub-admin", name="管理员", roles=frozenset({Role.ADMIN}))
INSPECTOR = Principal(user_id="sub-inspector", name="孙监察", roles=frozenset({Role.INSPECTOR}), government_id="420700")


@pytest.fixture
def directory() -> InMemoryUserDirectory:
    return InMemoryUserDirectory(
        [
            staff("admin", Role.ADMIN, department_id=None),
            staff("inspector", Role.INSPECTOR, department_id=None),
            staff("market.window", Role.WINDOW),
            staff("market.handler", Role.HANDLER),
            staff("market.leader", Role.LEADER, Role.HANDLER),  # listed once, under 承办人
            staff("planning.window", Role.WINDOW, department_id="planning"),
            staff("citizen1", Role.CITIZEN, department_id=None),
        ]
    )


@pytest.fixture
def service(directory) -> UserAdminService:
    catalog = InMemoryCatalogRepository([make_department("market"), make_department("planning", "市自然资源和规划局")])
    return UserAdminService(
        directory, catalog, FixedPasswords(), departments=lambda: {d.department_id: d.name for d in catalog.list_departments()}
    )


def all_usernames(service, **filters) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = service.list_users(ADMIN, cursor=cursor, **filters)
        pages.append([u.username for u in page.items])
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_only_admins_manage_users(service):
    with pytest.raises(Forbidden, match="系统管理员"):
        service.list_users(INSPECTOR)
    with pytest.raises(Forbidden):
        service.set_enabled(INSPECTOR, "market.window", False)


def test_staff_are_listed_once_each_in_full_pages_and_citizens_never(service):
    pages = all_usernames(service, limit=2)
    listed = [name for page in pages for name in page]
    assert listed == ["market.window", "planning.window", "market.handler", "market.leader", "inspector", "admin"]
    assert all(len(page) == 2 for page in pages[:-1])
    assert all_usernames(service, department_id="planning") == [["planning.window"]]
    first = service.list_users(ADMIN, limit=2)
    with pytest.raises(InvalidCursor):
        service.list_users(ADMIN, department_id="market", cursor=first.next_cursor)
    (user,) = service.list_users(ADMIN, department_id="planning").items
    assert (user.department_name, user.role_labels) == ("市自然资源和规划局", ["窗口受理人员"])


def test_create_a_staff_user_with_a_temporary_password(service, directory):
    created = service.create_user(
        ADMIN, CreateUserRequest(username="Market.Reviewer", full_name="王芳", department_id="market", roles=[Role.REVIEWER])
    )
    assert created.temporary_password == directory.passwords["market.reviewer"] == "Temp#Passw0rd-2026"
    assert (created.user.username, created.user.roles, created.user.department_name) == ("market.reviewer", (Role.REVIEWER,), "市市场监督管理局")
    with pytest.raises(Conflict, match="用户名已被使用"):
        service.create_user(ADMIN, CreateUserRequest(username="market.reviewer", full_name="王芳", department_id="market", roles=["reviewer"]))
    with pytest.raises(InvalidInput, match="所属部门不存在"):
        service.create_user(ADMIN, CreateUserRequest(username="x.handler", full_name="王芳", department_id="nowhere", roles=["handler"]))


def test_an_inspector_without_a_department_belongs_to_a_government_the_citys_unless_named(service, directory):
    city = service.create_user(ADMIN, CreateUserRequest(username="city.auditor", full_name="新监察", roles=[Role.INSPECTOR])).user
    district = service.create_user(
        ADMIN, CreateUserRequest(username="echeng.auditor", full_name="区监察", roles=[Role.INSPECTOR], government_id="420704")
    ).user
    office = service.create_user(
        ADMIN, CreateUserRequest(username="market.auditor", full_name="监察室", roles=[Role.INSPECTOR], department_id="market",
                                 government_id="420704")
    ).user
    assert (city.government_id, district.government_id, office.government_id) == ("420700", "420704", None)
    service.update_user(ADMIN, "echeng.auditor", UpdateUserRequest(full_name="区监察", roles=[Role.INSPECTOR], government_id="420703"))
    assert directory.users["echeng.auditor"].government_id == "420703"
    with pytest.raises(ValueError):
        CreateUserRequest(username="bad.auditor", full_name="某人", roles=[Role.INSPECTOR], government_id="4207")


def test_staff_roles_need_a_department_and_citizens_are_not_managed():
    with pytest.raises(ValidationError, match="必须选择所属部门"):
        CreateUserRequest(username="someone", full_name="某人", roles=[Role.HANDLER])
    with pytest.raises(ValidationError, match="申请人"):
        CreateUserRequest(username="someone", full_name="某人", roles=[Role.CITIZEN])
    assert CreateUserRequest(username="auditor", full_name="某人", roles=[Role.INSPECTOR]).department_id is None


def test_change_roles_and_department(service, directory):
    updated = service.update_user(
        ADMIN, "market.handler", UpdateUserRequest(full_name="李强", department_id="planning", roles=[Role.REVIEWER, Role.HANDLER])
    )
    assert (updated.roles, updated.department_id) == ((Role.HANDLER, Role.REVIEWER), "planning")
    with pytest.raises(Forbidden, match="申请人"):
        service.update_user(ADMIN, "citizen1", UpdateUserRequest(full_name="张三", roles=[Role.INSPECTOR]))
    with pytest.raises(NotFound):
        service.update_user(ADMIN, "nobody", UpdateUserRequest(full_name="张三", roles=[Role.INSPECTOR]))


def test_an_admin_cannot_remove_their_own_admin_role_or_disable_themselves(service, directory):
    me = Principal(user_id="sub-admin", name="管理员", roles=frozenset({Role.ADMIN}))
    with pytest.raises(Conflict, match="不能取消自己的系统管理员角色"):
        service.update_user(me, "admin", UpdateUserRequest(full_name="管理员", roles=[Role.INSPECTOR]))
    with pytest.raises(Conflict, match="不能停用自己的账号"):
        service.set_enabled(me, "admin", False)
    assert directory.users["admin"].roles == (Role.ADMIN,) and directory.users["admin"].enabled
    # another administrator may
    other = Principal(user_id="sub-other", name="另一位管理员", roles=frozenset({Role.ADMIN}))
    assert service.update_user(other, "admin", UpdateUserRequest(full_name="管理员", roles=[Role.INSPECTOR])).roles == (Role.INSPECTOR,)


def test_disable_and_enable(service):
    assert service.set_enabled(ADMIN, "market.window", False).enabled is False
    assert service.set_enabled(ADMIN, "market.window", False).enabled is False  # again: no change
    assert service.set_enabled(ADMIN, "market.window", True).enabled is True


def test_a_forgotten_password_is_reset_to_a_new_temporary_one_and_the_user_signed_out(service, directory):
    reset = service.reset_password(ADMIN, "Market.Window ")  # typed as it was shown
    assert reset.temporary_password == FixedPasswords().temporary_password()
    assert directory.passwords["market.window"] == reset.temporary_password
    assert reset.user.username == "market.window" and reset.user.status == "FORCE_CHANGE_PASSWORD"
    assert directory.signed_out == ["market.window"]


def test_password_reset_rules(service, directory):
    with pytest.raises(Forbidden):
        service.reset_password(INSPECTOR, "market.window")
    with pytest.raises(NotFound):
        service.reset_password(ADMIN, "nobody")
    with pytest.raises(Forbidden, match="本人注册"):  # citizens recover their password by e-mail
        service.reset_password(ADMIN, "citizen1")
    service.set_enabled(ADMIN, "market.window", False)
    with pytest.raises(Conflict, match="先启用"):
        service.reset_password(ADMIN, "market.window")
    assert "market.window" not in directory.passwords
