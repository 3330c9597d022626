"""The API's methods (one per constants.ROUTES entry, and each resource's CORS preflight), its
deployment and its stage.

They live in a stack of their own, after the API stack (infra/stack.py): CloudFormation counts each
method as a resource, and ~100 routes, ~100 resources and as many preflights would take one stack
past 300. The RestApi, its resource tree, the authorizer, the gateway responses, the functions and
the web ACL stay in the API stack; the references point from here to there only. A route on a new
path adds one resource (and one output, its id) there and two methods here, so both keep room to
grow (tests/infra/test_stack_size.py).
"""

from __future__ import annotations

from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra import constants
from infra.constructs.api import Api
from infra.nag import acknowledge

STAGE_NAME = "v1"
# Stage-wide per-method limits; a prefecture city sees thousands of cases a day, far below this.
THROTTLING_RATE_LIMIT = 100
THROTTLING_BURST_LIMIT = 200


class ApiRoutes:
    def __init__(self, scope: Construct, *, api: Api) -> None:
        self.api = api
        # Each resource of the API stack, seen from here: what its methods are added to, so that
        # they are created in this stack (CDK's own CORS preflight included).
        self.resources = {
            path: apigw.Resource.from_resource_attributes(
                scope, "Path" + (path.replace("/", "_") if path != "/" else "_root"),
                resource_id=resource.resource_id, rest_api=api.rest_api, path=path,
            )
            for path, resource in api.resources.items()
        }
        cors = api.cors_options
        self.preflights = [
            resource.add_cors_preflight(
                allow_origins=cors.allow_origins, allow_methods=cors.allow_methods, allow_headers=cors.allow_headers
            )
            for resource in self.resources.values()
        ]
        self.methods = [self._add_route(route) for route in constants.ROUTES]
        # A deployment is a snapshot: a new logical id (so a new deployment) whenever the routes,
        # their functions or the CORS settings change (CDK hashes the RestApi's own properties in
        # too). It depends on every method of the API, preflights included: CDK adds each method
        # the RestApi attaches, here or in another stack.
        self.deployment = apigw.Deployment(
            scope, f"{constants.API_ID}Deployment", api=api.rest_api, description="Sunlight public API (阳光政务)"
        )
        self.deployment.add_to_logical_id({
            "routes": [[r.method, r.path, r.authenticated, r.function.function_id] for r in constants.ROUTES],
            "cors": [cors.allow_origins, cors.allow_methods, cors.allow_headers],
        })
        self.stage = apigw.Stage(
            scope,
            # The id CDK gives the stage of a deployed RestApi (PublicApi/DeploymentStage.v1).
            f"{constants.API_ID}DeploymentStage.{STAGE_NAME}",
            deployment=self.deployment,
            stage_name=STAGE_NAME,
            access_log_destination=apigw.LogGroupLogDestination(api.access_log_group),
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
        )
        # rest_api.url and the metrics of the stage name this stage, as with a deployed RestApi.
        api.rest_api.deployment_stage = self.stage
        self.firewall_association: wafv2.CfnWebACLAssociation = api.firewall.protect(scope, self.stage)

    @property
    def url(self) -> str:
        return self.api.rest_api.url

    def _add_route(self, route: constants.Route) -> apigw.Method:
        integration = self.api.integrations[route.function]
        resource = self.resources[route.path]
        if route.authenticated:
            return resource.add_method(
                route.method,
                integration,
                authorizer=self.api.authorizer,
                authorization_type=apigw.AuthorizationType.COGNITO,
            )
        method = resource.add_method(route.method, integration, authorization_type=apigw.AuthorizationType.NONE)
        acknowledge(
            method,
            "Public by law (信息公开): the catalog, departments, the API description and case "
            "tracking by case number and query code need no account.",
            "AwsSolutions-APIG4",
            "AwsSolutions-COG4",
        )
        return method

