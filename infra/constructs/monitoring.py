"""Dashboards and alarms.

- Operations: API, Lambda and approval-flow health (what an on-call operator needs first).
- City overview (监察总览): cases received, completed and closed late, warnings and cards by
  level, complaints, city-wide and per department. Departments are data, so the per-department
  widgets use SEARCH expressions on the `Department` dimension instead of one metric each.
- Department: the same figures for one department, chosen with a dashboard variable.

Alarms: any red card (红牌) goes to the red-card topic; the system's own errors (Lambda errors,
API 5xx, failed flow executions) go to the ops alert topic. Both topics are encrypted with a
customer-managed key that CloudWatch may use: alarms cannot publish to topics encrypted with the
AWS-managed SNS key.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra import constants
from infra.nag import WILDCARD_RESOURCE, acknowledge
from sunlight.models.monitoring import CITY_SCOPE, DEPARTMENT_DIMENSION, SCOPE_DIMENSION, OperationalMetric

PERIOD = Duration.minutes(5)
WIDGET_WIDTH = 8
# A red card is issued by the deadline check, which runs every DEADLINE_CHECK_RATE_MINUTES.
RED_CARD_ALARM_PERIOD = Duration.minutes(constants.DEADLINE_CHECK_RATE_MINUTES)
# The department dashboard's widgets name this value; its variable replaces it with the chosen one.
DEPARTMENT_PLACEHOLDER = "department"

M = OperationalMetric
CASE_FIGURES = ((M.CASES_RECEIVED, "收件"), (M.CASES_COMPLETED, "办结"), (M.CASES_OVERDUE, "超期办结"))
CARD_FIGURES = ((M.REMINDERS, "临近时限提醒"), (M.YELLOW_CARDS, "黄牌"), (M.RED_CARDS, "红牌"), (M.ANOMALIES, "异常预警"))
SOCIAL_FIGURES = ((M.COMPLAINTS_FILED, "投诉"), (M.COMPLAINTS_CONCLUDED, "投诉办结"), (M.ORDERS_ISSUED, "督办"))
KPI_FIGURES = (*CASE_FIGURES, (M.YELLOW_CARDS, "黄牌"), (M.RED_CARDS, "红牌"), (M.COMPLAINTS_FILED, "投诉"))
BREAKDOWN_FIGURES = (*CASE_FIGURES, (M.YELLOW_CARDS, "黄牌"), (M.RED_CARDS, "红牌"), (M.COMPLAINTS_FILED, "投诉"))


def _sum(metric: cloudwatch.Metric) -> cloudwatch.Metric:
    return metric.with_(statistic=cloudwatch.Stats.SUM, period=PERIOD)


def operational_metric(metric: OperationalMetric, label: str | None = None, *, department: str | None = None,
                       period: Duration = PERIOD) -> cloudwatch.Metric:
    """One of our metrics, city-wide (Scope=city) or of one department."""
    dimensions = {DEPARTMENT_DIMENSION: department} if department else {SCOPE_DIMENSION: CITY_SCOPE}
    return cloudwatch.Metric(namespace=constants.METRICS_NAMESPACE, metric_name=metric.value, dimensions_map=dimensions,
                             statistic=cloudwatch.Stats.SUM, period=period, label=label)


def by_department(metric: OperationalMetric, label: str, period: Duration = Duration.hours(1)) -> cloudwatch.MathExpression:
    """Every department's series of a metric, whatever departments exist (SEARCH on the dimension)."""
    search = f"SEARCH('{{{constants.METRICS_NAMESPACE},{DEPARTMENT_DIMENSION}}} MetricName=\"{metric.value}\"', 'Sum', {int(period.to_seconds())})"
    return cloudwatch.MathExpression(expression=search, using_metrics={}, label=label, period=period)


