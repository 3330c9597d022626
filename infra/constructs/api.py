"""The public REST API: one Lambda behind exactly the routes of constants.ROUTES."""

from __future__ import annotations

from aws_cdk import Aws, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra import constants
from infra.constructs.api_firewall import ApiFirewall
from infra.constructs.data import Data
from infra.constructs.identity import Identity
from infra.constructs.python_function import (
    OPERATIONAL_LOG_RETENTION,
    UPLOAD_MAX_BYTES,
    UPLOAD_URL_TTL_SECONDS,
    python_function,
)
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge, acknowledge_index_queries, wildcard_under

STAGE_NAME = "v1"
# Stage-wide per-method limits; a prefecture city sees thousands of cases a day, far below this.
THROTTLING_RATE_LIMIT = 100
THROTTLING_BURST_LIMIT = 200


class Api:
    def __init__(
        self,
        scope: Construct,
        *,
        data: Data,
        identity: Identity,
        workflows: Workflows,
        allowed_origins: list[str],
    ) -> None:
        # Page cursors are signed with this key, so an altered or forged one is refused (400).
        self.cursor_key = secretsmanager.Secret(
            scope,
            constants.CURSOR_KEY_SECRET_ID,
            description="Signs the page cursors of the public API",
            generate_secret_string=secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True),
        )
        acknowledge(
            self.cursor_key,
            "The key only signs page cursors; a new key ends the open page cursors and nothing else, "
            "so it is replaced by redeploying, not rotated by a rotation function.",
            "AwsSolutions-SMG4",
        )
        self.function = python_function(
            scope,
            constants.API_FUNCTION_ID,
            description="Serves every route of the public API",
            handler=constants.API_HANDLER,
            layers=workflows.layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
                constants.EnvKeys.ATTACHMENTS_BUCKET: data.attachments_bucket.bucket_name,
                constants.EnvKeys.EVENT_BUS: data.event_bus.event_bus_name,
                constants.EnvKeys.STANDARD_FLOW_ARN: workflows.standard_flow.state_machine_arn,
                constants.EnvKeys.ALLOWED_ORIGINS: ",".join(allowed_origins),
                constants.EnvKeys.UPLOAD_MAX_BYTES: str(UPLOAD_MAX_BYTES),
                constants.EnvKeys.UPLOAD_URL_TTL_SECONDS: str(UPLOAD_URL_TTL_SECONDS),
                constants.EnvKeys.USER_POOL_ID: identity.user_pool.user_pool_id,
                constants.EnvKeys.CURSOR_KEY_SECRET: self.cursor_key.secret_arn,
            },
        )
        self.cursor_key.grant_read(self.function)
        # Users and roles (admin routes): exactly the Admin* calls of adapters/cognito_admin.py, on this pool.
        identity.user_pool.grant(self.function, *constants.USER_ADMIN_ACTIONS)
        data.cases_table.grant_read_write_data(self.function)
        data.catalog_table.grant_read_write_data(self.function)
        data.supervision_table.grant_read_write_data(self.function)
        # Presigned POSTs and GETs are signed with this function's role.
        data.attachments_bucket.grant_read(self.function)
        data.attachments_bucket.grant_put(self.function)
        data.event_bus.grant_put_events_to(self.function)
        workflows.standard_flow.grant_start_execution(self.function)
        # Staff and citizen actions hand the waiting step's task token back to the flow.
        workflows.standard_flow.grant_task_response(self.function)
        acknowledge_index_queries(self.function, data.cases_table, data.catalog_table, data.supervision_table)
        acknowledge(
            self.function,
            "Attachment keys are per case and per upload, so object access is granted on the "
            "attachments bucket's objects (<bucket ARN>/*) with the grantRead/grantPut action "
            "groups (GetObject*, GetBucket*, List*, Abort* for multipart uploads).",
            wildcard_under(data.attachments_bucket, "/*"),
            "AwsSolutions-IAM5[Action::s3:GetObject*]",
            "AwsSolutions-IAM5[Action::s3:GetBucket*]",
            "AwsSolutions-IAM5[Action::s3:List*]",
            "AwsSolutions-IAM5[Action::s3:Abort*]",
        )

        self.access_log_group = logs.LogGroup(
            scope,
            f"{constants.API_ID}AccessLogs",
            retention=OPERATIONAL_LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.rest_api = apigw.RestApi(
            scope,
            constants.API_ID,
            description="Sunlight public API (阳光政务)",
            # Regional: edge-optimized endpoints do not exist in the aws-cn partition.
            endpoint_types=[apigw.EndpointType.REGIONAL],
            # Statistics exports (.xlsx) leave the Lambda base64-encoded; API Gateway decodes them
            # for clients that send this type in Accept.
            binary_media_types=[constants.XLSX_MEDIA_TYPE, constants.CSV_MEDIA_TYPE],
            # Execution logging needs the account-level CloudWatch role.
            cloud_watch_role=True,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_log_group),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=THROTTLING_RATE_LIMIT,
                throttling_burst_limit=THROTTLING_BURST_LIMIT,
            ),
            default_cors_preflight_options=apigw.CorsOptions(
                allow_origins=allowed_origins,
                allow_methods=sorted({route.method for route in constants.ROUTES} | {"OPTIONS"}),
                # The SPA sends Idempotency-Key on applications, supplements and staff actions.
                allow_headers=[*apigw.Cors.DEFAULT_HEADERS, "Idempotency-Key"],
            ),
        )
        self._add_cors_to_gateway_errors(allowed_origins)

        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            scope,
            f"{constants.API_ID}Authorizer",
            cognito_user_pools=[identity.user_pool],
        )
        # A Lambda proxy integration with one invoke permission for the whole API, instead of
        # LambdaIntegration's one permission per method: with ~100 routes those alone would take
        # CloudFormation's 500-resource limit of the stack.
        integration = apigw.Integration(
            type=apigw.IntegrationType.AWS_PROXY,
            integration_http_method="POST",
            uri=f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/"
            f"{self.function.function_arn}/invocations",
        )
        self.function.add_permission(
            f"{constants.API_ID}Invoke",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=self.rest_api.arn_for_execute_api("*", "/*", "*"),
        )
        self.methods = [self._add_route(route, integration) for route in constants.ROUTES]

        acknowledge(
            self.rest_api,
            "Requests are proxied to one Lambda that validates every body and parameter with "
            "pydantic models; gateway models would duplicate them.",
            "AwsSolutions-APIG2",
        )
        self.firewall = ApiFirewall(scope, rest_api=self.rest_api, allowed_origins=allowed_origins)
        acknowledge(
            self.rest_api,
            "API Gateway's account-level CloudWatch role uses the AWS-managed "
            "AmazonAPIGatewayPushToCloudWatchLogs policy, as AWS documents.",
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
        )

    @property
    def url(self) -> str:
        return self.rest_api.url

    def _add_route(self, route: constants.Route, integration: apigw.Integration) -> apigw.Method:
        resource = self.rest_api.root.resource_for_path(route.path)
        if route.authenticated:
            return resource.add_method(
                route.method,
                integration,
                authorizer=self.authorizer,
                authorization_type=apigw.AuthorizationType.COGNITO,
            )
        method = resource.add_method(
            route.method, integration, authorization_type=apigw.AuthorizationType.NONE
        )
        acknowledge(
            method,
            "Public by law (信息公开): the catalog, departments, the API description and case "
            "tracking by case number and query code need no account.",
            "AwsSolutions-APIG4",
            "AwsSolutions-COG4",
        )
        return method

    def _add_cors_to_gateway_errors(self, allowed_origins: list[str]) -> None:
        """Let browsers read gateway-made errors (401 from the authorizer, throttling 429, 5xx).

        A gateway response can echo one fixed origin only, so with several origins the SPA
        sees these as opaque network errors. No cache keeps them either (as the handler's own).
        """
        headers = {"Cache-Control": "'no-store'"}
        if len(allowed_origins) == 1:
            headers["Access-Control-Allow-Origin"] = f"'{allowed_origins[0]}'"
        for response_id, response_type in (
            ("Default4xx", apigw.ResponseType.DEFAULT_4_XX),
            ("Default5xx", apigw.ResponseType.DEFAULT_5_XX),
        ):
            self.rest_api.add_gateway_response(response_id, type=response_type, response_headers=headers)
