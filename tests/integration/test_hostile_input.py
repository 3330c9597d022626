"""Hostile input over the API handler on moto: 415 for bodies that are not JSON, 400 for page
cursors the API did not issue, never a 5xx (issue: hostile input never causes a 5xx or a silent
acceptance)."""

from __future__ import annotations

import copy
import json
import re
import uuid

import pytest

from tests.integration.test_handlers import call, filled_application, handlers, sample  # noqa: F401  (fixture)

CITIZEN = {"sub": "c0ffee00-0000-4000-8000-000000000001", "cognito:username": "citizen1", "name": "李华",
           "cognito:groups": "citizen", "token_use": "id"}
OTHER_CITIZEN = CITIZEN | {"sub": "c0ffee00-0000-4000-8000-000000000009", "cognito:username": "citizen2", "name": "王芳"}
LEADER = {"sub": "c0ffee00-0000-4000-8000-000000000004", "cognito:username": "market.leader", "name": "刘强",
          "cognito:groups": "leader,inspector", "custom:department": "market", "token_use": "id"}
CITY = {"sub": "c0ffee00-0000-4000-8000-000000000007", "cognito:username": "inspector", "name": "周监察",
        "cognito:groups": "inspector,admin", "token_use": "id"}


def request(method: str, resource: str, claims: dict | None, *, query: dict | None = None,
            path_params: dict | None = None, body: str | None = None, content_type: str = "application/json") -> dict:
    event = copy.deepcopy(sample("api/worklist.json"))
    path = resource
    for name, value in (path_params or {}).items():
        path = path.replace("{" + name + "}", value)
    headers = {"Content-Type": content_type, "Host": "api.example.gov.cn"}
    event |= {
        "resource": resource, "path": path, "httpMethod": method, "body": body,
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query, "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": path_params,
    }
    event["requestContext"] |= {"resourcePath": resource, "httpMethod": method}
    if claims is None:
        event["requestContext"].pop("authorizer", None)
    else:
        event["requestContext"]["authorizer"] = {"claims": claims}
    return event


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x",
                                          "application/x-www-form-urlencoded"])
def test_a_json_route_sent_another_media_type_is_415_in_chinese(handlers, content_type):
    api, _ = handlers
    event = filled_application()
    event["headers"]["Content-Type"] = content_type
    event["multiValueHeaders"]["Content-Type"] = [content_type]
    status, body = call(api, event)
    assert status == 415, body
    assert body["code"] == "unsupported_media_type" and "JSON" in body["message"] and re.search(r"[\u4e00-\u9fff]", body["message"])


def test_json_with_a_charset_is_still_json(handlers):
    api, _ = handlers
    event = filled_application()
    event["headers"]["Content-Type"] = "application/json; charset=utf-8"
    assert call(api, event)[0] == 201


def _cursor_routes():
    from tests.integration.api_gateway import served_routes

    routes = []
    for route in served_routes():
        if route.method == "GET" and any(p.name == "cursor" for p in route.dependant.query_params):
            routes.append(re.sub(r"<(\w+)>", r"{\1}", route.path))
    return sorted(routes)


def test_a_forged_or_altered_cursor_is_400_on_every_list(handlers):
    api, _ = handlers
    routes = _cursor_routes()
    assert len(routes) >= 13
    refused = set()
    for resource in routes:
        params = {name: "x" * 8 for name in re.findall(r"{(\w+)}", resource)}
        for claims in (CITIZEN, LEADER, CITY):
            for cursor in ("eyJ4IjoxfQ", "eyJwayI6IkNBU0UjMSJ9.AAAAAAAAAAAAAAAAAAAAAA", "%%%", "a" * 300):
                status, body = call(api, request("GET", resource, claims, query={"cursor": cursor}, path_params=params or None))
                assert status < 500, (resource, claims["cognito:username"], cursor, body)
                if status == 400:
                    assert body["code"] == "invalid_cursor" and "翻页标记" in body["message"], body
                    refused.add(resource)
    assert len(refused) >= 13, sorted(set(routes) - refused)


def test_a_cursor_works_only_for_the_caller_and_list_it_was_issued_for(handlers):
    api, _ = handlers
    for key in ("first-key-0001", "second-key-002"):
        event = filled_application()
        event["headers"]["Idempotency-Key"] = key
        event["multiValueHeaders"]["Idempotency-Key"] = [key]
        assert call(api, event)[0] == 201
    status, first = call(api, request("GET", "/my/cases", CITIZEN, query={"limit": "1"}))
    assert status == 200 and len(first["items"]) == 1 and first["next_cursor"]
    status, second = call(api, request("GET", "/my/cases", CITIZEN, query={"limit": "1", "cursor": first["next_cursor"]}))
    assert status == 200 and second["items"][0]["case_id"] != first["items"][0]["case_id"]
    # the same cursor from another citizen, or on another list, or altered by one character
    assert call(api, request("GET", "/my/cases", OTHER_CITIZEN, query={"cursor": first["next_cursor"]}))[0] == 400
    assert call(api, request("GET", "/my/notifications", CITIZEN, query={"cursor": first["next_cursor"]}))[0] == 400
    altered = first["next_cursor"][:-1] + ("A" if first["next_cursor"][-1] != "A" else "B")
    assert call(api, request("GET", "/my/cases", CITIZEN, query={"cursor": altered}))[0] == 400


