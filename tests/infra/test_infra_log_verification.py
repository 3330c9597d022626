"""Verifying the inspector log: the log_verify function, what it may do, and how the API hands it runs."""

from __future__ import annotations

from infra import constants
from log_verify.handler import RESERVE_MS

E = constants.EnvKeys


def _policies_of(stack, function_id: str) -> list[dict]:
    role = stack.resource("AWS::Lambda::Function", function_id)["Properties"]["Role"]["Fn::GetAtt"][0]
    return [p for p in stack.resources_of_type("AWS::IAM::Policy").values() if {"Ref": role} in p["Properties"]["Roles"]]


def _statements(policies: list[dict]) -> list[dict]:
    return [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]


def _actions(statement: dict) -> list[str]:
    return statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]


def test_the_worker_runs_bounded_steps_with_its_limits_as_configuration(synthesized):
    props = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)["Properties"]
    assert props["Handler"] == constants.LOG_VERIFY_HANDLER
    assert props["Timeout"] == constants.LOG_VERIFY_TIMEOUT_SECONDS > RESERVE_MS / 1000 + 30  # work time left beside the reserve
    variables = props["Environment"]["Variables"]
    table = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    assert synthesized.deref(variables[E.SUPERVISION_TABLE]) == {"Ref": table}
    assert variables[E.LOG_VERIFY_SEGMENT_RECORDS] == str(constants.LOG_VERIFY_SEGMENT_RECORDS)
    assert variables[E.LOG_VERIFY_RECORDS_PER_INVOCATION] == str(constants.LOG_VERIFY_RECORDS_PER_INVOCATION)
    # A large log is a chain of invocations longer than recursive-loop detection allows.
    assert props["RecursiveLoop"] == "Allow"


def test_the_worker_reads_and_saves_on_the_supervision_table_and_invokes_only_itself(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    table = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    statements = [synthesized.deref(s) for s in _statements(_policies_of(synthesized.compute, constants.LOG_VERIFY_FUNCTION_ID))
                  if not any(a.startswith("xray:") for a in _actions(s))]
    granted = {(action, str(s["Resource"])) for s in statements for action in _actions(s)}
    assert granted == {
        ("dynamodb:GetItem", str({"Fn::GetAtt": [table, "Arn"]})),
        ("dynamodb:Query", str({"Fn::GetAtt": [table, "Arn"]})),
        ("dynamodb:PutItem", str({"Fn::GetAtt": [table, "Arn"]})),
        ("lambda:InvokeFunction", str({"Fn::GetAtt": [function, "Arn"]})),
    }
    # The self-invocation is a policy of its own, so the function does not depend on itself.
    default_policy = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)["DependsOn"]
    self_invoke = synthesized.compute.logical_id("AWS::IAM::Policy", f"{constants.LOG_VERIFY_FUNCTION_ID}SelfInvoke")
    assert self_invoke not in default_policy


def test_the_api_hands_runs_to_the_worker_and_serves_them(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    api = synthesized.api.resource("AWS::Lambda::Function", constants.API_SUPERVISION.function_id)["Properties"]
    assert synthesized.deref(api["Environment"]["Variables"][E.LOG_VERIFY_FUNCTION]) == {"Ref": function}
    invokes = [s for s in _statements(_policies_of(synthesized.api, constants.API_SUPERVISION.function_id)) if "lambda:InvokeFunction" in _actions(s)]
    assert [synthesized.deref(s["Resource"]) for s in invokes] == [{"Fn::GetAtt": [function, "Arn"]}]
    routes = {(r.method, r.path) for r in constants.ROUTES if r.path.startswith("/inspector-log")}
    assert {r.function for r in constants.ROUTES if r.path.startswith("/inspector-log")} == {constants.API_SUPERVISION}
    for spec in constants.API_FUNCTIONS:  # no other function may start a run
        if spec is not constants.API_SUPERVISION:
            assert not [s for s in _statements(_policies_of(synthesized.api, spec.function_id)) if "lambda:InvokeFunction" in _actions(s)]
    assert routes == {("GET", "/inspector-log"), ("POST", "/inspector-log/verifications"),
                      ("GET", "/inspector-log/verifications/latest"), ("GET", "/inspector-log/verifications/{runId}")}


def test_a_failing_worker_is_alarmed(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    alarms = synthesized.monitoring.resources_of_type("AWS::CloudWatch::Alarm").values()
    assert any(a["Properties"]["MetricName"] == "Errors"
               and {"Name": "FunctionName", "Value": {"Ref": function}} in synthesized.deref(a["Properties"]["Dimensions"])
               for a in alarms)
