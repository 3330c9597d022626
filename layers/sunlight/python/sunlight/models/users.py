"""Staff accounts and their roles (用户与角色), as the administrator manages them.

Accounts live in the Cognito user pool: the roles are its groups, the department is the
`custom:department` attribute. Citizens register themselves and are not managed here."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import DomainModel
from .levels import CITY_GOVERNMENT_ID
from .roles import ROLE_LABELS, STAFF_ROLES, Role

MANAGED_ROLES = (Role.WINDOW, Role.HANDLER, Role.REVIEWER, Role.LEADER, Role.INSPECTOR, Role.ADMIN, Role.GOVERNMENT_LEADER)
"""The roles (Cognito groups) of the accounts managed here, in the order they are listed."""

USERNAME_PATTERN = r"^[a-z][a-z0-9.-]{2,39}$"  # "-": district departments, e.g. echeng-market.window

USER_FIELD_LABELS = {
    "username": "用户名",
    "full_name": "姓名",
    "department_id": "所属部门",
    "government_id": "所属政府（监察局）",
    "roles": "角色",
}


class StaffUser(DomainModel):
    """A managed account."""

    model_config = ConfigDict(frozen=True)

    username: str
    user_id: str = Field(description="Cognito sub: the principal's user_id")
    full_name: str
    department_id: str | None = None
    government_id: str | None = Field(default=None, description="custom:government: a 监察局's level (inspectors without a department)")
    roles: tuple[Role, ...]
    enabled: bool = True
    status: str = Field(default="", description="Cognito UserStatus, e.g. FORCE_CHANGE_PASSWORD")
    created_at: datetime | None = None


class _RolesAndDepartment(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str = Field(min_length=2, max_length=40, description="姓名")
    department_id: str | None = Field(default=None, max_length=40, description="所属部门")
    government_id: str | None = Field(default=None, pattern=r"^\d{6}(\d{3}){0,2}$", description="监察局所属政府（行政区划代码）")
    roles: tuple[Role, ...] = Field(min_length=1, max_length=len(MANAGED_ROLES), description="角色")

    @field_validator("department_id", "government_id")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("roles")
    @classmethod
    def _managed_roles_in_order(cls, value: tuple[Role, ...]) -> tuple[Role, ...]:
        if Role.CITIZEN in value:
            raise ValueError("申请人（公众）账号由本人注册，不在此管理")
        return tuple(role for role in MANAGED_ROLES if role in value)

    @model_validator(mode="after")
    def _staff_need_a_department(self) -> _RolesAndDepartment:
        if set(self.roles) & STAFF_ROLES and not self.department_id:
            raise ValueError("窗口、承办、审核和分管领导岗位必须选择所属部门")
        if Role.GOVERNMENT_LEADER in self.roles and self.department_id:
            raise ValueError("市政府分管领导不属于任何部门，请勿选择所属部门")
        if Role.INSPECTOR in self.roles and not self.department_id:
            # A 监察局's inspector: of the government named, else of the city the administrator
            # (市法制办) serves; without one it would see nothing (services/scope.py).
            self.government_id = self.government_id or CITY_GOVERNMENT_ID
        else:
            self.government_id = None  # a department's staff: the department decides
        return self


class CreateUserRequest(_RolesAndDepartment):
    username: str = Field(pattern=USERNAME_PATTERN, description="用户名")

    @field_validator("username", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class UpdateUserRequest(_RolesAndDepartment):
    """Replaces the account's name, department and roles."""


class StaffUserView(StaffUser):
    role_labels: list[str] = Field(default_factory=list)
    department_name: str | None = None

    @classmethod
    def of(cls, user: StaffUser, department_names: dict[str, str]) -> StaffUserView:
        return cls(
            **user.model_dump(),
            role_labels=[ROLE_LABELS[role] for role in user.roles],
            department_name=department_names.get(user.department_id or "", user.department_id),
        )


class CreatedUser(DomainModel):
    user: StaffUserView
    temporary_password: str = Field(description="临时密码：只显示这一次，首次登录时须修改")


class PasswordReset(DomainModel):
    user: StaffUserView
    temporary_password: str = Field(description="新的临时密码：只显示这一次，下次登录时须修改")
