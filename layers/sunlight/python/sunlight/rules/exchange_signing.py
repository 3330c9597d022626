"""Signing and retry timing of outbound exchange deliveries (pure).

Each POST carries X-Sunlight-Message-Id, X-Sunlight-Timestamp (Unix seconds), X-Sunlight-Key-Id and
X-Sunlight-Signature: "sha256=" + hex HMAC-SHA256 over "{timestamp}.{body}" with the shared key,
so the receiver can check who sent the exact bytes and refuse an old replay (timestamp window).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from sunlight.models.exchange import (
    HEADER_KEY_ID,
    HEADER_MESSAGE_ID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    SIGNATURE_PREFIX,
    ExchangeMessage,
)

REPLAY_WINDOW_SECONDS = 300


def canonical_body(message: ExchangeMessage) -> bytes:
    """The exact bytes sent: compact JSON, keys in model order, UTF-8 (Chinese kept as is)."""
    return json.dumps(message.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(key: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(key, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signed_headers(message_id: str, key_id: str, key: bytes, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        HEADER_MESSAGE_ID: message_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_KEY_ID: key_id,
        HEADER_SIGNATURE: signature(key, timestamp, body),
    }


def signature_is_valid(key: bytes, timestamp_text: str, body: bytes, presented: str, now: int,
                       window_seconds: int = REPLAY_WINDOW_SECONDS) -> bool:
    """What a receiver checks: the HMAC matches (constant time) and the timestamp is recent."""
    try:
        timestamp = int(timestamp_text)
    except (TypeError, ValueError):
        return False
    if abs(now - timestamp) > window_seconds:
        return False
    return hmac.compare_digest(signature(key, timestamp, body), presented or "")


def retry_delay_seconds(receive_count: int, base_seconds: int, cap_seconds: int) -> int:
    """Exponential backoff before the next attempt: base, 2×base, 4×base … up to cap (SQS allows
    at most 12 h of visibility). `receive_count` is SQS's ApproximateReceiveCount (1 on the first try)."""
    attempt = max(1, receive_count)
    return int(min(cap_seconds, base_seconds * 2 ** min(attempt - 1, 30)))
