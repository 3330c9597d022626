"""Staff actions carry what supervision needs: documents uploaded by staff (a risk point's control
document), the fee charged on 办结 and the penalty decided on 批准/不予批准."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from sunlight.models.requests import StaffAction, UploadRequest
from sunlight.services.errors import Forbidden, InvalidInput, Unavailable
from tests.unit.conftest import CITIZEN, HANDLER, INSPECTOR, LEADER, REVIEWER, WINDOW

ACTION = TypeAdapter(StaffAction)
RECORD = "b" * 32


def act(world, principal, case_id, **body):
    return world.staff.act(principal, case_id, ACTION.validate_python(body), None)


def at_step(world, step: str) -> str:
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    for principal, action, next_step in (
        (WINDOW, {"action": "accept"}, "handle"),
        (HANDLER, {"action": "submit", "opinion": "符合条件"}, "review"),
        (REVIEWER, {"action": "pass"}, "approve"),
        (LEADER, {"action": "approve", "opinion": "准予许可"}, "complete"),
    ):
        if world.cases.get(case_id).step.value == step:
            return case_id
        act(world, principal, case_id, **action)
        world.enter(case_id, next_step)
    return case_id


def test_staff_may_upload_under_their_own_key_and_inspectors_may_not(world):
    ticket = world.applications.create_upload(
        HANDLER, UploadRequest(file_name="现场核查记录.pdf", content_type="application/pdf", size_bytes=2048, material_id="site-inspection-record")
    )
    assert world.attachments.presigned[0]["key"] == f"uploads/{HANDLER.user_id}/{ticket.upload_id}"
    with pytest.raises(Forbidden):
        world.applications.create_upload(INSPECTOR, UploadRequest(file_name="a.pdf", content_type="application/pdf", size_bytes=10))


def test_a_document_attached_to_an_action_goes_on_the_case_and_its_timeline(world):
    case_id = at_step(world, "handle")
    world.uploaded(HANDLER, RECORD, file_name="现场核查记录.pdf", material_id="site-inspection-record")
    act(world, HANDLER, case_id, action="submit", opinion="经现场核查，符合条件", attachment_ids=[RECORD])
    world.enter(case_id, "review")

    case, events = world.cases.get_with_timeline(case_id)
    attachment = case.attachment(RECORD)
    assert (attachment.material_id, attachment.file_name, attachment.storage_key) == (
        "site-inspection-record", "现场核查记录.pdf", f"uploads/{HANDLER.user_id}/{RECORD}",
    )
    assert events[-1].action == "submit" and events[-1].details == {"attachment_ids": [RECORD]}


def test_fee_and_penalty_are_recorded_in_the_timeline(world):
    case_id = at_step(world, "approve")
    act(world, LEADER, case_id, action="approve", opinion="准予许可", penalty_yuan="5000")
    world.enter(case_id, "complete")
    act(world, WINDOW, case_id, action="complete", opinion="证书编号 JY001", fee_charged_yuan=80.5)
    from sunlight.models.flow import Outcome

    world.flow.finalize(case_id, Outcome.COMPLETED)
    events = world.cases.events[case_id]
    assert events[-2].details == {"penalty_yuan": "5000.00"}
    assert events[-1].details == {"fee_charged_yuan": "80.50"}
    assert world.publisher.published[-1].details == {"fee_charged_yuan": "80.50"}


def test_an_upload_that_is_missing_or_someone_elses_is_refused_and_nothing_changes(world):
    case_id = at_step(world, "handle")
    before = world.cases.get(case_id)
    with pytest.raises(InvalidInput, match="第1个附件尚未上传成功") as refused:
        act(world, HANDLER, case_id, action="submit", opinion="符合条件", attachment_ids=[RECORD])
    assert refused.value.details == {"field": "attachment_ids.0"}
    world.uploaded(CITIZEN, RECORD)  # the applicant's file: not under the handler's key
    with pytest.raises(InvalidInput):
        act(world, HANDLER, case_id, action="submit", opinion="符合条件", attachment_ids=[RECORD])
    assert world.cases.get(case_id) == before and world.workflow.sent[-1][1] == {"decision": "accept"}


def test_a_document_is_attached_once(world):
    case_id = at_step(world, "handle")
    world.uploaded(HANDLER, RECORD, material_id="site-inspection-record")
    act(world, HANDLER, case_id, action="submit", opinion="符合条件", attachment_ids=[RECORD])
    world.enter(case_id, "review")
    act(world, REVIEWER, case_id, action="return", opinion="请补充核查")
    world.enter(case_id, "handle")
    with pytest.raises(InvalidInput, match="已在本办件中"):
        act(world, HANDLER, case_id, action="submit", opinion="符合条件", attachment_ids=[RECORD])


def test_engine_failure_takes_the_documents_off_the_case_again(world):
    case_id = at_step(world, "handle")
    world.uploaded(HANDLER, RECORD, material_id="site-inspection-record")
    world.workflow.fail_with = RuntimeError("throttled")
    with pytest.raises(Unavailable):
        act(world, HANDLER, case_id, action="submit", opinion="符合条件", attachment_ids=[RECORD])
    assert world.cases.get(case_id).attachment(RECORD) is None


@pytest.mark.parametrize(
    "body",
    [
        {"action": "complete", "opinion": "已办结", "fee_charged_yuan": -1},
        {"action": "complete", "opinion": "已办结", "fee_charged_yuan": "80.001"},
        {"action": "accept", "penalty_yuan": 100},
        {"action": "pass", "fee_charged_yuan": 100},
        {"action": "accept", "attachment_ids": ["not-an-upload-id"]},
    ],
)
def test_amounts_and_documents_are_validated_at_the_edge(body):
    with pytest.raises(ValidationError):
        ACTION.validate_python(body)


def test_amounts_are_optional_and_decimal():
    assert ACTION.validate_python({"action": "complete", "opinion": "已办结"}).fee_charged_yuan is None
    assert ACTION.validate_python({"action": "deny", "opinion": "不予处罚", "penalty_yuan": "0"}).penalty_yuan == Decimal("0")
