"""Only JSON bodies: a body route sent text/plain, XML, a form or multipart answers 415; and no
text in a body that a person could not have meant (sunlight/rules/text.py): 422.

Powertools' request validation would parse forms and multipart into lists and raise on anything
else (a 500 that counts towards the API error alarm). The check sits in the validation step
itself, where the body is read, so it applies to exactly the routes that take a body."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from sunlight.rules.text import text_problems

JSON_MEDIA_TYPE = "application/json"
UNSUPPORTED_MEDIA_TYPE_MESSAGE = "请求内容的格式不受支持，请以 JSON 格式（Content-Type: application/json）提交。"


class UnsupportedMediaType(Exception):
    """A body route received a body that is not JSON (→ 415)."""


def is_json(content_type: str) -> bool:
    """`application/json`, with parameters (`; charset=utf-8`); an absent type is read as JSON."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in ("", JSON_MEDIA_TYPE)


class JsonOnlyRequestValidation(OpenAPIRequestValidationMiddleware):
    def handler(self, app: Any, next_middleware: Any) -> Any:
        # Query strings follow the same text rule as bodies (a search for "\x00" is not a search).
        query = app.current_event.multi_value_query_string_parameters or {}
        problems = [_unsafe_text(("query", path[0]), problem) for path, problem in text_problems(query)]
        if problems:
            raise RequestValidationError(problems)
        return super().handler(app, next_middleware)

    def _get_body(self, app: Any) -> dict[str, Any]:
        if not is_json(app.current_event.headers.get("content-type") or ""):
            raise UnsupportedMediaType()
        body = super()._get_body(app)
        problems = [_unsafe_text(("body", *path), problem) for path, problem in text_problems(body)]
        if problems:
            raise RequestValidationError(problems)
        return body


def _unsafe_text(loc: tuple, problem: str) -> dict[str, Any]:
    """A pydantic-shaped error, so the 422 names the field by its label (models/validation.py)."""
    return {"type": "unsafe_text", "loc": loc, "msg": problem, "input": None, "ctx": {"problem": problem}}


def require_json_bodies(app: Any) -> None:
    """Swap the resolver's request validation for the JSON-only one (Powertools builds it in __init__)."""
    if not hasattr(app, "_request_validation_middleware"):
        raise RuntimeError("request validation is not enabled on this resolver")
    app._request_validation_middleware = JsonOnlyRequestValidation()
