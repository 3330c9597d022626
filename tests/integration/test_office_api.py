"""Window intake and the department's office views through the API handler on moto: the Cases
table's sparse `department` index as the template defines it."""

from __future__ import annotations

import json

import pytest

from sunlight.bootstrap import container
from tests.integration.test_handlers import Context, call, handlers, sample  # noqa: F401  (fixture)

WALK_IN = {"name": "王建国", "id_number": "11010519491231002X", "phone": "13912345678"}
ITEM = "420700-XK-0201"  # 食品经营许可, market


def event(method: str, path: str, *, user: str, groups: str, department: str | None, body: dict | None = None,
          query: dict | None = None, key: str | None = None) -> dict:
    base = sample("api/worklist.json")
    claims = {"sub": f"sub-{user}", "cognito:username": user, "name": user, "cognito:groups": groups, "token_use": "id"}
    if department:
        claims["custom:department"] = department
    headers = dict(base["headers"]) | ({"Idempotency-Key": key} if key else {})
    return base | {
        "httpMethod": method, "path": path, "resource": path, "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query, "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "body": json.dumps(body, ensure_ascii=False) if body is not None else None,
        "requestContext": base["requestContext"] | {"httpMethod": method, "resourcePath": path, "authorizer": {"claims": claims}},
    }


def walk_in_body(**applicant) -> dict:
    form = {f.field_id: "窗口代办" for f in container().catalog_service.get_item(ITEM).form_fields}
    return {"item_code": ITEM, "applicant": WALK_IN | applicant, "form": form}


def window(body: dict, *, key: str | None = None, department: str = "market", groups: str = "window") -> dict:
    return event("POST", "/window/applications", user=f"{department}.{groups}", groups=groups, department=department, body=body, key=key)


def leader_query(query: dict | None = None, *, department: str = "market") -> dict:
    return event("GET", "/department/cases", user=f"{department}.leader", groups="leader", department=department, query=query)


def test_walk_in_is_registered_once_and_reaches_the_leaders_list(handlers):
    api, flow_step = handlers
    status, receipt = call(api, window(walk_in_body(), key="walkin-retry-01"))
    assert status == 201, receipt
    assert call(api, window(walk_in_body(), key="walkin-retry-01"))[1]["case_id"] == receipt["case_id"]
    case_id = receipt["case_id"]

    flow_step.handler(sample("flow/enter_step.json") | {"caseId": case_id}, Context())
    status, page = call(api, leader_query())
    assert status == 200, page
    assert [row["case_id"] for row in page["items"]] == [case_id]
    assert page["items"][0]["applicant_name"] == "王建国" and page["items"][0]["step"] == "accept"
    assert call(api, leader_query({"step": "handle"}))[1]["items"] == []
    assert call(api, leader_query({"due": "none"}))[1]["items"] == []
    # the walk-in applicant follows the case with its number and query code
    track = sample("api/track.json") | {"body": json.dumps({"case_id": case_id, "query_code": receipt["query_code"]})}
    assert call(api, track)[0] == 200


def test_window_intake_refuses_other_roles_departments_and_bad_id_numbers(handlers):
    api, _ = handlers
    assert call(api, window(walk_in_body(), groups="handler"))[0] == 403
    assert call(api, window(walk_in_body(), department="planning"))[0] == 403
    status, body = call(api, window(walk_in_body(id_number="110105194912310021")))
    assert status == 422 and body["errors"][0]["field"] == "applicant.id_number" and "校验位" in body["message"]


@pytest.mark.fresh_stack
def test_department_cases_page_on_the_server_and_stay_in_the_department(handlers):
    api, flow_step = handlers
    ids = []
    for index in range(3):
        _, receipt = call(api, window(walk_in_body(), key=f"walkin-page-{index:02d}"))
        ids.append(receipt["case_id"])
        flow_step.handler(sample("flow/enter_step.json") | {"caseId": receipt["case_id"], "taskToken": f"t-{index}"}, Context())
    seen, cursor = [], None
    while True:
        status, page = call(api, leader_query({"limit": "2"} | ({"cursor": cursor} if cursor else {})))
        assert status == 200 and len(page["items"]) <= 2
        seen += [row["case_id"] for row in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids)
    assert call(api, leader_query({"department": "planning"}))[0] == 403
    handler = event("GET", "/department/cases", user="market.handler", groups="handler", department="market")
    assert call(api, handler)[0] == 403
    extensions = event("GET", "/department/extensions", user="market.leader", groups="leader", department="market")
    assert call(api, extensions) == (200, {"items": [], "next_cursor": None})


@pytest.mark.parametrize("due", ["overdue", "near", "normal", "none"])
@pytest.mark.fresh_stack
def test_due_filters_are_accepted(handlers, due):
    api, _ = handlers
    status, page = call(api, leader_query({"due": due}))
    assert status == 200 and page["items"] == []
