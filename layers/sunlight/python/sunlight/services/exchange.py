"""The outbound exchange (与上级平台实时数据交换): bus facts → outbox → FIFO queue → signed POST.

- `ExchangeOutboxService` (function exchange_outbox, a rule target on the domain bus) maps a fact to its
  message (rules/exchange.py), stores it once (a conditional put: a redelivered fact finds it) and
  queues it in the entity's FIFO group with the message id as deduplication id.
- `ExchangeSender` (function exchange_send, the queue's consumer) signs and POSTs each message and
  records the receiver's acknowledgement; a failure leaves the message on the queue, invisible for
  an exponentially growing delay (the group waits: order per case is kept), until the queue's
  redrive policy moves it to the dead-letter queue after N receives.
- `ExchangeReconciler` (function exchange_reconcile, daily) counts each day's messages by type and
  state and keeps the figures for the inspectors' page (数据交换对账).

Order per case: the bus does not order events, so a case's fact can reach the outbox after its
successor. The FIFO group keeps the outbox's order; the sender then keeps the facts' order:
- it first sends the entity's stored, unacknowledged messages of a lower sequence (facts the bus
  delivered late, queued behind this one);
- a message whose predecessor is not in the outbox yet (rules/exchange.py `missing_predecessor`: a
  case's facts are gap-free) is held: back on the queue for a growing delay, the group waiting
  behind it, for at most half the queue's receives. A predecessor that never comes (its fact was
  lost) does not stop the case for good: the message then goes with a logged gap, and the receiver
  still has each message's sequence.

Exactly once as the receiver sees it: the receiver de-duplicates on the message id, and a message is
never sent with another body under the same id (the id is derived from the fact; the stored message
is what is sent).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from sunlight.models.exchange import (
    MESSAGE_TYPE_LABELS,
    DeliveryState,
    ExchangeAck,
    ExchangeDayFigures,
    ExchangeMessage,
    ExchangeReconciliation,
    ExchangeStatus,
    MessageType,
)
from sunlight.models.levels import CITY_GOVERNMENT_ID
from sunlight.models.roles import Principal, Role
from sunlight.rules.exchange import GovernmentOf, message_for, missing_predecessor
from sunlight.rules.exchange_signing import canonical_body, retry_delay_seconds, signed_headers
from sunlight.rules.workdays import local_date
from sunlight.services.errors import Forbidden
from sunlight.services.ports import Clock
from sunlight.services.ports.exchange import (
    DeliveryFailed,
    ExchangeOutbox,
    ExchangeQueue,
    ExchangeTransport,
    ReconciliationReports,
    SigningKey,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxOutcome:
    result: str  # "queued" | "requeued" | "already_acked" | "not_exchanged"
    message_id: str | None = None
    message_type: MessageType | None = None


class ExchangeOutboxService:
    def __init__(self, *, outbox: ExchangeOutbox, queue: ExchangeQueue, clock: Clock, platform_id: str,
                 government_of: GovernmentOf) -> None:
        self.outbox = outbox
        self.queue = queue
        self.clock = clock
        self.platform_id = platform_id
        self.government_of = government_of

    def handle(self, detail_type: str, detail: Mapping[str, Any]) -> OutboxOutcome:
        """Raises pydantic's ValidationError for a malformed fact (the handler logs and drops it)."""
        message = message_for(detail_type, detail, platform_id=self.platform_id, government_of=self.government_of)
        if message is None:
            return OutboxOutcome("not_exchanged")
        now = self.clock.now()
        if not self.outbox.put_new(message, local_date(now), now):
            stored = self.outbox.get(message.message_id)
            if stored is not None and stored.state is DeliveryState.ACKED:
                return OutboxOutcome("already_acked", message.message_id, message.message_type)
            # Stored by an earlier delivery of the fact that may have failed before queueing it:
            # queue the stored message again (FIFO deduplication drops it within 5 minutes, the
            # sender skips it once acknowledged). The stored body is sent, never a re-mapped one.
            message = stored.message if stored is not None else message
            self.queue.enqueue(message, canonical_body(message).decode("utf-8"))
            return OutboxOutcome("requeued", message.message_id, message.message_type)
        self.queue.enqueue(message, canonical_body(message).decode("utf-8"))
        return OutboxOutcome("queued", message.message_id, message.message_type)


@dataclass(frozen=True)
class QueuedDelivery:
    """One SQS record: what the consumer was handed."""

    record_id: str  # SQS messageId: what a partial-batch response names
    receipt_handle: str
    body: str
    receive_count: int
    group_id: str


