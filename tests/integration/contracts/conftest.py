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
