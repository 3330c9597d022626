"""Figures by level (rules/rollup.py) against figures added up by hand."""

from __future__ import annotations

import pytest

from sunlight.models.evaluation import Figures
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.rules.rollup import bureau_supervision, department_path, districts, peers, roll_up, root_of, tree_order

CITY, ECHENG, HUARONG, FENGHUANG, BINHU = "420700", "420704", "420703", "420704001", "420704001001"
GOVERNMENTS = {
    g.government_id: g
    for g in (
        Government(government_id=CITY, name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id=ECHENG, name="鄂城区", level=GovernmentLevel.COUNTY, parent_id=CITY),
        Government(government_id=HUARONG, name="华容区", level=GovernmentLevel.COUNTY, parent_id=CITY),
        Government(government_id=FENGHUANG, name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id=ECHENG),
        Government(government_id=BINHU, name="滨湖社区", level=GovernmentLevel.VILLAGE, parent_id=FENGHUANG),
    )
}
DEPARTMENT_GOVERNMENTS: dict[str, str | None] = {
    "market": CITY,
    "echeng-market": ECHENG,
    "fenghuang-center": FENGHUANG,
    "binhu-station": BINHU,
    "huarong-market": HUARONG,
    "orphan": "420799",  # a government not (yet) in the tree: counted at the city
    "quiet": HUARONG,  # no figures this period
}
FIGURES = {
    "market": Figures(received=10, completed=8, on_time=6, yellow_cards=1),
    "echeng-market": Figures(received=4, completed=4, on_time=3, red_cards=1, orders_issued=2, orders_answered=2,
                             orders_answered_on_time=1, order_answer_days=5, orders_concluded=1),
    "fenghuang-center": Figures(received=2, completed=2, on_time=2, yellow_cards=1, complaints=1, complaints_concluded=1),
    "binhu-station": Figures(received=1, completed=1, anomalies=1, orders_issued=1),
    "huarong-market": Figures(received=3, completed=2, on_time=2),
    "orphan": Figures(received=1),
}


def _by_id():
    return {r.government_id: r for r in roll_up(GOVERNMENTS, DEPARTMENT_GOVERNMENTS, FIGURES)}


def test_each_government_totals_its_own_departments_and_every_level_below():
    rows = _by_id()
    assert (rows[BINHU].own.received, rows[BINHU].total.received, rows[BINHU].departments) == (1, 1, 1)
    assert (rows[FENGHUANG].own.received, rows[FENGHUANG].total.received, rows[FENGHUANG].departments) == (2, 3, 2)
    echeng = rows[ECHENG]
    assert (echeng.own.received, echeng.total.received, echeng.total.completed, echeng.total.on_time) == (4, 7, 7, 5)
    assert (echeng.total.yellow_cards, echeng.total.red_cards, echeng.total.anomalies) == (1, 1, 1)
    assert (echeng.total.orders_issued, echeng.total.orders_answered, echeng.total.order_answer_days) == (3, 2, 5)
    assert echeng.departments == 3
    assert (rows[HUARONG].total.received, rows[HUARONG].departments) == (3, 2)  # 'quiet' counts with zeros


def test_the_city_total_includes_the_districts_and_a_department_of_an_unknown_government():
    city = _by_id()[CITY]
    assert city.own.received == 11  # market 10 + orphan 1
    assert city.total.received == 10 + 4 + 2 + 1 + 3 + 1
    assert city.total.completed == 17 and city.total.on_time == 13
    assert city.departments == 7
    assert city.total == Figures.total(list(FIGURES.values()))


def test_rates_are_computed_on_the_totals_so_districts_compare():
    rows = _by_id()
    assert rows[ECHENG].indicators.on_time_rate == 71.43  # 5 / 7
    assert rows[HUARONG].indicators.on_time_rate == 100.0  # 2 / 2
    assert rows[FENGHUANG].indicators.on_time_rate == 66.67  # 2 / 3
    assert rows[CITY].indicators.on_time_rate == 76.47  # 13 / 17
    assert rows[ECHENG].indicators.avg_order_answer_days == 2.5 and rows[ECHENG].indicators.orders_on_time_rate == 50.0
    assert rows[CITY].indicators.disclosure_rate is None  # not rolled up


def test_rows_come_in_tree_order_with_their_level_labels():
    rows = roll_up(GOVERNMENTS, DEPARTMENT_GOVERNMENTS, FIGURES)
    assert [r.government_id for r in rows] == [CITY, HUARONG, ECHENG, FENGHUANG, BINHU]
    assert [r.level_label for r in rows] == ["市级", "县（市、区）级", "县（市、区）级", "乡镇（街道）级", "村（社区）级"]
    assert [g.government_id for g in tree_order(GOVERNMENTS)] == [CITY, HUARONG, ECHENG, FENGHUANG, BINHU]


def test_peers_are_the_departments_of_one_level_and_or_under_one_government():
    assert peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS, level=GovernmentLevel.COUNTY) == {"echeng-market", "huarong-market", "quiet"}
    assert peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS, level=GovernmentLevel.CITY) == {"market", "orphan"}
    assert peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS, under=ECHENG) == {"echeng-market", "fenghuang-center", "binhu-station"}
    assert peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS, level=GovernmentLevel.TOWNSHIP, under=HUARONG) == set()
    assert peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS, level=GovernmentLevel.VILLAGE, under=CITY) == {"binhu-station"}
    assert len(peers(DEPARTMENT_GOVERNMENTS, GOVERNMENTS)) == len(DEPARTMENT_GOVERNMENTS)


def test_a_district_bureau_is_judged_on_its_level_and_below():
    echeng = bureau_supervision(_by_id()[ECHENG])
    assert (echeng.received, echeng.yellow_cards, echeng.red_cards, echeng.anomalies) == (7, 1, 1, 1)
    assert echeng.cards_per_100 == 28.57  # 2 cards / 7 cases
    assert echeng.orders_per_warning == 100.0  # 3 orders / 3 warnings
    assert (echeng.orders_on_time_rate, echeng.avg_order_answer_days) == (50.0, 2.5)
    assert echeng.orders_concluded_per_issued == 33.33  # 1 / 3
    assert (echeng.complaints, echeng.complaints_concluded_per_filed) == (1, 100.0)
    huarong = bureau_supervision(_by_id()[HUARONG])
    assert huarong.orders_per_warning is None and huarong.cards_per_100 == 0.0 and huarong.orders_on_time_rate is None
    assert [r.government_id for r in districts(roll_up(GOVERNMENTS, DEPARTMENT_GOVERNMENTS, FIGURES))] == [HUARONG, ECHENG]


def test_the_tree_needs_one_city():
    assert root_of(GOVERNMENTS) == CITY
    assert department_path(None, GOVERNMENTS) == (CITY,)
    assert department_path(BINHU, GOVERNMENTS) == (CITY, ECHENG, FENGHUANG, BINHU)
    with pytest.raises(ValueError, match="市级政府"):
        root_of({ECHENG: GOVERNMENTS[ECHENG]})
