"""Which bus facts go upward, as which message (pure rules; models/exchange.py has the format).

One fact makes at most one message, of the most specific type: a case's first fact (its dispatch
from 已提交 into the flow) is case_received,
a transition that closes it case_completed, one out of a deciding step (批准, 处罚决定) case_decided,
any other case_transitioned. Facts the higher-level platform does not take (a revoked card, a filed
complaint, a rating) make none.

The message id is uuid5 of the fact's event id and the message type: a redelivered fact (EventBridge
delivers at least once) makes the same message with the same body, and the receiver de-duplicates it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sunlight.models.case import CLOSED_STATUSES, CaseStatus
from sunlight.models.evaluation_events import (
    COMPLAINT_CONCLUDED,
    SUPERVISION_ORDER_ANSWERED,
    SUPERVISION_ORDER_CONCLUDED,
    SUPERVISION_ORDER_ISSUED,
    WARNING_ISSUED,
    ComplaintConcludedV1,
    SupervisionOrderAnsweredV1,
    SupervisionOrderConcludedV1,
    SupervisionOrderIssuedV1,
    WarningIssuedV1,
)
from sunlight.models.events import CASE_TRANSITIONED, CaseTransitionedV1
from sunlight.models.exchange import (
    EVALUATION_SNAPSHOT_TAKEN,
    CaseCompletedBody,
    CaseDecidedBody,
    CaseReceivedBody,
    CaseTransitionedBody,
    ComplaintConcludedBody,
    EvaluationSnapshotBody,
    EvaluationSnapshotTakenV1,
    ExchangeMessage,
    LogHeadBody,
    MessageType,
    OrderAnsweredBody,
    OrderConcludedBody,
    OrderIssuedBody,
    WarningIssuedBody,
)
from sunlight.models.flow import Step
from sunlight.models.inspector_log import INSPECTOR_LOG_ANCHORED, InspectorLogAnchoredV1
from sunlight.rules.workdays import local_date

# Fixed forever: changing it would give every fact a new message id (and the receiver duplicates).
MESSAGE_ID_NAMESPACE = uuid.UUID("6f0c5a3e-2b1d-5c7a-9e4f-53756e6c6967")
DECIDING_STEPS = frozenset({Step.APPROVE.value, Step.DECIDE.value})
LOG_ENTITY_ID = "inspector-log"
# The detail-types the outbox function's rule listens to.
EXCHANGED_DETAIL_TYPES = (
    CASE_TRANSITIONED, WARNING_ISSUED, SUPERVISION_ORDER_ISSUED, SUPERVISION_ORDER_ANSWERED,
    SUPERVISION_ORDER_CONCLUDED, COMPLAINT_CONCLUDED, INSPECTOR_LOG_ANCHORED, EVALUATION_SNAPSHOT_TAKEN,
)

GovernmentOf = Callable[[str], str]  # department id → its government's code


def message_id(source_event_id: str, message_type: MessageType) -> str:
    return str(uuid.uuid5(MESSAGE_ID_NAMESPACE, f"{source_event_id}/{message_type.value}"))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def case_message_type(fact: CaseTransitionedV1) -> MessageType:
    # The application itself (seq 1, from nothing) is not published: the case's first fact on the
    # bus is its dispatch into the flow (已提交 → 待受理), which is when it is received (收件).
    if fact.from_state is None or fact.from_state == CaseStatus.SUBMITTED.value:
        return MessageType.CASE_RECEIVED
    if CaseStatus(fact.to_state) in CLOSED_STATUSES:
        return MessageType.CASE_COMPLETED
    if fact.from_state in DECIDING_STEPS:
        return MessageType.CASE_DECIDED
    return MessageType.CASE_TRANSITIONED


def _case_body(fact: CaseTransitionedV1, message_type: MessageType) -> dict[str, Any]:
    common = {"case_id": fact.case_id, "item_code": fact.item_code, "item_name": fact.item_name,
              "department_id": fact.department_id}
    promised = date.fromisoformat(fact.promised_due_on)
    if message_type is MessageType.CASE_RECEIVED:
        body: Any = CaseReceivedBody(**common, received_at=fact.occurred_at, promised_due_on=promised)
    elif message_type is MessageType.CASE_COMPLETED:
        body = CaseCompletedBody(**common, outcome=fact.to_state, from_state=fact.from_state,
                                 completed_at=fact.occurred_at, promised_due_on=promised,
                                 on_time=local_date(fact.occurred_at) <= promised)
    elif message_type is MessageType.CASE_DECIDED:
        body = CaseDecidedBody(**common, action=fact.action, from_state=fact.from_state or "", to_state=fact.to_state,
                               opinion=fact.opinion, decided_at=fact.occurred_at)
    else:
        body = CaseTransitionedBody(**common, action=fact.action, actor_role=fact.actor.role, from_state=fact.from_state,
                                   to_state=fact.to_state, opinion=fact.opinion, occurred_at=fact.occurred_at,
                                   step_due_at=fact.step_due_at, promised_due_on=promised)
    return body.model_dump(mode="json")


def message_for(detail_type: str, detail: Mapping[str, Any], *, platform_id: str,
                government_of: GovernmentOf) -> ExchangeMessage | None:
    """The message a bus fact makes, or None when the fact is not sent upward.

    Raises pydantic's ValidationError for a malformed fact (a retry cannot repair it)."""
    envelope: dict[str, Any] = {"platform_id": platform_id}
    if detail_type == CASE_TRANSITIONED:
        case = CaseTransitionedV1.model_validate(detail)
        message_type = case_message_type(case)
        government = detail.get("government_id") or government_of(case.department_id)
        return _message(case.event_id, message_type, envelope, government, case.case_id, case.seq,
                        case.occurred_at, _case_body(case, message_type))
    if detail_type == WARNING_ISSUED:
        warning = WarningIssuedV1.model_validate(detail)
        body = WarningIssuedBody(warning_id=warning.warning_id, case_id=warning.case_id, department_id=warning.department_id,
                                 level=warning.level, issued_at=warning.issued_at, item_code=warning.item_code)
        # In the case's group: the receiver sees a card after the case's facts that came before it.
        return _message(warning.event_id, MessageType.WARNING_ISSUED, envelope, government_of(warning.department_id),
                        warning.case_id, 0, warning.issued_at, body.model_dump(mode="json"))
    if detail_type == SUPERVISION_ORDER_ISSUED:
        issued = SupervisionOrderIssuedV1.model_validate(detail)
        body_issued = OrderIssuedBody(order_id=issued.order_id, department_id=issued.department_id, source_kind=issued.source_kind,
                                      source_id=issued.source_id, issued_at=issued.issued_at, due_at=issued.due_at,
                                      upstream_order_id=issued.upstream_order_id)
        return _message(issued.event_id, MessageType.ORDER_ISSUED, envelope, government_of(issued.department_id),
                        issued.order_id, 1, issued.issued_at, body_issued.model_dump(mode="json"))
    if detail_type == SUPERVISION_ORDER_ANSWERED:
        answered = SupervisionOrderAnsweredV1.model_validate(detail)
        body_answered = OrderAnsweredBody(order_id=answered.order_id, department_id=answered.department_id,
                                          answered_at=answered.answered_at, due_at=answered.due_at,
                                          working_days_to_answer=answered.working_days_to_answer, on_time=answered.on_time,
                                          # An order from above is answered to the platform that sent it.
                                          upstream_order_id=answered.upstream_order_id,
                                          answer=answered.answer if answered.upstream_order_id else None)
        return _message(answered.event_id, MessageType.ORDER_ANSWERED, envelope, government_of(answered.department_id),
                        answered.order_id, 2, answered.answered_at, body_answered.model_dump(mode="json"))
    if detail_type == SUPERVISION_ORDER_CONCLUDED:
        concluded = SupervisionOrderConcludedV1.model_validate(detail)
        body_concluded = OrderConcludedBody(order_id=concluded.order_id, department_id=concluded.department_id,
                                            conclusion=concluded.conclusion.value, concluded_at=concluded.concluded_at,
                                            upstream_order_id=concluded.upstream_order_id)
        return _message(concluded.event_id, MessageType.ORDER_CONCLUDED, envelope, government_of(concluded.department_id),
                        concluded.order_id, 3, concluded.concluded_at, body_concluded.model_dump(mode="json"))
    if detail_type == COMPLAINT_CONCLUDED:
        complaint = ComplaintConcludedV1.model_validate(detail)
        body_complaint = ComplaintConcludedBody(complaint_id=complaint.complaint_id, case_id=complaint.case_id,
                                                department_id=complaint.department_id, founded=complaint.founded,
                                                filed_at=complaint.filed_at, concluded_at=complaint.concluded_at)
        return _message(complaint.event_id, MessageType.COMPLAINT_CONCLUDED, envelope, government_of(complaint.department_id),
                        complaint.complaint_id, 1, complaint.concluded_at, body_complaint.model_dump(mode="json"))
    if detail_type == INSPECTOR_LOG_ANCHORED:
        anchor = InspectorLogAnchoredV1.model_validate(detail)
        body_log = LogHeadBody(head_sequence=anchor.head_sequence, head_hash=anchor.head_hash, anchored_at=anchor.anchored_at,
                               anchor_key=anchor.anchor_key)
        return _message(anchor.event_id, MessageType.LOG_HEAD, envelope, platform_id, LOG_ENTITY_ID, anchor.head_sequence,
                        anchor.anchored_at, body_log.model_dump(mode="json"))
    if detail_type == EVALUATION_SNAPSHOT_TAKEN:
        snapshot = EvaluationSnapshotTakenV1.model_validate(detail)
        body_snapshot = EvaluationSnapshotBody(period=snapshot.period, closed_at=snapshot.closed_at, scores=snapshot.scores)
        return _message(snapshot.event_id, MessageType.EVALUATION_SNAPSHOT, envelope, platform_id,
                        f"evaluation-{snapshot.period}", 0, snapshot.closed_at, body_snapshot.model_dump(mode="json"))
    return None


