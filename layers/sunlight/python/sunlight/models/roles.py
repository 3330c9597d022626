"""Who may do what: the roles of the Cognito groups and the principal of a request."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict

from .base import DomainModel
from .levels import CITY_GOVERNMENT_ID


class Role(StrEnum):
    """Cognito groups. Staff roles are always scoped to one department."""

    CITIZEN = "citizen"
    WINDOW = "window"  # 窗口: accepts applications and issues results
    HANDLER = "handler"  # 承办人
    REVIEWER = "reviewer"  # 审核人
    LEADER = "leader"  # 分管领导
    INSPECTOR = "inspector"  # 监察人员
    ADMIN = "admin"  # 系统管理员 / 法制办
    # 市政府分管领导 (no department): approves a joint case's extension (行政许可法 第四十二条).
    GOVERNMENT_LEADER = "government_leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CITIZEN: "申请人",
    Role.WINDOW: "窗口受理人员",
    Role.HANDLER: "承办人",
    Role.REVIEWER: "审核人",
    Role.LEADER: "分管领导",
    Role.INSPECTOR: "监察人员",
    Role.ADMIN: "系统管理员",
    Role.GOVERNMENT_LEADER: "市政府分管领导",
}

STAFF_ROLES = frozenset({Role.WINDOW, Role.HANDLER, Role.REVIEWER, Role.LEADER})


class Principal(DomainModel):
    """The authenticated caller, taken from verified token claims."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str
    roles: frozenset[Role]
    department_id: str | None = None
    government_id: str | None = None  # custom:government: an inspector's 监察局 level (models/levels.py)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_citizen(self) -> bool:
        return Role.CITIZEN in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES) and self.department_id is not None

    @property
    def is_government_leader(self) -> bool:
        """市政府分管领导: city-wide, no department."""
        return Role.GOVERNMENT_LEADER in self.roles and not self.department_id

    @property
    def is_inspector(self) -> bool:
        return Role.INSPECTOR in self.roles

    @property
    def bureau_government(self) -> str | None:
        """The government whose 监察局 this inspector is (an inspector without a department);
        None for everyone else and for such an inspector without a government (services/scope.py)."""
        return self.government_id if self.is_inspector and not self.department_id else None

    @property
    def is_city_bureau(self) -> bool:
        """市监察局: an inspector without a department, of the city's government."""
        return self.bureau_government == CITY_GOVERNMENT_ID


class MeView(DomainModel):
    """GET /me: who is signed in, as the page header names them (roles sorted by value)."""

    user_id: str
    name: str
    roles: list[Role]
    role_labels: list[str]
    department_id: str | None
    government_id: str | None = None  # a 监察局's level (custom:government): which pages it reads
    # Which 监察局 the caller is, by the server's own test (services/scope.py): the city's, a
    # lower level's (区、乡镇), or none; the SPA offers the city's pages by this, not by codes.
    bureau: Literal["city", "level"] | None = None

    @classmethod
    def of(cls, principal: Principal) -> MeView:
        roles = sorted(principal.roles)
        return cls(
            user_id=principal.user_id, name=principal.name, roles=roles,
            role_labels=[r.label for r in roles], department_id=principal.department_id,
            government_id=principal.government_id,
            bureau="city" if principal.is_city_bureau else "level" if principal.bureau_government else None,
        )


def parse_groups(raw: object) -> list[str]:
    """`cognito:groups` as API Gateway passes it: "a,b", "[a b]", "a", or a real list."""
    if isinstance(raw, list | tuple):
        return [str(g) for g in raw]
    text = str(raw or "").strip().strip("[]")
    return [g for g in text.replace(",", " ").split() if g]


def principal_from_claims(claims: dict[str, object] | None) -> Principal | None:
    """The caller, from the claims of an ID token verified by the API's Cognito authorizer."""
    if not claims or not claims.get("sub"):
        return None
    roles = frozenset(Role(g) for g in parse_groups(claims.get("cognito:groups")) if g in Role._value2member_map_)
    department = str(claims.get("custom:department") or "") or None
    government = str(claims.get("custom:government") or "") or None
    name = str(claims.get("name") or claims.get("cognito:username") or claims["sub"])
    return Principal(user_id=str(claims["sub"]), name=name, roles=roles, department_id=department, government_id=government)
