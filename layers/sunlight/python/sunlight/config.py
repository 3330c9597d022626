"""Settings read from the Lambda environment, as pydantic models.

The env-var keys live here once; `infra/constants.py` re-exports them so the CDK stack and
the code that reads them cannot disagree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class EnvKeys:
    CASES_TABLE = "CASES_TABLE_NAME"
    CATALOG_TABLE = "CATALOG_TABLE_NAME"
    SUPERVISION_TABLE = "SUPERVISION_TABLE_NAME"
    USER_POOL_ID = "USER_POOL_ID"  # functions that read or manage users (inspector watch, admin)
    ATTACHMENTS_BUCKET = "ATTACHMENTS_BUCKET_NAME"
    EVENT_BUS = "EVENT_BUS_NAME"
    # {"<flow pattern>": "<state machine ARN>"} as JSON: one state machine per pattern.
    FLOW_STATE_MACHINES = "FLOW_STATE_MACHINES"
    ALLOWED_ORIGINS = "ALLOWED_ORIGINS"
    UPLOAD_MAX_BYTES = "UPLOAD_MAX_BYTES"
    UPLOAD_URL_TTL_SECONDS = "UPLOAD_URL_TTL_SECONDS"
    REMINDER_TOPIC = "REMINDER_TOPIC_ARN"
    YELLOW_TOPIC = "YELLOW_CARD_TOPIC_ARN"
    RED_TOPIC = "RED_CARD_TOPIC_ARN"
    ANOMALY_TOPIC = "ANOMALY_TOPIC_ARN"
    INSPECTOR_IDLE_DAYS = "INSPECTOR_IDLE_DAYS"  # flag an inspector with no logged action for N days
    INSPECTOR_UNHANDLED_WORKING_DAYS = "INSPECTOR_UNHANDLED_WORKING_DAYS"  # ... or warnings left issued M working days
    COMPLAINT_LIMIT_DAYS = "COMPLAINT_LIMIT_DAYS"  # "accept,dispatch,answer,conclude" working days
    # Verifying the inspector log: the API hands runs to this function (name); it verifies this
    # many records per segment (progress saved after each) and per invocation.
    LOG_VERIFY_FUNCTION = "LOG_VERIFY_FUNCTION_NAME"
    LOG_VERIFY_SEGMENT_RECORDS = "LOG_VERIFY_SEGMENT_RECORDS"
    LOG_VERIFY_RECORDS_PER_INVOCATION = "LOG_VERIFY_RECORDS_PER_INVOCATION"
    # The inspector log's external anchors (Object Lock): log_anchor writes them, log_verify reads them.
    LOG_ANCHORS_BUCKET = "LOG_ANCHORS_BUCKET_NAME"
    # Set only by the local runner (infra/local): a file holding the demo clock's offset.
    LOCAL_CLOCK_FILE = "SUNLIGHT_LOCAL_CLOCK_FILE"
    # The API's page cursors are signed with this Secrets Manager secret (CDK generates it; the
    # local runner makes its own). Without it the API makes and reads no cursor: no fallback key.
    CURSOR_KEY_SECRET = "CURSOR_KEY_SECRET_ARN"
    # The outbound exchange (infra/constructs/exchange.py; CDK context exchangeEndpoint, exchangeEnabled,
    # exchangeSecretName): the outbox table and FIFO queue, the receiver, the HMAC key's secret.
    EXCHANGE_TABLE = "EXCHANGE_TABLE_NAME"
    EXCHANGE_QUEUE_URL = "EXCHANGE_QUEUE_URL"
    EXCHANGE_ENDPOINT = "EXCHANGE_ENDPOINT"
    EXCHANGE_ENABLED = "EXCHANGE_ENABLED"
    EXCHANGE_SECRET = "EXCHANGE_SECRET_ID"
    EXCHANGE_PLATFORM_ID = "EXCHANGE_PLATFORM_ID"
    EXCHANGE_TIMEOUT_SECONDS = "EXCHANGE_TIMEOUT_SECONDS"
    EXCHANGE_BACKOFF_BASE_SECONDS = "EXCHANGE_BACKOFF_BASE_SECONDS"
    EXCHANGE_BACKOFF_CAP_SECONDS = "EXCHANGE_BACKOFF_CAP_SECONDS"
    EXCHANGE_MAX_RECEIVES = "EXCHANGE_MAX_RECEIVES"
    # Powertools' own keys; the overview reads the metrics back from the same namespace.
    METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE"
    SERVICE_NAME = "POWERTOOLS_SERVICE_NAME"
    LOG_LEVEL = "POWERTOOLS_LOG_LEVEL"


DEFAULT_METRICS_NAMESPACE = "Sunlight"


class Settings(BaseModel):
    """Everything the composition root may read from an environment (bootstrap.py). Each
    function's own model below says which of these its environment must hold."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    # Not required: the citizen sign-up trigger has no table (its pool comes in the event), and
    # each function has only its own environment (its template's).
    cases_table: str = Field(default="", alias=EnvKeys.CASES_TABLE)
    catalog_table: str = Field(default="", alias=EnvKeys.CATALOG_TABLE)
    supervision_table: str = Field(default="", alias=EnvKeys.SUPERVISION_TABLE)
    user_pool_id: str = Field(default="", alias=EnvKeys.USER_POOL_ID)
    attachments_bucket: str = Field(default="", alias=EnvKeys.ATTACHMENTS_BUCKET)
    event_bus: str = Field(default="", alias=EnvKeys.EVENT_BUS)
    flow_state_machines: str = Field(default="", alias=EnvKeys.FLOW_STATE_MACHINES)
    allowed_origins: str = Field(default="*", alias=EnvKeys.ALLOWED_ORIGINS)
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, alias=EnvKeys.UPLOAD_MAX_BYTES, gt=0)
    upload_url_ttl_seconds: int = Field(default=300, alias=EnvKeys.UPLOAD_URL_TTL_SECONDS, gt=0, le=3600)
    reminder_topic_arn: str = Field(default="", alias=EnvKeys.REMINDER_TOPIC)
    yellow_topic_arn: str = Field(default="", alias=EnvKeys.YELLOW_TOPIC)
    red_topic_arn: str = Field(default="", alias=EnvKeys.RED_TOPIC)
    anomaly_topic_arn: str = Field(default="", alias=EnvKeys.ANOMALY_TOPIC)
    local_clock_file: str = Field(default="", alias=EnvKeys.LOCAL_CLOCK_FILE)
    inspector_idle_days: int = Field(default=3, alias=EnvKeys.INSPECTOR_IDLE_DAYS, ge=1, le=60)
    inspector_unhandled_working_days: int = Field(default=2, alias=EnvKeys.INSPECTOR_UNHANDLED_WORKING_DAYS, ge=1, le=30)
    complaint_limit_days: str = Field(default="", alias=EnvKeys.COMPLAINT_LIMIT_DAYS, pattern=r"^(\d+,\d+,\d+,\d+)?$")
    log_verify_function: str = Field(default="", alias=EnvKeys.LOG_VERIFY_FUNCTION)
    log_verify_segment_records: int = Field(default=2_000, alias=EnvKeys.LOG_VERIFY_SEGMENT_RECORDS, ge=1, le=20_000)
    log_verify_records_per_invocation: int = Field(default=100_000, alias=EnvKeys.LOG_VERIFY_RECORDS_PER_INVOCATION, ge=1)
    log_anchors_bucket: str = Field(default="", alias=EnvKeys.LOG_ANCHORS_BUCKET)
    metrics_namespace: str = Field(default=DEFAULT_METRICS_NAMESPACE, alias=EnvKeys.METRICS_NAMESPACE, min_length=1)
    cursor_key_secret_arn: str = Field(default="", alias=EnvKeys.CURSOR_KEY_SECRET)
    exchange_table: str = Field(default="", alias=EnvKeys.EXCHANGE_TABLE)
    exchange_queue_url: str = Field(default="", alias=EnvKeys.EXCHANGE_QUEUE_URL)
    exchange_endpoint: str = Field(default="", alias=EnvKeys.EXCHANGE_ENDPOINT)
    exchange_enabled: bool = Field(default=False, alias=EnvKeys.EXCHANGE_ENABLED)
    exchange_secret_id: str = Field(default="", alias=EnvKeys.EXCHANGE_SECRET)
    exchange_platform_id: str = Field(default="420700", alias=EnvKeys.EXCHANGE_PLATFORM_ID, pattern=r"^\d{6}(\d{3}){0,2}$")
    exchange_timeout_seconds: float = Field(default=10.0, alias=EnvKeys.EXCHANGE_TIMEOUT_SECONDS, gt=0, le=60)
    exchange_backoff_base_seconds: int = Field(default=10, alias=EnvKeys.EXCHANGE_BACKOFF_BASE_SECONDS, ge=0)
    exchange_backoff_cap_seconds: int = Field(default=900, alias=EnvKeys.EXCHANGE_BACKOFF_CAP_SECONDS, ge=0, le=43_200)
    exchange_max_receives: int = Field(default=8, alias=EnvKeys.EXCHANGE_MAX_RECEIVES, ge=1, le=1000)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if env is None else env
        keys = {field.alias for field in cls.model_fields.values()}
        return cls.model_validate({k: v for k, v in source.items() if k in keys})


