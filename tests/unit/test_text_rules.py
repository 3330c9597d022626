"""What a person may send as text (sunlight/rules/text.py)."""

from __future__ import annotations

import pytest

from sunlight.rules.text import BIDI_MESSAGE, BLANK_MESSAGE, CONTROL_MESSAGE, SURROGATE_MESSAGE, text_problem, text_problems


@pytest.mark.parametrize(("value", "problem"), [
    ("a\x00b", CONTROL_MESSAGE), ("\x1b[31m红", CONTROL_MESSAGE), ("\x7f", CONTROL_MESSAGE), ("\x85", CONTROL_MESSAGE),
    ("金额\u202e001", BIDI_MESSAGE), ("\u2067名\u2069", BIDI_MESSAGE),
    ("\ud800", SURROGATE_MESSAGE),
    (" ", BLANK_MESSAGE), ("\t\n", BLANK_MESSAGE), ("\u3000", BLANK_MESSAGE),
])
def test_refused_text(value, problem):
    assert text_problem(value) == problem


@pytest.mark.parametrize("value", ["", "李华", "第一行\n第二行\r\n\t缩进", "O'Brien-张", "𠮷野家", "\ue000"])
def test_accepted_text(value):
    assert text_problem(value) is None


def test_problems_are_found_anywhere_in_a_body_with_their_path():
    body = {"applicant": {"name": "李\x00华"}, "form": {"f1": "ok", "bad\u202ekey": "x"}, "items": ["ok", " "], "n": 3}
    assert list(text_problems(body)) == [
        (("applicant", "name"), CONTROL_MESSAGE), (("form", "bad\u202ekey"), BIDI_MESSAGE), (("items", 1), BLANK_MESSAGE),
    ]
