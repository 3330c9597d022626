"""The leader's 双随机抽查 page in headless Chromium against the local system: a plan is pasted in,
drawn and opened as its draw record (seed, the drawn subjects with two officers each, the check
that the draw comes out the same from its record); the handler's action panel is prefilled with
the drawn officers. Screenshots go to test-artifacts/web/ (inspection-*.png)."""

from __future__ import annotations

import re
import uuid

from tests.e2e import test_web as ui
from tests.e2e.test_web import expect
from tests.e2e.test_web_staff import choose


def test_a_leader_draws_a_plan_and_sees_its_record(page, web):
    stem = uuid.uuid4().hex[:4].upper().replace("I", "1").replace("O", "0")
    subjects = "\n".join(f"页面第{n + 1}食品店，9142070{n}MA4K{stem}00，鄂州市页面路{n + 1}号，1380013800{n}" for n in range(6))
    ui.login(page, web, "market.leader")
    expect(page.locator("[data-test=nav-inspection-plans]")).to_have_count(1)  # in the 办公 menu
    page.goto(web + "/inspection/plans")
    expect(page.locator("[data-test=breadcrumbs]")).to_contain_text("双随机抽查计划")
    choose(page, "plan-item", "食品经营者监督检查（双随机抽查）")
    page.fill("[data-test=plan-name]", f"页面测试双随机抽查{stem}")
    page.fill("[data-test=plan-subjects]", subjects + "\n格式不对的一行")
    page.fill("[data-test=plan-officers]", "张执法，WEB0001\n李执法，WEB0002\n王执法，WEB0003")
    page.click("[data-test=plan-submit]")
    expect(page.locator("[data-test=plan-subjects]").locator("xpath=../..")).to_contain_text("第 7 行格式不对")
    page.fill("[data-test=plan-subjects]", subjects)
    expect(page.locator("[data-test=plan-listed]")).to_have_text("名录共 6 户、执法人员 3 人")
    page.fill("[data-test=plan-count] input", "2")
    ui.shot(page, "inspection-01-plan-form")
    page.click("[data-test=plan-submit]")
    ui.confirm(page)

    expect(page).to_have_url(re.compile(r"/inspection/plans/JC"))
    expect(page.locator("[data-test=draw-check]")).to_have_text("按记录复核：抽取结果一致")
    expect(page.locator("[data-test=draw-seed]")).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    rows = page.locator("[data-test=drawn-cases] .el-table__body tr")
    expect(rows).to_have_count(2)
    for row in rows.all():
        assert len(re.findall(r"（WEB000\d）", row.inner_text())) == 2
    expect(page.locator("[data-test=subject-pool] .el-tag")).to_have_count(2)  # the two drawn are marked in the list
    ui.shot(page, "inspection-02-draw-record")
    case_id = page.locator("[data-test=drawn-case]").first.inner_text()
    page.goto(web + "/inspection/plans")
    expect(page.locator("[data-test=plan-list]")).to_contain_text(f"页面测试双随机抽查{stem}")
    ui.logout(page)

    ui.login(page, web, "market.handler")
    page.goto(web + f"/cases/{case_id}")
    expect(page.locator("[data-test=timeline]")).to_contain_text("随机抽取，立案检查")
    expect(page.locator("[data-test=officers-editor]")).to_be_visible()
    assert page.input_value("[data-test=officer-certificate_number-0]").startswith("WEB000")
    assert page.input_value("[data-test=officer-certificate_number-1]").startswith("WEB000")
    ui.shot(page, "inspection-03-inspect-panel")
    page.fill("[data-test=action-opinion]", "现场检查：进货查验记录不全。")
    page.click("[data-test=action-submit]")
    ui.confirm(page)
    expect(page.locator("[data-test=timeline-officers]")).to_contain_text("WEB000")
    ui.logout(page)

    ui.login(page, web, "market.leader")  # 检查结果: 责令整改 with its deadline
    page.goto(web + f"/cases/{case_id}")
    page.click("[data-test=decision-rectify]")
    page.click("[data-test=action-submit]")
    expect(page.locator("[data-test=action-panel]")).to_contain_text("请选择整改期限")
    page.fill("[data-test=rectification-due] input", "2030-01-31")
    page.keyboard.press("Enter")
    page.fill("[data-test=action-opinion]", "进货查验记录不全，责令限期整改。")
    page.click("[data-test=action-submit]")
    ui.confirm(page)
    expect(page.locator("[data-test=timeline]")).to_contain_text("整改期限：2030")
    ui.shot(page, "inspection-04-rectify")
    ui.logout(page)


def test_the_public_sees_the_inspection_results_page(page, web):
    page.goto(web + "/catalog")
    page.click("[data-test=nav-inspection-results]")
    expect(page.locator("h1")).to_have_text("双随机抽查结果公示")
    expect(page.locator("[data-test=inspection-results]")).to_be_visible()
