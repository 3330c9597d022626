"""What a person may send as text: no control characters (NUL included; tab and line breaks are
allowed), no bidirectional overrides or isolates (they make a name or amount read otherwise than
it is stored), no unpaired surrogates (not text; storage fails on them) and no value that is only
whitespace (it would pass as filled in)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

CONTROL_MESSAGE = "含有不可见的控制字符"
BIDI_MESSAGE = "含有改变文字方向的控制字符"
SURROGATE_MESSAGE = "含有无效的字符"
BLANK_MESSAGE = "不能只有空格"


def text_problem(value: str) -> str | None:
    """Why `value` is refused as text a person sent, or None."""
    for char in value:
        if char in BIDI_CONTROLS:
            return BIDI_MESSAGE
        category = unicodedata.category(char)
        if category == "Cc" and char not in ALLOWED_CONTROLS:
            return CONTROL_MESSAGE
        if category == "Cs":
            return SURROGATE_MESSAGE
    if value and not value.strip():
        return BLANK_MESSAGE
    return None


def text_problems(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in a parsed JSON value (object keys included) that text_problem refuses."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            yield path, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            key_problem = text_problem(str(key))
            if key_problem:
                yield (*path, str(key)), key_problem
            else:
                yield from text_problems(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from text_problems(item, (*path, index))