def test_the_openapi_documents_every_answer_and_content_type(handlers):
    from http_api.openapi_document import CSV_MEDIA_TYPE, PUBLIC_OPERATIONS, XLSX_MEDIA_TYPE
    from infra.constants import ROUTES

    api, _ = handlers
    status, document = call(api, request("GET", "/openapi.json", None))
    assert status == 200
    assert PUBLIC_OPERATIONS == {(r.method.lower(), r.path) for r in ROUTES if not r.authenticated}
    operations = {(m, p): op for p, methods in document["paths"].items() for m, op in methods.items()}
    assert len(operations) == len(ROUTES) - 1  # all but /openapi.json itself
    for (method, path), operation in operations.items():
        statuses = set(operation["responses"])
        assert {"403", "404", "422", "429"} <= statuses, (method, path)
        assert ("401" in statuses) == ((method, path) not in PUBLIC_OPERATIONS), (method, path)
        assert ("415" in statuses) == ("requestBody" in operation), (method, path)
        assert ("409" in statuses) == (method != "get"), (method, path)
        if any(p["name"] == "cursor" for p in operation.get("parameters", [])):
            assert "400" in statuses, (method, path)
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    assert set(operations[("get", "/statistics")]["responses"]["200"]["content"]) == {"application/json", CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE}
    assert set(operations[("post", "/applications")]["responses"]) >= {"201", "401", "409", "415", "422"}
    assert "200" not in operations[("post", "/applications")]["responses"]


@pytest.mark.parametrize(("name", "problem"), [
    ("李\x00华", "控制字符"), ("李\x07华", "控制字符"), ("李华\u202e", "文字方向"), ("\u2066李华\u2069", "文字方向"),
    ("   ", "空格"), ("\u3000\u3000", "空格"),
])
def test_text_with_control_characters_bidi_overrides_or_only_spaces_is_422_with_its_label(handlers, name, problem):
    api, _ = handlers
    event = filled_application()
    body = json.loads(event["body"])
    body["applicant"]["name"] = name
    status, answer = call(api, event | {"body": json.dumps(body, ensure_ascii=False)})
    assert status == 422, answer
    assert answer["errors"] == [{"field": "applicant.name", "message": answer["errors"][0]["message"]}]
    assert answer["errors"][0]["message"].startswith("申请人姓名") and problem in answer["errors"][0]["message"]


def test_a_hostile_form_value_or_key_is_422_and_line_breaks_are_text(handlers):
    api, _ = handlers
    event = filled_application()
    key = f"hostile-form-{uuid.uuid4().hex}"  # the module's stack is shared: a key of its own
    event["headers"]["Idempotency-Key"] = key
    event["multiValueHeaders"]["Idempotency-Key"] = [key]
    body = json.loads(event["body"])
    field_id = next(iter(body["form"]))
    for form in ({field_id: "经营\x1b[31m"}, {field_id + "\x00": "x"}):
        status, answer = call(api, event | {"body": json.dumps(body | {"form": form}, ensure_ascii=False)})
        assert status == 422 and "控制字符" in answer["message"], answer
    status, answer = call(api, event | {"body": json.dumps(body | {"form": body["form"] | {field_id: "第一行\n第二行\t完"}}, ensure_ascii=False)})
    assert status == 201, answer


def test_unknown_fields_in_a_citizens_application_are_422_not_dropped(handlers):
    api, _ = handlers
    event = filled_application()
    body = json.loads(event["body"])
    body["applicant"]["is_vip"] = True
    status, answer = call(api, event | {"body": json.dumps(body, ensure_ascii=False)})
    assert status == 422 and answer["errors"][0]["field"] == "applicant.is_vip", answer
    assert "不支持的字段" in answer["message"]


@pytest.mark.parametrize("anonymous", ["yes", "true", 1, "1"])
def test_booleans_are_strict(handlers, anonymous):
    api, _ = handlers
    body = {"department_id": "market", "subject": "窗口态度差", "content": "办理营业执照时窗口人员态度恶劣。",
            "anonymous": anonymous}
    status, answer = call(api, request("POST", "/complaints", CITIZEN, body=json.dumps(body, ensure_ascii=False)))
    assert status == 422, answer
    assert any(e["field"] == "anonymous" and "true 或 false" in e["message"] for e in answer["errors"]), answer


def test_office_hours_are_answered_as_the_openapi_documents_them(handlers):
    api, _ = handlers
    status, document = call(api, request("GET", "/openapi.json", None))
    assert '"format": "time"' not in json.dumps(document)  # RFC 3339 time needs an offset; ours is Beijing time
    pattern = document["components"]["schemas"]["OfficeHours"]["properties"]["start"]["pattern"]
    status, page = call(api, request("GET", "/admin/catalog/items", CITY, query={"limit": "1"}))
    assert status == 200, page
    code = page["items"][0]["item_code"]
    status, item = call(api, request("GET", "/admin/catalog/items/{itemCode}", CITY, path_params={"itemCode": code}))
    assert status == 200, item
    found = re.findall(r'"(start|end)": "([^"]+)"', json.dumps(item, ensure_ascii=False))
    assert found and all(re.match(pattern, value) for _, value in found), found


def test_a_query_string_with_control_characters_is_422_with_its_label(handlers):
    api, _ = handlers
    status, answer = call(api, request("GET", "/catalog", None, query={"q": "食品\x00"}))
    assert status == 422 and answer["errors"] == [{"field": "q", "message": "关键词含有不可见的控制字符"}], answer
    assert call(api, request("GET", "/catalog", None, query={"q": "食品"}))[0] == 200