class Monitoring:
    def __init__(
        self,
        scope: Construct,
        *,
        rest_api: apigw.RestApi,
        functions: dict[str, lambda_.Function],
        state_machines: dict[str, sfn.StateMachine],
        red_card_topic: sns.ITopic,
        alerts_key: kms.IKey,
        metric_readers: Sequence[lambda_.Function] = (),
        other_system_alarms: Sequence[cloudwatch.Alarm] = (),
    ) -> None:
        self.alert_topic = sns.Topic(scope, constants.ALERT_TOPIC_ID, display_name="阳光政务 系统告警", master_key=alerts_key,
                                     enforce_ssl=True)
        # Alarms that other constructs define on their own parts go to the ops topic too.
        self.system_alarms = [*self._system_alarms(scope, rest_api, functions, state_machines), *other_system_alarms]
        self.red_card_alarm = operational_metric(M.RED_CARDS, period=RED_CARD_ALARM_PERIOD).create_alarm(
            scope,
            constants.RED_CARD_ALARM_ID,
            alarm_description="红牌警告：有办件超过督办期限仍未办理（全市任一部门）",
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.red_card_alarm.add_alarm_action(actions.SnsAction(red_card_topic))
        for alarm in self.system_alarms:
            alarm.add_alarm_action(actions.SnsAction(self.alert_topic))
        self.alarms = [*self.system_alarms, self.red_card_alarm]

        self.dashboard = self._operations_dashboard(scope, rest_api, functions, state_machines)
        self.city_dashboard = self._city_dashboard(scope)
        self.department_dashboard = self._department_dashboard(scope)
        for function in metric_readers:
            self._grant_metric_reads(function)

    # -- alarms -------------------------------------------------------------------------------------

    @staticmethod
    def _system_alarms(scope: Construct, rest_api: apigw.RestApi, functions: dict[str, lambda_.Function],
                       state_machines: dict[str, sfn.StateMachine]) -> list[cloudwatch.Alarm]:
        at_least = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        not_breaching = cloudwatch.TreatMissingData.NOT_BREACHING
        return [
            _sum(rest_api.metric_server_error()).create_alarm(
                scope, f"{constants.API_ID}5xxAlarm", alarm_description="The public API returned 5xx responses",
                threshold=5, evaluation_periods=1, comparison_operator=at_least, treat_missing_data=not_breaching,
            ),
            *(
                _sum(function.metric_errors()).create_alarm(
                    scope, f"{name}ErrorsAlarm", alarm_description=f"{name} raised errors",
                    threshold=1, evaluation_periods=1, comparison_operator=at_least, treat_missing_data=not_breaching,
                )
                for name, function in functions.items()
            ),
            # A failed execution is a case stuck outside its flow (including steps past their hard limit).
            *(
                _sum(flow.metric_failed()).create_alarm(
                    scope, f"{constants.FLOW_IDS[pattern]}FailedAlarm",
                    alarm_description=f"Executions of the {pattern} flow failed",
                    threshold=1, evaluation_periods=1, comparison_operator=at_least, treat_missing_data=not_breaching,
                )
                for pattern, flow in state_machines.items()
            ),
        ]

    # -- dashboards ---------------------------------------------------------------------------------

    def _operations_dashboard(self, scope: Construct, rest_api: apigw.RestApi, functions: dict[str, lambda_.Function],
                              state_machines: dict[str, sfn.StateMachine]) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(scope, constants.OPERATIONS_DASHBOARD_ID, default_interval=Duration.hours(6))
        dashboard.add_widgets(
            cloudwatch.TextWidget(markdown="# 阳光政务 Sunlight operations\nAPI, Lambda and approval-flow health.", width=24, height=2)
        )
        dashboard.add_widgets(*self._health_widgets(rest_api, state_machines))
        for name, function in functions.items():
            dashboard.add_widgets(
                cloudwatch.GraphWidget(
                    title=f"{name} invocations, errors, throttles",
                    left=[_sum(function.metric_invocations()), _sum(function.metric_errors()), _sum(function.metric_throttles())],
                    width=WIDGET_WIDTH,
                ),
                cloudwatch.GraphWidget(
                    title=f"{name} duration (ms)",
                    left=[function.metric_duration(statistic=stat, period=PERIOD, label=f"duration {stat}") for stat in ("p50", "p90", "p99")],
                    width=WIDGET_WIDTH,
                ),
            )
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="Alarms", alarms=self.alarms, width=24))
        return dashboard

    @staticmethod
    def _health_widgets(rest_api: apigw.RestApi, state_machines: dict[str, sfn.StateMachine]) -> list[cloudwatch.IWidget]:
        return [
            cloudwatch.GraphWidget(
                title="API requests and errors",
                left=[_sum(rest_api.metric_count()), _sum(rest_api.metric_client_error()), _sum(rest_api.metric_server_error())],
                width=WIDGET_WIDTH,
            ),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                left=[rest_api.metric_latency(statistic=stat, period=PERIOD, label=f"latency {stat}") for stat in ("p50", "p90", "p99")],
                width=WIDGET_WIDTH,
            ),
            *(
                cloudwatch.GraphWidget(
                    title=f"Flow executions: {pattern}",
                    left=[
                        _sum(flow.metric_started()),
                        _sum(flow.metric_succeeded()),
                        _sum(flow.metric_failed()),
                        _sum(flow.metric_timed_out()),
                        _sum(flow.metric_aborted()),
                    ],
                    width=WIDGET_WIDTH,
                )
                for pattern, flow in state_machines.items()
            ),
        ]

    def _city_dashboard(self, scope: Construct) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(scope, constants.CITY_DASHBOARD_ID, default_interval=Duration.days(1))
        dashboard.add_widgets(cloudwatch.TextWidget(
            markdown="# 阳光政务 监察总览（全市）\n所选时间范围内的收件、办结、超期办结，预警和红黄牌，投诉；下方按部门分列。",
            width=24, height=2,
        ))
        dashboard.add_widgets(cloudwatch.SingleValueWidget(
            title="全市合计（所选时间范围）",
            metrics=[operational_metric(metric, label) for metric, label in KPI_FIGURES],
            set_period_to_time_range=True,
            width=24,
        ))
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="办件（全市）", left=[operational_metric(m, label) for m, label in CASE_FIGURES], width=WIDGET_WIDTH),
            cloudwatch.GraphWidget(title="预警和红黄牌（全市）", left=[operational_metric(m, label) for m, label in CARD_FIGURES],
                                   stacked=True, width=WIDGET_WIDTH),
            cloudwatch.GraphWidget(title="投诉和督办（全市）", left=[operational_metric(m, label) for m, label in SOCIAL_FIGURES],
                                   width=WIDGET_WIDTH),
        )
        dashboard.add_widgets(*(
            cloudwatch.GraphWidget(title=f"{label}（按部门）", left=[by_department(metric, label)], view=cloudwatch.GraphWidgetView.BAR,
                                   set_period_to_time_range=True, width=WIDGET_WIDTH)
            for metric, label in BREAKDOWN_FIGURES
        ))
        dashboard.add_widgets(cloudwatch.AlarmStatusWidget(title="告警", alarms=self.alarms, width=24))
        return dashboard

    def _department_dashboard(self, scope: Construct) -> cloudwatch.Dashboard:
        department = cloudwatch.DashboardVariable(
            id="department",
            type=cloudwatch.VariableType.PROPERTY,
            value=DEPARTMENT_DIMENSION,  # replaces the Department dimension's value in every widget
            label="部门",
            input_type=cloudwatch.VariableInputType.SELECT,
            values=cloudwatch.Values.from_search_components(
                namespace=constants.METRICS_NAMESPACE, dimensions=[DEPARTMENT_DIMENSION],
                metric_name=M.CASES_RECEIVED.value, populate_from=DEPARTMENT_DIMENSION,
            ),
            default_value=cloudwatch.DefaultValue.FIRST,
            visible=True,
        )
        dashboard = cloudwatch.Dashboard(scope, constants.DEPARTMENT_DASHBOARD_ID, default_interval=Duration.days(7),
                                         variables=[department])

        def of(metric: OperationalMetric, label: str) -> cloudwatch.Metric:
            return operational_metric(metric, label, department=DEPARTMENT_PLACEHOLDER)

        dashboard.add_widgets(cloudwatch.TextWidget(markdown="# 阳光政务 部门监察\n在上方选择部门。", width=24, height=2))
        dashboard.add_widgets(cloudwatch.SingleValueWidget(
            title="部门合计（所选时间范围）", metrics=[of(metric, label) for metric, label in KPI_FIGURES],
            set_period_to_time_range=True, width=24,
        ))
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="办件", left=[of(m, label) for m, label in CASE_FIGURES], width=WIDGET_WIDTH),
            cloudwatch.GraphWidget(title="预警和红黄牌", left=[of(m, label) for m, label in CARD_FIGURES], stacked=True, width=WIDGET_WIDTH),
            cloudwatch.GraphWidget(title="投诉和督办", left=[of(m, label) for m, label in SOCIAL_FIGURES], width=WIDGET_WIDTH),
        )
        return dashboard

    # -- reading the metrics (the overview API) ------------------------------------------------------

    @staticmethod
    def _grant_metric_reads(function: lambda_.Function) -> None:
        function.add_to_role_policy(iam.PolicyStatement(actions=["cloudwatch:GetMetricData"], resources=["*"]))
        acknowledge(
            function,
            "cloudwatch:GetMetricData has no resource-level permissions or namespace condition; it only "
            "reads metrics (the inspectors' overview).",
            WILDCARD_RESOURCE,
        )
