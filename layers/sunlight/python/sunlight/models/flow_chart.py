"""The public flow chart of a catalog item (办理流程), drawn from the state machine that runs it.

Two shapes:
- `PatternChart`, the descriptor of one flow pattern: derived from its ASL at build time
  (infra/tools/flowchart_export.py, `make flowcharts`) and committed as sunlight/models/flow_charts.py.
  It holds only what the ASL says (state names, step and decision values, outcomes), no label.
- `FlowChart`, what the public item page draws: the descriptor with Chinese labels, who acts at each
  step and the item's own limit for each step (`flow_chart_of`).

So what the public sees is what runs: a changed state machine changes the chart once the descriptor
is regenerated, and a unit test fails while it is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import DomainModel
from .clock import LimitUnit
from .flow import STEP_ROLE, Decision, Outcome, Step

if TYPE_CHECKING:
    from .catalog import CatalogItem

NodeKind = Literal["step", "parallel", "end"]


class ChartEdge(DomainModel):
    """Where a node leads: the decision taken there (the Choice on `$.last.decision`) and the next node."""

    decision: str | None = Field(default=None, description="The decision value; None: whatever is decided")
    to: str | None = Field(default=None, description="The next node's id; None: the lane ends (the parallel part goes on)")
    conditional: bool = Field(default=False, description="Passes a Choice on the case itself (not on the decision)")


class ChartNode(DomainModel):
    """A human step, a Parallel or Map state (lanes side by side), or an end of the flow."""

    node_id: str = Field(description="The state's name in the ASL")
    kind: NodeKind
    step: str | None = None
    outcome: str | None = None
    each: str | None = Field(default=None, description="A Map's ItemsPath: one lane per item")
    lanes: list[list[ChartNode]] = Field(default_factory=list)
    edges: list[ChartEdge] = Field(default_factory=list)


class PatternChart(DomainModel):
    """The descriptor of one flow pattern; nodes in a topological order of the forward edges."""

    pattern: str
    source: str = Field(description="The ASL file under statemachines/")
    start: str
    nodes: list[ChartNode]


# --- what the public page draws ------------------------------------------------------------


# What the system (not a person) answers a step with: not in Decision, labelled here for the chart.
SYSTEM_DECISION_LABELS = {"withdraw": "逾期未补正", "expire": "逾期未陈述申辩"}
LANE_END_LABEL = "汇总意见"
END_WITHOUT_OUTCOME_LABEL = "结束"


class FlowChartBranch(DomainModel):
    """One way out of a step: the decision's label and where it leads."""

    decision: str | None = Field(default=None, description="决定（值）")
    label: str = Field(description="决定（如 要求补正、退回承办）；空：无论如何决定")
    to: str | None = Field(default=None, description="下一环节或结果的编号；空：并行办理汇总")
    to_label: str = Field(description="下一环节或结果（如 补正材料、不予受理）")
    conditional: bool = Field(default=False, description="视案件情况而定")
    back: bool = Field(default=False, description="回到此前的环节（如 退回承办、补正后重新受理）")


class FlowChartStep(DomainModel):
    """A step of the chart, or a group of steps done side by side (并行)."""

    node_id: str
    kind: Literal["step", "parallel"]
    step: Step | None = None
    label: str = Field(description="环节名称，或并行部分的说明")
    role_label: str = Field(default="", description="办理人")
    limit_days: int | None = Field(default=None, description="本事项该环节的时限（天数）；0：当日")
    limit_unit: LimitUnit | None = None
    limit_unit_label: str | None = Field(default=None, description="工作日 / 自然日")
    lanes: list[list[FlowChartStep]] = Field(default_factory=list, description="并行办理的各条线")
    branches: list[FlowChartBranch] = Field(default_factory=list)


class FlowChartEnd(DomainModel):
    node_id: str
    outcome: Outcome | None = None
    label: str = Field(description="办理结果（如 已办结、不予受理）")


class FlowChart(DomainModel):
    """办理流程: the item's steps in the order of its state machine, their branches and the outcomes."""

    pattern: str
    start: str
    steps: list[FlowChartStep]
    ends: list[FlowChartEnd]


