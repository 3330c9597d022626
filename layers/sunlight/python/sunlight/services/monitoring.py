"""The inspectors' live overview (监察总览): today's figures per department, from the metrics.

City inspectors and administrators see every department and the city's totals; a department's
own inspectors (监察室) and its leaders see their department. The figures of a calendar day
(Asia/Shanghai) come from the operational metrics in one read (the departments' names from the
catalog), so an overview costs the same whatever happened that day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from ..models.catalog import Department
from ..models.monitoring import CITY_SCOPE, FIGURE_METRICS, DepartmentFigures, Figures, MonitoringOverview, OperationalMetric
from ..models.roles import Principal, Role
from ..rules.workdays import local_date, start_of
from .errors import Forbidden, InvalidInput
from .ports import CatalogReader, Clock, OperationalMetricsReader
from .scope import Levels, Scope, ScopeKind

# CloudWatch keeps hourly data (and so daily sums) for 455 days.
MAX_DAYS_BACK = 455
SOURCE = "cloudwatch"

NOT_ALLOWED = "监察总览仅向监察人员、部门分管领导和系统管理员开放。"


class DepartmentCatalog(CatalogReader, Protocol):
    def list_departments(self) -> list[Department]: ...


def supervised_scope(principal: Principal) -> str | None:
    """None for the whole city, else the one department the caller may watch, or a 监察局's
    government code below the city (its level and below: services/scope.py)."""
    scope = Scope.of(principal)
    if scope.city_wide or principal.has_role(Role.ADMIN):
        return None
    if scope.kind is ScopeKind.LEVEL:
        return scope.government_id
    if principal.department_id and (principal.is_inspector or principal.has_role(Role.LEADER)):
        return principal.department_id
    raise Forbidden(scope.refusal(NOT_ALLOWED) if scope.unleveled_inspector else NOT_ALLOWED)


class MonitoringService:
    def __init__(self, *, metrics: OperationalMetricsReader, catalog: DepartmentCatalog, clock: Clock, levels: Levels | None = None) -> None:
        self._metrics = metrics
        self._catalog = catalog
        self._clock = clock
        self._levels = levels or Levels(catalog)

    def overview(self, principal: Principal, day: date | None = None) -> MonitoringOverview:
        scope = supervised_scope(principal)
        now = self._clock.now()
        today = local_date(now)
        day = day or today
        if day > today:
            raise InvalidInput("不能查询今天以后的日期。", details={"field": "date"})
        if day < today - timedelta(days=MAX_DAYS_BACK):
            raise InvalidInput(f"只能查询最近 {MAX_DAYS_BACK} 天的数据。", details={"field": "date"})

        departments = self._departments(scope)
        start = start_of(day)
        sums = self._metrics.sums(start, start + timedelta(days=1), list(FIGURE_METRICS.values()),
                                  [d.department_id for d in departments], city=scope is None)
        rows = [
            DepartmentFigures(department_id=d.department_id, name=d.name, short_name=d.short_name,
                              figures=_figures(sums.get(d.department_id, {})))
            for d in departments
        ]
        totals = _figures(sums.get(None, {})) if scope is None else _summed(rows)
        return MonitoringOverview(date=day, scope=scope or CITY_SCOPE, generated_at=now, source=SOURCE, totals=totals, departments=rows)

    def _departments(self, scope: str | None) -> list[Department]:
        if scope is None:
            return self._catalog.list_departments()
        if scope.isdigit():  # a 监察局 below the city: the departments of its level and below
            within = self._levels.departments_within(scope)
            return [d for d in self._catalog.list_departments() if d.department_id in within]
        department = self._catalog.get_department(scope)
        # A department missing from the catalog still has its own figures to show.
        return [department or Department(department_id=scope, name=scope, short_name=scope[:12])]


def _summed(rows: list[DepartmentFigures]) -> Figures:
    return Figures(**{name: sum(getattr(row.figures, name) for row in rows) for name in Figures.model_fields})


def _figures(values: dict[OperationalMetric, float]) -> Figures:
    return Figures(**{name: int(round(values.get(metric, 0))) for name, metric in FIGURE_METRICS.items()})
