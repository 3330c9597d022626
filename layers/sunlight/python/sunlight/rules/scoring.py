"""The evaluation formula (考核办法): figures → indicators → sub-scores 0–100 → weighted total → rank.

Pure functions; the published text of the formula (`formula_text`) is generated from the same
constants, so what is published is what is computed. Every figure is rounded to two decimals
where it is shown, and sub-scores are rounded before they are weighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from ..models.catalog import CatalogItem
from ..models.evaluation import (
    INDICATOR_LABELS,
    DepartmentScore,
    Figures,
    Indicator,
    IndicatorValues,
    Weights,
)
from ..models.flow import staff_steps_of

CENT = Decimal("0.01")

# How the sub-scores are derived (published in the formula).
TIME_USED_FULL_MARKS_RATIO = 50  # using at most half of the promised time scores 100
CARD_RED_FACTOR = 2  # a red card weighs as two yellow cards
CARD_POINTS_PER_100 = 5  # points off per (weighted) card per 100 received cases
COMPLAINT_FOUNDED_EXTRA = 2  # a founded complaint counts three times (itself plus two)
COMPLAINT_POINTS_PER_100 = 5
ORDER_FOUNDED_POINTS = 10  # points off per supervision order concluded 问题属实 or 已整改


def _round(value: float) -> float:
    """Two decimals, halves rounded up (四舍五入), as people check the arithmetic by hand."""
    return float(Decimal(repr(value)).quantize(CENT, rounding=ROUND_HALF_UP)) + 0.0


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def _percent(part: int, whole: int) -> float | None:
    return _round(100 * part / whole) if whole else None


def _average(total: int, count: int) -> float | None:
    return _round(total / count) if count else None


# --- disclosure completeness (信息公开完整度), from the catalog at scoring time ---------------

_ARTICLE = re.compile(r"第[一二三四五六七八九十百零\d]+条")

DISCLOSURE_CHECKS: dict[str, str] = {
    "legal_basis": "设定依据注明法律法规条款",
    "conditions": "受理条件",
    "materials": "申请材料注明份数",
    "fees": "收费标准注明依据（或明示不收费）",
    "limits": "法定时限和承诺时限",
    "flow": "办理流程各环节时限",
    "form": "网上申请表",
    "published": "已公开",
}


def disclosure_checks(item: CatalogItem) -> dict[str, bool]:
    """Which parts of the item's public information are filled in."""
    return {
        "legal_basis": bool(_ARTICLE.search(item.legal_basis)),
        "conditions": len(item.conditions.strip()) >= 4,
        "materials": bool(item.materials) and all(m.name.strip() and m.copies.strip() for m in item.materials),
        "fees": all(f.basis.strip() for f in item.fees),
        "limits": item.legal_limit_days > 0 and 0 < item.promised_limit_days and (
            item.promised_limit_unit is not item.legal_limit_unit or item.promised_limit_days <= item.legal_limit_days
        ),  # days of different units are not compared (as the catalog's own check)
        # Every staff step of the item's flow has its limit (即办件's 当场办理: 0, the day of receipt).
        "flow": all(step in item.step_limit_days for step in staff_steps_of(item.flow)),
        "form": bool(item.form_fields),
        "published": item.published,
    }


def disclosure_rate(items: Iterable[CatalogItem]) -> float | None:
    """Share (%) of the checks filled in, over all the department's items; None without items."""
    checks = [passed for item in items for passed in disclosure_checks(item).values()]
    return _percent(sum(checks), len(checks)) if checks else None


# --- indicators and sub-scores -------------------------------------------------------------


def indicator_values(figures: Figures, disclosure: float | None) -> IndicatorValues:
    f = figures
    return IndicatorValues(
        on_time_rate=_percent(f.on_time, f.completed),
        early_rate=_percent(f.early, f.completed),
        avg_days_used=_average(f.days_used, f.completed),
        avg_days_promised=_average(f.days_promised, f.completed),
        time_used_ratio=_percent(f.days_used, f.days_promised),
        yellow_cards=f.yellow_cards,
        red_cards=f.red_cards,
        complaints_per_100=_percent(f.complaints, f.received),
        complaints_founded=f.complaints_founded,
        avg_satisfaction=_average(f.rating_sum, f.ratings),
        orders_on_time_rate=_percent(f.orders_answered_on_time, f.orders_answered),
        avg_order_answer_days=_average(f.order_answer_days, f.orders_answered),
        disclosure_rate=disclosure,
    )


def sub_scores(figures: Figures, values: IndicatorValues) -> dict[Indicator, float | None]:
    """0–100 per indicator; None where the period has no data for it (its weight is then shared
    out over the others)."""
    f = figures
    scores: dict[Indicator, float | None] = {}
    scores[Indicator.ON_TIME] = values.on_time_rate
    scores[Indicator.EARLY] = values.early_rate
    scores[Indicator.TIME_USED] = (
        _round(_clamp(100 + TIME_USED_FULL_MARKS_RATIO - 100 * f.days_used / f.days_promised)) if f.days_promised else None
    )
    cards = f.yellow_cards + CARD_RED_FACTOR * f.red_cards
    scores[Indicator.CARDS] = (
        _round(_clamp(100 - CARD_POINTS_PER_100 * cards * 100 / max(f.received, 1))) if f.received or cards else None
    )
    complaints = f.complaints + COMPLAINT_FOUNDED_EXTRA * f.complaints_founded
    scores[Indicator.COMPLAINTS] = (
        _round(_clamp(100 - COMPLAINT_POINTS_PER_100 * complaints * 100 / max(f.received, 1)))
        if f.received or complaints
        else None
    )
    scores[Indicator.SATISFACTION] = _round(100 * (f.rating_sum / f.ratings - 1) / 4) if f.ratings else None
    # Orders: answered on time, less points for every order whose conclusion found the problem real.
    if f.orders_answered or f.orders_founded:
        on_time = values.orders_on_time_rate if values.orders_on_time_rate is not None else 100.0
        scores[Indicator.ORDERS] = _round(_clamp(on_time - ORDER_FOUNDED_POINTS * f.orders_founded))
    else:
        scores[Indicator.ORDERS] = None
    scores[Indicator.DISCLOSURE] = values.disclosure_rate
    return scores


