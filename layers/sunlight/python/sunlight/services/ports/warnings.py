"""Supervision (电子监察): warnings and cards, inboxes, notifications (see
adapters/dynamodb_warnings.py)."""

from __future__ import annotations

from typing import Protocol

from sunlight.models.warnings import Warning, WarningFilter


class WarningRepository(Protocol):
    def issue(self, warning: Warning) -> bool:
        """Stores the warning and its recipients' inbox entries atomically, once: False if a
        warning with this id exists already (a repeated or retried check)."""

    def get(self, warning_id: str) -> Warning | None: ...

    def save(self, warning: Warning, *, expected_version: int) -> None:
        """Raises ConcurrentModification."""

    def for_case(self, case_id: str) -> list[Warning]: ...

    def for_department(
        self, department_id: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        """Newest first, only those `matching` (see `inbox` for how pages are filled)."""

    def inbox(
        self, recipient: str, *, matching: WarningFilter | None = None, limit: int, start_key: dict | None
    ) -> tuple[list[Warning], dict | None]:
        """Newest first, only those `matching`; `recipient` is an inbox key such as "market#handler"
        or "city#inspector". A page holds up to `limit` warnings: fewer (even none) with a key to
        continue when the store stopped at its bound of reads per request, and no key at the end.
        Continuing from the key neither skips nor repeats a warning."""


class Notifier(Protocol):
    def notify(self, warning: Warning) -> None:
        """Sends the warning to its level's subscribers (e-mail, SMS) outside the system."""
