"""Pydantic models to and from DynamoDB items.

Models are dumped with `model_dump(mode="json")` (enums to values, tuples to lists, dates to ISO
strings), except that numbers stay numbers: DynamoDB's Number type needs `Decimal`, and a
pydantic JSON dump would turn a `Decimal` into a string and boto3 refuses floats. Reading back,
`model_validate` accepts the `Decimal`s boto3 returns for int and Decimal fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def to_attributes(model: BaseModel) -> dict[str, Any]:
    """The model as DynamoDB attributes (without keys)."""
    return _merge(model.model_dump(mode="json"), model.model_dump(mode="python"))


def from_attributes(model_type: type[M], attributes: dict[str, Any], *, drop: tuple[str, ...] = ()) -> M:
    """The model from a DynamoDB item, ignoring the key attributes named in `drop`."""
    return model_type.model_validate({k: v for k, v in attributes.items() if k not in drop})


def _merge(json_value: Any, python_value: Any) -> Any:
    """The JSON dump, with the numbers of the Python dump as Decimals (walked in parallel)."""
    if isinstance(python_value, bool) or python_value is None:
        return json_value
    if isinstance(python_value, Decimal):
        return python_value
    if isinstance(python_value, float):
        return Decimal(repr(python_value))
    if isinstance(python_value, int) and isinstance(json_value, int):
        return json_value
    if isinstance(json_value, dict) and isinstance(python_value, dict):
        # Same keys in the same order; the JSON dump's keys are already strings.
        return {
            key: _merge(value, python_item)
            for (key, value), python_item in zip(json_value.items(), python_value.values(), strict=True)
        }
    if isinstance(json_value, list) and isinstance(python_value, (list, tuple)):
        return [_merge(value, item) for value, item in zip(json_value, python_value, strict=True)]
    return json_value


# DynamoDB errors that mean "try again later", not "this request is wrong".
RETRYABLE_ERRORS = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)
