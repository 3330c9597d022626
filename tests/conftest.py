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


# Where tests on the local system live: `make test` collects only these folders for its
# local-system run (Makefile, LOCAL_SYSTEM_TESTS).
LOCAL_SYSTEM_FOLDERS = ("tests/e2e/", "tests/integration/", "tests/statemachines/")
# The local-system modules that take longest (their own system, long flows), longest first: they
# run first, so the two workers end together instead of one running a long module alone at the end
# (`make test` runs with --no-loadscope-reorder, so xdist hands modules out in this order).
LONGEST_LOCAL_SYSTEM_MODULES = (
    "tests/e2e/test_demo_scenario.py",
    "tests/e2e/test_access_matrix.py",
    "tests/e2e/test_exchange_http.py",
    "tests/e2e/test_web.py",
    "tests/e2e/test_web_staff.py",
    "tests/e2e/test_log_anchor.py",
    "tests/statemachines/test_penalty_flows.py",
)


def pytest_collection_modifyitems(config, items):
    misplaced = []
    for item in items:
        if "system" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.local_system)
        if item.get_closest_marker("local_system") and not item.nodeid.startswith(LOCAL_SYSTEM_FOLDERS):
            misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError(f"tests on the local system must be in {', '.join(LOCAL_SYSTEM_FOLDERS)} "
                                f"(`make test` collects only those for them): {misplaced}")
    rank = {module: position for position, module in enumerate(LONGEST_LOCAL_SYSTEM_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: the rest keep their order
