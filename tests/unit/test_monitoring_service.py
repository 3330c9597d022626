"""The inspectors' live overview (services/monitoring.py): who sees what, which day, which figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sunlight.models.catalog import Department
from sunlight.models.monitoring import OperationalMetric as M
from sunlight.models.roles import Principal, Role
from sunlight.services.errors import Forbidden, InvalidInput
from sunlight.services.monitoring import MonitoringService
from tests.fakes.cases import FakeClock
from tests.fakes.catalog import InMemoryCatalogRepository
from tests.fakes.monitoring import InMemoryMetrics

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
DEPARTMENTS = [Department(department_id="market", name="市市场监督管理局", short_name="市场监管"),
               Department(department_id="planning", name="市自然资源和规划局", short_name="规划")]


def person(*roles: Role, department: str | None = None, government: str | None = None) -> Principal:
    return Principal(user_id="u", name="n", roles=frozenset(roles), department_id=department, government_id=government)


CITY_INSPECTOR = person(Role.INSPECTOR, government="420700")


@pytest.fixture
def metrics() -> InMemoryMetrics:
    metrics = InMemoryMetrics()
    metrics.add(M.CASES_RECEIVED, "market", NOW - timedelta(hours=8, minutes=59))  # 00:01 today, city time
    metrics.add(M.CASES_RECEIVED, "market", NOW - timedelta(hours=9, minutes=1))  # 23:59 yesterday: not today
    metrics.add(M.CASES_RECEIVED, "planning", NOW)
    metrics.add(M.YELLOW_CARDS, "market", NOW, 2)
    metrics.add(M.RED_CARDS, "planning", NOW)
    metrics.add(M.COMPLAINTS_FILED, "market", NOW)
    metrics.add(M.CASES_RECEIVED, "housing", NOW)  # a department the catalog does not list: in the city totals only
    return metrics


@pytest.fixture
def service(metrics) -> MonitoringService:
    return MonitoringService(metrics=metrics, catalog=InMemoryCatalogRepository(DEPARTMENTS), clock=FakeClock(NOW))


def test_a_city_inspector_sees_every_department_and_the_city_totals_of_today(service, metrics):
    overview = service.overview(CITY_INSPECTOR)
    assert (overview.date, overview.scope, overview.source) == (date(2026, 11, 23), "city", "cloudwatch")
    assert overview.totals.model_dump() == {"received": 3, "completed": 0, "overdue": 0, "reminder": 0, "yellow": 2, "red": 1,
                                            "anomaly": 0, "complaints": 1}
    rows = {row.department_id: row.figures for row in overview.departments}
    assert list(rows) == ["market", "planning"]
    assert (rows["market"].received, rows["market"].yellow, rows["market"].complaints) == (1, 2, 1)
    assert (rows["planning"].received, rows["planning"].red) == (1, 1)
    assert overview.departments[0].short_name == "市场监管"
    (call,) = metrics.calls  # one read for the whole overview
    assert call == {"start": datetime(2026, 11, 23, tzinfo=CST), "end": datetime(2026, 11, 24, tzinfo=CST),
                    "departments": ["market", "planning"], "city": True}


def test_an_earlier_day(service):
    overview = service.overview(CITY_INSPECTOR, date(2026, 11, 22))
    assert overview.totals.received == 1 and overview.date == date(2026, 11, 22)


@pytest.mark.parametrize("caller", [person(Role.ADMIN)])
def test_administrators_see_the_city(service, caller):
    assert service.overview(caller).scope == "city"


@pytest.mark.parametrize("caller", [person(Role.INSPECTOR, department="market"), person(Role.LEADER, department="market")])
def test_a_departments_inspectors_and_leaders_see_their_department_only(service, metrics, caller):
    overview = service.overview(caller)
    assert overview.scope == "market"
    assert [row.department_id for row in overview.departments] == ["market"]
    assert overview.totals == overview.departments[0].figures and overview.totals.yellow == 2
    assert metrics.calls[-1]["city"] is False and metrics.calls[-1]["departments"] == ["market"]


@pytest.mark.parametrize("caller", [person(Role.HANDLER, department="market"), person(Role.WINDOW, department="market"),
                                    person(Role.CITIZEN), person(Role.LEADER)])
def test_others_are_refused(service, caller):
    with pytest.raises(Forbidden, match="监察总览"):
        service.overview(caller)


def test_a_future_day_and_a_day_past_the_retention_are_invalid(service):
    with pytest.raises(InvalidInput, match="今天以后") as error:
        service.overview(CITY_INSPECTOR, date(2026, 11, 24))
    assert error.value.details == {"field": "date"}
    with pytest.raises(InvalidInput, match="455"):
        service.overview(CITY_INSPECTOR, date(2025, 8, 1))


def test_a_districts_bureau_sees_the_departments_of_its_levels_and_their_sum(metrics):
    from sunlight.models.levels import Government, GovernmentLevel

    governments = [Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
                   Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
                   Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"),
                   Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700")]
    departments = [*DEPARTMENTS,
                   Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城市场", government_id="420704"),
                   Department(department_id="fenghuang-center", name="凤凰街道便民服务中心", short_name="凤凰中心", government_id="420704001"),
                   Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容市场", government_id="420703")]
    metrics.add(M.CASES_RECEIVED, "echeng-market", NOW)
    metrics.add(M.RED_CARDS, "fenghuang-center", NOW, 2)
    metrics.add(M.CASES_RECEIVED, "huarong-market", NOW)
    service = MonitoringService(metrics=metrics, catalog=InMemoryCatalogRepository(departments, governments=governments),
                                clock=FakeClock(NOW))
    overview = service.overview(person(Role.INSPECTOR, government="420704"))
    assert overview.scope == "420704"
    assert [row.department_id for row in overview.departments] == ["echeng-market", "fenghuang-center"]
    assert (overview.totals.received, overview.totals.red) == (1, 2)  # never 华容区's, nor the city's departments'
    assert metrics.calls[-1]["city"] is False
    with pytest.raises(Forbidden, match="未设置所属政府"):
        service.overview(person(Role.INSPECTOR))
