"""The evaluation formula with hand-computed figures (the arithmetic is in the comments)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sunlight.models.evaluation import DEFAULT_WEIGHTS, Figures, Indicator, Weights, WeightsRequest
from sunlight.rules import scoring
from sunlight.rules.periods import Granularity, Period, month_just_ended, periods_closing_with
from tests.fakes.catalog import make_item

CST = timezone(timedelta(hours=8))

MARKET = Figures(
    received=40, completed=20, on_time=18, early=5, overdue=2, days_used=120, days_promised=200,
    yellow_cards=1, red_cards=1, complaints=2, complaints_founded=1, ratings=10, rating_sum=43,
    orders_answered=4, orders_answered_on_time=3, order_answer_days=10,
)


def complete_item(code: str):
    return make_item(code, form_fields=[{"field_id": "name", "label": "名称"}])


def test_disclosure_counts_each_filled_check_over_all_items():
    full = complete_item("420700-XK-0201")  # 8 of 8 checks
    # No online form and a legal basis that cites no article: 6 of 8.
    partial = make_item("420700-XK-0202", legal_basis="《食品安全法》有关规定")
    assert all(scoring.disclosure_checks(full).values())
    assert scoring.disclosure_checks(partial) == {**{k: True for k in scoring.DISCLOSURE_CHECKS}, "legal_basis": False, "form": False}
    # (8 + 6) / 16 = 87.5 %
    assert scoring.disclosure_rate([full, partial]) == 87.5
    assert scoring.disclosure_rate([]) is None


def test_indicators_and_sub_scores_by_hand():
    values = scoring.indicator_values(MARKET, 87.5)
    assert values.on_time_rate == 90.0  # 18 / 20
    assert values.early_rate == 25.0  # 5 / 20
    assert values.avg_days_used == 6.0  # 120 / 20
    assert values.avg_days_promised == 10.0  # 200 / 20
    assert values.time_used_ratio == 60.0  # 120 / 200
    assert values.complaints_per_100 == 5.0  # 2 × 100 / 40
    assert values.avg_satisfaction == 4.3  # 43 / 10
    assert values.orders_on_time_rate == 75.0  # 3 / 4
    assert values.avg_order_answer_days == 2.5  # 10 / 4

    scores = scoring.sub_scores(MARKET, values)
    assert scores == {
        Indicator.ON_TIME: 90.0,
        Indicator.EARLY: 25.0,
        Indicator.TIME_USED: 90.0,  # 150 − 100 × 120/200 = 150 − 60
        Indicator.CARDS: 62.5,  # (1 + 2×1) × 100/40 = 7.5 per 100; 100 − 5 × 7.5
        Indicator.COMPLAINTS: 50.0,  # (2 + 2×1) × 100/40 = 10 per 100; 100 − 5 × 10
        Indicator.SATISFACTION: 82.5,  # (4.3 − 1) / 4 × 100
        Indicator.ORDERS: 75.0,
        Indicator.DISCLOSURE: 87.5,
    }


def test_weighted_total_with_the_default_weights():
    score = scoring.score_department("market", "市场监管局", MARKET, 87.5, Weights.default())
    # 25×90 + 10×25 + 10×90 + 15×62.5 + 10×50 + 15×82.5 + 10×75 + 5×87.5
    # = 2250 + 250 + 900 + 937.5 + 500 + 1237.5 + 750 + 437.5 = 7262.5; ÷ 100 = 72.625 → 72.63
    assert score.total == 72.63


def test_indicators_without_data_share_their_weight_out():
    # Only disclosure (87.5) and the complaints indicator have data: no cases received, yet one
    # complaint: (1 + 0) × 100 / max(0, 1) = 100 per 100 → 100 − 500 → 0.
    figures = Figures(complaints=1)
    scores = scoring.sub_scores(figures, scoring.indicator_values(figures, 87.5))
    assert scores[Indicator.COMPLAINTS] == 0.0
    assert scores[Indicator.ON_TIME] is None and scores[Indicator.CARDS] is None and scores[Indicator.SATISFACTION] is None
    # (10 × 0 + 5 × 87.5) / (10 + 5) = 437.5 / 15 = 29.1666… → 29.17
    assert scoring.weighted_total(scores, Weights.default()) == 29.17
    assert scoring.weighted_total({i: None for i in Indicator}, Weights.default()) is None


def test_sub_scores_are_clamped_to_0_100():
    slow = Figures(received=1, completed=1, on_time=0, overdue=1, days_used=30, days_promised=10, yellow_cards=5)
    scores = scoring.sub_scores(slow, scoring.indicator_values(slow, None))
    assert scores[Indicator.TIME_USED] == 0.0  # 150 − 300 < 0
    assert scores[Indicator.CARDS] == 0.0  # 100 − 5 × 500
    fast = Figures(received=1, completed=1, on_time=1, days_used=1, days_promised=10)
    assert scoring.sub_scores(fast, scoring.indicator_values(fast, None))[Indicator.TIME_USED] == 100.0  # 150 − 10 > 100


def test_ranking_shares_ranks_on_ties_and_puts_departments_without_a_total_last():
    weights = Weights.default()
    make = lambda dept, rate: scoring.score_department(dept, dept, Figures(completed=4, on_time=rate), None, weights)  # noqa: E731  (a one-line helper local to this test)
    none = scoring.score_department("zeta", "zeta", Figures(), None, weights)
    result = scoring.ranked([make("b", 2), make("a", 4), none, make("c", 2), make("d", 1)])
    assert [(s.department_id, s.rank) for s in result] == [("a", 1), ("b", 2), ("c", 2), ("d", 4), ("zeta", None)]


def test_weights_must_be_non_negative_and_sum_to_100():
    assert sum(DEFAULT_WEIGHTS.values()) == 100
    with pytest.raises(ValueError, match="合计|之和须为100，当前为101"):
        WeightsRequest(weights={**DEFAULT_WEIGHTS, Indicator.ON_TIME: 26})
    with pytest.raises(ValueError, match="不能为负数"):
        WeightsRequest(weights={**DEFAULT_WEIGHTS, Indicator.ON_TIME: -5, Indicator.EARLY: 40})
    with pytest.raises(ValueError, match="缺少以下指标的权重：信息公开完整度"):
        WeightsRequest(weights={k: v for k, v in DEFAULT_WEIGHTS.items() if k is not Indicator.DISCLOSURE})


def test_the_published_formula_names_every_weight():
    weights = Weights(version=3, weights={**DEFAULT_WEIGHTS, Indicator.ON_TIME: 20, Indicator.SATISFACTION: 20})
    text = "\n".join(scoring.formula_text(weights))
    assert "按时办结率（权重20）" in text and "满意度（权重20）" in text and "信息公开完整度（权重5）" in text


# --- periods -------------------------------------------------------------------------------


def test_period_parsing_and_labels():
    assert str(Period.parse("2026-10")) == "2026-10" and Period.parse("2026-10").label == "2026年10月"
    assert Period.parse("2026-q4") == Period(Granularity.QUARTER, 2026, 4)
    assert Period.parse("2026").label == "2026年"
    for bad in ("2026-13", "2026-Q5", "26-10", "2026/10", "", "1999"):
        with pytest.raises(ValueError, match="2026-10（月）"):
            Period.parse(bad)


def test_period_arithmetic():
    assert str(Period.parse("2026-01").previous()) == "2025-12"
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert str(Period.parse("2026").previous()) == "2025"
    assert str(Period.parse("2026-03").year_earlier()) == "2025-03"
    assert [str(m) for m in Period.parse("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]
    assert len(Period.parse("2026").months()) == 12
    assert [str(p) for p in Period.parse("2026-02").recent(3)] == ["2025-12", "2026-01", "2026-02"]


def test_months_are_on_city_time():
    # 16:30 UTC on 31 October is 00:30 on 1 November in Shanghai.
    moment = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)
    assert str(Period.month_of(moment)) == "2026-11"
    assert str(month_just_ended(moment)) == "2026-10"
    october = Period.parse("2026-10")
    assert october.has_ended(moment) and not october.has_ended(moment - timedelta(minutes=31))


def test_quarters_and_years_close_with_their_last_month():
    assert [str(p) for p in periods_closing_with(Period.parse("2026-11"))] == ["2026-11"]
    assert [str(p) for p in periods_closing_with(Period.parse("2026-09"))] == ["2026-09", "2026-Q3"]
    assert [str(p) for p in periods_closing_with(Period.parse("2026-12"))] == ["2026-12", "2026-Q4", "2026"]


def test_a_department_without_cases_is_not_ranked_on_disclosure_alone():
    idle = scoring.score_department("idle", "idle", Figures(), 100.0, Weights.default())
    busy = scoring.score_department("busy", "busy", Figures(received=1, completed=1, on_time=1), 100.0, Weights.default())
    assert idle.sub_scores[scoring.Indicator.DISCLOSURE] == 100.0
    assert idle.total is None and busy.total is not None
    assert [s.rank for s in scoring.ranked([idle, busy])] == [1, None]


def test_founded_supervision_orders_cost_points():
    figures = MARKET.model_copy(update={"orders_concluded": 2, "orders_founded": 1})
    scores = scoring.sub_scores(figures, scoring.indicator_values(figures, 87.5))
    assert scores[Indicator.ORDERS] == 65.0  # 3/4 on time = 75; one founded: 75 − 10
    only_founded = Figures(orders_concluded=1, orders_founded=1)
    assert scoring.sub_scores(only_founded, scoring.indicator_values(only_founded, None))[Indicator.ORDERS] == 90.0
