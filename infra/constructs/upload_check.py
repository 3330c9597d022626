"""The upload check (上传文件校验): every object created under `uploads/` in the attachments bucket
is checked against its declared type by functions/upload_check/handler.py; a failure is moved to
`quarantine/` and marked 校验未通过 on the case views.

Grants are exactly what the check does: read the upload (and its version), copy it under
quarantine/, delete the upload's version, and put the verdict (Cases table) and the uploader's
notification (Supervision table). The API's role may not read quarantine/, so no presigned link
can reach a quarantined file.
"""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import python_function
from infra.nag import acknowledge, wildcard_under
from sunlight.adapters.s3_attachments import QUARANTINE_PREFIX

if QUARANTINE_PREFIX != constants.QUARANTINE_PREFIX:
    raise RuntimeError("infra/constants.py QUARANTINE_PREFIX and the S3 adapter disagree")

# What S3 sends to EventBridge for a new object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
OBJECT_CREATED_DETAIL_TYPE = "Object Created"


class UploadCheck:
    def __init__(
        self, scope: Construct, *, data: Data, layers: list[lambda_.ILayerVersion], api_function: lambda_.IFunction
    ) -> None:
        bucket = data.attachments_bucket
        self.function = python_function(
            scope,
            constants.UPLOAD_CHECK_FUNCTION_ID,
            description="Checks each upload's bytes against its declared type; quarantines failures",
            handler=constants.UPLOAD_CHECK_HANDLER,
            layers=layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,  # required by Settings; not read
                constants.EnvKeys.SUPERVISION_TABLE: data.supervision_table.table_name,
                constants.EnvKeys.ATTACHMENTS_BUCKET: bucket.bucket_name,
            },
        )
        uploads = bucket.arn_for_objects(f"{constants.UPLOADS_PREFIX}*")
        self.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                resources=[uploads],
            )
        )
        self.function.add_to_role_policy(
            iam.PolicyStatement(actions=["s3:PutObject"], resources=[bucket.arn_for_objects(f"{constants.QUARANTINE_PREFIX}*")])
        )
        # The verdict (conditional put, alone or in a transaction with the notification).
        self.function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["dynamodb:PutItem"], resources=[data.cases_table.table_arn, data.supervision_table.table_arn]
            )
        )
        # The bucket (data stack) sends its events to EventBridge; this rule (here, with the function)
        # picks the uploads. A bucket notification naming the function would make the data stack
        # depend on this one.
        self.rule = events.Rule(
            scope,
            constants.UPLOAD_CHECK_RULE_ID,
            description="Every new object under uploads/ in the attachments bucket is checked",
            event_pattern=events.EventPattern(
                source=["aws.s3"],
                detail_type=[OBJECT_CREATED_DETAIL_TYPE],
                detail={"bucket": {"name": [bucket.bucket_name]}, "object": {"key": [{"prefix": constants.UPLOADS_PREFIX}]}},
            ),
            targets=[targets.LambdaFunction(self.function, retry_attempts=4)],
        )
        # Presigned GETs are signed with the API's role: it never reads a quarantined file.
        api_function.add_to_role_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY,
                actions=["s3:GetObject*"],
                resources=[bucket.arn_for_objects(f"{constants.QUARANTINE_PREFIX}*")],
            )
        )
        acknowledge(
            self.function,
            "Upload keys are per user and per upload: the check reads and deletes objects under "
            "uploads/* and writes copies under quarantine/* only.",
            wildcard_under(bucket, f"/{constants.UPLOADS_PREFIX}*"),
            wildcard_under(bucket, f"/{constants.QUARANTINE_PREFIX}*"),
        )
