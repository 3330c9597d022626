"""The public REST API: one Lambda per audience (constants.API_FUNCTIONS), each behind exactly its
routes of constants.ROUTES, each granted only what its routes use."""

from __future__ import annotations

from aws_cdk import Aws, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
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
        # One function per audience (constants.API_FUNCTIONS), each with the variables and grants
        # of what its own routes use, and no more (least privilege; tests/infra/test_infra_api_functions.py).
        self.functions: dict[constants.ApiFunction, lambda_.Function] = {}
        for spec in constants.API_FUNCTIONS:
            self.functions[spec] = self._function(scope, spec, data=data, workflows=workflows, allowed_origins=allowed_origins)
        self._grant(data=data, identity=identity, workflows=workflows)

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
            # The deployment and its stage are in the routes stack, with the methods they deploy
            # (infra/constructs/api_routes.py).
            deploy=False,
        )
        # Every resource's CORS preflight (OPTIONS); the routes stack adds them with the methods.
        self.cors_options = apigw.CorsOptions(
            allow_origins=allowed_origins,
            allow_methods=sorted({route.method for route in constants.ROUTES} | {"OPTIONS"}),
            # The SPA sends Idempotency-Key on applications, supplements and staff actions.
            allow_headers=[*apigw.Cors.DEFAULT_HEADERS, "Idempotency-Key"],
        )
        self._add_cors_to_gateway_errors(allowed_origins)
        # The resource tree (every path of constants.ROUTES and the paths above them) is here with
        # the RestApi; the methods on it, preflights included, are in the routes stack.
        self.resources: dict[str, apigw.IResource] = {"/": self.rest_api.root}
        for route in constants.ROUTES:
            parts = route.path.strip("/").split("/")
            for depth in range(1, len(parts) + 1):
                path = "/" + "/".join(parts[:depth])
                self.resources.setdefault(path, self.rest_api.root.resource_for_path(path))

        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            scope,
            f"{constants.API_ID}Authorizer",
            cognito_user_pools=[identity.user_pool],
        )
        # A Lambda proxy integration per function with one invoke permission each, instead of
        # LambdaIntegration's one permission per method: with ~100 routes those alone would take
        # CloudFormation's 500-resource limit of the stack.
        self.integrations: dict[constants.ApiFunction, apigw.Integration] = {}
        for spec, function in self.functions.items():
            self.integrations[spec] = apigw.Integration(
                type=apigw.IntegrationType.AWS_PROXY,
                integration_http_method="POST",
                uri=f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/"
                f"{function.function_arn}/invocations",
            )
            function.add_permission(
                f"{constants.API_ID}Invoke",
                principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
                source_arn=self.rest_api.arn_for_execute_api("*", "/*", "*"),
            )

        acknowledge(
            self.rest_api,
            "Requests are proxied to Lambdas that validate every body and parameter with "
            "pydantic models; gateway models would duplicate them.",
            "AwsSolutions-APIG2",
        )
        self.firewall = ApiFirewall(scope, allowed_origins=allowed_origins)
        acknowledge(
            self.rest_api,
            "API Gateway's account-level CloudWatch role uses the AWS-managed "
            "AmazonAPIGatewayPushToCloudWatchLogs policy, as AWS documents.",
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
        )

    def _function(
        self, scope: Construct, spec: constants.ApiFunction, *, data: Data, workflows: Workflows, allowed_origins: list[str]
    ) -> lambda_.Function:
        E = constants.EnvKeys
        environment = {
            E.CASES_TABLE: data.cases_table.table_name,
            E.CATALOG_TABLE: data.catalog_table.table_name,
            # Revoked sign-ins and the inspector log are there, besides the supervision records.
            E.SUPERVISION_TABLE: data.supervision_table.table_name,
            E.ALLOWED_ORIGINS: ",".join(allowed_origins),
            E.CURSOR_KEY_SECRET: self.cursor_key.secret_arn,
        }
        if spec in (constants.API_CITIZEN, constants.API_OFFICE, constants.API_SUPERVISION):
            environment[E.ATTACHMENTS_BUCKET] = data.attachments_bucket.bucket_name
            environment[E.UPLOAD_MAX_BYTES] = str(UPLOAD_MAX_BYTES)
            environment[E.UPLOAD_URL_TTL_SECONDS] = str(UPLOAD_URL_TTL_SECONDS)
        if spec is not constants.API_PUBLIC:
            environment[E.EVENT_BUS] = data.event_bus.event_bus_name
        if spec in (constants.API_CITIZEN, constants.API_OFFICE):
            environment[E.FLOW_STATE_MACHINES] = workflows.state_machine_arns(scope)
        function = python_function(
            scope,
            spec.function_id,
            description=spec.description,
            handler=spec.handler,
            layers=workflows.layers,
            environment=environment,
        )
        self.cursor_key.grant_read(function)
        return function

    def _grant(self, *, data: Data, identity: Identity, workflows: Workflows) -> None:
        """What each function's routes use (bootstrap.py's adapters behind its services)."""
        public, citizen, office, supervision, admin = (self.functions[spec] for spec in constants.API_FUNCTIONS)
        # Reads: the catalog everywhere; cases except in administration's, which reads them only.
        for function in self.functions.values():
            data.catalog_table.grant_read_data(function)
        data.catalog_table.grant_read_write_data(admin)  # catalog maintenance, departments, the calendar
        for function in (public, admin):
            data.cases_table.grant_read_data(function)
        for function in (citizen, office, supervision):
            data.cases_table.grant_read_write_data(function)
        # Tracking's lockout counters (dynamodb_tracking_guard.py) are the public function's only
        # write: update on the cases table, on items whose key starts with TRACKGUARD# only.
        public.add_to_role_policy(
            iam.PolicyStatement(
                actions=["dynamodb:UpdateItem"],
                resources=[data.cases_table.table_arn],
                conditions={"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [f"{constants.TRACK_GUARD_KEY_PREFIX}*"]}},
            )
        )
        # Published evaluation and surveys; the other functions also check revoked sign-ins there
        # and append to the inspector log.
        data.supervision_table.grant_read_data(public)
        for function in (citizen, office, supervision, admin):
            data.supervision_table.grant_read_write_data(function)
        for function in self.functions.values():
            acknowledge_index_queries(function, data.cases_table, data.catalog_table, data.supervision_table)
        # Presigned POSTs (uploads) and GETs (attachments) are signed with the function's role.
        data.attachments_bucket.grant_put(citizen)
        for function in (citizen, office, supervision):
            data.attachments_bucket.grant_read(function)  # a new upload's size and type; downloads
            function.add_to_role_policy(  # never a quarantined file (upload_check.py)
                iam.PolicyStatement(
                    effect=iam.Effect.DENY,
                    actions=["s3:GetObject*"],
                    resources=[data.attachments_bucket.arn_for_objects(f"{constants.QUARANTINE_PREFIX}*")],
                )
            )
            acknowledge(
                function,
                "Attachment keys are per case and per upload, so object access is granted on the "
                "attachments bucket's objects (<bucket ARN>/*) with the grantRead/grantPut action "
                "groups (GetObject*, GetBucket*, List*, Abort* for multipart uploads).",
                wildcard_under(data.attachments_bucket, "/*"),
                "AwsSolutions-IAM5[Action::s3:GetObject*]",
                "AwsSolutions-IAM5[Action::s3:GetBucket*]",
                "AwsSolutions-IAM5[Action::s3:List*]",
                "AwsSolutions-IAM5[Action::s3:Abort*]",
            )
        for function in (citizen, office, supervision, admin):
            data.event_bus.grant_put_events_to(function)
        # Applications (and window intake) start the flow; supplements and staff actions hand the
        # waiting step's task token back to it.
        for function in (citizen, office):
            workflows.grant_start_execution(function)
            workflows.grant_task_response(function)
        # Users and roles: exactly the Admin* calls of adapters/cognito_admin.py, on this pool.
        identity.user_pool.grant(admin, *constants.USER_ADMIN_ACTIONS)
        for function in (supervision, admin):
            function.add_environment(constants.EnvKeys.USER_POOL_ID, identity.user_pool.user_pool_id)

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
