"""Satisfaction ratings (满意度评价): the applicant of a closed case rates it once."""

from __future__ import annotations

from ..models.case import Case
from ..models.complaints import RatingRequest
from ..models.evaluation_events import SATISFACTION_RATED, SatisfactionRatedV1
from ..models.roles import Principal
from ..models.satisfaction import RATEABLE_STATUSES, CaseRatingView, SatisfactionRating
from .applications import CASE_NOT_FOUND
from .errors import Conflict, Forbidden, NotFound
from .ports import CaseRepository, Clock, DomainEvents, RatingRepository
from .staff import require_case_visible

ALREADY_RATED = "您已评价过该办件，每个办件只能评价一次。"


class SatisfactionService:
    def __init__(self, *, ratings: RatingRepository, cases: CaseRepository, events: DomainEvents, clock: Clock) -> None:
        self._ratings = ratings
        self._cases = cases
        self._events = events
        self._clock = clock

    def rate(self, principal: Principal, case_id: str, request: RatingRequest, request_id: str | None) -> CaseRatingView:
        case = self._own_case(principal, case_id)
        existing = self._ratings.get(case.case_id)
        if existing is not None:
            if request_id and existing.request_id == request_id:
                self._publish(existing)  # a retry of the same rating: its event goes out again
                return CaseRatingView.of(case.case_id, existing, rateable=False)
            raise Conflict(ALREADY_RATED)
        if case.status not in RATEABLE_STATUSES:
            raise Conflict(f"办件当前为“{case.status.label}”，办结后才能评价。")
        rating = SatisfactionRating(
            case_id=case.case_id, item_code=case.item_code, item_name=case.item_name, department_id=case.department_id,
            rater_id=principal.user_id, score=request.score, comment=request.comment, rated_at=self._clock.now(),
            request_id=request_id,
        )
        if not self._ratings.add(rating):  # rated meanwhile (conditional put)
            raise Conflict(ALREADY_RATED)
        self._publish(rating)
        return CaseRatingView.of(case.case_id, rating, rateable=False)

    def my_rating(self, principal: Principal, case_id: str) -> CaseRatingView:
        case = self._own_case(principal, case_id)
        return CaseRatingView.of(case.case_id, self._ratings.get(case.case_id), rateable=case.status in RATEABLE_STATUSES)

    def case_rating(self, principal: Principal, case_id: str) -> CaseRatingView:
        """Who reads the case reads its rating (staff.require_case_visible)."""
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        require_case_visible(principal, case)
        return CaseRatingView.of(case.case_id, self._ratings.get(case.case_id), rateable=False)

    def _own_case(self, principal: Principal, case_id: str) -> Case:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录后再评价。")
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("您只能评价本人提交的办件。")
        return case

    def _publish(self, rating: SatisfactionRating) -> None:
        self._events.publish_detail(
            SATISFACTION_RATED,
            SatisfactionRatedV1(
                event_id=f"{rating.case_id}:rated", department_id=rating.department_id, case_id=rating.case_id,
                item_code=rating.item_code, rating=rating.score, rated_at=rating.rated_at,
            ),
            resources=[f"case/{rating.case_id}"],
        )
