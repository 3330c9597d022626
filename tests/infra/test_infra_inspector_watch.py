"""The inspector watch: its daily schedule, function, directory permission and configuration."""

from __future__ import annotations

from infra import constants


def test_the_watch_runs_daily_on_its_function(synthesized):
    schedule = synthesized.compute.resource("AWS::Events::Rule", constants.INSPECTOR_WATCH_SCHEDULE_ID)["Properties"]
    assert schedule["ScheduleExpression"] == f"rate({constants.INSPECTOR_WATCH_RATE_DAYS} day)"
    function_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.INSPECTOR_WATCH_FUNCTION_ID)
    assert schedule["Targets"][0]["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    permissions = synthesized.compute.resources_of_type("AWS::Lambda::Permission").values()
    assert any(p["Properties"]["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]}
               and p["Properties"]["Principal"] == "events.amazonaws.com" for p in permissions)


def test_the_watch_reads_the_pool_and_has_its_limits_as_configuration(synthesized):
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.INSPECTOR_WATCH_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.INSPECTOR_WATCH_HANDLER
    environment = function["Environment"]["Variables"]
    pool_id = synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    assert synthesized.deref(environment[constants.EnvKeys.USER_POOL_ID]) == {"Ref": pool_id}
    assert environment[constants.EnvKeys.INSPECTOR_IDLE_DAYS] == "3"
    assert environment[constants.EnvKeys.INSPECTOR_UNHANDLED_WORKING_DAYS] == "2"
    role = function["Role"]["Fn::GetAtt"][0]
    policies = [p for p in synthesized.compute.resources_of_type("AWS::IAM::Policy").values()
                if {"Ref": role} in p["Properties"]["Roles"]]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    directory = [s for s in statements if s["Action"] == "cognito-idp:ListUsersInGroup"]
    assert directory and synthesized.deref(directory[0]["Resource"]) == {"Fn::GetAtt": [pool_id, "Arn"]}


def test_the_api_knows_the_pool_for_responsibility_findings(synthesized):
    api = synthesized.api.resource("AWS::Lambda::Function", constants.API_SUPERVISION.function_id)["Properties"]
    pool_id = synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    assert synthesized.deref(api["Environment"]["Variables"][constants.EnvKeys.USER_POOL_ID]) == {"Ref": pool_id}
