"""Names shared by the CDK stack, the local runner and the tests: one place, no drift."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sunlight.adapters.cognito_admin import COGNITO_ACTIONS as USER_ADMIN_ACTIONS  # noqa: F401  (the calls the API may make on the pool)
from sunlight.adapters.dynamodb_tracking_guard import KEY_PREFIX as TRACK_GUARD_KEY_PREFIX  # noqa: F401  (the public function's only write)
from sunlight.config import DEFAULT_METRICS_NAMESPACE, EnvKeys  # noqa: F401  (re-exported: env-var keys have one home)

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
LAYER_DIR = ROOT / "layers" / "sunlight"
DEPS_LAYER_DIR = ROOT / "build" / "deps-layer"
STATEMACHINES_DIR = ROOT / "statemachines"
WEB_DIST_DIR = ROOT / "web" / "dist"
WEB_PLACEHOLDER_DIR = ROOT / "web" / "placeholder"  # deployed while web/dist is not built

# The Lambda runtime and architecture; the deps layer is built for exactly these.
LAMBDA_PYTHON_VERSION = "3.12"
LAMBDA_PLATFORM = "manylinux2014_aarch64"

# The app's stacks (infra/stack.py), in deployment order: data first, monitoring last. Data holds
# what must outlive everything else (tables, buckets, user pool, keys, topics); the other stacks can
# be destroyed and deployed again without touching it (README, "Deploying").
STACK_NAME = "Sunlight"  # the prefix of every stack name
DATA_STACK_NAME = f"{STACK_NAME}Data"
COMPUTE_STACK_NAME = f"{STACK_NAME}Compute"
API_STACK_NAME = f"{STACK_NAME}Api"
# The API's methods, deployment and stage: CloudFormation counts each method as a resource, so the
# routes live apart from the RestApi's resource tree to keep both stacks well under 300 resources.
API_ROUTES_STACK_NAME = f"{STACK_NAME}ApiRoutes"
# The machine-to-machine exchange: its own RestApi for other systems (infra/constructs/exchange_inbound.py).
EXCHANGE_STACK_NAME = f"{STACK_NAME}Exchange"
WEB_STACK_NAME = f"{STACK_NAME}Web"
MONITORING_STACK_NAME = f"{STACK_NAME}Monitoring"
STACK_NAMES = (DATA_STACK_NAME, COMPUTE_STACK_NAME, API_STACK_NAME, API_ROUTES_STACK_NAME, EXCHANGE_STACK_NAME,
               WEB_STACK_NAME, MONITORING_STACK_NAME)
SERVICE_NAME = "sunlight"
METRICS_NAMESPACE = DEFAULT_METRICS_NAMESPACE  # where the handlers put metrics and the overview reads them

# Construct ids of the resources that the local runner and the tests look up by logical id prefix.
CASES_TABLE_ID = "CasesTable"
CATALOG_TABLE_ID = "CatalogTable"
SUPERVISION_TABLE_ID = "SupervisionTable"
ATTACHMENTS_BUCKET_ID = "AttachmentsBucket"
LOG_ANCHORS_BUCKET_ID = "LogAnchorsBucket"
EVENT_BUS_ID = "DomainEventBus"
USER_POOL_ID = "StaffUserPool"
USER_POOL_CLIENT_ID = "WebClient"
STANDARD_FLOW_ID = "StandardApprovalFlow"
# One state machine per flow pattern (sunlight.models.flow.FlowPattern): construct id and ASL file.
FLOW_IDS = {
    "instant": "InstantFlow",
    "standard": STANDARD_FLOW_ID,
    "inspection": "InspectionFlow",
    "penalty": "PenaltyFlow",
    "penalty_simple": "PenaltySimpleFlow",
    "joint": "JointFlow",
    "reported": "ReportedFlow",
}
API_ID = "PublicApi"
# Inbound exchange (系统对接·接入): reports from departments' own systems and district platforms,
# 督办 from the higher-level platform. Scopes of the resource server `exchange`: one
# `report.<department>` per department that may be reported for, and `orders` (sunlight.models.inbound).
EXCHANGE_API_ID = "ExchangeApi"
EXCHANGE_INBOUND_FUNCTION_ID = "ExchangeInboundFunction"
EXCHANGE_INBOUND_HANDLER = "exchange_inbound.handler.handler"
EXCHANGE_RESOURCE_SERVER_ID = "ExchangeResourceServer"
EXCHANGE_AUTH_DOMAIN_ID = "ExchangeAuthDomain"
EXCHANGE_AUTH_DOMAIN_CONTEXT_KEY = "exchangeAuthDomainPrefix"  # Cognito domain prefix of the token endpoint
EXCHANGE_REPORT_DEPARTMENTS = (
    "market",  # 市市场监督管理局: its own licensing system (自建系统)
    "echeng-market", "huarong-market", "fenghuang-center", "huarongzhen-center", "binhu-station",
)


@dataclass(frozen=True)
class ExchangeClient:
    """One system's app client (client credentials), and what its scopes let it do."""

    construct_id: str
    client_name: str  # ASCII (Cognito's pattern); the description says who it is
    description: str
    report_departments: tuple[str, ...] = ()
    sends_orders: bool = False


