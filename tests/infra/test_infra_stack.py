"""The synthesized Sunlight stacks keep the contract of infra/constants.py and the security baseline;
each assertion reads the stack that owns what it checks."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Annotations, Match
from cdk_nag import AwsSolutionsChecks

from infra import constants
from infra.constructs.python_function import UPLOAD_MAX_BYTES, UPLOAD_URL_TTL_SECONDS
from infra.stack import ALLOWED_ORIGINS_CONTEXT_KEY, allowed_origins

pytestmark = pytest.mark.xdist_group("infra")

POWERTOOLS_KEYS = {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL"}
E = constants.EnvKeys


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return policy["Properties"]["PolicyDocument"]["Statement"]


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def _role_actions(synthesized, function_prefix: str) -> set[str]:
    role_id = synthesized.logical_id("AWS::IAM::Role", f"{function_prefix}ServiceRole")
    actions: set[str] = set()
    for policy in synthesized.resources_of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            for statement in _statements(policy):
                actions.update(_actions(statement))
    return actions


# --- data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table_id", "indexes"),
    [
        (
            constants.CASES_TABLE_ID,
            {
                constants.CASES_WORKLIST_INDEX: ("worklist_pk", "worklist_sk"),
                constants.CASES_APPLICANT_INDEX: ("applicant_pk", "applicant_sk"),
                constants.CASES_ALARM_INDEX: ("alarm_pk", "alarm_sk"),
                constants.CASES_SUPERVISION_INDEX: ("supervision_pk", "supervision_sk"),
                constants.CASES_DEPARTMENT_INDEX: ("department_pk", "department_sk"),
            },
        ),
        (constants.CATALOG_TABLE_ID, {constants.CATALOG_LISTING_INDEX: ("listing_pk", "listing_sk")}),
    ],
)
def test_tables_keys_indexes_and_protection(synthesized, table_id, indexes):
    table = synthesized.data.resource("AWS::DynamoDB::Table", table_id)
    props = table["Properties"]

    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"

    gsis = {gsi["IndexName"]: gsi for gsi in props["GlobalSecondaryIndexes"]}
    assert set(gsis) == set(indexes)
    for name, (pk, sk) in indexes.items():
        assert gsis[name]["KeySchema"] == [
            {"AttributeName": pk, "KeyType": "HASH"},
            {"AttributeName": sk, "KeyType": "RANGE"},
        ]
        assert gsis[name]["Projection"] == {"ProjectionType": "ALL"}
    attributes = {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]}
    assert all(kind == "S" for kind in attributes.values())


def test_every_bucket_blocks_public_access_is_encrypted_and_denies_plain_http(synthesized):
    buckets = {lid: (stack, bucket) for stack in (synthesized.data, synthesized.web)
               for lid, bucket in stack.resources_of_type("AWS::S3::Bucket").items()}
    assert len(buckets) == 4  # attachments, the log's anchors and access logs (data), the site (web)
    assert [stack.resources_of_type("AWS::S3::Bucket") for stack in synthesized.all
            if stack not in (synthesized.data, synthesized.web)] == [{}] * 5
    for logical_id, (stack, bucket) in buckets.items():
        policies = stack.resources_of_type("AWS::S3::BucketPolicy").values()
        props = bucket["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, logical_id
        encryption = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", logical_id
        ssl_denials = [
            statement
            for policy in policies
            if policy["Properties"]["Bucket"] == {"Ref": logical_id}
            for statement in _statements(policy)
            if statement["Effect"] == "Deny"
            and statement.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        ]
        assert ssl_denials, f"{logical_id} has no SSL-only bucket policy"


def test_attachments_bucket_is_versioned_logged_and_accepts_browser_uploads(synthesized):
    props = synthesized.data.resource("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert "DestinationBucketName" in props["LoggingConfiguration"]
    [cors] = props["CorsConfiguration"]["CorsRules"]
    assert set(cors["AllowedMethods"]) == {"GET", "POST", "PUT"}
    assert cors["AllowedOrigins"] == ["*"]  # the default of the allowedOrigins context
    assert any(
        rule.get("AbortIncompleteMultipartUpload") for rule in props["LifecycleConfiguration"]["Rules"]
    )


def test_domain_events_are_archived_and_copied_to_a_long_lived_audit_trail(synthesized):
    bus_id = synthesized.data.logical_id("AWS::Events::EventBus", constants.EVENT_BUS_ID)
    archive = synthesized.data.resource("AWS::Events::Archive", constants.EVENT_BUS_ID)
    assert archive["Properties"]["SourceArn"] == {"Fn::GetAtt": [bus_id, "Arn"]}

    rule = synthesized.data.resource("AWS::Events::Rule", "AuditTrailRule")["Properties"]
    assert rule["EventBusName"] == {"Ref": bus_id}
    assert rule["EventPattern"] == {"source": [constants.DOMAIN_EVENT_SOURCE]}
    [target] = rule["Targets"]
    audit_log_id = synthesized.data.logical_id("AWS::Logs::LogGroup", "AuditTrailLogs")
    assert audit_log_id in json.dumps(target["Arn"])
    audit_log = synthesized.data.resources[audit_log_id]
    assert audit_log["Properties"]["RetentionInDays"] >= 365


# --- identity -----------------------------------------------------------------------------


def test_user_pool_groups_and_department_attribute(synthesized):
    groups = synthesized.data.resources_of_type("AWS::Cognito::UserPoolGroup").values()
    assert sorted(g["Properties"]["GroupName"] for g in groups) == sorted(constants.USER_GROUPS)

    pool = synthesized.data.resource("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    props = pool["Properties"]
    assert pool["DeletionPolicy"] == "Retain"
    assert props["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert props["UsernameConfiguration"] == {"CaseSensitive": False}
    assert "UsernameAttributes" not in props and "AliasAttributes" not in props
    policy = props["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    assert all(policy[k] for k in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"))
    schema = {attribute["Name"]: attribute for attribute in props["Schema"]}
    assert schema[constants.DEPARTMENT_ATTRIBUTE]["AttributeDataType"] == "String"
    assert schema[constants.DEPARTMENT_ATTRIBUTE]["Mutable"] is True
    assert schema[constants.GOVERNMENT_ATTRIBUTE]["AttributeDataType"] == "String"  # an inspector's level
    assert schema["email"]["Required"] is False


def test_web_client_has_no_secret_and_cannot_write_department(synthesized):
    props = synthesized.data.resource("AWS::Cognito::UserPoolClient", constants.USER_POOL_CLIENT_ID)["Properties"]
    assert props["GenerateSecret"] is False
    assert set(props["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert set(props["TokenValidityUnits"].values()) == {"minutes"}
    assert props["IdTokenValidity"] == props["AccessTokenValidity"] == 60
    assert props["RefreshTokenValidity"] == 30 * 24 * 60
    assert f"custom:{constants.DEPARTMENT_ATTRIBUTE}" not in props["WriteAttributes"]
    assert f"custom:{constants.GOVERNMENT_ATTRIBUTE}" not in props["WriteAttributes"]
    assert "ReadAttributes" not in props  # the ID token carries custom:government (and every attribute)
    assert "name" not in props["WriteAttributes"]  # the actor name in timelines: admins (and the sign-up trigger) only


# --- workflows ----------------------------------------------------------------------------


def _states(definition: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every state, including those inside Parallel branches and Map iterators."""
    for name, state in definition["States"].items():
        yield name, state
        for branch in state.get("Branches", []):
            yield from _states(branch)
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                yield from _states(state[key])


