"""Evaluation by level on the local system: facts of two districts' departments go over the bus to
the fact consumer; the ranking ranks a level's departments among themselves and rolls each
government's figures up into the city's; the city's 监察局 sees each district bureau's cards,
orders and complaints (GET /evaluation/bureaus), nobody else does; and the pages show both.

The governments and the two district departments are those of the demo seed
(notes/issue13-design.md); they are stored here only if the seed has not stored them.
"""

from __future__ import annotations

import json
import re
import time
import uuid

import boto3

from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.models.catalog import Department
from sunlight.models.levels import Government, GovernmentLevel
from tests.e2e.test_web import expect, shot
from tests.e2e.test_web import login as sign_in

CITY, ECHENG, HUARONG = "420700", "420704", "420703"
GOVERNMENTS = (
    Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
    Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
    Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY),
)
DEPARTMENTS = (
    Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局", government_id=ECHENG),
    Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容区市场监管局", government_id=HUARONG),
)


def _aws(system, service: str):
    return boto3.resource(service, endpoint_url=system.moto_url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")


def ensure_districts(system) -> None:
    catalog = DynamoCatalogRepository(_aws(system, "dynamodb").Table(system.outputs["CatalogTableName"]))
    stored = {g.government_id for g in catalog.list_governments()}
    for government in GOVERNMENTS:
        if government.government_id not in stored:
            catalog.put_government(government)
    for department in DEPARTMENTS:
        if catalog.get_department(department.department_id) is None:
            catalog.put_department(department)


def publish(system, detail_type: str, detail: dict) -> None:
    events = boto3.client("events", endpoint_url=system.moto_url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    entry = events.put_events(Entries=[{"Source": "sunlight.approval", "DetailType": detail_type, "Detail": json.dumps(detail),
                                        "EventBusName": system.outputs["EventBusName"]}])["Entries"][0]
    assert "EventId" in entry, entry


def district_facts(system, period: str) -> str:
    """A red card and a supervision order at 鄂城区市场监管局, a complaint at 华容区's; returns the run's tag."""
    tag = uuid.uuid4().hex[:8]
    at = f"{period}-05T10:00:00+08:00"
    publish(system, "WarningIssued", {"event_id": f"lv-{tag}-card:issued", "department_id": "echeng-market",
                                      "warning_id": f"lv-{tag}-card", "case_id": f"lv-{tag}-case", "level": "red", "issued_at": at})
    publish(system, "SupervisionOrderIssued", {"event_id": f"lv-{tag}-order:issued", "department_id": "echeng-market",
                                               "order_id": f"lv-{tag}-order", "source_kind": "warning",
                                               "source_id": f"lv-{tag}-card", "issued_at": at, "due_at": at})
    publish(system, "ComplaintFiled", {"event_id": f"lv-{tag}-complaint:filed", "department_id": "huarong-market",
                                       "complaint_id": f"lv-{tag}-complaint", "case_id": None, "filed_at": at})
    return tag


def wait_for_bureaus(inspector, period: str, before: dict[str, dict], timeout: float = 30) -> dict:
    """Polls until the consumer has counted the three facts (asynchronous; no assertion on time)."""
    deadline = time.monotonic() + timeout
    while True:
        response = inspector.get("/evaluation/bureaus", params={"period": period})
        assert response.status_code == 200, response.text
        report = response.json()
        bureaus = {b["government_id"]: b for b in report["bureaus"]}
        done = (
            bureaus.get(ECHENG, {}).get("red_cards", 0) > before.get(ECHENG, {}).get("red_cards", 0)
            and bureaus[ECHENG]["orders_issued"] > before.get(ECHENG, {}).get("orders_issued", 0)
            and bureaus.get(HUARONG, {}).get("complaints", 0) > before.get(HUARONG, {}).get("complaints", 0)
        )
        if done or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def test_district_figures_roll_up_and_the_city_watches_the_district_bureaus(system, login):
    ensure_districts(system)
    inspector = login("inspector")
    period = inspector.get("/evaluation/rankings").json()["period"]  # the system's current month
    before = {b["government_id"]: b for b in inspector.get("/evaluation/bureaus", params={"period": period}).json()["bureaus"]}
    district_facts(system, period)
    report = wait_for_bureaus(inspector, period, before)
    bureaus = {b["government_id"]: b for b in report["bureaus"]}
    assert {ECHENG, HUARONG} <= set(bureaus) and CITY not in bureaus
    echeng = bureaus[ECHENG]
    assert echeng["government_name"] == "鄂城区" and echeng["level_label"] == "县（市、区）级"
    assert echeng["red_cards"] == before.get(ECHENG, {}).get("red_cards", 0) + 1
    assert echeng["orders_issued"] == before.get(ECHENG, {}).get("orders_issued", 0) + 1
    assert report["city_total"]["red_cards"] >= echeng["red_cards"]
    assert report["city_total"]["complaints"] >= bureaus[HUARONG]["complaints"] >= 1

    county = inspector.get("/evaluation/rankings", params={"period": period, "level": "county"})
    assert county.status_code == 200, county.text
    rows = {r["department_id"]: r for r in county.json()["rows"]}
    assert {"echeng-market", "huarong-market"} <= set(rows) and "market" not in rows
    assert rows["echeng-market"]["government_name"] == "鄂城区"
    assert all(r["level"] == "county" for r in county.json()["rollup"])

    everything = inspector.get("/evaluation/rankings", params={"period": period}).json()
    rollup = {r["government_id"]: r for r in everything["rollup"]}
    city = rollup[CITY]
    assert city["departments"] == len(everything["rows"])
    for figure in ("red_cards", "orders_issued", "complaints", "received"):  # the districts' figures are in the city's
        assert city["total"][figure] >= rollup[ECHENG]["total"][figure] + rollup[HUARONG]["total"][figure] + city["own"][figure]
    assert city["total"]["red_cards"] == city["own"]["red_cards"] + sum(
        r["total"]["red_cards"] for r in everything["rollup"] if r["parent_id"] == CITY)

    district = inspector.get("/evaluation/rankings", params={"period": period, "government": ECHENG}).json()
    assert "echeng-market" in {r["department_id"] for r in district["rows"]}
    assert not {"market", "huarong-market"} & {r["department_id"] for r in district["rows"]}

    unknown = inspector.get("/evaluation/rankings", params={"government": "420799"})
    assert unknown.status_code == 422 and "420799" in unknown.json()["message"]

    for username in ("market.leader", "admin", "market.handler"):
        refused = login(username).get("/evaluation/bureaus")
        assert refused.status_code == 403, (username, refused.text)
        assert refused.json()["message"] == "下级监察机构的监督情况仅供市监察局查看。"


def test_the_pages_choose_a_level_and_show_the_district_bureaus(system, page, web):
    ensure_districts(system)
    sign_in(page, web, "inspector")
    page.goto(f"{web}/evaluation/rankings")
    page.locator('[data-test="rankings-level"]').get_by_text("县（市、区）级", exact=True).click()
    expect(page).to_have_url(f"{web}/evaluation/rankings?level=county")
    expect(page.locator('[data-test="rankings-peers"]')).to_contain_text("县（市、区）级")
    expect(page.locator('[data-test="ranking-table"]')).to_contain_text("鄂城区市场监督管理局")
    expect(page.locator('[data-test="ranking-table"]')).not_to_contain_text("市市场监督管理局")
    rollup = page.locator('[data-test="rollup-table"]')
    expect(rollup.locator(f'[data-test="rollup-government-{ECHENG}"]')).to_have_text("鄂城区")
    expect(rollup).not_to_contain_text("鄂州市")
    page.locator('[data-test="rankings-level"]').get_by_text("全部", exact=True).click()
    expect(page.locator('[data-test="rollup-table"]').locator(f'[data-test="rollup-government-{CITY}"]')).to_have_text("鄂州市")
    shot(page, "evaluation-levels")

    page.goto(f"{web}/statistics")
    page.locator('[data-test="statistics-level"]').get_by_text("县（市、区）级", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]level=county"))
    statistics = page.locator('[data-test="statistics-table"]')
    expect(statistics).to_contain_text("鄂城区市场监督管理局")
    expect(statistics).to_contain_text("华容区市场监督管理局")
    expect(statistics).not_to_contain_text("市市场监督管理局")

    page.goto(f"{web}/evaluation/bureaus")
    table = page.locator('[data-test="bureaus-table"]')
    expect(table.locator(f'[data-test="bureau-{ECHENG}"]').first).to_have_text("鄂城区监察局")
    expect(table.locator('[data-test="bureau-total"]').first).to_have_text("全市合计")
    expect(page.locator("body")).not_to_contain_text(ECHENG)  # no raw codes on the page
    shot(page, "evaluation-bureaus")
