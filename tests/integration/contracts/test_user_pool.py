"""Contract of the staff accounts (UserDirectory) against its fake and the Cognito adapter on the
stack's user pool in moto. The pool is shared by the module's tests: each uses usernames of its
own, and looks only at its own users in a group's listing."""

from __future__ import annotations

import boto3
import pytest

from sunlight.adapters.cognito_admin import CognitoUserDirectory
from sunlight.models.roles import Role
from sunlight.models.users import StaffUser
from sunlight.services.ports import UserDirectory, UserExists, UserNotFound
from tests.fakes.users import InMemoryUserDirectory

from .conftest import IMPLEMENTATIONS

PASSWORD = "Temp#Passw0rd-2026"


@pytest.fixture(params=IMPLEMENTATIONS)
def directory(request) -> UserDirectory:
    if request.param == "fake":
        return InMemoryUserDirectory()
    pool = request.getfixturevalue("aws_resources")["UserPoolId"]
    return CognitoUserDirectory(boto3.client("cognito-idp"), pool)


def a_user(username: str, *roles: Role, department_id: str | None = "market") -> StaffUser:
    return StaffUser(username=username, user_id="", full_name="张三", department_id=department_id, roles=roles)


def comparable(user: StaffUser | None) -> dict | None:
    """What both keep the same way: the id is the store's (Cognito's sub), the creation time its clock."""
    return None if user is None else user.model_dump(exclude={"user_id", "created_at"})


def test_a_created_account_must_change_its_password_and_keeps_its_roles_in_role_order(directory, unique):
    username = f"u{unique.lower()}"
    assert directory.get_user(username) is None
    created = directory.create_user(a_user(username, Role.REVIEWER, Role.HANDLER), PASSWORD)
    assert created.user_id and created.user_id != ""
    assert comparable(created) == {
        "username": username, "full_name": "张三", "department_id": "market", "government_id": None,
        "roles": (Role.HANDLER, Role.REVIEWER), "enabled": True, "status": "FORCE_CHANGE_PASSWORD"}
    assert directory.get_user(username) == created
    with pytest.raises(UserExists):
        directory.create_user(a_user(username, Role.HANDLER), PASSWORD)


def test_an_update_replaces_name_and_department_and_moves_roles(directory, unique):
    username = f"u{unique.lower()}"
    directory.create_user(a_user(username, Role.HANDLER), PASSWORD)
    directory.update_user(username, full_name="张三丰", department_id="planning", add=[Role.LEADER], remove=[Role.HANDLER])
    user = directory.get_user(username)
    assert (user.full_name, user.department_id, user.roles) == ("张三丰", "planning", (Role.LEADER,))
    directory.update_user(username, full_name="张三丰", department_id=None, add=[], remove=[])
    assert directory.get_user(username).department_id is None
    directory.set_name(username, "张三")
    directory.add_to_group(username, Role.HANDLER)
    directory.add_to_group(username, Role.HANDLER)  # twice is harmless
    user = directory.get_user(username)
    assert (user.full_name, user.roles) == ("张三", (Role.HANDLER, Role.LEADER))  # in role order


def test_a_bureau_inspectors_government_is_kept_changed_and_removed(directory, unique):
    username = f"g{unique.lower()}"
    directory.create_user(a_user(username, Role.INSPECTOR, department_id=None).model_copy(update={"government_id": "420704"}), PASSWORD)
    assert directory.get_user(username).government_id == "420704"
    directory.update_user(username, full_name="张三", department_id=None, add=[], remove=[], government_id="420703")
    assert directory.get_user(username).government_id == "420703"
    directory.update_user(username, full_name="张三", department_id="market", add=[], remove=[])
    assert (directory.get_user(username).government_id, directory.get_user(username).department_id) == (None, "market")


def test_disabling_enabling_and_resetting_a_password(directory, unique):
    username = f"u{unique.lower()}"
    directory.create_user(a_user(username, Role.WINDOW), PASSWORD)
    directory.set_enabled(username, False)
    assert directory.get_user(username).enabled is False
    directory.set_enabled(username, True)
    assert directory.get_user(username).enabled is True
    directory.reset_password(username, "Other#Passw0rd-2026")
    assert directory.get_user(username).status == "FORCE_CHANGE_PASSWORD"


def test_changing_an_unknown_account_raises_user_not_found(directory, unique):
    nobody = f"nobody{unique.lower()}"
    for change in (
        lambda: directory.update_user(nobody, full_name="某人", department_id=None, add=[], remove=[]),
        lambda: directory.set_enabled(nobody, False),
        lambda: directory.reset_password(nobody, PASSWORD),
        lambda: directory.set_name(nobody, "某人"),
        lambda: directory.add_to_group(nobody, Role.HANDLER),
    ):
        with pytest.raises(UserNotFound):
            change()


def test_a_group_is_listed_page_by_page_each_member_once_with_all_its_roles(directory, unique):
    ours = [f"u{unique.lower()}{n}" for n in range(5)]
    for n, username in enumerate(ours):
        directory.create_user(a_user(username, Role.HANDLER, *((Role.REVIEWER,) if n % 2 else ())), PASSWORD)
    directory.create_user(a_user(f"u{unique.lower()}x", Role.WINDOW), PASSWORD)
    seen, token = [], None
    for _ in range(100):
        page, token = directory.list_group(Role.HANDLER, 2, token)
        assert len(page) <= 2
        seen += [u for u in page if u.username in ours]
        if token is None:
            break
    assert sorted(u.username for u in seen) == ours
    assert {u.username: u.roles for u in seen} == {
        username: (Role.HANDLER, Role.REVIEWER) if n % 2 else (Role.HANDLER,) for n, username in enumerate(ours)}
