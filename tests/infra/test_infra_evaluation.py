"""The evaluation functions, the fact rule on the domain bus, the monthly close schedule, and the
binary type of the statistics export."""

from __future__ import annotations

from datetime import UTC, datetime

from infra import constants
from infra.local.engine.events import cron_matches
from sunlight.models.evaluation_events import EVALUATION_DETAIL_TYPES
from sunlight.models.exchange import EVALUATION_SNAPSHOT_TAKEN
from sunlight.rules.exchange import EXCHANGED_DETAIL_TYPES
from tests.infra.test_infra_stack import _role_actions


def test_fact_consumer_hears_every_evaluation_detail_type_on_the_domain_bus(synthesized):
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.EVALUATION_FACTS_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.EVALUATION_FACTS_HANDLER
    assert {constants.EnvKeys.SUPERVISION_TABLE, constants.EnvKeys.CASES_TABLE, constants.EnvKeys.CATALOG_TABLE} <= set(
        function["Environment"]["Variables"])
    rule = synthesized.compute.resource("AWS::Events::Rule", constants.EVALUATION_FACTS_RULE_ID)["Properties"]
    assert rule["EventPattern"] == {"source": [constants.DOMAIN_EVENT_SOURCE],
                                    "detail-type": ["CaseTransitioned", *EVALUATION_DETAIL_TYPES]}
    bus = synthesized.data.logical_id("AWS::Events::EventBus", constants.EVENT_BUS_ID)
    assert synthesized.deref(rule["EventBusName"]) == {"Ref": bus}  # the data stack's bus
    facts_fn = synthesized.compute.logical_id("AWS::Lambda::Function", constants.EVALUATION_FACTS_FUNCTION_ID)
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": [facts_fn, "Arn"]}
    assert rule["Targets"][0]["RetryPolicy"]["MaximumRetryAttempts"] == 8


def test_monthly_close_runs_at_half_past_midnight_on_the_first_city_time(synthesized):
    schedule = synthesized.compute.resource("AWS::Events::Rule", constants.EVALUATION_CLOSE_SCHEDULE_ID)["Properties"]
    assert schedule["ScheduleExpression"] == "cron(30 16 L * ? *)"
    close_fn = synthesized.compute.logical_id("AWS::Lambda::Function", constants.EVALUATION_CLOSE_FUNCTION_ID)
    assert schedule["Targets"][0]["Arn"] == {"Fn::GetAtt": [close_fn, "Arn"]}
    # 16:30 UTC on the last day of a month is 00:30 on the 1st in Shanghai (also in February).
    assert cron_matches(schedule["ScheduleExpression"], datetime(2027, 2, 28, 16, 30, tzinfo=UTC))
    assert not cron_matches(schedule["ScheduleExpression"], datetime(2027, 2, 27, 16, 30, tzinfo=UTC))
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.EVALUATION_CLOSE_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.EVALUATION_CLOSE_HANDLER and function["Timeout"] == 300


def test_only_the_close_publishes_on_the_domain_bus_and_it_writes_no_cases(synthesized):
    facts_actions = _role_actions(synthesized.compute, constants.EVALUATION_FACTS_FUNCTION_ID)
    close_actions = _role_actions(synthesized.compute, constants.EVALUATION_CLOSE_FUNCTION_ID)
    assert {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"} <= facts_actions
    assert not {a for a in facts_actions if a.startswith(("events:", "sns:", "cloudwatch:", "states:"))}
    # The close publishes EvaluationSnapshotTaken (sent upward as evaluation_snapshot), nothing else.
    assert {a for a in close_actions if a.startswith(("events:", "sns:", "cloudwatch:", "states:"))} == {"events:PutEvents"}
    close = synthesized.compute.resource("AWS::Lambda::Function", constants.EVALUATION_CLOSE_FUNCTION_ID)["Properties"]
    bus = synthesized.data.logical_id("AWS::Events::EventBus", constants.EVENT_BUS_ID)
    assert synthesized.deref(close["Environment"]["Variables"][constants.EnvKeys.EVENT_BUS]) == {"Ref": bus}
    assert EVALUATION_SNAPSHOT_TAKEN in EXCHANGED_DETAIL_TYPES  # the outbox rule hears it


def test_statistics_exports_are_binary_through_api_gateway(synthesized):
    api = synthesized.api.resource("AWS::ApiGateway::RestApi", constants.API_ID)["Properties"]
    assert api["BinaryMediaTypes"] == [constants.XLSX_MEDIA_TYPE, constants.CSV_MEDIA_TYPE]
