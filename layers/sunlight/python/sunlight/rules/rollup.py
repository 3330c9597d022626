"""Figures by level (分级汇总): a department's figures count at its own government (本级) and at
every government above it (合计), so a district's total holds its townships' and villages', and the
city's total holds everything. Ranking among a level's peers picks the departments whose
government is at that level. Pure functions over the government tree (models/levels.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..models.evaluation import BureauSupervision, Figures, GovernmentRollup
from ..models.levels import Government, GovernmentLevel, government_path, within
from .scoring import CENT, indicator_values


@dataclass
class _Totals:
    own: Figures = field(default_factory=Figures)
    total: Figures = field(default_factory=Figures)
    departments: int = 0


def root_of(governments: Mapping[str, Government]) -> str:
    """The top of the tree (the city): the one government without a parent."""
    roots = sorted(g.government_id for g in governments.values() if g.parent_id is None)
    if len(roots) != 1:
        raise ValueError("政府层级应有且只有一个市级政府")
    return roots[0]


def department_path(government_id: str | None, governments: Mapping[str, Government]) -> tuple[str, ...]:
    """The department's place in the tree. A government missing from the tree (a department
    whose government is not listed yet) counts at the top, as departments without one do: its
    figures are never lost from the city's total."""
    if government_id is not None and government_id in governments:
        return government_path(government_id, dict(governments))
    return (root_of(governments),)


def tree_order(governments: Mapping[str, Government]) -> list[Government]:
    """Every government, each after its parent, siblings by code (the order tables are read in)."""
    paths = {g: government_path(g, dict(governments)) for g in governments}
    return [governments[g] for g in sorted(governments, key=lambda g: paths[g])]


def roll_up(
    governments: Mapping[str, Government],
    department_governments: Mapping[str, str | None],
    figures: Mapping[str, Figures],
) -> list[GovernmentRollup]:
    """Every government's own (本级) and rolled-up (本级及下级) figures, in tree order.

    `department_governments` names every department's government; `figures` the departments'
    figures (a department without figures counts with zeros, one without a government at the top).
    """
    totals: dict[str, _Totals] = {g: _Totals() for g in governments}
    for department_id in sorted(set(department_governments) | set(figures)):
        path = department_path(department_governments.get(department_id), governments)
        counted = figures.get(department_id, Figures())
        totals[path[-1]].own = totals[path[-1]].own + counted
        for government_id in path:
            totals[government_id].total = totals[government_id].total + counted
            totals[government_id].departments += 1
    return [
        GovernmentRollup(
            government_id=g.government_id, government_name=g.name, level=g.level, level_label=g.level.label,
            parent_id=g.parent_id, departments=totals[g.government_id].departments,
            own=totals[g.government_id].own, total=totals[g.government_id].total,
            indicators=indicator_values(totals[g.government_id].total, None),
        )
        for g in tree_order(governments)
    ]


def peers(
    department_governments: Mapping[str, str | None],
    governments: Mapping[str, Government],
    *,
    level: GovernmentLevel | None = None,
    under: str | None = None,
) -> set[str]:
    """The departments ranked together: those whose government is at `level` (同级比较) and
    at or below the government `under`; None leaves that condition out."""
    chosen = set()
    for department_id, government_id in department_governments.items():
        path = department_path(government_id, governments)
        if level is not None and governments[path[-1]].level is not level:
            continue
        if under is not None and not within(path, under):
            continue
        chosen.add(department_id)
    return chosen


def _percent(part: int, whole: int) -> float | None:
    """Two decimals, halves up, as the scores (rules/scoring.py)."""
    return float(Decimal(repr(100 * part / whole)).quantize(CENT, rounding=ROUND_HALF_UP)) if whole else None


def _average(total: int, count: int) -> float | None:
    return float(Decimal(repr(total / count)).quantize(CENT, rounding=ROUND_HALF_UP)) if count else None


def bureau_supervision(rollup: GovernmentRollup) -> BureauSupervision:
    """How the government's 监察局 supervises, from its rolled-up figures."""
    f = rollup.total
    values = indicator_values(f, None)
    return BureauSupervision(
        government_id=rollup.government_id, government_name=rollup.government_name, level=rollup.level,
        level_label=rollup.level_label, departments=rollup.departments, received=f.received,
        yellow_cards=f.yellow_cards, red_cards=f.red_cards, anomalies=f.anomalies,
        cards_per_100=_percent(f.yellow_cards + f.red_cards, f.received),
        orders_issued=f.orders_issued,
        orders_per_warning=_percent(f.orders_issued, f.yellow_cards + f.red_cards + f.anomalies),
        orders_answered=f.orders_answered, orders_answered_on_time=f.orders_answered_on_time,
        orders_on_time_rate=values.orders_on_time_rate, avg_order_answer_days=values.avg_order_answer_days,
        orders_concluded=f.orders_concluded, orders_concluded_per_issued=_percent(f.orders_concluded, f.orders_issued),
        orders_founded=f.orders_founded,
        complaints=f.complaints, complaints_concluded=f.complaints_concluded,
        complaints_concluded_per_filed=_percent(f.complaints_concluded, f.complaints),
        complaints_founded=f.complaints_founded,
        appeals_decided=f.appeals_decided, appeals_decided_on_time=f.appeals_decided_on_time,
        appeals_on_time_rate=_percent(f.appeals_decided_on_time, f.appeals_decided),
        avg_appeal_decision_days=_average(f.appeal_decision_days, f.appeals_decided),
        appeals_granted=f.appeals_granted, appeals_granted_rate=_percent(f.appeals_granted, f.appeals_decided),
    )


def districts(rollups: Iterable[GovernmentRollup]) -> list[GovernmentRollup]:
    """The county-level governments (县（市、区）), whose 监察局 the city's watches."""
    return [r for r in rollups if r.level is GovernmentLevel.COUNTY]

