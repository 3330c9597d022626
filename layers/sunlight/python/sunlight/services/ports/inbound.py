"""Inbound exchange (系统对接·接入): received messages, held reports and the quarantine, stored in
the Supervision table (adapters/dynamodb_inbound.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sunlight.models.inbound import QuarantinedMessage

from .common import StartKey


@dataclass(frozen=True)
class HeldReport:
    sequence: int
    message_id: str
    raw: str  # the message as received (valid: it passed validation before it was held)
    stream: str = ""
    received_at: datetime | None = None


class InboundStore(Protocol):
    def receive(self, message_id: str, *, fingerprint: str, stream: str, sequence: int, raw: str | None,
                received_at: datetime) -> str | None:
        """Records a message id (conditional write) and, with `raw`, holds the report for its
        stream in the same transaction. Returns None when new, else the fingerprint stored
        under the id (nothing written)."""

    def held(self, stream: str) -> list[HeldReport]:
        """The reports held for a stream, lowest sequence first."""

    def waiting(self, *, limit: int, start_key: StartKey | None) -> tuple[list[HeldReport], StartKey | None]:
        """Every stream's held reports (waiting for an earlier sequence), oldest first."""

    def release(self, stream: str, sequence: int) -> None:
        """Drops a held report (applied or stale); nothing if it is gone already."""

    def quarantine(self, record: QuarantinedMessage) -> None: ...

    def quarantined(self, *, limit: int, start_key: StartKey | None) -> tuple[list[QuarantinedMessage], StartKey | None]:
        """Refused messages, newest first."""
