"""Cards and anomaly warnings as evaluation facts (WarningIssued / WarningRevoked on the bus).

Event ids are derived from the warning id, so a retried check or a repeated revocation publishes
the same id and the evaluation consumer counts it once. Reminders are published too, for the live
overview's count (operational metrics); the evaluation ignores them, and they are never revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..models.evaluation_events import (
    WARNING_APPEAL_DECIDED,
    WARNING_ISSUED,
    WARNING_REVOKED,
    AppealOutcome,
    WarningAppealDecidedV1,
    WarningIssuedV1,
    WarningRevokedV1,
)
from ..models.warnings import CardStatus, Warning, WarningLevel
from ..rules.card_appeals import appeal_timing
from ..rules.workdays import WorkingCalendar
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


def appeal_decided_event(warning: Warning, calendar: WorkingCalendar, *,
                         department_government_id: str | None) -> WarningAppealDecidedV1 | None:
    """The decision on the card's appeal, from its history (the appeal, then the decision after
    it); None when the card's appeal has not been decided. One decision per card: the id is the
    card's, so a retried decision publishes the same id."""
    history = warning.history
    decision = next((i for i in range(len(history) - 1, -1, -1) if history[i].from_status is CardStatus.APPEALED), None)
    appeal = next((e for e in reversed(history[:decision]) if e.to_status is CardStatus.APPEALED), None) if decision else None
    if decision is None or appeal is None:
        return None
    decided = history[decision]
    timing = appeal_timing(appeal.at, decided.at, calendar)
    return WarningAppealDecidedV1(
        event_id=f"{warning.warning_id}:appeal-decided", department_id=warning.department_id, warning_id=warning.warning_id,
        case_id=warning.case_id, level=warning.level.value, department_government_id=department_government_id,
        decided_by_government_id=decided.actor_government_id, appealed_at=appeal.at, decided_at=decided.at, due_at=timing.due_at,
        outcome=AppealOutcome.GRANTED if decided.to_status is CardStatus.REVOKED else AppealOutcome.REJECTED,
        working_days_to_decide=timing.working_days_to_decide, on_time=timing.on_time, item_code=warning.item_code,
    )


def publish_appeal_decided(events: DomainEvents | None, event: WarningAppealDecidedV1 | None) -> None:
    if events is not None and event is not None:
        events.publish_detail(WARNING_APPEAL_DECIDED, event, resources=[f"case/{event.case_id}"])
