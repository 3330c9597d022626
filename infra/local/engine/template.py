"""The synthesized CloudFormation template, and its intrinsic functions resolved locally.

`IntrinsicResolver` evaluates Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If,
Fn::Equals/And/Or/Not, Fn::FindInMap, Fn::Base64, Fn::GetAZs and the pseudo parameters against
the physical ids and attributes of the resources created in moto, so the local system reads the
same template that `cdk deploy` deploys. Cross-stack references (Fn::GetStackOutput, Fn::ImportValue)
resolve against the outputs and exports of the stacks provisioned before (`StackOutputs`);
`load_stacks` reads every stack template of a cloud assembly in deployment order.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

# moto's fixed account id: ARNs built here and ARNs built by moto must agree.
LOCAL_ACCOUNT_ID = "123456789012"

_NO_VALUE = object()  # AWS::NoValue: the enclosing key or list item disappears
_SUB_VARIABLE = re.compile(r"\$\{(!?)([^}]*)\}")


class TemplateError(Exception):
    """The template uses something the local resolver cannot evaluate."""


@dataclass(frozen=True)
class Template:
    body: Mapping[str, Any]
    path: Path | None = None
    stack_name: str = ""  # the stack's name in the cloud assembly ("" for a template read alone)

    @classmethod
    def load(cls, path: str | Path, stack_name: str = "") -> Template:
        path = Path(path)
        return cls(json.loads(path.read_text(encoding="utf-8")), path, stack_name)

    @property
    def resources(self) -> Mapping[str, Mapping[str, Any]]:
        return self.body.get("Resources", {})

    @property
    def outputs(self) -> Mapping[str, Mapping[str, Any]]:
        return self.body.get("Outputs", {})

    def resources_of_type(self, resource_type: str) -> dict[str, Mapping[str, Any]]:
        return {lid: res for lid, res in self.resources.items() if res.get("Type") == resource_type}

    def logical_id(self, construct_id: str, resource_type: str | None = None) -> str:
        """The logical id CDK derived from a construct id (the id plus an 8-hex-digit hash).

        Exact matches win; otherwise exactly one `<construct_id><hash>` must exist.
        """
        candidates = [
            lid for lid, res in self.resources.items()
            if resource_type is None or res.get("Type") == resource_type
        ]
        if construct_id in candidates:
            return construct_id
        pattern = re.compile(re.escape(construct_id) + r"[0-9A-F]{8}$")
        matches = [lid for lid in candidates if pattern.match(lid)]
        if len(matches) != 1:
            raise TemplateError(f"{len(matches)} resources match construct id {construct_id!r}: {matches}")
        return matches[0]

    def asset_file(self, bucket: Any, key: Any) -> Path:
        """The local file behind an asset that CDK uploads to S3 (DefinitionS3Location etc.)."""
        if self.path is None:
            raise TemplateError("asset lookup needs the template's cdk.out directory")
        key = key if isinstance(key, str) else ""
        manifest_path = self.path.with_name(self.path.name.replace(".template.json", ".assets.json"))
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for asset in manifest.get("files", {}).values():
            if any(dest.get("objectKey") == key for dest in asset.get("destinations", {}).values()):
                return manifest_path.parent / asset["source"]["path"]
        raise TemplateError(f"asset {key!r} is not in {manifest_path.name}")


ASSEMBLY_MANIFEST = "manifest.json"
STACK_ARTIFACT_TYPE = "aws:cloudformation:stack"


def load_stacks(path: str | Path) -> list[Template]:
    """The stack templates of a cloud assembly (`cdk.out`, or its manifest.json) in dependency
    order, producers before consumers; a single `*.template.json` is a one-stack assembly."""
    path = Path(path)
    if path.is_file() and path.name != ASSEMBLY_MANIFEST:
        return [Template.load(path, path.name.removesuffix(".template.json"))]
    manifest_path = path if path.is_file() else path / ASSEMBLY_MANIFEST
    artifacts = json.loads(manifest_path.read_text(encoding="utf-8")).get("artifacts", {})
    stacks = {artifact_id: artifact for artifact_id, artifact in artifacts.items()
              if artifact.get("type") == STACK_ARTIFACT_TYPE}
    graph = {artifact_id: {d for d in artifact.get("dependencies", []) if d in stacks}
             for artifact_id, artifact in stacks.items()}
    templates = []
    for artifact_id in TopologicalSorter(graph).static_order():
        properties = stacks[artifact_id].get("properties", {})
        templates.append(Template.load(manifest_path.parent / properties["templateFile"],
                                       properties.get("stackName") or artifact_id))
    if not templates:
        raise TemplateError(f"{manifest_path} names no CloudFormation stacks")
    return templates


@dataclass
class StackOutputs:
    """What deployed stacks offer later ones: their outputs by stack and output name
    (Fn::GetStackOutput, CDK's weak references) and their exports by name (Fn::ImportValue)."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)

    def output(self, stack_name: str, output_name: str) -> Any:
        try:
            return self.outputs[stack_name][output_name]
        except KeyError:
            raise TemplateError(f"Fn::GetStackOutput {stack_name}.{output_name}: no such output of a "
                                "stack provisioned before") from None

    def export(self, name: str) -> Any:
        try:
            return self.exports[name]
        except KeyError:
            raise TemplateError(f"Fn::ImportValue {name!r}: not exported by a stack provisioned before") from None


@dataclass
class PseudoParameters:
    region: str = "us-east-1"
    account_id: str = LOCAL_ACCOUNT_ID
    stack_name: str = "Sunlight"
    partition: str = "aws"
    url_suffix: str = "amazonaws.com"

    def as_refs(self) -> dict[str, Any]:
        return {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": (
                f"arn:{self.partition}:cloudformation:{self.region}:{self.account_id}"
                f":stack/{self.stack_name}/00000000-0000-0000-0000-000000000000"
            ),
            "AWS::Partition": self.partition,
            "AWS::URLSuffix": self.url_suffix,
            "AWS::NotificationARNs": [],
            "AWS::NoValue": _NO_VALUE,
        }


