"""Demo data for a fresh stack: the catalog (catalog.json) and the demo accounts (users.json).

`seed_all(outputs, session)` writes both into a deployed (or locally emulated) stack, given the
stack's CloudFormation outputs. It is idempotent: catalog records are replaced with the same
content; existing users are left as they are, except that a half-created user (no permanent
password yet, or missing a group) is completed.

    python -m infra.seed --stack-outputs outputs.json     # outputs of `cdk deploy --outputs-file`
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import boto3
from pydantic import BaseModel, ConfigDict, Field, model_validator

from infra import constants
from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.roles import ROLE_LABELS, STAFF_ROLES, Role
from sunlight.services.ports import CatalogRepository

SEED_DIR = Path(__file__).resolve().parent
CATALOG_FILE = SEED_DIR / "catalog.json"
USERS_FILE = SEED_DIR / "users.json"

# CloudFormation output names the seed needs.
CATALOG_TABLE_OUTPUT = "CatalogTableName"
USER_POOL_OUTPUT = "UserPoolId"
REQUIRED_OUTPUTS = (CATALOG_TABLE_OUTPUT, USER_POOL_OUTPUT)

DEPARTMENT_CLAIM = f"custom:{constants.DEPARTMENT_ATTRIBUTE}"


# -- the seed files ------------------------------------------------------------------------------


class CatalogSeed(BaseModel):
    model_config = ConfigDict(frozen=True)

    departments: tuple[Department, ...]
    items: tuple[CatalogItem, ...]

    @model_validator(mode="after")
    def _consistent(self) -> CatalogSeed:
        ids = [d.department_id for d in self.departments]
        codes = [i.item_code for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate department ids")
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate item codes")
        orphans = sorted({i.item_code for i in self.items if i.department_id not in set(ids)})
        if orphans:
            raise ValueError(f"items of unknown departments: {', '.join(orphans)}")
        return self

    def department_names(self) -> dict[str, str]:
        return {d.department_id: d.name for d in self.departments}


class DemoUser(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str = Field(pattern=r"^[a-z][a-z0-9.-]{2,39}$")
    name: str = Field(min_length=2, max_length=40, description="display name (Cognito `name`)")
    groups: tuple[Role, ...] = Field(min_length=1)
    department_id: str | None = None
    unit: str | None = Field(default=None, description="organisation shown when there is no department")

    @model_validator(mode="after")
    def _staff_have_a_department(self) -> DemoUser:
        # The city's chief inspector leads the inspectors (inspector + leader), in no department.
        if set(self.groups) & STAFF_ROLES and not self.department_id and "inspector" not in self.groups:
            raise ValueError(f"{self.username}: staff roles need a department")
        return self


class DemoUsers(BaseModel):
    model_config = ConfigDict(frozen=True)

    password: str = Field(min_length=12)
    users: tuple[DemoUser, ...]

    @model_validator(mode="after")
    def _unique(self) -> DemoUsers:
        names = [u.username for u in self.users]
        if len(set(names)) != len(names):
            raise ValueError("duplicate usernames")
        return self


@cache
def load_catalog(path: Path = CATALOG_FILE) -> CatalogSeed:
    return CatalogSeed.model_validate_json(path.read_text(encoding="utf-8"))


@cache
def load_users(path: Path = USERS_FILE) -> DemoUsers:
    return DemoUsers.model_validate_json(path.read_text(encoding="utf-8"))


# -- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeededUser:
    username: str
    display_name: str
    roles: tuple[str, ...]
    department_name: str
    created: bool

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[Role(role)] for role in self.roles)


@dataclass
class SeedReport:
    departments: int = 0
    items: int = 0
    users: list[SeededUser] = field(default_factory=list)
    password: str = ""

    @property
    def users_created(self) -> int:
        return sum(1 for user in self.users if user.created)

    @property
    def users_existing(self) -> int:
        return len(self.users) - self.users_created

    def render(self) -> str:
        """A plain-text summary for a terminal."""
        lines = [
            f"Catalog: {self.departments} departments, {self.items} items.",
            f"Users: {self.users_created} created, {self.users_existing} already there. "
            f"Password for every demo account: {self.password}",
        ]
        width = max((len(user.username) for user in self.users), default=8)
        for user in self.users:
            lines.append(
                f"  {user.username:<{width}}  {user.display_name}  {user.role_labels}  {user.department_name}".rstrip()
            )
        return "\n".join(lines)


# -- seeding -------------------------------------------------------------------------------------


def seed_catalog(repo: CatalogRepository, catalog: CatalogSeed | None = None) -> tuple[int, int]:
    """Write every department and item; returns their counts."""
    catalog = catalog or load_catalog()
    for department in catalog.departments:
        repo.put_department(department)
    for item in catalog.items:
        repo.put_item(item)
    return len(catalog.departments), len(catalog.items)


def seed_users(
    cognito: Any, user_pool_id: str, demo: DemoUsers | None = None, department_names: dict[str, str] | None = None
) -> list[SeededUser]:
    """Create the demo users with a permanent password and their groups; skip existing ones."""
    demo = demo or load_users()
    names = department_names if department_names is not None else load_catalog().department_names()
    return [_seed_user(cognito, user_pool_id, user, demo.password, names) for user in demo.users]


def _seed_user(cognito: Any, pool: str, user: DemoUser, password: str, names: dict[str, str]) -> SeededUser:
    try:
        status = cognito.admin_get_user(UserPoolId=pool, Username=user.username)["UserStatus"]
        created = False
    except cognito.exceptions.UserNotFoundException:
        attributes = [{"Name": "name", "Value": user.name}]
        if user.department_id:
            attributes.append({"Name": DEPARTMENT_CLAIM, "Value": user.department_id})
        cognito.admin_create_user(
            UserPoolId=pool, Username=user.username, UserAttributes=attributes, MessageAction="SUPPRESS"
        )
        status, created = "FORCE_CHANGE_PASSWORD", True
    if status == "FORCE_CHANGE_PASSWORD":
        cognito.admin_set_user_password(UserPoolId=pool, Username=user.username, Password=password, Permanent=True)
    current = {g["GroupName"] for g in cognito.admin_list_groups_for_user(UserPoolId=pool, Username=user.username)["Groups"]}
    for group in user.groups:
        if group.value not in current:
            cognito.admin_add_user_to_group(UserPoolId=pool, Username=user.username, GroupName=group.value)
    return SeededUser(
        username=user.username,
        display_name=user.name,
        roles=tuple(group.value for group in user.groups),
        department_name=names.get(user.department_id, user.department_id) if user.department_id else (user.unit or ""),
        created=created,
    )


def seed_all(outputs: dict[str, str], session: boto3.Session, *, endpoint_url: str | None = None) -> SeedReport:
    """Seed the catalog table and the user pool named in the stack's outputs.

    `endpoint_url` points the clients at an emulator (moto server) instead of AWS."""
    missing = [name for name in REQUIRED_OUTPUTS if not outputs.get(name)]
    if missing:
        raise ValueError(f"stack outputs lack {', '.join(missing)}")
    catalog, demo = load_catalog(), load_users()
    table = session.resource("dynamodb", endpoint_url=endpoint_url).Table(outputs[CATALOG_TABLE_OUTPUT])
    departments, items = seed_catalog(DynamoCatalogRepository(table), catalog)
    cognito = session.client("cognito-idp", endpoint_url=endpoint_url)
    users = seed_users(cognito, outputs[USER_POOL_OUTPUT], demo, catalog.department_names())
    return SeedReport(departments=departments, items=items, users=users, password=demo.password)


def create_first_admin(outputs: dict[str, str], session: boto3.Session, username: str, full_name: str, *,
                       endpoint_url: str | None = None) -> str:
    """A real deployment's way in: one administrator account (admin group, no department) with a
    temporary password, returned to be handed over once; at the first sign-in the SPA asks for a
    new password. The administrator then loads the catalog and creates the staff accounts in the
    SPA. Uses the same adapter as 用户与角色, so the account is exactly what an admin would create."""
    from sunlight.adapters.cognito_admin import CognitoUserDirectory, SecretsPasswordGenerator
    from sunlight.models.users import StaffUser

    if not outputs.get(USER_POOL_OUTPUT):
        raise ValueError(f"stack outputs lack {USER_POOL_OUTPUT}")
    directory = CognitoUserDirectory(session.client("cognito-idp", endpoint_url=endpoint_url), outputs[USER_POOL_OUTPUT])
    password = SecretsPasswordGenerator().temporary_password()
    account = StaffUser(username=username.strip().lower(), user_id="", full_name=full_name, department_id=None, roles=(Role.ADMIN,))
    directory.create_user(account, password)  # raises UserExists
    return password


def read_stack_outputs(path: Path, stack: str | None = None) -> dict[str, str]:
    """The outputs from a `cdk deploy --all --outputs-file` file ({stack: {name: value}}): those of
    the app's stacks (constants.STACK_NAMES) together, or of the one stack named; a flat
    {name: value} file is accepted as is."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{path}: no stack outputs")
    if all(isinstance(value, str) for value in data.values()):
        return data
    stacks = {name: value for name, value in data.items() if isinstance(value, dict)}
    ours = [name for name in constants.STACK_NAMES if name in stacks]
    if stack is None and ours:
        return {name: value for stack_name in ours for name, value in stacks[stack_name].items()}
    if stack is None:
        if constants.STACK_NAME in stacks:  # a deployment from before the stack split
            stack = constants.STACK_NAME
        elif len(stacks) == 1:
            (stack,) = stacks
        else:
            raise ValueError(f"{path}: several stacks ({', '.join(sorted(stacks))}); choose one with --stack")
    if stack not in stacks:
        raise ValueError(f"{path}: no outputs for stack {stack}")
    return stacks[stack]
