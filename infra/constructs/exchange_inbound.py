"""The inbound exchange (系统对接·接入): a RestApi of its own for other systems, in the Exchange stack.

- A Cognito resource server `exchange` on the user pool, with one scope `report.<department>` per
  department that may be reported for (constants.EXCHANGE_REPORT_DEPARTMENTS) and `orders` (the
  higher-level platform's 督办);
- one app client per system (constants.EXCHANGE_CLIENTS), client-credentials grant only, with a
  secret and exactly its scopes: a scope per department it reports for (a department's own system
  one, a district platform its district's);
- the pool's domain (the OAuth2 token endpoint `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`);
- POST /inbound/reports and POST /inbound/orders behind a Cognito authorizer on those scopes (an
  access token holding none of them is refused by API Gateway before the function runs), and
  GET /inbound/quarantine for inspectors (their ID token) to read the refused messages.

The function (functions/exchange_inbound) checks the token's scopes against the department a report
is for before it reads the body any further (403).
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import constants
from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.identity import Identity
from infra.constructs.python_function import OPERATIONAL_LOG_RETENTION, python_function
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge, acknowledge_index_queries
from sunlight.models.inbound import EXCHANGE_RESOURCE_SERVER

STAGE_NAME = "v1"
THROTTLING_RATE_LIMIT = 50
THROTTLING_BURST_LIMIT = 100


def report_scope_name(department_id: str) -> str:
    return f"report.{department_id}"


ORDERS_SCOPE_NAME = "orders"


class InboundExchange:
    def __init__(self, scope: Construct, *, data: Data, identity: Identity, workflows: Workflows, api: Api) -> None:
        pool = identity.user_pool
        self.scopes = {
            name: cognito.ResourceServerScope(scope_name=name, scope_description=description)
            for name, description in (
                *((report_scope_name(d), f"上报部门 {d} 的办件") for d in constants.EXCHANGE_REPORT_DEPARTMENTS),
                (ORDERS_SCOPE_NAME, "下达督办（上级平台）"),
            )
        }
        self.resource_server = cognito.UserPoolResourceServer(
            scope, constants.EXCHANGE_RESOURCE_SERVER_ID, user_pool=pool, identifier=EXCHANGE_RESOURCE_SERVER,
            user_pool_resource_server_name="Sunlight exchange", scopes=list(self.scopes.values()),
        )
        prefix = scope.node.try_get_context(constants.EXCHANGE_AUTH_DOMAIN_CONTEXT_KEY) or f"sunlight-exchange-{Aws.ACCOUNT_ID}"
        # In this stack (pool.add_domain would put it in the data stack, beside the pool).
        self.domain = cognito.UserPoolDomain(
            scope, constants.EXCHANGE_AUTH_DOMAIN_ID, user_pool=pool, cognito_domain=cognito.CognitoDomainOptions(domain_prefix=prefix)
        )
        self.clients: dict[str, cognito.UserPoolClient] = {}
        for system in constants.EXCHANGE_CLIENTS:
            names = [report_scope_name(d) for d in system.report_departments] + ([ORDERS_SCOPE_NAME] if system.sends_orders else [])
            self.clients[system.construct_id] = cognito.UserPoolClient(
                scope, system.construct_id, user_pool=pool, user_pool_client_name=system.client_name,
                generate_secret=True,
                auth_flows=cognito.AuthFlow(),  # no user sign-in through a system's client
                o_auth=cognito.OAuthSettings(
                    flows=cognito.OAuthFlows(client_credentials=True),
                    scopes=[cognito.OAuthScope.resource_server(self.resource_server, self.scopes[n]) for n in names],
                ),
                supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
                access_token_validity=Duration.hours(1),
                prevent_user_existence_errors=True,
                enable_token_revocation=True,
            )

        E = constants.EnvKeys
        self.function = python_function(
            scope, constants.EXCHANGE_INBOUND_FUNCTION_ID,
            description="Receives reports from other systems and orders from the higher-level platform (inbound exchange)",
            handler=constants.EXCHANGE_INBOUND_HANDLER, layers=workflows.layers,
            environment={
                E.CASES_TABLE: data.cases_table.table_name,
                E.CATALOG_TABLE: data.catalog_table.table_name,
                E.SUPERVISION_TABLE: data.supervision_table.table_name,
                E.EVENT_BUS: data.event_bus.event_bus_name,
                E.CURSOR_KEY_SECRET: api.cursor_key.secret_arn,
            },
        )
        data.cases_table.grant_read_write_data(self.function)  # reported cases and their timelines
        data.catalog_table.grant_read_data(self.function)  # items, departments, the calendar
        data.supervision_table.grant_read_write_data(self.function)  # messages, held reports, quarantine, orders
        data.event_bus.grant_put_events_to(self.function)
        api.cursor_key.grant_read(self.function)
        acknowledge_index_queries(self.function, data.cases_table, data.catalog_table, data.supervision_table)

        self.access_log_group = logs.LogGroup(
            scope, f"{constants.EXCHANGE_API_ID}AccessLogs", retention=OPERATIONAL_LOG_RETENTION, removal_policy=RemovalPolicy.RETAIN,
        )
        self.rest_api = apigw.RestApi(
            scope, constants.EXCHANGE_API_ID,
            description="Sunlight inbound exchange (系统对接·接入): reports from other systems, orders from above",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=False,  # the public API's stack sets the account's CloudWatch role
            deploy_options=apigw.StageOptions(
                stage_name=STAGE_NAME,
                access_log_destination=apigw.LogGroupLogDestination(self.access_log_group),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False, http_method=True, ip=True, protocol=True, request_time=True, resource_path=True,
                    response_length=True, status=True, user=True,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=THROTTLING_RATE_LIMIT,
                throttling_burst_limit=THROTTLING_BURST_LIMIT,
            ),
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            scope, f"{constants.EXCHANGE_API_ID}Authorizer", cognito_user_pools=[pool],
        )
        integration = apigw.LambdaIntegration(self.function)
        inbound = self.rest_api.root.add_resource("inbound")
        report_scopes = [f"{EXCHANGE_RESOURCE_SERVER}/{report_scope_name(d)}" for d in constants.EXCHANGE_REPORT_DEPARTMENTS]
        self.methods = {
            ("POST", "/inbound/reports"): inbound.add_resource("reports").add_method(
                "POST", integration, authorizer=self.authorizer, authorization_type=apigw.AuthorizationType.COGNITO,
                authorization_scopes=report_scopes,
            ),
            ("POST", "/inbound/orders"): inbound.add_resource("orders").add_method(
                "POST", integration, authorizer=self.authorizer, authorization_type=apigw.AuthorizationType.COGNITO,
                authorization_scopes=[f"{EXCHANGE_RESOURCE_SERVER}/{ORDERS_SCOPE_NAME}"],
            ),
            # Inspectors' ID token (no scopes: API Gateway then accepts ID tokens of the pool).
            ("GET", "/inbound/quarantine"): inbound.add_resource("quarantine").add_method(
                "GET", integration, authorizer=self.authorizer, authorization_type=apigw.AuthorizationType.COGNITO,
            ),
        }
        self.firewall_association = api.firewall.protect(scope, self.rest_api.deployment_stage)
        acknowledge(
            self.rest_api,
            "Requests are proxied to a Lambda that validates every message with pydantic models and "
            "answers which field is wrong (in Chinese); gateway models would answer less precisely.",
            "AwsSolutions-APIG2",
        )

    @property
    def url(self) -> str:
        return self.rest_api.url

    @property
    def token_url(self) -> str:
        return f"{self.domain.base_url()}/oauth2/token"
