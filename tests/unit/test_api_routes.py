"""Each API function's resolver serves exactly its routes of infra/constants.ROUTES (from which the
stack builds API Gateway's methods, each integrated with the route's function), so no route is
deployed without a handler, served by two functions, or served without a method; and every route
has an audience in access.POLICY (a route without one is refused to everyone)."""

from __future__ import annotations

import importlib
import re

import pytest

from infra.constants import API_FUNCTIONS, ROUTES, ApiFunction


def served_by(spec: ApiFunction) -> set[tuple[str, str]]:
    app = importlib.import_module(spec.handler.rsplit(".", 1)[0]).app
    return {(route.method, re.sub(r"<(\w+)>", r"{\1}", route.path)) for route in app._static_routes + app._dynamic_routes}


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.audience)
def test_each_function_serves_exactly_its_routes_of_the_table(spec):
    assert served_by(spec) == {(r.method, r.path) for r in ROUTES if r.function == spec}


def test_every_route_is_served_by_exactly_one_function():
    served = [route for spec in API_FUNCTIONS for route in served_by(spec)]
    assert len(served) == len(set(served)) == len(ROUTES)


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.audience)
def test_every_route_of_each_function_has_an_audience(spec):
    from http_api.access import POLICY

    assert served_by(spec) <= set(POLICY)


def test_public_routes_are_the_public_functions_and_need_no_sign_in():
    from http_api.access import POLICY

    public = {(r.method, r.path) for r in ROUTES if not r.authenticated}
    assert public == {key for key, access in POLICY.items() if access.public}
    assert public == {(r.method, r.path) for r in ROUTES if r.function.audience == "public"}


def test_admin_routes_are_the_administrations_function():
    assert {r.function.audience for r in ROUTES if r.path.startswith("/admin/")} == {"admin"}


def test_no_function_imports_another_audiences_handler_or_all_routes():
    # A function's cold start imports its own route modules only (bench/cold_imports.py measures
    # it); the public one, which every visitor starts, none of the signed-in routes.
    import json
    import subprocess
    import sys

    probe = "import json, sys, api_public.handler; print(json.dumps([m for m in sys.modules if m.startswith(('http_api.', 'api_'))]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": ":".join(sys.path)}).stdout
    loaded = set(json.loads(out))
    assert not loaded & {"http_api.admin_routes", "http_api.case_routes", "http_api.citizen_routes", "http_api.orders_routes",
                         "http_api.inspector_log_routes", "http_api.inspector_log_recording", "api_citizen.handler"}
