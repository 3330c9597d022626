"""A small template shaped like `cdk synth` output (hashed logical ids, intrinsics everywhere)."""

from __future__ import annotations

import json
from typing import Any

from infra.constants import STANDARD_FLOW_ASL


def _get_att(logical_id: str, attribute: str = "Arn") -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, attribute]}


def _role(principal: str) -> dict[str, Any]:
    return {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
        "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": principal}}],
        "Version": "2012-10-17"}}}


def _function(handler: str, service: str, extra_env: dict[str, Any] | None = None, timeout: int = 10) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Code": {"S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                     "S3Key": "0123456789abcdef.zip"},
            "Handler": handler,
            "Runtime": "python3.12",
            "Architectures": ["arm64"],
            "Role": _get_att("FunctionServiceRoleA1B2C3D4"),
            "Layers": [{"Ref": "SharedLayer5E6F7A8B"}],
            "Timeout": timeout,
            "MemorySize": 256,
            "Environment": {"Variables": {
                "CASES_TABLE_NAME": {"Ref": "CasesTable0A1B2C3D"},
                "EVENT_BUS_NAME": {"Ref": "DomainEventBus1A2B3C4D"},
                "POWERTOOLS_SERVICE_NAME": service,
                "POWERTOOLS_METRICS_NAMESPACE": "Sunlight",
                **(extra_env or {}),
            }},
        },
        "DependsOn": ["FunctionServiceRoleA1B2C3D4"],
    }


def _method(http_method: str, resource: str, authorized: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "HttpMethod": http_method,
        "ResourceId": {"Ref": resource} if resource != "root" else _get_att("PublicApiA1B2C3D4", "RootResourceId"),
        "RestApiId": {"Ref": "PublicApiA1B2C3D4"},
        "AuthorizationType": "COGNITO_USER_POOLS" if authorized else "NONE",
        "Integration": {
            "Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
            "Uri": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":apigateway:", {"Ref": "AWS::Region"},
                                      ":lambda:path/2015-03-31/functions/", _get_att("ApiFunction1A2B3C4D"),
                                      "/invocations"]]},
        },
    }
    if authorized:
        properties["AuthorizerId"] = {"Ref": "PublicApiAuthorizer1A2B3C4D"}
    return {"Type": "AWS::ApiGateway::Method", "Properties": properties}


def _cors_options(resource: str) -> dict[str, Any]:
    return {"Type": "AWS::ApiGateway::Method", "Properties": {
        "HttpMethod": "OPTIONS",
        "ResourceId": {"Ref": resource},
        "RestApiId": {"Ref": "PublicApiA1B2C3D4"},
        "AuthorizationType": "NONE",
        "Integration": {
            "Type": "MOCK",
            "RequestTemplates": {"application/json": "{ statusCode: 200 }"},
            "IntegrationResponses": [{"StatusCode": "204", "ResponseParameters": {
                "method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
                "method.response.header.Access-Control-Allow-Origin": "'*'",
                "method.response.header.Access-Control-Allow-Methods": "'OPTIONS,GET,POST'"}}],
        },
        "MethodResponses": [{"StatusCode": "204", "ResponseParameters": {
            "method.response.header.Access-Control-Allow-Headers": True,
            "method.response.header.Access-Control-Allow-Origin": True,
            "method.response.header.Access-Control-Allow-Methods": True}}],
    }}


def _resource(parent: str, path_part: str) -> dict[str, Any]:
    parent_id = _get_att("PublicApiA1B2C3D4", "RootResourceId") if parent == "root" else {"Ref": parent}
    return {"Type": "AWS::ApiGateway::Resource", "Properties": {
        "ParentId": parent_id, "PathPart": path_part, "RestApiId": {"Ref": "PublicApiA1B2C3D4"}}}


