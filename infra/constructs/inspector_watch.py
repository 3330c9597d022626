"""Supervision of the supervisors (监察人员履职监督): the daily inspector watch on a schedule, the
staff directory (Cognito) for it and for responsibility findings, and an alarm on gaps in the
inspector log (监察日志)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.identity import Identity
from infra.constructs.python_function import cfn_function, python_function
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge_index_queries

DIRECTORY_ACTIONS = ("cognito-idp:ListUsersInGroup",)


class InspectorWatch:
    def __init__(self, scope: Construct, *, data: Data, identity: Identity, workflows: Workflows, api_function: lambda_.Function,
                 alarm_scope: Construct | None = None) -> None:
        user_pool_id = identity.user_pool.user_pool_id
        self.function = python_function(
            scope,
            constants.INSPECTOR_WATCH_FUNCTION_ID,
            description="Flags inspectors who are idle or leave warnings unhandled (daily)",
            handler=constants.INSPECTOR_WATCH_HANDLER,
            layers=workflows.layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
                constants.EnvKeys.USER_POOL_ID: user_pool_id,
                constants.EnvKeys.INSPECTOR_IDLE_DAYS: str(constants.INSPECTOR_IDLE_DAYS),
                constants.EnvKeys.INSPECTOR_UNHANDLED_WORKING_DAYS: str(constants.INSPECTOR_UNHANDLED_WORKING_DAYS),
            },
        )
        cfn_function(self.function).add_property_override("Timeout", 300)
        data.cases_table.grant_read_data(self.function)
        data.catalog_table.grant_read_data(self.function)
        data.supervision_table.grant_read_write_data(self.function)
        acknowledge_index_queries(self.function, data.cases_table, data.catalog_table, data.supervision_table)
        # Both read the pool's groups: the watch lists inspectors, the API lists a department's
        # handlers and leaders for a responsibility finding (责任认定).
        for function in (self.function, api_function):
            identity.user_pool.grant(function, *DIRECTORY_ACTIONS)
        api_function.add_environment(constants.EnvKeys.USER_POOL_ID, user_pool_id)

        self.schedule = events.Rule(
            scope,
            constants.INSPECTOR_WATCH_SCHEDULE_ID,
            description="Runs the inspector watch (监察人员履职监督) once a day",
            schedule=events.Schedule.rate(Duration.days(constants.INSPECTOR_WATCH_RATE_DAYS)),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )

        # A request of an inspector that could not be logged is a gap in the 监察日志: alarm on it
        # (beside the other alarms, in `alarm_scope`, when they live in a stack of their own).
        self.log_failures_alarm = cloudwatch.Alarm(
            alarm_scope or scope,
            "InspectorLogFailuresAlarm",
            alarm_description="Inspector actions that could not be appended to the inspector log (监察日志)",
            metric=cloudwatch.Metric(
                namespace=constants.METRICS_NAMESPACE,
                metric_name="InspectorLogFailures",
                dimensions_map={"service": constants.SERVICE_NAME},
                statistic=cloudwatch.Stats.SUM,
                period=Duration.minutes(5),
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
