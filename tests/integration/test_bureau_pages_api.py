"""What the SPA's 监察局 pages read, through the deployed handlers on moto: GET /me says which
监察局 the caller is (the nav offers the city's pages by it), GET /departments?government= lists a
district's departments (the order form's choice), and GET /monitoring/exchange?view=quarantine
shows the city's 监察局 the inbound messages refused as malformed, refusing everyone else (in
Chinese) before anything is read."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.test_admin_api import request
from tests.integration.test_handlers import call, handlers  # noqa: F401  (handlers: the fixture)
from tests.integration.test_inbound_exchange import inbound, message  # noqa: F401  (inbound: the fixture)

CITY = {"sub": "i-city", "name": "郑国华", "cognito:groups": "inspector", "custom:government": "420700", "token_use": "id"}
ECHENG = {"sub": "i-echeng", "name": "鄂城区监察员", "cognito:groups": "inspector", "custom:government": "420704", "token_use": "id"}
UNLEVELED = {"sub": "i-none", "name": "未设层级", "cognito:groups": "inspector", "token_use": "id"}
MARKET_OFFICE = {"sub": "i-market", "name": "市场监察室", "cognito:groups": "inspector", "custom:department": "market", "token_use": "id"}
WINDOW = {"sub": "w-1", "name": "窗口", "cognito:groups": "window", "custom:department": "market", "token_use": "id"}
ADMIN = {"sub": "a-1", "name": "管理员", "cognito:groups": "admin", "token_use": "id"}


@pytest.mark.parametrize(("claims", "bureau"), [(CITY, "city"), (ECHENG, "level"), (UNLEVELED, None), (MARKET_OFFICE, None), (WINDOW, None)])
def test_me_says_which_bureau_the_caller_is(handlers, claims, bureau):
    api, _ = handlers
    status, me = call(api, request("GET", "/me", claims=claims))
    assert status == 200, me
    assert me["bureau"] == bureau


def test_departments_of_a_district_and_below(handlers):
    api, _ = handlers
    status, everyone = call(api, request("GET", "/departments", claims={}))
    assert status == 200 and {"market", "echeng-market", "huarong-market"} <= {d["department_id"] for d in everyone}
    status, echeng = call(api, request("GET", "/departments", query={"government": "420704"}, claims={}))
    assert status == 200, echeng
    assert sorted(d["department_id"] for d in echeng) == ["binhu-station", "echeng-market", "fenghuang-center"]
    assert {d["government_name"] for d in echeng} == {"鄂城区", "凤凰街道", "滨湖社区"}
    status, city = call(api, request("GET", "/departments", query={"government": "420700"}, claims={}))
    assert status == 200 and len(city) == len(everyone)
    assert call(api, request("GET", "/departments", query={"government": "鄂城区"}, claims={}))[0] == 422


def test_the_city_bureau_reads_the_quarantine_in_words(handlers, inbound):
    broken = message(1, f"ZJ-{uuid.uuid4().hex[:8]}", "case_received")
    broken["body"]["step"] = "fly"
    assert inbound("POST", "/inbound/reports", broken)[0] == 422
    api, _ = handlers
    status, page = call(api, request("GET", "/monitoring/exchange", query={"view": "quarantine", "limit": "100"}, claims=CITY))
    assert status == 200, page
    (kept,) = [q for q in page["items"] if q["message_id"] == broken["message_id"]]
    assert kept["route_label"] == "办件上报" and kept["sender"] == "鄂州市 · 市市场监督管理局"
    assert kept["field"] == "body.step" and kept["message"] and '"fly"' in kept["raw"]
    status, reconciliation = call(api, request("GET", "/monitoring/exchange", claims=CITY))
    assert status == 200 and "days" in reconciliation  # without the parameter: the reconciliation as before


@pytest.mark.parametrize("claims", [ECHENG, MARKET_OFFICE, ADMIN, WINDOW])
def test_everyone_else_is_refused_in_chinese_before_the_body(handlers, claims):
    api, _ = handlers
    event = request("GET", "/monitoring/exchange", query={"view": "quarantine"}, claims=claims)
    event["body"] = '{"garbage'
    status, refused = call(api, event)
    assert (status, refused) == (403, {"code": "forbidden", "message": "数据交换对账仅限市监察局查看。"})


def test_an_unleveled_inspector_and_a_stranger_are_told_why(handlers):
    api, _ = handlers
    status, refused = call(api, request("GET", "/monitoring/exchange", query={"view": "quarantine"}, claims=UNLEVELED))
    assert status == 403 and "未设置所属政府" in refused["message"]
    event = request("GET", "/monitoring/exchange", query={"view": "quarantine"}, claims={})
    event["requestContext"].pop("authorizer")
    assert call(api, event)[0] == 401
