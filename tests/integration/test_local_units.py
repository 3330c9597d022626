"""infra.local pieces that need no moto server: intrinsics, substitutions, env merge, routes, claims, cron,
and an app of several stacks (its order and cross-stack references)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from infra.local.engine.events import cron_matches, target_input
from infra.local.engine.gateway import RouteTable, render_claims
from infra.local.engine.lambda_dispatch import EnvironmentConflict, merged_environment
from infra.local.engine.provision import LambdaFunctionSpec, LocalUrls, ProvisionedStack, derived_name
from infra.local.engine.response_headers import localize_policy, policy_headers, web_response_headers
from infra.local.engine.template import (
    IntrinsicResolver,
    PseudoParameters,
    StackOutputs,
    Template,
    TemplateError,
    apply_definition_substitutions,
    load_stacks,
    referenced_logical_ids,
    stack_resolvers,
)
from tests.integration.local_fixtures.template import fixture_template

TEMPLATE = Template({
    "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "NotProd"}, {"Fn::Or": [True, {"Condition": "IsProd"}]}]},
    },
    "Mappings": {"Sizes": {"dev": {"Memory": 256}}},
    "Resources": {
        "TableA1B2C3D4": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "FnE5F6A7B8": {"Type": "AWS::Lambda::Function", "Properties": {
            "Role": {"Fn::GetAtt": ["TableA1B2C3D4", "Arn"]},
            "Env": {"Fn::Sub": ["${Table}-${AWS::Region}-${TableA1B2C3D4.Arn}", {"Table": {"Ref": "TableA1B2C3D4"}}]},
        }},
        "ProdOnly": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"},
    },
})


@pytest.fixture
def resolver() -> IntrinsicResolver:
    resolver = IntrinsicResolver(TEMPLATE, PseudoParameters(region="eu-west-1", stack_name="Sunlight"))
    resolver.physical_ids["TableA1B2C3D4"] = "Sunlight-TableA1B2C3D4"
    resolver.attributes["TableA1B2C3D4"] = {"Arn": "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
                                            "StreamArn": "arn:stream"}
    return resolver


def test_ref_get_att_and_pseudo_parameters(resolver: IntrinsicResolver) -> None:
    assert resolver.resolve({"Ref": "TableA1B2C3D4"}) == "Sunlight-TableA1B2C3D4"
    assert resolver.resolve({"Fn::GetAtt": ["TableA1B2C3D4", "StreamArn"]}) == "arn:stream"
    assert resolver.resolve({"Fn::GetAtt": "TableA1B2C3D4.Arn"}).endswith(":table/t")
    assert resolver.resolve([{"Ref": p} for p in ("AWS::Region", "AWS::AccountId", "AWS::Partition",
                                                   "AWS::URLSuffix", "AWS::StackName")]) == [
        "eu-west-1", "123456789012", "aws", "amazonaws.com", "Sunlight"]
    assert resolver.resolve({"Ref": "Stage"}) == "dev"  # a parameter's Default


def test_join_select_split_find_in_map(resolver: IntrinsicResolver) -> None:
    assert resolver.resolve({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", "b"]]}) == "arn:aws:s3:::b"
    assert resolver.resolve({"Fn::Select": [1, {"Fn::Split": ["/", "a/b/c"]}]}) == "b"
    assert resolver.resolve({"Fn::Select": ["0", ["x", "y"]]}) == "x"
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}) == 256
    assert resolver.resolve({"Fn::Join": [",", [1, True]]}) == "1,true"


def test_sub_both_forms_and_literals(resolver: IntrinsicResolver) -> None:
    assert resolver.resolve({"Fn::Sub": "${AWS::StackName}-${TableA1B2C3D4}"}) == "Sunlight-Sunlight-TableA1B2C3D4"
    assert resolver.resolve(TEMPLATE.resources["FnE5F6A7B8"]["Properties"]["Env"]) == (
        "Sunlight-TableA1B2C3D4-eu-west-1-arn:aws:dynamodb:eu-west-1:123456789012:table/t")
    assert resolver.resolve({"Fn::Sub": "${!Literal} ${AWS::Region}"}) == "${Literal} eu-west-1"


def test_conditions_if_and_no_value(resolver: IntrinsicResolver) -> None:
    assert resolver.condition("NotProd") and resolver.condition("Both") and not resolver.condition("IsProd")
    assert not resolver.is_active("ProdOnly")
    assert resolver.resolve({"A": {"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]},
                             "B": [{"Fn::If": ["NotProd", "kept", "x"]}, {"Ref": "AWS::NoValue"}]}) == {"B": ["kept"]}


def test_unknown_references_fail_loudly(resolver: IntrinsicResolver) -> None:
    with pytest.raises(TemplateError, match="Nope"):
        resolver.resolve({"Ref": "Nope"})
    with pytest.raises(TemplateError, match="not created"):
        resolver.resolve({"Fn::GetAtt": ["FnE5F6A7B8", "Arn"]})
    with pytest.raises(TemplateError, match="Fn::ImportValue"):
        resolver.resolve({"Fn::ImportValue": "x"})


def test_dependencies_include_sub_variables() -> None:
    props = TEMPLATE.resources["FnE5F6A7B8"]["Properties"]
    assert set(referenced_logical_ids(props, TEMPLATE)) == {"TableA1B2C3D4"}


def test_logical_id_from_construct_id() -> None:
    template = Template(fixture_template())
    assert template.logical_id("CasesTable") == "CasesTable0A1B2C3D"
    assert template.logical_id("FlowStepFunction", "AWS::Lambda::Function") == "FlowStepFunction1A2B3C4D"
    with pytest.raises(TemplateError):
        template.logical_id("Missing")


def test_definition_substitutions_replace_only_known_keys() -> None:
    definition = '{"FunctionName": "${FlowStepFunctionArn}", "Other": "${Unknown}", "Path.$": "$.x"}'
    result = json.loads(apply_definition_substitutions(definition, {"FlowStepFunctionArn": "arn:fn"}))
    assert result == {"FunctionName": "arn:fn", "Other": "${Unknown}", "Path.$": "$.x"}


def test_derived_names_are_deterministic_and_valid() -> None:
    assert derived_name("Sunlight", "CasesTable0A1B2C3D") == "Sunlight-CasesTable0A1B2C3D"
    bucket = derived_name("Sunlight", "Attachments_Bucket" + "X" * 80, 63, lowercase=True)
    assert len(bucket) <= 63 and bucket == bucket.lower() and "_" not in bucket


def test_local_urls_replace_execute_api_and_cloudfront() -> None:
    template = Template(fixture_template())
    rewrites = LocalUrls(api="http://127.0.0.1:1/prod", web="http://127.0.0.1:2").rewrites(
        template, PseudoParameters())
    assert rewrites["https://publicapia.execute-api.us-east-1.amazonaws.com/prod"] == "http://127.0.0.1:1/prod"
    assert rewrites["https://local-SiteDistribution1A2B3C4D-DomainName"] == "http://127.0.0.1:2"


def test_browser_rewrites_send_cognito_and_the_buckets_to_moto() -> None:
    template = Template(fixture_template())
    stack = ProvisionedStack(template, IntrinsicResolver(template, PseudoParameters(region="eu-west-1")))
    stack.resource_types.update(StaffUserPool1A2B3C4D="AWS::Cognito::UserPool", AttachmentsBucketA1B2C3D4="AWS::S3::Bucket")
    stack.resolver.attributes["AttachmentsBucketA1B2C3D4"] = {
        "DomainName": "b.s3.amazonaws.com", "RegionalDomainName": "b.s3.eu-west-1.amazonaws.com",
        "DualStackDomainName": "b.s3.dualstack.eu-west-1.amazonaws.com"}
    urls = LocalUrls(api="http://127.0.0.1:1/prod", web="http://127.0.0.1:2", moto="http://127.0.0.1:3")
    stack.browser_rewrites = urls.browser_rewrites(stack)
    deployed = ("https://publicapia.execute-api.eu-west-1.amazonaws.com/prod/ https://cognito-idp.eu-west-1.amazonaws.com "
                "https://b.s3.amazonaws.com https://b.s3.eu-west-1.amazonaws.com")
    assert stack.localize_for_browser(deployed) == (
        "http://127.0.0.1:1/prod/ http://127.0.0.1:3 http://127.0.0.1:3 http://127.0.0.1:3")
    # Without moto's URL only the API and the site are rewritten, as for the handlers.
    assert LocalUrls(api="http://127.0.0.1:1/prod", web="http://127.0.0.1:2").browser_rewrites(stack) == (
        LocalUrls(api="http://127.0.0.1:1/prod", web="http://127.0.0.1:2").rewrites(template, stack.resolver.pseudo))


def test_policy_headers_are_written_as_cloudfront_writes_them() -> None:
    config = {"Name": "p", "SecurityHeadersConfig": {
        "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True, "Preload": True,
                                    "Override": True},
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"FrameOption": "DENY", "Override": True},
        "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
        "XSSProtection": {"Protection": True, "ModeBlock": True, "Override": True},
        "ContentSecurityPolicy": {"ContentSecurityPolicy": "default-src 'none'", "Override": True}},
        "CustomHeadersConfig": {"Items": [{"Header": "Permissions-Policy", "Value": "camera=()", "Override": True}]}}
    assert policy_headers(config) == {
        "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-XSS-Protection": "1; mode=block",
        "Content-Security-Policy": "default-src 'none'",
        "Permissions-Policy": "camera=()",
    }
    assert policy_headers({"SecurityHeadersConfig": {"XSSProtection": {"Protection": False, "Override": True}}}) == {
        "X-XSS-Protection": "0"}


def test_localized_policy_lists_each_local_source_once() -> None:
    localize = {"https://cognito": "http://moto", "https://bucket": "http://moto"}
    policy = "img-src 'self' https://bucket; connect-src 'self' https://api https://cognito https://bucket"
    assert localize_policy(policy, lambda text: _replace(text, localize)) == (
        "img-src 'self' http://moto; connect-src 'self' https://api http://moto")


def test_web_headers_come_from_the_distributions_policy_without_hsts() -> None:
    body = fixture_template()
    body["Resources"]["SiteHeaders1A2B3C4D"] = {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": {}}
    body["Resources"]["SiteDistribution1A2B3C4D"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"] = {
        "ResponseHeadersPolicyId": {"Ref": "SiteHeaders1A2B3C4D"}}
    template = Template(body)
    stack = ProvisionedStack(template, IntrinsicResolver(template, PseudoParameters()))
    stack.response_headers_policies["SiteHeaders1A2B3C4D"] = {"SecurityHeadersConfig": {
        "StrictTransportSecurity": {"AccessControlMaxAgeSec": 1, "Override": True},
        "ContentSecurityPolicy": {"ContentSecurityPolicy": "connect-src https://api", "Override": True}}}
    stack.browser_rewrites = {"https://api": "http://127.0.0.1:1"}
    assert web_response_headers(stack) == {"Content-Security-Policy": "connect-src http://127.0.0.1:1"}
    # A managed policy (an id, not a resource of the template) cannot be read locally.
    body["Resources"]["SiteDistribution1A2B3C4D"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"] = {
        "ResponseHeadersPolicyId": "67f7725c-6f97-4210-82d7-5512b31e9d03"}
    assert web_response_headers(stack) == {}


def _replace(text: str, rewrites: dict[str, str]) -> str:
    for old, new in rewrites.items():
        text = text.replace(old, new)
    return text


def _spec(name: str, env: dict[str, str]) -> LambdaFunctionSpec:
    return LambdaFunctionSpec(name, name, f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
                              f"{name}.handler.handler", "python3.12", env, 3, 128, f"/aws/lambda/{name}")


def test_merged_environment_rule() -> None:
    api = _spec("api", {"TABLE": "t", "POWERTOOLS_SERVICE_NAME": "api", "LOG_LEVEL": "INFO"})
    flow = _spec("flow", {"TABLE": "t", "POWERTOOLS_SERVICE_NAME": "flow", "LOG_LEVEL": "INFO", "ONLY": "x"})
    # Agreeing keys are kept; per-function keys that differ are left to each function's import.
    assert merged_environment([api, flow]) == {"TABLE": "t", "LOG_LEVEL": "INFO", "ONLY": "x"}
    with pytest.raises(EnvironmentConflict, match="TABLE: api='t', other='u'"):
        merged_environment([api, _spec("other", {"TABLE": "u"})])


def test_routes_literal_segments_beat_path_parameters() -> None:
    routes = RouteTable.from_template(Template(fixture_template()), "PublicApiA1B2C3D4")
    method, params = routes.match("GET", "/catalog/featured")
    assert method.resource_path == "/catalog/featured" and params == {}
    method, params = routes.match("GET", "/catalog/%E5%8A%9E%E4%BA%8B")
    assert method.resource_path == "/catalog/{itemCode}" and params == {"itemCode": "办事"}
    method, params = routes.match("POST", "/cases/c-1/actions/")
    assert method.authorization_type == "COGNITO_USER_POOLS" and params == {"caseId": "c-1"}
    assert routes.match("DELETE", "/catalog") is None
    assert routes.match("GET", "/cases/c-1") is None


def test_claims_rendered_like_api_gateway() -> None:
    claims = render_claims({"sub": "u", "exp": 1680629979, "iat": 1680626379, "auth_time": 1680626379,
                            "cognito:groups": ["handler", "leader"], "email_verified": True})
    assert claims == {"sub": "u", "exp": "Tue Apr 04 17:39:39 UTC 2023", "iat": "Tue Apr 04 16:39:39 UTC 2023",
                      "auth_time": "1680626379", "cognito:groups": "handler,leader", "email_verified": "true"}


def test_eventbridge_cron_expressions() -> None:
    monday_0930 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert cron_matches("cron(30 9 * * ? *)", monday_0930)
    assert cron_matches("cron(0/15 9 ? * MON-FRI *)", monday_0930)
    assert cron_matches("cron(30 9 ? * 2 *)", monday_0930)  # 2 = Monday in EventBridge
    assert not cron_matches("cron(30 9 ? * SAT,SUN *)", monday_0930)
    assert not cron_matches("cron(0 1 1 * ? 2027)", monday_0930)


def test_target_input_forms() -> None:
    event = {"id": "e", "detail": {"caseId": "c"}}
    assert json.loads(target_input({}, event)) == event
    assert target_input({"Input": '{"fixed": 1}'}, event) == '{"fixed": 1}'
    assert json.loads(target_input({"InputPath": "$.detail"}, event)) == {"caseId": "c"}


def test_local_gateway_hands_every_method_to_the_gateway_and_refuses_a_bad_length() -> None:
    """http.server answers a method it has no do_X for (TRACE, QUERY) with 501; API Gateway answers
    a method the API does not define like any undefined route (403), so the local one must too."""
    import http.client
    import threading

    from infra.local.engine.gateway import GatewayHTTPServer, GatewayReply

    seen: list[str] = []

    class RecordingGateway:
        def handle(self, method, raw_path, headers, body, source_ip):
            seen.append(method)
            return GatewayReply(403, [("Content-Type", "application/json")], b'{"message":"Missing Authentication Token"}')

    server = GatewayHTTPServer(("127.0.0.1", 0), RecordingGateway())  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for method in ("TRACE", "QUERY", "PROPFIND", "GET"):
            connection = http.client.HTTPConnection(*server.server_address, timeout=5)
            connection.request(method, "/catalog")
            response = connection.getresponse()
            assert response.status == 403 and b"Missing Authentication Token" in response.read(), method
            connection.close()
        assert seen == ["TRACE", "QUERY", "PROPFIND", "GET"]
        connection = http.client.HTTPConnection(*server.server_address, timeout=5)
        connection.putrequest("POST", "/applications")
        connection.putheader("Content-Length", "-5")
        connection.endheaders()
        assert connection.getresponse().status == 400
        connection.close()
    finally:
        server.shutdown()
        server.server_close()


# --- several stacks: the assembly's order and cross-stack references ------------------------------


def _write_assembly(directory, stacks: dict[str, tuple[dict, list[str]]]) -> None:
    """A cdk.out with one template per stack and a manifest naming their dependencies."""
    artifacts = {}
    for name, (body, dependencies) in stacks.items():
        (directory / f"{name}.template.json").write_text(json.dumps(body), encoding="utf-8")
        artifacts[name] = {"type": "aws:cloudformation:stack", "dependencies": [*dependencies, f"{name}.assets"],
                           "properties": {"templateFile": f"{name}.template.json"}}
        artifacts[f"{name}.assets"] = {"type": "cdk:asset-manifest", "properties": {"file": f"{name}.assets.json"}}
    (directory / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": artifacts}), encoding="utf-8")


PRODUCER = {
    "Resources": {"TableA1B2C3D4": {"Type": "AWS::DynamoDB::Table", "Properties": {
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}}},
    "Outputs": {
        "PublishOutputRefTableA1B2C3D41234ABCD": {"Value": {"Ref": "TableA1B2C3D4"}},
        "TableArn": {"Value": {"Fn::GetAtt": ["TableA1B2C3D4", "Arn"]}, "Export": {"Name": "Data:TableArn"}},
    },
}
CONSUMER = {
    "Resources": {
        "LogsA1B2C3D4": {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": {"Fn::GetStackOutput": {"StackName": "Data", "Region": {"Ref": "AWS::Region"},
                                                    "OutputName": "PublishOutputRefTableA1B2C3D41234ABCD"}}}},
        "TopicA1B2C3D4": {"Type": "AWS::SNS::Topic", "Properties": {
            "TopicName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "of",
                                             {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::ImportValue": "Data:TableArn"}]}]}]]},
        }},
    },
    "Outputs": {"TopicName": {"Value": {"Fn::GetAtt": ["TopicA1B2C3D4", "TopicName"]}}},
}


def test_an_assembly_loads_producers_before_consumers(tmp_path) -> None:
    # The manifest lists the consumer first: the order comes from the dependencies.
    _write_assembly(tmp_path, {"Compute": (CONSUMER, ["Data"]), "Data": (PRODUCER, [])})
    stacks = load_stacks(tmp_path)
    assert [t.stack_name for t in stacks] == ["Data", "Compute"]
    assert load_stacks(tmp_path / "manifest.json")[1].body == CONSUMER
    assert [t.stack_name for t in load_stacks(tmp_path / "Compute.template.json")] == ["Compute"]


def test_cross_stack_references_resolve_from_the_outputs_and_exports_before() -> None:
    outputs = StackOutputs({"Data": {"Out": "table-name"}}, {"Data:TableArn": "arn:aws:dynamodb:eu-west-1:1:table/t"})
    resolver = IntrinsicResolver(Template(CONSUMER, stack_name="Compute"),
                                 PseudoParameters(region="eu-west-1", stack_name="Compute"), stack_outputs=outputs)
    reference = {"StackName": "Data", "Region": {"Ref": "AWS::Region"}, "OutputName": "Out"}
    assert resolver.resolve({"Fn::GetStackOutput": reference}) == "table-name"
    assert resolver.resolve({"Fn::ImportValue": "Data:TableArn"}).endswith(":table/t")
    with pytest.raises(TemplateError, match="no such output"):
        resolver.resolve({"Fn::GetStackOutput": {**reference, "OutputName": "Missing"}})
    with pytest.raises(TemplateError, match="not exported"):
        resolver.resolve({"Fn::ImportValue": "Data:Missing"})
    with pytest.raises(TemplateError, match="one region"):
        resolver.resolve({"Fn::GetStackOutput": {**reference, "Region": "us-west-2"}})


def test_an_apps_stacks_are_provisioned_in_order_each_with_its_own_name(tmp_path, monkeypatch) -> None:
    import boto3
    from moto import mock_aws

    from infra.local.engine.provision import provision_stacks

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    _write_assembly(tmp_path, {"Compute": (CONSUMER, ["Data"]), "Data": (PRODUCER, [])})
    with mock_aws():
        app = provision_stacks(load_stacks(tmp_path), boto3.Session(region_name="eu-west-1"), None)
        assert list(app.stacks) == ["Data", "Compute"]
        table = app.stacks["Data"].physical_id("TableA1B2C3D4")
        assert table == "Data-TableA1B2C3D4"  # named after its own stack
        assert app.stacks["Compute"].physical_id("LogsA1B2C3D4") == table  # through Fn::GetStackOutput
        logs = boto3.client("logs", region_name="eu-west-1").describe_log_groups()["logGroups"]
        assert [group["logGroupName"] for group in logs] == [table]
        assert app.outputs["TopicName"] == f"Compute-of-{table}"  # through Fn::ImportValue
        assert app.stack_with("AWS::SNS::Topic") is app.stacks["Compute"]
        assert app.physical_ids["TableA1B2C3D4"] == table


# --- one REST API over several stacks: methods and stage apart from the RestApi and its resources ---


def _from_api(output_name: str) -> dict:
    return {"Fn::GetStackOutput": {"StackName": "Api", "Region": {"Ref": "AWS::Region"}, "OutputName": output_name}}


API_STACK = {
    "Resources": {
        "PublicApiA1B2C3D4": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "PublicApi"}},
        "OtherApiA1B2C3D4": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "OtherApi"}},
        "PublicApicasesA1B2C3D4": {"Type": "AWS::ApiGateway::Resource", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}, "PathPart": "cases",
            "ParentId": {"Fn::GetAtt": ["PublicApiA1B2C3D4", "RootResourceId"]}}},
        "PublicApicasescaseIdA1B2C3D4": {"Type": "AWS::ApiGateway::Resource", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}, "PathPart": "{caseId}", "ParentId": {"Ref": "PublicApicasesA1B2C3D4"}}},
        "PublicApiAuthorizerA1B2C3D4": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}, "Type": "COGNITO_USER_POOLS", "Name": "a",
            "ProviderARNs": ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_pool"]}},
        "PublicApiDefault4xxA1B2C3D4": {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}, "ResponseType": "DEFAULT_4XX",
            "ResponseParameters": {"gatewayresponse.header.Cache-Control": "'no-store'"}}},
    },
    "Outputs": {
        "PublishOutputRefPublicApi": {"Value": {"Ref": "PublicApiA1B2C3D4"}},
        "PublishOutputRefOtherApi": {"Value": {"Ref": "OtherApiA1B2C3D4"}},
        "PublishOutputRootResourceId": {"Value": {"Fn::GetAtt": ["PublicApiA1B2C3D4", "RootResourceId"]}},
        "PublishOutputRefCaseResource": {"Value": {"Ref": "PublicApicasescaseIdA1B2C3D4"}},
        "AuthorizerId": {"Value": {"Ref": "PublicApiAuthorizerA1B2C3D4"}, "Export": {"Name": "Api:AuthorizerId"}},
    },
}
_PREFLIGHT = {"Type": "MOCK", "IntegrationResponses": [{"StatusCode": "204", "ResponseParameters": {
    "method.response.header.Access-Control-Allow-Origin": "'*'"}}]}
ROUTES_STACK = {
    "Resources": {
        "GetCaseA1B2C3D4": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": _from_api("PublishOutputRefPublicApi"), "ResourceId": _from_api("PublishOutputRefCaseResource"),
            "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS",
            "AuthorizerId": {"Fn::ImportValue": "Api:AuthorizerId"},
            "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": "arn:uri"}}},
        "RootOptionsA1B2C3D4": {"Type": "AWS::ApiGateway::Method", "Properties": {
            "RestApiId": _from_api("PublishOutputRefPublicApi"), "ResourceId": _from_api("PublishOutputRootResourceId"),
            "HttpMethod": "OPTIONS", "AuthorizationType": "NONE", "Integration": _PREFLIGHT}},
        "OtherApiMethodA1B2C3D4": {"Type": "AWS::ApiGateway::Method", "Properties": {  # another API's: not served
            "RestApiId": _from_api("PublishOutputRefOtherApi"), "ResourceId": "other-root",
            "HttpMethod": "GET", "AuthorizationType": "NONE", "Integration": _PREFLIGHT}},
        "DeploymentA1B2C3D4": {"Type": "AWS::ApiGateway::Deployment", "Properties": {
            "RestApiId": _from_api("PublishOutputRefPublicApi")}},
        "StageA1B2C3D4": {"Type": "AWS::ApiGateway::Stage", "Properties": {
            "RestApiId": _from_api("PublishOutputRefPublicApi"), "StageName": "v1",
            "DeploymentId": {"Ref": "DeploymentA1B2C3D4"}}},
    },
}


def test_a_route_table_reads_methods_in_another_stack_than_their_resources() -> None:
    templates = [Template(API_STACK, stack_name="Api"), Template(ROUTES_STACK, stack_name="Routes")]
    routes = RouteTable.from_templates(templates, ("Api", "PublicApiA1B2C3D4"))
    assert set(routes.methods) == {("GET", "/cases/{caseId}"), ("OPTIONS", "/")}  # not the other API's
    method, params = routes.match("GET", "/cases/c-1")
    assert params == {"caseId": "c-1"} and method.resource_logical_id == "PublicApicasescaseIdA1B2C3D4"
    assert (method.stack_name, method.authorizer_stack_name) == ("Routes", "Api")  # the import followed
    assert method.authorizer_logical_id == "PublicApiAuthorizerA1B2C3D4"
    assert routes.match("OPTIONS", "/")[0].stack_name == "Routes"
    # The RestApi's stack alone has no methods: the old single-template reading found none.
    assert RouteTable.from_template(templates[0], "PublicApiA1B2C3D4").methods == {}


def test_a_route_table_refuses_a_method_defined_in_two_stacks() -> None:
    twice = {"Resources": {"Again": ROUTES_STACK["Resources"]["RootOptionsA1B2C3D4"]}}
    templates = [Template(API_STACK, stack_name="Api"), Template(ROUTES_STACK, stack_name="Routes"),
                 Template(twice, stack_name="More")]
    with pytest.raises(TemplateError, match="OPTIONS / is defined twice"):
        RouteTable.from_templates(templates, ("Api", "PublicApiA1B2C3D4"))


def test_the_gateway_serves_a_rest_api_whose_methods_and_stage_are_in_another_stack(tmp_path, monkeypatch) -> None:
    import boto3
    from moto import mock_aws

    from infra.local.engine.gateway import ApiGateway
    from infra.local.engine.provision import provision_stacks

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    _write_assembly(tmp_path, {"Routes": (ROUTES_STACK, ["Api"]), "Api": (API_STACK, [])})
    with mock_aws():
        app = provision_stacks(load_stacks(tmp_path), boto3.Session(region_name="eu-west-1"), None)
        gateway = ApiGateway(app, dispatcher=None, verifier=None, rest_api_logical_id="PublicApiA1B2C3D4")  # type: ignore[arg-type]
    assert gateway.stack is app.stacks["Api"] and gateway.stage_name == "v1"  # the stage of the Routes stack
    preflight = gateway.handle("OPTIONS", "/v1/", [], b"", "127.0.0.1")
    assert preflight.status == 204 and ("Access-Control-Allow-Origin", "*") in preflight.headers
    missing = gateway.handle("GET", "/v1/no/such/route", [], b"", "127.0.0.1")
    assert missing.status == 403 and ("Cache-Control", "no-store") in missing.headers  # the Api stack's response
    assert gateway._authorizer_pools(gateway.routes.match("GET", "/cases/c-1")[0]) == ["eu-west-1_pool"]


def test_the_api_url_of_a_stage_in_another_stack_is_rewritten_to_the_local_gateway() -> None:
    templates = {"Api": Template(API_STACK, stack_name="Api"), "Routes": Template(ROUTES_STACK, stack_name="Routes")}
    urls = LocalUrls(api="http://127.0.0.1:8000/v1", web="http://127.0.0.1:8080")
    pseudo = PseudoParameters(region="eu-west-1", stack_name="Routes")
    expected = {"https://publicapia.execute-api.eu-west-1.amazonaws.com/v1": "http://127.0.0.1:8000/v1"}
    assert urls.rewrites(templates["Routes"], pseudo, templates) == expected
    assert urls.rewrites(templates["Routes"], pseudo) == {}  # the RestApi's stack unknown: nothing to name


def test_placeholder_attributes_come_back_as_markers_from_a_state_file() -> None:
    """A running system's state file holds a placeholder resource's attributes as {}: what refers
    to them (an output naming a KMS key's ARN) still resolves when the resolvers are rebuilt."""
    producer = {"Resources": {"KeyA1B2C3D4": {"Type": "AWS::KMS::Key", "Properties": {}}},
                "Outputs": {"KeyArn": {"Value": {"Fn::GetAtt": ["KeyA1B2C3D4", "Arn"]}}}}
    resolvers = stack_resolvers([Template(producer, stack_name="Data")], {"KeyA1B2C3D4": "local-KeyA1B2C3D4"},
                                json.loads(json.dumps({"KeyA1B2C3D4": {}})), "eu-west-1")
    assert resolvers["Data"].resolve({"Fn::GetAtt": ["KeyA1B2C3D4", "Arn"]}) == "local-KeyA1B2C3D4-Arn"
