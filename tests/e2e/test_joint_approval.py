"""并联审批 (行政许可法 第二十六条, 第四十二条) over HTTP through the local system, and the lead
department's unified decision page in headless Chromium.

The administrator publishes a joint item led by housing with two co-departments (planning,
ecology); the citizen applies once; housing's window accepts; each co-department gives its opinion
on its own part case (its worklist, not the lead's); one asks for material, so the applicant gets
ONE combined notice and supplies once; in the second round planning disagrees and ecology agrees;
the lead sees both opinions and decides for all. A department leader cannot approve the joint
case's extension; the city government leader does.
Screenshots go to test-artifacts/web/ (joint-*.png)."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.e2e.conftest import ARTIFACTS, Client, expect, new_key, wait_for_status
from tests.e2e.test_api_flow import APPLICANT, act, upload
from tests.e2e.test_web import login as web_login

CO_DEPARTMENTS = ("planning", "ecology")


def publish_joint_item(login) -> dict:
    admin = login("admin")
    code = f"420700-XK-9{uuid.uuid4().int % 1000:03d}"
    base = admin.get("/admin/catalog/items/420700-XK-0404").json()["item"]
    item = {k: v for k, v in base.items() if k not in ("published",)} | {
        "item_code": code, "name": "建筑工程施工许可（两部门并联审批）",
        "joint": {"co_departments": [{"department_id": "planning", "opinion_limit_days": 3},
                                     {"department_id": "ecology", "opinion_limit_days": 5}]},
    }
    created = admin.post("/admin/catalog/items", item)
    assert created.status_code == 201, created.text
    published = admin.post(f"/admin/catalog/items/{code}/publish", {"version": created.json()["revision"]["version"]})
    assert published.status_code == 200, published.text
    return item


def wait_until(client: Client, case_id: str, check, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/cases/{case_id}").json()
        if check(body):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.05)


def part(case_id: str, department: str, round_: int) -> str:
    return f"{case_id}_{department}_{round_}"  # sunlight.models.joint.part_case_id


def apply_joint(citizen: Client, item: dict) -> str:
    form = {f["field_id"]: f"测试{f['label']}"[: f.get("max_length", 200)] for f in item["form_fields"]}
    response = citizen.post("/applications", {"item_code": item["item_code"], "applicant": APPLICANT, "form": form,
                                              "upload_ids": [upload(citizen)]}, key=new_key())
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


@pytest.fixture(scope="module")
def joint_case(login):
    """A joint case taken to the lead's 承办 after two rounds of opinions (one combined 补正)."""
    item = publish_joint_item(login)
    citizen = login("citizen1")
    case_id = apply_joint(citizen, item)
    window = login("housing.window")
    handlers = {d: login(f"{d}.handler") for d in CO_DEPARTMENTS}
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    lead = wait_until(window, case_id, lambda v: v["status"] == "opinion" and len(v["joint_opinions"]) == 2)
    assert lead["actionable"] is False  # the lead waits: each co-department holds its own part
    assert [c["case_id"] for c in window.get("/worklist").json()["items"]].count(case_id) == 0

    # Round 1: each co-department's part is in its own worklist; ecology asks for material.
    for department, handler in handlers.items():
        listed = handler.get("/worklist", params={"role": "handler"}).json()["items"]
        assert part(case_id, department, 1) in [c["case_id"] for c in listed]
        wait_for_status(handler, part(case_id, department, 1), "opinion")
    assert handlers["planning"].get(f"/cases/{part(case_id, 'ecology', 1)}").status_code == 403
    assert act(handlers["planning"], part(case_id, "planning", 1), action="agree", opinion="符合规划").status_code == 200
    assert act(handlers["ecology"], part(case_id, "ecology", 1), action="request_supplement",
               missing_materials=["建设项目环境影响评价批复文件"], opinion="缺少环评批复").status_code == 200
    notice = wait_for_status(citizen, case_id, "supplement", path="/my/cases/{}")
    assert notice["missing_materials"] == ["市生态环境局：建设项目环境影响评价批复文件"]
    resubmitted = citizen.post(f"/my/cases/{case_id}/supplement", {"upload_ids": [upload(citizen, "环评批复.pdf")], "note": "已补齐"},
                               key=new_key())
    assert resubmitted.status_code == 200, resubmitted.text

    # Round 2: planning now disagrees, ecology agrees; the lead decides for all.
    wait_for_status(handlers["planning"], part(case_id, "planning", 2), "opinion")
    assert act(handlers["planning"], part(case_id, "planning", 2), action="disagree",
               opinion="建设工程规划许可证载明的建筑面积与施工图不一致").status_code == 200
    wait_for_status(handlers["ecology"], part(case_id, "ecology", 2), "opinion")
    assert act(handlers["ecology"], part(case_id, "ecology", 2), action="agree", opinion="环评已批复，同意").status_code == 200
    wait_for_status(login("housing.handler"), case_id, "handle")
    return {"case_id": case_id, "item": item}


