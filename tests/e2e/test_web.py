"""The SPA in headless Chromium against the running local system: a citizen applies with an
attachment and follows the case; staff take it through every step; the 补正 loop; an inspector.

Chromium is Debian's /usr/bin/chromium (`make test` installs it when missing; no browser is ever
downloaded). Playwright's launch() gives every run a fresh, temporary user-data-dir. Screenshots
of the main views go to test-artifacts/web/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import requests

from tests.e2e.conftest import ARTIFACTS, PDF, PNG, USERS, demo_user, expect  # noqa: F401  (expect: for other modules)

ITEM = "420700-XK-0201"  # 食品经营许可, 市市场监督管理局


# --- helpers ----------------------------------------------------------------------------------


def shot(page, name: str) -> None:
    page.wait_for_timeout(150)  # let transitions settle
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, web: str, username: str) -> None:
    """Signs in through the login page (reached in the SPA when already open, which is faster)."""
    sign_in = page.locator("[data-test=nav-login]")
    if page.url.startswith(web) and sign_in.count():
        sign_in.click()
    else:
        page.goto(web + "/login")
    page.fill("[data-test=login-username]", username)
    page.fill("[data-test=login-password]", USERS["password"])
    page.click("[data-test=login-submit]")
    expect(page.locator("[data-test=user-name]")).to_have_text(demo_user(username)["name"])
    expect(page).not_to_have_url(re.compile(r"/login"))  # the redirect after signing in is done


def logout(page) -> None:
    page.click("[data-test=logout]")
    expect(page.locator("[data-test=nav-login]")).to_be_visible()


def confirm(page) -> None:
    """OK in the confirmation box (an earlier box may still be fading out)."""
    page.locator(".el-overlay-message-box:visible .el-button--primary").last.click()


def timeline(page):
    return page.locator("[data-test=timeline] .el-timeline-item")


def open_from_worklist(page, web: str, case_id: str, *, step_label: str) -> None:
    """Opens the case from the worklist, refreshing until the state machine has put it there."""
    if "/worklist" not in page.url:  # signing in lands staff on the worklist
        page.click("[data-test=nav-worklist]")
    row = page.locator("[data-test=worklist-table] .el-table__row", has_text=case_id)
    deadline = time.monotonic() + 15
    refresh_at = time.monotonic() + 2
    while not row.count() and time.monotonic() < deadline:
        if time.monotonic() > refresh_at:
            page.click("[data-test=worklist-refresh]")
            refresh_at = time.monotonic() + 2
        page.wait_for_timeout(100)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(step_label)
    expect(row.locator("[data-due]")).to_have_attribute("data-due", re.compile("normal|near|overdue"))
    row.locator(f"[data-test=handle-{case_id}]").click()
    expect(page.locator("[data-test=action-panel] h2")).to_contain_text(step_label)


def act(page, decision: str, opinion: str | None = None, *, missing: list[str] = ()) -> None:
    """One step's action in the action panel; waits until the case has moved on."""
    before = timeline(page).count()
    page.click(f"[data-test=decision-{decision}]")
    for index, name in enumerate(missing):
        if index:
            page.click("[data-test=missing-add]")
        page.fill(f"[data-test=missing-{index}]", name)
    if opinion is not None:
        page.fill("[data-test=action-opinion]", opinion)
    page.click("[data-test=action-submit]")
    confirm(page)
    expect(timeline(page)).to_have_count(before + 1)


def fill_application(page, *, phone: str) -> None:
    page.fill("[data-test=applicant-id-number]", "11010519491231002X")
    page.fill("[data-test=applicant-phone]", phone)
    page.fill("[data-test=applicant-address]", "市江南大道88号")
    for field in page.locator("[data-test^=form-]").all():
        field.fill("网页测试" + (field.get_attribute("data-test") or "")[5:12])


