"""The demo clock of the local system (local only: nothing like it exists in the CDK stack).

Time in the local system is real time plus an offset kept in a file. The handlers read it
through sunlight's ShiftedClock (the runner sets SUNLIGHT_LOCAL_CLOCK_FILE), and the schedule
clock fires on it, so moving it forward makes cases fall due: a newcomer can watch a case turn
yellow, then red.

    curl -X POST http://127.0.0.1:8080/__local/clock -d '{"advance_days": 3}'
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sunlight.adapters.system import ShiftedClock


class DemoClock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._reader = ShiftedClock(str(path))
        self.reset()

    def now(self) -> datetime:
        return self._reader.now()

    def offset(self) -> timedelta:
        return timedelta(seconds=self._reader.offset_seconds())

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the demo clock only moves forward")
        with self._lock:
            self._write(self.offset() + delta)
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._write(timedelta(0))

    def _write(self, offset: timedelta) -> None:
        # Write then rename: readers in other threads never see a half-written file.
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"offset_seconds": offset.total_seconds()}))
        temporary.replace(self.path)

    def describe(self) -> dict[str, str | float]:
        return {"now": self.now().isoformat(), "offset_seconds": self.offset().total_seconds(),
                "real_now": datetime.now(UTC).isoformat()}
