"""Who may call which route (访问控制表): one entry per operation (method + path template), kept
beside the routes and enforced by the handler before any body or parameter is parsed, so a caller
who may not use a route gets 401/403 and never a description of the route's schema.

An entry names the audiences (roles in their scope) allowed to call the route at all; the
services still check the finer scope (own department, own case, level). `scope` says which
finer check the service makes, so the access-matrix test (tests/e2e/test_access_matrix.py)
can tell "allowed" from "allowed for this record":

- "case": the path's case (or the case of the path's complaint/warning/order) must be in the
  caller's department, or at the level (or below) of the caller's 监察局;
- "own": the path's record must belong to the caller (a citizen's case, complaint, notification);
- "department": a department named in the path or query must be the caller's, unless city-wide.

Who sees what, in short (README "Who sees what"): citizens their own cases and complaints; a
department's staff their department's cases; a department's 监察室 (inspector with a
department) its own department; a district's (or township's) 监察局 (inspector, no department,
custom:government below the city) its government's cases and those of the levels below, never
another district's; city inspectors (市监察局, government 420700) every department and the
inspector log; the chief inspector also the inspectors' flags; an inspector with neither a
department nor a government nothing (services/scope.py); the admin (法制办) administers the
catalog, calendar, users and evaluation weights and reads aggregate figures, never a dossier or a
complainant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sunlight.models.roles import Principal, Role
from sunlight.services.scope import NO_GOVERNMENT


class Audience(StrEnum):
    ANYONE = "anyone"  # no sign-in needed
    SIGNED_IN = "signed_in"  # any signed-in user
    CITIZEN = "citizen"  # 申请人（公众）
    STAFF = "staff"  # a department's window, handler, reviewer or leader
    WINDOW = "window"  # a department's window (窗口)
    LEADER = "leader"  # a department's leader (分管领导)
    DEPARTMENT_INSPECTOR = "department_inspector"  # a department's 监察室
    CITY_INSPECTOR = "city_inspector"  # 市监察局 (inspector without a department, government 420700; the chief too)
    LEVEL_INSPECTOR = "level_inspector"  # 区、乡镇监察局 (inspector without a department, government below the city)
    CHIEF_INSPECTOR = "chief_inspector"  # 市监察局局长 (inspector + leader, no department)
    ADMIN = "admin"  # 系统管理员 / 法制办
    GOVERNMENT_LEADER = "government_leader"  # 市政府分管领导 (no department): joint cases' extensions


def is_city_inspector(principal: Principal) -> bool:
    return principal.is_city_bureau


def is_level_inspector(principal: Principal) -> bool:
    return principal.bureau_government is not None and not principal.is_city_bureau


def is_department_inspector(principal: Principal) -> bool:
    return principal.has_role(Role.INSPECTOR) and bool(principal.department_id)


def is_chief_inspector(principal: Principal) -> bool:
    return is_city_inspector(principal) and principal.has_role(Role.LEADER)


MEMBERSHIP: dict[Audience, Callable[[Principal], bool]] = {
    Audience.SIGNED_IN: lambda p: True,
    Audience.CITIZEN: lambda p: p.is_citizen,
    Audience.STAFF: lambda p: p.is_staff,
    Audience.WINDOW: lambda p: p.is_staff and p.has_role(Role.WINDOW),
    Audience.LEADER: lambda p: p.is_staff and p.has_role(Role.LEADER),
    Audience.DEPARTMENT_INSPECTOR: is_department_inspector,
    Audience.CITY_INSPECTOR: is_city_inspector,
    Audience.LEVEL_INSPECTOR: is_level_inspector,
    Audience.CHIEF_INSPECTOR: is_chief_inspector,
    Audience.ADMIN: lambda p: p.has_role(Role.ADMIN),
    Audience.GOVERNMENT_LEADER: lambda p: p.is_government_leader,
}


@dataclass(frozen=True)
class Access:
    audiences: frozenset[Audience]
    scope: str | None = None  # "case", "own" or "department": the service's finer check
    refusal: str | None = None  # the 403's message, where "not allowed" should say who is

    @property
    def public(self) -> bool:
        return Audience.ANYONE in self.audiences

    def allows(self, principal: Principal | None) -> bool:
        if self.public:
            return True
        return principal is not None and any(MEMBERSHIP[a](principal) for a in self.audiences)


def _a(*audiences: Audience, scope: str | None = None, refusal: str | None = None) -> Access:
    return Access(frozenset(audiences), scope, refusal)


A = Audience
PUBLIC = _a(A.ANYONE)
CASE_READERS = (A.STAFF, A.DEPARTMENT_INSPECTOR, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR)  # a case's dossier: no admin
COMPLAINT_HANDLERS = (A.LEADER, A.DEPARTMENT_INSPECTOR, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR)
SUPERVISION = (A.LEADER, A.DEPARTMENT_INSPECTOR, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR)
INSPECTORS = (A.DEPARTMENT_INSPECTOR, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR)

INSPECTOR_LOG_ONLY = "监察日志仅供市监察局的监察人员查看。"
CHIEF_ONLY = "履职提醒仅报送市监察局局长（监察人员的分管领导）。"
CITY_LOG = _a(A.CITY_INSPECTOR, refusal=INSPECTOR_LOG_ONLY)
CALENDAR_EDIT = _a(A.ADMIN, refusal="只有系统管理员可以修改工作日历。")

# (method, path template as API Gateway names it) → who may call it.
POLICY: dict[tuple[str, str], Access] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/departments"): PUBLIC,
    ("GET", "/catalog"): PUBLIC,
    ("GET", "/catalog/{itemCode}"): PUBLIC,
    ("POST", "/track"): PUBLIC,
    ("GET", "/clock"): PUBLIC,
    ("GET", "/reference"): PUBLIC,
    ("GET", "/me"): _a(A.SIGNED_IN),
    ("POST", "/me/sign-out"): _a(A.SIGNED_IN),
    ("POST", "/uploads"): _a(A.CITIZEN, A.STAFF),
    ("POST", "/applications"): _a(A.CITIZEN),
    ("GET", "/my/cases"): _a(A.CITIZEN),
    ("GET", "/my/cases/{caseId}"): _a(A.CITIZEN, scope="own"),
    ("GET", "/my/cases/{caseId}/documents"): _a(A.CITIZEN, scope="own"),
    ("GET", "/my/cases/{caseId}/documents/{documentId}"): _a(A.CITIZEN, scope="own"),
    ("POST", "/my/cases/{caseId}/supplement"): _a(A.CITIZEN, scope="own"),
    ("POST", "/my/cases/{caseId}/statement"): _a(A.CITIZEN, scope="own"),  # the party of a penalty case
    ("POST", "/party/claims"): _a(A.CITIZEN),  # the party finds a penalty case registered against them
    ("GET", "/worklist"): _a(A.STAFF),
    ("GET", "/cases/{caseId}"): _a(*CASE_READERS, scope="case"),
    ("POST", "/cases/{caseId}/actions"): _a(A.STAFF, scope="case"),
    ("GET", "/cases/{caseId}/attachments/{attachmentId}"): _a(*CASE_READERS, scope="case"),
    ("GET", "/cases/{caseId}/documents"): _a(*CASE_READERS, scope="case"),
    ("GET", "/cases/{caseId}/documents/{documentId}"): _a(*CASE_READERS, scope="case"),
    ("GET", "/inbox"): _a(A.STAFF, *INSPECTORS, A.ADMIN),  # admin: 日历未确认 notices
    ("GET", "/warnings"): _a(A.STAFF, *INSPECTORS, scope="department"),
    ("GET", "/cases/{caseId}/warnings"): _a(*CASE_READERS, scope="case"),
    ("POST", "/warnings/{warningId}/actions"): _a(A.STAFF, *INSPECTORS, scope="case"),  # a 监察局 decides appeals at its level
    ("POST", "/cases/{caseId}/special-procedures"): _a(A.STAFF, scope="case"),
    ("POST", "/cases/{caseId}/special-procedures/end"): _a(A.STAFF, scope="case"),
    ("POST", "/cases/{caseId}/extensions"): _a(A.STAFF, scope="case"),
    # A joint case's extension is the city government leader's (行政许可法 第四十二条); the service
    # tells which one a case needs.
    ("POST", "/cases/{caseId}/extensions/{extensionId}/decision"): _a(A.LEADER, A.GOVERNMENT_LEADER, scope="case"),
    ("GET", "/government/extensions"): _a(A.GOVERNMENT_LEADER, refusal="并联审批的延期由市政府分管领导审批。"),
    ("GET", "/calendar/{year}"): _a(A.STAFF, *INSPECTORS, A.ADMIN),
    ("PUT", "/calendar/days/{date}"): CALENDAR_EDIT,
    ("DELETE", "/calendar/days/{date}"): CALENDAR_EDIT,
    ("POST", "/calendar/{year}/confirm"): CALENDAR_EDIT,
    ("GET", "/department/cases"): _a(A.LEADER, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR, scope="department"),
    ("GET", "/department/extensions"): _a(A.LEADER),
    ("POST", "/window/applications"): _a(A.WINDOW),
    ("POST", "/inspection-plans"): _a(A.LEADER, refusal="只有部门分管领导可以制定双随机抽查计划。"),
    ("GET", "/inspection-plans"): _a(*CASE_READERS, scope="department"),
    ("GET", "/inspection-plans/{planId}"): _a(*CASE_READERS, scope="case"),
    ("GET", "/public/inspection-results"): PUBLIC,
    ("GET", "/evaluation/rankings"): _a(*INSPECTORS, A.ADMIN),
    # 监督下级监察机构: the city's 监察局 only (the service refuses a district's).
    ("GET", "/evaluation/bureaus"): _a(A.CITY_INSPECTOR, refusal="下级监察机构的监督情况仅供市监察局查看。"),
    ("GET", "/evaluation/departments/{departmentId}"): _a(*SUPERVISION, A.ADMIN, scope="department"),
    ("GET", "/evaluation/departments/{departmentId}/history"): _a(*SUPERVISION, A.ADMIN, scope="department"),
    ("GET", "/evaluation/departments/{departmentId}/drilldown"): _a(*SUPERVISION, A.ADMIN, scope="department"),
    ("GET", "/evaluation/weights"): _a(A.ADMIN),
    ("PUT", "/evaluation/weights"): _a(A.ADMIN),
    ("POST", "/evaluation/periods/{period}/close"): _a(A.ADMIN),
    ("GET", "/public/evaluation/formula"): PUBLIC,
    ("GET", "/public/evaluation/rankings"): PUBLIC,
    ("GET", "/statistics"): _a(*SUPERVISION, A.ADMIN, scope="department"),
    # A district's 监察局 issues to the departments of its levels, concludes what it issued (the service checks).
    ("POST", "/supervision-orders"): _a(A.CITY_INSPECTOR, A.LEVEL_INSPECTOR),
    ("GET", "/supervision-orders"): _a(*SUPERVISION, scope="department"),
    ("GET", "/supervision-orders/inbox"): _a(A.LEADER, A.CITY_INSPECTOR, A.LEVEL_INSPECTOR),
    ("GET", "/supervision-orders/{orderId}"): _a(A.STAFF, *INSPECTORS, scope="case"),
    ("GET", "/supervision-orders/{orderId}/candidates"): _a(A.DEPARTMENT_INSPECTOR, A.CITY_INSPECTOR, scope="case"),
    ("POST", "/supervision-orders/{orderId}/actions"): _a(A.STAFF, *INSPECTORS, scope="case"),
    ("GET", "/my/responsibilities"): _a(A.STAFF),
    # The supervised do not see their supervisors' investigations: city inspectors and the chief.
    ("GET", "/inspector-log"): CITY_LOG,
    ("POST", "/inspector-log/verifications"): CITY_LOG,
    ("GET", "/inspector-log/verifications/latest"): CITY_LOG,
    ("GET", "/inspector-log/verifications/{runId}"): CITY_LOG,
    ("GET", "/inspector-flags"): _a(A.CHIEF_INSPECTOR, refusal=CHIEF_ONLY),
    ("POST", "/complaints"): _a(A.CITIZEN),
    ("GET", "/my/complaints"): _a(A.CITIZEN),
    ("GET", "/my/complaints/{complaintId}"): _a(A.CITIZEN, scope="own"),
    ("POST", "/my/complaints/{complaintId}/rating"): _a(A.CITIZEN, scope="own"),
    ("GET", "/complaints"): _a(*COMPLAINT_HANDLERS),
    ("GET", "/complaints/{complaintId}"): _a(*COMPLAINT_HANDLERS, scope="case"),
    ("POST", "/complaints/{complaintId}/actions"): _a(*COMPLAINT_HANDLERS, scope="case"),
    ("GET", "/complaints/{complaintId}/attachments/{attachmentId}"): _a(*COMPLAINT_HANDLERS, scope="case"),
    ("GET", "/my/notifications"): _a(A.SIGNED_IN),
    ("POST", "/my/notifications/{notificationId}/read"): _a(A.SIGNED_IN, scope="own"),
    ("POST", "/my/cases/{caseId}/rating"): _a(A.CITIZEN, scope="own"),
    ("GET", "/my/cases/{caseId}/rating"): _a(A.CITIZEN, scope="own"),
    ("GET", "/cases/{caseId}/rating"): _a(*CASE_READERS, scope="case"),
    ("GET", "/surveys"): PUBLIC,
    ("GET", "/surveys/{surveyId}"): PUBLIC,
    ("POST", "/surveys/{surveyId}/answers"): _a(A.CITIZEN),
    ("POST", "/surveys"): _a(A.CITY_INSPECTOR),
    ("GET", "/inspector/surveys"): _a(A.CITY_INSPECTOR),
    ("POST", "/surveys/{surveyId}/publish"): _a(A.CITY_INSPECTOR),
    ("POST", "/surveys/{surveyId}/close"): _a(A.CITY_INSPECTOR),
    ("GET", "/surveys/{surveyId}/results"): _a(A.CITY_INSPECTOR),
    ("GET", "/surveys/{surveyId}/text-answers"): _a(A.CITY_INSPECTOR),
    ("GET", "/admin/catalog/items"): _a(A.ADMIN),
    ("POST", "/admin/catalog/items"): _a(A.ADMIN),
    ("GET", "/admin/catalog/items/{itemCode}"): _a(A.ADMIN),
    ("PUT", "/admin/catalog/items/{itemCode}"): _a(A.ADMIN),
    ("POST", "/admin/catalog/items/{itemCode}/publish"): _a(A.ADMIN),
    ("POST", "/admin/catalog/items/{itemCode}/unpublish"): _a(A.ADMIN),
    ("GET", "/admin/catalog/items/{itemCode}/history"): _a(A.ADMIN),
    ("GET", "/admin/departments"): _a(A.ADMIN),
    ("PUT", "/admin/departments/{departmentId}"): _a(A.ADMIN),
    ("GET", "/admin/departments/{departmentId}/history"): _a(A.ADMIN),
    ("GET", "/admin/users"): _a(A.ADMIN),
    ("POST", "/admin/users"): _a(A.ADMIN),
    ("GET", "/admin/users/{username}"): _a(A.ADMIN),
    ("PUT", "/admin/users/{username}"): _a(A.ADMIN),
    ("POST", "/admin/users/{username}/disable"): _a(A.ADMIN),
    ("POST", "/admin/users/{username}/enable"): _a(A.ADMIN),
    ("POST", "/admin/users/{username}/reset-password"): _a(A.ADMIN),
    ("GET", "/monitoring/overview"): _a(*SUPERVISION, A.ADMIN, refusal="监察总览仅向监察人员、部门分管领导和系统管理员开放。"),
    ("GET", "/monitoring/exchange"): _a(A.CITY_INSPECTOR, refusal="数据交换对账仅限市监察局查看。"),
}

NOT_SIGNED_IN = "请先登录。"
NOT_ALLOWED = "您没有使用此功能的权限。"


def access_of(method: str, route: str) -> Access | None:
    return POLICY.get((method.upper(), route))


def check(method: str, route: str, principal: Principal | None) -> tuple[int, str, str] | None:
    """None if the caller may go on; else (status, code, Chinese message). A route without an
    entry is refused: a new route is closed until it is given an audience."""
    if method.upper() == "OPTIONS":
        return None
    access = access_of(method, route)
    if access is not None and access.public:
        return None
    if principal is None:
        return 401, "unauthenticated", NOT_SIGNED_IN
    if access is None or not access.allows(principal):
        if principal.has_role(Role.INSPECTOR) and not principal.department_id and not principal.government_id:
            return 403, "forbidden", NO_GOVERNMENT  # fails closed until the account is given its level
        return 403, "forbidden", (access.refusal if access is not None and access.refusal else NOT_ALLOWED)
    return None
