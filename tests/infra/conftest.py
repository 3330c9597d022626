"""Build the Sunlight app once per session (synthesis takes several seconds); tests assert on the
stack that owns what they check (data, compute, api, api_routes, exchange, web, monitoring)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from infra.app import build_app, cdk_json_context
from infra.stack import SunlightStacks


@dataclass(frozen=True)
class SynthesizedStack:
    app: App
    stack: Stack
    template: Template
    assembly_dir: Path

    @cached_property
    def template_json(self) -> dict[str, Any]:
        """The template as JSON, read once: each `to_json()` is a round trip through jsii (a deref per
        API method made the routes tests take a minute). Tests read it; none may change it."""
        return self.template.to_json()

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template_json["Resources"]

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        return self.template_json.get("Outputs", {})

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {lid: r for lid, r in self.resources.items() if r["Type"] == resource_type}

    def resource(self, resource_type: str, logical_id_prefix: str) -> dict[str, Any]:
        """The one resource of a type whose logical id starts with a contract id of infra/constants.py."""
        matches = [
            r for lid, r in self.resources_of_type(resource_type).items() if lid.startswith(logical_id_prefix)
        ]
        assert len(matches) == 1, f"expected one {resource_type} {logical_id_prefix}*, found {len(matches)}"
        return matches[0]

    def file_asset_path(self, asset_hash: str) -> Path:
        """Where the files of an asset were staged in the assembly."""
        manifest = json.loads((self.assembly_dir / f"{self.stack.artifact_id}.assets.json").read_text())
        return self.assembly_dir / manifest["files"][asset_hash]["source"]["path"]

    def logical_id(self, resource_type: str, logical_id_prefix: str) -> str:
        matches = [lid for lid in self.resources_of_type(resource_type) if lid.startswith(logical_id_prefix)]
        assert len(matches) == 1, f"expected one {resource_type} {logical_id_prefix}*, found {matches}"
        return matches[0]


@dataclass(frozen=True)
class SynthesizedApp:
    app: App
    stacks: SunlightStacks
    data: SynthesizedStack
    compute: SynthesizedStack
    api: SynthesizedStack
    api_routes: SynthesizedStack  # the API's methods, deployment and stage
    exchange: SynthesizedStack  # the inbound exchange's RestApi, resource server and app clients
    web: SynthesizedStack
    monitoring: SynthesizedStack

    @property
    def all(self) -> tuple[SynthesizedStack, ...]:
        return (self.data, self.compute, self.api, self.api_routes, self.exchange, self.web, self.monitoring)

    def stack_named(self, name: str) -> SynthesizedStack:
        return next(s for s in self.all if s.stack.stack_name == name)

    def deref(self, value: Any) -> Any:
        """`value` with each cross-stack reference replaced by what the producing stack outputs
        (a Ref or Fn::GetAtt there): to check what a reference points at, in whichever stack."""
        if isinstance(value, list):
            return [self.deref(v) for v in value]
        if not isinstance(value, dict):
            return value
        if set(value) == {"Fn::GetStackOutput"}:
            reference = value["Fn::GetStackOutput"]
            return self.stack_named(reference["StackName"]).outputs[reference["OutputName"]]["Value"]
        return {k: self.deref(v) for k, v in value.items()}


@pytest.fixture(scope="session")
def synthesized() -> SynthesizedApp:
    # The same feature flags as `cdk synth`, so tests see the templates the CLI deploys.
    app, stacks = build_app(context=cdk_json_context())
    templates = [Template.from_stack(stack) for stack in stacks.all]
    assembly = app.synth()  # cached: returns the assembly Template.from_stack produced
    parts = [SynthesizedStack(app, stack, template, Path(assembly.directory))
             for stack, template in zip(stacks.all, templates, strict=True)]
    return SynthesizedApp(app, stacks, *parts)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook turns the group into the node id's suffix
def pytest_collection_modifyitems(items):
    """Under `--dist loadgroup` (`make test`) the app is synthesized by one worker only: every test
    here without a group of its own joins the "infra" group (the CLI test keeps its own)."""
    for item in items:
        if item.nodeid.startswith("tests/infra/") and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group("infra"))
