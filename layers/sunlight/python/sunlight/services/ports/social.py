"""Social interaction (社会互动): complaints and their notifications, satisfaction ratings, surveys
(stored in the Supervision table; see adapters/dynamodb_social.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from sunlight.models.complaints import Complaint, Notification
from sunlight.models.satisfaction import SatisfactionRating
from sunlight.models.surveys import Survey, TextAnswer

from .common import IdempotencyRecord, StartKey


class ComplaintRepository(Protocol):
    def create(self, complaint: Complaint, notification: Notification, idempotency: IdempotencyRecord | None) -> None:
        """Writes the complaint, the complainant's notification and the idempotency record
        atomically; raises DuplicateRequest (carrying the complaint id) if the key was used."""

    def get(self, complaint_id: str) -> Complaint | None: ...

    def save(self, complaint: Complaint, *, expected_version: int, previous: Complaint, notification: Notification | None) -> None:
        """Writes the changed complaint (and its listing entries, moved from `previous`'s) and the
        notification atomically; raises ConcurrentModification if the version moved on."""

    def by_complainant(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Complaint], StartKey | None]:
        """Newest first."""

    def queue(
        self, scope: str, *, limit: int, start_key: StartKey | None
    ) -> tuple[list[Complaint], StartKey | None]:
        """Open ones earliest due first, then closed ones. `scope` is "city" (every complaint) or a
        department id (the complaints dispatched to it)."""

    def by_status(self, status: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Complaint], StartKey | None]:
        """Complaints in one status, earliest due first."""


class NotificationRepository(Protocol):
    def for_user(self, user_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[Notification], StartKey | None]:
        """Newest first."""

    def mark_read(self, user_id: str, notification_id: str) -> Notification | None:
        """Marks it read (idempotent); None if the user has no such notification."""

    def add(self, notification: Notification) -> None:
        """Stores a notification once per id."""


class RatingRepository(Protocol):
    def get(self, case_id: str) -> SatisfactionRating | None: ...

    def add(self, rating: SatisfactionRating) -> bool:
        """Stores the case's rating if it has none: False if it was rated before."""


class SurveyRepository(Protocol):
    def create(self, survey: Survey, idempotency: IdempotencyRecord | None) -> None:
        """Raises DuplicateRequest (carrying the survey id) if the idempotency key was used."""

    def get(self, survey_id: str) -> Survey | None: ...

    def save(self, survey: Survey, *, expected_version: int, previous_status: str) -> None:
        """Raises ConcurrentModification."""

    def by_status(self, status: str, *, closing_from: date | None, limit: int, start_key: StartKey | None) -> tuple[list[Survey], StartKey | None]:
        """Surveys in one status, earliest closing first (optionally closing on or after a day)."""

    def add_answer(self, survey: Survey, user_id: str, counters: list[str], texts: list[TextAnswer], at: datetime) -> bool:
        """In one transaction: the user's answer record (only if absent), +1 on each named counter
        and on the answer count, the text answers; conditional on the survey still being
        published. False if the user answered before; raises ConcurrentModification if the
        survey is no longer published."""

    def counters(self, survey_id: str) -> dict[str, int]:
        """Every counter of the survey, with "answers" for the number of answers."""

    def text_answers(self, survey_id: str, question_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[TextAnswer], StartKey | None]:
        """Newest first."""
