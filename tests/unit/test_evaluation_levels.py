"""Rankings by level, the roll-up per government, and the districts' 监察局 as the city's sees them
(services/evaluation.py on in-memory fakes)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sunlight.models.levels import Government, GovernmentLevel
from sunlight.models.roles import Principal, Role
from sunlight.rules.periods import Granularity
from sunlight.services.errors import Forbidden, InvalidInput
from sunlight.services.evaluation import EvaluationService
from sunlight.services.ports import FactEntry
from tests.fakes.cases import FakeClock
from tests.fakes.catalog import InMemoryCatalogRepository, make_department
from tests.fakes.evaluation import InMemoryEvaluation

CST = timezone(timedelta(hours=8))
CITY, ECHENG, HUARONG, FENGHUANG = "420700", "420704", "420703", "420704001"
GOVERNMENTS = [
    Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
    Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
    Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY),
    Government(government_id=FENGHUANG, name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id=ECHENG),
]
CITY_INSPECTOR = Principal(user_id="i", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id=CITY)
CITY_INSPECTOR_UNMARKED = Principal(user_id="j", name="王敏", roles=frozenset({Role.INSPECTOR}))  # no custom:government: sees nothing
ECHENG_INSPECTOR = Principal(user_id="e", name="陈立", roles=frozenset({Role.INSPECTOR}), government_id=ECHENG)
MARKET_INSPECTOR = Principal(user_id="m", name="周洁", roles=frozenset({Role.INSPECTOR}), department_id="market")
ADMIN = Principal(user_id="a", name="谢文博", roles=frozenset({Role.ADMIN}))


class World:
    def __init__(self, governments: list[Government] = GOVERNMENTS) -> None:
        self.clock = FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=CST))
        self.facts = InMemoryEvaluation()
        self.catalog = InMemoryCatalogRepository(
            [
                make_department("market", "市市场监督管理局"),
                make_department("planning", "市自然资源和规划局"),
                make_department("echeng-market", "鄂城区市场监督管理局", government_id=ECHENG),
                make_department("huarong-market", "华容区市场监督管理局", government_id=HUARONG),
                make_department("fenghuang-center", "凤凰街道便民服务中心", government_id=FENGHUANG),
            ],
            governments=governments,
        )
        self.service = EvaluationService(evaluation=self.facts, catalog=self.catalog, clock=self.clock)
        self._n = 0

    def fact(self, department: str, *metrics: str, **increments: int) -> None:
        self._n += 1
        subject = f"S{self._n:04d}"
        self.facts.record_fact(FactEntry(
            event_id=f"{subject}#1", department_id=department, month="2026-11", subject_id=subject, item_code=None,
            metrics=metrics, increments={m: 1 for m in metrics} | increments,
            occurred_at=datetime(2026, 11, 10, 10, 0, tzinfo=CST), details={}))

    def case(self, department: str, *, on_time: bool = True) -> None:
        self.fact(department, "received", "completed", "closed_completed", "on_time" if on_time else "overdue",
                  days_used=5, days_promised=10)


def populated() -> World:
    world = World()
    for _ in range(2):
        world.case("market")
    world.case("planning", on_time=False)
    world.case("echeng-market")
    world.case("echeng-market", on_time=False)
    world.case("huarong-market")
    world.case("fenghuang-center")
    world.fact("echeng-market", "red_cards")
    world.fact("fenghuang-center", "yellow_cards")
    world.fact("echeng-market", "orders_issued")
    world.fact("echeng-market", "orders_issued")
    world.fact("echeng-market", "orders_answered", "orders_answered_on_time", order_answer_days=2)
    world.fact("echeng-market", "orders_concluded")
    world.fact("huarong-market", "complaints")
    return world


def test_departments_are_ranked_among_their_level_s_peers():
    rankings = populated().service.rankings(CITY_INSPECTOR, None, level=GovernmentLevel.COUNTY)
    assert rankings.level is GovernmentLevel.COUNTY
    assert [(r.department_id, r.rank, r.government_name) for r in rankings.rows] == [
        ("huarong-market", 1, "华容区"), ("echeng-market", 2, "鄂城区")]
    assert [r.government_id for r in rankings.rollup] == [HUARONG, ECHENG]  # the level's governments


def test_a_government_filter_ranks_that_government_and_below_and_rolls_up_its_tree():
    rankings = populated().service.rankings(CITY_INSPECTOR, None, government=ECHENG)
    assert [r.department_id for r in rankings.rows] == ["fenghuang-center", "echeng-market"]
    assert [r.rank for r in rankings.rows] == [1, 2]
    rows = {r.government_id: r for r in rankings.rollup}
    assert set(rows) == {ECHENG, FENGHUANG}
    assert (rows[ECHENG].total.received, rows[ECHENG].own.received, rows[ECHENG].departments) == (3, 2, 2)
    assert rows[ECHENG].indicators.on_time_rate == 66.67  # 2 of 3


def test_without_a_filter_every_department_is_ranked_and_the_city_total_includes_the_districts():
    rankings = populated().service.rankings(CITY_INSPECTOR, None)
    assert len(rankings.rows) == 5 and rankings.level is None and rankings.government_id is None
    city = rankings.rollup[0]
    assert (city.government_id, city.own.received, city.total.received, city.departments) == (CITY, 3, 7, 5)
    assert city.total.completed == 7 and city.total.on_time == 5
    assert [r.government_id for r in rankings.rollup] == [CITY, HUARONG, ECHENG, FENGHUANG]


def test_a_district_inspector_sees_only_its_district_and_never_another():
    world = populated()
    rankings = world.service.rankings(ECHENG_INSPECTOR, None)
    assert {r.department_id for r in rankings.rows} == {"echeng-market", "fenghuang-center"}
    assert {r.government_id for r in rankings.rollup} == {ECHENG, FENGHUANG}
    assert [r.department_id for r in world.service.rankings(ECHENG_INSPECTOR, None, government=FENGHUANG).rows] == ["fenghuang-center"]
    with pytest.raises(Forbidden, match="本级及下级"):
        world.service.rankings(ECHENG_INSPECTOR, None, government=HUARONG)
    with pytest.raises(Forbidden, match="本级及下级"):
        world.service.rankings(ECHENG_INSPECTOR, None, government=CITY)
    assert world.service.rankings(ECHENG_INSPECTOR, None, level=GovernmentLevel.CITY).rows == []


def test_an_unknown_government_is_named_in_a_400():
    with pytest.raises(InvalidInput, match="420799") as error:
        populated().service.rankings(CITY_INSPECTOR, None, government="420799")
    assert error.value.details == {"field": "government"}


def test_a_closed_period_is_filtered_from_its_snapshot_and_earlier_ranks_are_among_peers():
    world = populated()
    world.clock.current = datetime(2026, 12, 3, 10, 0, tzinfo=CST)
    world.service.close_due()
    rankings = world.service.rankings(CITY_INSPECTOR, "2026-11", level=GovernmentLevel.COUNTY)
    assert not rankings.provisional
    assert [(r.department_id, r.rank) for r in rankings.rows] == [("huarong-market", 1), ("echeng-market", 2)]
    december = world.service.rankings(CITY_INSPECTOR, "2026-12", level=GovernmentLevel.COUNTY)
    assert {r.department_id: r.comparison.previous_rank for r in december.rows} == {"huarong-market": 1, "echeng-market": 2}
    city_wide = world.service.rankings(CITY_INSPECTOR, "2026-12")
    assert {r.department_id: r.comparison.previous_rank for r in city_wide.rows}["echeng-market"] > 2


def test_before_the_tree_is_stored_every_department_is_the_city_s():
    world = World(governments=[])
    world.case("market")
    world.case("echeng-market")
    rankings = world.service.rankings(CITY_INSPECTOR, None)
    assert [(r.government_id, r.total.received) for r in rankings.rollup] == [("420700", 2)]
    with pytest.raises(Forbidden, match="未设置所属政府"):  # an inspector without a level fails closed (services/scope.py)
        world.service.rankings(CITY_INSPECTOR_UNMARKED, None)


def test_the_city_s_inspectors_watch_each_district_s_bureau():
    report = populated().service.bureaus(CITY_INSPECTOR, None)
    assert report.provisional and report.period == "2026-11"
    assert [b.government_name for b in report.bureaus] == ["华容区", "鄂城区"]
    echeng = report.bureaus[1]
    assert (echeng.received, echeng.red_cards, echeng.yellow_cards, echeng.departments) == (3, 1, 1, 2)
    assert (echeng.orders_issued, echeng.orders_answered, echeng.orders_on_time_rate, echeng.avg_order_answer_days) == (2, 1, 100.0, 2.0)
    assert echeng.orders_per_warning == 100.0 and echeng.orders_concluded_per_issued == 50.0
    assert echeng.cards_per_100 == 66.67  # 2 cards / 3 cases
    huarong = report.bureaus[0]
    assert (huarong.complaints, huarong.complaints_concluded_per_filed) == (1, 0.0)
    assert report.city_total.received == 7 and report.city_total.orders_issued == 2
    with pytest.raises(Forbidden):
        populated().service.bureaus(CITY_INSPECTOR_UNMARKED, "2026-11")


@pytest.mark.parametrize("principal", [ECHENG_INSPECTOR, MARKET_INSPECTOR, ADMIN])
def test_only_the_city_s_inspectors_see_the_bureaus(principal):
    with pytest.raises(Forbidden, match="仅供市监察局"):
        populated().service.bureaus(principal, None)


def test_a_district_inspector_reads_and_counts_only_its_district_s_departments():
    from sunlight.services.evaluation import Dimension

    world = populated()
    assert world.service.department(ECHENG_INSPECTOR, "fenghuang-center", None).score.figures.received == 1
    for other in ("huarong-market", "market"):
        with pytest.raises(Forbidden, match="本级及下级"):
            world.service.department(ECHENG_INSPECTOR, other, None)
        with pytest.raises(Forbidden, match="本级及下级"):
            world.service.history(ECHENG_INSPECTOR, other, Granularity.MONTH)
        with pytest.raises(Forbidden, match="本级及下级"):
            world.service.statistics(ECHENG_INSPECTOR, "2026-11", Dimension.DEPARTMENT, other)
    table = world.service.statistics(ECHENG_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None)
    assert {r["department_id"] for r in table.rows} == {"echeng-market", "fenghuang-center"}
    status = world.service.statistics(ECHENG_INSPECTOR, "2026-11", Dimension.STATUS, None)
    assert next(r["count"] for r in status.rows if r["status"] == "received") == 3
    # The city's inspectors see every department; an inspector without a government none.
    assert len(world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None).rows) == 5
    assert world.service.department(CITY_INSPECTOR, "huarong-market", None).score.figures.received == 1
    with pytest.raises(Forbidden, match="未设置所属政府"):
        world.service.department(CITY_INSPECTOR_UNMARKED, "huarong-market", None)


def test_statistics_by_level_and_government():
    from sunlight.services.evaluation import Dimension

    world = populated()
    county = world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None, level=GovernmentLevel.COUNTY)
    assert [r["department_id"] for r in county.rows] == ["echeng-market", "huarong-market"]
    under = world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.STATUS, None, government=ECHENG)
    assert next(r["count"] for r in under.rows if r["status"] == "received") == 3  # 鄂城区 2 + 凤凰街道 1
    city_level = world.service.statistics(ADMIN, "2026-11", Dimension.STATUS, None, level=GovernmentLevel.CITY)
    assert next(r["count"] for r in city_level.rows if r["status"] == "received") == 3  # market 2 + planning 1
    district = world.service.statistics(ECHENG_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None, level=GovernmentLevel.TOWNSHIP)
    assert [r["department_id"] for r in district.rows] == ["fenghuang-center"]
    with pytest.raises(Forbidden, match="本级及下级"):
        world.service.statistics(ECHENG_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None, government=HUARONG)
    with pytest.raises(InvalidInput, match="420799"):
        world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None, government="420799")