@cache
def pattern_charts() -> dict[str, PatternChart]:
    """The generated descriptors, imported on first use only (not on the public function's cold start)."""
    from .flow_charts import CHARTS

    return {pattern: PatternChart.model_validate(chart) for pattern, chart in CHARTS.items()}


def flow_chart_of(item: CatalogItem) -> FlowChart | None:
    """The item's chart: its pattern's descriptor with labels and the item's own step limits."""
    chart = pattern_charts().get(str(item.flow))
    if chart is None:
        return None
    return chart_with_labels(chart, lambda step: _step_limit(item, step))


def _step_limit(item: CatalogItem, step: Step) -> tuple[int, LimitUnit] | None:
    days = item.step_limit_days.get(step)
    if days is None:
        return None
    # A step's unit is the catalog's `step_limit_units` (working days where it names none); read
    # loosely, as the field arrives with the limit units (行政处罚法 第八十五条) on another branch.
    units = getattr(item, "step_limit_units", None) or {}
    return days, LimitUnit(units.get(step, LimitUnit.WORKING_DAYS))


def chart_with_labels(chart: PatternChart, limit_of: Callable[[Step], tuple[int, LimitUnit] | None]) -> FlowChart:
    """`limit_of(step)` gives the item's (days, unit) for a step, or None."""
    labels: dict[str, str] = {}
    ends: list[FlowChartEnd] = []

    def collect(nodes: list[ChartNode]) -> None:
        for node in nodes:
            if node.kind == "step":
                labels[node.node_id] = Step(node.step or "").label
            elif node.kind == "parallel":
                labels[node.node_id] = parallel_label(node)
                for lane in node.lanes:
                    collect(lane)
            else:
                outcome = Outcome(node.outcome) if node.outcome else None
                labels[node.node_id] = outcome.label if outcome else END_WITHOUT_OUTCOME_LABEL
                ends.append(FlowChartEnd(node_id=node.node_id, outcome=outcome, label=labels[node.node_id]))

    collect(chart.nodes)
    ends = ends[-1:] + ends[:-1]  # the nodes' order puts the main way's end last; the chart names it first

    def drawn(nodes: list[ChartNode]) -> list[FlowChartStep]:
        order = {node.node_id: index for index, node in enumerate(nodes)}
        steps = []
        for index, node in enumerate(nodes):
            if node.kind == "end":
                continue
            branches = [
                FlowChartBranch(
                    decision=edge.decision,
                    label=_decision_label(edge.decision),
                    to=edge.to,
                    to_label=labels[edge.to] if edge.to else LANE_END_LABEL,
                    conditional=edge.conditional,
                    back=edge.to is not None and order.get(edge.to, index + 1) <= index,
                )
                for edge in node.edges
            ]
            if node.kind == "parallel":
                steps.append(
                    FlowChartStep(
                        node_id=node.node_id, kind="parallel", label=labels[node.node_id],
                        lanes=[drawn(lane) for lane in node.lanes], branches=branches,
                    )
                )
                continue
            step = Step(node.step or "")
            limit = limit_of(step)
            steps.append(
                FlowChartStep(
                    node_id=node.node_id, kind="step", step=step, label=step.label, role_label=STEP_ROLE[step].label,
                    limit_days=limit[0] if limit else None, limit_unit=limit[1] if limit else None,
                    limit_unit_label=limit[1].label if limit else None, branches=branches,
                )
            )
        return steps

    return FlowChart(pattern=chart.pattern, start=chart.start, steps=drawn(chart.nodes), ends=ends)


def _decision_label(decision: str | None) -> str:
    if decision is None:
        return ""
    if decision in SYSTEM_DECISION_LABELS:
        return SYSTEM_DECISION_LABELS[decision]
    return Decision(decision).label


def parallel_label(node: ChartNode) -> str:
    """What a Parallel or Map part is, in words: a Map of 会签意见 is the co-departments' (并联审批)."""
    if node.each is None:
        return "以下环节同时办理"
    steps = {inner.step for lane in node.lanes for inner in lane if inner.kind == "step"}
    if steps == {"opinion"}:
        return "各协办部门并行出具意见"
    return "各协办部门并行办理" if "depart" in node.each.lower() else "逐项并行办理"
