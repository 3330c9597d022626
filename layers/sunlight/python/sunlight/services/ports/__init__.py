"""Ports: what the use cases need from the outside world, as `typing.Protocol`s, one module per
bounded context (common.py holds what they share).

Adapters (`sunlight.adapters`) implement them against AWS; unit tests implement them in memory
(tests/fakes), and tests/integration/contracts runs the same contract against both.
Storage keys cross the port only as opaque `StartKey` dicts: the services turn them into page
cursors (services/pagination.py) and never look inside. Every public name is re-exported here, so
`from sunlight.services.ports import X` works whichever module defines X.
"""

from .calendar import CalendarEvents, CalendarRepository
from .cases import (
    AttachmentStore,
    CaseRepository,
    DepartmentCaseQuery,
    DepartmentCases,
    EventPublisher,
    StaleTaskToken,
    StoredObject,
    TrackingGuard,
    WorkflowEngine,
)
from .catalog import CatalogAdminRepository, CatalogReader, CatalogRepository
from .common import Clock, ConcurrentModification, DomainEvents, DuplicateRequest, IdempotencyRecord, IdGenerator, StartKey
from .documents import DocumentFiles, DocumentRegistry, DocumentRenderer
from .evaluation import EvaluationRepository, FactEntry, FactRecord
from .inbound import HeldReport, InboundStore
from .inspections import DuplicatePlanRequest, InspectionRepository
from .inspector_log import (
    FlagRepository,
    HeadState,
    InspectorLog,
    LogAnchors,
    VerificationRuns,
    VerificationWorker,
    WorkerUnavailable,
)
from .monitoring import OperationalMetricsReader
from .orders import DuplicateOrderRequest, OrderRepository, StaffDirectory
from .social import ComplaintRepository, NotificationRepository, RatingRepository, SurveyRepository
from .uploads import ContentInspector, UploadChecks, UploadContentStore, UploadedContent
from .users import PasswordGenerator, SessionRevocations, UserDirectory, UserExists, UserNotFound
from .warnings import Notifier, WarningRepository

__all__ = [
    "AttachmentStore",
    "CalendarEvents",
    "CalendarRepository",
    "CaseRepository",
    "CatalogAdminRepository",
    "CatalogReader",
    "CatalogRepository",
    "Clock",
    "ComplaintRepository",
    "ConcurrentModification",
    "ContentInspector",
    "DepartmentCaseQuery",
    "DepartmentCases",
    "DocumentFiles",
    "DocumentRegistry",
    "DocumentRenderer",
    "DomainEvents",
    "DuplicateOrderRequest",
    "DuplicatePlanRequest",
    "DuplicateRequest",
    "EvaluationRepository",
    "EventPublisher",
    "FactEntry",
    "FactRecord",
    "FlagRepository",
    "HeadState",
    "HeldReport",
    "IdGenerator",
    "IdempotencyRecord",
    "InboundStore",
    "InspectionRepository",
    "InspectorLog",
    "LogAnchors",
    "NotificationRepository",
    "Notifier",
    "OperationalMetricsReader",
    "OrderRepository",
    "PasswordGenerator",
    "RatingRepository",
    "SessionRevocations",
    "StaffDirectory",
    "StaleTaskToken",
    "StartKey",
    "StoredObject",
    "SurveyRepository",
    "TrackingGuard",
    "UploadChecks",
    "UploadContentStore",
    "UploadedContent",
    "UserDirectory",
    "UserExists",
    "UserNotFound",
    "VerificationRuns",
    "VerificationWorker",
    "WarningRepository",
    "WorkerUnavailable",
    "WorkflowEngine",
]
