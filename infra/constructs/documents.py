"""The documents function (文书) and its rule on the domain bus: every case transition; the
function issues a document for those that call for one (sunlight/rules/documents.py)."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import python_function
from infra.nag import acknowledge, acknowledge_index_queries, wildcard_under
from sunlight.models.events import CASE_TRANSITIONED


class Documents:
    def __init__(self, scope: Construct, *, data: Data, layers: list[lambda_.ILayerVersion]) -> None:
        self.function = python_function(
            scope,
            constants.DOCUMENTS_FUNCTION_ID,
            description="Issues the documents (文书) of case transitions as numbered PDFs stored with the case",
            handler=constants.DOCUMENTS_HANDLER,
            layers=layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.ATTACHMENTS_BUCKET: data.attachments_bucket.bucket_name,
            },
        )
        # Reads the case and the counters, writes the counters and the document records (Cases: a
        # transaction of an update and a conditional put, then a put; nothing deleted); reads the
        # department's short name (Catalog); writes the PDFs under documents/ only.
        self.function.add_to_role_policy(iam.PolicyStatement(
            actions=["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            resources=[data.cases_table.table_arn],  # the table only: issuing queries no index
        ))
        data.catalog_table.grant_read_data(self.function)
        self.function.add_to_role_policy(iam.PolicyStatement(
            actions=["s3:PutObject"], resources=[data.attachments_bucket.arn_for_objects(f"{constants.DOCUMENTS_PREFIX}*")]
        ))
        acknowledge_index_queries(self.function, data.catalog_table)
        acknowledge(
            self.function,
            "Document keys are per case and event: the function writes objects under documents/* only.",
            wildcard_under(data.attachments_bucket, f"/{constants.DOCUMENTS_PREFIX}*"),
        )
        self.rule = events.Rule(
            scope,
            constants.DOCUMENTS_RULE_ID,
            description="Every case transition: the documents it issues are numbered, rendered and stored",
            event_bus=data.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE], detail_type=[CASE_TRANSITIONED]),
            targets=[targets.LambdaFunction(self.function, retry_attempts=8)],
        )
