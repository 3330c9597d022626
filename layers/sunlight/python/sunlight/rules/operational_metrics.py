"""Which operational metrics a domain event adds to: a pure function, one event at a time.

- CaseTransitioned: leaving `submitted` is a case received (收件, it entered 受理); reaching
  `completed` a case completed (办结); reaching an end (completed, rejected, denied) after the
  promised day (承诺时限, city calendar day) a case closed late (超期办结).
- WarningIssued: one more warning of its level (reminder, yellow, red, anomaly); WarningRevoked
  one more revoked card (the issued count stays: it is what happened that day).
- Complaints, ratings and supervision orders: one each; a rating also its score.

Events of other detail-types add nothing (None). A malformed detail raises ValidationError.
Delivery is at least once, and metrics cannot de-duplicate: a redelivered event counts twice
(rare; the department scores, which must be exact, come from the evaluation counters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ..models import evaluation_events as ev
from ..models.events import CASE_TRANSITIONED, CaseTransitionedV1
from ..models.monitoring import CARD_METRICS, MetricBatch, OperationalMetric
from .workdays import local_date

RECEIVED_FROM_STATE = "submitted"
COMPLETED_STATE = "completed"
CLOSING_STATES = frozenset({"completed", "rejected", "denied"})  # not "withdrawn": the applicant's doing

M = OperationalMetric


def metrics_of(detail_type: str, detail: Mapping[str, Any]) -> MetricBatch | None:
    """The metrics one event adds to, or None when it adds to none."""
    measure = _MEASURES.get(detail_type)
    return measure(detail) if measure else None


def _warning_issued(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.WarningIssuedV1.model_validate(detail)
    return _batch(fact.department_id, fact.issued_at, {CARD_METRICS[fact.level]: 1})


def _warning_revoked(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.WarningRevokedV1.model_validate(detail)
    return _batch(fact.department_id, fact.revoked_at, {M.CARDS_REVOKED: 1})


def _complaint_filed(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.ComplaintFiledV1.model_validate(detail)
    return _batch(fact.department_id, fact.filed_at, {M.COMPLAINTS_FILED: 1})


def _complaint_concluded(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.ComplaintConcludedV1.model_validate(detail)
    return _batch(fact.department_id, fact.concluded_at, {M.COMPLAINTS_CONCLUDED: 1})


def _rated(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.SatisfactionRatedV1.model_validate(detail)
    return _batch(fact.department_id, fact.rated_at, {M.RATINGS: 1, M.RATING_SCORE: fact.rating})


def _order_issued(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.SupervisionOrderIssuedV1.model_validate(detail)
    return _batch(fact.department_id, fact.issued_at, {M.ORDERS_ISSUED: 1})


def _order_answered(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.SupervisionOrderAnsweredV1.model_validate(detail)
    return _batch(fact.department_id, fact.answered_at, {M.ORDERS_ANSWERED: 1})


def _order_concluded(detail: Mapping[str, Any]) -> MetricBatch | None:
    fact = ev.SupervisionOrderConcludedV1.model_validate(detail)
    return _batch(fact.department_id, fact.concluded_at, {M.ORDERS_CONCLUDED: 1})


def _case_transitioned(detail: Mapping[str, Any]) -> MetricBatch | None:
    return _transition(CaseTransitionedV1.model_validate(detail))


def _transition(event: CaseTransitionedV1) -> MetricBatch | None:
    values: dict[OperationalMetric, float] = {}
    if event.from_state == RECEIVED_FROM_STATE:
        values[M.CASES_RECEIVED] = 1
    if event.to_state == COMPLETED_STATE:
        values[M.CASES_COMPLETED] = 1
    if event.to_state in CLOSING_STATES and local_date(event.occurred_at) > date.fromisoformat(event.promised_due_on):
        values[M.CASES_OVERDUE] = 1
    return _batch(event.department_id, event.occurred_at, values)


def _batch(department_id: str, at: datetime, values: dict[OperationalMetric, float]) -> MetricBatch | None:
    return MetricBatch(department_id=department_id, at=at, values=values) if values else None


_MEASURES: dict[str, Callable[[Mapping[str, Any]], MetricBatch | None]] = {
    CASE_TRANSITIONED: _case_transitioned,
    ev.WARNING_ISSUED: _warning_issued,
    ev.WARNING_REVOKED: _warning_revoked,
    ev.COMPLAINT_FILED: _complaint_filed,
    ev.COMPLAINT_CONCLUDED: _complaint_concluded,
    ev.SATISFACTION_RATED: _rated,
    ev.SUPERVISION_ORDER_ISSUED: _order_issued,
    ev.SUPERVISION_ORDER_ANSWERED: _order_answered,
    ev.SUPERVISION_ORDER_CONCLUDED: _order_concluded,
}
MEASURED_DETAIL_TYPES = tuple(_MEASURES)  # what the function's bus rule subscribes to
