"""In-memory warnings and inboxes (WarningRepository) and a recording Notifier, for unit tests."""

from __future__ import annotations

from sunlight.models.warnings import Warning
from sunlight.services.ports import ConcurrentModification


class InMemoryWarnings:
    def __init__(self) -> None:
        self.warnings: dict[str, Warning] = {}
        self.inboxes: dict[str, list[str]] = {}
        self.issue_calls = 0

    def issue(self, warning: Warning) -> bool:
        self.issue_calls += 1
        if warning.warning_id in self.warnings:
            return False
        self.warnings[warning.warning_id] = warning
        for recipient in warning.recipients:
            self.inboxes.setdefault(recipient, []).append(warning.warning_id)
        return True

    def get(self, warning_id: str) -> Warning | None:
        return self.warnings.get(warning_id)

    def save(self, warning: Warning, *, expected_version: int) -> None:
        current = self.warnings.get(warning.warning_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(warning.warning_id)
        self.warnings[warning.warning_id] = warning

    def for_case(self, case_id: str) -> list[Warning]:
        return sorted((w for w in self.warnings.values() if w.case_id == case_id), key=lambda w: w.issued_at)

    def for_department(self, department_id: str, *, limit: int, start_key: dict | None):
        mine = sorted((w for w in self.warnings.values() if w.department_id == department_id), key=lambda w: w.issued_at, reverse=True)
        return self._page(mine, limit, start_key)

    def inbox(self, recipient: str, *, limit: int, start_key: dict | None):
        mine = sorted((self.warnings[i] for i in self.inboxes.get(recipient, [])), key=lambda w: w.issued_at, reverse=True)
        return self._page(mine, limit, start_key)

    @staticmethod
    def _page(warnings: list[Warning], limit: int, start_key: dict | None):
        start = int(start_key["offset"]) if start_key else 0
        more = start + limit < len(warnings)
        return warnings[start : start + limit], ({"offset": str(start + limit)} if more else None)


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[Warning] = []
        self.fail_with: Exception | None = None

    def notify(self, warning: Warning) -> None:
        if self.fail_with:
            raise self.fail_with
        self.sent.append(warning)
