"""The outbound exchange with the higher-level platform (与上级电子监察平台实时数据交换).

domain bus ─rule─▶ exchange_outbox ─▶ Exchange table (each message once) + FIFO queue (group = case)
FIFO queue ─event source mapping (batch 1, partial-batch responses)─▶ exchange_send ─HTTPS─▶ receiver
FIFO queue ─after EXCHANGE_MAX_RECEIVES receives─▶ dead-letter queue (redrive: infra/tools/exchange_redrive.py)
daily schedule ─▶ exchange_reconcile ─▶ the day's figures in the Supervision table (数据交换对账 page)

CDK context: `exchangeEndpoint` (the receiver's URL), `exchangeEnabled` (false: the outbox rule has
no target, nothing is queued or sent), `exchangeSecretName` (a Secrets Manager secret made outside
the stack with the key agreed with the province: {"key_id": "...", "key": "..."}),
`exchangePlatformId` (this platform's 行政区划代码). The alarms are in the monitoring stack.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import cfn_function, python_function
from infra.nag import acknowledge, acknowledge_index_queries
from sunlight.models.levels import CITY_GOVERNMENT_ID
from sunlight.rules.exchange import EXCHANGED_DETAIL_TYPES

SEND_TIMEOUT_SECONDS = 30
HTTP_TIMEOUT_SECONDS = 10
DELIVERY_DELAY_SECONDS = 5


def _context(scope: Construct, key: str, default: str) -> str:
    value = scope.node.try_get_context(key)
    return default if value is None else str(value)


class Exchange:
    def __init__(self, scope: Construct, *, data: Data, layers: list[lambda_.ILayerVersion], alarm_scope: Construct) -> None:
        self.endpoint = _context(scope, constants.EXCHANGE_ENDPOINT_CONTEXT_KEY, "")
        self.enabled = _context(scope, constants.EXCHANGE_ENABLED_CONTEXT_KEY, "false").lower() == "true"
        if self.enabled and not self.endpoint.startswith("https://"):
            raise ValueError("exchangeEnabled needs exchangeEndpoint, an https:// URL (see README, exchange)")
        secret_name = _context(scope, constants.EXCHANGE_SECRET_NAME_CONTEXT_KEY, constants.DEFAULT_EXCHANGE_SECRET_NAME)
        platform_id = _context(scope, constants.EXCHANGE_PLATFORM_CONTEXT_KEY, CITY_GOVERNMENT_ID)

        self.dead_letter_queue = sqs.Queue(
            scope, constants.EXCHANGE_DLQ_ID, fifo=True, retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
        )
        self.queue = sqs.Queue(
            scope, constants.EXCHANGE_QUEUE_ID, fifo=True, content_based_deduplication=False,
            visibility_timeout=Duration.seconds(SEND_TIMEOUT_SECONDS * 6), retention_period=Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
            # A few seconds for a case's earlier fact, late on the bus, to reach the outbox: the sender
            # then sends it first (services/exchange.py).
            delivery_delay=Duration.seconds(DELIVERY_DELAY_SECONDS),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=constants.EXCHANGE_MAX_RECEIVES),
        )
        self.secret = secretsmanager.Secret.from_secret_name_v2(scope, "ExchangeSigningKey", secret_name)

        E = constants.EnvKeys
        self.outbox_function = python_function(
            scope, constants.EXCHANGE_OUTBOX_FUNCTION_ID,
            description="Stores each fact for the higher-level platform once and queues it in its case's order",
            handler=constants.EXCHANGE_OUTBOX_HANDLER, layers=layers,
            environment={
                E.CASES_TABLE: data.cases_table.table_name, E.CATALOG_TABLE: data.catalog_table.table_name,
                E.EXCHANGE_TABLE: data.exchange_table.table_name, E.EXCHANGE_QUEUE_URL: self.queue.queue_url,
                E.EXCHANGE_PLATFORM_ID: platform_id,
            },
        )
        data.exchange_table.grant_read_write_data(self.outbox_function)
        data.catalog_table.grant_read_data(self.outbox_function)  # a department's government
        self.queue.grant_send_messages(self.outbox_function)

        self.send_function = python_function(
            scope, constants.EXCHANGE_SEND_FUNCTION_ID,
            description="Signs and sends queued messages to the higher-level platform and records its acknowledgements",
            handler=constants.EXCHANGE_SEND_HANDLER, layers=layers,
            environment={
                E.EXCHANGE_TABLE: data.exchange_table.table_name, E.EXCHANGE_QUEUE_URL: self.queue.queue_url,
                E.EXCHANGE_ENDPOINT: self.endpoint or "https://upper-platform.invalid/exchange/v1/messages",
                E.EXCHANGE_SECRET: secret_name, E.EXCHANGE_TIMEOUT_SECONDS: str(HTTP_TIMEOUT_SECONDS),
                E.EXCHANGE_BACKOFF_BASE_SECONDS: "10", E.EXCHANGE_BACKOFF_CAP_SECONDS: "900",
                E.EXCHANGE_MAX_RECEIVES: str(constants.EXCHANGE_MAX_RECEIVES),
            },
        )
        cfn_function(self.send_function).add_property_override("Timeout", SEND_TIMEOUT_SECONDS)
        data.exchange_table.grant_read_write_data(self.send_function)
        self.secret.grant_read(self.send_function)
        # One message per invocation: a failed message's group waits, no other message is re-received with it.
        self.send_function.add_event_source(sources.SqsEventSource(self.queue, batch_size=1, report_batch_item_failures=True))

        self.reconcile_function = python_function(
            scope, constants.EXCHANGE_RECONCILE_FUNCTION_ID,
            description="Counts the exchange's messages per day and type (sent, acknowledged, failed) for the inspectors",
            handler=constants.EXCHANGE_RECONCILE_HANDLER, layers=layers,
            environment={
                E.EXCHANGE_TABLE: data.exchange_table.table_name, E.SUPERVISION_TABLE: data.supervision_table.table_name,
                E.EXCHANGE_ENDPOINT: self.endpoint, E.EXCHANGE_ENABLED: str(self.enabled).lower(),
            },
        )
        cfn_function(self.reconcile_function).add_property_override("Timeout", 300)
        data.exchange_table.grant_read_data(self.reconcile_function)
        data.supervision_table.grant_read_write_data(self.reconcile_function)
        self.reconcile_schedule = events.Rule(
            scope, constants.EXCHANGE_RECONCILE_SCHEDULE_ID,
            description="Reconciles the exchange's last week at 01:30 city time",
            schedule=events.Schedule.cron(**constants.EXCHANGE_RECONCILE_CRON),
            targets=[targets.LambdaFunction(self.reconcile_function, retry_attempts=2)],
        )

        # Disabled: the rule stays (so enabling is a context change), without a target nothing is queued.
        self.outbox_rule = events.Rule(
            scope, constants.EXCHANGE_OUTBOX_RULE_ID,
            description="Facts the higher-level platform takes go to the exchange's outbox",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE], detail_type=list(EXCHANGED_DETAIL_TYPES)),
            targets=[targets.LambdaFunction(self.outbox_function, retry_attempts=8)] if self.enabled else [],
        )
        for function in (self.outbox_function, self.send_function, self.reconcile_function):
            acknowledge_index_queries(function, data.exchange_table, data.catalog_table, data.supervision_table)
        acknowledge(self.dead_letter_queue, "This queue is the exchange's dead-letter queue; it has none itself", "AwsSolutions-SQS3")

        # In the monitoring stack (beside the ops topic): a message given up, or one waiting too long.
        self.dead_letter_alarm = self.dead_letter_queue.metric_approximate_number_of_messages_visible(
            period=Duration.minutes(5), statistic="Maximum").create_alarm(
            alarm_scope, constants.EXCHANGE_DLQ_ALARM_ID,
            alarm_description="数据交换：有消息经多次重试仍未被上级平台确认，已进入死信队列（处理后执行 exchange_redrive）",
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.lag_alarm = self.queue.metric_approximate_age_of_oldest_message(period=Duration.minutes(5), statistic="Maximum").create_alarm(
            alarm_scope, constants.EXCHANGE_LAG_ALARM_ID,
            alarm_description=f"数据交换：最早的待发送消息已等待超过 {constants.EXCHANGE_LAG_ALARM_SECONDS // 60} 分钟",
            threshold=constants.EXCHANGE_LAG_ALARM_SECONDS, evaluation_periods=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.alarms = [self.dead_letter_alarm, self.lag_alarm]
