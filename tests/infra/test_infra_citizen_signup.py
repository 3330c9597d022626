"""Citizen self-registration: the pool's post-confirmation trigger, its one permission, and
templates without dependency cycles (the trigger is where one would appear): the pool (data stack)
names the function (compute stack) by its fixed name, so the data stack refers to no other stack."""

from __future__ import annotations

import json
from graphlib import TopologicalSorter

from infra import constants
from infra.local.engine.template import Template, referenced_logical_ids
from sunlight.config import CitizenSignupSettings


def test_the_pool_calls_the_signup_function_after_confirmation(synthesized):
    pool = synthesized.data.resource("AWS::Cognito::UserPool", constants.USER_POOL_ID)["Properties"]
    function_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)
    trigger = pool["LambdaConfig"]["PostConfirmation"]
    assert json.dumps(trigger).endswith(f':function:{constants.CITIZEN_SIGNUP_FUNCTION_NAME}"]]}}'), trigger
    assert "Fn::GetStackOutput" not in json.dumps(trigger)
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False  # citizens sign up themselves
    pool_id = synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    permissions = [p["Properties"] for p in synthesized.compute.resources_of_type("AWS::Lambda::Permission").values()]
    assert any(p["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]} and p["Principal"] == "cognito-idp.amazonaws.com"
               and synthesized.deref(p["SourceArn"]) == {"Fn::GetAtt": [pool_id, "Arn"]} for p in permissions)
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.CITIZEN_SIGNUP_HANDLER
    assert function["FunctionName"] == constants.CITIZEN_SIGNUP_FUNCTION_NAME  # the name the pool calls
    assert constants.EnvKeys.USER_POOL_ID not in function["Environment"]["Variables"]  # it comes in the event


def test_the_signup_function_starts_with_only_its_own_environment(synthesized):
    """Its settings validate from exactly its template environment (no table names: it has none)."""
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)["Properties"]
    environment = {key: str(value) for key, value in function["Environment"]["Variables"].items()}
    assert CitizenSignupSettings.from_env(environment).metrics_namespace


def test_the_signup_function_may_only_add_users_to_groups_and_set_their_name_in_its_pool(synthesized):
    role_id = synthesized.compute.logical_id("AWS::IAM::Role", f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}ServiceRole")
    pool_id = synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    statements = [
        synthesized.deref(statement)
        for policy in synthesized.compute.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "cognito" in str(statement["Action"])
    ]
    assert statements == [{
        "Action": ["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminUpdateUserAttributes"],
        "Effect": "Allow", "Resource": {"Fn::GetAtt": [pool_id, "Arn"]},
    }]


def test_no_template_has_a_dependency_cycle(synthesized):
    for stack in synthesized.all:
        raw = stack.template.to_json()
        template = Template(raw)
        resources = raw["Resources"]
        graph = {}
        for logical_id, resource in resources.items():
            depends_on = resource.get("DependsOn", [])
            graph[logical_id] = set([depends_on] if isinstance(depends_on, str) else depends_on) | set(
                referenced_logical_ids(resource.get("Properties", {}), template))
        list(TopologicalSorter(graph).static_order())  # raises graphlib.CycleError on a cycle
