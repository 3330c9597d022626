"""The inspector log's hash chain (监察日志防篡改), pure: no I/O.

Every record carries its sequence number, the previous record's hash and its own hash:
`hash = sha256(canonical_json(fields) + prev_hash)`, where `fields` are all of the record's
fields except `hash` and `prev_hash`, and canonical JSON has sorted keys, no spaces and keeps
non-ASCII characters. The first record's `prev_hash` is GENESIS. A head (last sequence number
and hash) is kept beside the records, so deleting the last records is detected too.

Any edit changes a hash; any deletion, insertion or reordering breaks a sequence number or a
`prev_hash` link; `verify` reports the first break.

A long chain is verified in segments (`verify_segment`): a `Progress` carries the head read at
the start, the next sequence number and the hash it must link to, so a verification can stop
after any segment and resume later, in another process, with the same verdict as one pass.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
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
    expected, prev, position, broken = _check_links(records, expected=FIRST_SEQ, prev=GENESIS, position=0)
    if broken is None:
        broken = _head_break(head or EMPTY, last_seq=expected - 1, last_hash=prev, position=position)
    return Verification(broken is None, position, broken)


@dataclass(frozen=True)
class Progress:
    """A verification of records FIRST_SEQ..head.seq, resumable between segments.

    `head` is read when the verification starts: records appended later belong to the next one.
    `last_hash` is the hash of record `next_seq - 1` (GENESIS before the first record)."""

    head: Head
    next_seq: int = FIRST_SEQ
    last_hash: str = GENESIS
    first_break: Break | None = None

    @property
    def checked(self) -> int:
        """Records found intact, in order, from the first."""
        return self.first_break.position if self.first_break else self.next_seq - FIRST_SEQ

    @property
    def complete(self) -> bool:
        return self.first_break is not None or self.next_seq > self.head.seq

    def segment(self, size: int) -> tuple[int, int]:
        """The next segment [from_seq, to_seq) of at most `size` records."""
        return self.next_seq, min(self.next_seq + max(size, 1), self.head.seq + 1)


def start(head: Head) -> Progress:
    return Progress(head=head)


def verify_segment(progress: Progress, records: Iterable[Mapping[str, Any]], to_seq: int) -> Progress:
    """Checks the records stored for sequence numbers [progress.next_seq, to_seq), in stored
    order, linking the first to `progress.last_hash`. Exactly `to_seq - next_seq` records must
    be there; after the segment that reaches the head, the head must name the last record."""
    if progress.complete:
        return progress
    expected, prev, position = progress.next_seq, progress.last_hash, progress.checked
    broken: Break | None = None
    for record in records:
        if expected >= to_seq:
            broken = Break(position, expected, _seq_of(record), "多出一条记录（记录被插入）")
            break
        broken = _link_break(record, expected=expected, prev=prev, position=position)
        if broken:
            break
        prev, expected, position = record["hash"], expected + 1, position + 1
    else:
        if expected < to_seq:
            broken = Break(position, expected, None, f"未读到第 {expected} 条记录（记录被删除）")
    if broken:
        return replace(progress, first_break=broken)
    if expected > progress.head.seq:
        broken = _head_break(progress.head, last_seq=expected - 1, last_hash=prev, position=position)
    return Progress(head=progress.head, next_seq=expected, last_hash=prev, first_break=broken)


def beyond_head(progress: Progress, head: Head, record: Mapping[str, Any]) -> Progress:
    """A record stored past the (current) head: inserted, or the head was moved back."""
    return replace(progress, first_break=Break(progress.checked, head.seq + 1, _seq_of(record),
                                               f"链头（第 {head.seq} 条）之后还有记录（记录被插入或链头被改动）"))


def _seq_of(record: Mapping[str, Any]) -> int | None:
    seq = record.get("seq")
    return seq if isinstance(seq, int) else None


def _link_break(record: Mapping[str, Any], *, expected: int, prev: str, position: int) -> Break | None:
    seq = record.get("seq")
    if seq != expected:
        return Break(position, expected, _seq_of(record), f"序号应为 {expected}，实为 {seq}（记录被删除、插入或调换）")
    if record.get("prev_hash") != prev:
        return Break(position, expected, seq, "前一条记录的哈希不符（前面的记录被改动、删除或调换）")
    if record_hash(record, prev) != record.get("hash"):
        return Break(position, expected, seq, "记录内容与其哈希不符（记录被改动）")
    return None


def _check_links(records: Iterable[Mapping[str, Any]], *, expected: int, prev: str,
                 position: int) -> tuple[int, str, int, Break | None]:
    for record in records:
        broken = _link_break(record, expected=expected, prev=prev, position=position)
        if broken:
            return expected, prev, position, broken
        prev, expected, position = record["hash"], expected + 1, position + 1
    return expected, prev, position, None


def _head_break(head: Head, *, last_seq: int, last_hash: str, position: int) -> Break | None:
    if head.seq != last_seq:
        return Break(position, last_seq + 1, None,
                     f"链头记录为第 {head.seq} 条，实际读到 {last_seq} 条（末尾记录被删除或链头被改动）")
    if head.hash != last_hash:
        return Break(position, last_seq + 1, None, f"链头的哈希与第 {last_seq} 条记录不符（链头或末尾记录被改动）")
    return None
