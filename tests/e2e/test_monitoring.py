"""The live overview (监察总览) on the local system: a case is received and, after the demo clock
moves, turns yellow; the events reach the operational metrics function over the bus, its EMF lands
in moto's CloudWatch, and the overview (API and browser) shows the counts."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import wait_for_status
from tests.e2e.test_api_flow import act, apply
from tests.e2e.test_time_limits import move_clock
from tests.e2e.test_web import expect, shot
from tests.e2e.test_web import login as browser_login


def overview_until(client, ready, *, timeout: float = 20) -> dict:
    """The events travel asynchronously (bus → function → metrics): poll until `ready`."""
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        response = client.get("/monitoring/overview")
        assert response.status_code == 200, response.text
        body = response.json()
        if ready(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"the overview did not get there: {body}")


def market(overview: dict) -> dict:
    return next(row["figures"] for row in overview["departments"] if row["department_id"] == "market")


def close(window, case_id: str) -> None:
    """不予受理: the case leaves the open ones, so later clock moves (other tests) issue no more
    cards for it into the shared inboxes."""
    assert act(window, case_id, action="reject", opinion="演示结束，不予受理").status_code == 200
    wait_for_status(window, case_id, "rejected")


@pytest.fixture(scope="module")
def yellow_case(system, public, login):
    """A market case received, then yellow after one clock move of a whole week (so later tests keep
    their weekdays); closed (不予受理) afterwards so that later clock moves issue nothing more for it."""
    citizen, window, inspector = login("citizen1"), login("market.window"), login("inspector")
    received_before = market(inspector.get("/monitoring/overview").json())["received"]
    case_id = apply(citizen, public)["case_id"]
    wait_for_status(window, case_id, "accept")
    received = overview_until(inspector, lambda o: market(o)["received"] > received_before)
    move_clock(system, 7)  # past the 1-working-day limit of 受理: a yellow card, on a new "today"
    yield case_id, received
    close(window, case_id)


def test_received_and_yellow_cards_reach_the_overview_and_each_role_sees_its_scope(yellow_case, login):
    _, received = yellow_case
    assert received["scope"] == "city" and received["totals"]["received"] >= market(received)["received"] >= 1
    inspector, window = login("inspector"), login("market.window")
    overview = overview_until(inspector, lambda o: market(o)["yellow"] >= 1)
    assert overview["totals"]["yellow"] >= market(overview)["yellow"] >= 1

    leader = login("market.leader").get("/monitoring/overview").json()
    assert leader["scope"] == "market" and [r["department_id"] for r in leader["departments"]] == ["market"]
    assert leader["totals"]["yellow"] >= 1
    refused = window.get("/monitoring/overview")
    assert refused.status_code == 403 and "监察总览" in refused.json()["message"]


def shows_a_live_figure(page, client, kpi: str, *, at_least: int, timeout: float = 30) -> None:
    """The page's figure lies between the API's figures read just before and just after it (cards
    of earlier tests' cases keep arriving over the bus, so a figure read once may be outrun)."""
    value = page.locator(f"[data-test=kpi-{kpi}] [data-test=kpi-value]")
    deadline = time.monotonic() + timeout
    while True:
        before = client.get("/monitoring/overview").json()["totals"][kpi]
        expect(value).not_to_have_text("")
        shown = int(value.inner_text())
        after = client.get("/monitoring/overview").json()["totals"][kpi]
        if at_least <= shown and before <= shown <= after:
            return
        assert time.monotonic() < deadline, (kpi, before, shown, after)
        page.reload()


def test_the_inspector_sees_the_card_count_in_the_overview(yellow_case, login, page, web):
    case_id, _ = yellow_case
    figures = overview_until(login("inspector"), lambda o: market(o)["yellow"] >= 1)["totals"]

    browser_login(page, web, "inspector")
    links = page.locator("nav.nav a")
    expect(links.first).to_have_attribute("data-test", "nav-overview")  # first in the inspector's bar
    page.click("[data-test=nav-overview]")
    expect(page).to_have_url(re.compile(r"/overview$"))
    expect(page.locator("[data-test=overview-scope]")).to_have_text("全市")
    inspector = login("inspector")
    for kpi in ("yellow", "received"):
        shows_a_live_figure(page, inspector, kpi, at_least=figures[kpi])
    expect(page.locator("[data-test=overview-updated]")).to_contain_text("更新于")
    expect(page.locator("[data-test=cell-market-yellow]")).not_to_have_text("0")
    expect(page.locator("[data-test=overview-heatmap] canvas").first).to_be_visible()  # the charts drew
    expect(page.locator("[data-test=overview-cards] canvas").first).to_be_visible()
    shot(page, "20-monitoring-overview")

    # Drill down: the department's cards, each linking to the inspector's case view.
    page.click("[data-test=drill-market]")
    expect(page.locator("[data-test=drill-table] .el-table__row").first).to_be_visible()
    link = page.locator(f"[data-test=drill-case-{case_id}]")
    while not link.count() and page.locator("[data-test=drill-more]").count():  # newest first, 20 a page
        rows = page.locator("[data-test=drill-table] .el-table__row").count()
        page.click("[data-test=drill-more]")
        expect(page.locator("[data-test=drill-table] .el-table__row")).not_to_have_count(rows)
    expect(link.first).to_be_visible()
    shot(page, "21-monitoring-drill")
    page.locator(f"[data-test=drill-case-{case_id}]").first.click()
    expect(page).to_have_url(re.compile(rf"/inspect\?case={case_id}"))
    expect(page.locator("[data-test=case-id]")).to_have_text(case_id)