EXCHANGE_CLIENTS = (
    ExchangeClient("EchengMarketSystemClient", "echeng-market-system", "鄂城区市场监督管理局自建审批系统", report_departments=("echeng-market",)),
    ExchangeClient("HuarongPlatformClient", "huarong-district-platform", "华容区政务服务平台",
                   report_departments=("huarong-market", "huarongzhen-center")),
    ExchangeClient("CityMarketSystemClient", "city-market-system", "市市场监督管理局自建审批系统", report_departments=("market",)),
    ExchangeClient("UpperPlatformClient", "upper-supervision-platform", "上级电子监察平台（督办下达）", sends_orders=True),
)
WEB_RESPONSE_HEADERS_POLICY_ID = "WebResponseHeadersPolicy"  # the SPA's security headers and CSP
API_WEB_ACL_ID = "ApiWebAcl"  # WAF in front of the API stage (infra/constructs/api_firewall.py)
API_TRACK_RATE_RULE = "TrackRatePerAddress"
API_RATE_RULE = "ApiRatePerAddress"
API_COMMON_RULES = "AwsCommonRules"
CURSOR_KEY_SECRET_ID = "PageCursorKey"  # signs the API's page cursors (sunlight/services/pagination.py)
FLOW_STEP_FUNCTION_ID = "FlowStepFunction"
DEADLINE_CHECK_FUNCTION_ID = "DeadlineCheckFunction"
ANOMALY_CHECK_FUNCTION_ID = "AnomalyCheckFunction"
DEADLINE_SCHEDULE_ID = "DeadlineCheckSchedule"
ANOMALY_RULE_ID = "AnomalyCheckRule"
WARNING_TOPIC_IDS = {"reminder": "ReminderTopic", "yellow": "YellowCardTopic", "red": "RedCardTopic", "anomaly": "AnomalyTopic"}
DEADLINE_CHECK_RATE_MINUTES = 5

# Lambda handler strings: the same string deploys to AWS and is dispatched locally.
FLOW_STEP_HANDLER = "flow_step.handler.handler"
DEADLINE_CHECK_HANDLER = "deadline_check.handler.handler"
ANOMALY_CHECK_HANDLER = "anomaly_check.handler.handler"

STANDARD_FLOW_ASL = STATEMACHINES_DIR / "standard_approval.asl.json"
FLOW_ASL = {
    "instant": STATEMACHINES_DIR / "instant.asl.json",
    "standard": STANDARD_FLOW_ASL,
    "inspection": STATEMACHINES_DIR / "inspection.asl.json",
    "penalty": STATEMACHINES_DIR / "penalty.asl.json",
    "penalty_simple": STATEMACHINES_DIR / "penalty_simple.asl.json",
    "joint": STATEMACHINES_DIR / "joint_approval.asl.json",
    "reported": STATEMACHINES_DIR / "reported.asl.json",
}

