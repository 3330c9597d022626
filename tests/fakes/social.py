"""In-memory complaints, notifications, ratings and surveys (the social-interaction ports)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sunlight.models.complaints import DEPARTMENT_VISIBLE, Complaint, Notification
from sunlight.models.satisfaction import SatisfactionRating
from sunlight.models.surveys import Survey, SurveyStatus, TextAnswer
from sunlight.services.ports import ConcurrentModification, DuplicateRequest, IdempotencyRecord


def _page(items: list, limit: int, start_key: dict | None):
    start = int(start_key["offset"]) if start_key else 0
    more = start + limit < len(items)
    return items[start : start + limit], ({"offset": str(start + limit)} if more else None)


def _by_due(complaint: Complaint):
    return (complaint.due_on or date.max, complaint.complaint_id)


class InMemoryComplaints:
    def __init__(self, notifications: InMemoryNotifications) -> None:
        self.complaints: dict[str, Complaint] = {}
        self.idempotency: dict[tuple[str, str], IdempotencyRecord] = {}
        self.notifications = notifications
        self.before_save: list = []  # callables run before a save (a concurrent writer)

    def create(self, complaint: Complaint, notification: Notification, idempotency: IdempotencyRecord | None) -> None:
        if idempotency and (idempotency.owner_id, idempotency.key) in self.idempotency:
            existing = self.idempotency[(idempotency.owner_id, idempotency.key)]
            raise DuplicateRequest(existing.case_id, existing.fingerprint)
        if complaint.complaint_id in self.complaints:
            raise ConcurrentModification(complaint.complaint_id)
        self.complaints[complaint.complaint_id] = complaint
        self.notifications.add(notification)
        if idempotency:
            self.idempotency[(idempotency.owner_id, idempotency.key)] = idempotency

    def get(self, complaint_id: str) -> Complaint | None:
        return self.complaints.get(complaint_id)

    def save(self, complaint: Complaint, *, expected_version: int, previous: Complaint, notification: Notification | None) -> None:
        for hook in self.before_save:
            hook()
        current = self.complaints.get(complaint.complaint_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(complaint.complaint_id)
        self.complaints[complaint.complaint_id] = complaint
        if notification:
            self.notifications.add(notification)

    def by_complainant(self, user_id: str, *, limit: int, start_key: dict | None):
        mine = sorted((c for c in self.complaints.values() if c.complainant_id == user_id), key=lambda c: (c.filed_at, c.complaint_id), reverse=True)
        return _page(mine, limit, start_key)

    def queue(self, scope: str, *, limit: int, start_key: dict | None):
        chosen = [
            c for c in self.complaints.values()
            if scope == "city" or (c.department_id == scope and c.status in DEPARTMENT_VISIBLE)
        ]
        return _page(sorted(chosen, key=_by_due), limit, start_key)

    def by_status(self, status: str, *, limit: int, start_key: dict | None):
        return _page(sorted((c for c in self.complaints.values() if c.status.value == status), key=_by_due), limit, start_key)


class InMemoryNotifications:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Notification] = {}

    def add(self, notification: Notification) -> None:
        """Once per id, as the adapter: a retried delivery does not replace what the user has."""
        self.items.setdefault((notification.user_id, notification.notification_id), notification)

    def for_user(self, user_id: str, *, limit: int, start_key: dict | None):
        mine = sorted((n for (u, _), n in self.items.items() if u == user_id), key=lambda n: n.notification_id, reverse=True)
        return _page(mine, limit, start_key)

    def mark_read(self, user_id: str, notification_id: str) -> Notification | None:
        current = self.items.get((user_id, notification_id))
        if current is None:
            return None
        self.items[(user_id, notification_id)] = current.model_copy(update={"read": True})
        return self.items[(user_id, notification_id)]


class InMemoryRatings:
    def __init__(self) -> None:
        self.ratings: dict[str, SatisfactionRating] = {}

    def get(self, case_id: str) -> SatisfactionRating | None:
        return self.ratings.get(case_id)

    def add(self, rating: SatisfactionRating) -> bool:
        if rating.case_id in self.ratings:
            return False
        self.ratings[rating.case_id] = rating
        return True


class InMemorySurveys:
    def __init__(self) -> None:
        self.surveys: dict[str, Survey] = {}
        self.idempotency: dict[tuple[str, str], IdempotencyRecord] = {}
        self.answered: set[tuple[str, str]] = set()
        self.counts: dict[str, Counter] = {}
        self.texts: dict[tuple[str, str], list[TextAnswer]] = {}

    def create(self, survey: Survey, idempotency: IdempotencyRecord | None) -> None:
        if idempotency and (idempotency.owner_id, idempotency.key) in self.idempotency:
            existing = self.idempotency[(idempotency.owner_id, idempotency.key)]
            raise DuplicateRequest(existing.case_id, existing.fingerprint)
        if survey.survey_id in self.surveys:
            raise ConcurrentModification(survey.survey_id)
        self.surveys[survey.survey_id] = survey
        if idempotency:
            self.idempotency[(idempotency.owner_id, idempotency.key)] = idempotency

    def get(self, survey_id: str) -> Survey | None:
        return self.surveys.get(survey_id)

    def save(self, survey: Survey, *, expected_version: int, previous_status: str) -> None:
        current = self.surveys.get(survey.survey_id)
        if current is None or current.version != expected_version:
            raise ConcurrentModification(survey.survey_id)
        self.surveys[survey.survey_id] = survey

    def by_status(self, status: str, *, closing_from: date | None, limit: int, start_key: dict | None):
        chosen = [
            s for s in self.surveys.values()
            if s.status.value == status and (closing_from is None or s.closes_on >= closing_from)
        ]
        return _page(sorted(chosen, key=lambda s: (s.closes_on, s.survey_id)), limit, start_key)

    def add_answer(self, survey: Survey, user_id: str, counters: list[str], texts: list[TextAnswer], at: datetime) -> bool:
        stored = self.surveys.get(survey.survey_id)
        if stored is None or stored.status is not SurveyStatus.PUBLISHED:
            raise ConcurrentModification(survey.survey_id)
        if (survey.survey_id, user_id) in self.answered:
            return False
        self.answered.add((survey.survey_id, user_id))
        counts = self.counts.setdefault(survey.survey_id, Counter())
        counts.update(["answers", *counters])
        for answer in texts:
            self.texts.setdefault((survey.survey_id, answer.question_id), []).insert(0, answer)
        return True

    def counters(self, survey_id: str) -> dict[str, int]:
        return dict(self.counts.get(survey_id, {}))

    def text_answers(self, survey_id: str, question_id: str, *, limit: int, start_key: dict | None):
        return _page(self.texts.get((survey_id, question_id), []), limit, start_key)
