"""The operations dashboard and the alarms an on-call operator needs first."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra import constants

PERIOD = Duration.minutes(5)
WIDGET_WIDTH = 8


def _sum(metric: cloudwatch.Metric) -> cloudwatch.Metric:
    return metric.with_(statistic=cloudwatch.Stats.SUM, period=PERIOD)


class Monitoring:
    def __init__(
        self,
        scope: Construct,
        *,
        rest_api: apigw.RestApi,
        functions: dict[str, lambda_.Function],
        state_machine: sfn.StateMachine,
    ) -> None:
        self.dashboard = cloudwatch.Dashboard(
            scope,
            "OperationsDashboard",
            default_interval=Duration.hours(6),
        )
        self.dashboard.add_widgets(
            cloudwatch.TextWidget(
                markdown="# 阳光政务 Sunlight operations\nAPI, Lambda and approval-flow health.",
                width=24,
                height=2,
            )
        )
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests and errors",
                left=[
                    _sum(rest_api.metric_count()),
                    _sum(rest_api.metric_client_error()),
                    _sum(rest_api.metric_server_error()),
                ],
                width=WIDGET_WIDTH,
            ),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                left=[
                    rest_api.metric_latency(statistic=stat, period=PERIOD, label=f"latency {stat}")
                    for stat in ("p50", "p90", "p99")
                ],
                width=WIDGET_WIDTH,
            ),
            cloudwatch.GraphWidget(
                title="Approval flow executions",
                left=[
                    _sum(state_machine.metric_started()),
                    _sum(state_machine.metric_succeeded()),
                    _sum(state_machine.metric_failed()),
                    _sum(state_machine.metric_timed_out()),
                    _sum(state_machine.metric_aborted()),
                ],
                width=WIDGET_WIDTH,
            ),
        )
        for name, function in functions.items():
            self.dashboard.add_widgets(
                cloudwatch.GraphWidget(
                    title=f"{name} invocations, errors, throttles",
                    left=[
                        _sum(function.metric_invocations()),
                        _sum(function.metric_errors()),
                        _sum(function.metric_throttles()),
                    ],
                    width=WIDGET_WIDTH,
                ),
                cloudwatch.GraphWidget(
                    title=f"{name} duration (ms)",
                    left=[
                        function.metric_duration(statistic=stat, period=PERIOD, label=f"duration {stat}")
                        for stat in ("p50", "p90", "p99")
                    ],
                    width=WIDGET_WIDTH,
                ),
            )

        self.alarms = [
            _sum(rest_api.metric_server_error()).create_alarm(
                scope,
                f"{constants.API_ID}5xxAlarm",
                alarm_description="The public API returned 5xx responses",
                threshold=5,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            *(
                _sum(function.metric_errors()).create_alarm(
                    scope,
                    f"{name}ErrorsAlarm",
                    alarm_description=f"{name} raised errors",
                    threshold=1,
                    evaluation_periods=1,
                    comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                )
                for name, function in functions.items()
            ),
            # A failed execution is a case stuck outside its flow (including steps past their hard limit).
            _sum(state_machine.metric_failed()).create_alarm(
                scope,
                f"{constants.STANDARD_FLOW_ID}FailedAlarm",
                alarm_description="Standard approval flow executions failed",
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]
        self.dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24)
        )