# Table keys and indexes (see README "Data model").
CASES_WORKLIST_INDEX = "worklist"  # worklist_pk = "{department}#{role}", worklist_sk = "{due}#{case}" (sparse)
CASES_APPLICANT_INDEX = "by-applicant"  # applicant_pk = "{user id}", applicant_sk = "{submitted}#{case}"
CASES_ALARM_INDEX = "alarms"  # alarm_pk = "ALARM#{shard}", alarm_sk = "{next alarm, UTC}#{case}" (open cases only)
CASES_SUPERVISION_INDEX = "supervision"  # supervision_pk = "{department}", supervision_sk = "{issued}#{warning}"
CASES_DEPARTMENT_INDEX = "department"  # department_pk = "{department}", department_sk = "{step due, UTC}#{case}" (open cases only)
CASES_TTL_ATTRIBUTE = "expires_at"  # epoch seconds; only on short-lived counters (tracking lockout)
CATALOG_LISTING_INDEX = "listing"  # listing_pk = "ITEM" | "DEPARTMENT", listing_sk = "{department}#{code}"
# Supervision table (督查督办, complaints, ratings, surveys, inspector log, scores): two generic
# indexes, each record kind using its own key prefixes (documented in its adapter).
SUPERVISION_LISTING_INDEX = "listing"  # listing_pk = "{KIND}#{scope}", listing_sk = "{time}#{id}"
SUPERVISION_OWNER_INDEX = "owner"  # owner_pk = "{KIND}#{user or department}", owner_sk = "{time}#{id}"

# Cognito groups (see sunlight.models.roles.Role).
USER_GROUPS = ("citizen", "window", "handler", "reviewer", "leader", "inspector", "admin", "government_leader")
DEPARTMENT_ATTRIBUTE = "department"  # custom:department on staff users
GOVERNMENT_ATTRIBUTE = "government"  # custom:government: an inspector's 监察局 level (行政区划代码)

DOMAIN_EVENT_SOURCE = "sunlight.approval"


@dataclass(frozen=True)
class ApiFunction:
    """One Lambda of the API, serving the routes of one audience (functions/api_<audience>/)."""

    audience: str
    function_id: str
    handler: str
    description: str


API_PUBLIC = ApiFunction("public", "ApiPublicFunction", "api_public.handler.handler",
                         "Serves the public routes: catalog, tracking, published evaluation, open surveys")
API_CITIZEN = ApiFunction("citizen", "ApiCitizenFunction", "api_citizen.handler.handler",
                          "Serves citizens' routes and every signed-in user's account and notifications")
API_OFFICE = ApiFunction("office", "ApiOfficeFunction", "api_office.handler.handler",
                         "Serves the department office's routes: worklists, cases, actions, window intake")
API_SUPERVISION = ApiFunction("supervision", "ApiSupervisionFunction", "api_supervision.handler.handler",
                              "Serves the supervision routes: warnings, orders, complaints, evaluation, the inspector log")
API_ADMIN = ApiFunction("admin", "ApiAdminFunction", "api_admin.handler.handler",
                        "Serves the administration's routes: catalog, departments, users, calendar, weights")
API_FUNCTIONS: tuple[ApiFunction, ...] = (API_PUBLIC, API_CITIZEN, API_OFFICE, API_SUPERVISION, API_ADMIN)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    authenticated: bool
    function: ApiFunction  # the one function that serves it (every route has exactly one)


