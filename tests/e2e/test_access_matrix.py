"""The access matrix (访问控制矩阵) on the local system: every operation of the served OpenAPI ×
every kind of caller, against the expected allow/deny kept as data beside the routes
(functions/http_api/access.py, POLICY). A new route without an entry fails here; so does any
call whose outcome differs from the policy, any 5xx, a response without `Cache-Control: no-store`
or naming an origin the deployment does not allow, and any allowed response that carries personal data
its reader may not see (another department's or citizen's case, an anonymous complainant).

The records probed: case A (citizen1's, 市场监管局), case B (citizen2's, same department) and an
anonymous complaint by citizen2 about case B, dispatched to the department. GET operations are
called with these records; other operations with records that do not exist and an empty body,
so an allowed caller changes nothing (it gets 404/409/422) and a refused one gets 401/403 before
any parsing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from dataclasses import dataclass, field

import pytest

from http_api.access import POLICY, is_city_inspector
from infra.constants import API_STACK_NAME
from sunlight.models.roles import Principal, Role
from tests.e2e.conftest import ROOT, Client, demo_user, new_key, wait_for_status
from tests.e2e.test_api_flow import application_for, market_item, upload

DEPARTMENT = "market"  # the records' department
CALLERS = (
    "anonymous", "citizen1", "citizen2",
    "market.window", "market.handler", "market.reviewer", "market.leader",
    "planning.window", "planning.handler", "planning.reviewer", "planning.leader",
    "market.inspector", "inspector", "inspector.chief", "admin", "gov.leader",
    "echeng.inspector",  # 鄂城区监察局: the records (the city's 市场监管局) are not its level's
)
MARKET_SIDE = {"market.window", "market.handler", "market.reviewer", "market.leader", "market.inspector"}
CITY = {"inspector", "inspector.chief"}
# Bodyless operations an allowed caller would really perform, whatever the path names.
NOT_CALLED_WHEN_ALLOWED = {("POST", "/me/sign-out")}  # would end the demo user's sessions for the other tests
ORIGIN = "https://not-allowed.example"
UNKNOWN = "MATRIX-404"


def principal_of(username: str) -> Principal | None:
    if username == "anonymous":
        return None
    user = demo_user(username)
    return Principal(user_id=username, name=user["name"], roles=frozenset(Role(g) for g in user["groups"]),
                     department_id=user["department_id"], government_id=user.get("government_id"))


@dataclass
class Records:
    case_a: str
    case_b: str
    attachment_a: str
    complaint: str
    marker: str
    notification_b: str
    item_code: str
    identity_a: set[str] = field(default_factory=set)  # what names case A's applicant
    identity_b: set[str] = field(default_factory=set)


def _apply(citizen: Client, public: Client, name: str, phone: str) -> str:
    detail = public.get(f"/catalog/{market_item(public)['item_code']}").json()
    body = application_for(detail, [upload(citizen)])
    body["applicant"] = {**body["applicant"], "name": name, "phone": phone}
    response = citizen.post("/applications", body, key=new_key())
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


def _first_notification(citizen: Client, timeout: float = 15) -> str:
    """Notices are written after the case's events (asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = citizen.get("/my/notifications").json()["items"]
        if items:
            return items[0]["notification_id"]
        time.sleep(0.2)
    raise AssertionError("the complainant got no notification of the complaint")


@pytest.fixture(scope="module")
def records(login, public) -> Records:
    citizen1, citizen2, window, inspector = login("citizen1"), login("citizen2"), login("market.window"), login("inspector")
    case_a = _apply(citizen1, public, "矩阵甲", "13900000001")
    case_b = _apply(citizen2, public, "矩阵乙", "13900000002")
    detail = wait_for_status(window, case_a, "accept")
    marker = f"矩阵投诉{uuid.uuid4().hex[:8]}"
    filed = citizen2.post("/complaints", {"case_id": case_b, "title": "窗口推诿", "content": f"{marker}：多次推诿。", "anonymous": True},
                          key=new_key())
    assert filed.status_code == 201, filed.text
    complaint = filed.json()["complaint_id"]
    for action in ("accept", "dispatch"):
        assert inspector.post(f"/complaints/{complaint}/actions", {"action": action}).status_code == 200
    notification = _first_notification(citizen2)  # of the complaint
    return Records(
        case_a=case_a, case_b=case_b, attachment_a=detail["attachments"][0]["attachment_id"], complaint=complaint,
        marker=marker, notification_b=notification, item_code=detail["item_code"],
        identity_a={case_a, "矩阵甲", "13900000001", demo_user("citizen1")["name"]},
        identity_b={case_b, "矩阵乙", "13900000002", demo_user("citizen2")["name"]},
    )


