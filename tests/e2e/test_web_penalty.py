"""The party of a penalty case in headless Chromium against the local system: the department has
registered, investigated and notified (over HTTP); the party signs in, finds the case with the
notice's case number, query code and their id number, reads the intended penalty and asks for a
hearing; the handler then sees the request and the hearing-notice fields.
Screenshots go to test-artifacts/web/ (penalty-*.png)."""

from __future__ import annotations

import re

from tests.e2e import test_web as ui
from tests.e2e.test_penalty_flow import investigate_and_notify, register_penalty, wait_at_statement
from tests.e2e.test_web import expect


def test_the_party_finds_the_case_and_requests_a_hearing_online(page, web, login, public):
    window, handler = login("market.window"), login("market.handler")
    case_id, query_code = register_penalty(window, public)
    investigate_and_notify(handler, case_id)
    wait_at_statement(handler, case_id)

    ui.login(page, web, "citizen1")
    page.goto(web + "/my/cases")
    page.click("[data-test=claim-link]")
    page.fill("[data-test=claim-case-id]", case_id)
    page.fill("[data-test=claim-query-code]", query_code)
    page.fill("[data-test=claim-id-number]", "110105194912310029")  # not the party's
    page.click("[data-test=claim-submit]")
    expect(page.locator("[data-test=claim-error]")).to_contain_text("证件号码")
    page.fill("[data-test=claim-id-number]", "11010519491231002X")
    page.click("[data-test=claim-submit]")
    expect(page).to_have_url(re.compile(rf"/my/cases/{case_id}$"))
    panel = page.locator("[data-test=statement-panel]")
    expect(panel.locator("[data-test=notice-text]")).to_contain_text("拟处罚款8000元")
    expect(panel.locator("[data-test=statement-due]")).to_contain_text("前提出")
    ui.shot(page, "penalty-01-statement")

    page.click("[data-test=statement-request_hearing]")
    page.fill("[data-test=statement-text]", "对违法事实有异议，申请听证。")
    page.click("[data-test=statement-submit]")
    ui.confirm(page)
    expect(page.locator("[data-test=statement-panel]")).to_be_hidden()
    expect(ui.timeline(page).filter(has_text="申请听证")).to_have_count(1)
    expect(page.locator("[data-test=timeline]")).not_to_contain_text("执法人员")  # the investigation stays internal
    ui.shot(page, "penalty-02-hearing-requested")
    ui.logout(page)

    ui.login(page, web, "market.handler")
    ui.open_from_worklist(page, web, case_id, step_label="听证通知")
    expect(ui.timeline(page).filter(has_text="申请听证")).to_contain_text("对违法事实有异议")
    expect(page.locator("[data-test=timeline] [data-test=penalty-details]").first).to_contain_text("周敏")
    expect(page.locator("[data-test=hearing-at]")).to_be_visible()
    expect(page.locator("[data-test=hearing-place]")).to_be_visible()
    ui.shot(page, "penalty-03-hearing-notice")