@pytest.mark.parametrize("pattern", sorted(constants.FLOW_ASL))
def test_each_flow_is_its_asl_file_with_the_flow_step_arn_substituted(synthesized, pattern):
    machine = synthesized.compute.resource("AWS::StepFunctions::StateMachine", constants.FLOW_IDS[pattern])["Properties"]
    asl = constants.FLOW_ASL[pattern].read_text(encoding="utf-8")

    assert "${FlowStepFunctionArn}" in machine["DefinitionString"]
    assert json.loads(machine["DefinitionString"]) == json.loads(asl)
    flow_step_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.FLOW_STEP_FUNCTION_ID)
    assert machine["DefinitionSubstitutions"] == {"FlowStepFunctionArn": {"Fn::GetAtt": [flow_step_id, "Arn"]}}
    assert machine["StateMachineType"] == "STANDARD"
    assert machine["LoggingConfiguration"]["Level"] == "ALL"
    assert machine["LoggingConfiguration"]["IncludeExecutionData"] is False
    assert machine["TracingConfiguration"] == {"Enabled": True}


@pytest.mark.parametrize("pattern", sorted(constants.FLOW_ASL))
def test_every_task_token_wait_in_the_asl_has_a_timeout(pattern):
    definition = json.loads(constants.FLOW_ASL[pattern].read_text(encoding="utf-8"))
    waits = {
        name: state
        for name, state in _states(definition)
        if state.get("Resource", "").endswith(".waitForTaskToken")
    }
    assert waits, "every flow waits for people"
    missing = [
        name for name, state in waits.items() if not {"TimeoutSeconds", "TimeoutSecondsPath"} & set(state)
    ]
    assert not missing, f"token waits without a timeout wait up to a year: {missing}"


