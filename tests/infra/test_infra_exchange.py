"""The inbound exchange's stack: a resource server with a scope per department, client-credentials
clients per system with exactly their scopes, and methods authorized on those scopes."""

from __future__ import annotations

from infra import constants
from sunlight.models.inbound import ORDERS_SCOPE, report_scope


def _methods(synthesized) -> dict[tuple[str, str], dict]:
    exchange = synthesized.exchange
    paths = {lid: r["Properties"]["PathPart"] for lid, r in exchange.resources_of_type("AWS::ApiGateway::Resource").items()}
    methods = {}
    for method in exchange.resources_of_type("AWS::ApiGateway::Method").values():
        props = method["Properties"]
        if props["HttpMethod"] == "OPTIONS":
            continue
        methods[(props["HttpMethod"], paths[props["ResourceId"]["Ref"]])] = props
    return methods


def test_the_exchange_is_its_own_stack_after_the_api_and_the_data_stack_does_not_depend_on_it(synthesized):
    names = list(constants.STACK_NAMES)
    assert names.index(constants.EXCHANGE_STACK_NAME) == names.index(constants.API_ROUTES_STACK_NAME) + 1
    assert synthesized.exchange.resources_of_type("AWS::ApiGateway::RestApi")
    assert not synthesized.data.resources_of_type("AWS::Cognito::UserPoolResourceServer")


def test_the_resource_server_has_a_report_scope_per_department_and_the_orders_scope(synthesized):
    server = synthesized.exchange.resource("AWS::Cognito::UserPoolResourceServer", constants.EXCHANGE_RESOURCE_SERVER_ID)
    props = server["Properties"]
    assert props["Identifier"] == "exchange"
    names = {s["ScopeName"] for s in props["Scopes"]}
    assert names == {f"report.{d}" for d in constants.EXCHANGE_REPORT_DEPARTMENTS} | {"orders"}
    assert synthesized.deref(props["UserPoolId"]) == {"Ref": synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)}


def test_each_system_has_a_client_credentials_client_with_exactly_its_scopes(synthesized):
    for system in constants.EXCHANGE_CLIENTS:
        props = synthesized.exchange.resource("AWS::Cognito::UserPoolClient", system.construct_id)["Properties"]
        assert props["GenerateSecret"] is True
        assert props["AllowedOAuthFlows"] == ["client_credentials"]
        assert props["AllowedOAuthFlowsUserPoolClient"] is True
        expected = {report_scope(d) for d in system.report_departments} | ({ORDERS_SCOPE} if system.sends_orders else set())
        scopes = {s if isinstance(s, str) else "".join(p if isinstance(p, str) else "exchange" for p in s["Fn::Join"][1])
                  for s in props["AllowedOAuthScopes"]}
        assert scopes == expected, system.construct_id


def test_the_routes_are_authorized_on_their_scopes_by_a_cognito_authorizer(synthesized):
    methods = _methods(synthesized)
    reports, orders, quarantine = methods[("POST", "reports")], methods[("POST", "orders")], methods[("GET", "quarantine")]
    assert {m["AuthorizationType"] for m in (reports, orders, quarantine)} == {"COGNITO_USER_POOLS"}
    assert set(reports["AuthorizationScopes"]) == {report_scope(d) for d in constants.EXCHANGE_REPORT_DEPARTMENTS}
    assert orders["AuthorizationScopes"] == [ORDERS_SCOPE]
    assert "AuthorizationScopes" not in quarantine  # inspectors' ID tokens
    [authorizer] = synthesized.exchange.resources_of_type("AWS::ApiGateway::Authorizer").values()
    assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"


def test_the_function_and_the_token_endpoint_are_wired(synthesized):
    function = synthesized.exchange.resource("AWS::Lambda::Function", constants.EXCHANGE_INBOUND_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.EXCHANGE_INBOUND_HANDLER
    assert synthesized.exchange.resources_of_type("AWS::Cognito::UserPoolDomain")
    assert {"ExchangeApiUrl", "ExchangeTokenUrl"} <= set(synthesized.exchange.outputs)
    assert {f"{c.construct_id}Id" for c in constants.EXCHANGE_CLIENTS} <= set(synthesized.exchange.outputs)
    assert synthesized.exchange.resources_of_type("AWS::WAFv2::WebACLAssociation")
