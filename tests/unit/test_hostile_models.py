"""Hostile values in request models are refused with a ValidationError (422), never an exception
that becomes a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from sunlight.models.catalog import Fee
from sunlight.models.supervision import DiscretionRange


@pytest.mark.parametrize("amount", [Decimal("1e30"), Decimal("100000000.01"), 1e30])
def test_a_discretion_range_or_fee_beyond_the_domain_is_refused(amount):
    with pytest.raises(ValidationError):
        DiscretionRange(min_yuan=Decimal(0), max_yuan=amount)
    with pytest.raises(ValidationError):
        Fee(name="工本费", amount_yuan=amount, basis="收费依据")
    assert DiscretionRange(min_yuan=Decimal(0), max_yuan=Decimal("100000000")).max_yuan == Decimal("100000000.00")
