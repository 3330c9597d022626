"""上报件's upper part extended (行政许可法 第四十二条) through the API handler on moto: the route's
authorization comes before the body is read, only the upper department's leader decides, the
refusals are Chinese and name the field, and the approval moves the applicant's one case."""

from __future__ import annotations

import json
from itertools import count

import pytest

from sunlight.bootstrap import container
from tests.integration.test_handlers import Context, call, handlers  # noqa: F401  (fixture)
from tests.integration.test_office_api import WALK_IN, event

ITEM = "420704-XK-0251"  # 食品生产许可: 鄂城区市场监管局 receives and reviews, 市市场监管局 decides
_keys = count()


def as_user(method: str, template: str, params: dict[str, str], *, user: str, body: dict | str | None = None) -> dict:
    """A call by a seeded user ("echeng-market.leader"): the path template as API Gateway names it."""
    department, role = user.split(".")
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    built = event(method, path, user=user, groups=role, department=department, body=body if isinstance(body, dict) else None,
                  key=f"reported-extension-{next(_keys):04d}")
    if isinstance(body, str):
        built["body"] = body
    return built | {"resource": template, "pathParameters": params,
                    "requestContext": built["requestContext"] | {"resourcePath": template}}


@pytest.fixture
def upper_part(handlers):
    """A walk-in 上报件 taken by the district up to the city's 承办; (lower case id, part id)."""
    api, flow_step = handlers
    form = {f.field_id: "鄂州味道食品有限公司" for f in container().catalog_service.get_item(ITEM).form_fields}
    status, receipt = call(api, as_user("POST", "/window/applications", {}, user="echeng-market.window",
                                        body={"item_code": ITEM, "applicant": WALK_IN, "form": form}))
    assert status == 201, receipt
    case_id = receipt["case_id"]

    def enter(case: str, step: str, **extra) -> None:
        flow_step.handler({"kind": "enter_step", "step": step, "caseId": case, "taskToken": f"token-{case}-{step}"} | extra, Context())

    def act(user: str, body: dict) -> None:
        status, answer = call(api, as_user("POST", "/cases/{caseId}/actions", {"caseId": case_id}, user=user, body=body))
        assert status == 200, answer

    enter(case_id, "accept")
    act("echeng-market.window", {"action": "accept"})
    enter(case_id, "preliminary_review")
    act("echeng-market.handler", {"action": "submit", "opinion": "现场核查符合条件，建议准予许可"})
    enter(case_id, "report")
    act("echeng-market.leader", {"action": "report", "opinion": "同意初审意见，报市局审批"})
    part = flow_step.handler({"kind": "report_up", "caseId": case_id}, Context())
    enter(part["caseId"], "handle", upper=part["part"])
    return api, case_id, part["caseId"]


def test_the_upper_leader_extends_the_part_and_the_applicants_case_moves(upper_part):
    api, case_id, part_id = upper_part
    before = container().cases.get(case_id)
    status, view = call(api, as_user("POST", "/cases/{caseId}/extensions", {"caseId": part_id}, user="market.handler",
                                     body={"days": 5, "reason": "需组织专家对生产工艺进行评审"}))
    assert status == 200, view
    assert (view["extension_max_days"], view["extension_approver"]) == (10, "leader")
    decision = {"caseId": part_id, "extensionId": "1"}
    status, view = call(api, as_user("POST", "/cases/{caseId}/extensions/{extensionId}/decision", decision,
                                     user="market.leader", body={"approve": True, "note": "同意"}))
    assert status == 200, view
    assert view["extensions"][0]["status"] == "approved"
    lower = container().cases.get(case_id)
    assert [e.relayed_from_case_id for e in lower.extensions] == [part_id]
    assert lower.legal_due_on > before.legal_due_on and lower.promised_due_on > before.promised_due_on


def test_only_the_upper_leader_decides_and_is_checked_before_the_body(upper_part):
    api, case_id, part_id = upper_part
    assert call(api, as_user("POST", "/cases/{caseId}/extensions", {"caseId": part_id}, user="market.handler",
                             body={"days": 3, "reason": "需现场核查"}))[0] == 200
    decision = {"caseId": part_id, "extensionId": "1"}
    # A district leader (another department), and a reviewer (not a leader): refused before the
    # (here malformed) body is read.
    for user in ("echeng-market.leader", "market.reviewer"):
        status, body = call(api, as_user("POST", "/cases/{caseId}/extensions/{extensionId}/decision", decision, user=user, body="{not json"))
        assert status == 403, (user, body)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body
    # The upper leader passes the check; only then is the body read (and refused, naming the field).
    status, body = call(api, as_user("POST", "/cases/{caseId}/extensions/{extensionId}/decision", decision,
                                     user="market.leader", body={"note": "同意"}))
    assert status == 422 and "approve" in {e["field"] for e in body["errors"]}, body
    status, body = call(api, as_user("POST", "/cases/{caseId}/extensions/{extensionId}/decision", decision,
                                     user="echeng-market.leader", body={"approve": True}))
    assert status == 403 and "市市场监督管理局" in body["message"], body
    assert container().cases.get(case_id).extensions == ()
    assert container().cases.get(part_id).extensions[0].status.value == "requested"


def test_the_refusals_are_chinese_and_name_the_field(upper_part):
    api, _, part_id = upper_part
    path = {"caseId": part_id}
    status, body = call(api, as_user("POST", "/cases/{caseId}/extensions", path, user="market.handler",
                                     body={"days": 11, "reason": "需专家评审"}))
    assert status == 422 and "第四十二条" in body["message"] and "days" in json.dumps(body), body
    status, body = call(api, as_user("POST", "/cases/{caseId}/extensions", path, user="market.handler", body={"days": 3}))
    assert status == 422 and "reason" in {e["field"] for e in body["errors"]}, body
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in body["errors"]), body
