"""CloudFormation allows 500 resources per stack. The app is split into stacks (infra/stack.py) so
that each keeps room for the flows, queues, functions and routes still to come: the API invokes
each of its functions with one permission, not one per method, and the API's methods (one per
route and one CORS preflight per resource) are in a stack of their own, apart from the resource
tree, so a route on a new path adds one resource to the API stack and two methods to the routes
stack."""

from __future__ import annotations

import json

import pytest

from infra import constants

MAX_RESOURCES = 500  # CloudFormation's limit per stack
ROOM = 300  # what a stack may hold at most, leaving room to grow
MARGIN = 50  # below the room, for what the next issues add
STACKS = ("data", "compute", "api", "api_routes", "web", "monitoring")


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_stays_well_under_the_limit(synthesized, stack):
    count = len(getattr(synthesized, stack).resources)
    assert count < ROOM - MARGIN < MAX_RESOURCES, (stack, count)


MAX_OUTPUTS = 200  # CloudFormation's limit of outputs per stack
MAX_TEMPLATE_BYTES = 1_000_000  # a template deployed from S3, as cdk deploy does


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_keeps_room_for_outputs_and_template_size(synthesized, stack):
    """Every resource of the API stack that a method is added to is one output there (CDK's weak
    cross-stack references), so new paths add outputs as well as resources."""
    template = getattr(synthesized, stack).template.to_json()
    assert len(template.get("Outputs", {})) < MAX_OUTPUTS - MARGIN, stack
    assert len(json.dumps(template, separators=(",", ":")).encode()) < MAX_TEMPLATE_BYTES // 2, stack


def test_the_split_moved_every_resource_somewhere(synthesized):
    counts = {name: len(getattr(synthesized, name).resources) for name in STACKS}
    assert sum(counts.values()) >= 450  # the one stack held 461 before the split
    assert [s.stack.stack_name for s in synthesized.all] == list(constants.STACK_NAMES)


def test_the_routes_stack_holds_every_method_and_the_api_stack_none(synthesized):
    methods = synthesized.api_routes.resources_of_type("AWS::ApiGateway::Method")
    routes = [m for m in methods.values() if m["Properties"]["HttpMethod"] != "OPTIONS"]
    preflights = [m for m in methods.values() if m["Properties"]["HttpMethod"] == "OPTIONS"]
    assert len(routes) == len(constants.ROUTES)
    # one preflight per resource and the root
    assert len(preflights) == len(synthesized.api.resources_of_type("AWS::ApiGateway::Resource")) + 1
    assert not synthesized.api.resources_of_type("AWS::ApiGateway::Method")
    for resource_type in ("AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage"):
        assert not synthesized.api.resources_of_type(resource_type)
        assert len(synthesized.api_routes.resources_of_type(resource_type)) == 1


def test_the_deployment_waits_for_every_method(synthesized):
    """A deployment snapshots the methods that exist when it is created: every one of them, the
    preflights too, is created before it (the API stack, with none, is deployed before)."""
    routes = synthesized.api_routes
    (deployment,) = routes.resources_of_type("AWS::ApiGateway::Deployment").values()
    assert sorted(deployment["DependsOn"]) == sorted(routes.resources_of_type("AWS::ApiGateway::Method"))
    assert {d.stack_name for d in routes.stack.dependencies} == {constants.API_STACK_NAME}
    (stage,) = routes.resources_of_type("AWS::ApiGateway::Stage").values()
    deployment_id = routes.logical_id("AWS::ApiGateway::Deployment", f"{constants.API_ID}Deployment")
    assert stage["Properties"]["DeploymentId"] == {"Ref": deployment_id}


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
    methods = [synthesized.deref(m["Properties"]) for m in synthesized.api_routes.resources_of_type("AWS::ApiGateway::Method").values()
               if m["Properties"]["HttpMethod"] != "OPTIONS"]
    assert len(methods) == len(constants.ROUTES)
    assert all(m["Integration"]["Type"] == "AWS_PROXY" for m in methods)


def test_a_change_of_the_routes_makes_a_new_deployment(synthesized, monkeypatch):
    """API Gateway serves what a deployment snapshot holds: a route served by another function (or
    any change of the route table) must create a new deployment, so its logical id changes."""
    from aws_cdk.assertions import Template

    from infra.app import build_app, cdk_json_context

    first, *rest = constants.ROUTES
    moved = constants.Route(first.method, first.path, first.authenticated, constants.API_CITIZEN)
    assert first.function is not constants.API_CITIZEN
    monkeypatch.setattr(constants, "ROUTES", (moved, *rest))
    _, stacks = build_app(context=cdk_json_context())
    changed = Template.from_stack(stacks.api_routes_stack).to_json()["Resources"]
    before = set(synthesized.api_routes.resources_of_type("AWS::ApiGateway::Deployment"))
    after = {lid for lid, r in changed.items() if r["Type"] == "AWS::ApiGateway::Deployment"}
    assert len(after) == 1 and after != before
