"""The ASL decides the order of steps; the Python flow rules decide who acts and which decisions a
step takes. These must agree, or a decision could be accepted that the state machine cannot take."""

from __future__ import annotations

import json

from infra.constants import STANDARD_FLOW_ASL
from sunlight.models.clock import WarningRules
from sunlight.models.flow import STEP_DECISIONS, SYSTEM_DECISIONS, Outcome, Step

ASL = json.loads(STANDARD_FLOW_ASL.read_text())
STATES = ASL["States"]


def human_steps() -> dict[str, str]:
    """state name → step, for every waitForTaskToken task."""
    return {
        name: state["Parameters"]["Payload"]["step"]
        for name, state in STATES.items()
        if state.get("Resource", "").endswith(".waitForTaskToken")
    }


def test_every_step_is_a_human_state_and_vice_versa():
    assert sorted(human_steps().values()) == sorted(s.value for s in Step)


def test_each_step_branches_on_exactly_its_decisions():
    for name, step in human_steps().items():
        choice = STATES[STATES[name]["Next"]]
        assert choice["Type"] == "Choice"
        branched = {c["StringEquals"] for c in choice["Choices"]}
        assert branched == {d.value for d in STEP_DECISIONS[Step(step)]} | SYSTEM_DECISIONS.get(Step(step), set()), name


def test_every_human_step_has_a_timeout_and_catches_it():
    for name in human_steps():
        state = STATES[name]
        assert 0 < state["TimeoutSeconds"] <= 180 * 86400
        assert any("States.Timeout" in c["ErrorEquals"] for c in state["Catch"])


def test_the_longest_supplement_wait_ends_before_the_state_machines_backstop():
    # 补正 ends by the deadline check after the item's working days; the ASL timeout is a backstop.
    # Even with a whole Spring Festival week per month, N working days fit in 2N calendar days.
    longest = WarningRules.model_fields["supplement_wait_working_days"].metadata
    bound = next(m.le for m in longest if getattr(m, "le", None) is not None)
    assert 2 * bound * 86400 <= STATES["Supplement"]["TimeoutSeconds"]


def test_every_outcome_is_finalized_by_the_flow():
    finalized = {s["Parameters"]["Payload"]["outcome"] for s in STATES.values() if s.get("Parameters", {}).get("Payload", {}).get("kind") == "finalize"}
    assert finalized == {o.value for o in Outcome}


def test_lambda_is_referenced_through_a_substitution():
    text = STANDARD_FLOW_ASL.read_text()
    assert "${FlowStepFunctionArn}" in text and "arn:aws:lambda" not in text