@dataclass(frozen=True)
class DeliveryPolicy:
    endpoint: str
    timeout_seconds: float = 10.0
    backoff_base_seconds: int = 10
    backoff_cap_seconds: int = 900
    max_receives: int = 8  # the queue's redrive policy: the last attempt before the dead-letter queue

    hold_factor: int = 3  # a hold waits this many times the backoff of a failure at the same receive

    @property
    def hold_receives(self) -> int:
        """Receives that may wait for a late predecessor: half, so the other half still deliver."""
        return self.max_receives // 2

    def hold_seconds(self, receive_count: int) -> int:
        """A late fact comes after a backlog (the outbox throttled, the bus retrying), not after a
        blip: holds wait longer than retries. Deployed: 30 + 60 + 120 + 240 s ≈ 7.5 min in all."""
        return min(self.backoff_cap_seconds,
                   self.hold_factor * retry_delay_seconds(receive_count, self.backoff_base_seconds, self.backoff_cap_seconds))


# Outcomes whose queue message stays on the queue (named in the batch's failures), to come back later.
NOT_DELIVERED = frozenset({"held", "retry", "dead_letter", "skipped"})


@dataclass(frozen=True)
class DeliveryOutcome:
    record_id: str
    message_id: str
    result: str  # "acked" | "duplicate" | "already_acked" | "held" | "retry" | "dead_letter" | "skipped"
    detail: str = ""


class ExchangeSender:
    def __init__(self, *, outbox: ExchangeOutbox, queue: ExchangeQueue, transport: ExchangeTransport, key: SigningKey,
                 clock: Clock, policy: DeliveryPolicy, wall_time: Callable[[], float] = time.time) -> None:
        self.outbox = outbox
        self.queue = queue
        self.transport = transport
        self.key = key
        self.clock = clock
        self.policy = policy
        # Signatures carry real time (the receiver checks it against its own), never the demo clock.
        self.wall_time = wall_time

    def deliver_batch(self, deliveries: Sequence[QueuedDelivery]) -> list[DeliveryOutcome]:
        """Delivers in order; after a failure, the rest of that FIFO group is left for later
        (not attempted), so a later fact of a case never overtakes an earlier one."""
        blocked: set[str] = set()
        outcomes = []
        for delivery in deliveries:
            if delivery.group_id in blocked:
                outcomes.append(DeliveryOutcome(delivery.record_id, "", "skipped"))
                self.queue.retry_later(delivery.receipt_handle, 0)
                continue
            outcome = self.deliver(delivery)
            if outcome.result in NOT_DELIVERED:
                blocked.add(delivery.group_id)
            outcomes.append(outcome)
        return outcomes

    def deliver(self, delivery: QueuedDelivery) -> DeliveryOutcome:
        message = ExchangeMessage.model_validate_json(delivery.body)
        stored = self.outbox.get(message.message_id)
        if stored is not None and stored.state is DeliveryState.ACKED:
            return DeliveryOutcome(delivery.record_id, message.message_id, "already_acked")
        body = delivery.body.encode("utf-8")  # the stored bytes, as queued
        earlier = self.outbox.earlier(message)
        missing = missing_predecessor(message, {e.message.sequence: (e.message.message_type, e.state is DeliveryState.ACKED)
                                                for e in earlier})
        if missing is not None and delivery.receive_count <= self.policy.hold_receives:
            delay = self.policy.hold_seconds(delivery.receive_count)
            self.queue.retry_later(delivery.receipt_handle, delay)
            return DeliveryOutcome(delivery.record_id, message.message_id, "held",
                                   f"waiting for sequence {missing} of {message.entity_id}; again in {delay} s")
        if missing is not None:
            log.warning("sending %s without sequence %s of %s: its fact never reached the outbox",
                        message.message_id, missing, message.entity_id)
        try:
            # A case's earlier facts that reached the outbox after this one (queued behind it) go first
            # (each is skipped when its own turn comes). The index read may lag an acknowledgement by a
            # moment: each is read again, consistently, before it is sent.
            for stored_earlier in earlier:
                if stored_earlier.state is DeliveryState.ACKED:
                    continue
                current = self.outbox.get(stored_earlier.message.message_id)
                if current is None or current.state is DeliveryState.ACKED:
                    continue
                earlier_status = self._post(current.message.message_id, canonical_body(current.message))
                self.outbox.mark_acked(current.message.message_id, earlier_status, self.clock.now())
            status = self._post(message.message_id, body)
        except DeliveryFailed as failure:
            return self._failed(delivery, message.message_id, str(failure))
        self.outbox.mark_acked(message.message_id, status, self.clock.now())
        return DeliveryOutcome(delivery.record_id, message.message_id, "duplicate" if status == "duplicate" else "acked",
                               f"sent without sequence {missing}" if missing is not None else "")

    def _post(self, message_id: str, body: bytes) -> str:
        key_id, key = self.key.current()
        timestamp = int(self.wall_time())
        headers = signed_headers(message_id, key_id, key, timestamp, body)
        status, answer = self.transport.post(self.policy.endpoint, body, headers, self.policy.timeout_seconds)
        if status != 200:
            raise DeliveryFailed(f"HTTP {status}: {answer[:200].decode('utf-8', 'replace')}")
        try:
            ack = ExchangeAck.model_validate_json(answer)
        except ValidationError:
            raise DeliveryFailed(f"not an acknowledgement: {answer[:200].decode('utf-8', 'replace')}") from None
        if ack.message_id != message_id:
            raise DeliveryFailed(f"acknowledgement names another message ({ack.message_id})")
        return ack.status

    def _failed(self, delivery: QueuedDelivery, message_id: str, error: str) -> DeliveryOutcome:
        final = delivery.receive_count >= self.policy.max_receives
        self.outbox.record_failure(message_id, error, final, self.clock.now())
        if final:
            # Visible at once: the queue's next receive moves it to the dead-letter queue.
            self.queue.retry_later(delivery.receipt_handle, 0)
            return DeliveryOutcome(delivery.record_id, message_id, "dead_letter", error)
        delay = retry_delay_seconds(delivery.receive_count, self.policy.backoff_base_seconds, self.policy.backoff_cap_seconds)
        self.queue.retry_later(delivery.receipt_handle, delay)
        return DeliveryOutcome(delivery.record_id, message_id, "retry", f"{error}; again in {delay} s")