def apply_in_browser(page, web: str, upload: Path) -> tuple[str, str]:
    page.goto(f"{web}/catalog/{ITEM}")
    page.click("[data-test=item-apply]")
    fill_application(page, phone="13800138000")
    page.set_input_files("[data-test=upload-application] input[type=file]", str(upload))
    expect(page.locator("[data-test=upload-application] li[data-status=done]")).to_have_count(1)
    page.click("[data-test=apply-submit]")
    confirm(page)  # the other required materials are not uploaded: go on
    return page.inner_text("[data-test=receipt-case-id]"), page.inner_text("[data-test=receipt-query-code]")


# --- tests ------------------------------------------------------------------------------------


def test_the_site_is_served_with_the_distributions_headers_and_csp(system, browser, web):
    """The headers of the stack's response headers policy, localized: the API and moto (Cognito,
    S3) where the deployed policy names execute-api, cognito-idp and the attachments bucket."""
    for path in ("/", "/worklist", "/config.json"):
        headers = requests.get(web + path, timeout=10).headers
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # plain http locally
        directives = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split(";")}
        assert directives["script-src"] == ["'self'"]
        assert directives["connect-src"] == ["'self'", f"{system.api_url}/", system.moto_url]
        assert directives["img-src"] == ["'self'", "data:", system.moto_url]
        assert "amazonaws" not in headers["Content-Security-Policy"]
    # Enforced: the browser blocks (and reports) a request the policy does not allow.
    context = browser.new_context()
    page = context.new_page()
    page.goto(web + "/")
    blocked = page.evaluate("""() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective))
      fetch('https://example.com/').catch(() => {})
    })""")
    context.close()
    assert blocked == "connect-src"


def test_public_catalog_filters_pages_and_item_detail(page, web, system):
    page.goto(web + "/")
    rows = page.locator("[data-test=catalog-table] .el-table__row")
    expect(rows).to_have_count(20)
    shot(page, "01-catalog")

    page.click("[data-test=pager-next]")
    expect(page.locator("[data-test=pager-page]")).to_have_text("第 2 页")
    expect(rows).to_have_count(20)
    page.click("[data-test=pager-prev]")
    expect(page.locator("[data-test=pager-page]")).to_have_text("第 1 页")

    page.click("[data-test=catalog-department]")
    page.locator(".el-select-dropdown__item:visible", has_text="市市场监督管理局").click()
    page.fill("[data-test=catalog-q]", "食品")
    page.click("[data-test=catalog-search]")
    expect(rows.first).to_contain_text("市市场监督管理局")
    for row in rows.all():
        expect(row).to_contain_text("食品")
        expect(row).to_contain_text("市市场监督管理局")
    assert "department=market" in page.url

    rows.filter(has_text=ITEM).locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("食品经营许可")
    expect(page.locator("[data-test=legal-basis]")).not_to_be_empty()
    expect(page.locator("[data-test=materials-table] .el-table__row").first).to_be_visible()
    # 办理流程: the steps of the item's state machine, each with who acts and the item's own limit.
    item = requests.get(f"{system.api_url}/catalog/{ITEM}", timeout=10).json()
    chart = page.locator("[data-test=flow-chart]")
    expect(chart.locator("[data-test=flow-step-name]")).to_have_text(["受理", "补正材料", "承办", "审核", "批准", "办结"])
    for step, label in (("accept", "受理"), ("handle", "承办"), ("review", "审核"), ("approve", "批准"), ("complete", "办结")):
        card = chart.locator("[data-test=flow-step]", has=page.locator("[data-test=flow-step-name]", has_text=re.compile(f"^{label}$")))
        expect(card.locator("[data-test=flow-step-limit]")).to_have_text(f"时限：{item['step_limit_days'][step]}个工作日")
    expect(chart).to_contain_text("要求补正")
    expect(chart).to_contain_text("退回承办")
    expect(chart.locator("[data-test=flow-ends]")).to_contain_text("不予受理")
    shot(page, "02-item")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the chart wraps, nothing runs off the side
    chart.scroll_into_view_if_needed()
    assert chart.evaluate("el => el.scrollWidth <= el.clientWidth")
    shot(page, "02-item-phone")


