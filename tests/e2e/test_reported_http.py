"""上报件 (行政许可法 第三十五条, 第四十三条) over HTTP through the local system with real staff logins,
and its pages in headless Chromium.

The citizen applies for the seeded 420704-XK-0251 (食品生产许可, received by 鄂城区市场监督管理局 and
decided by 市市场监督管理局). The district's window accepts, its handler reviews first, its leader
reports; the city's handler finds the part case in the worklist, reads the materials without asking
the applicant (and may not ask: no 补正 above), the city's reviewer passes and leader approves; the
decision comes back down to the district's window, which issues it. The applicant sees one case,
with the upper level's progress in Chinese. Screenshots go to test-artifacts/web/ (reported-*.png)."""

from __future__ import annotations

import time

import pytest
import requests

from tests.e2e.conftest import ARTIFACTS, Client, expect, new_key, wait_for_status
from tests.e2e.test_api_flow import APPLICANT, act, upload
from tests.e2e.test_web import login as web_login
from tests.e2e.test_web import logout as web_logout

ITEM = "420704-XK-0251"


def upper(case_id: str) -> str:
    return f"{case_id}_up"  # sunlight.models.reported.upper_case_id


def wait_until(client: Client, path: str, check, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path)
        if response.status_code == 200 and check(response.json()):
            return response.json()
        assert time.monotonic() < deadline, response.text
        time.sleep(0.1)


@pytest.fixture(scope="module")
def reported_case(login, public):
    """A case taken from the district up to the city's 承办 (its part case in the city's worklist)."""
    detail = public.get(f"/catalog/{ITEM}").json()
    assert detail["flow"] == "reported" and detail["upper_department_id"] == "market"
    citizen = login("citizen1")
    form = {f["field_id"]: f"测试{f['label']}"[: f.get("max_length", 200)] for f in detail["form_fields"]}
    applied = citizen.post("/applications", {"item_code": ITEM, "applicant": APPLICANT, "form": form,
                                             "upload_ids": [upload(citizen, "食品生产许可申请书.pdf")]}, key=new_key())
    assert applied.status_code == 201, applied.text
    case_id = applied.json()["case_id"]
    window, handler, leader = (login(f"echeng-market.{role}") for role in ("window", "handler", "leader"))
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    wait_for_status(handler, case_id, "preliminary_review")
    assert act(handler, case_id, action="submit").status_code == 422  # the preliminary opinion is required
    assert act(handler, case_id, action="submit", opinion="经现场核查，生产场所和设备符合要求，建议准予许可").status_code == 200
    wait_for_status(leader, case_id, "report")
    assert act(login("echeng-market.reviewer"), case_id, action="report", opinion="越权上报").status_code == 403
    assert act(leader, case_id, action="report", opinion="同意初审意见，报市市场监督管理局审批").status_code == 200
    city = login("market.handler")
    wait_for_status(city, upper(case_id), "handle")
    return {"case_id": case_id}


def test_the_city_works_the_part_case_from_its_worklist_with_the_districts_materials(login, reported_case):
    case_id = reported_case["case_id"]
    city, district = login("market.handler"), login("echeng-market.handler")
    assert upper(case_id) in [c["case_id"] for c in city.get("/worklist", params={"role": "handler"}).json()["items"]]
    assert upper(case_id) not in [c["case_id"] for c in district.get("/worklist").json()["items"]]
    assert district.get(f"/cases/{upper(case_id)}").status_code == 403
    part = city.get(f"/cases/{upper(case_id)}").json()
    assert part["department_name"] == "市市场监督管理局" and part["parent_case_id"] == case_id
    assert part["reported_from"]["department_name"] == "鄂城区市场监督管理局"
    assert part["reported_from"]["preliminary_opinion"].startswith("经现场核查")
    assert part["reported_from"]["report_opinion"] == "同意初审意见，报市市场监督管理局审批"
    # 第三十五条: the materials went up with the report; the city reads them without asking the applicant.
    [attachment] = part["attachments"]
    link = wait_until(city, f"/cases/{upper(case_id)}/attachments/{attachment['attachment_id']}", lambda body: "url" in body)
    assert requests.get(link["url"], timeout=10).content == b"%PDF-1.4 e2e"
    lower = district.get(f"/cases/{case_id}").json()
    assert lower["status"] == "reported" and lower["actionable"] is False
    assert lower["upper_progress"]["text"] == "已上报市市场监督管理局审批，当前环节：承办"


def test_the_applicant_sees_one_case_with_the_upper_progress_in_chinese(login, reported_case):
    citizen, case_id = login("citizen1"), reported_case["case_id"]
    mine = [c["case_id"] for c in citizen.get("/my/cases", params={"limit": 50}).json()["items"]]
    assert case_id in mine and upper(case_id) not in mine
    assert citizen.get(f"/my/cases/{upper(case_id)}").status_code == 404
    view = citizen.get(f"/my/cases/{case_id}").json()
    assert view["status_label"] == "已上报上级审批"
    assert view["upper_progress"]["text"] == "已上报市市场监督管理局审批，当前环节：承办"


