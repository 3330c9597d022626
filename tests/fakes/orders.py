"""In-memory supervision orders, inspector log, flags and staff directory, for unit tests."""

from __future__ import annotations

from datetime import datetime

from sunlight.adapters.dynamodb_inspector_log import AFTER_SEQ_KEYS, seq_bound, seq_sk
from sunlight.models.inspector_log import InspectorFlag, InspectorLogAnchoredV1, LogEntry, LogRecord, LogVerificationRun
from sunlight.models.orders import Escalation, OrderInboxEntry, StaffMember, SupervisionOrder
from sunlight.rules import hashchain
from sunlight.services.ports import ConcurrentModification, DuplicateOrderRequest, HeadState, IdempotencyRecord


def _page(items: list, limit: int, start_key: dict | None):
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

    def _newest(self, orders, status):
        return sorted((o for o in orders if status is None or o.status.value == status), key=lambda o: (o.issued_at, o.order_id), reverse=True)

    def list_all(self, *, status: str | None, limit: int, start_key: dict | None):
        return _page(self._newest(self.orders.values(), status), limit, start_key)

    def for_department(self, department_id: str, *, status: str | None, limit: int, start_key: dict | None):
        return _page(self._newest((o for o in self.orders.values() if o.department_id == department_id), status), limit, start_key)

    def naming(self, user_id: str, *, limit: int, start_key: dict | None):
        mine = [o for o in self.orders.values() if o.responsibility and o.responsibility.staff_user_id == user_id]
        return _page(sorted(mine, key=lambda o: (o.responsibility.established_at, o.order_id), reverse=True), limit, start_key)

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
    """The chain stored under the table's keys (SEQ#{seq:012d}, raw records, so tests can edit,
    delete, swap or insert them) and a head. Ranges are read with the adapter's key bounds."""

    def __init__(self) -> None:
        self.stored: dict[str, dict] = {}
        self.head_state = HeadState(seq=0, hash=hashchain.GENESIS)
        self.fail_with: Exception | None = None
        self.reads: list[tuple[int, int | None]] = []  # the ranges read, in order

    @property
    def records(self) -> list[dict]:
        """The stored records in key order (the dicts themselves: editing one edits the store)."""
        return [self.stored[key] for key in sorted(self.stored)]

    def append(self, entry: LogEntry) -> LogRecord:
        if self.fail_with:
            raise self.fail_with
        record = hashchain.chain(entry.fields(), seq=self.head_state.seq + 1, prev_hash=self.head_state.hash)
        self.stored[seq_sk(record["seq"])] = record
        self.head_state = HeadState(seq=record["seq"], hash=record["hash"])
        return LogRecord.model_validate(record)

    def head(self) -> HeadState:
        return self.head_state

    def stored_records(self, from_seq: int, to_seq: int | None, *, page_size: int | None = None):
        self.reads.append((from_seq, to_seq))
        if to_seq is not None and to_seq <= from_seq:
            return iter(())
        lower, upper = seq_bound(from_seq), seq_bound(to_seq) if to_seq is not None else AFTER_SEQ_KEYS
        return iter([dict(self.stored[key]) for key in sorted(self.stored) if lower <= key < upper])

    def newest(self, *, user_id, since, until, limit, start_key):
        records = [LogRecord.model_validate(r) for r in reversed(self.records)]
        records = [r for r in records if (not user_id or r.user_id == user_id) and (not since or r.at >= since) and (not until or r.at < until)]
        return _page(records, limit, start_key)

    def last_action_of(self, user_id: str) -> datetime | None:
        mine = [LogRecord.model_validate(r).at for r in self.records if r["user_id"] == user_id]
        return max(mine) if mine else None


class InMemoryVerificationRuns:
    def __init__(self) -> None:
        self.runs: dict[str, LogVerificationRun] = {}
        self.current_id: str | None = None
        self.saves = 0

    def current(self) -> LogVerificationRun | None:
        return self.runs[self.current_id] if self.current_id else None

    def get(self, run_id: str) -> LogVerificationRun | None:
        return self.runs.get(run_id)

    def start(self, run: LogVerificationRun, *, replacing: str | None) -> None:
        if self.current_id != replacing or run.run_id in self.runs:
            raise ConcurrentModification(run.run_id)
        self.runs[run.run_id] = run
        self.current_id = run.run_id

    def save(self, run: LogVerificationRun, *, expected_version: int) -> None:
        current = self.runs.get(run.run_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(run.run_id)
        self.runs[run.run_id] = run
        self.saves += 1


class InMemoryLogAnchors:
    """The anchors bucket: written once per key, never replaced (as Object Lock and If-None-Match keep it)."""

    def __init__(self) -> None:
        self.objects: dict[str, InspectorLogAnchoredV1] = {}
        self.refused = 0  # writes refused because the key was taken

    def write(self, anchor: InspectorLogAnchoredV1) -> bool:
        if anchor.anchor_key in self.objects:
            self.refused += 1
            return False
        self.objects[anchor.anchor_key] = anchor
        return True

    def page(self, after: str | None, limit: int) -> tuple[list[InspectorLogAnchoredV1], str | None]:
        keys = [key for key in sorted(self.objects) if after is None or key > after]
        return [self.objects[key] for key in keys[:limit]], (keys[limit - 1] if len(keys) > limit else None)

    def all(self) -> list[InspectorLogAnchoredV1]:
        return [self.objects[key] for key in sorted(self.objects)]


class QueuedWorker:
    """The worker function's event queue: what was handed over, run by the test when it likes."""

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.fail_with: Exception | None = None

    def continue_run(self, run_id: str) -> None:
        if self.fail_with:
            raise self.fail_with
        self.queue.append(run_id)


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
