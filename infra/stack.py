"""The Sunlight stacks: data, compute, API, API routes, exchange, web and monitoring, wired by
cross-stack references.

References point one way only, data ← compute ← API ← API routes ← web, and monitoring reads them
all, so a stack can be destroyed and deployed again without touching the stacks before it; above
all the data stack (tables, buckets, user pool, keys, warning topics, all retained) depends on nothing. The
places where a reference would point the wrong way are resolved where they arise:
- the upload check hears the attachments bucket through EventBridge (a rule in the compute stack),
  not through a bucket notification naming the function (infra/constructs/upload_check.py);
- the user pool names its post-confirmation trigger by a fixed function name
  (infra/constructs/citizen_signup.py attach_trigger);
- the site bucket lives with its CloudFront distribution (origin access control writes the bucket
  policy naming the distribution);
- KMS grants to functions go into the functions' own policies (same account), never the key policy;
- the inspector-log alarms are created in the monitoring stack, beside the ops topic they notify;
- the API's methods (routes and CORS preflights), deployment and stage are in the routes stack,
  after the RestApi and its resource tree (infra/constructs/api_routes.py): ~100 routes, ~100
  resources and ~100 preflights would not fit in one stack with room to grow, and the deployment
  must come after every method.
"""

from __future__ import annotations

from aws_cdk import App, CfnOutput, Stack
from constructs import Construct

from infra import constants
from infra.constructs.api import Api
from infra.constructs.api_routes import ApiRoutes
from infra.constructs.citizen_signup import CitizenSignup, attach_trigger
from infra.constructs.data import Data
from infra.constructs.documents import Documents
from infra.constructs.evaluation import Evaluation
from infra.constructs.exchange import Exchange
from infra.constructs.exchange_inbound import InboundExchange
from infra.constructs.identity import Identity
from infra.constructs.inspector_watch import InspectorWatch
from infra.constructs.log_verification import LogVerification
from infra.constructs.monitoring import Monitoring
from infra.constructs.operational_metrics import OperationalMetrics
from infra.constructs.schedules import Schedules, WarningTopics
from infra.constructs.upload_check import UploadCheck
from infra.constructs.web import Web
from infra.constructs.workflows import Workflows

ALLOWED_ORIGINS_CONTEXT_KEY = "allowedOrigins"
DESCRIPTION = "Sunlight (阳光政务): online administrative approval and electronic supervision"


def allowed_origins(scope: Construct) -> list[str]:
    """Web origins allowed by CORS: `-c allowedOrigins=https://a,https://b` or a JSON list in cdk.json."""
    value = scope.node.try_get_context(ALLOWED_ORIGINS_CONTEXT_KEY) or "*"
    origins = value.split(",") if isinstance(value, str) else list(value)
    return [origin.strip() for origin in origins if origin.strip()] or ["*"]


def _stack(app: Construct, name: str, part: str) -> Stack:
    # No env: the templates are environment-agnostic and synth makes no AWS calls.
    return Stack(app, name, description=f"{DESCRIPTION}: {part}")


def _outputs(stack: Stack, outputs: dict[str, str]) -> None:
    for output_id, value in outputs.items():
        CfnOutput(stack, output_id, value=value)


