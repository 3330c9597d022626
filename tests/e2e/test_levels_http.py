"""Levels over HTTP on the local system: a case at 鄂城区 carries its government chain, 鄂城区's
监察局 reads it and the warnings of its levels, 华容区's does not, and neither reads the city's
departments' cases; the public department list names each department's government and level."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Client, new_key, wait_for_status
from tests.e2e.test_api_flow import application_for, market_item, upload

pytestmark = pytest.mark.local_system

DISTRICT_ITEM = "420704-XK-0252"  # 鄂城区市场监督管理局 · 食品经营许可


def applied(citizen: Client, public: Client, item_code: str) -> str:
    detail = public.get(f"/catalog/{item_code}").json()
    response = citizen.post("/applications", application_for(detail, [upload(citizen)]), key=new_key())
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


def test_the_public_department_list_names_each_government_and_level(public):
    departments = {d["department_id"]: d for d in public.get("/departments").json()}
    assert (departments["echeng-market"]["government_name"], departments["echeng-market"]["level_label"]) == ("鄂城区", "县（市、区）级")
    assert (departments["binhu-station"]["government_name"], departments["binhu-station"]["level_label"]) == ("滨湖社区", "村（社区）级")
    assert (departments["market"]["government_name"], departments["market"]["level_label"]) == ("鄂州市", "市级")


def test_a_district_inspector_reads_its_districts_case_and_not_another_districts_nor_the_citys(login, public):
    citizen = login("citizen1")
    district_case = applied(citizen, public, DISTRICT_ITEM)
    city_case = applied(citizen, public, market_item(public)["item_code"])
    wait_for_status(login("echeng-market.window"), district_case, "accept")

    echeng, huarong, city = login("echeng.inspector"), login("huarong.inspector"), login("inspector")
    read = echeng.get(f"/cases/{district_case}")
    assert read.status_code == 200, read.text
    assert read.json()["department_id"] == "echeng-market"
    assert city.get(f"/cases/{district_case}").status_code == 200  # the city's 监察局 sees every level
    for reader, case_id in ((huarong, district_case), (echeng, city_case)):
        refused = reader.get(f"/cases/{case_id}")
        assert refused.status_code in (403, 404), refused.text
        assert "本级及下级政府" in refused.json()["message"]
    assert echeng.get(f"/cases/{district_case}/warnings").status_code == 200
    assert huarong.get(f"/cases/{district_case}/warnings").status_code == 403

    assert echeng.get("/warnings", params={"department": "echeng-market"}).status_code == 200
    assert echeng.get("/warnings", params={"department": "huarong-market"}).status_code == 403
    assert echeng.get("/inspector-log").status_code == 403  # the log stays the city's
    overview = echeng.get("/monitoring/overview").json()
    assert {row["department_id"] for row in overview["departments"]} == {"echeng-market", "fenghuang-center", "binhu-station"}


def test_a_district_bureau_issues_orders_within_its_levels_only(login):
    echeng, huarong = login("echeng.inspector"), login("huarong.inspector")
    body = {"source_kind": "complaint", "source_id": "TS20261207E2E", "department_id": "echeng-market", "matter": "区级督办：请核查整改"}
    issued = echeng.post("/supervision-orders", body, key=new_key())
    assert issued.status_code == 201, issued.text
    order = issued.json()
    assert order["issued_by_government_id"] == "420704" and order["history"][0]["actor_role"] == "鄂城区监察局"
    for department in ("huarong-market", "market"):
        refused = echeng.post("/supervision-orders", {**body, "department_id": department}, key=new_key())
        assert refused.status_code == 403 and refused.json()["message"] == "您只能向本级及下级政府的部门下达督办。", refused.text
    assert order["order_id"] in [o["order_id"] for o in echeng.get("/supervision-orders").json()["items"]]
    assert order["order_id"] not in [o["order_id"] for o in huarong.get("/supervision-orders").json()["items"]]
    assert huarong.get(f"/supervision-orders/{order['order_id']}").status_code == 403
