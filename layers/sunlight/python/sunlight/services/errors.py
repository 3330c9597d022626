"""Domain errors. Each carries a message a citizen or clerk can act on (zh-CN);
each class names the HTTP status the APIs answer with (`http_status`), so every API maps them alike."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: `message` is shown to the user as is."""

    code = "domain_error"
    http_status = 500

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does (→ 404)."""

    code = "not_found"
    http_status = 404


class Forbidden(DomainError):
    """The caller is known but may not do this (→ 403)."""

    code = "forbidden"
    http_status = 403


class Conflict(DomainError):
    """The action does not fit the current state, or was already done (→ 409)."""

    code = "conflict"
    http_status = 409


class InvalidInput(DomainError):
    """Input passed the schema but breaks a business rule (→ 422)."""

    code = "invalid_input"
    http_status = 422


class BadRequest(DomainError):
    """The request cannot be read at all, e.g. a page cursor that was altered (→ 400)."""

    code = "bad_request"
    http_status = 400


BAD_CURSOR_MESSAGE = "翻页标记无效（可能已被修改或已过期），请从第一页重新查询。"


class InvalidCursor(BadRequest):
    """A page cursor that this API did not issue for this list, caller and filter (→ 400)."""

    code = "invalid_cursor"

    def __init__(self, message: str = BAD_CURSOR_MESSAGE) -> None:
        super().__init__(message, details={"field": "cursor"})


class Unavailable(DomainError):
    """A dependency failed; nothing was changed and the call can be retried (→ 503)."""

    code = "unavailable"
    http_status = 503


class TooManyAttempts(DomainError):
    """Too many failed attempts: refused until `retry_after_seconds` have passed (→ 429)."""

    code = "too_many_attempts"
    http_status = 429

    def __init__(self, message: str, *, retry_after_seconds: int, details: dict | None = None) -> None:
        super().__init__(message, details=details)
        self.retry_after_seconds = retry_after_seconds