# --- each function's settings: what its environment must hold, checked at cold start ---------------
#
# A function's model declares every variable its template gives it; those naming a resource it
# uses are required (non-empty), so a function deployed without, e.g., its event bus stops at its
# first invocation with the missing names instead of silently not publishing. Tunables keep the
# defaults of `Settings`. tests/infra/test_infra_function_settings.py checks each function's
# template environment against its model (every required variable present, none unknown).


_PROBLEM = {"missing": "missing", "string_too_short": "empty"}


class SettingsMissing(RuntimeError):
    """A function's environment lacks (or has an invalid) variable its settings require."""


class FunctionSettings(BaseModel):
    """The variables every function may have: Powertools' and the local runner's clock."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    service_name: str = Field(default="", alias=EnvKeys.SERVICE_NAME)
    log_level: str = Field(default="INFO", alias=EnvKeys.LOG_LEVEL)
    metrics_namespace: str = Field(default=DEFAULT_METRICS_NAMESPACE, alias=EnvKeys.METRICS_NAMESPACE, min_length=1)
    local_clock_file: str = Field(default="", alias=EnvKeys.LOCAL_CLOCK_FILE)

    @classmethod
    def keys(cls) -> frozenset[str]:
        """The environment variables this model reads."""
        return frozenset(str(field.alias) for field in cls.model_fields.values())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        """The settings from `env` (the process environment by default); raises SettingsMissing
        naming every variable that is missing or invalid."""
        source = os.environ if env is None else env
        keys = cls.keys()
        try:
            return cls.model_validate({k: v for k, v in source.items() if k in keys})
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {_PROBLEM.get(e['type'], e['msg'])}" for e in error.errors()
            )
            raise SettingsMissing(f"{cls.__name__}: the function's environment is incomplete: {problems}") from None


@cache
def require_environment(model: type[FunctionSettings]) -> FunctionSettings:
    """Checks the process environment against a function's model, once per Lambda container
    (its first invocation); raises SettingsMissing. Handlers call it before any use case."""
    return model.from_env()


class CitizenSignupSettings(FunctionSettings):
    """The post-confirmation trigger: no table; its pool comes in the event."""


class OperationalMetricsSettings(FunctionSettings):
    """Writes EMF to its log only."""


class TableSettings(FunctionSettings):
    cases_table: str = Field(alias=EnvKeys.CASES_TABLE, min_length=1)
    catalog_table: str = Field(alias=EnvKeys.CATALOG_TABLE, min_length=1)  # the calendar and the catalog


class CalendarRecomputeSettings(TableSettings):
    pass


class FlowStepSettings(TableSettings):
    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)


class SupervisionTableSettings(TableSettings):
    supervision_table: str = Field(alias=EnvKeys.SUPERVISION_TABLE, min_length=1)


class EvaluationSettings(SupervisionTableSettings):
    """The evaluation consumer and the monthly close."""


class EvaluationCloseSettings(EvaluationSettings):
    """The monthly close: it publishes EvaluationSnapshotTaken (sent upward as evaluation_snapshot)."""

    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)


class UploadCheckSettings(SupervisionTableSettings):
    attachments_bucket: str = Field(alias=EnvKeys.ATTACHMENTS_BUCKET, min_length=1)


class LogVerifySettings(SupervisionTableSettings):
    log_verify_segment_records: int = Field(default=2_000, alias=EnvKeys.LOG_VERIFY_SEGMENT_RECORDS, ge=1, le=20_000)
    log_verify_records_per_invocation: int = Field(default=100_000, alias=EnvKeys.LOG_VERIFY_RECORDS_PER_INVOCATION, ge=1)
    # Required: without the anchors an intact chain could still have been cut off at its end.
    log_anchors_bucket: str = Field(alias=EnvKeys.LOG_ANCHORS_BUCKET, min_length=1)


class LogAnchorSettings(SupervisionTableSettings):
    """Reads the log's head, writes it to the anchors bucket, publishes InspectorLogAnchored."""

    log_anchors_bucket: str = Field(alias=EnvKeys.LOG_ANCHORS_BUCKET, min_length=1)
    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)


