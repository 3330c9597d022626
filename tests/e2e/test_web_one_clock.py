"""One clock in headless Chromium: the browser's clock is wrong (a month behind the case's due time,
then two years behind), the server's demo clock has moved past the due time. The worklist, the
dossier and the clock panel show the server's 超期 and its working days past, never a green
"剩余 30天"; a supervision order past its due time is 超期; the admin's calendar opens on the
server's year. Screenshots: test-artifacts/web/clock-*.png."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.e2e import test_web as ui
from tests.e2e.conftest import expect, new_key, wait_for_status
from tests.e2e.test_api_flow import apply
from tests.e2e.test_time_limits import move_clock


def test_a_wrong_browser_clock_shows_the_servers_colour_and_time_left(system, public, login, page, web):
    citizen, window = login("citizen1"), login("market.window")
    case_id = apply(citizen, public)["case_id"]
    case = wait_for_status(window, case_id, "accept")
    order = login("inspector").post("/supervision-orders", {
        "source_kind": "case", "source_id": case_id, "matter": "受理超时，请说明原因并整改", "deadline_days": 1,
    }, key=new_key())
    assert order.status_code == 201, order.text
    move_clock(system, 10)  # the server: well past the 1-working-day limit of 受理 and the order's day

    server = window.get(f"/cases/{case_id}").json()["clock"]
    step = next(limit for limit in server["limits"] if limit["kind"] == "step")
    assert server["due_state"] == "overdue" and step["remaining_working_days"] < 0, server
    days_past = -step["remaining_working_days"]

    # The browser: 30 days before the step's due time (the old pages said "剩余 30天", green).
    due_at = datetime.fromisoformat(case["step_due_at"])
    page.clock.set_fixed_time(due_at - timedelta(days=30))
    ui.login(page, web, "market.window")
    assert page.evaluate("new Date().getTime()") < due_at.timestamp() * 1000  # the wrong clock is in place

    row = page.locator("[data-test=worklist-table] .el-table__row", has_text=case_id)
    expect(row).to_have_count(1)
    tag = row.locator("[data-due]")
    expect(tag).to_have_attribute("data-due", "overdue")
    expect(tag).to_have_text(f"已超期 {days_past} 个工作日")
    expect(row).not_to_contain_text("剩余")
    expect(row).to_have_class(re.compile("row-overdue"))
    ui.shot(page, "clock-01-worklist-wrong-browser-clock")

    page.goto(f"{web}/cases/{case_id}")
    dossier_tag = page.locator("[data-test=case-facts] [data-due]")
    expect(dossier_tag).to_have_attribute("data-due", "overdue")
    expect(dossier_tag).to_have_text(f"已超期 {days_past} 个工作日")
    step_row = page.locator("[data-test=clock-panel] [data-test=clock-step]")
    expect(step_row).to_have_class(re.compile("overdue"))
    expect(step_row).to_contain_text(str(days_past))
    ui.shot(page, "clock-02-case-wrong-browser-clock")
    ui.logout(page)

    # The supervision order, unanswered past its due time on the server's clock: 超期.
    ui.login(page, web, "inspector")
    page.goto(f"{web}/supervision-orders/{order.json()['order_id']}")
    expect(page.locator("[data-test=order-overdue]")).to_be_visible()
    ui.logout(page)

    # The admin's calendar opens on the server's year, not on the browser's (two years behind).
    server_time = public.get("/clock").json()
    page.clock.set_fixed_time(datetime.fromisoformat(server_time["now"]) - timedelta(days=730))
    ui.login(page, web, "admin")
    page.goto(f"{web}/admin/calendar")
    expect(page.locator("[data-test=calendar-year] input")).to_have_value(str(server_time["year"]))
