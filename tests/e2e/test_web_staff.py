"""The staff office in headless Chromium against the local system: a window clerk registers a
walk-in application and prints the receipt; staff take it through every step while the handler
asks for an extension that the leader approves in the department view; the demo clock moves on
and the handler acknowledges the yellow card in the inbox; the city inspector finds an appeal with
the inbox's filters and reviews it.
Screenshots go to test-artifacts/web/ (staff-*.png)."""

from __future__ import annotations

import re

from tests.e2e import test_web as ui
from tests.e2e.conftest import wait_for_status
from tests.e2e.test_time_limits import move_clock, warnings_of
from tests.e2e.test_web import ITEM, expect

WALK_IN_ID = "11010519491231002X"


def choose(page, select: str, option: str) -> None:
    page.click(f"[data-test={select}]")
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def test_window_registers_a_walk_in_and_staff_take_it_through_every_step(page, web, files):
    ui.login(page, web, "market.window")
    page.goto(web + "/office/window")
    expect(page.locator("[data-test=breadcrumbs]")).to_contain_text("窗口代办")
    choose(page, "window-item", ITEM)
    page.fill("[data-test=walkin-name]", "王建国")
    page.fill("[data-test=walkin-id-number]", "110105194912310021")  # wrong check digit
    expect(page.locator("[data-test=walkin-id-hint]")).to_contain_text("校验位")
    page.fill("[data-test=walkin-phone]", "13912345678")
    for field in page.locator("[data-test^=walkin-form-]").all():
        field.fill("窗口代办" + (field.get_attribute("data-test") or "")[12:20])
    page.set_input_files("[data-test=walkin-upload-application] input[type=file]",
                         [str(files["食品经营许可申请书.pdf"]), str(files["经营场所照片.png"])])
    expect(page.locator("[data-test=walkin-upload-application] li[data-status=done]")).to_have_count(2)
    page.click("[data-test=walkin-submit]")
    expect(page.locator("[data-test=walkin-error]")).to_be_visible()  # refused here; nothing typed is lost
    expect(page.locator("[data-test=walkin-name]")).to_have_value("王建国")
    ui.shot(page, "staff-01-window-intake-error")

    page.fill("[data-test=walkin-id-number]", WALK_IN_ID)
    page.click("[data-test=walkin-submit]")
    ui.confirm(page)
    expect(page).to_have_url(re.compile(r"/office/receipt/SL"))
    case_id = page.inner_text("[data-test=walkin-receipt-case-id]")
    query_code = page.inner_text("[data-test=walkin-receipt-query-code]")
    assert re.fullmatch(r"\d{6}", query_code)
    expect(page.locator("[data-test=walkin-receipt]")).to_contain_text("王建国")
    expect(page.locator("[data-test=walkin-receipt]")).to_contain_text("食品经营许可申请书.pdf")
    page.emulate_media(media="print")  # the printed receipt: no top bar, no buttons
    expect(page.locator("[data-test=receipt-accept]")).to_be_hidden()
    ui.shot(page, "staff-02-receipt-print")
    page.emulate_media(media="screen")

    page.click("[data-test=receipt-accept]")  # 当场受理
    expect(page.locator("[data-test=walkin-receipt-status]")).to_have_text("承办中")
    ui.logout(page)

    # 承办: the clock panel, an extension requested (the leader approves it below), then the opinion.
    ui.login(page, web, "market.handler")
    ui.open_from_worklist(page, web, case_id, step_label="承办")
    expect(page.locator("[data-test=clock-panel] [data-test=clock-promised]")).to_be_visible()
    attachments = page.locator("[data-test=attachments-table] .el-table__row")
    attachments.filter(has_text="食品经营许可申请书.pdf").locator("[data-test^=preview-]").click()
    expect(page.locator("[data-test=preview-pdf]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-test=preview-dialog]")).to_be_hidden()
    attachments.filter(has_text="经营场所照片.png").locator("[data-test^=preview-]").click()
    image = page.locator("[data-test=preview-image]")
    expect(image).to_be_visible()
    page.wait_for_function("image => image.complete && image.naturalWidth === 1", arg=image.element_handle())
    page.keyboard.press("Escape")
    page.fill("[data-test=extension-reason]", "需组织现场核查")
    page.click("[data-test=extension-request]")
    ui.confirm(page)
    expect(page.locator("[data-test=extension-waiting]")).to_contain_text("待分管领导审批")
    expect(page.locator("[data-test=clock-extensions] [data-extension-status=requested]")).to_have_count(1)
    ui.shot(page, "staff-03-case-clock-and-extension")
    ui.act(page, "submit", "经现场核查，经营场所符合要求，建议准予许可")
    ui.logout(page)

    ui.login(page, web, "market.reviewer")
    ui.open_from_worklist(page, web, case_id, step_label="审核")
    ui.act(page, "pass", "同意")
    ui.logout(page)

    # The leader: the department's cases, the extension approved, then 批准.
    ui.login(page, web, "market.leader")
    page.goto(web + "/office/department")
    # The department's open cases, narrowed to the step this case waits at (other tests add cases to 市场监管局).
    page.click("[data-test=department-step]")
    page.locator(".el-select-dropdown__item:visible").get_by_text("批准", exact=True).click()
    expect(page.locator("[data-test=department-table]")).to_contain_text(case_id)
    ui.shot(page, "staff-04-department-cases")
    page.locator(".el-tabs__item", has_text="待审批延期").click()
    page.click(f"[data-test=decide-{case_id}]")
    page.fill("[data-test=extension-note]", "同意延期")
    page.click("[data-test=extension-approve]")
    ui.confirm(page)
    expect(page.locator("[data-test=extensions-table]")).not_to_contain_text(case_id)
    ui.open_from_worklist(page, web, case_id, step_label="批准")
    expect(page.locator("[data-test=clock-extensions] [data-extension-status=approved]")).to_have_count(1)
    ui.act(page, "approve", "准予许可")
    ui.logout(page)

    ui.login(page, web, "market.window")
    ui.open_from_worklist(page, web, case_id, step_label="办结")
    ui.act(page, "complete", "证书编号 JY14207000099，当场领取")
    expect(page.locator("[data-test=action-blocked]")).to_contain_text("已办结")
    ui.shot(page, "staff-05-case-completed")
    ui.logout(page)

    # The walk-in applicant follows the case with the receipt's number and code.
    page.click("[data-test=nav-track]")
    page.fill("[data-test=track-case-id]", case_id)
    page.fill("[data-test=track-query-code]", query_code)
    page.click("[data-test=track-submit]")
    expect(page.locator("body")).to_contain_text("已办结")