# A case's facts are gap-free from its first published one: every timeline event after the
# dispatch (收件) is published (only the application's own event, seq 1 into 已提交, is not).
# An order's answer and conclusion follow its issue.
ORDERED_CASE_TYPES = frozenset({MessageType.CASE_TRANSITIONED, MessageType.CASE_DECIDED, MessageType.CASE_COMPLETED})
ORDER_FOLLOW_UPS = frozenset({MessageType.ORDER_ANSWERED, MessageType.ORDER_CONCLUDED})
ORDER_ISSUED_SEQUENCE = 1


def predecessor_sequence(message_type: MessageType, sequence: int) -> int | None:
    """The sequence of the message this one must follow to the receiver, or None (it may go first)."""
    if message_type in ORDERED_CASE_TYPES and sequence > 1:
        return sequence - 1
    if message_type in ORDER_FOLLOW_UPS and sequence > ORDER_ISSUED_SEQUENCE:
        return ORDER_ISSUED_SEQUENCE
    return None


def missing_predecessor(message: ExchangeMessage, stored: Mapping[int, tuple[MessageType, bool]]) -> int | None:
    """The sequence of the nearest message this one must follow that the outbox does not hold yet
    (the bus delivered its fact late), or None when the chain back to an acknowledged message (or
    to the entity's first) is complete. `stored`: the entity's earlier messages, sequence →
    (type, acknowledged). An acknowledged message's own chain was checked when it was sent."""
    wanted = predecessor_sequence(message.message_type, message.sequence)
    while wanted is not None:
        found = stored.get(wanted)
        if found is None:
            return wanted
        message_type, acknowledged = found
        if acknowledged:
            return None
        wanted = predecessor_sequence(message_type, wanted)
    return None


def _message(event_id: str, message_type: MessageType, envelope: dict[str, Any], government_id: str, entity_id: str,
             sequence: int, occurred_at: datetime, body: dict[str, Any]) -> ExchangeMessage:
    return ExchangeMessage(message_id=message_id(event_id, message_type), message_type=message_type,
                           government_id=government_id, entity_id=entity_id, sequence=sequence,
                           occurred_at=_aware(occurred_at), body=body, **envelope)
