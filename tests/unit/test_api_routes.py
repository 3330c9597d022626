"""The API resolver serves exactly the routes of infra/constants.py ROUTES (the stack builds the
API Gateway methods from the same table; tests/infra compares that side)."""

from __future__ import annotations

import re

from infra.constants import ROUTES


def test_the_resolver_serves_exactly_the_routes_table():
    from http_api import handler

    served = {
        (route.method, re.sub(r"<(\w+)>", r"{\1}", route.path))
        for route in handler.app._static_routes + handler.app._dynamic_routes
    }
    assert served == {(route.method, route.path) for route in ROUTES}