def test_the_applicant_sees_only_the_lead_case_and_who_gave_an_opinion(login, joint_case):
    citizen, case_id = login("citizen1"), joint_case["case_id"]
    mine = [c["case_id"] for c in citizen.get("/my/cases", params={"limit": 50}).json()["items"]]
    assert case_id in mine and not any(c.startswith(case_id + "_") for c in mine)
    assert citizen.get(f"/my/cases/{part(case_id, 'planning', 1)}").status_code == 404
    view = citizen.get(f"/my/cases/{case_id}").json()
    assert [(p["department_name"], p["given"]) for p in view["joint_progress"]] == [("市自然资源和规划局", True), ("市生态环境局", True)]
    assert "建筑面积与施工图不一致" not in str(view["joint_progress"])


def test_the_lead_sees_every_opinion_and_a_department_leader_cannot_extend_the_joint_case(login, joint_case):
    case_id = joint_case["case_id"]
    handler, leader, government = login("housing.handler"), login("housing.leader"), login("gov.leader")
    view = handler.get(f"/cases/{case_id}").json()
    latest = {o["department_id"]: o for o in view["joint_opinions"] if o["round"] == 2}
    assert latest["planning"]["decision"] == "disagree" and "建筑面积" in latest["planning"]["opinion"]
    assert latest["ecology"]["decision"] == "agree"
    assert {o["decision"] for o in view["joint_opinions"] if o["round"] == 1} == {"agree", "request_supplement"}
    assert view["extension_approver"] == "government_leader" and view["extension_max_days"] == 15

    assert handler.post(f"/cases/{case_id}/extensions", {"days": 16, "reason": "需现场踏勘"}).status_code == 422
    assert handler.post(f"/cases/{case_id}/extensions", {"days": 15, "reason": "需组织现场踏勘"}).status_code == 200
    refused = leader.post(f"/cases/{case_id}/extensions/1/decision", {"approve": True})
    assert refused.status_code == 403 and "市政府分管领导" in refused.json()["message"]
    assert case_id not in [r["case_id"] for r in leader.get("/department/extensions").json()["items"]]
    assert case_id in [r["case_id"] for r in government.get("/government/extensions").json()["items"]]
    approved = government.post(f"/cases/{case_id}/extensions/1/decision", {"approve": True, "note": "同意延长"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["extensions"][0]["status"] == "approved"
    assert government.get("/worklist").status_code == 403 and government.get(f"/cases/{part(case_id, 'planning', 1)}").status_code == 403


def test_the_lead_departments_unified_decision_page_shows_the_opinions(page, web, login, joint_case):
    case_id = joint_case["case_id"]
    web_login(page, web, "housing.handler")
    page.goto(f"{web}/cases/{case_id}")
    opinions = page.locator("[data-test=joint-opinions]")
    expect(opinions).to_contain_text("配合部门会签意见")
    expect(opinions).to_contain_text("市自然资源和规划局")
    expect(opinions).to_contain_text("建设工程规划许可证载明的建筑面积与施工图不一致")
    expect(opinions.locator("[data-test=joint-decision-planning]").first).to_have_text("不同意")
    expect(opinions.locator("[data-test=joint-decision-ecology]").first).to_have_text("同意")
    expect(page.locator("[data-test=action-panel]")).to_contain_text("承办")
    page.screenshot(path=str(ARTIFACTS / "joint-lead-opinions.png"), full_page=True)
    page.fill("[data-test=action-opinion]", "综合各配合部门意见：规划部门不同意，建议不予许可")
    page.click("[data-test=action-submit]")
    page.locator(".el-message-box__btns .el-button--primary").click()
    wait_for_status(login("housing.reviewer"), case_id, "review")
