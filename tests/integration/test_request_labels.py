"""Every field a person can send (each body model of each route, recursively, and every query and
path parameter) has a Chinese label for the 422 messages, so no message shows a field's code name
(`请填写days`, `date无效`); and every boolean in a body is strict (`"yes"` is not `true`)."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

CJK = re.compile(r"[\u4e00-\u9fff]")


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def _is_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_bool(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is typing.Annotated:
        return _is_bool(typing.get_args(annotation)[0])
    return False


def _fields(model: type[BaseModel], prefix: tuple[str, ...] = (), seen: frozenset = frozenset()) -> Iterator[tuple[str, FieldInfo]]:
    if model in seen:
        return
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        path = (*prefix, field.alias or name)
        yield ".".join(path), field
        for inner in _models_in(field.annotation):
            yield from _fields(inner, path, seen | {model})


def _sendable() -> Iterator[tuple[str, str, str, FieldInfo | None]]:
    """(route, location, field path, field) for everything a route reads from a request."""
    from tests.integration.api_gateway import served_routes

    for route in served_routes():
        label = f"{route.method} {route.path}"
        for param in route.dependant.query_params + route.dependant.path_params:
            yield label, "query", param.alias, param.field_info
        for param in route.dependant.body_params:
            for model in _models_in(param.type_):
                for path, field in _fields(model):
                    yield label, "body", path, field


@pytest.fixture
def api_module(handlers):
    return handlers[0]


def test_every_field_a_person_can_send_has_a_chinese_label(api_module):
    from sunlight.models.validation import _label

    unlabelled = sorted({f"{path} ({route})" for route, _, path, _ in _sendable() if not CJK.search(_label(path))})
    assert not unlabelled, "fields without a Chinese label:\n" + "\n".join(unlabelled)


def test_every_boolean_in_a_body_is_strict(api_module):
    lax = sorted({f"{path} ({route})" for route, where, path, field in _sendable()
                  if where == "body" and field is not None and _is_bool(field.annotation)
                  and not any(getattr(m, "strict", False) for m in field.metadata)})
    assert not lax, "booleans that would take \"yes\" for true:\n" + "\n".join(lax)


from tests.integration.test_handlers import handlers  # noqa: E402,F401  (fixture)


def _body_models() -> Iterator[tuple[str, type[BaseModel]]]:
    from tests.integration.api_gateway import served_routes

    def walk(model: type[BaseModel], seen: set) -> Iterator[type[BaseModel]]:
        if model in seen:
            return
        seen.add(model)
        yield model
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                yield from walk(inner, seen)

    for route in served_routes():
        for param in route.dependant.body_params:
            for model in _models_in(param.type_):
                for inner in walk(model, set()):
                    yield f"{route.method} {route.path}", inner


def test_every_body_refuses_fields_it_does_not_have(api_module):
    lax = sorted({f"{model.__module__}.{model.__qualname__} ({route})" for route, model in _body_models()
                  if model.model_config.get("extra") != "forbid"})
    assert not lax, "bodies that drop unknown fields silently:\n" + "\n".join(lax)
