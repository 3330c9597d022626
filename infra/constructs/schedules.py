"""Supervision that runs by itself: the deadline check on a schedule, the anomaly check on the
domain event stream, and the warning topics they notify through."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import cfn_function, python_function
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge, acknowledge_index_queries

TOPIC_ENV_KEYS = {
    "reminder": constants.EnvKeys.REMINDER_TOPIC,
    "yellow": constants.EnvKeys.YELLOW_TOPIC,
    "red": constants.EnvKeys.RED_TOPIC,
    "anomaly": constants.EnvKeys.ANOMALY_TOPIC,
}
TOPIC_NAMES = {"reminder": "临近时限提醒", "yellow": "黄牌警告", "red": "红牌警告", "anomaly": "异常预警"}


class WarningTopics:
    """The warning topics and their key: stateful (the subscribers), so they live with the data and
    outlive the functions that publish to them."""

    def __init__(self, scope: Construct) -> None:
        # One topic per level; subscribers filter on the `department` message attribute. A
        # customer-managed key that CloudWatch may use: the red-card alarm publishes to the red
        # topic, and alarms cannot publish to topics under the AWS-managed SNS key.
        self.topics_key = kms.Key(
            scope,
            "AlertTopicsKey",
            description="阳光政务: encrypts the warning and alert topics",
            enable_key_rotation=True,
        )
        self.topics_key.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],  # in a key policy, "*" is this key
        ))
        self.topics = {
            level: sns.Topic(scope, topic_id, display_name=f"阳光政务 {TOPIC_NAMES[level]}", master_key=self.topics_key, enforce_ssl=True)
            for level, topic_id in constants.WARNING_TOPIC_IDS.items()
        }
        for topic in self.topics.values():
            topic.apply_removal_policy(RemovalPolicy.RETAIN)  # with their confirmed subscriptions
        self._subscribe(scope)

    def _subscribe(self, scope: Construct) -> None:
        """E-mail and SMS subscribers per deployment, from the `warningSubscribers` context:
        [{"level": "red", "department": "market", "email": "jiancha@example.gov.cn"},
         {"level": "yellow", "department": "market", "sms": "+8613800000000"}]. A subscriber
        receives only their department's warnings (a filter policy on the `department` attribute)."""
        for index, subscriber in enumerate(scope.node.try_get_context("warningSubscribers") or []):
            topic = self.topics[subscriber["level"]]
            policy = {"department": sns.SubscriptionFilter.string_filter(allowlist=[subscriber["department"]])}
            if "email" in subscriber:
                topic.add_subscription(subscriptions.EmailSubscription(subscriber["email"], filter_policy=policy))
            elif "sms" in subscriber:
                topic.add_subscription(subscriptions.SmsSubscription(subscriber["sms"], filter_policy=policy))
            else:
                raise ValueError(f"warningSubscribers[{index}] needs an email or an sms endpoint")


class Schedules:
    def __init__(self, scope: Construct, *, data: Data, workflows: Workflows, warning_topics: WarningTopics) -> None:
        self.topics = warning_topics.topics
        self.topics_key = warning_topics.topics_key
        environment = {
            constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
            constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
            constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
            constants.EnvKeys.EVENT_BUS: data.event_bus.event_bus_name,
            **{TOPIC_ENV_KEYS[level]: topic.topic_arn for level, topic in self.topics.items()},
        }

        self.deadline_check = python_function(
            scope,
            constants.DEADLINE_CHECK_FUNCTION_ID,
            description="Issues reminders, yellow and red cards for cases whose time limits are due",
            handler=constants.DEADLINE_CHECK_HANDLER,
            layers=workflows.layers,
            # A 补正 wait that ran out ends the applicant's step: the check answers its task token.
            environment={**environment, constants.EnvKeys.FLOW_STATE_MACHINES: workflows.state_machine_arns(scope)},
        )
        cfn_function(self.deadline_check).add_property_override("Timeout", 300)
        workflows.grant_task_response(self.deadline_check)
        self.anomaly_check = python_function(
            scope,
            constants.ANOMALY_CHECK_FUNCTION_ID,
            description="Checks every case transition against the anomaly rules of its item",
            handler=constants.ANOMALY_CHECK_HANDLER,
            layers=workflows.layers,
            environment=environment,
        )
        for function in (self.deadline_check, self.anomaly_check):
            data.cases_table.grant_read_write_data(function)
            data.catalog_table.grant_read_data(function)
            data.supervision_table.grant_read_write_data(function)
            data.event_bus.grant_put_events_to(function)
            for topic in self.topics.values():
                topic.grant_publish(function)
            acknowledge_index_queries(function, data.cases_table, data.catalog_table, data.supervision_table)
            acknowledge(
                function,
                "Publishing to a KMS-encrypted topic needs kms:GenerateDataKey* (the grant CDK makes), "
                "on the topics' own key only.",
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
            )

        self.deadline_schedule = events.Rule(
            scope,
            constants.DEADLINE_SCHEDULE_ID,
            description="Runs the deadline check (预警) every few minutes",
            schedule=events.Schedule.rate(Duration.minutes(constants.DEADLINE_CHECK_RATE_MINUTES)),
            targets=[targets.LambdaFunction(self.deadline_check, retry_attempts=2)],
        )
        # Editing the city calendar recomputes every open case's due dates, one edit at a time.
        self.calendar_recompute = python_function(
            scope,
            constants.CALENDAR_RECOMPUTE_FUNCTION_ID,
            description="Recomputes open cases' due dates after the city calendar changed",
            handler=constants.CALENDAR_RECOMPUTE_HANDLER,
            layers=workflows.layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
            },
        )
        recompute = cfn_function(self.calendar_recompute)
        recompute.add_property_override("Timeout", 900)
        recompute.add_property_override("ReservedConcurrentExecutions", 1)
        data.cases_table.grant_read_write_data(self.calendar_recompute)
        data.catalog_table.grant_read_data(self.calendar_recompute)
        acknowledge_index_queries(self.calendar_recompute, data.cases_table, data.catalog_table)
        self.calendar_rule = events.Rule(
            scope,
            constants.CALENDAR_CHANGED_RULE_ID,
            description="A city calendar edit recomputes the open deadlines",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(
                source=[constants.DOMAIN_EVENT_SOURCE], detail_type=[constants.CALENDAR_CHANGED_DETAIL_TYPE]
            ),
            targets=[targets.LambdaFunction(self.calendar_recompute, retry_attempts=4)],
        )

        self.anomaly_rule = events.Rule(
            scope,
            constants.ANOMALY_RULE_ID,
            description="Every case transition goes through the anomaly rules",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE], detail_type=["CaseTransitioned"]),
            targets=[targets.LambdaFunction(self.anomaly_check, retry_attempts=4)],
        )