def test_sign_in_errors_are_shown_in_chinese(page, web):
    page.goto(web + "/my/cases")
    expect(page).to_have_url(re.compile(r"/login\?redirect="))
    page.fill("[data-test=login-username]", "citizen1")
    page.fill("[data-test=login-password]", "wrong-password")
    page.click("[data-test=login-submit]")
    expect(page.locator("[data-test=login-error]")).to_contain_text("用户名或密码错误")
    page.fill("[data-test=login-password]", USERS["password"])
    page.click("[data-test=login-submit]")
    # The whole address: "/login?redirect=/my/cases" ends in "/my/cases" too, before the sign-in is done.
    expect(page).to_have_url(f"{web}/my/cases")
    page.goto(web + "/worklist")  # a citizen is no staff member
    expect(page.locator(".el-result")).to_contain_text("无权访问")


def test_citizen_applies_then_staff_take_the_case_through_every_step(page, web, files):
    # The citizen applies. A wrong phone number is refused next to its field; nothing typed is lost.
    login(page, web, "citizen1")
    page.goto(f"{web}/catalog/{ITEM}")
    page.click("[data-test=item-apply]")
    expect(page).to_have_url(re.compile(f"/apply/{ITEM}$"))
    fill_application(page, phone="12345")
    page.set_input_files("[data-test=upload-application] input[type=file]", str(files["食品经营许可申请书.pdf"]))
    expect(page.locator("[data-test=upload-application] li[data-status=done]")).to_have_count(1)
    page.set_input_files("[data-test=upload-other] input[type=file]", str(files["病毒.exe"]))
    expect(page.locator("[data-test=upload-other] li[data-status=failed]")).to_contain_text("仅支持上传")
    page.locator("[data-test=upload-other] li[data-status=failed] button", has_text="删除").click()
    page.click("[data-test=apply-submit]")
    confirm(page)
    expect(page.locator("[data-test=apply-error]")).to_contain_text("联系电话的格式不正确")
    phone_item = page.locator(".el-form-item", has=page.locator("[data-test=applicant-phone]"))
    expect(phone_item.locator(".el-form-item__error")).to_have_text("联系电话的格式不正确")
    expect(page.locator("[data-test=applicant-id-number]")).to_have_value("11010519491231002X")
    expect(page.locator("[data-test=upload-application] li[data-status=done]")).to_have_count(1)
    shot(page, "03-apply-field-error")
    page.reload()  # the draft of this tab survives a reload (or signing in again)
    expect(page.locator("[data-test=applicant-phone]")).to_have_value("12345")
    expect(page.locator("[data-test=applicant-address]")).to_have_value("市江南大道88号")
    expect(page.locator("[data-test=upload-application] li[data-status=done]")).to_contain_text("食品经营许可申请书.pdf")

    page.fill("[data-test=applicant-phone]", "13800138000")
    page.click("[data-test=apply-submit]")
    confirm(page)
    case_id = page.inner_text("[data-test=receipt-case-id]")
    query_code = page.inner_text("[data-test=receipt-query-code]")
    assert re.fullmatch(r"SL\d{8}[A-Z0-9]+", case_id) and re.fullmatch(r"\d{6}", query_code)
    shot(page, "04-receipt")

    page.click("[data-test=receipt-view-case]")
    expect(page.locator("[data-test=case-facts]")).to_contain_text(query_code)
    expect(page.locator("[data-test=attachments-table]")).to_contain_text("食品经营许可申请书.pdf")
    expect(page.locator("[data-test=timeline]")).to_contain_text("提交申请")
    page.click("[data-test=nav-my-cases]")
    expect(page.locator("[data-test=my-cases-table]")).to_contain_text(case_id)
    shot(page, "05-my-cases")
    logout(page)

    # 受理 by the window, with the attachment downloaded first.
    login(page, web, "market.window")
    expect(page.locator("[data-test=user-department]")).to_have_text("市市场监督管理局")
    page.click("[data-test=nav-worklist]")
    expect(page.locator("[data-test=worklist-table] .el-table__row").first).to_be_visible()
    shot(page, "06-worklist")
    open_from_worklist(page, web, case_id, step_label="受理")
    expect(page.locator("[data-test=applicant]")).to_contain_text("110***********002X")
    with page.expect_download() as download:
        page.locator("[data-test^=download-]").first.click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert download.value.suggested_filename == "食品经营许可申请书.pdf"
    shot(page, "07-case-accept")
    act(page, "accept", "材料齐全，符合法定形式，予以受理")
    expect(page.locator("[data-test=action-blocked]")).to_contain_text("承办人")
    logout(page)

    # 承办, 审核 退回, 承办 again, 审核通过, 批准, 办结.
    login(page, web, "market.handler")
    open_from_worklist(page, web, case_id, step_label="承办")
    page.click("[data-test=action-submit]")  # 承办意见 is required: checked before sending
    expect(page.locator("[data-test=action-panel] .el-form-item__error")).to_contain_text("请填写承办意见")
    act(page, "submit", "经现场核查，经营场所符合要求，建议准予许可")
    logout(page)

    login(page, web, "market.reviewer")
    open_from_worklist(page, web, case_id, step_label="审核")
    act(page, "return", "请补充现场核查记录")
    logout(page)

    login(page, web, "market.handler")
    open_from_worklist(page, web, case_id, step_label="承办")
    act(page, "submit", "已补充现场核查记录，建议准予许可")
    logout(page)

    login(page, web, "market.reviewer")
    open_from_worklist(page, web, case_id, step_label="审核")
    act(page, "pass", "同意")
    logout(page)

    login(page, web, "market.leader")
    open_from_worklist(page, web, case_id, step_label="批准")
    shot(page, "08-case-approve")
    act(page, "approve", "准予许可")
    logout(page)

    login(page, web, "market.window")
    open_from_worklist(page, web, case_id, step_label="办结")
    act(page, "complete", "证书编号 JY14207000001，已邮寄送达")
    expect(page.locator("[data-test=action-blocked]")).to_contain_text("已办结")
    expect(page.locator("[data-test=result-text]")).to_have_text("证书编号 JY14207000001，已邮寄送达")
    actions = [item.get_attribute("data-action") for item in page.locator("[data-test=timeline] [data-action]").all()]
    assert actions == ["apply", "dispatch", "accept", "submit", "return", "submit", "pass", "approve", "complete"]
    expect(page.locator("[data-test=timeline]")).to_contain_text(demo_user("market.leader")["name"])
    shot(page, "09-case-completed")
    logout(page)

    # Anyone can follow it with the case number and query code; clerks' names stay private.
    page.click("[data-test=nav-track]")
    page.fill("[data-test=track-case-id]", case_id)
    page.fill("[data-test=track-query-code]", "000000")
    page.click("[data-test=track-submit]")
    expect(page.locator("[data-test=track-error]")).to_have_text("办件编号或查询码不正确，请核对后重试。")
    page.fill("[data-test=track-query-code]", query_code)
    page.click("[data-test=track-submit]")
    result = page.locator("[data-test=track-result]")
    expect(result).to_contain_text("已办结")
    expect(result).to_contain_text("证书编号 JY14207000001")
    expect(page.locator("[data-test=timeline]")).to_contain_text("经办人员")
    expect(page.locator("[data-test=timeline]")).not_to_contain_text(demo_user("market.leader")["name"])
    shot(page, "10-track")

    # The inspector sees the whole case, names included, and cannot act.
    login(page, web, "inspector")
    expect(page).to_have_url(re.compile(r"/track"))  # back where the sign-in started
    page.click("[data-test=nav-inspect]")
    page.fill("[data-test=inspect-case-id]", "SL20990101ZZZZZZ")
    page.click("[data-test=inspect-submit]")
    expect(page.locator("[data-test=inspect-error]")).to_have_text("未找到该办件，请核对办件编号。")
    page.fill("[data-test=inspect-case-id]", case_id)
    page.click("[data-test=inspect-submit]")
    expect(page.locator("[data-test=case-id]")).to_have_text(case_id)
    expect(page.locator("[data-test=timeline]")).to_contain_text(demo_user("market.reviewer")["name"])
    expect(page.locator("[data-test=action-panel]")).to_have_count(0)
    shot(page, "11-inspector")


