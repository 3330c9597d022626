"""Contract of the inspector log's external anchors (监察日志外部锚点), against its fake and its S3
adapter on the Object Lock bucket: written once per key, never replaced, read back oldest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from sunlight.adapters.s3_log_anchors import S3LogAnchors
from sunlight.models.inspector_log import InspectorLogAnchoredV1
from sunlight.rules.log_anchors import anchor_key
from sunlight.services.ports import LogAnchors
from tests.fakes.orders import InMemoryLogAnchors

pytestmark = pytest.mark.fresh_stack  # the anchors are one set per bucket

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "s3"])
def anchors(request) -> LogAnchors:
    if request.param == "fake":
        return InMemoryLogAnchors()
    stack = request.getfixturevalue("aws_resources")
    return S3LogAnchors(boto3.client("s3"), stack["LogAnchorsBucketName"])


def an_anchor(seq: int, hours: int, digest: str = "a") -> InspectorLogAnchoredV1:
    at = NOW + timedelta(hours=hours)
    key = anchor_key(at, seq)
    return InspectorLogAnchoredV1(event_id=f"e-{key}", head_sequence=seq, head_hash=digest * 64, anchored_at=at, anchor_key=key)


def test_none_before_the_first(anchors):
    assert anchors.all() == []


def test_anchors_are_written_once_and_read_back_oldest_first(anchors):
    later, earlier = an_anchor(9, 2, "b"), an_anchor(4, 1)
    assert anchors.write(later) is True
    assert anchors.write(earlier) is True
    assert anchors.write(later.model_copy(update={"head_hash": "c" * 64})) is False  # never replaced
    assert anchors.all() == [earlier, later]


def test_pages_go_in_key_order_and_say_where_to_read_on(anchors):
    written = [an_anchor(seq, hours) for hours, seq in enumerate((1, 3, 3, 8, 13), start=1)]
    for anchor in reversed(written):
        assert anchors.write(anchor)
    first, after = anchors.page(None, 2)
    second, after_second = anchors.page(after, 2)
    third, end = anchors.page(after_second, 2)
    assert (first, second, third, end) == (written[:2], written[2:4], written[4:], None)
    assert after == written[1].anchor_key and anchors.page(None, 5) == (written, None)
