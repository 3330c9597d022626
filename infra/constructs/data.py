"""Tables, the attachments bucket, the inspector log's anchors bucket and the domain event bus
with its audit trail."""

from __future__ import annotations

from aws_cdk import Aws, Duration, RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra import constants
from infra.nag import LAMBDA_BASIC_EXECUTION_ROLE, WILDCARD_RESOURCE, acknowledge, stack_children

# Audit records of approvals outlive operational logs; five years covers the review periods
# of the supervision bureau.
AUDIT_TRAIL_RETENTION = logs.RetentionDays.FIVE_YEARS
# CDK's singleton that writes the bucket's notification configuration (EventBridge on) at deploy time.
NOTIFICATIONS_HANDLER_PREFIX = "BucketNotificationsHandler"


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def _record_table(scope: Construct, construct_id: str, *, time_to_live_attribute: str | None = None) -> dynamodb.Table:
    """A pk/sk table holding government records: kept on stack deletion, recoverable to the second."""
    return dynamodb.Table(
        scope,
        construct_id,
        partition_key=_string_key("pk"),
        sort_key=_string_key("sk"),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        encryption=dynamodb.TableEncryption.AWS_MANAGED,
        removal_policy=RemovalPolicy.RETAIN,
        time_to_live_attribute=time_to_live_attribute,
    )


def _add_index(table: dynamodb.Table, index_name: str, key_prefix: str) -> None:
    """A GSI keyed on `{key_prefix}_pk` / `{key_prefix}_sk` (see infra/constants.py)."""
    table.add_global_secondary_index(
        index_name=index_name,
        partition_key=_string_key(f"{key_prefix}_pk"),
        sort_key=_string_key(f"{key_prefix}_sk"),
        projection_type=dynamodb.ProjectionType.ALL,
    )


