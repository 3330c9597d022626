"""Who sees which records (监察范围): one answer for every service, across departments and levels.

- A department's staff and its 监察室 (inspector with a department): that department only.
- A government's 监察局 (inspector without a department, `custom:government` = its code): that
  government and every level below it (县 → 乡镇 → 村), never a sibling: 鄂城区's never sees
  华容区's. The city's (420700) sees everything.
- An inspector without a department and without a government sees nothing (fails closed: an
  account created before levels existed must be given its government, not guessed to be the city's).

A case carries its government's chain from the city down (`Case.government_path`, stamped at
intake), so "this level and below" is a membership test with no lookup. Records that carry only a
department (warnings, complaints, orders, plans) are checked against the departments of the
governments at and below the inspector's, read once (`Levels`: one list of governments, one of
departments, kept a few minutes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from sunlight.models.case import Case
from sunlight.models.catalog import Department
from sunlight.models.levels import CITY_GOVERNMENT_ID, Government, placed_path, within
from sunlight.models.roles import Principal

from .errors import Forbidden, InvalidCursor
from .ports import StartKey

T = TypeVar("T")

NO_GOVERNMENT = "您的监察人员账号未设置所属政府（行政层级），暂不能查看任何办件，请联系系统管理员。"
OTHER_DEPARTMENT_CASE = "您无权查看其他部门的办件。"
OTHER_LEVEL_CASE = "您只能查看本级及下级政府的办件和监察记录。"
LEVELS_TTL_SECONDS = 300.0
CITY_INSPECTORS_INBOX = "city#inspector"


class ScopeKind(StrEnum):
    NONE = "none"  # sees no supervised record (citizens, the admin, an inspector without a level)
    DEPARTMENT = "department"  # a department's staff or 监察室
    LEVEL = "level"  # a district's, township's or village's 监察局: its government and below
    CITY = "city"  # the city's 监察局: everything


class GovernmentTree(Protocol):
    """The part of the catalog the levels are read from (the catalog repository provides it)."""

    def list_governments(self) -> list[Government]: ...

    def list_departments(self) -> list[Department]: ...


class Levels:
    """The government tree and the departments in it, read at most once per TTL per container."""

    def __init__(self, catalog: GovernmentTree, *, ttl_seconds: float = LEVELS_TTL_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._catalog = catalog
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._governments: dict[str, Government] | None = None
        self._departments: dict[str, str] | None = None  # department → government
        self._governments_read_at = self._departments_read_at = 0.0

    def governments(self) -> dict[str, Government]:
        now = self._monotonic()
        if self._governments is None or now - self._governments_read_at > self._ttl:
            self._governments = {g.government_id: g for g in self._catalog.list_governments()}
            self._governments_read_at = now
        return self._governments

    def path_of(self, government_id: str) -> tuple[str, ...]:
        """The government's chain from the city down (models/levels.py `placed_path`)."""
        return placed_path(government_id, self.governments())

    def stamp(self, department: Department | None) -> tuple[str, tuple[str, ...]]:
        """The government and its chain a new case of this department carries (Case.government_*)."""
        government_id = department.government_id if department is not None else CITY_GOVERNMENT_ID
        return government_id, self.path_of(government_id)

    def stamp_listed(self, department_id: str) -> tuple[str, tuple[str, ...]] | None:
        """`stamp` from the cached list of departments, or None for one not in it (created since the
        list was read: the caller reads it, so no case is ever stamped at a wrong level)."""
        government_id = self.department_governments().get(department_id)
        return None if government_id is None else (government_id, self.path_of(government_id))

    def department_governments(self) -> dict[str, str]:
        now = self._monotonic()
        if self._departments is None or now - self._departments_read_at > self._ttl:
            self._departments = {d.department_id: d.government_id for d in self._catalog.list_departments()}
            self._departments_read_at = now
        return self._departments

    def departments_within(self, government_id: str) -> frozenset[str]:
        """Every department of this government and of the governments below it."""
        return frozenset(
            department for department, government in self.department_governments().items()
            if within(self.path_of(government), government_id)
        )


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    department_id: str | None = None
    government_id: str | None = None
    unleveled_inspector: bool = False  # an inspector with neither department nor government
    levels: Levels | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, principal: Principal, levels: Levels | None = None) -> Scope:
        if principal.is_inspector and not principal.department_id:
            if principal.is_city_bureau:
                return cls(ScopeKind.CITY, government_id=CITY_GOVERNMENT_ID, levels=levels)
            if principal.bureau_government:
                return cls(ScopeKind.LEVEL, government_id=principal.bureau_government, levels=levels)
            return cls(ScopeKind.NONE, unleveled_inspector=True, levels=levels)
        if principal.department_id and (principal.is_staff or principal.is_inspector):
            return cls(ScopeKind.DEPARTMENT, department_id=principal.department_id, levels=levels)
        return cls(ScopeKind.NONE, levels=levels)

    # -- who ----------------------------------------------------------------------------------

    @property
    def city_wide(self) -> bool:
        return self.kind is ScopeKind.CITY

    @property
    def inbox_key(self) -> str | None:
        """A 监察局's shared warning inbox: the city's "city#inspector", a district's "{code}#inspector"."""
        if self.kind is ScopeKind.CITY:
            return CITY_INSPECTORS_INBOX
        return f"{self.government_id}#inspector" if self.kind is ScopeKind.LEVEL else None

    @property
    def bureau(self) -> bool:
        """A 监察局 of some level (an inspector without a department, with a government)."""
        return self.kind in (ScopeKind.CITY, ScopeKind.LEVEL)

    # -- what ---------------------------------------------------------------------------------

    def sees_case(self, case: Case) -> bool:
        if self.kind is ScopeKind.CITY:
            return True
        if self.kind is ScopeKind.LEVEL:
            return self.government_id is not None and within(case.government_path, self.government_id)
        if self.kind is ScopeKind.DEPARTMENT:
            return case.department_id == self.department_id
        return False

    def departments_in(self) -> frozenset[str] | None:
        """The departments whose records this scope sees; None for every department (the city)."""
        if self.kind is ScopeKind.CITY:
            return None
        if self.kind is ScopeKind.DEPARTMENT and self.department_id:
            return frozenset({self.department_id})
        if self.kind is ScopeKind.LEVEL and self.government_id and self.levels is not None:
            return self.levels.departments_within(self.government_id)
        return frozenset()

    def sees_department(self, department_id: str) -> bool:
        seen = self.departments_in()
        return seen is None or department_id in seen

    def visible(self, department_ids: Iterable[str]) -> list[str]:
        """The given departments this scope sees, in their order."""
        seen = self.departments_in()
        return [d for d in department_ids if seen is None or d in seen]

    # -- refusals -----------------------------------------------------------------------------

    def require_case(self, case: Case) -> None:
        if not self.sees_case(case):
            raise Forbidden(self.refusal())

    def require_department(self, department_id: str, own_department: str = OTHER_DEPARTMENT_CASE) -> None:
        if not self.sees_department(department_id):
            raise Forbidden(self.refusal(own_department))

    def refusal(self, own_department: str = OTHER_DEPARTMENT_CASE) -> str:
        """The 403's message: `own_department` for department staff (e.g. 您只能查看本部门的预警。)."""
        if self.unleveled_inspector:
            return NO_GOVERNMENT
        return OTHER_LEVEL_CASE if self.kind is ScopeKind.LEVEL else own_department


