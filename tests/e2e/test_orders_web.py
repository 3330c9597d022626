"""督查督办 in the browser: a city inspector issues an order, the department's 监察室 answers it,
the inspector concludes it; the inspector log verifies; the city's 监察局 opens 待核查接入消息; a
district's 监察局 issues only to its levels' departments and is not offered the city's pages.
Screenshots in test-artifacts/web/."""

from __future__ import annotations

import re

from tests.e2e.test_web import expect, login, logout, shot


def test_issue_answer_conclude_in_the_browser(page, web):
    login(page, web, "inspector")
    page.locator("[data-test=nav-group-supervision]").hover()
    page.locator("[data-test=nav-orders]").click()
    expect(page).to_have_url(re.compile(r"/supervision-orders$"))
    page.click("[data-test=issue-order]")
    page.locator("[data-test=issue-source-kind]").get_by_text("投诉").click()
    page.fill("[data-test=issue-source-id]", "TS20261123WEB")
    page.fill("[data-test=issue-matter]", "短")  # too short: refused, the form keeps it
    page.click("[data-test=issue-submit]")
    expect(page.locator(".el-message--error")).to_contain_text("督办事项至少需要4个字符")
    expect(page.locator("[data-test=issue-source-id]")).to_have_value("TS20261123WEB")
    page.click("[data-test=issue-department]")
    page.locator(".el-select-dropdown__item:visible", has_text="市市场监督管理局").click()
    page.fill("[data-test=issue-matter]", "群众投诉办件超期未办结，请核查原因并整改")
    shot(page, "orders-issue-form")
    page.click("[data-test=issue-submit]")
    expect(page).to_have_url(re.compile(r"/supervision-orders/DB\d{8}[0-9A-F]{6}$"))
    order_url = page.url
    expect(page.locator("[data-test=order-status]")).to_have_text("已下达")
    page.go_back()
    expect(page.locator("[data-test=orders-table]")).to_contain_text("市市场监督管理局")  # names, not ids
    logout(page)

    login(page, web, "market.inspector")
    page.goto(order_url)
    page.locator("[data-test=order-action]").get_by_text("整改答复").click()
    page.fill("[data-test=order-text]", "已查明原因，承办人已整改并补办")
    page.click("[data-test=order-submit]")
    expect(page.locator("[data-test=order-status]")).to_have_text("已答复")
    expect(page.locator("[data-test=order-answer]")).to_contain_text("已查明原因")
    shot(page, "orders-answered-by-department")
    logout(page)

    login(page, web, "inspector")
    page.goto(order_url)
    page.locator("[data-test=order-conclusion-choice]").get_by_text("已整改").click()
    page.fill("[data-test=order-text]", "整改到位，予以办结")
    page.click("[data-test=order-submit]")
    expect(page.locator("[data-test=order-status]")).to_have_text("已办结")
    expect(page.locator("[data-test=order-history] .el-timeline-item")).to_have_count(3)
    shot(page, "orders-concluded")

    page.locator("[data-test=nav-group-supervision]").hover()
    page.locator("[data-test=nav-inspector-log]").click()
    expect(page.locator("[data-test=log-table] .el-table__row").first).to_be_visible()
    expect(page.locator("[data-test=log-action]").first).not_to_be_empty()
    page.click("[data-test=verify-log]")
    # The run goes on in the background: progress while it runs, then its result and who started it.
    expect(page.locator("[data-test=verify-result]")).to_contain_text("链完整", timeout=30_000)
    expect(page.locator("[data-test=verify-who]")).to_contain_text("郑国华")
    shot(page, "inspector-log-verified")
    page.reload()  # the latest run shows when the page opens
    expect(page.locator("[data-test=verify-result]")).to_contain_text("链完整")

    # 待核查接入消息: the inbound messages refused as malformed, for the city's 监察局.
    page.locator("[data-test=nav-group-supervision]").hover()
    page.locator("[data-test=nav-quarantine]").click()
    expect(page.locator("h1.page-title")).to_have_text("待核查接入消息")
    expect(page.locator("[data-test=quarantine-list]")).to_be_visible()
    expect(page.locator("[data-test=quarantine-error]")).to_have_count(0)
    logout(page)

    # 鄂城区监察局 (GET /me: a lower level's): no 下级监察机构; 督办 to its levels' departments only.
    login(page, web, "echeng.inspector")
    page.locator("[data-test=nav-group-evaluation]").hover()
    expect(page.locator("[data-test=nav-evaluation-rankings]")).to_be_visible()
    expect(page.locator("[data-test=nav-evaluation-bureaus]")).to_have_count(0)
    page.goto(web + "/supervision-orders")
    page.click("[data-test=issue-order]")
    page.click("[data-test=issue-department]")
    options = page.locator(".el-select-dropdown__item:visible")
    expect(options).to_have_count(3)  # 鄂城区, 凤凰街道, 滨湖社区: from GET /departments?government=420704
    expect(options.filter(has_text="鄂城区市场监督管理局")).to_have_count(1)
    expect(options.filter(has_text="市市场监督管理局")).to_have_count(0)
    shot(page, "orders-issue-form-district")
