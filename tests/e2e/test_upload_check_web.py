"""The upload check in the SPA (headless Chromium): an attachment that failed its check shows
校验未通过 with why, and a Chinese alert, to the applicant on 我的办件 and to the window clerk on
the case, where it can be neither previewed nor downloaded."""

from __future__ import annotations

from tests.e2e import test_web as ui
from tests.e2e.conftest import expect
from tests.e2e.test_upload_check_http import case_with_a_swapped_attachment


def test_applicant_and_staff_see_an_attachment_that_failed_its_check(page, web, public, login):
    case_id, upload_id = case_with_a_swapped_attachment(public, login("citizen1"), login("market.window"))

    ui.login(page, web, "citizen1")
    page.goto(f"{web}/my/cases/{case_id}")
    expect(page.locator("[data-test=upload-check-failed]")).to_contain_text("您有附件未通过上传校验")
    check = page.locator(f"[data-test=upload-check-{upload_id}]")
    expect(check).to_contain_text("校验未通过")
    expect(check).to_contain_text("实际为网页或脚本")
    ui.logout(page)

    ui.login(page, web, "market.window")
    page.goto(f"{web}/cases/{case_id}")
    expect(page.locator("[data-test=upload-check-failed]")).to_contain_text("已被隔离，不能预览或下载")
    expect(page.locator(f"[data-test=upload-check-{upload_id}]")).to_have_attribute("data-status", "failed")
    expect(page.locator(f"[data-test=download-{upload_id}]")).to_be_disabled()
    expect(page.locator(f"[data-test=preview-{upload_id}]")).to_be_disabled()