class SunlightStacks:
    """The seven stacks of one deployment, and the constructs in them (for tests and outputs)."""

    def __init__(self, app: App) -> None:
        origins = allowed_origins(app)
        self.data_stack = _stack(app, constants.DATA_STACK_NAME, "stateful data (tables, buckets, user pool, keys)")
        self.compute_stack = _stack(app, constants.COMPUTE_STACK_NAME, "flows, schedules and event consumers")
        self.api_stack = _stack(app, constants.API_STACK_NAME, "the public REST API, its functions and its firewall")
        self.api_routes_stack = _stack(app, constants.API_ROUTES_STACK_NAME, "the API's methods, deployment and stage")
        self.exchange_stack = _stack(app, constants.EXCHANGE_STACK_NAME, "the inbound exchange API for other systems")
        self.web_stack = _stack(app, constants.WEB_STACK_NAME, "the SPA behind CloudFront")
        self.monitoring_stack = _stack(app, constants.MONITORING_STACK_NAME, "dashboards, alarms and the ops topic")

        # Data: what outlives every deployment of the code.
        self.data = Data(self.data_stack, allowed_origins=origins)
        self.identity = Identity(self.data_stack)
        attach_trigger(self.data_stack, self.identity)
        self.warning_topics = WarningTopics(self.data_stack)

        # Compute, and the API that starts flows and verification runs in it.
        self.workflows = Workflows(self.compute_stack, data=self.data)
        self.api = Api(
            self.api_stack,
            data=self.data,
            identity=self.identity,
            workflows=self.workflows,
            allowed_origins=origins,
        )
        self.api_routes = ApiRoutes(self.api_routes_stack, api=self.api)
        # Other systems' reports and orders from above: the pool's resource server and app clients
        # are here, so the data stack keeps depending on nothing.
        self.inbound_exchange = InboundExchange(
            self.exchange_stack, data=self.data, identity=self.identity, workflows=self.workflows, api=self.api
        )
        self.citizen_signup = CitizenSignup(self.compute_stack, identity=self.identity, layers=self.workflows.layers)
        self.schedules = Schedules(
            self.compute_stack, data=self.data, workflows=self.workflows, warning_topics=self.warning_topics
        )
        self.evaluation = Evaluation(self.compute_stack, data=self.data, workflows=self.workflows)
        self.inspector_watch = InspectorWatch(
            self.compute_stack,
            data=self.data,
            identity=self.identity,
            workflows=self.workflows,
            api_function=self.api.functions[constants.API_SUPERVISION],  # a department's staff for 责任认定
            alarm_scope=self.monitoring_stack,
        )
        self.log_verification = LogVerification(
            self.compute_stack, data=self.data, workflows=self.workflows, api_function=self.api.functions[constants.API_SUPERVISION],
            alarm_scope=self.monitoring_stack,
        )
        self.upload_check = UploadCheck(
            self.compute_stack, data=self.data, layers=self.workflows.layers, api_function=self.api.functions[constants.API_OFFICE]
        )
        self.operational_metrics = OperationalMetrics(self.compute_stack, data=self.data, layers=self.workflows.layers)
        self.documents = Documents(self.compute_stack, data=self.data, layers=self.workflows.layers)
        self.exchange = Exchange(self.compute_stack, data=self.data, layers=self.workflows.layers, alarm_scope=self.monitoring_stack)

        self.web = Web(self.web_stack, data=self.data, identity=self.identity, api_url=self.api_routes.url)
        self.monitoring = Monitoring(
            self.monitoring_stack,
            rest_api=self.api.rest_api,
            functions={
                **{spec.function_id: function for spec, function in self.api.functions.items()},
                constants.FLOW_STEP_FUNCTION_ID: self.workflows.flow_step_function,
                constants.DEADLINE_CHECK_FUNCTION_ID: self.schedules.deadline_check,
                constants.ANOMALY_CHECK_FUNCTION_ID: self.schedules.anomaly_check,
                constants.CALENDAR_RECOMPUTE_FUNCTION_ID: self.schedules.calendar_recompute,
                constants.EVALUATION_FACTS_FUNCTION_ID: self.evaluation.facts_function,
                constants.EVALUATION_CLOSE_FUNCTION_ID: self.evaluation.close_function,
                constants.INSPECTOR_WATCH_FUNCTION_ID: self.inspector_watch.function,
                constants.LOG_VERIFY_FUNCTION_ID: self.log_verification.function,
                constants.LOG_ANCHOR_FUNCTION_ID: self.log_verification.anchor_function,
                constants.OPERATIONAL_METRICS_FUNCTION_ID: self.operational_metrics.function,
                constants.CITIZEN_SIGNUP_FUNCTION_ID: self.citizen_signup.function,
                constants.UPLOAD_CHECK_FUNCTION_ID: self.upload_check.function,
                constants.DOCUMENTS_FUNCTION_ID: self.documents.function,
                constants.EXCHANGE_INBOUND_FUNCTION_ID: self.inbound_exchange.function,
                constants.EXCHANGE_OUTBOX_FUNCTION_ID: self.exchange.outbox_function,
                constants.EXCHANGE_SEND_FUNCTION_ID: self.exchange.send_function,
                constants.EXCHANGE_RECONCILE_FUNCTION_ID: self.exchange.reconcile_function,
            },
            state_machines=self.workflows.flows,
            red_card_topic=self.warning_topics.topics["red"],
            alerts_key=self.warning_topics.topics_key,
            metric_readers=[self.api.functions[constants.API_SUPERVISION]],  # GET /monitoring/overview
            other_system_alarms=[self.inspector_watch.log_failures_alarm, self.log_verification.broken_alarm,
                                 *self.exchange.alarms],
        )
        self._add_outputs()

    @property
    def all(self) -> tuple[Stack, ...]:
        """The stacks in deployment order (constants.STACK_NAMES)."""
        return (self.data_stack, self.compute_stack, self.api_stack, self.api_routes_stack, self.exchange_stack,
                self.web_stack, self.monitoring_stack)

    def _add_outputs(self) -> None:
        """What the README, the seed and the local runner read, each in the stack that owns it."""
        _outputs(self.data_stack, {
            "UserPoolId": self.identity.user_pool.user_pool_id,
            "UserPoolClientId": self.identity.web_client.user_pool_client_id,
            "CasesTableName": self.data.cases_table.table_name,
            "CatalogTableName": self.data.catalog_table.table_name,
            "SupervisionTableName": self.data.supervision_table.table_name,
            "AttachmentsBucketName": self.data.attachments_bucket.bucket_name,
            "LogAnchorsBucketName": self.data.log_anchors_bucket.bucket_name,
            "EventBusName": self.data.event_bus.event_bus_name,
            **{f"{constants.WARNING_TOPIC_IDS[level]}Arn": topic.topic_arn
               for level, topic in self.warning_topics.topics.items()},
        })
        _outputs(self.compute_stack, {
            **{f"{constants.FLOW_IDS[pattern]}Arn": flow.state_machine_arn for pattern, flow in self.workflows.flows.items()},
            "ExchangeQueueUrl": self.exchange.queue.queue_url,  # the redrive command reads these two
            "ExchangeDeadLetterQueueUrl": self.exchange.dead_letter_queue.queue_url,
        })
        _outputs(self.api_routes_stack, {"ApiUrl": self.api_routes.url})
        _outputs(self.exchange_stack, {
            "ExchangeApiUrl": self.inbound_exchange.url,
            "ExchangeTokenUrl": self.inbound_exchange.token_url,
            **{f"{construct_id}Id": client.user_pool_client_id for construct_id, client in self.inbound_exchange.clients.items()},
        })
        _outputs(self.web_stack, {"WebUrl": self.web.url})
        _outputs(self.monitoring_stack, {f"{constants.ALERT_TOPIC_ID}Arn": self.monitoring.alert_topic.topic_arn})
