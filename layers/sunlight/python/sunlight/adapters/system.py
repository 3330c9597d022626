"""The clock and identifiers of the real world."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from ..rules.workdays import local_date

# Case numbers are read out over the phone: no 0/O, 1/I/L.
_CASE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class RandomIds:
    def case_id(self, now: datetime) -> str:
        suffix = "".join(secrets.choice(_CASE_ALPHABET) for _ in range(6))
        return f"SL{local_date(now):%Y%m%d}{suffix}"

    def query_code(self) -> str:
        return f"{secrets.randbelow(1_000_000):06d}"

    def token(self) -> str:
        return secrets.token_hex(16)
