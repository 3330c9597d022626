"""The resolver serves exactly the routes of infra/constants.ROUTES (from which the stack builds
API Gateway's methods), so no route is deployed without a handler or served without a method."""

from __future__ import annotations

import re

from infra.constants import ROUTES


def test_resolver_routes_are_the_deployed_routes():
    from http_api.handler import app

    served = {
        (route.method, re.sub(r"<(\w+)>", r"{\1}", route.path))
        for route in app._static_routes + app._dynamic_routes
    }
    assert served == {(r.method, r.path) for r in ROUTES}