@pytest.mark.parametrize("pattern", sorted(constants.FLOW_ASL))
def test_each_flow_may_invoke_exactly_the_flow_step_function(synthesized, pattern):
    role_id = synthesized.compute.logical_id("AWS::IAM::Role", f"{constants.FLOW_IDS[pattern]}Role")
    flow_step_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.FLOW_STEP_FUNCTION_ID)
    invokes = [
        statement
        for policy in synthesized.compute.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in _statements(policy)
        if "lambda:InvokeFunction" in _actions(statement)
    ]
    assert [s["Resource"] for s in invokes] == [{"Fn::GetAtt": [flow_step_id, "Arn"]}]


API_COMMON = {E.CASES_TABLE, E.CATALOG_TABLE, E.SUPERVISION_TABLE, E.ALLOWED_ORIGINS, E.CURSOR_KEY_SECRET}
API_UPLOADS = {E.ATTACHMENTS_BUCKET, E.UPLOAD_MAX_BYTES, E.UPLOAD_URL_TTL_SECONDS}


@pytest.mark.parametrize(
    ("stack", "function_id", "handler", "environment_keys"),
    [
        # Every API function: the tables (revoked sign-ins and the inspector log in the supervision
        # table), CORS origins and the page-cursor key (sunlight/services/pagination.py).
        ("api", constants.API_PUBLIC.function_id, constants.API_PUBLIC.handler, API_COMMON),
        (
            "api",
            constants.API_CITIZEN.function_id,
            constants.API_CITIZEN.handler,
            {*API_COMMON, *API_UPLOADS, E.EVENT_BUS, E.FLOW_STATE_MACHINES},
        ),
        (
            "api",
            constants.API_OFFICE.function_id,
            constants.API_OFFICE.handler,
            {*API_COMMON, *API_UPLOADS, E.EVENT_BUS, E.FLOW_STATE_MACHINES},
        ),
        (
            "api",
            constants.API_SUPERVISION.function_id,
            constants.API_SUPERVISION.handler,
            {
                *API_COMMON, *API_UPLOADS, E.EVENT_BUS,
                E.USER_POOL_ID,  # responsibility findings name a department's staff (infra/constructs/inspector_watch.py)
                E.LOG_VERIFY_FUNCTION,  # hands verification runs to log_verify (infra/constructs/log_verification.py)
            },
        ),
        ("api", constants.API_ADMIN.function_id, constants.API_ADMIN.handler, {*API_COMMON, E.EVENT_BUS, E.USER_POOL_ID}),
        (
            "compute",
            constants.FLOW_STEP_FUNCTION_ID,
            constants.FLOW_STEP_HANDLER,
            {E.CASES_TABLE, E.CATALOG_TABLE, E.EVENT_BUS},
        ),
    ],
)
def test_functions_handler_runtime_and_environment(synthesized, stack, function_id, handler, environment_keys):
    props = getattr(synthesized, stack).resource("AWS::Lambda::Function", function_id)["Properties"]
    assert props["Handler"] == handler
    assert props["Runtime"] == f"python{constants.LAMBDA_PYTHON_VERSION}"
    assert props["Architectures"] == ["arm64"]
    assert props["MemorySize"] == 512
    assert props["Timeout"] == 30
    assert props["TracingConfig"] == {"Mode": "Active"}
    assert len(props["Layers"]) == 2
    variables = props["Environment"]["Variables"]
    assert set(variables) == environment_keys | POWERTOOLS_KEYS
    assert variables["POWERTOOLS_SERVICE_NAME"] == constants.SERVICE_NAME
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == constants.METRICS_NAMESPACE
    assert variables["POWERTOOLS_LOG_LEVEL"] == "INFO"