def weighted_total(scores: Mapping[Indicator, float | None], weights: Weights) -> float | None:
    """Σ weight × sub-score / Σ weight, over the indicators that have data; None if none has."""
    applicable = {i: s for i, s in scores.items() if s is not None and weights.weights.get(i, 0) > 0}
    weight_sum = sum(weights.weights[i] for i in applicable)
    if not weight_sum:
        return None
    return _round(sum(weights.weights[i] * s for i, s in applicable.items()) / weight_sum)


def score_department(
    department_id: str, department_name: str, figures: Figures, disclosure: float | None, weights: Weights
) -> DepartmentScore:
    values = indicator_values(figures, disclosure)
    scores = sub_scores(figures, values)
    return DepartmentScore(
        department_id=department_id,
        department_name=department_name,
        figures=figures,
        indicators=values,
        sub_scores=scores,
        # A department that received and closed nothing is not ranked: its catalog disclosure
        # alone would otherwise score it like the best-run department.
        total=weighted_total(scores, weights) if figures.received or figures.completed else None,
    )


def ranked(scores: Sequence[DepartmentScore]) -> list[DepartmentScore]:
    """Highest total first; equal totals share a rank (1, 2, 2, 4); departments without a total
    come last, unranked. Ties are listed by department id."""
    with_total = sorted((s for s in scores if s.total is not None), key=lambda s: (-(s.total or 0), s.department_id))
    result: list[DepartmentScore] = []
    for position, score in enumerate(with_total, start=1):
        rank = result[-1].rank if result and result[-1].total == score.total else position
        result.append(score.model_copy(update={"rank": rank}))
    result += [s.model_copy(update={"rank": None}) for s in sorted(scores, key=lambda s: s.department_id) if s.total is None]
    return result


def change(current: float | None, earlier: float | None) -> float | None:
    return _round(current - earlier) if current is not None and earlier is not None else None


# --- the published formula (公示) ----------------------------------------------------------


def formula_text(weights: Weights) -> list[str]:
    w = weights.weights
    return [
        "各部门每月自动统计办件、红黄牌、投诉、满意度评价和督查督办数据，按以下指标计分（每项0–100分），"
        "再按权重加权得出总分（0–100分）；季度、年度为所含各月数据之和。",
        f"1. {INDICATOR_LABELS[Indicator.ON_TIME]}（权重{w[Indicator.ON_TIME]}）：按承诺时限办结件数 ÷ 办结件数 × 100。",
        f"2. {INDICATOR_LABELS[Indicator.EARLY]}（权重{w[Indicator.EARLY]}）：提前至少1个工作日办结件数 ÷ 办结件数 × 100。",
        f"3. {INDICATOR_LABELS[Indicator.TIME_USED]}（权重{w[Indicator.TIME_USED]}）：{100 + TIME_USED_FULL_MARKS_RATIO} − 实际用时合计 ÷ 承诺时限合计 × 100"
        f"（工作日，补正和特别程序期间不计），用时不超过承诺时限{TIME_USED_FULL_MARKS_RATIO}%得满分，取0–100。",
        f"4. {INDICATOR_LABELS[Indicator.CARDS]}（权重{w[Indicator.CARDS]}）："
        f"100 − {CARD_POINTS_PER_100} × （黄牌数 + {CARD_RED_FACTOR} × 红牌数）÷ 受理件数 × 100，"
        "经申诉撤销的红黄牌不计，取0–100。",
        f"5. {INDICATOR_LABELS[Indicator.COMPLAINTS]}（权重{w[Indicator.COMPLAINTS]}）："
        f"100 − {COMPLAINT_POINTS_PER_100} × （投诉件数 + {COMPLAINT_FOUNDED_EXTRA} × 属实件数）÷ 受理件数 × 100，取0–100。",
        f"6. {INDICATOR_LABELS[Indicator.SATISFACTION]}（权重{w[Indicator.SATISFACTION]}）：（平均评分 − 1）÷ 4 × 100（评分1–5分）。",
        f"7. {INDICATOR_LABELS[Indicator.ORDERS]}（权重{w[Indicator.ORDERS]}）：按期回复的督办单 ÷ 已回复的督办单 × 100，"
        f"每件经监察结论为问题属实或已整改的督办单扣{ORDER_FOUNDED_POINTS}分，取0–100。",
        f"8. {INDICATOR_LABELS[Indicator.DISCLOSURE]}（权重{w[Indicator.DISCLOSURE]}）：本部门事项公开信息（"
        + "、".join(DISCLOSURE_CHECKS.values())
        + "）的完整比例 × 100。",
        "某项指标当期无数据的（如无办结件），不计该项，其权重按比例分配给其余指标。当期无受理、无办结的部门不计总分、不参与排名。总分相同的部门名次并列。",
        "月度考核结果于次月1日自动生成并公示，生成后不再变动；当月数据为实时统计，仅供参考。",
    ]
