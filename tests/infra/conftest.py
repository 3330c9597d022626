"""Build the Sunlight stack once per session: synthesis takes several seconds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from infra.app import build_app, cdk_json_context
from infra.stack import SunlightStack


@dataclass(frozen=True)
class SynthesizedStack:
    app: App
    stack: SunlightStack
    template: Template
    assembly_dir: Path

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template.to_json()["Resources"]

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


@pytest.fixture(scope="session")
def synthesized() -> SynthesizedStack:
    # The same feature flags as `cdk synth`, so tests see the template the CLI deploys.
    app, stack = build_app(context=cdk_json_context())
    template = Template.from_stack(stack)
    assembly = app.synth()  # cached: returns the assembly Template.from_stack produced
    return SynthesizedStack(app=app, stack=stack, template=template, assembly_dir=Path(assembly.directory))
