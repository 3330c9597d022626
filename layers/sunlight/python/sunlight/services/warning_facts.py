"""Cards and anomaly warnings as evaluation facts (WarningIssued / WarningRevoked on the bus).

Event ids are derived from the warning id, so a retried check or a repeated revocation publishes
the same id and the evaluation consumer counts it once. Reminders are published too, for the live
overview's count (operational metrics); the evaluation ignores them, and they are never revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..models.evaluation_events import WARNING_ISSUED, WARNING_REVOKED, WarningIssuedV1, WarningRevokedV1
from ..models.warnings import Warning, WarningLevel
from .ports import DomainEvents

COUNTED_LEVELS = frozenset({WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.ANOMALY})


def issued_event(warning: Warning) -> WarningIssuedV1:
    return WarningIssuedV1(
        event_id=f"{warning.warning_id}:issued", department_id=warning.department_id, warning_id=warning.warning_id,
        case_id=warning.case_id, level=warning.level.value, issued_at=warning.issued_at, item_code=warning.item_code,
    )


def revoked_event(warning: Warning, revoked_at: datetime) -> WarningRevokedV1:
    return WarningRevokedV1(
        event_id=f"{warning.warning_id}:revoked", department_id=warning.department_id, warning_id=warning.warning_id,
        case_id=warning.case_id, level=warning.level.value, issued_at=warning.issued_at, revoked_at=revoked_at,
        item_code=warning.item_code,
    )


def publish_issued(events: DomainEvents | None, warnings: Iterable[Warning]) -> None:
    """Publishes each warning, reminders included (call after it is stored; raises if the bus refused)."""
    if events is None:
        return
    for warning in warnings:
        events.publish_detail(WARNING_ISSUED, issued_event(warning), resources=[f"case/{warning.case_id}"])


def publish_revoked(events: DomainEvents | None, warning: Warning, revoked_at: datetime) -> None:
    if events is not None and warning.level in COUNTED_LEVELS:
        events.publish_detail(WARNING_REVOKED, revoked_event(warning, revoked_at), resources=[f"case/{warning.case_id}"])