# --- what the policy expects -------------------------------------------------------------------

OWNER = {"caseId": "citizen1", "notificationId": "citizen2", "complaintId": "citizen2"}


def expected(method: str, route: str, caller: str, with_records: bool) -> str:
    """"allow", "deny" (refused by the route's audience: 401/403 before parsing) or "scope"
    (the route is open to the caller, the record is not: 403/404)."""
    access = POLICY[(method, route)]
    principal = principal_of(caller)
    if not access.allows(principal):
        return "deny"
    if principal is None or access.scope is None or not with_records:
        return "allow"
    if access.scope == "case":
        visible = is_city_inspector(principal) or principal.department_id == DEPARTMENT
    elif access.scope == "own":
        owner = next(OWNER[p] for p in OWNER if "{" + p + "}" in route)
        visible = caller == owner
    else:  # "department": city-wide readers, or the department's own
        visible = is_city_inspector(principal) or principal.has_role(Role.ADMIN) or principal.department_id == DEPARTMENT
    return "allow" if visible else "scope"


def path_values(records: Records, real: bool) -> dict[str, str]:
    today = dt.date.today()
    if not real:
        return {"caseId": UNKNOWN, "attachmentId": UNKNOWN, "documentId": UNKNOWN, "warningId": UNKNOWN, "extensionId": UNKNOWN,
                "orderId": UNKNOWN, "complaintId": UNKNOWN, "notificationId": UNKNOWN, "surveyId": UNKNOWN,
                "itemCode": "000000-XX-0000", "departmentId": "matrix-none", "username": "matrix.nobody",
                "year": "1999", "date": "1999-01-04", "period": "1999-01", "runId": UNKNOWN, "planId": UNKNOWN}
    return {"caseId": records.case_a, "attachmentId": records.attachment_a, "documentId": UNKNOWN, "warningId": UNKNOWN,
            "extensionId": UNKNOWN, "orderId": UNKNOWN, "complaintId": records.complaint,
            "notificationId": records.notification_b, "surveyId": UNKNOWN, "itemCode": records.item_code,
            "departmentId": DEPARTMENT, "username": "market.window", "year": str(today.year),
            "date": today.isoformat(), "period": today.strftime("%Y-%m"), "runId": UNKNOWN, "planId": UNKNOWN}


QUERY_VALUES = {"period": dt.date.today().strftime("%Y-%m"), "metric": "complaints", "department": DEPARTMENT, "question": "q1"}


def request_for(spec: dict, method: str, route: str, records: Records) -> tuple[str, dict, dict | None]:
    real = method == "GET"
    values = path_values(records, real)
    path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route)
    operation = spec["paths"][route][method.lower()]
    params = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        if parameter["name"] == "department" or parameter.get("required"):
            assert parameter["name"] in QUERY_VALUES, f"{method} {route}: give the matrix a value for ?{parameter['name']}"
            params[parameter["name"]] = QUERY_VALUES[parameter["name"]]
    body = {} if "requestBody" in operation else None
    return path, params, body


# --- personal data an allowed response must not carry ------------------------------------------

def leaks(caller: str, method: str, route: str, text: str, records: Records) -> list[str]:
    found: list[str] = []

    def forbid(what: set[str], why: str) -> None:
        found.extend(f"{why}: {w}" for w in sorted(what) if w in text)

    complaint = {records.complaint, records.marker}
    if caller not in {"citizen1"} | MARKET_SIDE | CITY:
        forbid(records.identity_a - ({records.case_a} if caller == "admin" else set()), "case A's applicant")
    if caller not in {"citizen2"} | MARKET_SIDE | CITY:
        forbid(records.identity_b - ({records.case_b} if caller == "admin" else set()), "case B's applicant")
    if caller == "admin":  # aggregate figures name a complaint by number, never what it says
        forbid({records.marker}, "the complaint")
    elif caller not in {"citizen2", "market.leader", "market.inspector"} | CITY:
        forbid(complaint, "the complaint")
    if caller in MARKET_SIDE and (any(c in text for c in complaint) or "complaint" in route or "drilldown" in route):
        forbid(records.identity_b, "the anonymous complainant")
    return found


