"""In-memory supervision orders, inspector log, flags and staff directory, for unit tests."""

from __future__ import annotations

from datetime import datetime

from sunlight.models.inspector_log import InspectorFlag, LogEntry, LogRecord
from sunlight.models.orders import Escalation, OrderInboxEntry, StaffMember, SupervisionOrder
from sunlight.rules import hashchain
from sunlight.services.ports import ConcurrentModification, DuplicateOrderRequest, HeadState, IdempotencyRecord


def _page(items: list, limit: int, start_key: dict | None):  # type: ignore[no-untyped-def]
    start = int(start_key["offset"]) if start_key else 0
    more = start + limit < len(items)
    return items[start : start + limit], ({"offset": str(start + limit)} if more else None)


class InMemoryOrders:
    def __init__(self) -> None:
        self.orders: dict[str, SupervisionOrder] = {}
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}
        self.inboxes: dict[str, list[tuple[Escalation, str]]] = {}
        self.before_save: list = []  # callables run before a save (a concurrent writer)

    def create(self, order: SupervisionOrder, idempotency: IdempotencyRecord | None) -> None:
        if idempotency:
            stored = self.keys.get((idempotency.owner_id, idempotency.key))
            if stored:
                raise DuplicateOrderRequest(*stored)
            self.keys[(idempotency.owner_id, idempotency.key)] = (order.order_id, idempotency.fingerprint)
        self.orders[order.order_id] = order

    def get(self, order_id: str) -> SupervisionOrder | None:
        return self.orders.get(order_id)

    def save(self, order: SupervisionOrder, *, expected_version: int, previous: SupervisionOrder, inbox: tuple[str, ...] = ()) -> None:
        while self.before_save:
            self.before_save.pop(0)()
        current = self.orders.get(order.order_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(order.order_id)
        self.orders[order.order_id] = order
        for recipient in inbox:
            escalation = next(e for e in reversed(order.escalations) if e.recipient == recipient)
            self.inboxes.setdefault(recipient, []).append((escalation, order.order_id))

    def _newest(self, orders, status):  # type: ignore[no-untyped-def]
        return sorted((o for o in orders if status is None or o.status.value == status), key=lambda o: o.issued_at, reverse=True)

    def list_all(self, *, status: str | None, limit: int, start_key: dict | None):
        return _page(self._newest(self.orders.values(), status), limit, start_key)

    def for_department(self, department_id: str, *, status: str | None, limit: int, start_key: dict | None):
        return _page(self._newest((o for o in self.orders.values() if o.department_id == department_id), status), limit, start_key)

    def naming(self, user_id: str, *, limit: int, start_key: dict | None):
        mine = [o for o in self.orders.values() if o.responsibility and o.responsibility.staff_user_id == user_id]
        return _page(sorted(mine, key=lambda o: o.responsibility.established_at, reverse=True), limit, start_key)

    def due(self, now: datetime, *, limit: int) -> list[str]:
        due = sorted((o.next_alarm_at, o.order_id) for o in self.orders.values() if o.next_alarm_at and o.next_alarm_at <= now)
        return [order_id for _, order_id in due[:limit]]

    def inbox(self, recipient: str, *, limit: int, start_key: dict | None):
        entries = [OrderInboxEntry(recipient=recipient, at=e.at, level=e.level, order=self.orders[i])
                   for e, i in reversed(self.inboxes.get(recipient, []))]
        return _page(entries, limit, start_key)


class FakeDirectory:
    def __init__(self, groups: dict[str, list[StaffMember]]) -> None:
        self.groups = groups

    def members(self, group: str) -> list[StaffMember]:
        return list(self.groups.get(group, []))


class InMemoryInspectorLog:
    """The chain as a list of raw records (so tests can tamper with them) and a head."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self.head_state = HeadState(seq=0, hash=hashchain.GENESIS)
        self.fail_with: Exception | None = None

    def append(self, entry: LogEntry) -> LogRecord:
        if self.fail_with:
            raise self.fail_with
        record = hashchain.chain(entry.fields(), seq=self.head_state.seq + 1, prev_hash=self.head_state.hash)
        self.records.append(record)
        self.head_state = HeadState(seq=record["seq"], hash=record["hash"])
        return LogRecord.model_validate(record)

    def chain(self):  # type: ignore[no-untyped-def]
        return [dict(r) for r in self.records], self.head_state

    def newest(self, *, user_id, since, until, limit, start_key):  # type: ignore[no-untyped-def]
        records = [LogRecord.model_validate(r) for r in reversed(self.records)]
        records = [r for r in records if (not user_id or r.user_id == user_id) and (not since or r.at >= since) and (not until or r.at < until)]
        return _page(records, limit, start_key)

    def last_action_of(self, user_id: str) -> datetime | None:
        mine = [LogRecord.model_validate(r).at for r in self.records if r["user_id"] == user_id]
        return max(mine) if mine else None


class InMemoryFlags:
    def __init__(self) -> None:
        self.flags: dict[str, InspectorFlag] = {}

    def raise_flag(self, flag: InspectorFlag) -> bool:
        if flag.flag_id in self.flags:
            return False
        self.flags[flag.flag_id] = flag
        return True

    def recent(self, *, limit: int, start_key: dict | None):
        return _page(sorted(self.flags.values(), key=lambda f: (f.day, f.raised_at), reverse=True), limit, start_key)