# Every API route and the function that serves it. The stack creates exactly these methods, each
# integrated with its function; each function's resolver serves exactly its routes (a unit test
# compares both with this table). Routes several audiences use go where most of their callers are:
# /me, signing out and notifications to the citizens' function, a case's dossier (read by
# inspectors too) and the warning inbox to the office's, the warnings and orders staff answer to
# supervision's.
ROUTES: tuple[Route, ...] = (
    Route("GET", "/openapi.json", False, API_PUBLIC),
    Route("GET", "/departments", False, API_PUBLIC),
    Route("GET", "/clock", False, API_PUBLIC),  # the server's now and today (one clock for every page)
    Route("GET", "/reference", False, API_PUBLIC),  # roles, steps, statuses…: labels and orders (reference_routes.py)
    Route("GET", "/catalog", False, API_PUBLIC),
    Route("GET", "/catalog/{itemCode}", False, API_PUBLIC),
    Route("POST", "/track", False, API_PUBLIC),
    Route("GET", "/me", True, API_CITIZEN),
    Route("POST", "/me/sign-out", True, API_CITIZEN),
    Route("POST", "/uploads", True, API_CITIZEN),
    Route("POST", "/applications", True, API_CITIZEN),
    Route("GET", "/my/cases", True, API_CITIZEN),
    Route("GET", "/my/cases/{caseId}", True, API_CITIZEN),
    Route("GET", "/my/cases/{caseId}/documents", True, API_CITIZEN),  # 文书 (services/documents.py)
    Route("GET", "/my/cases/{caseId}/documents/{documentId}", True, API_CITIZEN),
    Route("POST", "/my/cases/{caseId}/supplement", True, API_CITIZEN),
    Route("POST", "/my/cases/{caseId}/statement", True, API_CITIZEN),
    Route("POST", "/party/claims", True, API_CITIZEN),
    Route("GET", "/worklist", True, API_OFFICE),
    Route("GET", "/cases/{caseId}", True, API_OFFICE),
    Route("POST", "/cases/{caseId}/actions", True, API_OFFICE),
    Route("GET", "/cases/{caseId}/attachments/{attachmentId}", True, API_OFFICE),
    Route("GET", "/cases/{caseId}/documents", True, API_OFFICE),
    Route("GET", "/cases/{caseId}/documents/{documentId}", True, API_OFFICE),
    Route("GET", "/inbox", True, API_OFFICE),
    Route("GET", "/warnings", True, API_SUPERVISION),
    Route("GET", "/cases/{caseId}/warnings", True, API_SUPERVISION),
    Route("POST", "/warnings/{warningId}/actions", True, API_SUPERVISION),
    Route("POST", "/cases/{caseId}/special-procedures", True, API_OFFICE),
    Route("POST", "/cases/{caseId}/special-procedures/end", True, API_OFFICE),
    Route("POST", "/cases/{caseId}/extensions", True, API_OFFICE),
    Route("POST", "/cases/{caseId}/extensions/{extensionId}/decision", True, API_OFFICE),
    # City working-day calendar (functions/http_api/calendar_routes.py)
    Route("GET", "/calendar/{year}", True, API_OFFICE),
    Route("PUT", "/calendar/days/{date}", True, API_ADMIN),
    Route("DELETE", "/calendar/days/{date}", True, API_ADMIN),
    Route("POST", "/calendar/{year}/confirm", True, API_ADMIN),
    # Staff office views: department cases and extensions for leaders, walk-in intake at the window
    # (functions/http_api/office_routes.py)
    Route("GET", "/department/cases", True, API_OFFICE),
    Route("GET", "/department/extensions", True, API_OFFICE),
    Route("GET", "/government/extensions", True, API_OFFICE),  # joint cases' extensions (第四十二条)
    Route("POST", "/window/applications", True, API_OFFICE),
    # 行政检查: 双随机抽查计划 and the public 公示 of results (functions/http_api/inspection_routes.py)
    Route("POST", "/inspection-plans", True, API_OFFICE),
    Route("GET", "/inspection-plans", True, API_OFFICE),
    Route("GET", "/inspection-plans/{planId}", True, API_OFFICE),
    Route("GET", "/public/inspection-results", False, API_PUBLIC),
    # Performance evaluation and statistics (functions/http_api/evaluation_routes.py)
    Route("GET", "/evaluation/rankings", True, API_SUPERVISION),
    Route("GET", "/evaluation/bureaus", True, API_SUPERVISION),  # 监督下级监察机构 (市监察局)
    Route("GET", "/evaluation/departments/{departmentId}", True, API_SUPERVISION),
    Route("GET", "/evaluation/departments/{departmentId}/history", True, API_SUPERVISION),
    Route("GET", "/evaluation/departments/{departmentId}/drilldown", True, API_SUPERVISION),
    Route("GET", "/evaluation/weights", True, API_ADMIN),
    Route("PUT", "/evaluation/weights", True, API_ADMIN),
    Route("POST", "/evaluation/periods/{period}/close", True, API_ADMIN),
    Route("GET", "/public/evaluation/formula", False, API_PUBLIC),
    Route("GET", "/public/evaluation/rankings", False, API_PUBLIC),
    Route("GET", "/statistics", True, API_SUPERVISION),
    # Supervision orders (督查督办) and the inspector log (监察日志): orders_routes.py, inspector_log_routes.py
    Route("POST", "/supervision-orders", True, API_SUPERVISION),
    Route("GET", "/supervision-orders", True, API_SUPERVISION),
    Route("GET", "/supervision-orders/inbox", True, API_SUPERVISION),
    Route("GET", "/supervision-orders/{orderId}", True, API_SUPERVISION),
    Route("GET", "/supervision-orders/{orderId}/candidates", True, API_SUPERVISION),
    Route("POST", "/supervision-orders/{orderId}/actions", True, API_SUPERVISION),
    Route("GET", "/my/responsibilities", True, API_OFFICE),
    Route("GET", "/inspector-log", True, API_SUPERVISION),
    Route("POST", "/inspector-log/verifications", True, API_SUPERVISION),
    Route("GET", "/inspector-log/verifications/latest", True, API_SUPERVISION),
    Route("GET", "/inspector-log/verifications/{runId}", True, API_SUPERVISION),
    Route("GET", "/inspector-flags", True, API_SUPERVISION),
    # Social interaction: complaints, notifications, satisfaction, surveys (functions/http_api/social_routes.py)
    Route("POST", "/complaints", True, API_CITIZEN),
    Route("GET", "/my/complaints", True, API_CITIZEN),
    Route("GET", "/my/complaints/{complaintId}", True, API_CITIZEN),
    Route("POST", "/my/complaints/{complaintId}/rating", True, API_CITIZEN),
    Route("GET", "/complaints", True, API_SUPERVISION),
    Route("GET", "/complaints/{complaintId}", True, API_SUPERVISION),
    Route("POST", "/complaints/{complaintId}/actions", True, API_SUPERVISION),
    Route("GET", "/complaints/{complaintId}/attachments/{attachmentId}", True, API_SUPERVISION),
    Route("GET", "/my/notifications", True, API_CITIZEN),
    Route("POST", "/my/notifications/{notificationId}/read", True, API_CITIZEN),
    Route("POST", "/my/cases/{caseId}/rating", True, API_CITIZEN),
    Route("GET", "/my/cases/{caseId}/rating", True, API_CITIZEN),
    Route("GET", "/cases/{caseId}/rating", True, API_OFFICE),
    Route("GET", "/surveys", False, API_PUBLIC),
    Route("GET", "/surveys/{surveyId}", False, API_PUBLIC),
    Route("POST", "/surveys/{surveyId}/answers", True, API_CITIZEN),
    Route("POST", "/surveys", True, API_SUPERVISION),
    Route("GET", "/inspector/surveys", True, API_SUPERVISION),
    Route("POST", "/surveys/{surveyId}/publish", True, API_SUPERVISION),
    Route("POST", "/surveys/{surveyId}/close", True, API_SUPERVISION),
    Route("GET", "/surveys/{surveyId}/results", True, API_SUPERVISION),
    Route("GET", "/surveys/{surveyId}/text-answers", True, API_SUPERVISION),

    # Administration: catalog maintenance (法制办), departments, users and roles (functions/http_api/admin_routes.py)
    Route("GET", "/admin/catalog/items", True, API_ADMIN),
    Route("POST", "/admin/catalog/items", True, API_ADMIN),
    Route("GET", "/admin/catalog/items/{itemCode}", True, API_ADMIN),
    Route("PUT", "/admin/catalog/items/{itemCode}", True, API_ADMIN),
    Route("POST", "/admin/catalog/items/{itemCode}/publish", True, API_ADMIN),
    Route("POST", "/admin/catalog/items/{itemCode}/unpublish", True, API_ADMIN),
    Route("GET", "/admin/catalog/items/{itemCode}/history", True, API_ADMIN),
    Route("GET", "/admin/departments", True, API_ADMIN),
    Route("PUT", "/admin/departments/{departmentId}", True, API_ADMIN),
    Route("GET", "/admin/departments/{departmentId}/history", True, API_ADMIN),
    Route("GET", "/admin/users", True, API_ADMIN),
    Route("POST", "/admin/users", True, API_ADMIN),
    Route("GET", "/admin/users/{username}", True, API_ADMIN),
    Route("PUT", "/admin/users/{username}", True, API_ADMIN),
    Route("POST", "/admin/users/{username}/disable", True, API_ADMIN),
    Route("POST", "/admin/users/{username}/enable", True, API_ADMIN),
    Route("POST", "/admin/users/{username}/reset-password", True, API_ADMIN),
    # Live monitoring: the inspectors' overview (functions/http_api/monitoring_routes.py)
    Route("GET", "/monitoring/overview", True, API_SUPERVISION),
    # The exchange's daily reconciliation (数据交换对账), for city inspectors
    Route("GET", "/monitoring/exchange", True, API_SUPERVISION),
)

