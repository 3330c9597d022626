"""Composition root: builds the services from settings, lazily, once per Lambda container.

Nothing here runs at import time: a handler pays for boto3 and its clients on first use only.
Each object is built once per container (cached_property) and shared by every service that
needs it. Tests give fakes for the ports (`Container(settings, cases=InMemoryCases(), ...)`) and
get the real services wired on them, as the functions get them wired on AWS.

Each factory's return type says what it builds: a port (a Protocol of services/ports.py, e.g.
`cases: Cases`, `complaint_repository`) or a use case service (`applications`, `complaints`,
`order_service`). Some names predate that split and are kept so the route modules need not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from .config import EnvKeys, Settings

if TYPE_CHECKING:  # types only: each factory imports its own modules on first use
    from .rules.workdays import WorkingCalendar
    from .services.anomalies import AnomalyService
    from .services.applications import ApplicationService, UploadPolicy
    from .services.calendar import CalendarService
    from .services.cards import CardService
    from .services.catalog import CatalogService
    from .services.catalog_admin import CatalogAdminService
    from .services.citizen_accounts import CitizenEnrolment
    from .services.complaints import ComplaintService
    from .services.deadlines import DeadlineService
    from .services.department import DepartmentService
    from .services.documents import DocumentService
    from .services.evaluation import EvaluationService
    from .services.evaluation_facts import FactService
    from .services.exchange import ExchangeOutboxService, ExchangeReconciler, ExchangeSender
    from .services.flow import FlowService
    from .services.inbound import InboundService
    from .services.inspections import InspectionService
    from .services.inspector_log import InspectorLogService, InspectorWatchService
    from .services.log_anchor import LogAnchorService
    from .services.log_verification import LogVerificationService
    from .services.monitoring import MonitoringService
    from .services.orders import OrderService
    from .services.penalty import PartyService
    from .services.ports import (
        AttachmentStore,
        CalendarEvents,
        CalendarRepository,
        CaseRepository,
        CatalogAdminRepository,
        CatalogRepository,
        Clock,
        ComplaintRepository,
        ContentInspector,
        DepartmentCases,
        DocumentFiles,
        DocumentRegistry,
        DocumentRenderer,
        DomainEvents,
        EvaluationRepository,
        EventPublisher,
        FlagRepository,
        IdGenerator,
        InboundStore,
        InspectionRepository,
        InspectorLog,
        LogAnchors,
        NotificationRepository,
        Notifier,
        OperationalMetricsReader,
        OrderRepository,
        StaffDirectory,
        TrackingGuard,
        UploadChecks,
        UploadContentStore,
        UserDirectory,
        WarningRepository,
        WorkflowEngine,
    )
    from .services.ports.exchange import ExchangeOutbox, ExchangeQueue
    from .services.procedures import ProcedureService
    from .services.satisfaction import SatisfactionService
    from .services.scope import Levels
    from .services.sessions import SessionGuard
    from .services.staff import StaffService
    from .services.surveys import SurveyService
    from .services.tracking import TrackingService
    from .services.upload_check import UploadCheckService
    from .services.users import UserAdminService

    # One adapter serves several ports; a fake given for it must serve them all.
    class VersionedCatalog(CatalogRepository, CatalogAdminRepository, Protocol):
        """The catalog: read by the public services, versioned for its maintenance."""

    class Cases(CaseRepository, DepartmentCases, Protocol):
        """The Cases table: cases, their timelines and alarms, and the departments' listings."""

    class Attachments(AttachmentStore, UploadContentStore, Protocol):
        """The attachments bucket: uploads, downloads, and the upload check's reads."""

    class Publisher(EventPublisher, DomainEvents, CalendarEvents, Protocol):
        """The domain event bus: case transitions and events of any detail-type."""

DOMAIN_EVENT_SOURCE = "sunlight.approval"


