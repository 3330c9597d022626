"""The API handler's gate on moto: who may call a route is decided before any body is parsed,
a revoked sign-in is refused on every route, and every response is uncacheable and names only
an allowed origin."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from sunlight.bootstrap import container
from tests.integration.test_admin_api import request
from tests.integration.test_handlers import Context, handlers, sample  # noqa: F401

SPA = "https://sunlight.example.gov.cn"
CITIZEN_CLAIMS = sample("api/apply.json")["requestContext"]["authorizer"]["claims"]
WINDOW_CLAIMS = sample("api/worklist.json")["requestContext"]["authorizer"]["claims"]


@pytest.fixture
def api(handlers, monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", SPA)
    container.cache_clear()
    from http_api.api import allowed_origins

    gateway, _ = handlers
    allowed_origins.cache_clear()
    yield gateway
    allowed_origins.cache_clear()


def answer(api, event: dict, origin: str | None = None) -> tuple[int, dict, dict]:
    if origin:
        event["headers"] = {**(event.get("headers") or {}), "Origin": origin}
    response = api.handler(event, Context())
    headers = {k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items()} | (response.get("headers") or {})
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else {}, headers


def raw(method: str, path: str, body: str, claims: dict) -> dict:
    event = request(method, path, None, claims=claims)
    event["body"] = body
    return event


@pytest.mark.parametrize("body", ['{"username": 5, "roles": "everything"', '{"roles": [' + '"x",' * 5000 + '"x"]}', "[]"])
def test_a_caller_who_may_not_use_a_route_gets_403_before_the_body_is_parsed(api, body):
    status, answered, _ = answer(api, raw("POST", "/admin/users", body, CITIZEN_CLAIMS))
    assert status == 403 and answered == {"code": "forbidden", "message": "您没有使用此功能的权限。"}


def test_a_citizen_with_a_department_attribute_reads_no_warnings(api):
    forged = CITIZEN_CLAIMS | {"custom:department": "market"}
    event = request("GET", "/warnings", None, query={"department": "market"}, claims=forged)
    event["resource"] = event["requestContext"]["resourcePath"] = "/warnings"
    status, answered, _ = answer(api, event)
    assert status == 403, answered


def own_user(claims: dict) -> dict:
    """The same caller under a user id of its own: the module's stack (and its revocation marks) is shared."""
    return claims | {"sub": f"{claims['sub']}-{uuid.uuid4().hex[:8]}"}


def test_a_revoked_sign_in_is_refused_on_every_route(api):
    signed_in = int(time.time()) - 60
    claims = own_user(WINDOW_CLAIMS) | {"auth_time": str(signed_in)}
    me = request("GET", "/me", None, claims=claims)
    me["resource"] = me["requestContext"]["resourcePath"] = "/me"
    assert answer(api, me)[0] == 200
    container().sessions.revoke(claims["sub"], "disabled")
    status, answered, _ = answer(api, me)
    assert status == 401 and answered["code"] == "session_revoked"
    assert answer(api, raw("POST", "/admin/users", "{}", claims))[0] == 403  # the route's audience first
    fresh = me | {"requestContext": {**me["requestContext"], "authorizer": {"claims": claims | {"auth_time": str(int(time.time()) + 1)}}}}
    assert answer(api, fresh)[0] == 200  # signed in again afterwards


def test_responses_are_uncacheable_and_name_only_an_allowed_origin(api):
    catalog = sample("api/list_catalog.json")
    status, _, headers = answer(api, json.loads(json.dumps(catalog)), origin=SPA)
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert headers["Access-Control-Allow-Origin"] == SPA and headers["Vary"] == "Origin"
    status, _, headers = answer(api, json.loads(json.dumps(catalog)), origin="https://elsewhere.example")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers and headers["Cache-Control"] == "no-store"
    status, _, headers = answer(api, raw("POST", "/admin/users", "{}", CITIZEN_CLAIMS), origin=SPA)
    assert status == 403 and headers["Cache-Control"] == "no-store" and headers["Access-Control-Allow-Origin"] == SPA


def test_signing_out_ends_the_users_earlier_sessions_on_every_route(api):
    claims = own_user(WINDOW_CLAIMS)
    earlier = claims | {"auth_time": str(int(time.time()) - 60)}
    me = request("GET", "/me", None, claims=earlier)
    me["resource"] = me["requestContext"]["resourcePath"] = "/me"
    sign_out = request("POST", "/me/sign-out", None, claims=earlier)
    sign_out["resource"] = sign_out["requestContext"]["resourcePath"] = "/me/sign-out"
    assert answer(api, sign_out)[:2] == (200, {"signed_out": True})
    assert answer(api, me)[0] == 401
    again = me | {"requestContext": {**me["requestContext"], "authorizer": {"claims": claims | {"auth_time": str(int(time.time()))}}}}
    assert answer(api, again)[0] == 200  # signed in again at once


def inspector_claims(government: str | None) -> dict:
    claims = {"sub": f"c0ffee00-0000-4000-8000-{uuid.uuid4().hex[:12]}", "cognito:username": "bureau.inspector",
              "name": "监察人员", "cognito:groups": "inspector", "token_use": "id"}
    return claims | ({"custom:government": government} if government else {})


def warnings_of(department: str, claims: dict) -> dict:
    event = request("GET", "/warnings", None, query={"department": department}, claims=claims)
    event["resource"] = event["requestContext"]["resourcePath"] = "/warnings"
    return event


def test_an_inspector_without_department_or_government_sees_nothing_and_is_told_why(api):
    from sunlight.services.scope import NO_GOVERNMENT

    status, answered, _ = answer(api, warnings_of("market", inspector_claims(None)))
    assert status == 403 and answered["message"] == NO_GOVERNMENT


def test_a_districts_inspector_lists_its_levels_warnings_not_the_citys_nor_the_log(api):
    echeng = inspector_claims("420704")
    assert answer(api, warnings_of("binhu-station", echeng))[0] == 200  # 滨湖社区, under 凤凰街道, under 鄂城区
    for department in ("market", "huarong-market"):
        status, answered, _ = answer(api, warnings_of(department, echeng))
        assert status == 403 and "本级及下级政府" in answered["message"], answered
    log = request("GET", "/inspector-log", None, claims=echeng)
    log["resource"] = log["requestContext"]["resourcePath"] = "/inspector-log"
    assert answer(api, log)[0] == 403  # the inspector log stays the city's
    assert answer(api, warnings_of("market", inspector_claims("420700")))[0] == 200
