"""The inspector log's hash chain (监察日志防篡改), pure: no I/O.

Every record carries its sequence number, the previous record's hash and its own hash:
`hash = sha256(canonical_json(fields) + prev_hash)`, where `fields` are all of the record's
fields except `hash` and `prev_hash`, and canonical JSON has sorted keys, no spaces and keeps
non-ASCII characters. The first record's `prev_hash` is GENESIS. A head (last sequence number
and hash) is kept beside the records, so deleting the last records is detected too.

Any edit changes a hash; any deletion, insertion or reordering breaks a sequence number or a
`prev_hash` link; `verify` reports the first break.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIRST_SEQ = 1


def canonical_json(fields: Mapping[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    content = {k: v for k, v in fields.items() if k not in ("hash", "prev_hash")}
    return hashlib.sha256((canonical_json(content) + prev_hash).encode("utf-8")).hexdigest()


def chain(fields: Mapping[str, Any], *, seq: int, prev_hash: str) -> dict[str, Any]:
    """The record to append after a record whose hash is `prev_hash`: fields + seq, prev_hash, hash."""
    record = {**{k: v for k, v in fields.items() if k not in ("seq", "hash", "prev_hash")}, "seq": seq}
    return {**record, "prev_hash": prev_hash, "hash": record_hash(record, prev_hash)}


@dataclass(frozen=True)
class Head:
    seq: int  # the last record's sequence number; FIRST_SEQ - 1 for an empty chain
    hash: str  # the last record's hash; GENESIS for an empty chain


EMPTY = Head(seq=FIRST_SEQ - 1, hash=GENESIS)


@dataclass(frozen=True)
class Break:
    """The first broken link: at which position (0-based in the order read), which sequence
    number was expected there, and why."""

    position: int
    expected_seq: int
    found_seq: int | None
    reason: str

    def describe(self) -> str:
        return f"第 {self.expected_seq} 条记录处断链：{self.reason}"


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_break: Break | None = None


def verify(records: Iterable[Mapping[str, Any]], head: Head | None) -> Verification:
    """Checks records in stored order (ascending sequence) against each other and the head."""
    prev = GENESIS
    expected = FIRST_SEQ
    position = -1
    for position, record in enumerate(records):
        seq = record.get("seq")
        if seq != expected:
            return Verification(False, position, Break(position, expected, seq if isinstance(seq, int) else None,
                                                       f"序号应为 {expected}，实为 {seq}（记录被删除、插入或调换）"))
        if record.get("prev_hash") != prev:
            return Verification(False, position, Break(position, expected, seq, "前一条记录的哈希不符（前面的记录被改动、删除或调换）"))
        if record_hash(record, prev) != record.get("hash"):
            return Verification(False, position, Break(position, expected, seq, "记录内容与其哈希不符（记录被改动）"))
        prev = record["hash"]
        expected += 1
    checked = position + 1
    head = head or EMPTY
    if head.seq != expected - 1 or head.hash != prev:
        return Verification(False, checked, Break(checked, expected, None,
                                                  f"链头记录为第 {head.seq} 条，实际读到 {expected - 1} 条（末尾记录被删除或链头被改动）"))
    return Verification(True, checked)