def bureau_inboxes(government_path: Iterable[str]) -> tuple[str, ...]:
    """The inboxes of the 监察局s below the city along a case's levels (its district's, township's,
    village's): a red card or an anomaly reaches each of them as well as the city's."""
    return tuple(f"{government}#inspector" for government in government_path if government != CITY_GOVERNMENT_ID)


def page_across(
    departments: list[str],
    fetch: Callable[[str, int, StartKey | None], tuple[list[T], StartKey | None]],
    *, limit: int, cursor: dict[str, Any] | None,
) -> tuple[list[T], dict[str, Any] | None]:
    """One page of a listing kept per department, over several departments one after another (a
    district 监察局's departments): each department's own order, never a record of another. The
    cursor names the department to go on with and its store's key ({"d": ..., "k": ...})."""
    index, key = 0, None
    if cursor is not None:
        if cursor.get("d") not in departments:
            raise InvalidCursor()
        index, key = departments.index(cursor["d"]), cursor.get("k")
    found: list[T] = []
    while index < len(departments) and len(found) < limit:
        items, key = fetch(departments[index], limit - len(found), key)
        found.extend(items)
        if key is not None:
            return found, {"d": departments[index], "k": key}
        index += 1
    return found, ({"d": departments[index], "k": None} if index < len(departments) else None)