def test_api_function_upload_settings(synthesized):
    variables = synthesized.api.resource("AWS::Lambda::Function", constants.API_CITIZEN.function_id)["Properties"][
        "Environment"
    ]["Variables"]
    assert variables[E.UPLOAD_MAX_BYTES] == str(UPLOAD_MAX_BYTES) == "10485760"
    assert variables[E.UPLOAD_URL_TTL_SECONDS] == str(UPLOAD_URL_TTL_SECONDS) == "300"
    assert variables[E.ALLOWED_ORIGINS] == "*"


def test_api_signs_page_cursors_with_a_generated_secret_it_alone_reads(synthesized):
    secret = synthesized.api.resource("AWS::SecretsManager::Secret", constants.CURSOR_KEY_SECRET_ID)
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    for spec in constants.API_FUNCTIONS:
        variables = synthesized.api.resource("AWS::Lambda::Function", spec.function_id)["Properties"]["Environment"]["Variables"]
        assert variables[E.CURSOR_KEY_SECRET] == {"Ref": synthesized.api.logical_id("AWS::SecretsManager::Secret", constants.CURSOR_KEY_SECRET_ID)}
        assert "secretsmanager:GetSecretValue" in _role_actions(synthesized.api, spec.function_id)
    assert "secretsmanager:GetSecretValue" not in _role_actions(synthesized.compute, constants.FLOW_STEP_FUNCTION_ID)


def test_function_permissions_are_scoped_to_their_jobs(synthesized):
    api_actions = _role_actions(synthesized.api, constants.API_CITIZEN.function_id)
    assert {
        "events:PutEvents",
        "states:StartExecution",
        "states:SendTaskSuccess",
        "states:SendTaskFailure",
        "s3:PutObject",
        "dynamodb:PutItem",
    } <= api_actions

    flow_step_actions = _role_actions(synthesized.compute, constants.FLOW_STEP_FUNCTION_ID)
    assert {"events:PutEvents", "dynamodb:PutItem"} <= flow_step_actions
    assert not {a for a in flow_step_actions if a.startswith(("states:", "s3:", "cognito"))}
    # Cognito, on its own pool only: the users and roles admin routes (adapters/cognito_admin.py).
    admin_actions = _role_actions(synthesized.api, constants.API_ADMIN.function_id)
    assert {a for a in admin_actions if a.startswith("cognito")} == set(constants.USER_ADMIN_ACTIONS)


