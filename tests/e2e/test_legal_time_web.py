"""日历未确认 on the running local system: a case whose dates reach a year the system does not
trust (no official 调休 data, not confirmed) says so in the API and in the SPA, for staff in the
worklist and on the case, and the administrator has the year's notice in the inbox page.
Expectations come from the system's own calendar view (GET /calendar/{year}), so the test holds
whatever year the shared demo clock has reached."""

from __future__ import annotations

from datetime import date

from tests.e2e import test_web as ui
from tests.e2e.conftest import expect, wait_for_status
from tests.e2e.test_api_flow import apply


def test_the_calendar_unconfirmed_mark_reaches_staff_and_the_administrator(page, web, public, login):
    citizen, window, admin = login("citizen1"), login("market.window"), login("admin")
    case_id = apply(citizen, public)["case_id"]
    view = wait_for_status(window, case_id, "accept")
    first, last = date.fromisoformat(view["submitted_at"][:10]), date.fromisoformat(view["legal_due_on"])
    untrusted = [y for y in range(first.year, last.year + 1) if not admin.get(f"/calendar/{y}").json()["trusted"]]
    assert view["calendar_unconfirmed"] is bool(untrusted)
    notices = admin.get("/inbox", params={"box": "city#admin", "limit": 100}).json()["items"]
    assert {n["evidence"]["year"] for n in notices} >= set(untrusted)

    ui.login(page, web, "market.window")
    ui.open_from_worklist(page, web, case_id, step_label="受理")
    expect(page.locator("[data-test=case-facts] [data-test=calendar-unconfirmed]")).to_have_count(1 if untrusted else 0)
    page.click("[data-test=nav-worklist]")
    row = page.locator("[data-test=worklist-table] .el-table__row", has_text=case_id)
    expect(row.locator("[data-test=calendar-unconfirmed]")).to_have_count(1 if untrusted else 0)
    ui.logout(page)

    ui.login(page, web, "admin")
    page.goto(web + "/office/inbox")
    for year in untrusted:
        expect(page.locator("[data-test=inbox-table]")).to_contain_text(f"{year}年工作日历未确认")