class InspectorWatchSettings(SupervisionTableSettings):
    user_pool_id: str = Field(alias=EnvKeys.USER_POOL_ID, min_length=1)
    inspector_idle_days: int = Field(default=3, alias=EnvKeys.INSPECTOR_IDLE_DAYS, ge=1, le=60)
    inspector_unhandled_working_days: int = Field(default=2, alias=EnvKeys.INSPECTOR_UNHANDLED_WORKING_DAYS, ge=1, le=30)


class WarningSettings(SupervisionTableSettings):
    """Issues warnings: publishes them on the bus and mails each level to its topic."""

    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)
    reminder_topic_arn: str = Field(alias=EnvKeys.REMINDER_TOPIC, min_length=1)
    yellow_topic_arn: str = Field(alias=EnvKeys.YELLOW_TOPIC, min_length=1)
    red_topic_arn: str = Field(alias=EnvKeys.RED_TOPIC, min_length=1)
    anomaly_topic_arn: str = Field(alias=EnvKeys.ANOMALY_TOPIC, min_length=1)


class AnomalyCheckSettings(WarningSettings):
    pass


class DocumentsSettings(TableSettings):
    """Issues the documents (文书): reads the case and its department, numbers and records the
    document in the Cases table, puts its PDF in the attachments bucket."""

    attachments_bucket: str = Field(alias=EnvKeys.ATTACHMENTS_BUCKET, min_length=1)


