"""Verifying the inspector log's hash chain (监察日志校验) at any size: the log_verify function
carries a run out in bounded invocations, each handing the rest to the next by invoking itself
asynchronously; the API starts runs by invoking it the same way.

Why a self-invocation and not a Step Functions loop: the run item already holds the state (the
resume point, saved over the version read), so a loop adds a state machine, its role and its log
group for nothing the function lacks; Lambda's asynchronous invocation queues the event and
retries a failed invocation twice, which resumes from the saved step; a run that stops anyway is
shown as interrupted after STALE_AFTER (services/log_verification.py) and can be started again.

The log_anchor function writes the log's head to the anchors bucket (Object Lock) every hour and
publishes InspectorLogAnchored; log_verify checks an intact chain against every anchor, so a tail
cut off with the head moved back is found (rules/log_anchors.py).
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import cfn_function, python_function, role_of
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge, wildcard_under

# What the run and chain reads and the run's saves need: one record, one range, one run item.
TABLE_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem")


class LogVerification:
    def __init__(self, scope: Construct, *, data: Data, workflows: Workflows, api_function: lambda_.Function,
                 alarm_scope: Construct | None = None) -> None:
        self.function = python_function(
            scope,
            constants.LOG_VERIFY_FUNCTION_ID,
            description="Verifies the inspector log's hash chain in bounded steps (监察日志校验)",
            handler=constants.LOG_VERIFY_HANDLER,
            layers=workflows.layers,
            environment={
                # Settings name every table; this function reads and writes the Supervision table only.
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
                constants.EnvKeys.LOG_VERIFY_SEGMENT_RECORDS: str(constants.LOG_VERIFY_SEGMENT_RECORDS),
                constants.EnvKeys.LOG_VERIFY_RECORDS_PER_INVOCATION: str(constants.LOG_VERIFY_RECORDS_PER_INVOCATION),
                constants.EnvKeys.LOG_ANCHORS_BUCKET: data.log_anchors_bucket.bucket_name,
            },
        )
        cfn_function(self.function).add_property_override("Timeout", constants.LOG_VERIFY_TIMEOUT_SECONDS)
        # A run of a large log is a chain of more than 16 invocations of this function by itself,
        # which Lambda's recursive-loop detection would stop. The loop is bounded: every
        # invocation moves the run on or ends it, and a run ends at the head it started with.
        cfn_function(self.function).add_property_override("RecursiveLoop", "Allow")
        self.function.add_to_role_policy(iam.PolicyStatement(
            actions=list(TABLE_ACTIONS), resources=[data.supervision_table.table_arn]))
        # Invoking itself, in a policy of its own: in the role's default policy the function's ARN
        # would make the function depend on itself.
        iam.Policy(
            scope,
            f"{constants.LOG_VERIFY_FUNCTION_ID}SelfInvoke",
            roles=[role_of(self.function)],
            statements=[iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.function.function_arn])],
        )
        # The API starts runs (the unqualified ARN only: no version/alias wildcard).
        api_function.add_to_role_policy(iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.function.function_arn]))
        api_function.add_environment(constants.EnvKeys.LOG_VERIFY_FUNCTION, self.function.function_name)
        self._anchoring(scope, data, workflows)
        # A run that ends broken (a break in the chain, or a cut-off tail or rewrite the anchors
        # show) alarms, beside the other alarms (`alarm_scope`, the monitoring stack).
        self.broken_alarm = cloudwatch.Alarm(
            alarm_scope or scope,
            constants.LOG_BROKEN_ALARM_ID,
            alarm_description="A verification of the inspector log (监察日志) found it broken, cut off or rewritten",
            metric=cloudwatch.Metric(
                namespace=constants.METRICS_NAMESPACE,
                metric_name=constants.LOG_BROKEN_METRIC,
                dimensions_map={"service": constants.SERVICE_NAME},
                statistic=cloudwatch.Stats.SUM,
                period=Duration.minutes(5),
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def _anchoring(self, scope: Construct, data: Data, workflows: Workflows) -> None:
        bucket = data.log_anchors_bucket
        anchors = bucket.arn_for_objects(f"{constants.LOG_ANCHORS_PREFIX}*")
        self.anchor_function = python_function(
            scope,
            constants.LOG_ANCHOR_FUNCTION_ID,
            description="Writes the inspector log's head to the Object Lock anchors bucket (监察日志外部锚点)",
            handler=constants.LOG_ANCHOR_HANDLER,
            layers=workflows.layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
                constants.EnvKeys.LOG_ANCHORS_BUCKET: bucket.bucket_name,
                constants.EnvKeys.EVENT_BUS: data.event_bus.event_bus_name,
            },
        )
        # It reads the head item, creates anchor objects (no delete, no retention change) and publishes.
        self.anchor_function.add_to_role_policy(iam.PolicyStatement(
            actions=["dynamodb:GetItem"], resources=[data.supervision_table.table_arn]))
        self.anchor_function.add_to_role_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[anchors]))
        data.event_bus.grant_put_events_to(self.anchor_function)
        # The verifier lists and reads them, by version (adapters/s3_log_anchors.py: a delete marker
        # or a newer version must not hide the first one written).
        self.function.add_to_role_policy(iam.PolicyStatement(
            actions=["s3:ListBucketVersions"], resources=[bucket.bucket_arn],
            conditions={"StringLike": {"s3:prefix": [f"{constants.LOG_ANCHORS_PREFIX}*"]}}))
        self.function.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObjectVersion"], resources=[anchors]))
        for function in (self.anchor_function, self.function):
            acknowledge(
                function,
                "Anchor keys are per hour and head: the functions write or read objects under anchors/* only.",
                wildcard_under(bucket, f"/{constants.LOG_ANCHORS_PREFIX}*"),
            )
        self.anchor_schedule = events.Rule(
            scope,
            constants.LOG_ANCHOR_SCHEDULE_ID,
            description="Anchors the inspector log's head outside the log (监察日志外部锚点) every hour",
            schedule=events.Schedule.rate(Duration.hours(constants.LOG_ANCHOR_RATE_HOURS)),
            targets=[targets.LambdaFunction(self.anchor_function, retry_attempts=2)],
        )
