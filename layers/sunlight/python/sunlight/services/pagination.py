"""Opaque, signed page cursors: clients never see storage keys in a readable form, and cannot
forge or alter one.

A cursor is `{payload}.{tag}`: the payload is the storage position (base64url JSON), the tag an
HMAC-SHA256 over the payload and the cursor's scope, i.e. the list, the caller and the filters it
was issued for (set per request by the API handler, `signed_cursors`). A cursor that was altered,
made up, or issued for another list, caller or filter is refused (`InvalidCursor`, 400) before
any storage key reaches DynamoDB, so a forged key can no longer fail the Query (a 500).

The key is this deployment's secret (bootstrap reads it from Secrets Manager); without one no
cursor is made or read (`CursorKeyMissing`): there is no built-in fallback key."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from pydantic import BaseModel

from .errors import InvalidCursor

T = TypeVar("T")

_TAG_BYTES = 16
_MIN_KEY_CHARS = 32
_signing: ContextVar[tuple[bytes, str] | None] = ContextVar("cursor_signing", default=None)


class CursorKeyMissing(RuntimeError):
    """A cursor was made or read without the deployment's signing key (a configuration error)."""


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@contextmanager
def signed_cursors(key: str, scope: str) -> Iterator[None]:
    """Cursors encoded or decoded inside are signed with `key` and belong to `scope` (one list,
    one caller, one filter)."""
    if len(key or "") < _MIN_KEY_CHARS:
        raise CursorKeyMissing(f"the page cursor signing key is missing or shorter than {_MIN_KEY_CHARS} characters")
    token = _signing.set((hashlib.sha256(b"sunlight-cursor:" + key.encode()).digest(), scope))
    try:
        yield
    finally:
        _signing.reset(token)


def _tag(payload: str) -> str:
    signing = _signing.get()
    if signing is None:
        raise CursorKeyMissing("page cursors are made and read only inside signed_cursors(key, scope)")
    key, scope = signing
    digest = hmac.new(key, f"{scope}\n{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_TAG_BYTES]).decode().rstrip("=")


def encode_cursor(key: dict | None) -> str | None:
    if not key:
        return None
    payload = base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":"), default=str).encode()).decode().rstrip("=")
    return f"{payload}.{_tag(payload)}"


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    payload, _, tag = cursor.partition(".")
    if not tag or not hmac.compare_digest(tag.encode(), _tag(payload).encode()):
        raise InvalidCursor()
    try:
        key = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:  # only a key change gets here
        raise InvalidCursor() from error
    if not isinstance(key, dict):
        raise InvalidCursor()
    return key
