"""cdk-nag (v3) acknowledgments: each suppressed rule is recorded with its reason.

cdk-nag 3 is a CDK policy-validation plugin: rules are acknowledged with
`Validations.of(construct).acknowledge(...)`, which applies to the construct and its children.
Findings of multi-finding rules (IAM4, IAM5) are acknowledged one by one, as `Rule[Finding]`.
"""

from __future__ import annotations

from typing import cast

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from constructs import IConstruct

LAMBDA_BASIC_EXECUTION_ROLE = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]"
)
WILDCARD_RESOURCE = "AwsSolutions-IAM5[Resource::*]"


def acknowledge(scope: IConstruct, reason: str, *rule_ids: str) -> None:
    Validations.of(scope).acknowledge(*(Acknowledgment(id=rule_id, reason=reason) for rule_id in rule_ids))


def wildcard_under(resource: IConstruct, suffix: str) -> str:
    """The IAM5 finding for `<resource ARN><suffix>`, e.g. a table's `/index/*`."""
    logical_id = Stack.of(resource).get_logical_id(cast(CfnElement, resource.node.default_child))
    return f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>{suffix}]"


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
