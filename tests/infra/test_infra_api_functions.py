"""The API's functions by audience (infra/constructs/api.py): each method is integrated with the
function its route names (constants.ROUTES), and each function's role holds only what its routes
use (least privilege): the public function writes nothing but tracking's lockout counters, only
the administration's manages users or edits the catalog, only the citizens' signs uploads."""

from __future__ import annotations

from typing import Any

from infra import constants

DYNAMODB_WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def _allowed(synthesized, spec: constants.ApiFunction) -> list[dict[str, Any]]:
    """The Allow statements of the function's role, cross-stack references followed to their producers."""
    role_id = synthesized.api.logical_id("AWS::IAM::Role", f"{spec.function_id}ServiceRole")
    return [
        synthesized.deref(statement)
        for policy in synthesized.api.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
    ]


def _actions(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return set(actions if isinstance(actions, list) else [actions])


def _all_actions(synthesized, spec: constants.ApiFunction) -> set[str]:
    return {action for statement in _allowed(synthesized, spec) for action in _actions(statement)}


def _on(statement: dict[str, Any], logical_id: str) -> bool:
    return logical_id in str(statement["Resource"])


def _method_paths(synthesized) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) → the method's properties, the path rebuilt from the resource tree."""
    resources = synthesized.api.resources_of_type("AWS::ApiGateway::Resource")

    def path_of(reference: dict[str, Any]) -> str:
        if "Ref" not in reference:  # the API's root resource
            return ""
        resource = resources[reference["Ref"]]["Properties"]
        return f"{path_of(resource['ParentId'])}/{resource['PathPart']}"

    methods = [synthesized.deref(method["Properties"])  # in the routes stack, on the API stack's resources
               for method in synthesized.api_routes.resources_of_type("AWS::ApiGateway::Method").values()]
    return {
        (props["HttpMethod"], path_of(props["ResourceId"]) or "/"): props
        for props in methods
        if props["HttpMethod"] != "OPTIONS"
    }


def test_each_method_is_integrated_with_the_function_of_its_route(synthesized):
    methods = _method_paths(synthesized)
    assert set(methods) == {(route.method, route.path) for route in constants.ROUTES}
    function_ids = {spec: synthesized.api.logical_id("AWS::Lambda::Function", spec.function_id) for spec in constants.API_FUNCTIONS}
    for route in constants.ROUTES:
        uri = str(methods[(route.method, route.path)]["Integration"]["Uri"])
        assert [spec for spec, logical_id in function_ids.items() if f"'{logical_id}'" in uri] == [route.function], route


def test_every_api_function_serves_some_route_and_has_its_handler(synthesized):
    for spec in constants.API_FUNCTIONS:
        assert any(route.function == spec for route in constants.ROUTES)
        assert synthesized.api.resource("AWS::Lambda::Function", spec.function_id)["Properties"]["Handler"] == spec.handler


def test_the_public_function_writes_only_trackings_lockout_counters(synthesized):
    cases = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.CASES_TABLE_ID)
    statements = _allowed(synthesized, constants.API_PUBLIC)
    writes = [s for s in statements if _actions(s) & DYNAMODB_WRITES]
    assert writes == [{
        "Action": "dynamodb:UpdateItem", "Effect": "Allow", "Resource": {"Fn::GetAtt": [cases, "Arn"]},
        "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{constants.TRACK_GUARD_KEY_PREFIX}*"]}},
    }]
    actions = _all_actions(synthesized, constants.API_PUBLIC)
    assert not {a for a in actions if a.startswith(("cognito-idp:", "s3:", "states:", "events:", "lambda:", "cloudwatch:"))}


def test_only_the_administration_manages_users_and_edits_the_catalog(synthesized):
    catalog = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.CATALOG_TABLE_ID)
    admin_only = set(constants.USER_ADMIN_ACTIONS) - {"cognito-idp:ListUsersInGroup"}
    for spec in constants.API_FUNCTIONS:
        actions = _all_actions(synthesized, spec)
        catalog_writes = [s for s in _allowed(synthesized, spec) if _actions(s) & DYNAMODB_WRITES and _on(s, catalog)]
        if spec is constants.API_ADMIN:
            assert set(constants.USER_ADMIN_ACTIONS) <= actions and catalog_writes
        else:
            assert not actions & admin_only, spec.audience
            assert not catalog_writes, spec.audience
    # The supervision function lists a department's staff for responsibility findings, nothing more.
    assert {a for a in _all_actions(synthesized, constants.API_SUPERVISION) if a.startswith("cognito-idp:")} == {"cognito-idp:ListUsersInGroup"}


def test_only_citizens_sign_uploads_and_only_citizens_and_the_office_drive_the_flow(synthesized):
    for spec in constants.API_FUNCTIONS:
        actions = _all_actions(synthesized, spec)
        assert ("s3:PutObject" in actions) == (spec is constants.API_CITIZEN), spec.audience
        assert bool({a for a in actions if a.startswith("states:")}) == (spec in (constants.API_CITIZEN, constants.API_OFFICE)), spec.audience


def test_the_administration_reads_cases_and_never_reads_attachments(synthesized):
    cases = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.CASES_TABLE_ID)
    statements = _allowed(synthesized, constants.API_ADMIN)
    assert not [s for s in statements if _actions(s) & DYNAMODB_WRITES and _on(s, cases)]
    assert not {a for a in _all_actions(synthesized, constants.API_ADMIN) if a.startswith("s3:")}


def test_only_the_supervision_function_reads_metrics_or_starts_log_verification(synthesized):
    for spec in constants.API_FUNCTIONS:
        actions = _all_actions(synthesized, spec)
        expected = spec is constants.API_SUPERVISION
        assert ("cloudwatch:GetMetricData" in actions) == expected, spec.audience
        assert ("lambda:InvokeFunction" in actions) == expected, spec.audience
