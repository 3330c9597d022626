"""cdk-nag (v3) acknowledgments: each suppressed rule is recorded with its reason.

cdk-nag 3 is a CDK policy-validation plugin: rules are acknowledged with
`Validations.of(construct).acknowledge(...)`, which applies to the construct and its children.
Findings of multi-finding rules (IAM4, IAM5) are acknowledged one by one, as `Rule[Finding]`.
"""

from __future__ import annotations

import hashlib
import json
from typing import cast

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from constructs import IConstruct

LAMBDA_BASIC_EXECUTION_ROLE = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]"
)
WILDCARD_RESOURCE = "AwsSolutions-IAM5[Resource::*]"


# wildcard_under's findings → (the resource's stack, its logical id, the suffix): acknowledged in
# another stack, the ARN arrives there as a cross-stack reference, which cdk-nag prints as such.
_WILDCARD_FINDINGS: dict[str, tuple[Stack, str, str]] = {}


def acknowledge(scope: IConstruct, reason: str, *rule_ids: str) -> None:
    rule_ids = tuple(_as_seen_from(scope, rule_id) for rule_id in rule_ids)
    Validations.of(scope).acknowledge(*(Acknowledgment(id=rule_id, reason=reason) for rule_id in rule_ids))


def wildcard_under(resource: IConstruct, suffix: str) -> str:
    """The IAM5 finding for `<resource ARN><suffix>`, e.g. a table's `/index/*`."""
    producer = Stack.of(resource)
    logical_id = producer.get_logical_id(cast(CfnElement, resource.node.default_child))
    finding = f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>{suffix}]"
    _WILDCARD_FINDINGS[finding] = (producer, logical_id, suffix)
    return finding


def cross_stack_output_name(reference: dict[str, object]) -> str:
    """The output CDK adds to a producer stack for a weak cross-stack reference (its `Publish`
    scope, one output per resolved reference; the id hashed as CDK hashes construct paths)."""
    components = ["Publish", "Output" + json.dumps(reference, separators=(",", ":"))]
    readable = "".join(c for c in "".join(components) if c.isalnum())
    return readable + hashlib.md5("/".join(components).encode()).hexdigest()[:8].upper()


def _as_seen_from(scope: IConstruct, rule_id: str) -> str:
    """A wildcard finding as cdk-nag reports it on `scope`: with Fn::GetStackOutput when the
    resource lives in another stack (cdk.json makes cross-stack references weak)."""
    if rule_id not in _WILDCARD_FINDINGS:
        return rule_id
    producer, logical_id, suffix = _WILDCARD_FINDINGS[rule_id]
    if producer is Stack.of(scope):
        return rule_id
    output = cross_stack_output_name({"Fn::GetAtt": [logical_id, "Arn"]})
    reference = {"Fn::GetStackOutput": {"StackName": producer.stack_name, "Region": {"Ref": "AWS::Region"},
                                        "OutputName": output}}
    return f"AwsSolutions-IAM5[Resource::{json.dumps(reference, separators=(',', ':'))}{suffix}]"


def acknowledge_index_queries(function: IConstruct, *tables: IConstruct) -> None:
    """Table grants cover `<table ARN>/index/*` so that queries can use the GSIs."""
    acknowledge(
        function,
        "Queries go through the tables' GSIs; grant helpers scope them to <table ARN>/index/*.",
        *(wildcard_under(table, "/index/*") for table in tables),
    )


def stack_children(scope: IConstruct, id_prefix: str) -> list[IConstruct]:
    """CDK-owned singletons (custom-resource providers) live at stack level under fixed ids."""
    return [child for child in Stack.of(scope).node.children if child.node.id.startswith(id_prefix)]
