"""Each function's settings model (sunlight/config.py) against its environment in the template:
what the template gives is exactly what the function gets (also from the local runner), so every
variable its model requires must be there, and nothing the model does not know."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from sunlight.config import FunctionSettings, SettingsMissing

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def our_functions(synthesized) -> dict[str, dict[str, str]]:
    """Handler package -> its environment, for every function whose code is in functions/, in any
    stack. A value CloudFormation resolves at deploy time (a Ref, a GetAtt, a cross-stack
    reference) stands in as a placeholder."""
    found = {}
    functions = [f for stack in synthesized.all for f in stack.resources_of_type("AWS::Lambda::Function").values()]
    for function in functions:
        package = function["Properties"]["Handler"].split(".")[0]
        if (FUNCTIONS / package / "handler.py").exists():
            variables = function["Properties"].get("Environment", {}).get("Variables", {})
            found[package] = {key: value if isinstance(value, str) else f"resolved-{key}" for key, value in variables.items()}
    return found


def settings_of(package: str) -> type[FunctionSettings]:
    model = importlib.import_module(f"{package}.handler").SETTINGS
    assert issubclass(model, FunctionSettings)
    return model


def test_every_function_in_the_code_is_deployed_with_a_settings_model(synthesized):
    deployed = our_functions(synthesized)
    assert set(deployed) == {path.parent.name for path in FUNCTIONS.glob("*/handler.py")}
    for package in deployed:
        settings_of(package)


def test_each_function_environment_holds_what_its_model_requires_and_nothing_else(synthesized):
    for package, environment in our_functions(synthesized).items():
        model = settings_of(package)
        assert set(environment) <= model.keys(), f"{package}: unknown variables {set(environment) - model.keys()}"
        model.from_env(environment)  # raises SettingsMissing naming what is missing


def test_without_any_required_variable_each_function_stops_naming_it(synthesized):
    checked = 0
    for package, environment in our_functions(synthesized).items():
        model = settings_of(package)
        for field in model.model_fields.values():
            if field.is_required():
                short = {key: value for key, value in environment.items() if key != field.alias}
                with pytest.raises(SettingsMissing, match=f"{field.alias}: missing"):
                    model.from_env(short)
                with pytest.raises(SettingsMissing, match=f"{field.alias}: empty"):
                    model.from_env({**environment, str(field.alias): ""})
                checked += 1
    assert checked >= 40  # every table, bucket, bus, topic, pool, flow and secret of the 12 functions
