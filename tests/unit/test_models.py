from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.models.case import Applicant, resident_id_is_valid
from sunlight.models.catalog import CatalogItem
from sunlight.models.flow import Step
from sunlight.models.requests import ApplicationRequest, StaffAction
from sunlight.models.roles import Role, parse_groups, principal_from_claims
from sunlight.models.validation import to_field_errors
from tests.unit.conftest import ITEM


def errors_of(model, payload):
    with pytest.raises(ValidationError) as raised:
        model.model_validate(payload) if hasattr(model, "model_validate") else model.validate_python(payload)
    return to_field_errors(raised.value.errors())


def test_resident_id_checksum():
    assert resident_id_is_valid("11010519491231002X")
    assert not resident_id_is_valid("110105194912310021")


def test_application_errors_name_each_field_in_chinese():
    errors = errors_of(
        ApplicationRequest,
        {"item_code": "x", "applicant": {"name": "李", "id_type": "resident_id", "id_number": "110105194912310021", "phone": "123"}},
    )
    assert {e["field"]: e["message"] for e in errors} == {
        "item_code": "事项编码至少需要6个字符",
        "applicant.name": "申请人姓名或单位名称至少需要2个字符",
        "applicant.id_number": "请填写18位居民身份证号码（最后一位可为X）",
        "applicant.phone": "联系电话的格式不正确",
    }


def test_missing_fields_and_unknown_fields():
    errors = errors_of(ApplicationRequest, {"applicant": {}, "evil": 1})
    messages = {e["field"]: e["message"] for e in errors}
    assert messages["item_code"] == "请填写事项编码"
    assert messages["applicant.phone"] == "请填写联系电话"
    assert messages["evil"] == "不支持的字段：evil"


def test_supervision_bodies_are_named_in_chinese_too():
    from sunlight.models.complaints import ComplaintRequest
    from sunlight.models.orders import IssueOrderRequest
    from sunlight.models.surveys import SurveyRequest

    for model, payload in ((IssueOrderRequest, {"matter": "查"}), (ComplaintRequest, {"content": "短"}), (SurveyRequest, {"title": ""})):
        for error in errors_of(model, payload):
            label = error["message"].removeprefix("请填写")
            assert not label[:1].isascii(), f"{model.__name__}.{error['field']}: {error['message']}"
    assert {"field": "matter", "message": "督办事项至少需要4个字符"} in errors_of(IssueOrderRequest, {"matter": "查"})


def test_staff_actions_require_what_their_decision_needs():
    adapter = TypeAdapter(StaffAction)
    assert errors_of(adapter, {"action": "reject"}) == [{"field": "opinion", "message": "请填写意见"}]
    assert errors_of(adapter, {"action": "request_supplement", "missing_materials": []}) == [
        {"field": "missing_materials", "message": "需补正的全部材料至少需要1项"}
    ]
    assert "操作类型无效" in errors_of(adapter, {"action": "bribe"})[0]["message"]
    assert adapter.validate_python({"action": "accept"}).action == "accept"


def test_catalog_item_limits_must_be_consistent():
    data = ITEM.model_dump()
    with pytest.raises(ValidationError, match="承诺时限"):
        CatalogItem.model_validate(data | {"promised_limit_days": 30})
    with pytest.raises(ValidationError, match="各环节时限之和"):
        CatalogItem.model_validate(data | {"step_limit_days": {"accept": 1, "handle": 9, "review": 2, "approve": 2, "complete": 1}})
    with pytest.raises(ValidationError, match="缺少环节时限：办结"):
        CatalogItem.model_validate(data | {"step_limit_days": {"accept": 1, "handle": 1, "review": 1, "approve": 1}})
    with pytest.raises(ValidationError, match="“承诺件”流程没有这些环节：当场办理"):
        CatalogItem.model_validate(data | {"step_limit_days": {**data["step_limit_days"], "instant": 0}})


def test_an_instant_item_is_decided_on_the_day_of_receipt_and_only_its_step_may_take_0_days():
    data = ITEM.model_dump() | {"flow": "instant", "step_limit_days": {"instant": 0}}
    assert CatalogItem.model_validate(data).step_limit_days == {Step.INSTANT: 0}
    with pytest.raises(ValidationError, match="“受理”环节时限至少为1个工作日"):
        CatalogItem.model_validate(ITEM.model_dump() | {"step_limit_days": {**ITEM.model_dump()["step_limit_days"], "accept": 0}})


def test_an_item_uses_a_flow_its_class_of_power_allows():
    with pytest.raises(ValidationError, match="行政许可事项不能使用“行政检查”流程"):
        CatalogItem.model_validate(ITEM.model_dump() | {"flow": "inspection", "step_limit_days": {
            "inspect": 1, "inspect_result": 1, "rectification": 1, "publicize": 1}})


def test_applicant_masks_id_number():
    applicant = Applicant(name="李华", id_type="resident_id", id_number="11010519491231002x", phone="13800138000")
    assert applicant.id_number == "11010519491231002X"
    assert applicant.masked_id_number == "110***********002X"


@pytest.mark.parametrize(("raw", "groups"), [
    ("window", ["window"]), ("window,leader", ["window", "leader"]), ("[window leader]", ["window", "leader"]), (["a"], ["a"]), (None, []),
])
def test_group_claim_formats(raw, groups):
    assert parse_groups(raw) == groups


def test_principal_from_claims_ignores_unknown_groups():
    principal = principal_from_claims(
        {"sub": "u1", "name": "张敏", "cognito:groups": "window,unknown", "custom:department": "market"}
    )
    assert principal.roles == frozenset({Role.WINDOW}) and principal.department_id == "market" and principal.is_staff
    assert principal_from_claims({}) is None


def test_principal_from_claims_reads_the_inspectors_government():
    bureau = principal_from_claims({"sub": "u2", "cognito:groups": "inspector", "custom:government": "420704"})
    assert bureau.government_id == "420704" and bureau.department_id is None
    assert principal_from_claims({"sub": "u3", "cognito:groups": "inspector"}).government_id is None
