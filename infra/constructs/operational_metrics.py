"""The operational metrics function (实时监控指标): subscribed on the domain bus to case
transitions and the evaluation facts, it writes CloudWatch metrics as EMF to its own log
(no AWS calls, no grants). A rule of its own, beside the evaluation consumer's (fan-out)."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import python_function
from sunlight.rules.operational_metrics import MEASURED_DETAIL_TYPES


class OperationalMetrics:
    def __init__(self, scope: Construct, *, data: Data, layers: list[lambda_.ILayerVersion]) -> None:
        self.function = python_function(
            scope,
            constants.OPERATIONAL_METRICS_FUNCTION_ID,
            description="Turns domain events into per-department operational metrics (EMF)",
            handler=constants.OPERATIONAL_METRICS_HANDLER,
            layers=layers,
            environment={},
        )
        self.rule = events.Rule(
            scope,
            constants.OPERATIONAL_METRICS_RULE_ID,
            description="Case transitions, warnings, complaints, ratings and orders become operational metrics",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE], detail_type=list(MEASURED_DETAIL_TYPES)),
            targets=[targets.LambdaFunction(self.function, retry_attempts=4)],
        )
