"""The API as API Gateway calls it in the tests: each request goes to the function that serves its
route (infra/constants.ROUTES, by method and resource), as the deployed integrations do."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from infra.constants import API_FUNCTIONS, API_PUBLIC, ROUTES, ApiFunction


def handler_module(spec: ApiFunction) -> ModuleType:
    return importlib.import_module(spec.handler.rsplit(".", 1)[0])


def function_of(event: dict[str, Any]) -> ApiFunction:
    """The route's function; a route that is not in the table (API Gateway would not pass it on)
    goes to the public function, which refuses or does not find it like any other."""
    key = ((event.get("httpMethod") or "").upper(), event.get("resource") or "")
    return next((route.function for route in ROUTES if (route.method, route.path) == key), API_PUBLIC)


def served_routes() -> Iterator[Any]:
    """Every route object of every function's resolver (Powertools keeps them in private lists)."""
    for spec in API_FUNCTIONS:
        app = handler_module(spec).app
        yield from app._static_routes + app._dynamic_routes


class ApiGateway:
    """Stands where the single API handler module stood in the tests: `.handler(event, context)`."""

    @staticmethod
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return handler_module(function_of(event)).handler(event, context)
