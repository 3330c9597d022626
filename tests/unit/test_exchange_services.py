"""The exchange's use cases on fakes: the sender's outcomes per receiver answer, the backoff it asks
of the queue, giving up on the last receive, and who may read the reconciliation."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from sunlight.models.exchange import DeliveryState, ExchangeDayFigures, ExchangeStatus, MessageType
from sunlight.models.roles import Principal, Role
from sunlight.rules.exchange import message_for
from sunlight.rules.exchange_signing import canonical_body, signature_is_valid
from sunlight.services.errors import Forbidden
from sunlight.services.exchange import DeliveryPolicy, ExchangeOutboxService, ExchangeReconciler, ExchangeSender, QueuedDelivery
from sunlight.services.ports.exchange import DeliveryFailed, StoredMessage
from tests.fakes.cases import FakeClock
from tests.unit.exchange_facts import facts

KEY = b"k"


class Outbox:
    def __init__(self):
        self.messages: dict[str, StoredMessage] = {}
        self.failures: list[tuple[str, bool]] = []

    def put_new(self, message, day, now):
        if message.message_id in self.messages:
            return False
        self.messages[message.message_id] = StoredMessage(message, DeliveryState.PENDING, day)
        return True

    def get(self, message_id):
        return self.messages.get(message_id)

    def earlier(self, message):
        return sorted((s for s in self.messages.values() if s.message.entity_id == message.entity_id
                       and 0 < s.message.sequence < message.sequence), key=lambda s: s.message.sequence)

    def mark_acked(self, message_id, status, now):
        stored = self.messages[message_id]
        self.messages[message_id] = StoredMessage(stored.message, DeliveryState.ACKED, stored.day)
        return stored.state is not DeliveryState.ACKED

    def record_failure(self, message_id, error, final, now):
        self.failures.append((error, final))

    def day_counters(self, day):
        return {}

    def day_states(self, day):
        counts: dict = {}
        for stored in (s for s in self.messages.values() if s.day == day):
            counts.setdefault(stored.message.message_type, Counter())[stored.state] += 1
        return counts


class Queue:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []
        self.delays: list[int] = []

    def enqueue(self, message, body):
        self.sent.append((message.entity_id, message.message_id))

    def retry_later(self, receipt_handle, delay_seconds):
        self.delays.append(delay_seconds)


class Transport:
    def __init__(self, answers):
        self.answers = list(answers)
        self.posts: list[tuple[bytes, dict]] = []

    def post(self, url, body, headers, timeout_seconds):
        self.posts.append((body, dict(headers)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Key:
    def current(self):
        return "k1", KEY


def _setup(answers):
    outbox, queue, transport = Outbox(), Queue(), Transport(answers)
    clock = FakeClock()
    sender = ExchangeSender(outbox=outbox, queue=queue, transport=transport, key=Key(), clock=clock,
                            policy=DeliveryPolicy(endpoint="https://upper.example/m", backoff_base_seconds=10, backoff_cap_seconds=60,
                                                  max_receives=4), wall_time=lambda: 1_800_000_000.0)
    outboxes = ExchangeOutboxService(outbox=outbox, queue=queue, clock=clock, platform_id="420700", government_of=lambda d: "420704")
    return outbox, queue, transport, sender, outboxes


def _delivery(message, receive_count=1):
    return QueuedDelivery("r1", "h1", canonical_body(message).decode(), receive_count, message.entity_id)


def _message(name="case_received"):
    return message_for(*facts[name], platform_id="420700", government_of=lambda d: "420704")


def _ack(message, status="accepted"):
    return 200, f'{{"message_id": "{message.message_id}", "status": "{status}"}}'.encode()


def test_the_sender_posts_the_stored_bytes_signed_and_records_the_ack():
    message = _message()
    outbox, queue, transport, sender, outboxes = _setup([_ack(_message())])
    outboxes.handle(*facts["case_received"])
    outcome = sender.deliver(_delivery(message))
    assert outcome.result == "acked" and outbox.get(message.message_id).state is DeliveryState.ACKED
    body, headers = transport.posts[0]
    assert body == canonical_body(message)
    assert signature_is_valid(KEY, headers["X-Sunlight-Timestamp"], body, headers["X-Sunlight-Signature"], now=1_800_000_000)


@pytest.mark.parametrize("answer", [
    (500, b"oops"), (403, b"no"), (200, b"not json"), (200, b'{"message_id": "other", "status": "accepted"}'),
    (200, b'{"status": "accepted"}'), DeliveryFailed("no answer: timed out"),
])
def test_anything_but_a_matching_ack_is_retried_with_backoff(answer):
    message = _message()
    outbox, queue, _, sender, outboxes = _setup([answer])
    outboxes.handle(*facts["case_received"])
    outcome = sender.deliver(_delivery(message, receive_count=2))
    assert outcome.result == "retry" and queue.delays == [20] and outbox.failures == [(outbox.failures[0][0], False)]
    assert outbox.get(message.message_id).state is DeliveryState.PENDING


def test_the_last_receive_gives_up_so_the_queue_moves_it_to_the_dead_letter_queue():
    message = _message()
    outbox, queue, _, sender, outboxes = _setup([(500, b"")])
    outboxes.handle(*facts["case_received"])
    assert sender.deliver(_delivery(message, receive_count=4)).result == "dead_letter"
    assert queue.delays == [0] and outbox.failures[0][1] is True


def test_an_acked_message_is_not_posted_again():
    message = _message()
    outbox, _, transport, sender, outboxes = _setup([_ack(message)])
    outboxes.handle(*facts["case_received"])
    sender.deliver(_delivery(message))
    assert sender.deliver(_delivery(message)).result == "already_acked" and len(transport.posts) == 1
    assert outboxes.handle(*facts["case_received"]).result == "already_acked"


def test_a_duplicate_ack_counts_as_acknowledged():
    message = _message()
    outbox, _, _, sender, outboxes = _setup([_ack(message, "duplicate")])
    outboxes.handle(*facts["case_received"])
    assert sender.deliver(_delivery(message)).result == "duplicate" and outbox.get(message.message_id).state is DeliveryState.ACKED


class Reports:
    def __init__(self):
        self.rows: list[ExchangeDayFigures] = []
        self.saved_status: ExchangeStatus | None = None

    def put_day(self, figures):
        self.rows = [r for r in self.rows if not any(r.day == f.day and r.message_type == f.message_type for f in figures)] + figures

    def days(self, first, last):
        return [r for r in self.rows if first <= r.day <= last]

    def put_status(self, status):
        self.saved_status = status

    def status(self):
        return self.saved_status


def _principal(roles, department=None, government=None):
    return Principal(user_id="u", name="n", roles=frozenset(roles), department_id=department, government_id=government)


def test_the_reconciliation_counts_the_day_by_state_and_keeps_a_status():
    outbox, _, _, _, outboxes = _setup([])
    outboxes.handle(*facts["case_received"])
    outboxes.handle(*facts["order_issued"])
    acked = _message("order_issued")
    outbox.mark_acked(acked.message_id, "accepted", None)
    reports = Reports()
    clock = FakeClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    reconciler = ExchangeReconciler(outbox=outbox, reports=reports, clock=clock, endpoint="https://upper.example/m", enabled=True)
    figures = {f.message_type: f for f in reconciler.reconcile_day(date(2026, 11, 23))}
    assert (figures[MessageType.CASE_RECEIVED].pending, figures[MessageType.ORDER_ISSUED].acked) == (1, 1)
    reconciler.reconcile_recent()
    assert reports.saved_status.endpoint_host == "upper.example" and reports.saved_status.enabled
    page = reconciler.reconciliation(_principal({Role.INSPECTOR}, government="420700"))
    assert [f.message_type for f in page.days] == [MessageType.CASE_RECEIVED, MessageType.ORDER_ISSUED]


@pytest.mark.parametrize("principal", [
    _principal({Role.INSPECTOR}, department="market"),  # a department's 监察室
    _principal({Role.INSPECTOR}, government="420704"),  # 鄂城区监察局
    _principal({Role.LEADER}, department="market"),
    _principal({Role.ADMIN}),
])
def test_only_the_city_inspectors_read_the_reconciliation(principal):
    reconciler = ExchangeReconciler(outbox=None, reports=Reports(), clock=FakeClock())
    with pytest.raises(Forbidden):
        reconciler.reconciliation(principal)