class Data:
    def __init__(self, scope: Construct, *, allowed_origins: list[str]) -> None:
        # Only short-lived counters carry the TTL attribute (the tracking lockout's): records never do.
        self.cases_table = _record_table(scope, constants.CASES_TABLE_ID, time_to_live_attribute=constants.CASES_TTL_ATTRIBUTE)
        _add_index(self.cases_table, constants.CASES_WORKLIST_INDEX, "worklist")
        _add_index(self.cases_table, constants.CASES_APPLICANT_INDEX, "applicant")
        _add_index(self.cases_table, constants.CASES_ALARM_INDEX, "alarm")
        _add_index(self.cases_table, constants.CASES_SUPERVISION_INDEX, "supervision")
        _add_index(self.cases_table, constants.CASES_DEPARTMENT_INDEX, "department")

        self.catalog_table = _record_table(scope, constants.CATALOG_TABLE_ID)
        _add_index(self.catalog_table, constants.CATALOG_LISTING_INDEX, "listing")

        self.supervision_table = _record_table(scope, constants.SUPERVISION_TABLE_ID)
        _add_index(self.supervision_table, constants.SUPERVISION_LISTING_INDEX, "listing")
        _add_index(self.supervision_table, constants.SUPERVISION_OWNER_INDEX, "owner")

        # The exchange's outbox: messages to the higher-level platform (expire after 400 days).
        self.exchange_table = _record_table(scope, constants.EXCHANGE_TABLE_ID, time_to_live_attribute=constants.EXCHANGE_TTL_ATTRIBUTE)
        _add_index(self.exchange_table, constants.EXCHANGE_DAY_INDEX, "day")
        _add_index(self.exchange_table, constants.EXCHANGE_ENTITY_INDEX, "entity")

        self.access_logs_bucket = self._access_logs_bucket(scope)
        self.attachments_bucket = self._attachments_bucket(scope, allowed_origins)
        self.log_anchors_bucket = self._log_anchors_bucket(scope)

        self.event_bus = events.EventBus(scope, constants.EVENT_BUS_ID)
        # Every domain event is the record of a case step: keep them all for replay.
        self.event_bus.archive(
            f"{constants.EVENT_BUS_ID}Archive",
            description="All Sunlight domain events, kept for replay and audit",
            event_pattern=events.EventPattern(account=[Aws.ACCOUNT_ID]),
        )
        self.audit_trail_log_group = logs.LogGroup(
            scope,
            "AuditTrailLogs",
            retention=AUDIT_TRAIL_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.audit_trail_rule = events.Rule(
            scope,
            "AuditTrailRule",
            description="Copies every approval event to the audit-trail log group (实时监控)",
            event_bus=self.event_bus,
            event_pattern=events.EventPattern(source=[constants.DOMAIN_EVENT_SOURCE]),
            targets=[targets.CloudWatchLogGroup(self.audit_trail_log_group)],
        )
        self._acknowledge_log_group_target_findings(scope)
        for handler in stack_children(scope, NOTIFICATIONS_HANDLER_PREFIX):
            acknowledge(
                handler,
                "CDK's bucket-notifications handler runs only at deploy time to write the bucket's "
                "notification configuration; s3:PutBucketNotification takes no narrower resource in "
                "CDK's singleton role, and the function only writes its own logs otherwise.",
                LAMBDA_BASIC_EXECUTION_ROLE,
                WILDCARD_RESOURCE,
            )

    @staticmethod
    def _acknowledge_log_group_target_findings(scope: Construct) -> None:
        """The log-group target installs a CDK custom resource that puts a logs resource policy."""
        for policy_resource in stack_children(scope, "EventsLogGroupPolicy"):
            acknowledge(
                policy_resource,
                "logs:PutResourcePolicy and logs:DeleteResourcePolicy have no resource-level "
                "permissions; CDK's log-group event target needs them to let EventBridge write.",
                WILDCARD_RESOURCE,
            )
        # AwsCustomResource's singleton provider is named "AWS" + its UUID without dashes.
        provider_id = "AWS" + cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", "")
        for provider in stack_children(scope, provider_id):
            acknowledge(
                provider,
                "CDK's AwsCustomResource provider function only writes its own logs.",
                LAMBDA_BASIC_EXECUTION_ROLE,
            )

    @staticmethod
    def _access_logs_bucket(scope: Construct) -> s3.Bucket:
        bucket = s3.Bucket(
            scope,
            "AccessLogsBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # CloudFront standard logging writes with ACLs, so this bucket keeps them enabled.
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(400))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            bucket,
            "This is the access-log destination; logging it into itself would loop.",
            "AwsSolutions-S1",
        )
        return bucket

    def _log_anchors_bucket(self, scope: Construct) -> s3.Bucket:
        """The inspector log's external anchors (监察日志外部锚点): every object version is locked in
        compliance mode for LOG_ANCHOR_RETENTION_DAYS from its write (the bucket's default
        retention), so an anchor cannot be deleted or overwritten by anyone, operators included,
        while the log's table can be edited by whoever administers it (infra/constants.py)."""
        return s3.Bucket(
            scope,
            constants.LOG_ANCHORS_BUCKET_ID,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,  # Object Lock locks versions
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(constants.LOG_ANCHOR_RETENTION_DAYS)),
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_logs_bucket,
            server_access_logs_prefix=f"s3/{constants.LOG_ANCHORS_BUCKET_ID}/",
            removal_policy=RemovalPolicy.RETAIN,
        )

    def _attachments_bucket(self, scope: Construct, allowed_origins: list[str]) -> s3.Bucket:
        return s3.Bucket(
            scope,
            constants.ATTACHMENTS_BUCKET_ID,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            # Browsers upload with presigned POSTs and download with presigned GETs.
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.GET, s3.HttpMethods.PUT],
                    allowed_origins=allowed_origins,
                    allowed_headers=["*"],
                    exposed_headers=["ETag"],
                    max_age=3000,
                )
            ],
            lifecycle_rules=[s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(1))],
            server_access_logs_bucket=self.access_logs_bucket,
            server_access_logs_prefix=f"s3/{constants.ATTACHMENTS_BUCKET_ID}/",
            removal_policy=RemovalPolicy.RETAIN,
            # New objects go to EventBridge, where the upload check's rule (compute stack) picks
            # them: a notification naming the function would tie this stack to that one.
            event_bridge_enabled=True,
        )