class Container:
    def __init__(
        self,
        settings: Settings,
        *,
        cases: Cases | None = None,
        catalog: VersionedCatalog | None = None,
        workflow: WorkflowEngine | None = None,
        attachments: Attachments | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        publisher: Publisher | None = None,
        calendar: WorkingCalendar | None = None,
        warnings: WarningRepository | None = None,
        notifier: Notifier | None = None,
        upload_checks: UploadChecks | None = None,
        tracking_guard: TrackingGuard | None = None,
        complaint_repository: ComplaintRepository | None = None,
        notification_repository: NotificationRepository | None = None,
        document_registry: DocumentRegistry | None = None,
        document_files: DocumentFiles | None = None,
        inspection_plans: InspectionRepository | None = None,
    ) -> None:
        """Ports given here are used instead of the AWS adapters the settings name (tests give
        fakes); every service is still built by the factories below, as in production."""
        self.settings = settings
        given = {
            "cases": cases, "catalog": catalog, "workflow": workflow, "attachments": attachments, "clock": clock,
            "ids": ids, "publisher": publisher, "calendar": calendar, "warnings": warnings, "notifier": notifier,
            "upload_checks": upload_checks, "tracking_guard": tracking_guard,
            "complaint_repository": complaint_repository, "notification_repository": notification_repository,
            "document_registry": document_registry, "document_files": document_files,
            "inspection_plans": inspection_plans,
        }
        # A cached_property reads the instance's dict first: a given port is "already built".
        self.__dict__.update({name: port for name, port in given.items() if port is not None})

    def _client(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        # Standard retry mode: throttling and transient errors are retried with backoff.
        return boto3.client(service, config=Config(retries={"mode": "standard", "max_attempts": 4}))

    @cached_property
    def dynamodb(self) -> Any:
        return self._client("dynamodb")

    @cached_property
    def cursor_signing_key(self) -> str:
        """The key that signs this API's page cursors, read once per container; fails closed."""
        from .adapters.secrets import read_secret_string
        from .services.pagination import CursorKeyMissing

        if not self.settings.cursor_key_secret_arn:
            raise CursorKeyMissing(f"{EnvKeys.CURSOR_KEY_SECRET} is not set: page cursors cannot be signed")
        return read_secret_string(self._client("secretsmanager"), self.settings.cursor_key_secret_arn)

    @cached_property
    def clock(self) -> Clock:
        from .adapters.system import ShiftedClock, SystemClock

        return ShiftedClock(self.settings.local_clock_file) if self.settings.local_clock_file else SystemClock()

    @cached_property
    def ids(self) -> IdGenerator:
        from .adapters.system import RandomIds

        return RandomIds()

    @cached_property
    def upload_policy(self) -> UploadPolicy:
        from .services.applications import UploadPolicy

        return UploadPolicy(self.settings.upload_max_bytes, self.settings.upload_url_ttl_seconds)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return self.calendar_service.live_calendar()  # see "city calendar" below

    # --- city calendar (工作日历): national calendar + the city's days in the Catalog table ---

    @cached_property
    def calendar_repository(self) -> CalendarRepository:
        from .adapters.dynamodb_calendar import DynamoCalendarRepository

        return DynamoCalendarRepository(self.dynamodb, self.settings.catalog_table)

    @cached_property
    def calendar_service(self) -> CalendarService:
        from .services.calendar import CalendarService, DeferredEvents

        # Edits publish CalendarChanged on the bus (the recompute function follows); without a
        # bus they recompute within the request. The events client is made on first edit only.
        events = DeferredEvents(lambda: self.publisher) if self.settings.event_bus else None
        return CalendarService(self.calendar_repository, self.cases, self.clock, events=events)

    # --- end of city calendar -------------------------------------------------------------------

    @cached_property
    def cases(self) -> Cases:
        from .adapters.dynamodb_cases import DynamoCaseRepository

        return DynamoCaseRepository(self.dynamodb, self.settings.cases_table)

    @cached_property
    def catalog(self) -> VersionedCatalog:
        import boto3

        from .adapters.dynamodb_catalog import DynamoCatalogRepository

        return DynamoCatalogRepository(boto3.resource("dynamodb").Table(self.settings.catalog_table))

    @cached_property
    def levels(self) -> Levels:
        """The government tree and its departments, read once per TTL for every service of the container."""
        from .services.scope import Levels

        return Levels(self.catalog)

    @cached_property
    def workflow(self) -> WorkflowEngine:
        import json

        from .adapters.stepfunctions import StepFunctionsWorkflowEngine

        return StepFunctionsWorkflowEngine(
            self._client("stepfunctions"), json.loads(self.settings.flow_state_machines or "{}")
        )

    @cached_property
    def attachments(self) -> Attachments:
        from .adapters.s3_attachments import S3AttachmentStore

        return S3AttachmentStore(self._client("s3"), self.settings.attachments_bucket)

    @cached_property
    def publisher(self) -> Publisher:
        from .adapters.eventbridge import EventBridgePublisher

        return EventBridgePublisher(self._client("events"), self.settings.event_bus, DOMAIN_EVENT_SOURCE)

    # --- supervision ---------------------------------------------------------------------

    @cached_property
    def warnings(self) -> WarningRepository:
        from .adapters.dynamodb_warnings import DynamoWarningRepository

        return DynamoWarningRepository(self.dynamodb, self.settings.cases_table)

    @cached_property
    def notifier(self) -> Notifier:
        from .adapters.sns_notifier import SnsNotifier
        from .models.warnings import WarningLevel

        settings = self.settings
        topics = {
            WarningLevel.REMINDER: settings.reminder_topic_arn,
            WarningLevel.YELLOW: settings.yellow_topic_arn,
            WarningLevel.RED: settings.red_topic_arn,
            WarningLevel.ANOMALY: settings.anomaly_topic_arn,
        }
        return SnsNotifier(self._client("sns"), {level: arn for level, arn in topics.items() if arn})

    @cached_property
    def deadlines(self) -> DeadlineService:
        from .services.deadlines import DeadlineService

        return DeadlineService(
            cases=self.cases, warnings=self.warnings, notifier=self.notifier, clock=self.clock, events=self.domain_events,
            calendar=self.calendar, publisher=self.domain_events, workflow=self.workflow,
        )

    @cached_property
    def cards(self) -> CardService:
        from .services.cards import CardService

        return CardService(levels=self.levels, warnings=self.warnings, cases=self.cases, clock=self.clock, events=self.domain_events, catalog=self.catalog,
                           calendar=self.calendar)

    # --- use cases -------------------------------------------------------------------------

    @cached_property
    def applications(self) -> ApplicationService:
        from .services.applications import ApplicationService

        return ApplicationService(
            levels=self.levels,
            cases=self.cases,
            catalog=self.catalog,
            workflow=self.workflow,
            attachments=self.attachments,
            clock=self.clock,
            ids=self.ids,
            calendar=self.calendar,
            uploads=self.upload_policy,
            upload_checks=self.upload_checks,
        )

    # --- the upload check (上传文件校验) ------------------------------------------------------------

    @cached_property
    def upload_checks(self) -> UploadChecks:
        from .adapters.dynamodb_upload_checks import DynamoUploadChecks

        return DynamoUploadChecks(self.dynamodb, self.settings.cases_table, self.settings.supervision_table)

    @cached_property
    def content_inspectors(self) -> Sequence[ContentInspector]:
        """Every check an upload must pass, in order. A malware scanner joins this list as another
        ContentInspector (services/ports.py)."""
        from .services.upload_check import FileSignatureInspector

        return [FileSignatureInspector()]

    @cached_property
    def upload_check(self) -> UploadCheckService:
        from .services.upload_check import UploadCheckService

        return UploadCheckService(
            objects=self.attachments, checks=self.upload_checks, inspectors=self.content_inspectors, clock=self.clock
        )

    @cached_property
    def tracking_guard(self) -> TrackingGuard:
        from .adapters.dynamodb_tracking_guard import DynamoTrackingGuard

        return DynamoTrackingGuard(self.dynamodb, self.settings.cases_table)

    @cached_property
    def tracking(self) -> TrackingService:
        from .services.tracking import TrackingService

        return TrackingService(
            self.cases, guard=self.tracking_guard, clock=self.clock,
            upload_checks=self.upload_checks,
        )

    @cached_property
    def party(self) -> PartyService:
        from .services.penalty import PartyService

        return PartyService(
            cases=self.cases, workflow=self.workflow, attachments=self.attachments, clock=self.clock,
            uploads=self.upload_policy, upload_checks=self.upload_checks, guard=self.tracking_guard, tracking=self.tracking,
        )

    @cached_property
    def staff(self) -> StaffService:
        from .services.staff import StaffService

        return StaffService(
            cases=self.cases,
            workflow=self.workflow,
            attachments=self.attachments,
            clock=self.clock,
            uploads=self.upload_policy,
            calendar=self.calendar,
            upload_checks=self.upload_checks,
            # Built on the first inspection decision only (cold starts pay for what they use).
            inspection_details=lambda principal, case, action: self.inspections.decision_details(principal, case, action),
        )

    @cached_property
    def inspection_plans(self) -> InspectionRepository:
        from .adapters.dynamodb_inspections import DynamoInspectionRepository

        return DynamoInspectionRepository(self.dynamodb, self.settings.cases_table)

    @cached_property
    def inspections(self) -> InspectionService:
        from .services.inspections import InspectionService

        return InspectionService(
            levels=self.levels,
            plans=self.inspection_plans, cases=self.cases,
            catalog=self.catalog, workflow=self.workflow, clock=self.clock, ids=self.ids, calendar=self.calendar,
        )

    @cached_property
    def flow(self) -> FlowService:
        from .services.calendar_notices import CalendarNotices
        from .services.flow import FlowService

        return FlowService(
            levels=self.levels,
            cases=self.cases, publisher=self.publisher, clock=self.clock, calendar=self.calendar,
            notices=CalendarNotices(warnings=self.warnings, calendar=self.calendar), catalog=self.catalog,
        )

    @cached_property
    def procedures(self) -> ProcedureService:
        from .services.procedures import ProcedureService

        return ProcedureService(cases=self.cases, publisher=self.publisher, clock=self.clock, calendar=self.calendar)

    @cached_property
    def catalog_service(self) -> CatalogService:
        from .services.catalog import CatalogService

        return CatalogService(self.catalog)

    # --- documents (文书): numbered, rendered as PDFs, stored with the case --------------------

    @cached_property
    def document_registry(self) -> DocumentRegistry:
        from .adapters.dynamodb_documents import DynamoDocumentRegistry

        return DynamoDocumentRegistry(self.dynamodb, self.settings.cases_table)

    @cached_property
    def document_files(self) -> DocumentFiles:
        from .adapters.s3_documents import S3DocumentFiles

        return S3DocumentFiles(self._client("s3"), self.settings.attachments_bucket)

    @cached_property
    def document_renderer(self) -> DocumentRenderer:
        # ReportLab itself is imported on the first render (adapters/pdf_reportlab.py).
        from .adapters.pdf_reportlab import ReportLabRenderer

        return ReportLabRenderer()

    @cached_property
    def documents(self) -> DocumentService:
        """Issuing (the documents function) and reading (the API: lists and links, no rendering)."""
        from .services.documents import DocumentService

        return DocumentService(
            cases=self.cases, catalog=self.catalog, registry=self.document_registry, files=self.document_files,
            renderer=self.document_renderer, clock=self.clock,
        )

    # --- supervision: anomaly warnings (异常预警) -----------------------------------------------

    @cached_property
    def anomalies(self) -> AnomalyService:
        from .services.anomalies import AnomalyService

        return AnomalyService(
            cases=self.cases,
            catalog=self.catalog,
            warnings=self.warnings,
            notifier=self.notifier,
            calendar=self.calendar,
            clock=self.clock,
            events=self.domain_events,
        )

    # --- staff office views: the department's open cases and pending extensions (webstaff) -------

    @cached_property
    def department(self) -> DepartmentService:
        from .services.department import DepartmentService

        return DepartmentService(levels=self.levels, cases=self.cases, clock=self.clock, calendar=self.calendar, catalog=self.catalog)

    # --- performance evaluation (绩效评估): facts, scores, snapshots in the Supervision table ---

    @cached_property
    def evaluation_repository(self) -> EvaluationRepository:
        from .adapters.dynamodb_evaluation import DynamoEvaluationRepository

        return DynamoEvaluationRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def evaluation_facts(self) -> FactService:
        from .services.evaluation_facts import FactService

        return FactService(facts=self.evaluation_repository, cases=self.cases, calendar=self.calendar)

    @cached_property
    def evaluation(self) -> EvaluationService:
        from .services.evaluation import EvaluationService

        return EvaluationService(levels=self.levels, evaluation=self.evaluation_repository, catalog=self.catalog, clock=self.clock,
                                 events=self.domain_events)

    @cached_property
    def domain_events(self) -> Publisher | None:
        """The DomainEvents port, or None where no bus is configured (then nothing is published)."""
        return self.publisher if self.settings.event_bus else None
    # --- supervision orders (督查督办) and the inspector log (监察日志) ---------------------------

    @cached_property
    def orders(self) -> OrderRepository:
        from .adapters.dynamodb_orders import DynamoOrderRepository

        return DynamoOrderRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def staff_directory(self) -> StaffDirectory | None:
        from .adapters.cognito_directory import CognitoDirectory

        return CognitoDirectory(self._cognito_client, self.settings.user_pool_id) if self.settings.user_pool_id else None

    @cached_property
    def order_service(self) -> OrderService:
        from .services.orders import OrderService

        return OrderService(
            levels=self.levels,
            orders=self.orders, warnings=self.warnings, cases=self.cases, events=self.publisher,
            clock=self.clock, calendar=self.calendar, directory=self.staff_directory, catalog=self.catalog,
        )

    # --- inbound exchange (系统对接·接入) -----------------------------------------------------------

    @cached_property
    def inbound_store(self) -> InboundStore:
        from .adapters.dynamodb_inbound import DynamoInboundStore

        return DynamoInboundStore(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def inbound(self) -> InboundService:
        from .services.inbound import InboundService

        return InboundService(
            store=self.inbound_store, cases=self.cases, catalog=self.catalog, publisher=self.publisher,
            clock=self.clock, calendar=self.calendar, orders=self.order_service,
        )

    @cached_property
    def inspector_log_store(self) -> InspectorLog:
        from .adapters.dynamodb_inspector_log import DynamoInspectorLog

        return DynamoInspectorLog(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def inspector_flags(self) -> FlagRepository:
        from .adapters.dynamodb_inspector_log import DynamoFlagRepository

        return DynamoFlagRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def inspector_log(self) -> InspectorLogService:
        from .services.inspector_log import InspectorLogService

        return InspectorLogService(log=self.inspector_log_store, flags=self.inspector_flags)

    @cached_property
    def log_verifications(self) -> LogVerificationService:
        """For the API: runs are handed to the log_verify function named in the settings."""
        return self.log_verifications_on(self.settings.log_verify_function)

    def log_verifications_on(self, worker_function: str) -> LogVerificationService:
        """For log_verify itself: it hands a run's rest to its next invocation, by its own name
        from its context (a function cannot name itself in its own environment)."""
        if worker_function not in self._log_verification_services:
            from .adapters.dynamodb_inspector_log import DynamoVerificationRuns
            from .adapters.lambda_worker import LambdaVerificationWorker
            from .services.log_verification import LogVerificationService

            self._log_verification_services[worker_function] = LogVerificationService(
                log=self.inspector_log_store, runs=DynamoVerificationRuns(self.dynamodb, self.settings.supervision_table),
                worker=LambdaVerificationWorker(self._lambda_client, worker_function), clock=self.clock, ids=self.ids,
                segment_records=self.settings.log_verify_segment_records,
                records_per_invocation=self.settings.log_verify_records_per_invocation,
                anchors=self.log_anchors if self.settings.log_anchors_bucket else None,  # the API reads no anchors
            )
        return self._log_verification_services[worker_function]

    @cached_property
    def _log_verification_services(self) -> dict[str, LogVerificationService]:
        return {}

    @cached_property
    def log_anchors(self) -> LogAnchors:
        from .adapters.s3_log_anchors import S3LogAnchors

        return S3LogAnchors(self._client("s3"), self.settings.log_anchors_bucket)

    @cached_property
    def log_anchor(self) -> LogAnchorService:
        from .services.log_anchor import LogAnchorService

        return LogAnchorService(log=self.inspector_log_store, anchors=self.log_anchors, events=self.publisher, clock=self.clock)

    @cached_property
    def _lambda_client(self) -> Any:
        return self._client("lambda")

    @cached_property
    def inspector_watch(self) -> InspectorWatchService:
        from .services.inspector_log import InspectorWatchService

        if self.staff_directory is None:
            raise RuntimeError(f"{self.settings.model_fields['user_pool_id'].alias} is not set: the watch lists inspectors from Cognito")
        return InspectorWatchService(
            directory=self.staff_directory, log=self.inspector_log_store, warnings=self.warnings, flags=self.inspector_flags,
            clock=self.clock, calendar=self.calendar, idle_days=self.settings.inspector_idle_days,
            unhandled_working_days=self.settings.inspector_unhandled_working_days,
        )

    # --- social interaction (社会互动): complaints, satisfaction ratings, surveys ----------------

    @cached_property
    def complaint_repository(self) -> ComplaintRepository:
        from .adapters.dynamodb_social import DynamoComplaintRepository

        return DynamoComplaintRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def notification_repository(self) -> NotificationRepository:
        from .adapters.dynamodb_social import DynamoNotificationRepository

        return DynamoNotificationRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def complaints(self) -> ComplaintService:
        from .models.complaints import ComplaintLimits
        from .services.complaints import ComplaintService

        days = self.settings.complaint_limit_days
        names = ("accept_days", "dispatch_days", "answer_days", "conclude_days")
        limits = ComplaintLimits(**dict(zip(names, map(int, days.split(",")), strict=False))) if days else ComplaintLimits()
        return ComplaintService(
            levels=self.levels,
            complaints=self.complaint_repository,
            notifications=self.notification_repository,
            cases=self.cases,
            catalog=self.catalog,
            attachments=self.attachments,
            uploads=self.upload_policy,
            events=self.publisher,
            clock=self.clock,
            ids=self.ids,
            calendar=self.calendar,
            limits=limits,
            upload_checks=self.upload_checks,
        )

    @cached_property
    def satisfaction(self) -> SatisfactionService:
        from .adapters.dynamodb_social import DynamoRatingRepository
        from .services.satisfaction import SatisfactionService

        ratings = DynamoRatingRepository(self.dynamodb, self.settings.supervision_table)
        return SatisfactionService(ratings=ratings, cases=self.cases, events=self.publisher, clock=self.clock)

    @cached_property
    def surveys(self) -> SurveyService:
        from .adapters.dynamodb_social import DynamoSurveyRepository
        from .services.surveys import SurveyService

        return SurveyService(surveys=DynamoSurveyRepository(self.dynamodb, self.settings.supervision_table), clock=self.clock, ids=self.ids)

    # --- end of social interaction ----------------------------------------------------------

    # --- administration: catalog maintenance (法制办) and users and roles -------------------------

    @cached_property
    def catalog_admin(self) -> CatalogAdminService:
        from .services.catalog_admin import CatalogAdminService

        return CatalogAdminService(self.catalog, self.clock)  # the catalog repository is versioned too

    @cached_property
    def user_directory(self) -> UserDirectory:
        from .adapters.cognito_admin import CognitoUserDirectory

        return CognitoUserDirectory(self._cognito_client, self.settings.user_pool_id)

    def citizen_enrolment(self, user_pool_id: str) -> CitizenEnrolment:
        """For the post-confirmation trigger, which learns its pool from the event."""
        from .adapters.cognito_admin import CognitoUserDirectory
        from .services.citizen_accounts import CitizenEnrolment

        return CitizenEnrolment(CognitoUserDirectory(self._cognito_client, user_pool_id))

    @cached_property
    def _cognito_client(self) -> Any:
        return self._client("cognito-idp")

    @cached_property
    def sessions(self) -> SessionGuard:
        """Revoked sign-ins (disabled, password reset, roles changed, signed out): services/sessions.py."""
        from .adapters.dynamodb_sessions import DynamoSessionRevocations
        from .services.sessions import SessionGuard

        return SessionGuard(DynamoSessionRevocations(self.dynamodb, self.settings.supervision_table))

    @cached_property
    def user_admin(self) -> UserAdminService:
        from .adapters.cognito_admin import SecretsPasswordGenerator
        from .services.users import UserAdminService

        catalog = self.catalog
        from .services.users import RoleGrantOversight

        return UserAdminService(
            self.user_directory,
            catalog,
            SecretsPasswordGenerator(),
            departments=lambda: {d.department_id: d.name for d in catalog.list_departments()},
            sessions=self.sessions,
            oversight=RoleGrantOversight(log=self.inspector_log, notifications=self.notification_repository,
                                         directory=self.staff_directory, clock=self.clock),
        )

    # --- live monitoring (实时监控): the inspectors' overview from the operational metrics ------

    @cached_property
    def operational_metrics(self) -> OperationalMetricsReader:
        from .adapters.cloudwatch_metrics import CloudWatchOperationalMetrics

        return CloudWatchOperationalMetrics(self._client("cloudwatch"), self.settings.metrics_namespace)

    @cached_property
    def monitoring(self) -> MonitoringService:
        from .services.monitoring import MonitoringService

        return MonitoringService(levels=self.levels, metrics=self.operational_metrics, catalog=self.catalog, clock=self.clock)


    # --- the outbound exchange (与上级平台数据交换): outbox, sender, reconciliation ------------------

    @cached_property
    def exchange_outbox_store(self) -> ExchangeOutbox:
        from .adapters.dynamodb_exchange import DynamoExchangeOutbox

        return DynamoExchangeOutbox(self.dynamodb, self.settings.exchange_table)

    @cached_property
    def exchange_queue(self) -> ExchangeQueue:
        from .adapters.exchange_transport import SqsExchangeQueue

        return SqsExchangeQueue(self._client("sqs"), self.settings.exchange_queue_url)

    @cached_property
    def exchange_outbox(self) -> ExchangeOutboxService:
        from .services.exchange import ExchangeOutboxService
        levels = self.levels  # one list of departments, kept a few minutes (not a read per message)
        platform_id = self.settings.exchange_platform_id

        def government_of(department_id: str) -> str:
            return levels.department_governments().get(department_id) or platform_id

        return ExchangeOutboxService(outbox=self.exchange_outbox_store, queue=self.exchange_queue, clock=self.clock,
                                     platform_id=platform_id, government_of=government_of)

    @cached_property
    def exchange_sender(self) -> ExchangeSender:
        from .adapters.exchange_transport import HttpTransport, SecretsSigningKey
        from .services.exchange import DeliveryPolicy, ExchangeSender

        settings = self.settings
        policy = DeliveryPolicy(endpoint=settings.exchange_endpoint, timeout_seconds=settings.exchange_timeout_seconds,
                                backoff_base_seconds=settings.exchange_backoff_base_seconds,
                                backoff_cap_seconds=settings.exchange_backoff_cap_seconds, max_receives=settings.exchange_max_receives)
        return ExchangeSender(outbox=self.exchange_outbox_store, queue=self.exchange_queue, transport=HttpTransport(),
                              key=SecretsSigningKey(self._client("secretsmanager"), settings.exchange_secret_id),
                              clock=self.clock, policy=policy)

    @cached_property
    def exchange_reconciler(self) -> ExchangeReconciler:
        from .adapters.dynamodb_exchange import DynamoExchangeOutbox, DynamoReconciliationReports
        from .services.exchange import ExchangeReconciler

        outbox = DynamoExchangeOutbox(self.dynamodb, self.settings.exchange_table) if self.settings.exchange_table else None
        return ExchangeReconciler(outbox=outbox, reports=DynamoReconciliationReports(self.dynamodb, self.settings.supervision_table),
                                  clock=self.clock, endpoint=self.settings.exchange_endpoint, enabled=self.settings.exchange_enabled)


@lru_cache(maxsize=1)
def container() -> Container:
    return Container(Settings.from_env())