@dataclass
class IntrinsicResolver:
    """Evaluates intrinsic functions. `physical_ids` and `attributes` fill up as resources are created."""

    template: Template
    pseudo: PseudoParameters = field(default_factory=PseudoParameters)
    parameters: dict[str, Any] = field(default_factory=dict)
    physical_ids: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    stack_outputs: StackOutputs = field(default_factory=StackOutputs)

    def __post_init__(self) -> None:
        for name, spec in self.template.body.get("Parameters", {}).items():
            if name not in self.parameters and "Default" in spec:
                self.parameters[name] = spec["Default"]
        self._conditions: dict[str, bool] = {}

    # -- public ---------------------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        resolved = self._resolve(value)
        return None if resolved is _NO_VALUE else resolved

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            spec = self.template.body.get("Conditions", {}).get(name)
            if spec is None:
                raise TemplateError(f"unknown condition {name!r}")
            self._conditions[name] = bool(self._resolve(spec))
        return self._conditions[name]

    def is_active(self, logical_id: str) -> bool:
        """False for a resource whose Condition is false (CloudFormation does not create it)."""
        name = self.template.resources[logical_id].get("Condition")
        return name is None or self.condition(name)

    def ref(self, name: str) -> Any:
        pseudo = self.pseudo.as_refs()
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical_ids:
            return self.physical_ids[name]
        raise TemplateError(f"Ref {name!r}: not a parameter, pseudo parameter or created resource")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        attrs = self.attributes.get(logical_id)
        if attrs is None:
            raise TemplateError(f"Fn::GetAtt {logical_id}.{attribute}: resource not created")
        try:
            return attrs[attribute]
        except KeyError:
            raise TemplateError(f"Fn::GetAtt {logical_id}.{attribute}: attribute not known locally") from None

    # -- evaluation -----------------------------------------------------------------------------

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(v) for v in value]
            return [v for v in items if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            function = self._FUNCTIONS.get(key)
            if function is not None:
                return function(self, arg)
            if key.startswith("Fn::"):
                raise TemplateError(f"intrinsic {key} is not supported locally")
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}

    def _fn_ref(self, arg: str) -> Any:
        return self.ref(arg)

    def _fn_get_att(self, arg: Any) -> Any:
        if isinstance(arg, str):
            logical_id, attribute = arg.split(".", 1)
        else:
            logical_id, attribute = arg[0], self._resolve(arg[1])
        return self.get_att(logical_id, attribute)

    def _fn_join(self, arg: list[Any]) -> str:
        delimiter, items = arg
        return str(delimiter).join(_as_str(v) for v in self._resolve(items))

    def _fn_sub(self, arg: Any) -> str:
        if isinstance(arg, str):
            text, variables = arg, {}
        else:
            text, variables = arg[0], self._resolve(arg[1])

        def substitute(match: re.Match[str]) -> str:
            literal, name = match.groups()
            if literal:  # ${!Name} is the literal text ${Name}
                return "${" + name + "}"
            if name in variables:
                return _as_str(variables[name])
            if "." in name and name.split(".", 1)[0] in self.template.resources:
                return _as_str(self.get_att(*name.split(".", 1)))
            return _as_str(self.ref(name))

        return _SUB_VARIABLE.sub(substitute, text)

    def _fn_select(self, arg: list[Any]) -> Any:
        index, items = self._resolve(arg[0]), self._resolve(arg[1])
        return items[int(index)]

    def _fn_split(self, arg: list[Any]) -> list[str]:
        delimiter, text = arg[0], self._resolve(arg[1])
        return str(text).split(delimiter)

    def _fn_if(self, arg: list[Any]) -> Any:
        name, if_true, if_false = arg
        return self._resolve(if_true if self.condition(name) else if_false)

    def _fn_equals(self, arg: list[Any]) -> bool:
        left, right = (self._resolve(v) for v in arg)
        return left == right

    def _fn_and(self, arg: list[Any]) -> bool:
        return all(self._resolve(v) for v in arg)

    def _fn_or(self, arg: list[Any]) -> bool:
        return any(self._resolve(v) for v in arg)

    def _fn_not(self, arg: list[Any]) -> bool:
        return not self._resolve(arg[0])

    def _fn_condition(self, arg: str) -> bool:
        return self.condition(arg)

    def _fn_find_in_map(self, arg: list[Any]) -> Any:
        name, top, second = (self._resolve(v) for v in arg[:3])
        return self.template.body["Mappings"][name][top][second]

    def _fn_base64(self, arg: Any) -> str:
        return base64.b64encode(_as_str(self._resolve(arg)).encode()).decode()

    def _fn_get_azs(self, arg: Any) -> list[str]:
        region = self._resolve(arg) or self.pseudo.region
        return [f"{region}{zone}" for zone in "abc"]

    def _fn_to_json_string(self, arg: Any) -> str:
        return json.dumps(self._resolve(arg), separators=(",", ":"))

    def _fn_length(self, arg: Any) -> int:
        return len(self._resolve(arg))

    def _fn_get_stack_output(self, arg: Any) -> Any:
        reference = self._resolve(arg)
        region = reference.get("Region", self.pseudo.region)
        if region != self.pseudo.region:
            raise TemplateError(f"Fn::GetStackOutput from region {region}: one region runs locally")
        return self.stack_outputs.output(reference["StackName"], reference["OutputName"])

    def _fn_import_value(self, arg: Any) -> Any:
        return self.stack_outputs.export(_as_str(self._resolve(arg)))

    _FUNCTIONS = {
        "Ref": _fn_ref,
        "Fn::GetAtt": _fn_get_att,
        "Fn::Join": _fn_join,
        "Fn::Sub": _fn_sub,
        "Fn::Select": _fn_select,
        "Fn::Split": _fn_split,
        "Fn::If": _fn_if,
        "Fn::Equals": _fn_equals,
        "Fn::And": _fn_and,
        "Fn::Or": _fn_or,
        "Fn::Not": _fn_not,
        "Condition": _fn_condition,
        "Fn::FindInMap": _fn_find_in_map,
        "Fn::Base64": _fn_base64,
        "Fn::GetAZs": _fn_get_azs,
        "Fn::ToJsonString": _fn_to_json_string,
        "Fn::Length": _fn_length,
        "Fn::GetStackOutput": _fn_get_stack_output,
        "Fn::ImportValue": _fn_import_value,
    }


