"""Anomaly warnings (异常预警): every case transition goes through its item's anomaly rules; each
hit becomes a warning to the inspectors, with the evidence and a snapshot of the case.

One warning per case, rule and city-local day: its id is derived from them (the day the action
was taken, China time), so a flood of transitions hitting the same rule on the same day (e.g. a
whole case handled on a holiday) is one warning to the inspectors. Each later transition that hit
it is added to the warning's occurrences (a version-conditional write, once per event seq), and
is not notified again. Delivery of transition events is at least once: an event delivered again
issues, adds and notifies nothing twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from ..models.case import Actor, CaseStatus, TimelineEvent
from ..models.events import CaseTransitionedV1
from ..models.warnings import Occurrence, Warning, WarningLevel, anomaly_warning_id
from ..rules.anomalies import AnomalyContext, AnomalyHit, evaluate
from ..rules.workdays import WorkingCalendar, local_date
from .ports import CaseRepository, CatalogReader, Clock, ConcurrentModification, DomainEvents, Notifier, WarningRepository
from .scope import bureau_inboxes
from .warning_facts import publish_issued

log = logging.getLogger(__name__)

CITY_INSPECTORS = "city#inspector"
# Attempts to add an occurrence when other deliveries add theirs at the same moment; beyond them
# the check fails and the bus delivers the event again.
OCCURRENCE_ATTEMPTS = 5
_CLOCK_FIELDS = {
    "status", "step", "step_started_at", "step_due_at", "step_reminder_at", "step_red_at", "step_visit",
    "promised_limit_days", "legal_limit_days", "promised_limit_unit", "legal_limit_unit", "limit_starts_at",
    "promised_due_on", "legal_due_on", "acceptance_due_at",
    "deemed_accepted", "pauses", "extensions", "submitted_at", "closed_at",
}


def anomaly_recipients(department_id: str, government_path: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Inbox keys: the department's inspectors (监察室), the city's, and the 监察局 of each level
    below the city the case is at."""
    return (f"{department_id}#inspector", CITY_INSPECTORS, *bureau_inboxes(government_path))


class AnomalyService:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        catalog: CatalogReader,
        warnings: WarningRepository,
        notifier: Notifier,
        calendar: WorkingCalendar,
        clock: Clock,
        events: DomainEvents | None = None,
    ) -> None:
        self._events = events  # anomaly warnings are evaluation facts (WarningIssued)
        self._cases = cases
        self._catalog = catalog
        self._warnings = warnings
        self._notifier = notifier
        self._calendar = calendar
        self._clock = clock

    def check(self, event: CaseTransitionedV1) -> list[Warning]:
        """The warnings newly issued for this transition (none when it was checked before)."""
        found = self._cases.get_with_timeline(event.case_id)
        if found is None:
            log.warning("case %s of event %s does not exist; nothing to check", event.case_id, event.event_id)
            return []
        case, timeline = found
        item = self._catalog.get_item(case.item_code)
        if item is None:
            log.warning("item %s of case %s is not in the catalog; nothing to check", case.item_code, case.case_id)
            return []
        recorded = next((e for e in timeline if e.seq == event.seq), None) or _timeline_event(event)
        context = AnomalyContext(item=item, case=case, timeline=timeline, event=recorded, calendar=self._calendar)
        issued = []
        for hit in evaluate(context):
            warning = self._warning(context, hit)
            if not self._warnings.issue(warning):
                # Issued earlier that day (or when this event was delivered before): this event is
                # one more occurrence. Publish again in case the first delivery failed after storing
                # it (same warning id: counted once).
                publish_issued(self._events, [self._add_occurrence(warning.warning_id, context.event) or warning])
                continue
            publish_issued(self._events, [warning])
            issued.append(warning)
            try:
                self._notifier.notify(warning)
            except Exception:  # the warning is in the inboxes; a lost e-mail must not undo it
                log.exception("warning %s was issued but its notification failed", warning.warning_id)
        return issued

    def _add_occurrence(self, warning_id: str, event: TimelineEvent) -> Warning | None:
        """The stored warning with `event` among its occurrences (added once, conditionally on the
        version read, so concurrent or repeated deliveries neither lose nor double one)."""
        for _ in range(OCCURRENCE_ATTEMPTS):
            current = self._warnings.get(warning_id)
            if current is None or any(o.seq == event.seq for o in current.occurrences):
                return current
            updated = current.model_copy(
                update={"occurrences": (*current.occurrences, _occurrence(event)), "version": current.version + 1}
            )
            try:
                self._warnings.save(updated, expected_version=current.version)
            except ConcurrentModification:
                continue
            return updated
        raise ConcurrentModification(warning_id)

    def _warning(self, context: AnomalyContext, hit: AnomalyHit) -> Warning:
        case, event = context.case, context.event
        now = self._clock.now()
        return Warning(
            warning_id=anomaly_warning_id(case.case_id, hit.rule.value, local_date(event.occurred_at)),
            case_id=case.case_id,
            department_id=case.department_id,
            item_code=case.item_code,
            item_name=case.item_name,
            step=context.step.value if context.step else None,
            step_visit=_step_visit(context),
            level=WarningLevel.ANOMALY,
            rule=hit.rule.value,
            title=hit.title,
            message=hit.message,
            issued_at=now,
            recipients=anomaly_recipients(case.department_id, case.government_path),
            evidence=evidence(context, hit, taken_at=now),
            occurrences=(_occurrence(event),),
        )


def _occurrence(event: TimelineEvent) -> Occurrence:
    return Occurrence(seq=event.seq, occurred_at=event.occurred_at, action=event.action, actor_name=event.actor.name)


def evidence(context: AnomalyContext, hit: AnomalyHit, *, taken_at: datetime) -> dict[str, Any]:
    """The rule's evidence, the event, and a snapshot of the case's clock and of its timeline up
    to the event (what the rule saw)."""
    event = context.event
    timeline = [*context.earlier, event]
    return {
        **hit.evidence,
        "event": event.model_dump(mode="json", exclude={"case_id"}),
        "clock": {**context.case.model_dump(mode="json", include=_CLOCK_FIELDS), "taken_at": taken_at.isoformat()},
        "timeline": [e.model_dump(mode="json", exclude={"case_id"}) for e in timeline],
    }


def _step_visit(context: AnomalyContext) -> int:
    """The seq of the event that entered the state acted on (the step visit), or the event's own."""
    entered = [e for e in context.earlier if e.to_state == context.event.from_state]
    return entered[-1].seq if entered else context.event.seq


def _timeline_event(event: CaseTransitionedV1) -> TimelineEvent:
    """The timeline event a domain event carries (when the stored timeline does not have it)."""
    return TimelineEvent(
        case_id=event.case_id,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=Actor(**event.actor.model_dump()),
        action=event.action,
        from_state=CaseStatus(event.from_state) if event.from_state else None,
        to_state=CaseStatus(event.to_state),
        opinion=event.opinion,
        details=event.details,
    )