def deployment_origins() -> set[str]:
    """The origins the deployment allows (`-c allowedOrigins`), as the API functions are given them."""
    template = json.loads((ROOT / "cdk.out" / f"{API_STACK_NAME}.template.json").read_text())
    given = {r["Properties"]["Environment"]["Variables"]["ALLOWED_ORIGINS"] for r in template["Resources"].values()
             if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("Handler", "").startswith("api_")}
    assert len(given) == 1, given  # every API function allows the same origins
    return set(given.pop().split(","))


@dataclass
class Outcome:
    calls: int = 0
    violations: list[str] = field(default_factory=list)
    not_called: list[str] = field(default_factory=list)


def test_every_operation_of_the_served_openapi_has_an_access_entry(public):
    spec = public.get("/openapi.json").json()
    served = {(method.upper(), route) for route, operations in spec["paths"].items() for method in operations}
    assert served - set(POLICY) == set(), "a route without an entry in functions/http_api/access.py POLICY"
    assert set(POLICY) - served <= {("GET", "/openapi.json")}, "an entry for a route the API does not serve"


def test_access_matrix(system, login, public, records):
    spec = public.get("/openapi.json").json()
    clients = {c: (public if c == "anonymous" else login(c)) for c in CALLERS}
    origins = deployment_origins()
    outcome = Outcome()
    for route, operations in sorted(spec["paths"].items()):
        for method in (m.upper() for m in operations):
            path, params, body = request_for(spec, method, route, records)
            for caller in CALLERS:
                want = expected(method, route, caller, with_records=method == "GET")
                if want == "allow" and (method, route) in NOT_CALLED_WHEN_ALLOWED:
                    outcome.not_called.append(f"{method} {route} as {caller}")
                    continue
                kwargs: dict = {"params": params, "headers": {"Origin": ORIGIN}, "allow_redirects": False}
                if body is not None:
                    kwargs["json"] = body
                response = clients[caller].call(method, path, **kwargs)
                outcome.calls += 1
                status, where = response.status_code, f"{method} {path} as {caller}"
                if status >= 500:
                    outcome.violations.append(f"{where}: {status}")
                elif want == "deny" and status != (401 if caller == "anonymous" else 403):
                    outcome.violations.append(f"{where}: {status}, the policy refuses it before parsing")
                elif want == "scope" and status not in (403, 404):
                    outcome.violations.append(f"{where}: {status}, not this caller's record")
                elif want == "allow" and status in (401, 403):
                    outcome.violations.append(f"{where}: {status}, the policy allows it")
                if response.headers.get("Cache-Control") != "no-store":
                    outcome.violations.append(f"{where}: Cache-Control {response.headers.get('Cache-Control')!r}")
                allowed_origin = response.headers.get("Access-Control-Allow-Origin")
                if allowed_origin is not None and allowed_origin not in origins and "*" not in origins:
                    outcome.violations.append(f"{where}: Access-Control-Allow-Origin {allowed_origin}")
                if status < 300:
                    outcome.violations += [f"{where}: {leak}" for leak in leaks(caller, method, route, response.text, records)]
    print(f"\naccess matrix: {outcome.calls} calls, {len(outcome.violations)} violations, not called: {outcome.not_called}")
    for violation in outcome.violations:
        print("violation:", violation)
    assert outcome.violations == [], f"{len(outcome.violations)} violations (printed above)"


def test_the_anonymous_complaint_names_no_case_in_the_departments_drilldown(login, records):
    """The drill-down once led from a complaint to its case and so to the applicant (item 1)."""
    period = dt.date.today().strftime("%Y-%m")
    params = {"period": period, "metric": "complaints"}
    for reader in ("market.leader", "market.inspector"):
        body = login(reader).get(f"/evaluation/departments/{DEPARTMENT}/drilldown", params=params)
        assert body.status_code == 200, body.text
        assert all(w not in body.text for w in records.identity_b), body.text