def test_api_function_manages_users_of_its_own_pool_only(synthesized):
    role_id = synthesized.api.logical_id("AWS::IAM::Role", f"{constants.API_ADMIN.function_id}ServiceRole")
    pool_id = synthesized.data.logical_id("AWS::Cognito::UserPool", constants.USER_POOL_ID)
    statements = [
        statement
        for policy in synthesized.api.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in _statements(policy)
        if any(action.startswith("cognito-idp:") for action in _actions(statement))
    ]
    assert statements and all(s["Effect"] == "Allow" for s in statements)
    # The pool is in the data stack: a cross-stack reference to its ARN.
    assert all(synthesized.deref(s["Resource"]) == {"Fn::GetAtt": [pool_id, "Arn"]} for s in statements)
    granted = {action for s in statements for action in _actions(s)}
    # AdminSetUserPassword resets a forgotten staff password to a temporary one (services/users.py).
    assert not {"cognito-idp:AdminDeleteUser", "cognito-idp:AdminConfirmSignUp", "cognito-idp:*"} & granted
    variables = synthesized.api.resource("AWS::Lambda::Function", constants.API_ADMIN.function_id)["Properties"]["Environment"]["Variables"]
    assert synthesized.deref(variables[E.USER_POOL_ID]) == {"Ref": pool_id}


def test_layers_match_the_lambda_runtime_and_architecture(synthesized):
    layers = [
        synthesized.compute.resource("AWS::Lambda::LayerVersion", layer_id)["Properties"]
        for layer_id in ("SunlightLayer", "DepsLayer")
    ]
    for layer in layers:
        assert layer["CompatibleRuntimes"] == [f"python{constants.LAMBDA_PYTHON_VERSION}"]
        assert layer["CompatibleArchitectures"] == ["arm64"]


# --- api ----------------------------------------------------------------------------------


def _resource_paths(synthesized) -> dict[str, str]:
    """Logical id of each API Gateway resource (and of the root, as the RestApi id) -> its path."""
    api_id = synthesized.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    resources = synthesized.resources_of_type("AWS::ApiGateway::Resource")
    paths = {api_id: ""}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            props = resources[logical_id]["Properties"]
            parent = props["ParentId"]
            parent_id = parent["Ref"] if "Ref" in parent else parent["Fn::GetAtt"][0]
            paths[logical_id] = f"{path_of(parent_id)}/{props['PathPart']}"
        return paths[logical_id]

    for logical_id in resources:
        path_of(logical_id)
    return paths


def _methods(synthesized) -> list[dict[str, Any]]:
    """The API's methods (in the routes stack), references to the API stack followed there."""
    return [synthesized.deref(method["Properties"])
            for method in synthesized.api_routes.resources_of_type("AWS::ApiGateway::Method").values()]


def test_api_has_exactly_the_routes_table_with_cognito_on_authenticated_routes(synthesized):
    paths = _resource_paths(synthesized.api)
    authorizer_id = synthesized.api.logical_id("AWS::ApiGateway::Authorizer", f"{constants.API_ID}Authorizer")
    methods: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for props in _methods(synthesized):
        if props["HttpMethod"] == "OPTIONS":
            continue
        resource = props["ResourceId"]
        resource_id = resource["Ref"] if "Ref" in resource else resource["Fn::GetAtt"][0]
        methods.setdefault((props["HttpMethod"], paths[resource_id] or "/"), []).append(props)

    assert set(methods) == {(route.method, route.path) for route in constants.ROUTES}
    for route in constants.ROUTES:
        [props] = methods[(route.method, route.path)]
        assert props["Integration"]["Type"] == "AWS_PROXY"
        if route.authenticated:
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS", route
            assert props["AuthorizerId"] == {"Ref": authorizer_id}, route
        else:
            assert props["AuthorizationType"] == "NONE", route
            assert "AuthorizerId" not in props, route