def fixture_template() -> dict[str, Any]:
    asl = STANDARD_FLOW_ASL.read_text(encoding="utf-8")
    resources: dict[str, Any] = {
        "CasesTable0A1B2C3D": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"}
                                     for n in ("pk", "sk", "worklist_pk", "worklist_sk")],
            "BillingMode": "PAY_PER_REQUEST",
            "GlobalSecondaryIndexes": [{"IndexName": "worklist", "KeySchema": [
                {"AttributeName": "worklist_pk", "KeyType": "HASH"},
                {"AttributeName": "worklist_sk", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}],
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        }, "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"},
        "AttachmentsBucketA1B2C3D4": {"Type": "AWS::S3::Bucket", "Properties": {
            "CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["POST", "GET"], "AllowedOrigins": ["*"],
                                                 "AllowedHeaders": ["*"], "MaxAge": 3000}]},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True},
        }},
        "DomainEventBus1A2B3C4D": {"Type": "AWS::Events::EventBus", "Properties": {
            "Name": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "domain"]]}}},
        "AuditRule1A2B3C4D": {"Type": "AWS::Events::Rule", "Properties": {
            "EventBusName": {"Ref": "DomainEventBus1A2B3C4D"},
            "EventPattern": {"source": ["sunlight.approval"]},
            "State": "ENABLED",
            "Targets": [{"Arn": _get_att("FlowStepFunction1A2B3C4D"), "Id": "Target0"},
                        {"Arn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":",
                                                         {"Ref": "AWS::AccountId"}, ":log-group:",
                                                         {"Ref": "AuditLogGroup1A2B3C4D"}]]}, "Id": "Target1"}]}},
        "AuditLogGroup1A2B3C4D": {"Type": "AWS::Logs::LogGroup", "Properties": {
            "LogGroupName": {"Fn::Sub": "/sunlight/${AWS::StackName}/audit"}, "RetentionInDays": 30}},
        "StaffUserPool1A2B3C4D": {"Type": "AWS::Cognito::UserPool", "Properties": {
            "UserPoolName": "sunlight-staff",
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
            "AutoVerifiedAttributes": ["email"],
            "UsernameAttributes": ["email"],
            "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireNumbers": True}},
            "Schema": [{"Name": "email", "Required": True, "Mutable": True},
                       {"Name": "department", "AttributeDataType": "String", "Mutable": True,
                        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}},
                       {"Name": "government", "AttributeDataType": "String", "Mutable": True,
                        "StringAttributeConstraints": {"MinLength": "6", "MaxLength": "12"}}],
            "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
        }, "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"},
        "StaffUserPoolWebClient1A2B3C4D": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {
            "UserPoolId": {"Ref": "StaffUserPool1A2B3C4D"},
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "GenerateSecret": False, "PreventUserExistenceErrors": "ENABLED",
            "SupportedIdentityProviders": ["COGNITO"]}},
        **{f"StaffUserPoolGroup{name.capitalize()}1A2B3C4D": {"Type": "AWS::Cognito::UserPoolGroup", "Properties": {
            "GroupName": name, "UserPoolId": {"Ref": "StaffUserPool1A2B3C4D"}}} for name in ("handler", "leader")},
        "FunctionServiceRoleA1B2C3D4": _role("lambda.amazonaws.com"),
        "SharedLayer5E6F7A8B": {"Type": "AWS::Lambda::LayerVersion", "Properties": {
            "Content": {"S3Bucket": "x", "S3Key": "layer.zip"}, "CompatibleRuntimes": ["python3.12"]}},
        "FlowStepFunction1A2B3C4D": _function("tests.integration.local_fixtures.flow_step.handler", "flow-step"),
        # Same code, its own environment and a long timeout: an invocation that is still running.
        "SlowFunction1A2B3C4D": _function("tests.integration.local_fixtures.flow_step.handler", "slow",
                                          {"SLOW_ONLY": "yes"}, timeout=120),
        "ApiFunction1A2B3C4D": _function("tests.integration.local_fixtures.api.handler", "api", {
            "FLOW_STEP_FUNCTION_NAME": {"Ref": "FlowStepFunction1A2B3C4D"},
            "FLOW_STATE_MACHINES": {"Fn::Join": ["", ['{"standard": "', {"Ref": "StandardApprovalFlow1A2B3C4D"}, '"}']]},
            "ATTACHMENTS_BUCKET_NAME": {"Ref": "AttachmentsBucketA1B2C3D4"},
        }),
        "StandardApprovalFlowRole1A2B3C4D": _role("states.amazonaws.com"),
        "StandardApprovalFlow1A2B3C4D": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "RoleArn": _get_att("StandardApprovalFlowRole1A2B3C4D"),
            "DefinitionString": asl,
            "DefinitionSubstitutions": {"FlowStepFunctionArn": _get_att("FlowStepFunction1A2B3C4D")},
        }, "DependsOn": ["StandardApprovalFlowRole1A2B3C4D"]},
        "PublicApiA1B2C3D4": {"Type": "AWS::ApiGateway::RestApi", "Properties": {
            "Name": "PublicApi", "BinaryMediaTypes": ["application/octet-stream"]}},
        "PublicApiAuthorizer1A2B3C4D": {"Type": "AWS::ApiGateway::Authorizer", "Properties": {
            "Type": "COGNITO_USER_POOLS", "IdentitySource": "method.request.header.Authorization",
            "Name": "staff", "RestApiId": {"Ref": "PublicApiA1B2C3D4"},
            "ProviderARNs": [_get_att("StaffUserPool1A2B3C4D")]}},
        "PublicApiDeployment1A2B3C4D": {"Type": "AWS::ApiGateway::Deployment", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}}},
        "PublicApiDeploymentStageprod1A2B3C4D": {"Type": "AWS::ApiGateway::Stage", "Properties": {
            "RestApiId": {"Ref": "PublicApiA1B2C3D4"}, "StageName": "prod",
            "DeploymentId": {"Ref": "PublicApiDeployment1A2B3C4D"}, "Variables": {"flavour": "local"}}},
        "PublicApiUnauthorized1A2B3C4D": {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": {
            "ResponseType": "DEFAULT_4XX", "RestApiId": {"Ref": "PublicApiA1B2C3D4"},
            "ResponseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}},
        # /catalog, /catalog/{itemCode}, /catalog/featured, /me, /cases/{caseId}/actions, /invoke-flow-step ...
        "PublicApicatalog1A2B3C4D": _resource("root", "catalog"),
        "PublicApicatalogitemCode1A2B3C4D": _resource("PublicApicatalog1A2B3C4D", "{itemCode}"),
        "PublicApicatalogfeatured1A2B3C4D": _resource("PublicApicatalog1A2B3C4D", "featured"),
        "PublicApime1A2B3C4D": _resource("root", "me"),
        "PublicApicases1A2B3C4D": _resource("root", "cases"),
        "PublicApicasescaseId1A2B3C4D": _resource("PublicApicases1A2B3C4D", "{caseId}"),
        "PublicApicasescaseIdactions1A2B3C4D": _resource("PublicApicasescaseId1A2B3C4D", "actions"),
        "PublicApiinvoke1A2B3C4D": _resource("root", "invoke-flow-step"),
        "PublicApibinary1A2B3C4D": _resource("root", "binary"),
        "PublicApifail1A2B3C4D": _resource("root", "fail"),
        "PublicApicatalogGET1A2B3C4D": _method("GET", "PublicApicatalog1A2B3C4D", False),
        "PublicApicatalogitemCodeGET1A2B3C4D": _method("GET", "PublicApicatalogitemCode1A2B3C4D", False),
        "PublicApicatalogfeaturedGET1A2B3C4D": _method("GET", "PublicApicatalogfeatured1A2B3C4D", False),
        "PublicApimeGET1A2B3C4D": _method("GET", "PublicApime1A2B3C4D", True),
        "PublicApimeOPTIONS1A2B3C4D": _cors_options("PublicApime1A2B3C4D"),
        "PublicApicasescaseIdactionsPOST1A2B3C4D": _method("POST", "PublicApicasescaseIdactions1A2B3C4D", True),
        "PublicApiinvokeGET1A2B3C4D": _method("GET", "PublicApiinvoke1A2B3C4D", False),
        "PublicApibinaryPOST1A2B3C4D": _method("POST", "PublicApibinary1A2B3C4D", False),
        "PublicApifailGET1A2B3C4D": _method("GET", "PublicApifail1A2B3C4D", False),
        "SiteDistribution1A2B3C4D": {"Type": "AWS::CloudFront::Distribution", "Properties": {
            "DistributionConfig": {"Enabled": True}}},
        "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"},
                        "Condition": "CDKMetadataAvailable"},
    }
    return {
        "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>",
                                            "Default": "/cdk-bootstrap/hnb659fds/version"}},
        "Conditions": {"CDKMetadataAvailable": {"Fn::Or": [
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}]}},
        "Resources": resources,
        "Outputs": {
            "PublicApiEndpoint1A2B3C4D": {"Value": {"Fn::Join": ["", [
                "https://", {"Ref": "PublicApiA1B2C3D4"}, ".execute-api.", {"Ref": "AWS::Region"}, ".",
                {"Ref": "AWS::URLSuffix"}, "/", {"Ref": "PublicApiDeploymentStageprod1A2B3C4D"}, "/"]]}},
            "UserPoolId": {"Value": {"Ref": "StaffUserPool1A2B3C4D"}},
            "UserPoolClientId": {"Value": {"Ref": "StaffUserPoolWebClient1A2B3C4D"}},
            "CasesTableName": {"Value": {"Ref": "CasesTable0A1B2C3D"}},
            "StandardApprovalFlowArn": {"Value": {"Ref": "StandardApprovalFlow1A2B3C4D"}},
            "SiteUrl": {"Value": {"Fn::Join": ["", ["https://", _get_att("SiteDistribution1A2B3C4D", "DomainName")]]}},
        },
    }


def write_fixture_template(directory) -> str:
    path = directory / "Sunlight.template.json"
    path.write_text(json.dumps(fixture_template(), ensure_ascii=False, indent=1), encoding="utf-8")
    return str(path)
