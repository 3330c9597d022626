"""A limit's unit in headless Chromium against the local system: the administrator counts an
item's promised limit in calendar days (自然日) with the unit selector of the catalog editor; the
public item page then reads "15 日（自然日）" beside the legal limit's "20 个工作日", and says from which
event the limits count. Screenshot in test-artifacts/web/limit-units-*.png."""

from __future__ import annotations

from tests.e2e.test_web import expect, login, shot

ITEM = "420700-XK-0903"  # 殡仪服务站、骨灰堂建设审批: 法定 20, 承诺 15 working days (no other browser test uses it)


def test_admin_counts_a_promised_limit_in_calendar_days_and_the_item_page_says_so(page, web):
    page.goto(f"{web}/catalog/{ITEM}")
    expect(page.locator(".el-descriptions")).to_contain_text("15 个工作日")

    login(page, web, "admin")
    page.goto(f"{web}/admin/catalog/{ITEM}")
    page.locator("[data-test=item-promised-unit]").click()
    page.locator(".el-select-dropdown__item:visible", has_text="自然日").click()
    expect(page.locator("[data-test=item-promised-unit]")).to_contain_text("自然日")
    page.click("[data-test=item-save]")
    expect(page.locator(".el-message--success")).to_be_visible()
    expect(page.locator("[data-test=item-error]")).to_have_count(0)
    shot(page, "limit-units-01-editor")

    page.goto(f"{web}/catalog/{ITEM}")
    details = page.locator(".el-descriptions")
    expect(details).to_contain_text("15 日（自然日）")
    expect(details).to_contain_text("20 个工作日")
    expect(details).to_contain_text("自受理之日起计算")
    shot(page, "limit-units-02-item")
