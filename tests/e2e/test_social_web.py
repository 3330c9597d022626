"""社会互动 in headless Chromium: a citizen complains (anonymously), the city inspector accepts and
dispatches, the department leader answers without seeing who complained, the inspector concludes,
the citizen rates the answer. Screenshots in test-artifacts/web/social-*.png."""

from __future__ import annotations

import re

from tests.e2e.conftest import demo_user
from tests.e2e.test_web import expect, login, logout, shot


def act(page, action: str, **fields: str) -> None:
    page.locator(f"[data-test=choose-{action}]").click()
    for name, value in fields.items():
        page.fill(f"[data-test=action-{name}]", value)
    page.click("[data-test=action-submit]")


def test_complaint_from_filing_to_rating(page, web, files):
    login(page, web, "citizen1")
    page.goto(web + "/complaints/new")
    page.locator("[data-test=complaint-department]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="市市场监督管理局").click()
    page.fill("[data-test=complaint-title]", "窗口工作人员推诿")
    page.fill("[data-test=complaint-content]", "11月23日在市场监管局窗口办理食品经营许可，工作人员多次推诿。")
    page.locator("[data-test=complaint-attachments] input[type=file]").set_input_files(str(files["营业执照副本.pdf"]))
    expect(page.locator("[data-test=complaint-attachments] li[data-status=done]")).to_have_count(1)
    page.locator("[data-test=complaint-anonymous]").click()
    shot(page, "social-complaint-form")
    page.click("[data-test=complaint-submit]")
    expect(page).to_have_url(re.compile(r"/my/complaints/TS\w+$"))
    complaint_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("[data-test=complaint-history] .el-timeline-item")).to_have_count(1)
    logout(page)

    login(page, web, "inspector")
    page.goto(web + "/complaints")
    row = page.locator("[data-test=complaint-queue] .el-table__row", has_text=complaint_id)
    expect(row).to_contain_text(demo_user("citizen1")["name"])  # inspectors always see the complainant
    shot(page, "social-inspector-queue")
    row.locator(f"[data-test=open-{complaint_id}]").click()
    act(page, "accept", note="予以受理")
    expect(page.locator("[data-test=complaint-facts] [data-status]")).to_have_text("已受理")
    act(page, "dispatch", note="请市场监管局核查答复")
    expect(page.locator("[data-test=complaint-facts] [data-status]")).to_have_text("已转办")
    logout(page)

    login(page, web, "market.leader")
    page.goto(web + "/department/complaints")
    row = page.locator("[data-test=complaint-queue] .el-table__row", has_text=complaint_id)
    expect(row).to_contain_text("匿名")
    row.locator(f"[data-test=open-{complaint_id}]").click()
    expect(page.locator("[data-test=complainant]")).to_have_text("匿名")
    act(page, "answer", answer="已约谈窗口工作人员，责令整改并向投诉人致歉。")
    expect(page.locator("[data-test=complaint-answer]")).to_contain_text("已约谈")
    expect(page.locator("body")).not_to_contain_text(demo_user("citizen1")["name"])
    shot(page, "social-department-answer")
    logout(page)

    login(page, web, "inspector")
    page.goto(web + f"/complaints/{complaint_id}")
    act(page, "conclude", conclusion="经核查投诉属实，部门已整改。")
    expect(page.locator("[data-test=complaint-facts] [data-status]")).to_have_text("已办结")
    logout(page)

    login(page, web, "citizen1")
    page.goto(web + f"/my/complaints/{complaint_id}")
    page.locator("[data-test=complaint-rating-score] .el-rate__item").nth(3).click()
    page.fill("[data-test=complaint-rating-comment]", "处理认真，满意")
    page.click("[data-test=complaint-rating-submit]")
    expect(page.locator("[data-test=complaint-rating]")).to_contain_text("处理认真")
    expect(page.locator("[data-test=complaint-history] .el-timeline-item")).to_have_count(6)
    shot(page, "social-citizen-rated")
    page.goto(web + "/my/notifications")
    expect(page.locator("[data-test=notifications] li").first).to_contain_text("投诉已办结")
    shot(page, "social-notifications")
