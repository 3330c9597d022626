"""The stacks refer to each other one way only: data ← compute ← API ← API routes ← web, and monitoring reads
them all. So the data stack (tables, buckets, user pool, keys, warning topics) never waits for,
nor blocks, the replacement of another stack; and what it holds is retained."""

from __future__ import annotations

import json
from typing import Any

from infra import constants

# Which stacks each stack may read outputs of.
MAY_REFER_TO = {
    constants.DATA_STACK_NAME: set(),
    constants.COMPUTE_STACK_NAME: {constants.DATA_STACK_NAME},
    constants.API_STACK_NAME: {constants.DATA_STACK_NAME, constants.COMPUTE_STACK_NAME},
    constants.API_ROUTES_STACK_NAME: {constants.API_STACK_NAME},
    constants.EXCHANGE_STACK_NAME: {constants.DATA_STACK_NAME, constants.COMPUTE_STACK_NAME, constants.API_STACK_NAME},
    constants.WEB_STACK_NAME: {constants.DATA_STACK_NAME, constants.API_STACK_NAME, constants.API_ROUTES_STACK_NAME},
    constants.MONITORING_STACK_NAME: {constants.DATA_STACK_NAME, constants.COMPUTE_STACK_NAME, constants.API_STACK_NAME,
                                      constants.API_ROUTES_STACK_NAME, constants.EXCHANGE_STACK_NAME},
}
STATEFUL_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool", "AWS::KMS::Key", "AWS::SNS::Topic")


def referred_stacks(value: Any) -> set[str]:
    """The stacks a template reads outputs of (Fn::GetStackOutput) or imports from (Fn::ImportValue)."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= referred_stacks(item)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Fn::GetStackOutput":
                found.add(arg["StackName"])
            elif key == "Fn::ImportValue":
                found.add(json.dumps(arg).split(":")[0].strip('"'))
            else:
                found |= referred_stacks(arg)
    return found


def test_references_point_one_way_and_data_refers_to_nothing(synthesized):
    for stack in synthesized.all:
        name = stack.stack.stack_name
        assert referred_stacks(stack.template.to_json()) <= MAY_REFER_TO[name], name
    assert referred_stacks(synthesized.data.template.to_json()) == set()
    assert not [d for d in synthesized.stacks.data_stack.dependencies]


def test_the_assembly_orders_the_stacks_by_their_references(synthesized):
    dependencies = {stack.stack.stack_name: {d.stack_name for d in stack.stack.dependencies} for stack in synthesized.all}
    for name, allowed in MAY_REFER_TO.items():
        assert dependencies[name] <= allowed, name
    assert dependencies[constants.COMPUTE_STACK_NAME] == {constants.DATA_STACK_NAME}


def test_the_data_stack_holds_the_stateful_resources_and_retains_them(synthesized):
    for stack in (synthesized.compute, synthesized.api, synthesized.api_routes, synthesized.monitoring):
        held = {r["Type"] for r in stack.resources.values()} & set(STATEFUL_TYPES)
        # The ops topic is monitoring's own (alarms publish to it); nothing else stateful is elsewhere.
        assert held <= ({"AWS::SNS::Topic"} if stack is synthesized.monitoring else set()), stack.stack.stack_name
    for resource_type in STATEFUL_TYPES:
        resources = synthesized.data.resources_of_type(resource_type)
        assert resources, resource_type
        assert all(r["DeletionPolicy"] == "Retain" and r["UpdateReplacePolicy"] == "Retain" for r in resources.values())
