"""Ports of the outbound exchange (services/exchange.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sunlight.models.exchange import DeliveryState, ExchangeDayFigures, ExchangeMessage, ExchangeStatus, MessageType


class DeliveryFailed(Exception):
    """The receiver did not acknowledge the message (refused, 5xx, timed out, down, wrong ack)."""


@dataclass(frozen=True)
class StoredMessage:
    message: ExchangeMessage
    state: DeliveryState
    day: date  # the day (China time) it entered the outbox: its counters are that day's
    attempts: int = 0


class ExchangeOutbox(Protocol):
    """The outbox table: each message once, its delivery state, counters per day and type."""

    def put_new(self, message: ExchangeMessage, day: date, now: datetime) -> bool:
        """Stores the message unless its id is there; True when it was new (counted as sent)."""
        ...

    def get(self, message_id: str) -> StoredMessage | None: ...

    def earlier(self, message: ExchangeMessage) -> list[StoredMessage]:
        """The same entity's stored messages of a lower sequence (above 0: sequence 0 is unordered),
        acknowledged or not, lowest first. May lag the newest writes by a moment (an index read)."""
        ...

    def mark_acked(self, message_id: str, status: str, now: datetime) -> bool:
        """pending/failed → acked, counted once per message; False when it was acked already."""
        ...

    def record_failure(self, message_id: str, error: str, final: bool, now: datetime) -> None:
        """Counts a failed attempt; `final` (the last before the dead-letter queue) marks it failed."""
        ...

    def day_counters(self, day: date) -> Mapping[MessageType, Mapping[str, int]]: ...

    def day_states(self, day: date) -> Mapping[MessageType, Mapping[DeliveryState, int]]:
        """The messages of a day counted by their state (read from the messages, not the counters)."""
        ...


class ExchangeQueue(Protocol):
    """The FIFO queue between the outbox and the sender."""

    def enqueue(self, message: ExchangeMessage, body: str) -> None:
        """group = entity_id (order per case), deduplication id = message_id."""
        ...

    def retry_later(self, receipt_handle: str, delay_seconds: int) -> None: ...


class ExchangeTransport(Protocol):
    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout_seconds: float) -> tuple[int, bytes]:
        """The receiver's status and body; raises DeliveryFailed when no answer came."""
        ...


class SigningKey(Protocol):
    def current(self) -> tuple[str, bytes]:
        """(key id, key bytes) of the shared HMAC key."""
        ...


class ReconciliationReports(Protocol):
    """Where the daily reconciliation is kept for the inspectors' page."""

    def put_day(self, figures: list[ExchangeDayFigures]) -> None: ...

    def days(self, first: date, last: date) -> list[ExchangeDayFigures]: ...

    def put_status(self, status: ExchangeStatus) -> None: ...

    def status(self) -> ExchangeStatus | None: ...
