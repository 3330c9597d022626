"""The department's office views: every open case of the department (for its leader), and the
extensions (延期) waiting for the leader's decision."""

from __future__ import annotations

from datetime import timedelta

from ..models.case import CaseStatus
from ..models.flow import Step
from ..models.joint import is_joint_lead
from ..models.office import DepartmentCaseRow, DueWindow
from ..models.roles import Principal, Role
from ..rules.due_status import due_fields
from ..rules.workdays import WorkingCalendar
from .errors import Forbidden, InvalidInput
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CatalogRepository, Clock, DepartmentCaseQuery, DepartmentCases
from .scope import Levels, Scope

# "Near": less than a day before the step limit (the default reminder, at the start of the due day;
# rows carry the exact colour, rules/due_status.py).
NEAR_WINDOW = timedelta(days=1)


class DepartmentService:
    def __init__(self, *, cases: DepartmentCases, clock: Clock, calendar: WorkingCalendar, catalog: CatalogRepository | None = None,
                 levels: Levels | None = None) -> None:
        self._catalog = catalog  # the departments a government leader's list runs over
        self._levels = levels or (Levels(catalog) if catalog is not None else None)  # a district 监察局's departments
        self._calendar = calendar
        self._cases = cases
        self._clock = clock

    def cases(
        self,
        principal: Principal,
        department_id: str | None,
        *,
        status: CaseStatus | None,
        step: Step | None,
        due: DueWindow | None,
        cursor: str | None,
        limit: int,
    ) -> Page[DepartmentCaseRow]:
        department_id = self._department_of(principal, department_id)
        query = DepartmentCaseQuery(status=status, step=step, **self._due_range(due))
        cases, last = self._cases.department_cases(department_id, query, limit=limit, start_key=decode_cursor(cursor))
        return Page[DepartmentCaseRow](items=self._rows(cases), next_cursor=encode_cursor(last))

    def pending_extensions(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[DepartmentCaseRow]:
        if not (principal.is_staff and principal.has_role(Role.LEADER)):
            raise Forbidden("延期申请由部门分管领导审批，您没有分管领导岗位。")
        query = DepartmentCaseQuery(extension_requested=True)
        cases, last = self._cases.department_cases(principal.department_id or "", query, limit=limit, start_key=decode_cursor(cursor))
        # A joint case's extension is the city government leader's (行政许可法 第四十二条).
        cases = [c for c in cases if not is_joint_lead(c.flow, c.parent_case_id)]
        return Page[DepartmentCaseRow](items=self._rows(cases), next_cursor=encode_cursor(last))

    def government_extensions(self, principal: Principal, *, limit: int) -> Page[DepartmentCaseRow]:
        """The joint cases' extensions waiting for the city government's leader in charge, from
        every lead department (the oldest step limits first within each)."""
        if not principal.is_government_leader:
            raise Forbidden("并联审批的延期由市政府分管领导审批。")
        if self._catalog is None:
            raise RuntimeError("the government leader's list needs the catalog's departments")
        query = DepartmentCaseQuery(extension_requested=True)
        found = []
        for department in self._catalog.list_departments():
            cases, _ = self._cases.department_cases(department.department_id, query, limit=limit, start_key=None)
            found += [c for c in cases if is_joint_lead(c.flow, c.parent_case_id)]
        return Page[DepartmentCaseRow](items=self._rows(found[:limit]), next_cursor=None)

    def _rows(self, cases: list) -> list[DepartmentCaseRow]:
        now = self._clock.now()
        return [DepartmentCaseRow.of(c).model_copy(update=due_fields(c, now, self._calendar)) for c in cases]

    def _department_of(self, principal: Principal, department_id: str | None) -> str:
        """Leaders see their own department; a 监察局's inspectors any department they name of their
        level and below (the city's: every department)."""
        if principal.is_inspector and not principal.department_id:
            if not department_id:
                raise InvalidInput("请选择要查看的部门。", details={"field": "department"})
            Scope.of(principal, self._levels).require_department(department_id)
            return department_id
        if not (principal.is_staff and principal.has_role(Role.LEADER)):
            raise Forbidden("部门办件总览供部门分管领导使用，您没有分管领导岗位。")
        if department_id and department_id != principal.department_id:
            raise Forbidden("您只能查看本部门的办件。")
        return principal.department_id or ""

    def _due_range(self, due: DueWindow | None) -> dict:
        now = self._clock.now()
        if due is DueWindow.OVERDUE:
            return {"due_before": now}
        if due is DueWindow.NEAR:
            return {"due_from": now, "due_before": now + NEAR_WINDOW}
        if due is DueWindow.NORMAL:
            return {"due_from": now + NEAR_WINDOW}
        if due is DueWindow.NONE:
            return {"without_due": True}
        return {}
