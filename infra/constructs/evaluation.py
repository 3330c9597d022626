"""Performance evaluation (绩效评估): the fact consumer on the domain bus and the monthly close."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import cfn_function, python_function
from infra.constructs.workflows import Workflows
from infra.nag import acknowledge_index_queries
from sunlight.models.evaluation_events import EVALUATION_DETAIL_TYPES
from sunlight.models.events import CASE_TRANSITIONED

FACT_DETAIL_TYPES = [CASE_TRANSITIONED, *EVALUATION_DETAIL_TYPES]


class Evaluation:
    def __init__(self, scope: Construct, *, data: Data, workflows: Workflows) -> None:
        environment = {
            constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
            constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
            constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
        }
        # Counts each fact once into the Supervision table's monthly counters; reads a closing
        # case (Cases) and the city calendar (Catalog) for the working days it took.
        self.facts_function = python_function(
            scope,
            constants.EVALUATION_FACTS_FUNCTION_ID,
            description="Counts case transitions, cards, complaints, ratings and supervision orders into department figures",
            handler=constants.EVALUATION_FACTS_HANDLER,
            layers=workflows.layers,
            environment=environment,
        )
        data.supervision_table.grant_read_write_data(self.facts_function)
        data.cases_table.grant_read_data(self.facts_function)
        data.catalog_table.grant_read_data(self.facts_function)
        self.facts_rule = events.Rule(
            scope,
            constants.EVALUATION_FACTS_RULE_ID,
            description="Every evaluation fact on the domain bus is counted once",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE], detail_type=FACT_DETAIL_TYPES),
            targets=[targets.LambdaFunction(self.facts_function, retry_attempts=8)],
        )

        self.close_function = python_function(
            scope,
            constants.EVALUATION_CLOSE_FUNCTION_ID,
            description="Stores the immutable scores of the month (quarter, year) just ended",
            handler=constants.EVALUATION_CLOSE_HANDLER,
            layers=workflows.layers,
            environment={**environment, constants.EnvKeys.EVENT_BUS: data.event_bus.event_bus_name},
        )
        cfn_function(self.close_function).add_property_override("Timeout", 300)
        data.supervision_table.grant_read_write_data(self.close_function)
        data.catalog_table.grant_read_data(self.close_function)
        data.event_bus.grant_put_events_to(self.close_function)  # EvaluationSnapshotTaken, sent upward
        self.close_schedule = events.Rule(
            scope,
            constants.EVALUATION_CLOSE_SCHEDULE_ID,
            description="Closes the evaluation month at 00:30 on the 1st, city time (Asia/Shanghai)",
            schedule=events.Schedule.cron(**constants.EVALUATION_CLOSE_CRON),
            targets=[targets.LambdaFunction(self.close_function, retry_attempts=4)],
        )
        for function in (self.facts_function, self.close_function):
            acknowledge_index_queries(function, data.cases_table, data.catalog_table, data.supervision_table)
