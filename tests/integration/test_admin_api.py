"""The administration routes through the API functions on moto: the catalog (DynamoDB
transactions with history) and staff accounts (moto's Cognito, seeded with the demo users)."""

from __future__ import annotations

import json
import re

import boto3

from sunlight.models.catalog import CatalogItem
from tests.integration.test_handlers import call, handlers, sample  # noqa: F401

ADMIN_CLAIMS = sample("api/calendar_set_day.json")["requestContext"]["authorizer"]["claims"]
WINDOW_CLAIMS = sample("api/worklist.json")["requestContext"]["authorizer"]["claims"]
ITEM = "420700-XK-0201"


def request(method: str, path: str, body: dict | None = None, query: dict | None = None, claims: dict = ADMIN_CLAIMS) -> dict:
    """An API Gateway proxy event for `path` (its resource path from the ROUTES style ids)."""
    event = json.loads(json.dumps(sample("api/calendar_set_day.json")))
    resource = re.sub(r"^(/admin/catalog/items|/admin/departments|/admin/users)/([^/]+)", lambda m: m.group(1) + "/{" + {
        "/admin/catalog/items": "itemCode", "/admin/departments": "departmentId", "/admin/users": "username"}[m.group(1)] + "}", path)
    names = re.findall(r"{(\w+)}", resource)
    values = [part for part, template in zip(path.split("/"), resource.split("/"), strict=True) if template.startswith("{")]
    event |= {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "pathParameters": dict(zip(names, values, strict=True)) or None,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "body": json.dumps(body, ensure_ascii=False) if body is not None else None,
    }
    event["requestContext"] |= {"resourcePath": resource, "httpMethod": method, "authorizer": {"claims": claims}}
    return event


def editable(api, code: str = ITEM) -> tuple[dict, int]:
    status, found = call(api, request("GET", f"/admin/catalog/items/{code}"))
    assert status == 200, found
    body = {k: v for k, v in found["item"].items() if k != "published"}
    return body, found["revision"]["version"]


def test_non_admins_get_403_on_every_admin_route(handlers):
    api, _ = handlers
    for method, path in (
        ("GET", "/admin/catalog/items"),
        ("GET", f"/admin/catalog/items/{ITEM}"),
        ("POST", f"/admin/catalog/items/{ITEM}/unpublish"),
        ("GET", "/admin/departments"),
        ("GET", "/admin/users"),
        ("POST", "/admin/users/market.window/disable"),
    ):
        body = {"version": 0} if method == "POST" and "catalog" in path else None
        status, answer = call(api, request(method, path, body, claims=WINDOW_CLAIMS))
        assert status == 403 and answer["code"] == "forbidden", (path, answer)


def test_edit_with_version_stale_edit_409_and_history(handlers):
    api, _ = handlers
    body, version = editable(api)
    assert version == 0  # seeded
    body |= {"promised_limit_days": body["promised_limit_days"] + 1, "legal_basis": "《中华人民共和国食品安全法》第三十五条（修正）", "version": 0}
    status, saved = call(api, request("PUT", f"/admin/catalog/items/{ITEM}", body))
    assert status == 200, saved
    assert saved["revision"]["version"] == 1 and saved["revision"]["updated_by_name"] == "系统管理员"
    status, stale = call(api, request("PUT", f"/admin/catalog/items/{ITEM}", body | {"conditions": "另一位管理员在旧版本上的修改"}))
    assert (status, stale["code"], stale["details"]) == (409, "conflict", {"version": 1})

    status, history = call(api, request("GET", f"/admin/catalog/items/{ITEM}/history"))
    assert status == 200
    (change,) = history["items"]
    assert {c["label"] for c in change["changes"]} == {"设定依据", "承诺时限"}
    assert change["changed_by_name"] == "系统管理员" and change["action"] == "update"
    # the public sees the edit at once (the item stays published)
    status, public = call(api, request("GET", f"/catalog/{ITEM}") | {"resource": "/catalog/{itemCode}"})
    assert status == 200 and public["legal_basis"].endswith("（修正）")


def test_bad_fields_are_422_with_chinese_labels(handlers):
    api, _ = handlers
    body, version = editable(api)
    body |= {"version": version, "promised_limit_days": -1, "fees": [{"name": "工本费", "amount_yuan": "-1", "basis": "x"}]}
    status, answer = call(api, request("PUT", f"/admin/catalog/items/{ITEM}", body))
    assert status == 422 and answer["code"] == "validation_error"
    messages = {e["field"]: e["message"] for e in answer["errors"]}
    assert set(messages) >= {"promised_limit_days", "fees.0.amount_yuan", "fees.0.basis"}
    assert "承诺时限" in messages["promised_limit_days"] and "收费依据" in messages["fees.0.basis"]
    status, answer = call(api, request("POST", "/admin/users", {"username": "x", "full_name": "王", "roles": ["handler"]}))
    assert status == 422 and {e["field"] for e in answer["errors"]} >= {"username", "full_name"}


