"""Models to DynamoDB attributes: JSON-shaped, but numbers as Decimal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from sunlight.adapters.dynamodb_codec import from_attributes, to_attributes


class Colour(StrEnum):
    RED = "红"


class Inner(BaseModel):
    amount: Decimal
    ratio: float
    flag: bool


class Outer(BaseModel):
    colour: Colour
    day: date
    count: int
    maybe: int | None = None
    by_colour: dict[Colour, int]
    inners: tuple[Inner, ...]
    tags: frozenset[str] = frozenset()


def test_to_attributes_keeps_numbers_as_decimal_and_the_rest_json_shaped():
    model = Outer(
        colour=Colour.RED,
        day=date(2026, 1, 31),
        count=3,
        by_colour={Colour.RED: 2},
        inners=(Inner(amount=Decimal("12.50"), ratio=0.1, flag=True),),
        tags=frozenset({"a"}),
    )
    attributes = to_attributes(model)
    assert attributes == {
        "colour": "红",
        "day": "2026-01-31",
        "count": 3,
        "maybe": None,
        "by_colour": {"红": 2},
        "inners": [{"amount": Decimal("12.50"), "ratio": Decimal("0.1"), "flag": True}],
        "tags": ["a"],
    }
    assert type(attributes["inners"][0]["flag"]) is bool
    assert type(attributes["colour"]) is str
    assert from_attributes(Outer, {**attributes, "pk": "X"}, drop=("pk",)) == model