class DeadlineCheckSettings(WarningSettings):
    flow_state_machines: str = Field(alias=EnvKeys.FLOW_STATE_MACHINES, min_length=2)  # a 补正 wait that ran out ends its step


class InboundExchangeSettings(SupervisionTableSettings):
    """The inbound exchange (reports from other systems, orders from above): the tables (reported
    cases, the catalog, held messages and the quarantine in the supervision table) and the bus
    (reported transitions and order facts are published like native ones); the API's cursor key
    signs the quarantine list's page cursors."""

    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)
    cursor_key_secret_arn: str = Field(alias=EnvKeys.CURSOR_KEY_SECRET, min_length=1)


class ApiSettings(SupervisionTableSettings):
    """What every API function reads: the tables (revoked sign-ins and the inspector log are in
    the supervision table), the origins CORS names and the key that signs page cursors."""

    allowed_origins: str = Field(alias=EnvKeys.ALLOWED_ORIGINS, min_length=1)  # no default "*": CORS fails closed
    cursor_key_secret_arn: str = Field(alias=EnvKeys.CURSOR_KEY_SECRET, min_length=1)


class PublicApiSettings(ApiSettings):
    """The catalog, tracking, public evaluation and surveys: reads only (and tracking's lockout)."""


class _AttachmentsApiSettings(ApiSettings):
    """The functions that sign uploads or downloads of attachments and publish to the bus."""

    attachments_bucket: str = Field(alias=EnvKeys.ATTACHMENTS_BUCKET, min_length=1)
    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)
    upload_max_bytes: int = Field(default=10 * 1024 * 1024, alias=EnvKeys.UPLOAD_MAX_BYTES, gt=0)
    upload_url_ttl_seconds: int = Field(default=300, alias=EnvKeys.UPLOAD_URL_TTL_SECONDS, gt=0, le=3600)


