"""The evaluation pages in headless Chromium against the local system: an inspector opens the
rankings of a closed period, opens a department and drills down to a case; exports statistics;
an admin changes a score weight (sum kept at 100) and saves; anyone reads the public rankings.

The closed period is made here: one case of 市市场监督管理局 is completed over the API, the demo
clock moves to the next month and the admin closes the month (the monthly close is idempotent).
Screenshots go to test-artifacts/web/evaluation-*.png.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e.conftest import wait_for_status
from tests.e2e.test_api_flow import act, apply
from tests.e2e.test_web import expect, shot
from tests.e2e.test_web import login as sign_in

CITY = ZoneInfo("Asia/Shanghai")
DEPARTMENT = "market"


def server_now(system) -> datetime:
    response = requests.post(f"{system.web_url}/__local/clock", json={}, timeout=30)
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"]).astimezone(CITY)


def complete_case(public, login_api) -> str:
    citizen = login_api("citizen1")
    window, handler, reviewer, leader = (login_api(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))
    case_id = apply(citizen, public)["case_id"]
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept").status_code == 200
    wait_for_status(handler, case_id, "handle")
    assert act(handler, case_id, action="submit", opinion="符合条件").status_code == 200
    wait_for_status(reviewer, case_id, "review")
    assert act(reviewer, case_id, action="pass").status_code == 200
    wait_for_status(leader, case_id, "approve")
    assert act(leader, case_id, action="approve", opinion="准予许可").status_code == 200
    wait_for_status(window, case_id, "complete")
    assert act(window, case_id, action="complete", opinion="已送达").status_code == 200
    wait_for_status(window, case_id, "completed")
    return case_id


def counted(inspector, month: str, case_id: str, *, timeout: float = 15) -> None:
    """The fact consumer runs on the bus asynchronously: wait until the case is counted."""
    deadline = time.monotonic() + timeout
    records: list = []
    while time.monotonic() < deadline:
        response = inspector.get(f"/evaluation/departments/{DEPARTMENT}/drilldown",
                                 params={"period": month, "metric": "completed", "limit": 100})
        assert response.status_code == 200, response.text
        records = [r["subject_id"] for r in response.json()["items"]]
        if case_id in records:
            return
        time.sleep(0.2)
    raise AssertionError(f"{case_id} not counted in {month}: {records}")


@pytest.fixture(scope="module")
def closed_month(system, public, login) -> dict:
    """A month with a completed case of 市市场监督管理局, ended and closed; the clock stops at 09:00 on
    the 1st (office hours), for the tests that come after."""
    inspector, admin = login("inspector"), login("admin")
    case_id = complete_case(public, login)
    now = server_now(system)
    month = f"{now.year:04d}-{now.month:02d}"
    counted(inspector, month, case_id)

    first_of_next = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    hours = (first_of_next - now).total_seconds() / 3600
    moved = requests.post(f"{system.web_url}/__local/clock", json={"advance_hours": hours}, timeout=30)
    assert moved.status_code == 200, moved.text
    closed = admin.post(f"/evaluation/periods/{month}/close")
    assert closed.status_code == 200, closed.text
    market = next(d for d in closed.json()["snapshot"]["departments"] if d["department_id"] == DEPARTMENT)
    assert market["figures"]["completed"] >= 1 and market["total"] is not None
    return {"month": month, "label": f"{now.year}年{now.month}月", "case_id": case_id, "total": market["total"]}


def open_nav(page, group: str, link: str) -> None:
    page.hover(f"[data-test=nav-group-{group}]")
    page.locator(f".el-dropdown-menu [data-test={link}]:visible").click()


def choose_period(page, test: str, label: str) -> None:
    page.click(f"[data-test={test}-select]")
    page.locator(".el-select-dropdown__item:visible", has_text=label).click()


def test_inspector_opens_closed_rankings_a_department_and_drills_down_to_a_case(page, web, closed_month):
    sign_in(page, web, "inspector")
    open_nav(page, "evaluation", "nav-evaluation-rankings")
    expect(page).to_have_url(f"{web}/evaluation/rankings")
    expect(page.locator("[data-test=provisional]")).to_be_visible()  # the new month is open: live figures

    choose_period(page, "rankings-period", closed_month["label"])
    expect(page).to_have_url(f"{web}/evaluation/rankings?period={closed_month['month']}")
    expect(page.locator("[data-test=rankings-period-label]")).to_have_text(closed_month["label"])
    expect(page.locator("[data-test=provisional]")).to_have_count(0)  # closed: the stored snapshot
    market_row = page.locator("[data-test=ranking-table] .el-table__row", has_text="市市场监督管理局")
    expect(market_row.locator("[data-test=total]")).to_have_text(f"{closed_month['total']:.2f}")
    expect(page.locator("[data-test=rankings-chart] canvas")).to_have_count(1)
    shot(page, "evaluation-rankings")

    market_row.locator(f"[data-test=open-department-{DEPARTMENT}]").click()
    expect(page).to_have_url(f"{web}/evaluation/departments/{DEPARTMENT}?period={closed_month['month']}")
    expect(page.locator("[data-test=department-total]")).to_have_text(f"{closed_month['total']:.2f}")
    expect(page.locator("[data-test=indicator-table] .el-table__row")).to_have_count(8)
    expect(page.locator("[data-test=history-chart] canvas")).to_have_count(1)
    shot(page, "evaluation-department")

    page.click("[data-test=figure-completed]")
    expect(page).to_have_url(f"{web}/evaluation/departments/{DEPARTMENT}/drilldown?period={closed_month['month']}&metric=completed")
    case_link = page.locator(f"[data-test=drilldown-case-{closed_month['case_id']}]")
    if not case_link.count():  # earlier tests completed cases too: page on until ours shows
        page.locator("[data-test=pager] .el-select").click()
        page.locator(".el-select-dropdown__item:visible", has_text="100").click()
    expect(case_link).to_be_visible()
    shot(page, "evaluation-drilldown")

    case_link.click()
    expect(page).to_have_url(f"{web}/cases/{closed_month['case_id']}")
    expect(page.locator("body")).to_contain_text(closed_month["case_id"])
    shot(page, "evaluation-case")


def test_inspector_exports_statistics_as_csv(page, web, closed_month):
    sign_in(page, web, "inspector")
    page.goto(f"{web}/statistics?period={closed_month['month']}&dimension=department")
    row = page.locator("[data-test=statistics-table] .el-table__row", has_text="市市场监督管理局")
    expect(row).to_have_count(1)
    with page.expect_download() as download_info:
        page.click("[data-test=export-csv]")
    download = download_info.value
    assert download.suggested_filename == f"statistics-department-{closed_month['month']}.csv"
    content = open(download.path(), encoding="utf-8-sig").read()
    assert "市市场监督管理局" in content and "受理件数" in content
    with page.expect_download() as download_info:
        page.click("[data-test=export-xlsx]")
    workbook = download_info.value
    assert workbook.suggested_filename == f"statistics-department-{closed_month['month']}.xlsx"
    assert open(workbook.path(), "rb").read(2) == b"PK"  # an Office Open XML file is a zip
    shot(page, "evaluation-statistics")


def test_a_leader_sees_the_own_department(page, web, closed_month):
    sign_in(page, web, "market.leader")
    open_nav(page, "evaluation", "nav-evaluation-my-department")
    expect(page).to_have_url(f"{web}/evaluation/my-department")
    expect(page.locator("h1")).to_contain_text("市市场监督管理局")
    choose_period(page, "department-period", closed_month["label"])
    expect(page.locator("[data-test=department-total]")).to_have_text(f"{closed_month['total']:.2f}")
    expect(page.locator("[data-test=back-to-rankings]")).to_have_count(0)  # rankings are for inspectors
    page.click("[data-test=figure-completed]")
    expect(page.locator(f"[data-test=drilldown-case-{closed_month['case_id']}]")).to_be_visible()


def test_admin_changes_a_weight_keeping_the_sum_at_100_and_saves(page, web, login):
    admin_api = login("admin")
    before = admin_api.get("/evaluation/weights").json()
    sign_in(page, web, "admin")
    open_nav(page, "admin", "nav-admin-weights")
    expect(page).to_have_url(f"{web}/admin/weights")
    version = page.locator("[data-test=weights-version]")
    expect(version).to_contain_text(f"第 {before['version']} 版")
    expect(page.locator("[data-test=weights-sum]")).to_have_text("100")

    on_time, early = before["weights"]["on_time"], before["weights"]["early"]
    set_weight(page, "on_time", on_time + 5)
    expect(page.locator("[data-test=weights-sum]")).to_have_text("105")
    expect(page.locator("[data-test=weights-sum-message]")).to_contain_text("多了5")
    expect(page.locator("[data-test=weights-save]")).to_be_disabled()
    set_weight(page, "early", early - 5)
    expect(page.locator("[data-test=weights-sum]")).to_have_text("100")
    expect(page.locator("[data-test=formula-preview]")).to_contain_text(f"按时办结率（权重{on_time + 5}）")
    page.locator("[data-test=weights-note]").locator("xpath=descendant-or-self::input").fill("提高按时办结率权重")
    page.click("[data-test=weights-save]")
    page.locator(".el-overlay-message-box:visible .el-button--primary").last.click()
    expect(version).to_contain_text(f"第 {before['version'] + 1} 版")
    shot(page, "evaluation-weights")

    after = admin_api.get("/evaluation/weights").json()
    assert after["version"] == before["version"] + 1
    assert after["weights"] == {**before["weights"], "on_time": on_time + 5, "early": early - 5}
    assert after["note"] == "提高按时办结率权重"
    formula = requests.get(f"{admin_api.api_url}/public/evaluation/formula", timeout=30).json()
    assert formula["weights"]["version"] == after["version"]

    # Another admin saves meanwhile: this page's save is refused (409) and keeps what was typed.
    other = admin_api.call("PUT", "/evaluation/weights", json={"weights": before["weights"], "base_version": after["version"]})
    assert other.status_code == 200, other.text
    set_weight(page, "satisfaction", before["weights"]["satisfaction"] + 5)
    set_weight(page, "cards", before["weights"]["cards"] - 5)
    page.click("[data-test=weights-save]")
    page.locator(".el-overlay-message-box:visible .el-button--primary").last.click()
    expect(page.locator("[data-test=weights-error]")).to_contain_text("已被他人修改")
    expect(page.locator("[data-test=weight-satisfaction] input")).to_have_value(str(before["weights"]["satisfaction"] + 5))
    assert admin_api.get("/evaluation/weights").json()["version"] == after["version"] + 1  # the other save stands
    page.click("[data-test=weights-reload]")  # the latest version, with the typed values kept on top
    expect(version).to_contain_text(f"第 {after['version'] + 1} 版")
    expect(page.locator("[data-test=weight-satisfaction] input")).to_have_value(str(before["weights"]["satisfaction"] + 5))
    shot(page, "evaluation-weights-conflict")


def set_weight(page, indicator: str, value: int) -> None:
    field = page.locator(f"[data-test=weight-{indicator}] input")
    field.fill(str(value))
    field.press("Tab")  # el-input-number commits on blur


def test_public_rankings_show_the_closed_month_without_signing_in(page, web, closed_month):
    page.goto(f"{web}/catalog")
    page.click("[data-test=nav-public-rankings]")
    expect(page).to_have_url(f"{web}/public/rankings")
    choose_period(page, "public-period", closed_month["label"])
    expect(page.locator("[data-test=public-period-label]")).to_have_text(closed_month["label"])
    expect(page.locator("[data-test=public-ranking-table] .el-table__row", has_text="市市场监督管理局")).to_have_count(1)
    expect(page.locator("[data-test=public-formula]")).to_contain_text("按时办结率")
    shot(page, "evaluation-public")
