from __future__ import annotations

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.requests import ApplicationRequest, UploadRequest
from sunlight.services.errors import Forbidden, InvalidInput, NotFound, Unavailable
from tests.unit.conftest import APPLICANT, CITIZEN, ITEM, WINDOW


def application(**overrides) -> ApplicationRequest:
    body = {"item_code": ITEM.item_code, "applicant": APPLICANT, "form": {"companyName": "杭州味道餐饮有限公司"}} | overrides
    return ApplicationRequest.model_validate(body)


def test_apply_creates_case_with_first_event_and_starts_flow(world):
    upload = world.uploaded()
    receipt = world.applications.apply(CITIZEN, application(upload_ids=[upload]), None)

    case, events = world.cases.get_with_timeline(receipt.case_id)
    assert receipt.query_code == case.query_code and len(receipt.query_code) == 6
    assert case.status is CaseStatus.SUBMITTED
    assert case.department_name == "市市场监督管理局"
    assert [a.attachment_id for a in case.attachments] == [upload]
    assert case.attachments[0].file_name == "申请书.pdf"
    assert [(e.action, e.to_state) for e in events] == [("apply", CaseStatus.SUBMITTED)]
    assert world.workflow.started == [receipt.case_id]
    # Monday 2026-11-23 + 10 working days (weekday calendar) = Monday 2026-12-07
    assert receipt.promised_due_on.isoformat() == "2026-12-07"


def test_retried_application_with_same_key_creates_one_case(world):
    first = world.applications.apply(CITIZEN, application(), "retry-key-0001")
    second = world.applications.apply(CITIZEN, application(), "retry-key-0001")
    assert first.case_id == second.case_id and first.query_code == second.query_code
    assert len(world.cases.cases) == 1


def test_same_key_with_a_different_application_is_refused(world):
    world.applications.apply(CITIZEN, application(), "retry-key-0001")
    with pytest.raises(InvalidInput, match="幂等键"):
        world.applications.apply(CITIZEN, application(form={"companyName": "另一家公司"}), "retry-key-0001")
    assert len(world.cases.cases) == 1


def test_engine_failure_leaves_no_case_and_a_retry_succeeds(world):
    world.workflow.fail_with = RuntimeError("states unavailable")
    with pytest.raises(Unavailable):
        world.applications.apply(CITIZEN, application(), "retry-key-0002")
    assert world.cases.cases == {} and world.cases.events == {} and world.cases.idempotency == {}

    world.workflow.fail_with = None
    receipt = world.applications.apply(CITIZEN, application(), "retry-key-0002")
    assert list(world.cases.cases) == [receipt.case_id]


def test_unknown_item_is_not_found(world):
    with pytest.raises(NotFound):
        world.applications.apply(CITIZEN, application(item_code="999999-XX-0000"), None)


def test_missing_required_form_field_names_it(world):
    with pytest.raises(InvalidInput, match="企业名称"):
        world.applications.apply(CITIZEN, application(form={}), None)


def test_unknown_form_field_is_refused(world):
    with pytest.raises(InvalidInput, match="hack"):
        world.applications.apply(CITIZEN, application(form={"companyName": "甲公司", "hack": "x"}), None)


def test_attachment_must_have_been_uploaded_by_the_applicant(world):
    with pytest.raises(InvalidInput, match="尚未上传成功"):
        world.applications.apply(CITIZEN, application(upload_ids=["b" * 32]), None)
    assert world.cases.cases == {}


def test_oversize_object_in_storage_is_refused(world):
    upload = world.uploaded(size=50 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="大小或格式"):
        world.applications.apply(CITIZEN, application(upload_ids=[upload]), None)


def test_staff_cannot_apply_as_citizen(world):
    with pytest.raises(Forbidden):
        world.applications.apply(WINDOW, application(), None)


def test_upload_ticket_is_scoped_to_the_uploader(world):
    ticket = world.applications.create_upload(
        CITIZEN, UploadRequest(file_name="营业执照.pdf", content_type="application/pdf", size_bytes=2048)
    )
    assert world.attachments.presigned[0]["key"] == f"uploads/{CITIZEN.user_id}/{ticket.upload_id}"
    assert ticket.max_bytes == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("content_type", "size", "message"),
    [("application/x-msdownload", 100, "仅支持上传"), ("application/pdf", 11 * 1024 * 1024, "不能超过 10 MB")],
)
def test_upload_of_wrong_type_or_size_is_refused(world, content_type, size, message):
    with pytest.raises(InvalidInput, match=message):
        world.applications.create_upload(CITIZEN, UploadRequest(file_name="x.exe", content_type=content_type, size_bytes=size))


def test_ex_officio_items_take_no_online_applications_but_the_window_registers_them(world):
    """A penalty (依职权) is opened by the department (立案), with the party as the applicant."""
    from sunlight.models.catalog import Category
    from sunlight.models.requests import WindowApplicationRequest

    penalty = ITEM.model_copy(update={"item_code": "420700-CF-0001", "name": "对违法行为的行政处罚", "category": Category.PENALTY})
    world.catalog.items[penalty.item_code] = penalty
    with pytest.raises(InvalidInput, match="行政处罚事项，由部门依职权立案办理，不接受网上申请") as refused:
        world.applications.apply(CITIZEN, application(item_code=penalty.item_code), None)
    assert refused.value.details == {"field": "item_code"} and world.cases.cases == {}

    party = {"name": "王建国", "id_number": "11010519491231002x", "phone": "13912345678", "address": "市江南大道1号"}
    registered = WindowApplicationRequest.model_validate(
        {"item_code": penalty.item_code, "applicant": party, "form": {"companyName": "王记小吃店"}})
    receipt = world.applications.apply_at_window(WINDOW, registered, "case-filing-0001")
    assert world.cases.get(receipt.case_id).item_code == penalty.item_code


@pytest.mark.parametrize(("category", "online"), [("行政许可", True), ("行政确认", True), ("行政给付", True), ("其他", True),
                                                  ("行政处罚", False), ("行政强制", False), ("行政检查", False), ("行政征收", False)])
def test_which_categories_take_applications(category, online):
    from sunlight.models.catalog import Category, PublicCatalogItem

    item = ITEM.model_copy(update={"category": Category(category)})
    assert Category(category).on_application is online
    assert PublicCatalogItem.of(item).model_dump(mode="json")["online_application"] is online
