"""The flow-chart descriptors (sunlight/models/flow_charts.py): derived from statemachines/*.asl.json by
infra/tools/flowchart_export.py (`make flowcharts`), committed, and drawn on the public item page with
each item's own step limits (sunlight/models/flow_chart.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from infra.constants import STATEMACHINES_DIR
from infra.tools import flowchart_export
from sunlight.models.flow_chart import PatternChart, chart_with_labels, flow_chart_of, parallel_label, pattern_charts
from tests.unit.conftest import ITEM

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "asl"


def _derive(name: str) -> PatternChart:
    return flowchart_export.derive(json.loads((FIXTURES / name).read_text(encoding="utf-8")), name, name)


def _edges(chart_nodes, node_id):  # (decision, to, conditional) of one node
    node = next(n for n in chart_nodes if n.node_id == node_id)
    return [(e.decision, e.to, e.conditional) for e in node.edges]


# --- the committed descriptor is what the state machines give ---------------------------------


def test_the_committed_descriptor_is_the_derived_one():
    committed = flowchart_export.CHARTS_MODULE.read_text(encoding="utf-8")
    assert committed == flowchart_export.rendered(flowchart_export.pattern_charts()), "stale: run `make flowcharts` and commit it"


def test_every_state_machine_has_a_chart():
    patterns = {flowchart_export.pattern_of(f) for f in STATEMACHINES_DIR.glob("*.asl.json")}
    assert "standard" in patterns
    assert set(pattern_charts()) == patterns


def test_the_export_writes_the_module(tmp_path):
    target = tmp_path / "flow_charts.py"
    assert flowchart_export.main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == flowchart_export.rendered(flowchart_export.pattern_charts())


def test_pattern_names_follow_the_files():
    assert flowchart_export.pattern_of(Path("standard_approval.asl.json")) == "standard"
    assert flowchart_export.pattern_of(Path("joint_approval.asl.json")) == "joint"
    assert flowchart_export.pattern_of(Path("penalty_simple.asl.json")) == "penalty_simple"
    assert flowchart_export.pattern_of(Path("inspection.asl.json")) == "inspection"


# --- the standard approval, from its real ASL ----------------------------------------------------


def test_the_standard_chart_has_the_steps_in_the_flows_order_with_their_decisions():
    chart = pattern_charts()["standard"]
    assert chart.start == "Accept"
    assert [n.step for n in chart.nodes if n.kind == "step"] == ["accept", "supplement", "handle", "review", "approve", "complete"]
    assert _edges(chart.nodes, "Accept") == [
        ("accept", "Handle", False), ("reject", "Rejected", False), ("request_supplement", "Supplement", False),
    ]
    assert _edges(chart.nodes, "Supplement") == [("resubmit", "Accept", False), ("withdraw", "Withdrawn", False)]
    assert _edges(chart.nodes, "Review") == [("pass", "Approve", False), ("return", "Handle", False)]
    assert {n.outcome for n in chart.nodes if n.kind == "end"} == {"completed", "rejected", "denied", "withdrawn"}
    # The timeout backstop (StepTimedOut -> Suspended) and UnknownDecision are not ways an item is handled.
    assert {n.node_id for n in chart.nodes} == {
        "Accept", "Supplement", "Handle", "Review", "Approve", "Complete", "Completed", "Rejected", "Denied", "Withdrawn",
    }


# --- Choice, Parallel and Map, from small fixtures ----------------------------------------------


def test_a_choice_on_the_case_is_a_conditional_branch_and_pass_and_wait_are_passed_through():
    chart = _derive("choices.asl.json")
    assert chart.start == "Handle"  # the Pass before it is not drawn
    assert _edges(chart.nodes, "Handle") == [
        ("submit", "Review", True),  # 法制审核 only where the case needs it
        ("submit", "Approve", True),  # through the Wait
        ("drop", "Dropped", False),
    ]
    assert [n.node_id for n in chart.nodes if n.kind == "step"] == ["Handle", "Review", "Approve"]
    assert _edges(chart.nodes, "Review") == [("pass", "Approve", False), ("return", "Handle", False)]


def test_a_parallel_state_is_drawn_as_lanes_side_by_side():
    chart = _derive("parallel.asl.json")
    assert [n.node_id for n in chart.nodes if n.kind != "end"] == ["Accept", "Together", "Approve"]
    together = next(n for n in chart.nodes if n.node_id == "Together")
    assert together.kind == "parallel" and together.each is None
    assert [[(n.step, [(e.decision, e.to) for e in n.edges]) for n in lane] for lane in together.lanes] == [
        [("handle", [("submit", None)])],  # the lane's Succeed: it goes on after the Parallel
        [("review", [(None, None)])],
    ]
    assert _edges(chart.nodes, "Together") == [(None, "Approve", False)]
    assert [[n.node_id for n in lane] for lane in together.lanes] == [["Together/1/Handle"], ["Together/2/Review"]]


def test_a_map_over_the_co_departments_is_one_lane_per_department_then_the_gathered_opinions_branch():
    chart = _derive("joint_map.asl.json")
    opinions = next(n for n in chart.nodes if n.node_id == "Opinions")
    assert opinions.kind == "parallel" and opinions.each == "$.coDepartments"
    assert parallel_label(opinions) == "各协办部门并行出具意见"
    [lane] = opinions.lanes
    assert [n.node_id for n in lane] == ["Opinions/Opinion"]
    assert [(e.decision, e.to) for e in lane[0].edges] == [("agree", None), ("disagree", None), ("request_supplement", None)]
    # After the Gather task: a Choice on the gathered opinions, not on a decision.
    assert _edges(chart.nodes, "Opinions") == [(None, "Supplement", True), (None, "Handle", True)]
    assert _edges(chart.nodes, "Supplement") == [("resubmit", "Opinions", False), ("withdraw", "Withdrawn", False)]
    assert [n.step or n.node_id for n in chart.nodes if n.kind != "end"] == ["accept", "Opinions", "supplement", "handle", "approve"]


def test_a_step_named_by_a_path_cannot_be_drawn():
    definition = json.loads((FIXTURES / "parallel.asl.json").read_text(encoding="utf-8"))
    payload = definition["States"]["Approve"]["Parameters"]["Payload"]
    payload["step.$"] = payload.pop("step")
    with pytest.raises(flowchart_export.AslNotDrawable, match="Approve"):
        flowchart_export.derive(definition, "p", "p.asl.json")


def test_a_new_asl_file_is_picked_up_and_one_without_labels_is_refused(tmp_path):
    shutil.copy(FIXTURES / "parallel.asl.json", tmp_path / "side_by_side.asl.json")
    assert set(flowchart_export.pattern_charts(tmp_path)) == {"side_by_side"}

    definition = json.loads((FIXTURES / "parallel.asl.json").read_text(encoding="utf-8"))
    definition["States"]["Approve"]["Parameters"]["Payload"]["step"] = "teleport"
    (tmp_path / "unknown_approval.asl.json").write_text(json.dumps(definition), encoding="utf-8")
    with pytest.raises(flowchart_export.AslNotDrawable, match="unknown_approval.asl.json"):
        flowchart_export.pattern_charts(tmp_path)
    assert flowchart_export.main([str(tmp_path / "out.py")]) == 0  # the real directory still exports


# --- the chart the public page draws: labels, roles and the item's limits ------------------------


def test_the_public_chart_names_steps_roles_decisions_and_outcomes_in_chinese_with_the_items_limits():
    item = ITEM.model_copy(update={"step_limit_days": {**ITEM.step_limit_days, "handle": 7}})
    chart = flow_chart_of(item)
    assert chart is not None and chart.pattern == "standard"
    steps = {s.node_id: s for s in chart.steps}
    assert [s.label for s in chart.steps] == ["受理", "补正材料", "承办", "审核", "批准", "办结"]
    handle = steps["Handle"]
    assert (handle.role_label, handle.limit_days, handle.limit_unit_label) == ("承办人", 7, "工作日")
    assert steps["Supplement"].role_label == "申请人" and steps["Supplement"].limit_days is None
    assert [(b.label, b.to_label, b.back) for b in steps["Accept"].branches] == [
        ("受理", "承办", False), ("不予受理", "不予受理", False), ("要求补正", "补正材料", False),
    ]
    assert [(b.label, b.to_label, b.back) for b in steps["Review"].branches] == [("审核通过", "批准", False), ("退回承办", "承办", True)]
    assert [(b.label, b.to_label, b.back) for b in steps["Supplement"].branches] == [("补正提交", "受理", True), ("逾期未补正", "视为撤回", False)]
    assert [e.label for e in chart.ends] == ["已办结", "不予受理", "视为撤回", "不予批准"]


def test_the_public_chart_of_a_parallel_part_has_its_lanes_and_where_they_lead():
    chart = chart_with_labels(_derive("parallel.asl.json"), lambda step: None)
    together = next(s for s in chart.steps if s.node_id == "Together")
    assert together.kind == "parallel" and together.label == "以下环节同时办理"
    assert [[s.label for s in lane] for lane in together.lanes] == [["承办"], ["审核"]]
    assert [(b.label, b.to_label) for b in together.lanes[0][0].branches] == [("提交承办意见", "汇总意见")]
    assert [(b.label, b.to_label) for b in together.branches] == [("", "批准")]


def test_an_item_whose_flow_has_no_chart_gets_none():
    assert flow_chart_of(ITEM.model_copy(update={"flow": "no_such_pattern"})) is None


def test_the_public_functions_cold_start_does_not_load_the_descriptors():
    import subprocess
    import sys

    probe = "import sys, api_public.handler; print('sunlight.models.flow_charts' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": ":".join(sys.path)}).stdout
    assert out.strip() == "False"


def test_a_limit_in_calendar_days_is_named_so():
    from sunlight.models.clock import LimitUnit

    chart = chart_with_labels(pattern_charts()["standard"], lambda step: (15, LimitUnit.CALENDAR_DAYS) if step == "handle" else None)
    handle = next(s for s in chart.steps if s.step == "handle")
    assert (handle.limit_days, handle.limit_unit, handle.limit_unit_label) == (15, "calendar_days", "自然日")
    assert next(s for s in chart.steps if s.step == "review").limit_days is None


def test_the_check_fails_on_a_stale_module_and_passes_on_a_fresh_one(tmp_path, capsys):
    target = tmp_path / "flow_charts.py"
    assert flowchart_export.main([str(target)]) == 0
    assert flowchart_export.main(["--check", str(target)]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("'accept'", "'handle'", 1), encoding="utf-8")
    assert flowchart_export.main(["--check", str(target)]) == 1
    assert "make flowcharts" in capsys.readouterr().err