# City working-day calendar: the recompute function and the rule that feeds it CalendarChanged
# events (functions/calendar_recompute/handler.py; wiring in CDK still to be added on main).
CALENDAR_RECOMPUTE_FUNCTION_ID = "CalendarRecomputeFunction"
CALENDAR_RECOMPUTE_HANDLER = "calendar_recompute.handler.handler"
CALENDAR_CHANGED_RULE_ID = "CalendarChangedRule"
CALENDAR_CHANGED_DETAIL_TYPE = "CalendarChanged"  # sunlight.models.calendar.CALENDAR_CHANGED

# Performance evaluation (绩效评估): the fact consumer on the domain bus, the monthly close.
EVALUATION_FACTS_FUNCTION_ID = "EvaluationFactsFunction"
EVALUATION_FACTS_HANDLER = "evaluation_facts.handler.handler"
EVALUATION_FACTS_RULE_ID = "EvaluationFactsRule"
EVALUATION_CLOSE_FUNCTION_ID = "EvaluationCloseFunction"
EVALUATION_CLOSE_HANDLER = "evaluation_close.handler.handler"
EVALUATION_CLOSE_SCHEDULE_ID = "EvaluationCloseSchedule"
# 00:30 on the 1st in Asia/Shanghai (UTC+8, no daylight saving) is 16:30 UTC on the last day of
# the month before; EventBridge rules run on UTC.
EVALUATION_CLOSE_CRON = {"minute": "30", "hour": "16", "day": "L", "month": "*", "year": "*"}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # served as binary
CSV_MEDIA_TYPE = "text/csv"  # also binary: the handler returns the file base64-encoded, BOM included
# Inspector watch (监察人员履职监督): a daily schedule flags idle inspectors and unhandled warnings
# to the chief inspector (functions/inspector_watch/handler.py, infra/constructs/inspector_watch.py).
INSPECTOR_WATCH_FUNCTION_ID = "InspectorWatchFunction"
INSPECTOR_WATCH_HANDLER = "inspector_watch.handler.handler"
INSPECTOR_WATCH_SCHEDULE_ID = "InspectorWatchSchedule"
# rate(), not cron(): the local runner fires rate() rules at once when the demo clock moves.
INSPECTOR_WATCH_RATE_DAYS = 1
INSPECTOR_IDLE_DAYS = 3
INSPECTOR_UNHANDLED_WORKING_DAYS = 2

