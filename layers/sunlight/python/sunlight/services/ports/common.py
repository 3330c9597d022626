"""What every context shares: opaque listing keys, optimistic locking, idempotency, time, ids
and the domain event bus."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from pydantic import BaseModel

StartKey: TypeAlias = dict[str, Any]
"""Where a listing continues: returned by one call, passed back unchanged to the next."""


class ConcurrentModification(Exception):
    """The case changed since it was read (optimistic lock lost)."""


class DuplicateRequest(Exception):
    """An idempotency key was used before; carries what it was used for."""

    def __init__(self, case_id: str, fingerprint: str) -> None:
        super().__init__(case_id)
        self.case_id = case_id
        self.fingerprint = fingerprint


@dataclass(frozen=True)
class IdempotencyRecord:
    owner_id: str
    key: str
    case_id: str
    fingerprint: str  # hash of the request body: the same key with another body is a conflict


class Clock(Protocol):
    def now(self) -> datetime: ...


class IdGenerator(Protocol):
    def case_id(self, now: datetime) -> str: ...

    def query_code(self) -> str: ...

    def token(self) -> str: ...


class DomainEvents(Protocol):
    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        """Publishes one event; raises if it was not accepted (the caller's retry re-publishes)."""
