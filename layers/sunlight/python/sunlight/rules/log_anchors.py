"""External anchors of the inspector log (监察日志外部锚点), pure: no I/O.

The chain alone cannot show that its newest records were deleted and the head moved back to the
last record kept: what is left is a valid chain. So the head (sequence number and hash) is written
periodically to a bucket under S3 Object Lock, where nobody (the operators included) can delete
or overwrite it for the retention period, and sent upward to the higher-level platform.

The verifier checks the chain against every anchor: the head must not be behind the highest
anchored sequence number (else the tail was cut off), and the record at each anchored sequence
number must still be there with the anchored hash (else it, or a record before it, was rewritten:
each hash covers every record before it). Anchors are keyed by time and sequence number:
`anchors/{YYYY}/{MM}/{DD}/{YYYYMMDDTHHMMSSZ}-{seq}.json` (ISO 8601 basic format, UTC).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .hashchain import FIRST_SEQ, Head
from .workdays import CHINA_TZ

KEY_PREFIX = "anchors/"
_KEY = re.compile(r"^anchors/(\d{4})/(\d{2})/(\d{2})/(\d{8}T\d{6}Z)-(\d+)\.json$")


def anchor_key(anchored_at: datetime, seq: int) -> str:
    """Where the anchor of head `seq` taken at `anchored_at` is kept: sorted by time."""
    moment = anchored_at.astimezone(UTC)
    return f"{KEY_PREFIX}{moment:%Y/%m/%d}/{moment:%Y%m%dT%H%M%SZ}-{seq}.json"


def seq_of_key(key: str) -> int | None:
    """The anchored sequence number a key names; None for a key that is not an anchor's."""
    match = _KEY.match(key)
    return int(match.group(5)) if match else None


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    anchored_at: datetime
    key: str

    def when(self) -> str:
        return f"{self.anchored_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class AnchorBreak:
    """The first disagreement between the chain and an anchor: at which sequence number and why."""

    seq: int
    reason: str
    anchor: Anchor

    def describe(self) -> str:
        return f"与外部锚点不符：{self.reason}"


@dataclass(frozen=True)
class AnchorCheck:
    checked: int  # anchors compared with the chain
    newest: Anchor | None  # the latest taken; None: no anchor yet
    broken: AnchorBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def anchored_seqs(anchors: Sequence[Anchor], head: Head) -> list[int]:
    """The sequence numbers whose stored hashes `check` needs: every anchored record up to the head."""
    return sorted({a.seq for a in anchors if FIRST_SEQ <= a.seq <= head.seq})


def check(anchors: Sequence[Anchor], head: Head, chain_hashes: Mapping[int, str | None]) -> AnchorCheck:
    """Checks the chain, whose current head is `head` and whose records at the anchored sequence
    numbers have the hashes `chain_hashes` (None or absent: no record there), against every anchor.
    A truncation (the head behind the highest anchor) is reported before a rewritten record."""
    if not anchors:
        return AnchorCheck(checked=0, newest=None)
    newest = max(anchors, key=lambda a: (a.anchored_at, a.seq))
    highest = max(anchors, key=lambda a: (a.seq, a.anchored_at))
    if head.seq < highest.seq:
        return AnchorCheck(len(anchors), newest, AnchorBreak(head.seq + 1, (
            f"链头为第 {head.seq} 条，落后于 {highest.when()} 的外部锚点所记的第 {highest.seq} 条"
            "（末尾记录被删除、链头被改回）"), highest))
    for anchor in sorted(anchors, key=lambda a: (a.seq, a.anchored_at)):
        if anchor.seq < FIRST_SEQ:
            continue  # anchored while the log was empty: nothing to compare
        found = chain_hashes.get(anchor.seq)
        if found is None:
            return AnchorCheck(len(anchors), newest, AnchorBreak(anchor.seq, (
                f"{anchor.when()} 的外部锚点记有第 {anchor.seq} 条记录，链中已读不到该条（记录被删除）"), anchor))
        if found != anchor.hash:
            return AnchorCheck(len(anchors), newest, AnchorBreak(anchor.seq, (
                f"第 {anchor.seq} 条记录的哈希与 {anchor.when()} 的外部锚点不符（该条或之前的记录被改写）"), anchor))
    return AnchorCheck(len(anchors), newest)
