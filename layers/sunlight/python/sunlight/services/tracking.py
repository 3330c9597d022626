"""Following a case: publicly by case number and query code, or as its signed-in applicant."""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from datetime import datetime

from ..models.case import Case
from ..models.reported import UpperProgress, upper_case_id
from ..models.requests import TrackRequest
from ..models.roles import Principal
from ..models.views import ApplicantCaseView, CaseSummary, PublicCaseView
from ..rules.workdays import CHINA_TZ
from .applications import CASE_NOT_FOUND
from .errors import Forbidden, NotFound, TooManyAttempts
from .joint import opinion_of, progress_of
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CaseRepository, Clock, TrackingGuard, UploadChecks
from .reported import progress_of_upper, reported_upward

TRACK_NOT_FOUND = "办件编号或查询码不正确，请核对后重试。"


@dataclass(frozen=True)
class TrackingLockPolicy:
    """A query code has 10^6 values: 5 wrong codes per 15 minutes, then 30 minutes locked,
    leaves a guesser about 240 tries a day (over five years for half the codes)."""

    max_failures: int = 5
    window_seconds: int = 15 * 60
    lock_seconds: int = 30 * 60


def locked_message(until: datetime) -> str:
    local = until.astimezone(CHINA_TZ)
    return (
        "该办件编号已连续多次输入错误的查询码，为保护办件信息，凭查询码查询已暂停，"
        f"请于{local.month}月{local.day}日 {local:%H:%M} 后再试。"
        "如需立即查看，请登录申请人账号在“我的办件”中查看该办件，或携带有效身份证件到办事窗口查询。"
    )


class TrackingService:
    def __init__(
        self,
        cases: CaseRepository,
        *,
        guard: TrackingGuard,
        clock: Clock,
        upload_checks: UploadChecks,
        policy: TrackingLockPolicy = TrackingLockPolicy(),
    ) -> None:
        self._upload_checks = upload_checks
        self._cases = cases
        self._guard = guard
        self._clock = clock
        self._policy = policy

    def track(self, request: TrackRequest) -> PublicCaseView:
        case_key = request.case_id.strip().upper()
        now = self._clock.now()
        # A locked case number is refused even with the right code: otherwise the lock would
        # only slow a guesser down, never stop one.
        self._refuse_if_locked(self._guard.locked_until(case_key, now), now)
        found = self._cases.get_with_timeline(case_key)
        # The same answer for "no such case" and "wrong code", and unknown case numbers are
        # counted and locked alike: neither the answer nor the lock reveals that a case exists.
        if found is None or not hmac.compare_digest(found[0].query_code, request.query_code):
            policy = self._policy
            until = self._guard.record_failure(
                case_key, now, max_failures=policy.max_failures, window_seconds=policy.window_seconds, lock_seconds=policy.lock_seconds
            )
            self._refuse_if_locked(until, now)
            raise NotFound(TRACK_NOT_FOUND)
        case, events = found
        view = PublicCaseView.build(case, events)
        if reported_upward(case):
            view = view.model_copy(update={"upper_progress": self._upper_progress(case)})
        return view

    @staticmethod
    def _refuse_if_locked(until: datetime | None, now: datetime) -> None:
        if until is not None and until > now:
            raise TooManyAttempts(
                locked_message(until),
                retry_after_seconds=max(1, math.ceil((until - now).total_seconds())),
                details={"locked_until": until.isoformat()},
            )

    def my_cases(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[CaseSummary]:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录。")
        cases, last_key = self._cases.by_applicant(principal.user_id, limit=limit, start_key=decode_cursor(cursor))
        return Page[CaseSummary](items=[CaseSummary.of(c) for c in cases], next_cursor=encode_cursor(last_key))

    def my_case(self, principal: Principal, case_id: str) -> ApplicantCaseView:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录。")
        found = self._cases.get_with_timeline(case_id)
        if found is None or found[0].parent_case_id is not None:  # a co-department's part is not the applicant's
            raise NotFound(CASE_NOT_FOUND)
        case, events = found
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("您只能查看本人提交的办件。")
        checks = self._upload_checks.get_many([a.storage_key for a in case.attachments]) if case.attachments else {}
        view = ApplicantCaseView.build(case, events, checks=checks)
        if case.joint_parts:
            now = self._clock.now()
            opinions = [opinion_of(p, now=now) for p in (self._cases.get(pid) for pid in case.joint_parts) if p is not None]
            view = view.model_copy(update={"joint_progress": progress_of(opinions)})
        if reported_upward(case):
            view = view.model_copy(update={"upper_progress": self._upper_progress(case)})
        return view

    def _upper_progress(self, case: Case) -> UpperProgress:
        part = self._cases.get(upper_case_id(case.case_id))
        return progress_of_upper(part, part.department_name if part else "上级部门")