RECONCILED_DAYS = 7  # the daily run counts the last week again: late acknowledgements change old days
PAGE_DAYS_MAX = 92


class ExchangeReconciler:
    def __init__(self, *, outbox: ExchangeOutbox | None, reports: ReconciliationReports, clock: Clock,
                 endpoint: str = "", enabled: bool = False) -> None:
        self.outbox = outbox
        self.reports = reports
        self.clock = clock
        self.endpoint = endpoint
        self.enabled = enabled

    def reconcile_day(self, day: date) -> list[ExchangeDayFigures]:
        if self.outbox is None:
            raise RuntimeError("the reconciliation needs the outbox table")
        states = self.outbox.day_states(day)
        counters = self.outbox.day_counters(day)
        figures = []
        for message_type in MessageType:
            by_state = states.get(message_type, {})
            failed_attempts = counters.get(message_type, {}).get("failed_attempts", 0)
            sent = sum(by_state.values())
            if not sent and not failed_attempts:
                continue
            acked = by_state.get(DeliveryState.ACKED, 0)
            failed = by_state.get(DeliveryState.FAILED, 0)
            figures.append(ExchangeDayFigures(day=day, message_type=message_type, type_label=MESSAGE_TYPE_LABELS[message_type],
                                              sent=sent, acked=acked, failed=failed, pending=sent - acked - failed,
                                              failed_attempts=failed_attempts))
        self.reports.put_day(figures)
        return figures

    def reconcile_recent(self) -> list[ExchangeDayFigures]:
        now = self.clock.now()
        today = local_date(now)
        figures = [f for offset in range(RECONCILED_DAYS, -1, -1) for f in self.reconcile_day(today - timedelta(days=offset))]
        host = urlsplit(self.endpoint).hostname if self.endpoint else None
        self.reports.put_status(ExchangeStatus(enabled=self.enabled, endpoint_host=host, reconciled_at=now))
        return figures

    def reconciliation(self, principal: Principal, days: int = 31) -> ExchangeReconciliation:
        """The city inspectors' page: the reconciled days, newest first."""
        city_inspector = Role.INSPECTOR in principal.roles and not principal.department_id and (
            principal.government_id or CITY_GOVERNMENT_ID) == CITY_GOVERNMENT_ID
        if not city_inspector:
            raise Forbidden("数据交换对账仅限市监察局查看")
        today = local_date(self.clock.now())
        days = max(1, min(days, PAGE_DAYS_MAX))
        rows = self.reports.days(today - timedelta(days=days - 1), today)
        order = list(MessageType)
        rows.sort(key=lambda f: order.index(f.message_type))
        rows.sort(key=lambda f: f.day, reverse=True)  # stable: newest day first, types in their order
        return ExchangeReconciliation(days=rows, status=self.reports.status())