class PlaceholderAttributes(dict):
    """Attributes of a resource that is not created locally: any attribute resolves to a marker."""

    def __init__(self, logical_id: str) -> None:
        super().__init__()
        self.logical_id = logical_id

    def __missing__(self, attribute: str) -> str:
        return f"local-{self.logical_id}-{attribute}"


def stack_resolvers(templates: list[Template], physical_ids: Mapping[str, Any], attributes: Mapping[str, Any],
                    region: str) -> dict[str, IntrinsicResolver]:
    """Each stack's resolver rebuilt from a provisioned app's physical ids and attributes (what a
    running local system writes to its state file), with the outputs that cross-stack references
    read: to compare the templates with what runs."""
    shared = StackOutputs()
    resolvers = {}
    # What was not created locally (physical id `local-<logical id>`) resolves any attribute to a
    # marker, as when the stacks were provisioned; a state file keeps only the attributes it had.
    attributes = {lid: PlaceholderAttributes(lid) if physical_ids.get(lid) == f"local-{lid}" and not attrs else attrs
                  for lid, attrs in attributes.items()}
    for template in templates:
        resolver = IntrinsicResolver(template, PseudoParameters(region=region, stack_name=template.stack_name),
                                     physical_ids=dict(physical_ids), attributes=dict(attributes), stack_outputs=shared)
        shared.outputs[template.stack_name] = {name: resolver.resolve(output["Value"])
                                               for name, output in template.outputs.items()}
        resolvers[template.stack_name] = resolver
    return resolvers


