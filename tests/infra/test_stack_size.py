"""CloudFormation allows 500 resources per stack. The app is split into stacks (infra/stack.py) so
that each keeps room for the flows, queues and functions still to come; the API invokes each of its
functions with one permission, not one per method, so routes can keep being added."""

from __future__ import annotations

import pytest

from infra import constants

MAX_RESOURCES = 500  # CloudFormation's limit per stack
ROOM = 300  # what a stack may hold at most, leaving room to grow
# The REST API's resources and methods (one per route and one CORS preflight per path: 305 of its
# 322) all belong to the RestApi construct, so they live in one stack. Splitting them across stacks
# (the routes of each audience with their function) comes with the API's split by audience
# (issue 11, part 3); until then the API stack is held under this bound.
API_ROOM = 400
STACKS = ("data", "compute", "api", "web", "monitoring")


@pytest.mark.parametrize("stack", ["data", "compute", "web", "monitoring"])
def test_each_stack_stays_well_under_the_limit(synthesized, stack):
    count = len(getattr(synthesized, stack).resources)
    assert count < ROOM - 50, (stack, count)  # with a margin of 50 below the room of 300


def test_the_api_stack_stays_under_its_bound(synthesized):
    count = len(synthesized.api.resources)
    assert count < API_ROOM < MAX_RESOURCES, count


def test_the_split_moved_every_resource_somewhere(synthesized):
    counts = {name: len(getattr(synthesized, name).resources) for name in STACKS}
    assert sum(counts.values()) >= 450  # the one stack held 461 before the split
    assert [s.stack.stack_name for s in synthesized.all] == list(constants.STACK_NAMES)


def test_one_invoke_permission_per_api_function(synthesized):
    api = synthesized.api
    functions = {spec: api.logical_id("AWS::Lambda::Function", spec.function_id) for spec in constants.API_FUNCTIONS}
    rest_api = api.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    from_gateway = [p["Properties"] for p in api.resources_of_type("AWS::Lambda::Permission").values()
                    if p["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    assert sorted(p["FunctionName"]["Fn::GetAtt"][0] for p in from_gateway) == sorted(functions.values())
    for permission in from_gateway:
        assert {"Ref": rest_api} in permission["SourceArn"]["Fn::Join"][1]
        assert permission["SourceArn"]["Fn::Join"][1][-1] == "/*/*/*"
    methods = [m["Properties"] for m in api.resources_of_type("AWS::ApiGateway::Method").values() if m["Properties"]["HttpMethod"] != "OPTIONS"]
    assert len(methods) == len(constants.ROUTES)
    assert all(m["Integration"]["Type"] == "AWS_PROXY" for m in methods)
