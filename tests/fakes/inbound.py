"""The inbound exchange's store, in memory."""

from __future__ import annotations

from sunlight.models.inbound import QuarantinedMessage
from sunlight.services.ports import HeldReport


class InMemoryInboundStore:
    def __init__(self) -> None:
        self.messages: dict[str, str] = {}  # message id → fingerprint
        self.holds: dict[str, dict[int, HeldReport]] = {}
        self.kept: list[QuarantinedMessage] = []

    def receive(self, message_id: str, *, fingerprint: str, stream: str, sequence: int, raw: str | None, received_at) -> str | None:
        if message_id in self.messages:
            return self.messages[message_id]
        self.messages[message_id] = fingerprint
        if raw is not None:
            self.holds.setdefault(stream, {})[sequence] = HeldReport(sequence=sequence, message_id=message_id, raw=raw,
                                                                     stream=stream, received_at=received_at)
        return None

    def held(self, stream: str) -> list[HeldReport]:
        return [self.holds[stream][s] for s in sorted(self.holds.get(stream, {}))]

    def waiting(self, *, limit: int, start_key: dict | None):
        held = sorted((h for holds in self.holds.values() for h in holds.values()), key=lambda h: (h.received_at, h.stream, h.sequence))
        start = int(start_key["offset"]) if start_key else 0
        more = start + limit < len(held)
        return held[start:start + limit], ({"offset": str(start + limit)} if more else None)

    def release(self, stream: str, sequence: int) -> None:
        self.holds.get(stream, {}).pop(sequence, None)

    def quarantine(self, record: QuarantinedMessage) -> None:
        self.kept.append(record)

    def quarantined(self, *, limit: int, start_key: dict | None):
        newest = list(reversed(self.kept))
        start = int(start_key["offset"]) if start_key else 0
        more = start + limit < len(newest)
        return newest[start:start + limit], ({"offset": str(start + limit)} if more else None)
