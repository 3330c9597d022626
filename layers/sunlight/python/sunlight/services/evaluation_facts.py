"""Counting evaluation facts (绩效评估数据采集): each domain event becomes at most one fact, counted
exactly once into its department's (and item's) counters of the month it happened in.

Facts are keyed by their subject (case, card, complaint, rating, order), so a redelivered event,
or a second event about the same thing (a case accepted again after 补正), counts once. A revoked
card is subtracted from the month it was counted in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from ..models import evaluation_events as ev
from ..models.case import Case, CaseStatus
from ..models.clock import LimitUnit
from ..models.events import CASE_TRANSITIONED, CaseTransitionedV1
from ..models.flow import Decision
from ..rules.deadlines import PausedDates, due_on, removed_working_days
from ..rules.penalty import decision_due_on
from ..rules.periods import Period
from ..rules.workdays import WorkingCalendar, local_date, working_days_between
from .ports import CaseRepository, EvaluationRepository, FactEntry

log = logging.getLogger(__name__)

DECIDED = (CaseStatus.COMPLETED, CaseStatus.DENIED)  # closed with a decision (办结 or 不予批准)
CLOSING = {
    CaseStatus.COMPLETED: "closed_completed",
    CaseStatus.DENIED: "closed_denied",
    CaseStatus.REJECTED: "closed_rejected",
    CaseStatus.WITHDRAWN: "closed_withdrawn",
    CaseStatus.SUSPENDED: "closed_suspended",
}
# A penalty is not applied for and accepted: its 立案 (the window's registration, entering the first step) is its receipt.
PENALTY_FIRST_STEPS = frozenset({CaseStatus.INVESTIGATE, CaseStatus.ON_SPOT})
PENALTY_DECISIONS = frozenset({Decision.PENALIZE.value, Decision.NO_PENALTY.value})  # 处罚决定 of the ordinary procedure
CARD_METRICS = {"yellow": "yellow_cards", "red": "red_cards", "anomaly": "anomalies"}  # reminders do not count

EVENT_MODELS: dict[str, type[BaseModel]] = {
    CASE_TRANSITIONED: CaseTransitionedV1,
    ev.WARNING_ISSUED: ev.WarningIssuedV1,
    ev.WARNING_REVOKED: ev.WarningRevokedV1,
    ev.COMPLAINT_FILED: ev.ComplaintFiledV1,
    ev.COMPLAINT_CONCLUDED: ev.ComplaintConcludedV1,
    ev.SATISFACTION_RATED: ev.SatisfactionRatedV1,
    ev.SUPERVISION_ORDER_ISSUED: ev.SupervisionOrderIssuedV1,
    ev.SUPERVISION_ORDER_ANSWERED: ev.SupervisionOrderAnsweredV1,
    ev.SUPERVISION_ORDER_CONCLUDED: ev.SupervisionOrderConcludedV1,
    ev.WARNING_APPEAL_DECIDED: ev.WarningAppealDecidedV1,
}


@dataclass(frozen=True)
class Outcome:
    """What one event did to the figures: counted, revoked, duplicate, or ignored."""

    result: str
    fact: FactEntry | None = None


def _fact(
    event_id: str, department_id: str, at: datetime, subject_id: str, metrics: tuple[str, ...],
    increments: dict[str, int] | None = None, *, item_code: str | None = None, details: dict[str, Any] | None = None,
) -> FactEntry:
    counts = {metric: 1 for metric in metrics}
    counts.update(increments or {})
    return FactEntry(
        event_id=event_id, department_id=department_id, month=str(Period.month_of(at)), subject_id=subject_id,
        item_code=item_code, metrics=metrics, increments=counts, occurred_at=at, details=details or {},
    )


def case_closing_figures(case: Case, closed_at: datetime, calendar: WorkingCalendar) -> dict[str, Any]:
    """Working days used (from the day after 受理 — or receipt, for a case rejected or deemed
    accepted — to the day of closing, counted as the limit is: pauses removed only where the clock
    would have counted) against the promised limit, and whether it was on time or early
    (提前办结: at least one working day left before the promised date)."""
    closed_on = local_date(closed_at)
    start = local_date(case.counting_start)
    elapsed = working_days_between(start + timedelta(days=1), closed_on + timedelta(days=1), calendar)
    paused_dates = PausedDates.of(case.pauses, now=closed_at)
    paused = removed_working_days(start, closed_on, calendar, paused_dates)
    days_left = working_days_between(closed_on + timedelta(days=1), case.promised_due_on + timedelta(days=1), calendar)
    promised = case.promised_limit_days
    if case.promised_limit_unit is not LimitUnit.WORKING_DAYS:
        # Like with like: a promise in calendar days is weighed as the working days it spans (from
        # the start to its last day without extensions, pauses left out): the days used are working days.
        last = due_on(case.counting_start, promised, extra_days=0, calendar=calendar, paused=paused_dates, unit=case.promised_limit_unit)
        spanned = working_days_between(start + timedelta(days=1), last + timedelta(days=1), calendar)
        promised = max(0, spanned - removed_working_days(start, last, calendar, paused_dates))
    return {
        "days_used": max(0, elapsed - paused),
        "days_promised": promised,
        "on_time": closed_on <= case.promised_due_on,
        "early": days_left >= 1,
        "promised_due_on": case.promised_due_on.isoformat(),
    }


class FactService:
    def __init__(self, *, facts: EvaluationRepository, cases: CaseRepository, calendar: WorkingCalendar) -> None:
        self._facts = facts
        self._cases = cases
        self._calendar = calendar

    def handle(self, detail_type: str, detail: dict[str, Any]) -> Outcome:
        """Counts one event from the bus. Raises pydantic.ValidationError for a malformed detail."""
        model = EVENT_MODELS.get(detail_type)
        if model is None:
            return Outcome("ignored")
        event = model.model_validate(detail)
        if isinstance(event, ev.WarningRevokedV1):
            fact = self.card_fact(event)
            if fact is None:
                return Outcome("ignored")
            return Outcome("revoked" if self._facts.revoke_fact(fact) else "duplicate", fact)
        fact = self.fact_of(event)
        if fact is None:
            return Outcome("ignored")
        return Outcome("counted" if self._facts.record_fact(fact) else "duplicate", fact)

    def fact_of(self, event: BaseModel) -> FactEntry | None:
        """The fact an event is, or None if it does not count in the evaluation."""
        match event:
            case CaseTransitionedV1():
                return self._case_fact(event)
            case ev.WarningIssuedV1():
                return self.card_fact(event)
            case ev.ComplaintFiledV1():
                return _fact(event.event_id, event.department_id, event.filed_at, event.complaint_id, ("complaints",),
                             details={"case_id": event.case_id})
            case ev.ComplaintConcludedV1():
                metrics = ("complaints_concluded", "complaints_founded") if event.founded else ("complaints_concluded",)
                return _fact(event.event_id, event.department_id, event.concluded_at, event.complaint_id, metrics,
                             details={"case_id": event.case_id, "founded": event.founded})
            case ev.SatisfactionRatedV1():
                return _fact(event.event_id, event.department_id, event.rated_at, event.case_id, ("ratings",),
                             {"rating_sum": event.rating}, item_code=event.item_code, details={"rating": event.rating})
            case ev.SupervisionOrderIssuedV1():
                return _fact(event.event_id, event.department_id, event.issued_at, event.order_id, ("orders_issued",),
                             details={"source_kind": event.source_kind, "source_id": event.source_id})
            case ev.SupervisionOrderAnsweredV1():
                metrics = ("orders_answered", "orders_answered_on_time") if event.on_time else ("orders_answered",)
                return _fact(event.event_id, event.department_id, event.answered_at, event.order_id, metrics,
                             {"order_answer_days": event.working_days_to_answer},
                             details={"working_days_to_answer": event.working_days_to_answer, "on_time": event.on_time})
            case ev.WarningAppealDecidedV1():
                return self.appeal_fact(event)
            case ev.SupervisionOrderConcludedV1():
                founded = event.conclusion in (ev.OrderConclusion.WELL_FOUNDED, ev.OrderConclusion.CORRECTED)
                metrics = ("orders_concluded", "orders_founded") if founded else ("orders_concluded",)
                return _fact(event.event_id, event.department_id, event.concluded_at, event.order_id, metrics,
                             details={"conclusion": event.conclusion.value})
        return None

    @staticmethod
    def card_fact(event: ev.WarningIssuedV1 | ev.WarningRevokedV1) -> FactEntry | None:
        """A card counts in the month it was issued; its revocation is the same fact, subtracted."""
        metric = CARD_METRICS.get(event.level)
        if metric is None:
            return None
        details: dict[str, Any] = {"case_id": event.case_id, "level": event.level}
        if isinstance(event, ev.WarningRevokedV1):
            details["revoked_at"] = event.revoked_at.isoformat()
        return _fact(event.event_id, event.department_id, event.issued_at, event.warning_id, (metric,),
                     item_code=event.item_code, details=details)

    @staticmethod
    def appeal_fact(event: ev.WarningAppealDecidedV1) -> FactEntry:
        """A decided card appeal counts in its card's department, in the month it was decided (as
        an order's answer does), so it rolls up to that department's district and the city."""
        granted = event.outcome is ev.AppealOutcome.GRANTED
        metrics = ("appeals_decided", *(("appeals_decided_on_time",) if event.on_time else ()),
                   *(("appeals_granted",) if granted else ()))
        return _fact(event.event_id, event.department_id, event.decided_at, event.warning_id, metrics,
                     {"appeal_decision_days": event.working_days_to_decide}, item_code=event.item_code,
                     details={"case_id": event.case_id, "level": event.level, "outcome": event.outcome.value,
                              "appealed_at": event.appealed_at.isoformat(), "due_at": event.due_at.isoformat(),
                              "working_days_to_decide": event.working_days_to_decide, "on_time": event.on_time,
                              "decided_by_government_id": event.decided_by_government_id})

    def _penalty_decision_fact(self, event: CaseTransitionedV1, details: dict[str, Any]) -> FactEntry | None:
        """行政处罚法 第六十条: a penalty decided within 90 days of 立案 counts as in time."""
        case = self._cases.get(event.case_id)
        if case is None:
            return None
        due = decision_due_on(case.submitted_at, self._calendar)
        in_time = local_date(event.occurred_at) <= due
        metrics = ("penalties_decided", "penalties_decided_in_time") if in_time else ("penalties_decided",)
        return _fact(event.event_id, event.department_id, event.occurred_at, event.case_id, metrics, item_code=event.item_code,
                     details={**details, "decision_due_on": due.isoformat(), "in_time": in_time})

    def _case_fact(self, event: CaseTransitionedV1) -> FactEntry | None:
        to_state = CaseStatus(event.to_state)
        details = {"case_id": event.case_id, "item_name": event.item_name}
        opened = event.action == "dispatch" and event.from_state == CaseStatus.SUBMITTED.value and to_state in PENALTY_FIRST_STEPS
        if opened or (event.action == Decision.ACCEPT.value and event.from_state == CaseStatus.ACCEPT.value):
            return _fact(event.event_id, event.department_id, event.occurred_at, event.case_id, ("received",),
                         item_code=event.item_code, details=details)
        if event.action in PENALTY_DECISIONS and event.from_state == CaseStatus.DECIDE.value:
            return self._penalty_decision_fact(event, details)
        status_metric = CLOSING.get(to_state)
        if status_metric is None:
            return None
        if to_state not in DECIDED:
            return _fact(event.event_id, event.department_id, event.occurred_at, event.case_id, (status_metric,),
                         item_code=event.item_code, details=details)
        case = self._cases.get(event.case_id)
        if case is None:  # cannot happen for a recorded transition; count it without timing
            log.warning("case %s of closing event %s not found: counted without timing", event.case_id, event.event_id)
            return _fact(event.event_id, event.department_id, event.occurred_at, event.case_id,
                         ("completed", status_metric), item_code=event.item_code, details=details)
        timing = case_closing_figures(case, event.occurred_at, self._calendar)
        # A co-department's part of a joint case (并联审批) counts in its department's on-time,
        # early and days-used figures (its promised date is its opinion limit), but is no 办结 of its
        # own: the case is received and closed once, by the lead department.
        closing = () if case.parent_case_id is not None else (status_metric,)
        metrics = ["completed", *closing, "on_time" if timing["on_time"] else "overdue"]
        if timing["early"]:
            metrics.append("early")
        return _fact(event.event_id, event.department_id, event.occurred_at, event.case_id, tuple(metrics),
                     {"days_used": timing["days_used"], "days_promised": timing["days_promised"]},
                     item_code=event.item_code, details={**details, **timing})
