"""The Sunlight stack: data, identity, workflows, API, web and monitoring in one stack."""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra import constants
from infra.constructs.api import Api
from infra.constructs.citizen_signup import CitizenSignup
from infra.constructs.data import Data
from infra.constructs.evaluation import Evaluation
from infra.constructs.identity import Identity
from infra.constructs.inspector_watch import InspectorWatch
from infra.constructs.log_verification import LogVerification
from infra.constructs.monitoring import Monitoring
from infra.constructs.operational_metrics import OperationalMetrics
from infra.constructs.schedules import Schedules
from infra.constructs.upload_check import UploadCheck
from infra.constructs.web import Web
from infra.constructs.workflows import Workflows

ALLOWED_ORIGINS_CONTEXT_KEY = "allowedOrigins"


def allowed_origins(scope: Construct) -> list[str]:
    """Web origins allowed by CORS: `-c allowedOrigins=https://a,https://b` or a JSON list in cdk.json."""
    value = scope.node.try_get_context(ALLOWED_ORIGINS_CONTEXT_KEY) or "*"
    origins = value.split(",") if isinstance(value, str) else list(value)
    return [origin.strip() for origin in origins if origin.strip()] or ["*"]


class SunlightStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        # No env: the template is environment-agnostic and synth makes no AWS calls.
        super().__init__(
            scope,
            construct_id,
            description="Sunlight (阳光政务): online administrative approval and electronic supervision",
            **kwargs,
        )
        origins = allowed_origins(self)

        self.data = Data(self, allowed_origins=origins)
        self.identity = Identity(self)
        self.workflows = Workflows(self, data=self.data)
        self.api = Api(
            self,
            data=self.data,
            identity=self.identity,
            workflows=self.workflows,
            allowed_origins=origins,
        )
        self.citizen_signup = CitizenSignup(self, identity=self.identity, layers=self.workflows.layers)
        self.schedules = Schedules(self, data=self.data, workflows=self.workflows)
        self.evaluation = Evaluation(self, data=self.data, workflows=self.workflows)
        self.inspector_watch = InspectorWatch(
            self, data=self.data, identity=self.identity, workflows=self.workflows,
            api_function=self.api.functions[constants.API_SUPERVISION],  # a department's staff for 责任认定
        )
        self.log_verification = LogVerification(
            self, data=self.data, workflows=self.workflows, api_function=self.api.functions[constants.API_SUPERVISION]
        )
        self.upload_check = UploadCheck(
            self, data=self.data, layers=self.workflows.layers, api_function=self.api.functions[constants.API_OFFICE]
        )
        self.web = Web(self, data=self.data, identity=self.identity, api_url=self.api.url)
        self.operational_metrics = OperationalMetrics(self, data=self.data, layers=self.workflows.layers)
        self.monitoring = Monitoring(
            self,
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
                constants.OPERATIONAL_METRICS_FUNCTION_ID: self.operational_metrics.function,
                constants.CITIZEN_SIGNUP_FUNCTION_ID: self.citizen_signup.function,
                constants.UPLOAD_CHECK_FUNCTION_ID: self.upload_check.function,
            },
            state_machine=self.workflows.standard_flow,
            red_card_topic=self.schedules.topics["red"],
            alerts_key=self.schedules.topics_key,
            metric_readers=[self.api.functions[constants.API_SUPERVISION]],  # GET /monitoring/overview
            other_system_alarms=[self.inspector_watch.log_failures_alarm],
        )
        self._add_outputs()

    def _add_outputs(self) -> None:
        outputs = {
            "ApiUrl": self.api.url,
            "WebUrl": self.web.url,
            "UserPoolId": self.identity.user_pool.user_pool_id,
            "UserPoolClientId": self.identity.web_client.user_pool_client_id,
            "CasesTableName": self.data.cases_table.table_name,
            "CatalogTableName": self.data.catalog_table.table_name,
            "SupervisionTableName": self.data.supervision_table.table_name,
            "AttachmentsBucketName": self.data.attachments_bucket.bucket_name,
            "EventBusName": self.data.event_bus.event_bus_name,
            "StandardFlowArn": self.workflows.standard_flow.state_machine_arn,
            **{f"{constants.WARNING_TOPIC_IDS[level]}Arn": topic.topic_arn for level, topic in self.schedules.topics.items()},
            f"{constants.ALERT_TOPIC_ID}Arn": self.monitoring.alert_topic.topic_arn,
        }
        for output_id, value in outputs.items():
            CfnOutput(self, output_id, value=value)
