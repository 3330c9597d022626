"""Satisfaction ratings (满意度评价): the applicant rates a closed case once, 1–5 with words."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from .base import DomainModel
from .case import CaseStatus

# A case is rated once a decision has closed it: 办结, 不予批准, and 不予受理 (also a decision the
# applicant may judge). Withdrawn or suspended cases were never decided.
RATEABLE_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.DENIED, CaseStatus.REJECTED})


class SatisfactionRating(DomainModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    item_code: str
    item_name: str
    department_id: str
    rater_id: str
    score: int = Field(ge=1, le=5)
    comment: str | None = None
    rated_at: datetime
    request_id: str | None = None  # Idempotency-Key: a retry of the same rating is recognised


class CaseRatingView(DomainModel):
    """The rating of a case, or whether it may be rated now."""

    case_id: str
    rateable: bool  # the reader (the applicant) may rate it now
    score: int | None = None
    comment: str | None = None
    rated_at: datetime | None = None

    @classmethod
    def of(cls, case_id: str, rating: SatisfactionRating | None, *, rateable: bool) -> CaseRatingView:
        if rating is None:
            return cls(case_id=case_id, rateable=rateable)
        return cls(case_id=case_id, rateable=False, score=rating.score, comment=rating.comment, rated_at=rating.rated_at)