def test_handler_acknowledges_the_yellow_card_and_the_inspector_reviews_an_appeal(page, web, system, login):
    window, handler, leader = login("market.window"), login("market.handler"), login("market.leader")
    item = window.get(f"/catalog/{ITEM}").json()
    body = {
        "item_code": ITEM,
        "applicant": {"name": "李四", "id_number": WALK_IN_ID, "phone": "13912345678"},
        "form": {f["field_id"]: "超期演示" for f in item["form_fields"]},
    }
    created = window.post("/window/applications", body, key="e2e-walkin-yellow-0001")
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    wait_for_status(window, case_id, "accept")
    assert window.post(f"/cases/{case_id}/actions", {"action": "accept"}, key="e2e-walkin-yellow-accept").status_code == 200
    wait_for_status(handler, case_id, "handle")

    # Past the 1-working-day limit of 承办 and its supervision period: other tests move the shared
    # clock too, so it may sit before a holiday; step forward until both cards are out.
    for _ in range(10):
        move_clock(system, 3)
        try:
            cards = warnings_of(handler, case_id, until={"yellow", "red"}, timeout=5)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError(f"no yellow and red card for {case_id} after 30 days")
    yellow = next(w for w in cards if w["level"] == "yellow")
    red = next(w for w in cards if w["level"] == "red")

    ui.login(page, web, "market.handler")
    page.goto(web + "/office/inbox")
    row = page.locator("[data-test=inbox-table] .el-table__row", has_text=case_id).filter(has=page.locator("[data-level=yellow]"))
    expect(row).to_have_count(1)
    expect(page.locator("[data-test=inbox-open-count]")).to_be_visible()
    ui.shot(page, "staff-06-inbox-yellow-card")
    page.click(f"[data-test=card-acknowledge-{yellow['warning_id']}]")
    page.click("[data-test=card-submit]")
    ui.confirm(page)
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "acknowledged")
    ui.logout(page)

    appeal = leader.post(f"/warnings/{red['warning_id']}/actions", {"action": "appeal", "reason": "专家未按期出具意见"})
    assert appeal.status_code == 200, appeal.text

    ui.login(page, web, "inspector")
    page.goto(web + "/office/inbox")
    # The filters go to the server: the appealed red cards, however many pages of other warnings
    # the shared inbox holds before them.
    choose(page, "inbox-level", "红牌")
    choose(page, "inbox-status", "申诉中")
    rows = page.locator("[data-test=inbox-table] .el-table__row")
    expect(rows.filter(has=page.locator(f"[data-test=card-uphold-{red['warning_id']}]"))).to_have_count(1)
    expect(rows.filter(has_not=page.locator("[data-level=red]"))).to_have_count(0)
    expect(rows.filter(has_not=page.locator("[data-status=appealed]"))).to_have_count(0)
    page.click(f"[data-test=card-uphold-{red['warning_id']}]")
    page.click("[data-test=card-submit]")  # a reason is required: refused here, the dialog stays
    expect(page.locator("[data-test=card-error]")).to_contain_text("理由")
    page.fill("[data-test=card-reason]", "未在时限内启动特别程序，理由不成立")
    page.click("[data-test=card-submit]")
    ui.confirm(page)
    red_row = page.locator("[data-test=inbox-table] .el-table__row").filter(has=page.locator(f"[data-test=card-uphold-{red['warning_id']}]"))
    expect(red_row).to_have_count(0)  # decided: no more actions on it
    ui.shot(page, "staff-07-inspector-appeal-review")
