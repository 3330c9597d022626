"""Rankings by level, the roll-up per government and the districts' 监察局 (GET /evaluation/rankings
?level=&government=, GET /evaluation/bureaus) through the real handlers, the Catalog table's
governments and the Supervision table's counters on moto."""

from __future__ import annotations

from datetime import datetime

import pytest

from sunlight.bootstrap import container
from sunlight.models.catalog import Department
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.rules.periods import Period
from sunlight.rules.workdays import CHINA_TZ
from tests.integration.test_evaluation import ADMIN, MARKET_LEADER, consumer, request  # noqa: F401
from tests.integration.test_handlers import call, handlers  # noqa: F401

CITY, ECHENG, HUARONG = "420700", "420704", "420703"


@pytest.fixture
def districts(handlers):
    catalog = container().catalog
    for government in (
        Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
        Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY),
    ):
        catalog.put_government(government)
    catalog.put_department(Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局",
                                      government_id=ECHENG))
    catalog.put_department(Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容区市场监管局",
                                      government_id=HUARONG))
    return handlers


def _fact(consumer, detail_type: str, department: str, subject: str, **fields) -> None:
    at = datetime.now(CHINA_TZ).isoformat()
    details = {
        "WarningIssued": {"warning_id": subject, "case_id": f"C-{subject}", "level": "red", "issued_at": at},
        "SupervisionOrderIssued": {"order_id": subject, "source_kind": "warning", "source_id": f"W-{subject}",
                                   "issued_at": at, "due_at": at},
        "ComplaintFiled": {"complaint_id": subject, "case_id": None, "filed_at": at},
    }[detail_type]
    result = consumer(detail_type, {"event_id": f"{subject}:1", "department_id": department, **details, **fields})
    assert result["result"] == "counted", result


def test_rankings_by_level_roll_up_and_the_district_bureaus(districts, consumer):
    api, _ = districts
    _fact(consumer, "WarningIssued", "echeng-market", "lv-card-1")
    _fact(consumer, "SupervisionOrderIssued", "echeng-market", "lv-order-1")
    _fact(consumer, "ComplaintFiled", "huarong-market", "lv-complaint-1")
    period = str(Period.month_of(datetime.now(CHINA_TZ)))

    status, county = call(api, request("GET", "/evaluation/rankings", query={"period": period, "level": "county"}))
    assert status == 200, county
    assert county["level"] == "county"
    assert sorted((r["department_id"], r["government_name"]) for r in county["rows"]) == [
        ("echeng-market", "鄂城区"), ("huarong-market", "华容区")]
    assert [r["government_id"] for r in county["rollup"]] == [HUARONG, ECHENG]
    echeng = county["rollup"][1]
    assert echeng["level_label"] == "县（市、区）级" and echeng["total"]["red_cards"] == 1 and echeng["total"]["orders_issued"] == 1

    status, everything = call(api, request("GET", "/evaluation/rankings", query={"period": period}))
    assert status == 200
    city = everything["rollup"][0]
    assert city["government_id"] == CITY and city["departments"] == len(everything["rows"])
    assert city["total"]["red_cards"] >= 1 and city["total"]["complaints"] >= 1  # the districts' figures are in the city's

    status, one = call(api, request("GET", "/evaluation/rankings", query={"period": period, "government": ECHENG}))
    # 鄂城区 and the levels below it (the demo seed's 凤凰街道 and 滨湖社区), never 华容区 or the city's
    assert status == 200 and sorted(r["department_id"] for r in one["rows"]) == ["binhu-station", "echeng-market", "fenghuang-center"]

    status, error = call(api, request("GET", "/evaluation/rankings", query={"government": "420799"}))
    assert status == 422 and error["details"] == {"field": "government"} and "420799" in error["message"], error
    status, refused = call(api, request("GET", "/evaluation/rankings", query={"level": "province"}))
    # named as the rankings mean it, not as the warnings filter of the same name
    assert (status, refused["errors"][0]["message"]) == (422, "行政层级的取值无效，可选：city、county、township、village")
    assert call(api, request("GET", "/evaluation/rankings", query={"government": "ezhou"}))[0] == 422

    status, table = call(api, request("GET", "/statistics", query={"period": period, "level": "county"}))
    assert status == 200, table
    assert sorted(r["department_id"] for r in table["rows"]) == ["echeng-market", "huarong-market"]
    assert call(api, request("GET", "/statistics", query={"period": period, "government": "420799"}))[0] == 422

    status, report = call(api, request("GET", "/evaluation/bureaus", query={"period": period}))
    assert status == 200, report
    assert [b["government_name"] for b in report["bureaus"]] == ["华容区", "鄂城区"]
    bureau = report["bureaus"][1]
    assert (bureau["red_cards"], bureau["orders_issued"], bureau["orders_per_warning"]) == (1, 1, 100.0)
    assert report["bureaus"][0]["complaints"] == 1 and report["city_total"]["government_id"] == CITY


@pytest.mark.parametrize("claims", [MARKET_LEADER, ADMIN])
def test_only_the_city_s_inspectors_see_the_bureaus(districts, claims):
    api, _ = districts
    status, error = call(api, request("GET", "/evaluation/bureaus", claims=claims))
    assert status == 403 and error["message"] == "下级监察机构的监督情况仅供市监察局查看。", error
