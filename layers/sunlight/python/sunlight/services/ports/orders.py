"""Supervision orders (督查督办): stored in the Supervision table (adapters/dynamodb_orders.py);
the staff directory in Cognito (adapters/cognito_directory.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sunlight.models.orders import OrderInboxEntry, StaffMember, SupervisionOrder

from .common import IdempotencyRecord, StartKey


class DuplicateOrderRequest(Exception):
    """The idempotency key was used before, for `order_id` with a request of `fingerprint`."""

    def __init__(self, order_id: str, fingerprint: str) -> None:
        super().__init__(order_id)
        self.order_id = order_id
        self.fingerprint = fingerprint


class OrderRepository(Protocol):
    def create(self, order: SupervisionOrder, idempotency: IdempotencyRecord | None) -> None:
        """Stores a new order (and its idempotency record) atomically; raises DuplicateOrderRequest
        if the key was used before."""

    def get(self, order_id: str) -> SupervisionOrder | None: ...

    def save(self, order: SupervisionOrder, *, expected_version: int, previous: SupervisionOrder,
             inbox: tuple[str, ...] = ()) -> None:
        """Writes the order if its stored version is `expected_version` (else ConcurrentModification),
        moving its due-alarm and its responsibility entry from `previous`; `inbox` recipients get
        the order in their inbox in the same transaction."""

    def list_all(self, *, status: str | None, limit: int, start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Every department's orders, newest first."""

    def for_department(self, department_id: str, *, status: str | None, limit: int,
                       start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Newest first."""

    def naming(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[SupervisionOrder], StartKey | None]:
        """Orders whose finding names the user, newest finding first."""

    def due(self, now: datetime, *, limit: int) -> list[str]:
        """Ids of unanswered orders whose next alarm is at or before `now`, earliest first."""

    def inbox(self, recipient: str, *, limit: int, start_key: StartKey | None) -> tuple[list[OrderInboxEntry], StartKey | None]:
        """Escalated orders of an inbox ("{dept}#leader", "city#inspector"), newest first."""


class StaffDirectory(Protocol):
    """The users of the user pool (Cognito), by group."""

    def members(self, group: str) -> list[StaffMember]: ...
