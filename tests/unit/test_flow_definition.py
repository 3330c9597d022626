"""The ASL decides the order of steps; the Python flow rules decide who acts and which decisions a
step takes. These must agree for every flow pattern, or a decision could be accepted that the state
machine cannot take."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.constants import FLOW_ASL
from sunlight.models.clock import WarningRules
from sunlight.models.flow import FLOW_STEPS, STEP_DECISIONS, SYSTEM_DECISIONS, FlowPattern, Outcome, Step

PATTERNS = [FlowPattern(pattern) for pattern in FLOW_ASL]


def states_of(pattern: FlowPattern) -> dict[str, Any]:
    """Every state of the pattern's ASL, those inside Parallel branches and Map iterators included."""
    found: dict[str, Any] = {}

    def collect(states: dict[str, Any]) -> None:
        for name, state in states.items():
            found[name] = state
            for branch in state.get("Branches", []):
                collect(branch["States"])
            for key in ("Iterator", "ItemProcessor"):
                if key in state:
                    collect(state[key]["States"])

    collect(json.loads(FLOW_ASL[pattern].read_text(encoding="utf-8"))["States"])
    return found


def human_steps(states: dict[str, Any]) -> dict[str, str]:
    """state name → step, for every waitForTaskToken task."""
    return {
        name: state["Parameters"]["Payload"]["step"]
        for name, state in states.items()
        if state.get("Resource", "").endswith(".waitForTaskToken")
    }


def finalized_outcomes(states: dict[str, Any]) -> set[str]:
    return {
        s["Parameters"]["Payload"]["outcome"] for s in states.values()
        if s.get("Parameters", {}).get("Payload", {}).get("kind") == "finalize"
    }


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_patterns_steps_are_its_human_states_and_vice_versa(pattern):
    assert sorted(set(human_steps(states_of(pattern)).values())) == sorted(s.value for s in FLOW_STEPS[pattern])


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_step_branches_on_exactly_its_decisions(pattern):
    states = states_of(pattern)
    for name, step in human_steps(states).items():
        choice = states[states[name]["Next"]]
        assert choice["Type"] == "Choice"
        branched = {c["StringEquals"] for c in choice["Choices"]}
        assert branched == {d.value for d in STEP_DECISIONS[Step(step)]} | SYSTEM_DECISIONS.get(Step(step), set()), name


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_human_step_has_a_timeout_and_catches_it(pattern):
    states = states_of(pattern)
    for name in human_steps(states):
        state = states[name]
        assert 0 < state["TimeoutSeconds"] <= 180 * 86400
        assert any("States.Timeout" in c["ErrorEquals"] for c in state["Catch"])


def test_the_longest_supplement_wait_ends_before_the_state_machines_backstop():
    # 补正 ends by the deadline check after the item's working days; the ASL timeout is a backstop.
    # Even with a whole Spring Festival week per month, N working days fit in 2N calendar days.
    longest = WarningRules.model_fields["supplement_wait_working_days"].metadata
    bound = next(m.le for m in longest if getattr(m, "le", None) is not None)
    for pattern in PATTERNS:
        states = states_of(pattern)
        for name, step in human_steps(states).items():
            if step == Step.SUPPLEMENT:
                assert 2 * bound * 86400 <= states[name]["TimeoutSeconds"], pattern


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_ends_only_in_known_outcomes(pattern):
    assert finalized_outcomes(states_of(pattern)) <= {o.value for o in Outcome}


def test_every_outcome_is_finalized_by_some_flow():
    assert set().union(*(finalized_outcomes(states_of(p)) for p in PATTERNS)) == {o.value for o in Outcome} - (
        set() if FlowPattern.PENALTY in PATTERNS else {Outcome.DROPPED.value}
    )


@pytest.mark.parametrize("pattern", PATTERNS)
def test_lambda_is_referenced_through_a_substitution(pattern):
    text = FLOW_ASL[pattern].read_text(encoding="utf-8")
    assert "${FlowStepFunctionArn}" in text and "arn:aws:lambda" not in text


def test_every_flow_pattern_has_its_state_machine_and_its_public_chart():
    from sunlight.models.flow_chart import pattern_charts

    assert set(PATTERNS) == set(FlowPattern)
    assert set(pattern_charts()) == {p.value for p in FlowPattern}
