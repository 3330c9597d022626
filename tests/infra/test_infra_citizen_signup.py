"""Citizen self-registration: the pool's post-confirmation trigger, its one permission, and a
template without dependency cycles (the trigger is where one would appear)."""

from __future__ import annotations

from graphlib import TopologicalSorter

from infra import constants
from infra.local.engine.template import Template, referenced_logical_ids
from sunlight.config import CitizenSignupSettings


def test_the_pool_calls_the_signup_function_after_confirmation(synthesized):
    pool = synthesized.resource("AWS::Cognito::UserPool", constants.USER_POOL_ID)["Properties"]
    function_id = synthesized.logical_id("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)
    assert pool["LambdaConfig"] == {"PostConfirmation": {"Fn::GetAtt": [function_id, "Arn"]}}
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False  # citizens sign up themselves
    pool_id = synthesized.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    permissions = [p["Properties"] for p in synthesized.resources_of_type("AWS::Lambda::Permission").values()]
    assert any(p["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]} and p["Principal"] == "cognito-idp.amazonaws.com"
               and p["SourceArn"] == {"Fn::GetAtt": [pool_id, "Arn"]} for p in permissions)
    function = synthesized.resource("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.CITIZEN_SIGNUP_HANDLER
    assert constants.EnvKeys.USER_POOL_ID not in function["Environment"]["Variables"]  # it comes in the event


def test_the_signup_function_starts_with_only_its_own_environment(synthesized):
    """Its settings validate from exactly its template environment (no table names: it has none)."""
    function = synthesized.resource("AWS::Lambda::Function", constants.CITIZEN_SIGNUP_FUNCTION_ID)["Properties"]
    environment = {key: str(value) for key, value in function["Environment"]["Variables"].items()}
    assert CitizenSignupSettings.from_env(environment).metrics_namespace


def test_the_signup_function_may_only_add_users_to_groups_and_set_their_name_in_its_pool(synthesized):
    role_id = synthesized.logical_id("AWS::IAM::Role", f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}ServiceRole")
    pool_id = synthesized.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    statements = [
        statement
        for policy in synthesized.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if "cognito" in str(statement["Action"])
    ]
    assert statements == [{
        "Action": ["cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminUpdateUserAttributes"],
        "Effect": "Allow", "Resource": {"Fn::GetAtt": [pool_id, "Arn"]},
    }]


def test_the_template_has_no_dependency_cycle(synthesized):
    raw = synthesized.template.to_json()
    template = Template(raw)
    resources = raw["Resources"]
    graph = {}
    for logical_id, resource in resources.items():
        depends_on = resource.get("DependsOn", [])
        graph[logical_id] = set([depends_on] if isinstance(depends_on, str) else depends_on) | set(
            referenced_logical_ids(resource.get("Properties", {}), template))
    list(TopologicalSorter(graph).static_order())  # raises graphlib.CycleError on a cycle
