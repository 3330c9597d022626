"""Composition root: builds the services from settings, lazily, once per Lambda container.

Nothing here runs at import time: a handler pays for boto3 and its clients on first use only.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

from .config import EnvKeys, Settings

DOMAIN_EVENT_SOURCE = "sunlight.approval"


class Container:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

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
    def clock(self):
        from .adapters.system import ShiftedClock, SystemClock

        return ShiftedClock(self.settings.local_clock_file) if self.settings.local_clock_file else SystemClock()

    @cached_property
    def calendar(self):
        return self.calendar_service.live_calendar()  # see "city calendar" below

    # --- city calendar (工作日历): national calendar + the city's days in the Catalog table ---

    @cached_property
    def calendar_repository(self):
        from .adapters.dynamodb_calendar import DynamoCalendarRepository

        return DynamoCalendarRepository(self.dynamodb, self.settings.catalog_table)

    @cached_property
    def calendar_service(self):
        from .services.calendar import CalendarService, DeferredEvents

        # Edits publish CalendarChanged on the bus (the recompute function follows); without a
        # bus they recompute within the request. The events client is made on first edit only.
        events = DeferredEvents(lambda: self.publisher) if self.settings.event_bus else None
        return CalendarService(self.calendar_repository, self.cases, self.clock, events=events)

    # --- end of city calendar -------------------------------------------------------------------

    @cached_property
    def cases(self):
        from .adapters.dynamodb_cases import DynamoCaseRepository

        return DynamoCaseRepository(self.dynamodb, self.settings.cases_table)

    @cached_property
    def catalog(self):
        import boto3

        from .adapters.dynamodb_catalog import DynamoCatalogRepository

        return DynamoCatalogRepository(boto3.resource("dynamodb").Table(self.settings.catalog_table))

    @cached_property
    def workflow(self):
        from .adapters.stepfunctions import StepFunctionsWorkflowEngine

        return StepFunctionsWorkflowEngine(self._client("stepfunctions"), {"standard": self.settings.standard_flow_arn})

    @cached_property
    def attachments(self):
        from .adapters.s3_attachments import S3AttachmentStore

        return S3AttachmentStore(self._client("s3"), self.settings.attachments_bucket)

    @cached_property
    def publisher(self):
        from .adapters.eventbridge import EventBridgePublisher

        return EventBridgePublisher(self._client("events"), self.settings.event_bus, DOMAIN_EVENT_SOURCE)

    # --- supervision ---------------------------------------------------------------------

    @cached_property
    def warnings(self):
        from .adapters.dynamodb_warnings import DynamoWarningRepository

        return DynamoWarningRepository(self.dynamodb, self.settings.cases_table)

    @cached_property
    def notifier(self):
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
    def deadlines(self):
        from .services.deadlines import DeadlineService

        return DeadlineService(
            cases=self.cases, warnings=self.warnings, notifier=self.notifier, clock=self.clock, events=self.domain_events,
            calendar=self.calendar, publisher=self.domain_events, workflow=self.workflow,
        )

    @cached_property
    def cards(self):
        from .services.cards import CardService

        return CardService(warnings=self.warnings, cases=self.cases, clock=self.clock, events=self.domain_events)

    # --- use cases -------------------------------------------------------------------------

    @cached_property
    def applications(self):
        from .adapters.system import RandomIds
        from .services.applications import ApplicationService, UploadPolicy

        return ApplicationService(
            cases=self.cases,
            catalog=self.catalog,
            workflow=self.workflow,
            attachments=self.attachments,
            clock=self.clock,
            ids=RandomIds(),
            calendar=self.calendar,
            uploads=UploadPolicy(self.settings.upload_max_bytes, self.settings.upload_url_ttl_seconds),
            upload_checks=self.upload_checks,
        )

    # --- the upload check (上传文件校验) ------------------------------------------------------------

    @cached_property
    def upload_checks(self):
        from .adapters.dynamodb_upload_checks import DynamoUploadChecks

        return DynamoUploadChecks(self.dynamodb, self.settings.cases_table, self.settings.supervision_table)

    @cached_property
    def content_inspectors(self):
        """Every check an upload must pass, in order. A malware scanner joins this list as another
        ContentInspector (services/ports.py)."""
        from .services.upload_check import FileSignatureInspector

        return [FileSignatureInspector()]

    @cached_property
    def upload_check(self):
        from .services.upload_check import UploadCheckService

        return UploadCheckService(
            objects=self.attachments, checks=self.upload_checks, inspectors=self.content_inspectors, clock=self.clock
        )

    @cached_property
    def tracking(self):
        from .adapters.dynamodb_tracking_guard import DynamoTrackingGuard
        from .services.tracking import TrackingService

        return TrackingService(
            self.cases, guard=DynamoTrackingGuard(self.dynamodb, self.settings.cases_table), clock=self.clock,
            upload_checks=self.upload_checks,
        )

    @cached_property
    def staff(self):
        from .services.applications import UploadPolicy
        from .services.staff import StaffService

        return StaffService(
            cases=self.cases,
            workflow=self.workflow,
            attachments=self.attachments,
            clock=self.clock,
            uploads=UploadPolicy(self.settings.upload_max_bytes, self.settings.upload_url_ttl_seconds),
            calendar=self.calendar,
            upload_checks=self.upload_checks,
        )

    @cached_property
    def flow(self):
        from .services.calendar_notices import CalendarNotices
        from .services.flow import FlowService

        return FlowService(
            cases=self.cases, publisher=self.publisher, clock=self.clock, calendar=self.calendar,
            notices=CalendarNotices(warnings=self.warnings, calendar=self.calendar),
        )

    @cached_property
    def procedures(self):
        from .services.procedures import ProcedureService

        return ProcedureService(cases=self.cases, publisher=self.publisher, clock=self.clock, calendar=self.calendar)

    @cached_property
    def catalog_service(self):
        from .services.catalog import CatalogService

        return CatalogService(self.catalog)

    # --- supervision: anomaly warnings (异常预警) -----------------------------------------------

    @cached_property
    def anomalies(self):
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
    def department(self):
        from .services.department import DepartmentService

        return DepartmentService(cases=self.cases, clock=self.clock, calendar=self.calendar)

    # --- performance evaluation (绩效评估): facts, scores, snapshots in the Supervision table ---

    @cached_property
    def evaluation_repository(self):
        from .adapters.dynamodb_evaluation import DynamoEvaluationRepository

        return DynamoEvaluationRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def evaluation_facts(self):
        from .services.evaluation_facts import FactService

        return FactService(facts=self.evaluation_repository, cases=self.cases, calendar=self.calendar)

    @cached_property
    def evaluation(self):
        from .services.evaluation import EvaluationService

        return EvaluationService(evaluation=self.evaluation_repository, catalog=self.catalog, clock=self.clock)

    @cached_property
    def domain_events(self):
        """The DomainEvents port, or None where no bus is configured (then nothing is published)."""
        return self.publisher if self.settings.event_bus else None
    # --- supervision orders (督查督办) and the inspector log (监察日志) ---------------------------

    @cached_property
    def orders(self):
        from .adapters.dynamodb_orders import DynamoOrderRepository

        return DynamoOrderRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def staff_directory(self):
        from .adapters.cognito_directory import CognitoDirectory

        return CognitoDirectory(self._client("cognito-idp"), self.settings.user_pool_id) if self.settings.user_pool_id else None

    @cached_property
    def order_service(self):
        from .services.orders import OrderService

        return OrderService(
            orders=self.orders, warnings=self.warnings, cases=self.cases, events=self.publisher,
            clock=self.clock, calendar=self.calendar, directory=self.staff_directory,
        )

    @cached_property
    def inspector_log_store(self):
        from .adapters.dynamodb_inspector_log import DynamoInspectorLog

        return DynamoInspectorLog(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def inspector_flags(self):
        from .adapters.dynamodb_inspector_log import DynamoFlagRepository

        return DynamoFlagRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def inspector_log(self):
        from .services.inspector_log import InspectorLogService

        return InspectorLogService(log=self.inspector_log_store, flags=self.inspector_flags)

    @cached_property
    def log_verifications(self):
        """For the API: runs are handed to the log_verify function named in the settings."""
        return self.log_verifications_on(self.settings.log_verify_function)

    def log_verifications_on(self, worker_function: str):
        """For log_verify itself: it hands a run's rest to its next invocation, by its own name
        from its context (a function cannot name itself in its own environment)."""
        if worker_function not in self._log_verification_services:
            from .adapters.dynamodb_inspector_log import DynamoVerificationRuns
            from .adapters.lambda_worker import LambdaVerificationWorker
            from .adapters.system import RandomIds
            from .services.log_verification import LogVerificationService

            self._log_verification_services[worker_function] = LogVerificationService(
                log=self.inspector_log_store, runs=DynamoVerificationRuns(self.dynamodb, self.settings.supervision_table),
                worker=LambdaVerificationWorker(self._lambda_client, worker_function), clock=self.clock, ids=RandomIds(),
                segment_records=self.settings.log_verify_segment_records,
                records_per_invocation=self.settings.log_verify_records_per_invocation,
            )
        return self._log_verification_services[worker_function]

    @cached_property
    def _log_verification_services(self) -> dict[str, Any]:
        return {}

    @cached_property
    def _lambda_client(self) -> Any:
        return self._client("lambda")

    @cached_property
    def inspector_watch(self):
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
    def complaint_repository(self):
        from .adapters.dynamodb_social import DynamoComplaintRepository

        return DynamoComplaintRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def notification_repository(self):
        from .adapters.dynamodb_social import DynamoNotificationRepository

        return DynamoNotificationRepository(self.dynamodb, self.settings.supervision_table)

    @cached_property
    def complaints(self):
        from .adapters.system import RandomIds
        from .models.complaints import ComplaintLimits
        from .services.applications import UploadPolicy
        from .services.complaints import ComplaintService

        days = self.settings.complaint_limit_days
        names = ("accept_days", "dispatch_days", "answer_days", "conclude_days")
        limits = ComplaintLimits(**dict(zip(names, map(int, days.split(",")), strict=False))) if days else ComplaintLimits()
        return ComplaintService(
            complaints=self.complaint_repository,
            notifications=self.notification_repository,
            cases=self.cases,
            catalog=self.catalog,
            attachments=self.attachments,
            uploads=UploadPolicy(self.settings.upload_max_bytes, self.settings.upload_url_ttl_seconds),
            events=self.publisher,
            clock=self.clock,
            ids=RandomIds(),
            calendar=self.calendar,
            limits=limits,
            upload_checks=self.upload_checks,
        )

    @cached_property
    def satisfaction(self):
        from .adapters.dynamodb_social import DynamoRatingRepository
        from .services.satisfaction import SatisfactionService

        ratings = DynamoRatingRepository(self.dynamodb, self.settings.supervision_table)
        return SatisfactionService(ratings=ratings, cases=self.cases, events=self.publisher, clock=self.clock)

    @cached_property
    def surveys(self):
        from .adapters.dynamodb_social import DynamoSurveyRepository
        from .adapters.system import RandomIds
        from .services.surveys import SurveyService

        return SurveyService(surveys=DynamoSurveyRepository(self.dynamodb, self.settings.supervision_table), clock=self.clock, ids=RandomIds())

    # --- end of social interaction ----------------------------------------------------------

    # --- administration: catalog maintenance (法制办) and users and roles -------------------------

    @cached_property
    def catalog_admin(self):
        from .services.catalog_admin import CatalogAdminService

        return CatalogAdminService(self.catalog, self.clock)  # the catalog repository is versioned too

    @cached_property
    def user_directory(self):
        from .adapters.cognito_admin import CognitoUserDirectory

        return CognitoUserDirectory(self._client("cognito-idp"), self.settings.user_pool_id)

    def citizen_enrolment(self, user_pool_id: str):
        """For the post-confirmation trigger, which learns its pool from the event."""
        from .adapters.cognito_admin import CognitoUserDirectory
        from .services.citizen_accounts import CitizenEnrolment

        return CitizenEnrolment(CognitoUserDirectory(self._cognito_client, user_pool_id))

    @cached_property
    def _cognito_client(self) -> Any:
        return self._client("cognito-idp")

    @cached_property
    def sessions(self):
        """Revoked sign-ins (disabled, password reset, roles changed, signed out): services/sessions.py."""
        from .adapters.dynamodb_sessions import DynamoSessionRevocations
        from .services.sessions import SessionGuard

        return SessionGuard(DynamoSessionRevocations(self.dynamodb, self.settings.supervision_table))

    @cached_property
    def user_admin(self):
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
    def operational_metrics(self):
        from .adapters.cloudwatch_metrics import CloudWatchOperationalMetrics

        return CloudWatchOperationalMetrics(self._client("cloudwatch"), self.settings.metrics_namespace)

    @cached_property
    def monitoring(self):
        from .services.monitoring import MonitoringService

        return MonitoringService(metrics=self.operational_metrics, catalog=self.catalog, clock=self.clock)


@lru_cache(maxsize=1)
def container() -> Container:
    return Container(Settings.from_env())