class CitizenApiSettings(_AttachmentsApiSettings):
    """Applications, uploads, supplements, complaints, ratings, answers, the account."""

    flow_state_machines: str = Field(alias=EnvKeys.FLOW_STATE_MACHINES, min_length=2)
    complaint_limit_days: str = Field(default="", alias=EnvKeys.COMPLAINT_LIMIT_DAYS, pattern=r"^(\d+,\d+,\d+,\d+)?$")


class OfficeApiSettings(_AttachmentsApiSettings):
    """Worklists, the staff's actions and attachments, window intake, procedures, extensions."""

    flow_state_machines: str = Field(alias=EnvKeys.FLOW_STATE_MACHINES, min_length=2)


class SupervisionApiSettings(_AttachmentsApiSettings):  # complaint attachments
    """Warnings, orders, complaint handling, surveys, evaluation, monitoring, the inspector log."""

    user_pool_id: str = Field(alias=EnvKeys.USER_POOL_ID, min_length=1)  # a department's staff (责任认定)
    log_verify_function: str = Field(alias=EnvKeys.LOG_VERIFY_FUNCTION, min_length=1)
    complaint_limit_days: str = Field(default="", alias=EnvKeys.COMPLAINT_LIMIT_DAYS, pattern=r"^(\d+,\d+,\d+,\d+)?$")


class AdminApiSettings(ApiSettings):
    """The catalog, departments, users and roles, the calendar, evaluation weights and periods."""

    event_bus: str = Field(alias=EnvKeys.EVENT_BUS, min_length=1)  # calendar edits: the recompute follows
    user_pool_id: str = Field(alias=EnvKeys.USER_POOL_ID, min_length=1)


class ExchangeOutboxSettings(TableSettings):
    """The exchange's outbox: maps bus facts (a department's government from the catalog), stores
    them in the Exchange table and queues them."""

    exchange_table: str = Field(alias=EnvKeys.EXCHANGE_TABLE, min_length=1)
    exchange_queue_url: str = Field(alias=EnvKeys.EXCHANGE_QUEUE_URL, min_length=1)
    exchange_platform_id: str = Field(alias=EnvKeys.EXCHANGE_PLATFORM_ID, min_length=1, pattern=r"^\d{6}(\d{3}){0,2}$")


class ExchangeSendSettings(FunctionSettings):
    """The exchange's sender: signs and POSTs the queued messages, records the acknowledgements."""

    exchange_table: str = Field(alias=EnvKeys.EXCHANGE_TABLE, min_length=1)
    exchange_queue_url: str = Field(alias=EnvKeys.EXCHANGE_QUEUE_URL, min_length=1)
    exchange_endpoint: str = Field(alias=EnvKeys.EXCHANGE_ENDPOINT, min_length=1, pattern=r"^https?://")
    exchange_secret_id: str = Field(alias=EnvKeys.EXCHANGE_SECRET, min_length=1)
    exchange_timeout_seconds: float = Field(default=10.0, alias=EnvKeys.EXCHANGE_TIMEOUT_SECONDS, gt=0, le=60)
    exchange_backoff_base_seconds: int = Field(default=10, alias=EnvKeys.EXCHANGE_BACKOFF_BASE_SECONDS, ge=0)
    exchange_backoff_cap_seconds: int = Field(default=900, alias=EnvKeys.EXCHANGE_BACKOFF_CAP_SECONDS, ge=0, le=43_200)
    exchange_max_receives: int = Field(default=8, alias=EnvKeys.EXCHANGE_MAX_RECEIVES, ge=1, le=1000)  # = the redrive policy


class ExchangeReconcileSettings(FunctionSettings):
    """The daily reconciliation: reads the Exchange table, writes the figures to the Supervision table."""

    exchange_table: str = Field(alias=EnvKeys.EXCHANGE_TABLE, min_length=1)
    supervision_table: str = Field(alias=EnvKeys.SUPERVISION_TABLE, min_length=1)
    exchange_endpoint: str = Field(default="", alias=EnvKeys.EXCHANGE_ENDPOINT)  # shown on the page (its host)
    exchange_enabled: bool = Field(default=False, alias=EnvKeys.EXCHANGE_ENABLED)
