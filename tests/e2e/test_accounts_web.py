"""Citizen registration and password recovery in headless Chromium: the register page, the
e-mailed code (read from the local mailbox, where Cognito's e-mail lands locally), a wrong code
that keeps the form, the signed-in citizen; then 忘记密码 with a new code. Screenshots in
test-artifacts/web/accounts-*.png."""

from __future__ import annotations

import re
import uuid

from tests.e2e.test_web import expect, shot

PASSWORD = "Zhao#Liu-2026ab"


def mailed_code(system, username: str, purpose: str) -> str:
    return next(m.code for m in system.mailbox.mails(username) if m.purpose == purpose)


def test_a_citizen_registers_in_the_browser_and_recovers_the_password(page, web, system):
    username = f"zhaoliu{uuid.uuid4().hex[:5]}"
    page.goto(web + "/catalog")
    page.click("[data-test=nav-register]")
    page.fill("[data-test=register-username]", username)
    page.fill("[data-test=register-name]", "赵六")
    page.fill("[data-test=register-email]", f"{username}@example.cn")
    page.fill("[data-test=register-phone]", "1380013800")
    page.fill("[data-test=register-password]", PASSWORD)
    page.fill("[data-test=register-repeat]", PASSWORD)
    page.click("[data-test=register-submit]")
    expect(page.locator("[data-test=register-error]")).to_contain_text("手机号应为11位")  # nothing typed is lost
    expect(page.locator("[data-test=register-name]")).to_have_value("赵六")
    page.fill("[data-test=register-phone]", "13800138000")
    page.click("[data-test=register-submit]")
    expect(page.locator("[data-test=register-error]")).to_contain_text("请先阅读并勾选同意")
    page.click("[data-test=register-agree]")
    shot(page, "accounts-01-register")
    page.click("[data-test=register-submit]")

    expect(page.locator("[data-test=register-sent]")).to_contain_text("z***@")
    code = mailed_code(system, username, "sign_up")
    page.fill("[data-test=register-code]", f"{(int(code) + 1) % 1_000_000:06d}")
    page.click("[data-test=register-confirm]")
    expect(page.locator("[data-test=register-error]")).to_contain_text("验证码不正确")
    page.fill("[data-test=register-code]", code)
    shot(page, "accounts-02-register-code")
    page.click("[data-test=register-confirm]")
    expect(page.locator("[data-test=user-name]")).to_have_text("赵六")
    expect(page).to_have_url(re.compile(r"/my/cases"))  # a citizen now (the post-confirmation trigger)

    page.click("[data-test=logout]")
    page.goto(web + "/login")
    page.click("[data-test=login-forgot]")
    page.fill("[data-test=forgot-username]", username)
    page.click("[data-test=forgot-submit]")
    expect(page.locator("[data-test=forgot-sent]")).to_contain_text("z***@")
    page.fill("[data-test=forgot-code]", mailed_code(system, username, "forgot_password"))
    page.fill("[data-test=forgot-password]", "Brand#New-2026x")
    page.fill("[data-test=forgot-repeat]", "Brand#New-2026x")
    shot(page, "accounts-03-forgot-password")
    page.click("[data-test=forgot-confirm]")
    expect(page.locator("[data-test=login-notice]")).to_contain_text("密码已重置")
    expect(page.locator("[data-test=login-username]")).to_have_value(username)
    page.fill("[data-test=login-password]", "Brand#New-2026x")
    page.click("[data-test=login-submit]")
    expect(page.locator("[data-test=user-name]")).to_have_text("赵六")


def test_staff_are_told_to_ask_an_administrator_for_a_new_password(page, web):
    page.goto(web + "/forgot-password?username=market.handler")
    page.click("[data-test=forgot-submit]")
    expect(page.locator("[data-test=forgot-error]")).to_contain_text("联系系统管理员重置密码")