def producer_of(value: Any, stack_name: str, templates: Mapping[str, Template]) -> tuple[str, Any]:
    """(stack name, expression): a cross-stack reference (Fn::GetStackOutput, or Fn::ImportValue of
    a literal name) followed to what the producing stack outputs, e.g. `{"Ref": "PublicApi1234"}` of
    the API stack; any other value as it is, in `stack_name`. To compare what references point at
    across stacks without provisioning them (`templates` by stack name)."""
    while isinstance(value, dict) and len(value) == 1:
        if "Fn::GetStackOutput" in value:
            reference = value["Fn::GetStackOutput"]
            producer, output_name = reference.get("StackName"), reference.get("OutputName")
            if producer not in templates or output_name not in templates[producer].outputs:
                raise TemplateError(f"Fn::GetStackOutput {producer}.{output_name}: no such stack output")
            stack_name, value = producer, templates[producer].outputs[output_name]["Value"]
        elif "Fn::ImportValue" in value and isinstance(value["Fn::ImportValue"], str):
            name = value["Fn::ImportValue"]
            exporters = [(template.stack_name, output["Value"]) for template in templates.values()
                         for output in template.outputs.values() if output.get("Export", {}).get("Name") == name]
            if len(exporters) != 1:
                raise TemplateError(f"Fn::ImportValue {name!r}: exported by {len(exporters)} stacks")
            stack_name, value = exporters[0]
        else:
            break
    return stack_name, value


def _as_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def referenced_logical_ids(value: Any, template: Template) -> Iterator[str]:
    """Logical ids a property value depends on (Ref, Fn::GetAtt, Fn::Sub variables)."""
    if isinstance(value, list):
        for item in value:
            yield from referenced_logical_ids(item, template)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str) and arg in template.resources:
                yield arg
            elif key == "Fn::GetAtt":
                name = arg.split(".", 1)[0] if isinstance(arg, str) else arg[0]
                if name in template.resources:
                    yield name
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                for literal, name in _SUB_VARIABLE.findall(text):
                    name = name.split(".", 1)[0]
                    if not literal and name in template.resources:
                        yield name
            yield from referenced_logical_ids(arg, template)


def apply_definition_substitutions(definition: str, substitutions: Mapping[str, Any]) -> str:
    """Step Functions' DefinitionSubstitutions: `${Key}` placeholders replaced by their values."""

    def substitute(match: re.Match[str]) -> str:
        literal, name = match.groups()
        if not literal and name in substitutions:
            return _as_str(substitutions[name])
        return match.group(0)

    return _SUB_VARIABLE.sub(substitute, definition)