def test_api_stage_logs_traces_and_throttles(synthesized):
    stage = synthesized.deref(synthesized.api_routes.resource("AWS::ApiGateway::Stage", constants.API_ID)["Properties"])
    assert stage["StageName"] == "v1"
    assert stage["TracingEnabled"] is True
    access_logs_id = synthesized.api.logical_id("AWS::Logs::LogGroup", f"{constants.API_ID}AccessLogs")
    assert {"Ref": access_logs_id} in stage["AccessLogSetting"]["DestinationArn"]["Fn::Join"][1]
    assert json.loads(stage["AccessLogSetting"]["Format"])["status"] == "$context.status"
    [all_methods] = [s for s in stage["MethodSettings"] if s["ResourcePath"] == "/*" and s["HttpMethod"] == "*"]
    assert all_methods["LoggingLevel"] == "ERROR"
    assert all_methods["ThrottlingRateLimit"] > 0 and all_methods["ThrottlingBurstLimit"] > 0
    assert all_methods["DataTraceEnabled"] is False
    synthesized.api.template.resource_count_is("AWS::ApiGateway::Account", 1)


def test_api_answers_cors_preflight_on_every_resource(synthesized):
    paths = _resource_paths(synthesized.api)
    preflights = [
        props["ResourceId"].get("Ref") or props["ResourceId"]["Fn::GetAtt"][0]
        for props in _methods(synthesized)
        if props["HttpMethod"] == "OPTIONS"
    ]
    assert sorted(preflights) == sorted(paths)


def test_api_preflight_lets_browsers_send_the_idempotency_key(synthesized):
    allowed = {
        method["Properties"]["Integration"]["IntegrationResponses"][0]["ResponseParameters"][
            "method.response.header.Access-Control-Allow-Headers"
        ]
        for method in synthesized.api_routes.resources_of_type("AWS::ApiGateway::Method").values()
        if method["Properties"]["HttpMethod"] == "OPTIONS"
    }
    assert len(allowed) == 1
    headers = {h.lower() for h in allowed.pop().strip("'").split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= headers


# --- web ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context_value", "expected"),
    [
        (None, ["*"]),
        ("https://zwfw.example.gov.cn", ["https://zwfw.example.gov.cn"]),
        ("https://a.gov.cn, https://b.gov.cn", ["https://a.gov.cn", "https://b.gov.cn"]),
        (["https://a.gov.cn", "https://b.gov.cn"], ["https://a.gov.cn", "https://b.gov.cn"]),
    ],
)
def test_allowed_origins_context(context_value, expected):
    context = {} if context_value is None else {ALLOWED_ORIGINS_CONTEXT_KEY: context_value}
    assert allowed_origins(App(context=context)) == expected


def test_web_distribution_serves_the_private_bucket_through_oac_with_security_headers(synthesized):
    oac_id = synthesized.web.logical_id("AWS::CloudFront::OriginAccessControl", "WebDistribution")
    config = synthesized.web.resource("AWS::CloudFront::Distribution", "WebDistribution")["Properties"][
        "DistributionConfig"
    ]
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert origin["DomainName"]["Fn::GetAtt"][0].startswith("WebBucket")
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ResponseHeadersPolicyId"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert config["DefaultRootObject"] == "index.html"
    fallbacks = {e["ErrorCode"]: e for e in config["CustomErrorResponses"]}
    assert set(fallbacks) == {403, 404}
    assert all(e["ResponsePagePath"] == "/index.html" and e["ResponseCode"] == 200 for e in fallbacks.values())
    assert "Logging" in config


def test_web_deployment_ships_the_app_and_a_runtime_config(synthesized):
    [deployment] = synthesized.web.resources_of_type("Custom::CDKBucketDeployment").values()
    props = deployment["Properties"]
    assert props["DestinationBucketName"]["Ref"].startswith("WebBucket")
    assert props["DistributionPaths"] == ["/*"]
    [config_index] = [i for i, markers in enumerate(props["SourceMarkers"]) if markers]
    config_asset = props["SourceObjectKeys"][config_index].removesuffix(".zip")
    config_text = (synthesized.web.file_asset_path(config_asset) / "config.json").read_text()
    # Deploy-time values are markers that the deployment replaces with quoted JSON strings.
    config = json.loads(re.sub(r"<<marker:0xbaba:\d+>>", '"deploy-time value"', config_text))
    assert set(config) == {"apiUrl", "userPoolId", "userPoolClientId", "region"}
    # The API URL and the client id come from the API and data stacks (cross-stack references).
    marker_values = json.dumps(synthesized.deref(props["SourceMarkers"][config_index]))
    api_id = synthesized.api.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    client_id = synthesized.data.logical_id("AWS::Cognito::UserPoolClient", constants.USER_POOL_CLIENT_ID)
    assert api_id in marker_values and client_id in marker_values


