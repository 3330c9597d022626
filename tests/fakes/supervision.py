"""In-memory warnings and inboxes (WarningRepository) and a recording Notifier, for unit tests."""

from __future__ import annotations

from datetime import UTC

from sunlight.models.warnings import Warning, WarningFilter
from sunlight.services.ports import ConcurrentModification


class InMemoryWarnings:
    def __init__(self) -> None:
        self.warnings: dict[str, Warning] = {}
        self.inboxes: dict[str, list[str]] = {}
        self.issue_calls = 0
        self.max_examined: int | None = None  # the store's bound of reads per request (None: unbounded)

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

    def for_department(self, department_id: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None):
        mine = [w for w in self.warnings.values() if w.department_id == department_id]
        return self._page(mine, matching, limit, start_key)

    def inbox(self, recipient: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None):
        mine = [self.warnings[i] for i in self.inboxes.get(recipient, [])]
        return self._page(mine, matching, limit, start_key)

    def _page(self, warnings: list[Warning], matching: WarningFilter | None, limit: int, start_key: dict | None):
        """As the DynamoDB adapter pages: newest first by the sort key "{issued}#{id}", the key
        continuing after the last warning returned (or examined, when `max_examined` stops it)."""
        matching = matching or WarningFilter()
        ordered = sorted(warnings, key=_sort_key, reverse=True)
        if start_key:
            ordered = [w for w in ordered if _sort_key(w) < start_key["sk"]]
        page: list[Warning] = []
        for examined, warning in enumerate(ordered, start=1):
            if matching.matches(warning):
                page.append(warning)
                if len(page) == limit:
                    return page, ({"sk": _sort_key(warning)} if examined < len(ordered) else None)
            if self.max_examined is not None and examined == self.max_examined and examined < len(ordered):
                return page, {"sk": _sort_key(warning)}
        return page, None


def _sort_key(warning: Warning) -> str:
    return f"{warning.issued_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%f}#{warning.warning_id}"


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[Warning] = []
        self.fail_with: Exception | None = None

    def notify(self, warning: Warning) -> None:
        if self.fail_with:
            raise self.fail_with
        self.sent.append(warning)
