"""Contract tests: the same tests against a port's fake (tests/fakes) and its adapter on moto, so
the fakes the unit tests trust cannot drift from what the adapters do.

Each module parametrizes a fixture over ["fake", "dynamodb"]. The adapters share the module's
provisioned stack (tests/integration/conftest.py: `aws_resources`), so every test keeps apart by
keys of its own (`unique`)."""

from __future__ import annotations

import uuid

import pytest

IMPLEMENTATIONS = ["fake", "dynamodb"]


@pytest.fixture
def unique() -> str:
    """A fresh suffix for this test's keys (the adapters' stack is shared by the module)."""
    return uuid.uuid4().hex[:10].upper()


def read_all(read, limit: int) -> list:
    """Every page of a paged listing (`read(limit=, start_key=)`), each at most `limit` long."""
    seen, key = [], None
    for _ in range(100):
        page, key = read(limit=limit, start_key=key)
        assert len(page) <= limit
        seen += page
        if key is None:
            return seen
    raise AssertionError("the listing never ended")