def test_supplement_loop_in_the_browser(page, web, files):
    login(page, web, "citizen2")
    case_id, _ = apply_in_browser(page, web, files["食品经营许可申请书.pdf"])
    logout(page)

    # The window asks, all at once, for what is missing.
    login(page, web, "market.window")
    open_from_worklist(page, web, case_id, step_label="受理")
    page.click("[data-test=decision-request_supplement]")
    page.click("[data-test=action-submit]")
    expect(page.locator("[data-test=action-panel] .el-form-item__error")).to_have_text("请至少填写一项需补正的材料。")
    shot(page, "12-case-request-supplement")
    act(page, "request_supplement", "请补正后重新提交", missing=["营业执照副本", "经营场所平面图"])
    expect(page.locator("[data-test=action-blocked]")).to_contain_text("等待申请人补正")
    logout(page)

    # The citizen sees the list, uploads and resubmits.
    login(page, web, "citizen2")
    page.click("[data-test=nav-my-cases]")
    row = page.locator("[data-test=my-cases-table] .el-table__row", has_text=case_id)
    expect(row).to_contain_text("请补正材料")
    row.locator("a").first.click()
    expect(page.locator("[data-test=missing-materials]")).to_have_text(re.compile("营业执照副本\\s*经营场所平面图"))
    expect(page.locator("[data-test=supplement-due]")).to_contain_text("前提交补正，逾期视为撤回申请")  # the item's 补正期限
    page.click("[data-test=supplement-submit]")
    expect(page.locator("[data-test=supplement-error]")).to_have_text("请至少上传一份补正材料。")
    page.set_input_files("[data-test=upload-supplement] input[type=file]", str(files["营业执照副本.pdf"]))
    expect(page.locator("[data-test=upload-supplement] li[data-status=done]")).to_have_count(1)
    page.fill("[data-test=supplement-note]", "已补正营业执照副本")
    shot(page, "13-my-case-supplement")
    page.click("[data-test=supplement-submit]")
    expect(page.locator("[data-test=supplement-panel]")).to_have_count(0)
    expect(page.locator("[data-test=attachments-table] .el-table__row")).to_have_count(2)
    expect(page.locator("[data-test=timeline]")).to_contain_text("补正后重新提交")
    logout(page)

    # Back at 受理: the window refuses it, and the applicant reads why.
    login(page, web, "market.window")
    open_from_worklist(page, web, case_id, step_label="受理")
    act(page, "reject", "经营场所不符合食品安全要求")
    expect(page.locator("[data-test=decision-text]")).to_have_text("经营场所不符合食品安全要求")
    logout(page)
    login(page, web, "citizen2")
    page.goto(f"{web}/my/cases/{case_id}")
    expect(page.locator("[data-test=case-facts]")).to_contain_text("不予受理")
    expect(page.locator("[data-test=decision-text]")).to_have_text("经营场所不符合食品安全要求")