def test_the_pages_show_the_report_and_the_progress_in_chinese(page, web, reported_case):
    case_id = reported_case["case_id"]
    web_login(page, web, "market.handler")
    page.goto(f"{web}/cases/{upper(case_id)}")
    reported = page.locator("[data-test=reported-from]")
    expect(reported).to_contain_text("鄂城区市场监督管理局")
    expect(reported).to_contain_text("同意初审意见，报市市场监督管理局审批")
    expect(page.locator("[data-test=action-panel]")).to_contain_text("承办")
    expect(page.locator("[data-test=joint-part]")).to_have_count(0)  # not a joint case's 会签分件
    expect(page.locator("[data-test=extension-part]")).to_have_count(0)  # not a 会签分件: it may be extended
    expect(page.locator("[data-test=extension-upper]")).to_contain_text("行政许可法第四十二条")
    expect(page.locator("[data-test=form-values]")).to_contain_text("企业（单位）名称")
    page.screenshot(path=str(ARTIFACTS / "reported-upper-part.png"), full_page=True)
    web_logout(page)
    web_login(page, web, "citizen1")
    page.goto(f"{web}/my/cases/{case_id}")
    progress = page.locator("[data-test=upper-progress]")
    expect(progress).to_contain_text("已上报市市场监督管理局审批，当前环节：承办")
    expect(page.locator(".el-step__title.is-process")).to_have_text("承办")  # the upper level's step, not 上报 again
    expect(page.locator("[data-test=form-values]")).to_contain_text("企业（单位）名称")
    expect(page.locator("[data-action=submit]")).to_contain_text("提交初审意见")
    body = page.locator("body").inner_text()
    assert "reported" not in body and "preliminary_review" not in body and "_up" not in body
    page.screenshot(path=str(ARTIFACTS / "reported-applicant.png"), full_page=True)
    page.goto(f"{web}/catalog/{ITEM}")
    expect(page.locator("[data-test=item-flow]")).to_have_text("上报件")
    expect(page.locator("[data-test=item-upper-department]")).to_contain_text("报市市场监督管理局作出决定")


def test_the_city_leader_extends_the_upper_part_and_the_applicants_date_moves(login, reported_case):
    # 行政许可法 第四十二条: the deciding organ's head extends its 20 days by up to 10; the applicant's
    # one case moves with it and tells the reason. Only the city's leader decides it.
    case_id, citizen = reported_case["case_id"], login("citizen1")
    before = citizen.get(f"/my/cases/{case_id}").json()
    handler, leader = login("market.handler"), login("market.leader")
    assert handler.post(f"/cases/{upper(case_id)}/extensions", {"days": 11, "reason": "需专家评审"}).status_code == 422
    assert handler.post(f"/cases/{upper(case_id)}/extensions", {"days": 2, "reason": "需组织专家评审生产工艺"}).status_code == 200
    assert upper(case_id) in [r["case_id"] for r in leader.get("/department/extensions").json()["items"]]
    refused = login("echeng-market.leader").post(f"/cases/{upper(case_id)}/extensions/1/decision", {"approve": True})
    assert refused.status_code == 403 and "第四十二条" in refused.json()["message"]
    approved = leader.post(f"/cases/{upper(case_id)}/extensions/1/decision", {"approve": True, "note": "同意"})
    assert approved.status_code == 200, approved.text
    after = citizen.get(f"/my/cases/{case_id}").json()
    assert after["legal_due_on"] > before["legal_due_on"] and after["promised_due_on"] > before["promised_due_on"]
    told = after["timeline"][-1]
    assert (told["action"], told["opinion"], told["details"]["days"]) == ("extension_approved", "需组织专家评审生产工艺", 2)


def test_the_city_decides_without_asking_for_material_and_the_district_issues_it(login, reported_case):
    case_id = reported_case["case_id"]
    handler, reviewer, leader = (login(f"market.{role}") for role in ("handler", "reviewer", "leader"))
    refused = act(handler, upper(case_id), action="request_supplement", missing_materials=["营业执照"])
    assert refused.status_code == 409, refused.text
    assert act(handler, upper(case_id), action="submit", opinion="材料齐全，符合食品生产许可条件").status_code == 200
    wait_for_status(reviewer, upper(case_id), "review")
    assert act(reviewer, upper(case_id), action="pass", opinion="同意").status_code == 200
    wait_for_status(leader, upper(case_id), "approve")
    assert act(leader, upper(case_id), action="approve", opinion="准予食品生产许可").status_code == 200

    window = login("echeng-market.window")
    lower = wait_for_status(window, case_id, "complete")
    assert lower["decision_text"] == "准予食品生产许可" and lower["upper_progress"]["decided"] is True
    assert act(window, case_id, action="complete", opinion="食品生产许可证 SC10642070400001，已电子送达").status_code == 200
    done = wait_for_status(window, case_id, "completed")
    assert [(e["action"], e["to_state"]) for e in done["timeline"]] == [
        ("apply", "submitted"), ("dispatch", "accept"), ("accept", "preliminary_review"), ("submit", "report"),
        ("report", "reported"), ("extension_approved", "reported"), ("approve", "complete"), ("complete", "completed"),
    ]
    assert wait_for_status(leader, upper(case_id), "completed")["decision_text"] == "准予食品生产许可"
    mine = login("citizen1").get(f"/my/cases/{case_id}").json()
    assert mine["status_label"] == "已办结" and mine["upper_progress"]["text"].startswith("市市场监督管理局已作出审批决定（批准）")
