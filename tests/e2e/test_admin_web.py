"""The 系统管理 views in headless Chromium against the local system: the administrator (法制办)
edits an item's promised limit, unpublishes and publishes it and sees the change history; adds
a city holiday in the working-day calendar; creates a staff user, who signs in with the
temporary password and sets their own. Screenshots in
test-artifacts/web/admin-*.png."""

from __future__ import annotations

import re

from tests.e2e.test_web import confirm, expect, login, shot

ITEM = "420700-XK-0202"  # 食品生产许可: 法定 10, 承诺 8 working days (not used by the other browser tests)


def fill_dialog(page, values: dict[str, str]) -> None:
    """Fills the inputs of a dialog that has just opened. Until its opening transition ends, the
    dialog's focus trap can pull the focus back to its first input and the typed text lands
    there; fill every field again until all of them hold their values."""
    for _ in range(5):
        for selector, value in values.items():
            page.locator(selector).fill(value)
        try:
            for selector, value in values.items():
                expect(page.locator(selector)).to_have_value(value, timeout=1000)
            return
        except AssertionError:
            continue
    for selector, value in values.items():
        expect(page.locator(selector)).to_have_value(value)


def open_admin_page(page, test_id: str) -> None:
    """Through the top bar's 系统管理 drop-down."""
    page.hover("[data-test=nav-group-admin]")
    page.locator(f".el-dropdown-menu [data-test={test_id}]:visible").click()


def test_admin_edits_an_item_publishes_it_and_sees_the_history(page, web):
    login(page, web, "admin")
    open_admin_page(page, "nav-admin-catalog")
    expect(page.locator("[data-test=admin-items-table] .el-table__row").first).to_be_visible()
    shot(page, "admin-01-catalog")

    page.goto(f"{web}/admin/catalog/{ITEM}")
    promised = page.locator("[data-test=item-promised-limit] input")
    expect(promised).to_have_value("8")
    promised.fill("9")
    promised.press("Tab")
    page.click("[data-test=item-save]")
    expect(page.locator(".el-message--success")).to_be_visible()
    expect(page.locator("[data-test=item-error]")).to_have_count(0)
    shot(page, "admin-02-item-editor")

    page.click("[data-test=item-publish]")  # published: the button unpublishes
    confirm(page)
    expect(page.locator("[data-test=item-published-tag]")).to_have_text("未发布")
    page.click("[data-test=item-publish]")
    confirm(page)
    expect(page.locator("[data-test=item-published-tag]")).to_have_text("已发布")

    page.locator(".el-tabs__item", has_text="修改记录").click()
    rows = page.locator("[data-test=item-history] .el-table__row:not(.el-table__expanded-row)")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("发布")
    expect(rows.nth(2)).to_contain_text("承诺时限")
    expect(rows.nth(2)).to_contain_text("谢文博")
    shot(page, "admin-03-item-history")

    page.goto(f"{web}/catalog/{ITEM}")
    expect(page.locator(".el-descriptions")).to_contain_text("9 个工作日")


def test_admin_adds_a_city_holiday_in_the_calendar(page, web):
    login(page, web, "admin")
    open_admin_page(page, "nav-admin-calendar")
    year = page.locator("[data-test=calendar-year] input")
    year.fill("2027")
    year.press("Enter")
    expect(page.locator("[data-test=calendar-untrusted]")).to_be_visible()  # no 调休 data for 2027
    day = page.locator("[data-test=day-2027-09-22]")  # a Wednesday
    expect(day).to_have_attribute("data-kind", "workday")
    day.click()
    page.locator("[data-test=calendar-day-working] .el-radio", has_text="不上班").click()
    page.fill("[data-test=calendar-day-reason]", "台风停工")
    page.click("[data-test=calendar-day-save]")
    expect(day).to_have_attribute("data-kind", "cityOff")
    expect(page.locator("[data-test=calendar-overrides]")).to_contain_text("台风停工")
    shot(page, "admin-04-calendar")

    page.locator("[data-test=calendar-overrides] .el-table__row", has_text="2027-09-22").locator("button").click()
    expect(day).to_have_attribute("data-kind", "workday")


def test_admin_creates_a_staff_user(page, web):
    login(page, web, "admin")
    open_admin_page(page, "nav-admin-users")
    expect(page.locator("[data-test=users-table] .el-table__row").first).to_be_visible()
    page.click("[data-test=user-new]")
    expect(page.locator("[data-test=user-form]")).to_be_visible()
    fill_dialog(page, {"[data-test=user-username]": "market.e2eclerk", "[data-test=user-full-name]": "钱多多"})
    page.click("[data-test=user-role-handler]")
    page.click("[data-test=user-save]")
    expect(page.locator("[data-test=user-error]")).to_contain_text("必须选择所属部门")  # the form stays
    page.click("[data-test=user-department]")
    page.locator(".el-select-dropdown__item:visible", has_text="市市场监督管理局").click()
    page.click("[data-test=user-save]")
    expect(page.locator("[data-test=user-temp-password]")).to_have_text(re.compile(r"^\S{16}$"))
    shot(page, "admin-05-user-created")
    temporary = page.locator("[data-test=user-temp-password]").inner_text()
    page.click("[data-test=user-created-ok]")
    page.click("[data-test=users-department]")
    page.locator(".el-select-dropdown__item:visible", has_text="市市场监督管理局").click()
    row = page.locator("[data-test=users-table] .el-table__row", has_text="market.e2eclerk")
    expect(row).to_contain_text("钱多多")
    expect(row).to_contain_text("承办人")
    expect(row).to_contain_text("待登录设置新密码")
    shot(page, "admin-06-users")

    # The new clerk signs in with the temporary password and must choose a password first.
    page.click("[data-test=logout]")
    page.goto(web + "/login")
    page.fill("[data-test=login-username]", "Market.E2eClerk")  # usernames are not case-sensitive
    page.fill("[data-test=login-password]", temporary)
    page.click("[data-test=login-submit]")
    expect(page.locator("[data-test=new-password]")).to_contain_text("market.e2eclerk")
    page.fill("[data-test=new-password-input]", "short")
    page.fill("[data-test=new-password-repeat]", "short")
    page.click("[data-test=new-password-submit]")
    expect(page.locator("[data-test=login-error]")).to_contain_text("密码至少12位")
    page.fill("[data-test=new-password-input]", "Qian#Duoduo-2026")
    page.fill("[data-test=new-password-repeat]", "Qian#Duoduo-2026")
    shot(page, "admin-07-first-sign-in-new-password")
    page.click("[data-test=new-password-submit]")
    expect(page.locator("[data-test=user-name]")).to_have_text("钱多多")
    expect(page).to_have_url(re.compile(r"/worklist"))
