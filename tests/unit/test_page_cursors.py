"""Page cursors are signed per deployment key and per scope (list, caller, filter), and none is
made or read without a key (sunlight/services/pagination.py)."""

from __future__ import annotations

import contextvars

import pytest

from sunlight.bootstrap import Container
from sunlight.config import Settings
from sunlight.services.errors import InvalidCursor
from sunlight.services.pagination import CursorKeyMissing, decode_cursor, encode_cursor, signed_cursors

KEY = "k" * 40


def test_a_cursor_reads_back_only_with_the_same_key_and_scope():
    with signed_cursors(KEY, "list-a"):
        cursor = encode_cursor({"pk": "CASE#1"})
        assert decode_cursor(cursor) == {"pk": "CASE#1"}
    for key, scope in ((KEY, "list-b"), ("x" * 40, "list-a")):
        with signed_cursors(key, scope), pytest.raises(InvalidCursor):
            decode_cursor(cursor)


@pytest.mark.parametrize("forged", ["eyJwayI6IkNBU0UjMSJ9", "eyJwayI6IkNBU0UjMSJ9.", "%%%.AAAA", "a" * 300])
def test_a_forged_cursor_is_refused(forged):
    with signed_cursors(KEY, "list-a"), pytest.raises(InvalidCursor):
        decode_cursor(forged)


def test_no_cursor_without_a_key():
    fresh = contextvars.Context()  # outside any signed_cursors block
    with pytest.raises(CursorKeyMissing):
        fresh.run(encode_cursor, {"pk": "CASE#1"})
    with pytest.raises(CursorKeyMissing):
        fresh.run(decode_cursor, "eyJwayI6IkNBU0UjMSJ9.AAAA")
    with pytest.raises(CursorKeyMissing), signed_cursors("", "list-a"):
        pass
    with pytest.raises(CursorKeyMissing), signed_cursors("short", "list-a"):
        pass


def test_the_api_has_no_key_without_its_secret():
    container = Container(Settings(CASES_TABLE_NAME="c", CATALOG_TABLE_NAME="k"))
    with pytest.raises(CursorKeyMissing, match="CURSOR_KEY_SECRET_ARN"):
        _ = container.cursor_signing_key