def test_placeholder_page_is_a_chinese_page_without_links():
    page = constants.WEB_PLACEHOLDER_DIR.joinpath("index.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page
    assert "阳光政务 · 网上审批和电子监察平台" in page
    assert not re.search(r"<a\b|<script\b", page)


# --- monitoring and outputs ---------------------------------------------------------------


def test_dashboard_and_alarms(synthesized):
    synthesized.monitoring.resource("AWS::CloudWatch::Dashboard", "OperationsDashboard")
    alarms = synthesized.monitoring.resources_of_type("AWS::CloudWatch::Alarm").values()
    watched = sorted((a["Properties"]["Namespace"], a["Properties"]["MetricName"]) for a in alarms)
    assert watched == [
        ("AWS/ApiGateway", "5XXError"),
        # api, flow step, deadline check, anomaly check, calendar recompute, evaluation facts and close,
        # operational metrics, inspector watch, log verification and anchoring, citizen sign-up, upload
        # check, documents, the inbound exchange, the outbound exchange's outbox, sender and reconciliation
        *[("AWS/Lambda", "Errors")] * 22,  # the API is five functions (one per audience)
        *[("AWS/SQS", "ApproximateAgeOfOldestMessage")],  # the exchange's delivery lag
        *[("AWS/SQS", "ApproximateNumberOfMessagesVisible")],  # the exchange's dead letters
        *[("AWS/States", "ExecutionsFailed")] * len(constants.FLOW_ASL),  # one state machine per flow pattern
        (constants.METRICS_NAMESPACE, "InspectorLogBroken"),  # a verification found a break, cut-off or rewrite
        (constants.METRICS_NAMESPACE, "InspectorLogFailures"),
        (constants.METRICS_NAMESPACE, "RedCards"),  # tests/infra/test_monitoring.py
    ]


def test_dashboard_covers_api_functions_and_flow(synthesized):
    body = json.dumps(synthesized.monitoring.resource("AWS::CloudWatch::Dashboard", "OperationsDashboard")["Properties"])
    metrics = ("4XXError", "5XXError", "Latency", "Errors", "Duration", "Throttles")
    for metric in (*metrics, "ExecutionsFailed", "ExecutionsTimedOut"):
        assert metric in body, metric


def test_outputs(synthesized):
    def ours(stack) -> set[str]:  # the outputs we name, not CDK's for cross-stack references
        return {name for name in stack.outputs if not name.startswith("PublishOutput")}

    assert {
        "UserPoolId",
        "UserPoolClientId",
        "CasesTableName",
        "CatalogTableName",
        "AttachmentsBucketName",
        "EventBusName",
    } <= ours(synthesized.data)
    assert {f"{flow_id}Arn" for flow_id in constants.FLOW_IDS.values()} <= set(ours(synthesized.compute))
    assert not ours(synthesized.api)
    assert ours(synthesized.api_routes) == {"ApiUrl"}  # with the stage it names
    assert ours(synthesized.web) == {"WebUrl"}
    assert ours(synthesized.monitoring) == {f"{constants.ALERT_TOPIC_ID}Arn"}


# --- cdk-nag ------------------------------------------------------------------------------


def test_no_unacknowledged_cdk_nag_findings(synthesized):
    # cdk-nag 3 reports through CDK policy validation, not annotations: ask the pack directly.
    report = AwsSolutionsChecks().validate_scope(synthesized.app)
    findings = [
        f"{violation.severity} {violation.rule_name}: "
        + ", ".join(r.construct_path or "?" for r in violation.violating_resources)
        for violation in report.violations
    ]
    assert not [f for f in findings if f.startswith("error")], findings
    assert not findings, "warnings too are fixed or acknowledged with a reason"


def test_no_cdk_error_annotations(synthesized):
    for stack in synthesized.all:
        assert Annotations.from_stack(stack.stack).find_error("*", Match.any_value()) == [], stack.stack.stack_name


def test_deadline_check_runs_on_a_schedule_and_anomaly_check_on_the_event_stream(synthesized):
    schedule = synthesized.compute.resource("AWS::Events::Rule", constants.DEADLINE_SCHEDULE_ID)["Properties"]
    assert schedule["ScheduleExpression"] == f"rate({constants.DEADLINE_CHECK_RATE_MINUTES} minutes)"
    deadline_fn = synthesized.compute.logical_id("AWS::Lambda::Function", constants.DEADLINE_CHECK_FUNCTION_ID)
    assert schedule["Targets"][0]["Arn"] == {"Fn::GetAtt": [deadline_fn, "Arn"]}
    anomaly = synthesized.compute.resource("AWS::Events::Rule", constants.ANOMALY_RULE_ID)["Properties"]
    assert anomaly["EventPattern"] == {"source": [constants.DOMAIN_EVENT_SOURCE], "detail-type": ["CaseTransitioned"]}


def test_warning_topics_are_encrypted_and_reach_the_checks(synthesized):
    # The warning topics and their key outlive the code (data stack); the ops topic is monitoring's.
    topics = synthesized.data.resources_of_type("AWS::SNS::Topic")
    assert len(topics) == len(constants.WARNING_TOPIC_IDS)
    [alert_topic] = synthesized.monitoring.resources_of_type("AWS::SNS::Topic").values()
    key_id = synthesized.data.logical_id("AWS::KMS::Key", "AlertTopicsKey")
    assert all(t["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]} for t in topics.values())
    assert synthesized.deref(alert_topic["Properties"]["KmsMasterKeyId"]) == {"Fn::GetAtt": [key_id, "Arn"]}
    env = synthesized.compute.resource("AWS::Lambda::Function", constants.DEADLINE_CHECK_FUNCTION_ID)["Properties"]["Environment"]["Variables"]
    assert {constants.EnvKeys.YELLOW_TOPIC, constants.EnvKeys.RED_TOPIC, constants.EnvKeys.REMINDER_TOPIC} <= set(env)


def test_warning_subscribers_from_context_get_their_department_only():
    from aws_cdk import App
    from aws_cdk.assertions import Match, Template

    from infra.stack import SunlightStacks

    app = App(context={"warningSubscribers": [
        {"level": "red", "department": "market", "email": "jiancha@example.gov.cn"},
        {"level": "yellow", "department": "planning", "sms": "+8613800000000"},
    ]})
    template = Template.from_stack(SunlightStacks(app).data_stack)
    template.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "email", "Endpoint": "jiancha@example.gov.cn", "FilterPolicy": {"department": ["market"]},
        "TopicArn": {"Ref": Match.string_like_regexp("RedCardTopic")},
    })
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "sms", "FilterPolicy": {"department": ["planning"]}})


def test_gateway_made_errors_are_uncacheable_and_name_the_deployments_origin(synthesized):
    """401s from the authorizer, throttling and gateway 5xx: no-store like the handler's own
    answers; the allowed origin (never another) when the deployment names exactly one."""
    responses = synthesized.api.resources_of_type("AWS::ApiGateway::GatewayResponse").values()
    kinds = {r["Properties"]["ResponseType"]: r["Properties"]["ResponseParameters"] for r in responses}
    assert {"DEFAULT_4XX", "DEFAULT_5XX"} <= set(kinds)
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert kinds[kind]["gatewayresponse.header.Cache-Control"] == "'no-store'"
        assert kinds[kind]["gatewayresponse.header.Access-Control-Allow-Origin"] == f"'{allowed_origins(synthesized.app)[0]}'"
