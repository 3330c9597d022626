"""Anchoring the inspector log's head outside the log (监察日志外部锚点), on a schedule.

Each run reads the head (sequence number and hash), writes it as a new object to the anchors
bucket (Object Lock: it cannot be deleted or overwritten during the retention period), then
publishes InspectorLogAnchored on the domain bus, which the outbound exchange sends upward
(`log_head`). The verifier checks the chain against every anchor (rules/log_anchors.py).

Written before published: a published anchor is always a kept one. A retried invocation writes an
anchor of its own (another key: another time), which is harmless: anchors only ever add checks.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from ..models.inspector_log import INSPECTOR_LOG_ANCHORED, InspectorLogAnchoredV1
from ..rules.log_anchors import anchor_key
from .ports import Clock, DomainEvents, InspectorLog, LogAnchors

EVENT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "https://sunlight.example.gov.cn/inspector-log/anchors")


class LogAnchorService:
    def __init__(self, *, log: InspectorLog, anchors: LogAnchors, events: DomainEvents, clock: Clock) -> None:
        self._log = log
        self._anchors = anchors
        self._events = events
        self._clock = clock

    def anchor(self) -> InspectorLogAnchoredV1:
        head = self._log.head()
        now = self._clock.now().replace(microsecond=0)  # the key's precision: one key, one body
        key = anchor_key(now, head.seq)
        anchor = InspectorLogAnchoredV1(event_id=str(uuid5(EVENT_ID_NAMESPACE, key)), head_sequence=head.seq, head_hash=head.hash,
                                        anchored_at=now, anchor_key=key)
        # False: the same anchor was written in the same second (a duplicated event): it stays.
        self._anchors.write(anchor)
        self._events.publish_detail(INSPECTOR_LOG_ANCHORED, anchor, resources=[f"inspector-log/{head.seq}"])
        return anchor