# Verifying the inspector log's hash chain (监察日志校验) at any size: the API starts a run, the
# log_verify function carries it out in bounded invocations, each handing the rest to the next
# (functions/log_verify/handler.py, infra/constructs/inspector_watch.py).
LOG_VERIFY_FUNCTION_ID = "LogVerifyFunction"
LOG_VERIFY_HANDLER = "log_verify.handler.handler"
LOG_VERIFY_TIMEOUT_SECONDS = 120
LOG_VERIFY_SEGMENT_RECORDS = 2_000  # progress is saved after each segment
LOG_VERIFY_RECORDS_PER_INVOCATION = 100_000
# External anchors of the inspector log (监察日志外部锚点): log_anchor writes the head to the
# anchors bucket (Object Lock, Data stack) every hour and publishes InspectorLogAnchored; log_verify
# checks the chain against them (functions/log_anchor/handler.py, infra/constructs/log_verification.py).
LOG_ANCHOR_FUNCTION_ID = "LogAnchorFunction"
LOG_ANCHOR_HANDLER = "log_anchor.handler.handler"
LOG_ANCHOR_SCHEDULE_ID = "LogAnchorSchedule"
LOG_ANCHOR_RATE_HOURS = 1  # a cut-off tail is caught if it holds a record an hour old or older
# Compliance mode: nobody, the account's administrators and root included, can delete or shorten
# an anchor before this ends (governance mode yields to s3:BypassGovernanceRetention, i.e. to the
# very administrators who could edit the log's table). Five years, as the audit trail is kept.
LOG_ANCHOR_RETENTION_DAYS = 5 * 365 + 1
LOG_ANCHORS_PREFIX = "anchors/"  # sunlight.rules.log_anchors.KEY_PREFIX
LOG_BROKEN_METRIC = "InspectorLogBroken"  # functions/log_verify/handler.py BROKEN_METRIC
LOG_BROKEN_ALARM_ID = "InspectorLogBrokenAlarm"

# Citizen self-registration (公众注册): the user pool's post-confirmation trigger adds the account
# to the citizen group (functions/citizen_signup/handler.py, infra/constructs/citizen_signup.py).
CITIZEN_SIGNUP_FUNCTION_ID = "CitizenSignupFunction"
CITIZEN_SIGNUP_HANDLER = "citizen_signup.handler.handler"
# The pool names its trigger by this fixed name (the data stack does not refer to the compute stack).
CITIZEN_SIGNUP_FUNCTION_NAME = "sunlight-citizen-signup"

