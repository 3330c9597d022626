"""Following a case: publicly by case number and query code, or as its signed-in applicant."""

from __future__ import annotations

import hmac

from ..models.requests import TrackRequest
from ..models.roles import Principal
from ..models.views import ApplicantCaseView, CaseSummary, PublicCaseView
from .applications import CASE_NOT_FOUND
from .errors import Forbidden, NotFound
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CaseRepository

TRACK_NOT_FOUND = "办件编号或查询码不正确，请核对后重试。"


class TrackingService:
    def __init__(self, cases: CaseRepository) -> None:
        self._cases = cases

    def track(self, request: TrackRequest) -> PublicCaseView:
        found = self._cases.get_with_timeline(request.case_id.strip().upper())
        # The same answer for "no such case" and "wrong code": a case's existence is not revealed.
        if found is None or not hmac.compare_digest(found[0].query_code, request.query_code):
            raise NotFound(TRACK_NOT_FOUND)
        case, events = found
        return PublicCaseView.build(case, events)

    def my_cases(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[CaseSummary]:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录。")
        cases, last_key = self._cases.by_applicant(principal.user_id, limit=limit, start_key=decode_cursor(cursor))
        return Page[CaseSummary](items=[CaseSummary.of(c) for c in cases], next_cursor=encode_cursor(last_key))

    def my_case(self, principal: Principal, case_id: str) -> ApplicantCaseView:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录。")
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            raise NotFound(CASE_NOT_FOUND)
        case, events = found
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("您只能查看本人提交的办件。")
        return ApplicantCaseView.build(case, events)
