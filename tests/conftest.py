"""Session-wide fixtures.

Tests that use the running local system (`system`) are marked `local_system`: `make test` runs
them in a pytest process of their own, because the local system is process-wide (moto server,
environment) and must not meet the in-process moto (`mock_aws`) of the integration tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parent.parent / "cdk.out" / "Sunlight.template.json"


@pytest.fixture(scope="session")
def system():
    """One local system (moto, gateway, handlers, seeded demo data) for the whole session."""
    from infra.local.runner import start_local_system

    with start_local_system(TEMPLATE, api_port=0, web_port=0, moto_port=0, seed=True) as running:
        yield running


@pytest.fixture(autouse=True)
def _signed_page_cursors():
    """Services (unit and integration tests) make and read page cursors only with a key (the API handler sets it per request)."""
    from sunlight.services.pagination import signed_cursors

    with signed_cursors("unit-test-page-cursor-key-0123456789abcdef", "unit-test"):
        yield


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "system" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.local_system)
