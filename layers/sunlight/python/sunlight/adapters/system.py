"""The clock and identifiers of the real world."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..rules.workdays import local_date

# Case numbers are read out over the phone: no 0/O, 1/I/L.
_CASE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RandomIds:
    def case_id(self, now: datetime) -> str:
        suffix = "".join(secrets.choice(_CASE_ALPHABET) for _ in range(6))
        return f"SL{local_date(now):%Y%m%d}{suffix}"

    def query_code(self) -> str:
        return f"{secrets.randbelow(1_000_000):06d}"

    def token(self) -> str:
        return secrets.token_hex(16)


class ShiftedClock:
    """The local demo clock: real time plus an offset kept in a file, so that every handler in
    the local system (and the runner's schedule) sees the same moved-forward time. Only the
    local runner sets SUNLIGHT_LOCAL_CLOCK_FILE; deployed functions use SystemClock."""

    def __init__(self, path: str) -> None:
        self._path = Path(path)
        self._cached: tuple[float, float] = (-1.0, 0.0)  # (file mtime, offset seconds)

    def offset_seconds(self) -> float:
        try:
            mtime = self._path.stat().st_mtime
        except FileNotFoundError:
            return 0.0
        if mtime != self._cached[0]:
            self._cached = (mtime, float(json.loads(self._path.read_text() or "{}").get("offset_seconds", 0)))
        return self._cached[1]

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_seconds())