# Live monitoring (实时监控): the function that turns domain events into operational metrics (EMF),
# its bus rule, the dashboards and the alarm topic (infra/constructs/monitoring.py).
OPERATIONAL_METRICS_FUNCTION_ID = "OperationalMetricsFunction"
OPERATIONAL_METRICS_HANDLER = "operational_metrics.handler.handler"
OPERATIONAL_METRICS_RULE_ID = "OperationalMetricsRule"
CITY_DASHBOARD_ID = "CityOverviewDashboard"
DEPARTMENT_DASHBOARD_ID = "DepartmentDashboard"
OPERATIONS_DASHBOARD_ID = "OperationsDashboard"
ALERT_TOPIC_ID = "OpsAlertTopic"
RED_CARD_ALARM_ID = "RedCardsAlarm"

# Documents (文书): the function that issues the documents of case transitions (numbered, PDF in
# the attachments bucket under documents/), heard on the domain bus (functions/documents/handler.py,
# infra/constructs/documents.py).
DOCUMENTS_FUNCTION_ID = "DocumentsFunction"
DOCUMENTS_HANDLER = "documents.handler.handler"
DOCUMENTS_RULE_ID = "DocumentsRule"
DOCUMENTS_PREFIX = "documents/"  # services/documents.py DOCUMENTS_PREFIX

# Upload check (上传文件校验): the attachments bucket's ObjectCreated notifications under
# `uploads/` reach this function, which quarantines failed uploads under `quarantine/`
# (functions/upload_check/handler.py, infra/constructs/upload_check.py).
UPLOAD_CHECK_FUNCTION_ID = "UploadCheckFunction"
UPLOAD_CHECK_HANDLER = "upload_check.handler.handler"
UPLOAD_CHECK_RULE_ID = "UploadCheckRule"  # the default bus's rule for the bucket's Object Created events
UPLOADS_PREFIX = "uploads/"  # services/applications.py upload_key()
QUARANTINE_PREFIX = "quarantine/"  # adapters/s3_attachments.py QUARANTINE_PREFIX

# The outbound exchange with the higher-level platform (infra/constructs/exchange.py).
EXCHANGE_TABLE_ID = "ExchangeTable"
EXCHANGE_DAY_INDEX = "day"
EXCHANGE_ENTITY_INDEX = "entity"
EXCHANGE_TTL_ATTRIBUTE = "expires_at"
EXCHANGE_QUEUE_ID = "ExchangeQueue"
EXCHANGE_DLQ_ID = "ExchangeDeadLetterQueue"
EXCHANGE_OUTBOX_FUNCTION_ID = "ExchangeOutboxFunction"
EXCHANGE_OUTBOX_HANDLER = "exchange_outbox.handler.handler"
EXCHANGE_OUTBOX_RULE_ID = "ExchangeOutboxRule"
EXCHANGE_SEND_FUNCTION_ID = "ExchangeSendFunction"
EXCHANGE_SEND_HANDLER = "exchange_send.handler.handler"
EXCHANGE_RECONCILE_FUNCTION_ID = "ExchangeReconcileFunction"
EXCHANGE_RECONCILE_HANDLER = "exchange_reconcile.handler.handler"
EXCHANGE_RECONCILE_SCHEDULE_ID = "ExchangeReconcileSchedule"
EXCHANGE_RECONCILE_CRON = {"minute": "30", "hour": "17", "day": "*", "month": "*", "year": "*"}  # 01:30 China time
EXCHANGE_DLQ_ALARM_ID = "ExchangeDeadLetterAlarm"
EXCHANGE_LAG_ALARM_ID = "ExchangeDeliveryLagAlarm"
EXCHANGE_MAX_RECEIVES = 8  # the redrive policy's maxReceiveCount: 10+20+…+900 s ≈ 37 min of retries
EXCHANGE_LAG_ALARM_SECONDS = 900
# CDK context (cdk.json or -c): where, whether, and with which key the exchange sends.
EXCHANGE_ENDPOINT_CONTEXT_KEY = "exchangeEndpoint"
EXCHANGE_ENABLED_CONTEXT_KEY = "exchangeEnabled"
EXCHANGE_SECRET_NAME_CONTEXT_KEY = "exchangeSecretName"
EXCHANGE_PLATFORM_CONTEXT_KEY = "exchangePlatformId"
DEFAULT_EXCHANGE_SECRET_NAME = "sunlight/exchange/signing-key"