def test_staff_of_another_step_or_department_cannot_act(page, web, files):
    login(page, web, "citizen1")
    case_id, _ = apply_in_browser(page, web, files["食品经营许可申请书.pdf"])
    logout(page)

    login(page, web, "market.handler")
    page.goto(f"{web}/cases/{case_id}")
    blocked = page.locator("[data-test=action-blocked]")
    deadline = time.monotonic() + 15
    while "窗口受理人员" not in blocked.inner_text() and time.monotonic() < deadline:  # until dispatched to 受理
        page.wait_for_timeout(300)
        page.click("[data-test=case-refresh]")
    expect(blocked).to_contain_text("当前环节由窗口受理人员办理")
    logout(page)

    login(page, web, "planning.window")
    page.goto(f"{web}/cases/{case_id}")
    expect(page.locator("[data-test=case-error]")).to_have_text("您无权查看其他部门的办件。")


def _session(page) -> dict:
    return page.evaluate("JSON.parse(sessionStorage.getItem('sunlight.session'))")


def test_id_token_is_refreshed_before_expiry_and_after_a_401(page, web):
    refreshes: list[str] = []
    page.on("request", lambda r: refreshes.append(r.url) if r.method == "POST" and "REFRESH_TOKEN_AUTH" in (r.post_data or "") else None)
    login(page, web, "citizen1")
    first = _session(page)

    # About to expire: the next API call renews the ID token first (REFRESH_TOKEN_AUTH, from the browser to Cognito).
    page.evaluate("s => sessionStorage.setItem('sunlight.session', JSON.stringify({...s, expiresAt: Date.now() + 30000}))", first)
    page.goto(web + "/my/cases")
    expect(page.locator("[data-test=my-cases-table]")).to_be_visible()
    expect(page.locator("[data-test=my-cases-table] .el-table__row").first).to_be_visible()
    renewed = _session(page)
    assert len(refreshes) == 1 and renewed["idToken"] != first["idToken"]
    assert renewed["refreshToken"] == first["refreshToken"] and renewed["expiresAt"] > first["expiresAt"] - 60_000

    # A token the API refuses (401): refreshed once, and the call repeated.
    page.evaluate("s => sessionStorage.setItem('sunlight.session', JSON.stringify({...s, idToken: s.idToken.slice(0, -4) + 'AAAA'}))", renewed)
    page.reload()
    expect(page.locator("[data-test=my-cases-table] .el-table__row").first).to_be_visible()
    assert len(refreshes) == 2
    assert page.locator(".el-alert--error").count() == 0

    # A refresh token Cognito refuses: the session ends and the user is asked to sign in again.
    page.evaluate("s => sessionStorage.setItem('sunlight.session', JSON.stringify({...s, idToken: 'x.y.z', refreshToken: 'revoked'}))", renewed)
    page.reload()
    expect(page.locator(".el-message-box")).to_contain_text("登录已过期，请重新登录")
    confirm(page)
    expect(page).to_have_url(re.compile(r"/login\?redirect=(/|%2F)my(/|%2F)cases$"))
    assert page.evaluate("sessionStorage.getItem('sunlight.session')") is None


def test_a_stale_page_shows_the_api_conflict_and_keeps_the_opinion(page, web, files):
    login(page, web, "citizen1")
    case_id, _ = apply_in_browser(page, web, files["食品经营许可申请书.pdf"])
    logout(page)

    login(page, web, "market.window")
    open_from_worklist(page, web, case_id, step_label="受理")
    other = page.context.new_page()  # a second tab (its own session), opened before the case moves on
    login(other, web, "market.window")
    other.goto(f"{web}/cases/{case_id}")
    expect(other.locator("[data-test=action-submit]")).to_be_visible()

    page.bring_to_front()  # a background tab gets no animation frames: its dialogs would crawl
    act(page, "accept", "予以受理")
    other.bring_to_front()
    other.click("[data-test=decision-accept]")
    other.fill("[data-test=action-opinion]", "重复受理")
    other.click("[data-test=action-submit]")
    confirm(other)
    expect(other.locator("[data-test=action-error]")).to_have_text(
        re.compile("该办件当前处于“承办”环节，不能执行“受理”。|该案件正在流转到下一环节，请稍后刷新再操作。")
    )
    expect(other.locator("[data-test=action-opinion]")).to_have_value("重复受理")
    other.close()
