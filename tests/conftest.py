"""Session-wide fixtures.

Tests that use the running local system (`system`) are marked `local_system`: `make test` runs
them in a pytest run of their own. The system runs in a child process (`python -m infra.local`,
tests/local_process.py) and the tests reach it only over HTTP: its URLs, outputs and physical ids.
Its log is test-artifacts/local-system/session-<xdist worker>.log.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def system():
    """One local system (moto, gateway, handlers, seeded demo catalog and users, no demo scenario)
    for the whole session, in its own process."""
    from tests.local_process import local_system_process

    # `make test` runs these tests on two xdist workers, each with a system (state file, log) of its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with local_system_process(f"session-{worker}", seed=True) as running:
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
