"""The outbound exchange's infrastructure (infra/constructs/exchange.py): outbox table, FIFO queue and
its dead-letter queue, the three functions, the outbox rule (only when enabled), the daily schedule,
the signing key's secret by name, and the alarms in the monitoring stack."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from infra import constants
from infra.app import cdk_json_context
from infra.constructs.data import Data
from infra.constructs.exchange import Exchange
from sunlight.rules.exchange import EXCHANGED_DETAIL_TYPES
from tests.infra.test_infra_stack import _role_actions


def test_the_outbox_table_has_a_day_index_and_expires_messages(synthesized):
    table = synthesized.data.resource("AWS::DynamoDB::Table", constants.EXCHANGE_TABLE_ID)
    assert table["DeletionPolicy"] == "Retain"
    properties = table["Properties"]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": constants.EXCHANGE_TTL_ATTRIBUTE, "Enabled": True}
    assert [i["IndexName"] for i in properties["GlobalSecondaryIndexes"]] == [constants.EXCHANGE_DAY_INDEX, constants.EXCHANGE_ENTITY_INDEX]


def test_the_queue_is_fifo_with_a_dead_letter_queue_after_max_receives(synthesized):
    queue = synthesized.compute.resource("AWS::SQS::Queue", constants.EXCHANGE_QUEUE_ID)["Properties"]
    dlq_id = synthesized.compute.logical_id("AWS::SQS::Queue", constants.EXCHANGE_DLQ_ID)
    assert queue["FifoQueue"] is True and queue.get("ContentBasedDeduplication") in (None, False)
    assert queue["DelaySeconds"] == 5  # time for a case's late fact to reach the outbox first
    assert queue["RedrivePolicy"] == {"deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
                                      "maxReceiveCount": constants.EXCHANGE_MAX_RECEIVES}
    sender = synthesized.compute.resource("AWS::Lambda::Function", constants.EXCHANGE_SEND_FUNCTION_ID)["Properties"]
    # Lambda's advice: the visibility timeout at least six times the consumer's timeout
    assert queue["VisibilityTimeout"] >= 6 * sender["Timeout"]
    # the sender gives up on the same receive as the queue's redrive policy
    assert sender["Environment"]["Variables"][constants.EnvKeys.EXCHANGE_MAX_RECEIVES] == str(constants.EXCHANGE_MAX_RECEIVES)
    dlq = synthesized.compute.resource("AWS::SQS::Queue", constants.EXCHANGE_DLQ_ID)["Properties"]
    assert dlq["FifoQueue"] is True and dlq["MessageRetentionPeriod"] == 14 * 24 * 3600


def test_the_sender_takes_one_message_at_a_time_with_partial_batch_responses(synthesized):
    mapping = next(iter(synthesized.compute.resources_of_type("AWS::Lambda::EventSourceMapping").values()))["Properties"]
    sender = synthesized.compute.logical_id("AWS::Lambda::Function", constants.EXCHANGE_SEND_FUNCTION_ID)
    queue = synthesized.compute.logical_id("AWS::SQS::Queue", constants.EXCHANGE_QUEUE_ID)
    assert mapping == {"BatchSize": 1, "EventSourceArn": {"Fn::GetAtt": [queue, "Arn"]}, "FunctionName": {"Ref": sender},
                       "FunctionResponseTypes": ["ReportBatchItemFailures"]}


def test_the_outbox_hears_the_exchanged_facts_on_the_domain_bus(synthesized):
    rule = synthesized.compute.resource("AWS::Events::Rule", constants.EXCHANGE_OUTBOX_RULE_ID)["Properties"]
    assert rule["EventPattern"] == {"source": [constants.DOMAIN_EVENT_SOURCE], "detail-type": list(EXCHANGED_DETAIL_TYPES)}
    outbox = synthesized.compute.logical_id("AWS::Lambda::Function", constants.EXCHANGE_OUTBOX_FUNCTION_ID)
    assert [t["Arn"] for t in rule["Targets"]] == [{"Fn::GetAtt": [outbox, "Arn"]}]


def test_the_sender_reads_its_key_by_name_and_writes_only_the_outbox(synthesized):
    sender = synthesized.compute.resource("AWS::Lambda::Function", constants.EXCHANGE_SEND_FUNCTION_ID)["Properties"]
    variables = sender["Environment"]["Variables"]
    assert variables[constants.EnvKeys.EXCHANGE_SECRET] == constants.DEFAULT_EXCHANGE_SECRET_NAME
    assert variables[constants.EnvKeys.EXCHANGE_ENDPOINT].startswith("https://")
    actions = _role_actions(synthesized.compute, constants.EXCHANGE_SEND_FUNCTION_ID)
    assert {"secretsmanager:GetSecretValue", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage"} <= actions
    assert not {a for a in actions if a.startswith(("events:", "states:", "sns:", "sqs:SendMessage"))}
    outbox_actions = _role_actions(synthesized.compute, constants.EXCHANGE_OUTBOX_FUNCTION_ID)
    assert "sqs:SendMessage" in outbox_actions and not {a for a in outbox_actions if a.startswith("secretsmanager:")}


def test_the_reconciliation_runs_daily_at_half_past_one_city_time(synthesized):
    schedule = synthesized.compute.resource("AWS::Events::Rule", constants.EXCHANGE_RECONCILE_SCHEDULE_ID)["Properties"]
    assert schedule["ScheduleExpression"] == "cron(30 17 * * ? *)"


def test_alarms_on_dead_letters_and_delivery_lag_are_in_the_monitoring_stack(synthesized):
    dlq_alarm = synthesized.monitoring.resource("AWS::CloudWatch::Alarm", constants.EXCHANGE_DLQ_ALARM_ID)["Properties"]
    lag_alarm = synthesized.monitoring.resource("AWS::CloudWatch::Alarm", constants.EXCHANGE_LAG_ALARM_ID)["Properties"]
    assert dlq_alarm["MetricName"] == "ApproximateNumberOfMessagesVisible" and dlq_alarm["Threshold"] == 1
    assert lag_alarm["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert lag_alarm["Threshold"] == constants.EXCHANGE_LAG_ALARM_SECONDS
    assert dlq_alarm["AlarmActions"] and lag_alarm["AlarmActions"]  # the ops topic


def test_the_redrive_command_finds_both_queues_in_the_compute_stack_outputs(synthesized):
    assert {"ExchangeQueueUrl", "ExchangeDeadLetterQueueUrl"} <= set(synthesized.compute.outputs)


def _exchange(context: dict) -> tuple[Exchange, Stack]:
    app = App(context={**cdk_json_context(), **context})
    data_stack, compute_stack, monitoring = Stack(app, "D"), Stack(app, "C"), Stack(app, "M")
    exchange = Exchange(compute_stack, data=Data(data_stack, allowed_origins=["*"]), layers=[], alarm_scope=monitoring)
    return exchange, compute_stack


def test_disabled_the_outbox_rule_has_no_target():
    exchange, stack = _exchange({constants.EXCHANGE_ENABLED_CONTEXT_KEY: "false"})
    assert exchange.enabled is False
    rules = Template.from_stack(stack).find_resources("AWS::Events::Rule")
    outbox_rule = next(r for lid, r in rules.items() if lid.startswith(constants.EXCHANGE_OUTBOX_RULE_ID))
    assert "Targets" not in outbox_rule["Properties"]


def test_enabled_needs_an_https_endpoint():
    with pytest.raises(ValueError, match="https"):
        _exchange({constants.EXCHANGE_ENABLED_CONTEXT_KEY: "true", constants.EXCHANGE_ENDPOINT_CONTEXT_KEY: "http://plain"})
