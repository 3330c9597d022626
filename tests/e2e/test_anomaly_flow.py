"""Anomaly warnings through the local system: staff attach a control document over HTTP, the bus
delivers every transition to the anomaly check, and the inspectors' inbox gets the warnings."""

from __future__ import annotations

import time

import boto3
import requests

from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
from tests.e2e.conftest import Client, new_key, wait_for_status
from tests.e2e.test_api_flow import act, application_for, upload
from tests.e2e.test_penalty_flow import wait_at_statement

PENALTY_ITEM = "420700-CF-0206"  # risk points at 调查取证 and 法制审核, discretion 5,000–50,000 yuan


def staff_upload(staff: Client, material_id: str, name: str) -> str:
    content = b"%PDF-1.4 control document"
    ticket = staff.post(
        "/uploads", {"file_name": name, "content_type": "application/pdf", "size_bytes": len(content), "material_id": material_id}
    )
    assert ticket.status_code == 201, ticket.text
    body = ticket.json()
    stored = requests.post(body["url"], data=body["fields"], files={"file": (name, content, "application/pdf")}, timeout=30)
    assert stored.status_code in (200, 204), stored.text
    return body["upload_id"]


def warnings_of(system, case_id: str, rules: set[str], timeout: float = 15) -> dict[str, list]:
    """The case's warnings by rule, once every rule in `rules` has one (the check is asynchronous)."""
    dynamodb = boto3.client("dynamodb", endpoint_url=system.moto_url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")
    repository = DynamoWarningRepository(dynamodb, system.outputs["CasesTableName"])
    deadline = time.monotonic() + timeout
    found: dict[str, list] = {}
    while time.monotonic() < deadline:
        found = {}
        for warning in repository.for_case(case_id):
            found.setdefault(warning.rule, []).append(warning)
        if rules <= set(found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"case {case_id}: expected warnings {rules}, got {sorted(found)}")


def test_control_documents_and_penalties_are_supervised(system, login, public):
    citizen = login("citizen1")
    detail = public.get(f"/catalog/{PENALTY_ITEM}").json()
    assert detail["supervision"]["discretion"]["max_yuan"] == "50000.00"
    assert detail["online_application"] is False  # 依职权: nobody applies for a penalty online
    refused = citizen.post("/applications", application_for(detail, [upload(citizen)]), key=new_key())
    assert refused.status_code == 422 and "依职权立案办理" in refused.json()["message"], refused.text
    window, handler, reviewer, leader = (login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))
    # The department opens the case (立案) at its window, with the party concerned as applicant.
    party = {"name": "王建国", "id_number": "11010519491231002X", "phone": "13971100001"}  # the legal representative
    filed = window.post("/window/applications",
                        {**application_for(detail, [staff_upload(window, "case-filing", "立案审批表.pdf")]), "applicant": party},
                        key=new_key())
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]

    # 调查取证 (two officers) with its control document; 事先告知 marked for 法制审核; the party waives.
    wait_for_status(handler, case_id, "investigate")
    report = staff_upload(handler, "investigation-report", "案件调查终结报告.pdf")
    submitted = act(handler, case_id, action="submit", opinion="调查终结，建议罚款", attachment_ids=[report],
                    officers=[{"name": "周敏", "certificate_number": "42070020260011"}, {"name": "吴刚", "certificate_number": "42070020260012"}])
    assert submitted.status_code == 200, submitted.text
    wait_for_status(handler, case_id, "notify")
    assert act(handler, case_id, action="notify", opinion="拟罚款六万元", legal_review_required=True).status_code == 200
    wait_at_statement(handler, case_id)
    claimed = citizen.post("/party/claims", {"case_id": case_id, "query_code": filed.json()["query_code"], "id_number": party["id_number"]})
    assert claimed.status_code == 200, claimed.text
    assert citizen.post(f"/my/cases/{case_id}/statement", {"action": "waive"}, key=new_key()).status_code == 200
    wait_for_status(reviewer, case_id, "legal_review")
    assert act(reviewer, case_id, action="pass", opinion="同意").status_code == 200  # no 法制审核意见书
    wait_for_status(leader, case_id, "decide")
    assert act(leader, case_id, action="penalize", opinion="罚款六万元", penalty_yuan="60000").status_code == 200
    case = wait_for_status(window, case_id, "deliver")

    assert {a["material_id"] for a in case["attachments"]} >= {"investigation-report"}
    warnings = warnings_of(system, case_id, {"risk_point_without_control_document", "discretion_out_of_range"})
    [risk] = warnings["risk_point_without_control_document"]
    assert risk.step == "legal_review" and "重大执法决定法制审核意见书" in risk.message  # the handler's document was there
    [penalty] = warnings["discretion_out_of_range"]
    assert "高于上限50000.00元" in penalty.message and penalty.recipients == ("market#inspector", "city#inspector")