def test_create_publish_and_department(handlers):
    api, _ = handlers
    status, department = call(api, request("PUT", "/admin/departments/tax", {"name": "市税务局", "short_name": "税务局"}))
    assert status == 200 and department["revision"]["version"] == 1, department
    item = CatalogItem.model_validate(editable(api)[0] | {"published": True}).model_dump(mode="json")
    item |= {"item_code": "420700-ZS-0001", "name": "契税申报", "department_id": "tax", "category": "行政征收"}
    item.pop("published")
    status, created = call(api, request("POST", "/admin/catalog/items", item))
    assert status == 201 and created["item"]["published"] is False, created
    assert call(api, request("GET", "/catalog/420700-ZS-0001") | {"resource": "/catalog/{itemCode}"})[0] == 404
    status, published = call(api, request("POST", "/admin/catalog/items/420700-ZS-0001/publish", {"version": 1}))
    assert status == 200 and published["revision"]["version"] == 2
    assert call(api, request("GET", "/catalog/420700-ZS-0001") | {"resource": "/catalog/{itemCode}"})[0] == 200
    status, listing = call(api, request("GET", "/admin/catalog/items", query={"department": "tax"}))
    assert [(i["item_code"], i["published"], i["version"]) for i in listing["items"]] == [("420700-ZS-0001", True, 2)]


def test_users_on_cognito(handlers, aws_system):
    api, _ = handlers
    status, page = call(api, request("GET", "/admin/users", query={"department": "market", "limit": "50"}))
    assert status == 200, page
    assert {u["username"] for u in page["items"]} == {"market.window", "market.handler", "market.reviewer", "market.leader", "market.inspector"}

    new = {"username": "market.clerk", "full_name": "赵小明", "department_id": "market", "roles": ["window"]}
    status, created = call(api, request("POST", "/admin/users", new))
    assert status == 201, created
    assert created["user"]["status"] == "FORCE_CHANGE_PASSWORD" and len(created["temporary_password"]) >= 12
    assert call(api, request("POST", "/admin/users", new))[0] == 409

    change = {"full_name": "赵小明", "department_id": "market", "roles": ["handler", "reviewer"]}
    status, updated = call(api, request("PUT", "/admin/users/market.clerk", change))
    assert status == 200 and updated["roles"] == ["handler", "reviewer"], updated
    status, disabled = call(api, request("POST", "/admin/users/market.clerk/disable"))
    assert status == 200 and disabled["enabled"] is False
    pool = aws_system["UserPoolId"]
    cognito = boto3.client("cognito-idp")
    assert cognito.admin_get_user(UserPoolId=pool, Username="market.clerk")["Enabled"] is False
    groups = {g["GroupName"] for g in cognito.admin_list_groups_for_user(UserPoolId=pool, Username="market.clerk")["Groups"]}
    assert groups == {"handler", "reviewer"}

    status, refused = call(api, request("PUT", "/admin/users/citizen1", {"full_name": "公众", "roles": ["inspector"]}))
    assert status == 403, refused
    assert call(api, request("PUT", "/admin/users/nobody", change))[0] == 404


def test_an_admin_cannot_remove_their_own_admin_role(handlers, aws_system):
    api, _ = handlers
    cognito = boto3.client("cognito-idp")
    attributes = cognito.admin_get_user(UserPoolId=aws_system["UserPoolId"], Username="admin")["UserAttributes"]
    me = ADMIN_CLAIMS | {"sub": next(a["Value"] for a in attributes if a["Name"] == "sub")}
    status, answer = call(api, request("PUT", "/admin/users/admin", {"full_name": "系统管理员", "roles": ["inspector"]}, claims=me))
    assert status == 409 and "不能取消自己的系统管理员角色" in answer["message"]
    assert call(api, request("POST", "/admin/users/admin/disable", claims=me))[0] == 409
    groups = cognito.admin_list_groups_for_user(UserPoolId=aws_system["UserPoolId"], Username="admin")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admin"]


def test_the_public_item_carries_the_chart_of_its_state_machine_with_its_own_step_limits(handlers):
    api, _ = handlers
    status, public = call(api, request("GET", f"/catalog/{ITEM}") | {"resource": "/catalog/{itemCode}"})
    assert status == 200
    chart = public["flow_chart"]
    assert chart["pattern"] == public["flow"] == "standard"
    assert [(s["label"], s["role_label"]) for s in chart["steps"]] == [
        ("受理", "窗口受理人员"), ("补正材料", "申请人"), ("承办", "承办人"), ("审核", "审核人"), ("批准", "分管领导"), ("办结", "窗口受理人员"),
    ]
    assert {s["step"]: s["limit_days"] for s in chart["steps"] if s["limit_days"] is not None} == public["step_limit_days"]
    assert {s["limit_unit_label"] for s in chart["steps"] if s["limit_days"] is not None} == {"工作日"}
    accept = chart["steps"][0]
    assert [(b["label"], b["to_label"]) for b in accept["branches"]] == [("受理", "承办"), ("不予受理", "不予受理"), ("要求补正", "补正材料")]
    assert [end["label"] for end in chart["ends"]] == ["已办结", "不予受理", "视为撤回", "不予批准"]
