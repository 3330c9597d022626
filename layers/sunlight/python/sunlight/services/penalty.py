"""Administrative penalties (行政处罚法 2021): what staff must state at a penalty step, and the party
of a case online — finding the case registered against them, then asking for a hearing or
submitting a statement within the statement window."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from ..models.case import Actor, Case, PendingDecision
from ..models.flow import Decision, FlowPattern, Step
from ..models.requests import ClaimCaseRequest, PartyStatementRequest, StaffAction
from ..models.roles import Principal, Role
from ..models.views import ActionReceipt, ApplicantCaseView
from ..rules.penalty import MIN_OFFICERS, STATEMENT_WORKING_DAYS, earliest_hearing_day
from ..rules.workdays import WorkingCalendar, local_date
from . import decisions
from .applications import UploadPolicy, collect_uploads
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .ports import AttachmentStore, CaseRepository, Clock, ConcurrentModification, TrackingGuard, UploadChecks, WorkflowEngine
from .tracking import TrackingLockPolicy, TrackingService

PENALTY_FLOWS = frozenset({FlowPattern.PENALTY, FlowPattern.PENALTY_SIMPLE})
CLAIM_NOT_FOUND = "案件编号、查询码或证件号码不正确，请核对《行政处罚事先告知书》后重试。"
CLAIM_ATTEMPTS = 3
CLAIM_LOCK_POLICY = TrackingLockPolicy()  # wrong codes count against the case number as tracking's do
WINDOW_OWNER_PREFIX = "WINDOW#"  # services/applications.walk_in_owner: registered at the window, no account yet


# --- staff: what a penalty step must state ----------------------------------------------------


def check_staff_action(case: Case, step: Step, action: StaffAction, *, now: datetime, calendar: WorkingCalendar) -> None:
    """Refuses (422, naming the field) a penalty decision the law does not allow as stated."""
    if case.flow is not FlowPattern.PENALTY:
        return
    if step is Step.INVESTIGATE and action.action == Decision.SUBMIT.value:
        certificates = {o.certificate_number.upper() for o in getattr(action, "officers", ())}
        if len(certificates) < MIN_OFFICERS:
            raise InvalidInput(
                f"调查取证须由至少{MIN_OFFICERS}名持有执法证件的执法人员进行（《行政处罚法》第四十二条），"
                f"请在“执法人员”中填写至少{MIN_OFFICERS}名执法人员的姓名和不同的执法证件号。",
                details={"field": "officers"},
            )
    hearing_at = getattr(action, "hearing_at", None)
    if step is Step.HEARING_NOTICE and hearing_at is not None:
        earliest = earliest_hearing_day(local_date(now), calendar)
        if local_date(hearing_at) < earliest:
            raise InvalidInput(
                f"听证通知须在举行听证的七日前送达当事人（《行政处罚法》第六十四条，七日为工作日），"
                f"“听证时间”最早为{earliest:%Y年%m月%d日}。",
                details={"field": "hearing_at"},
            )


def action_details(action: StaffAction) -> dict[str, Any]:
    """What a penalty decision records besides its opinion and amounts (timeline and supervision)."""
    details: dict[str, Any] = {}
    officers = getattr(action, "officers", None)
    if officers:
        details["officers"] = [o.model_dump() for o in officers]
    if action.action == Decision.NOTIFY.value:
        details["legal_review_required"] = bool(getattr(action, "legal_review_required", False))
        details["collective_required"] = bool(getattr(action, "collective_required", False))
    hearing_at = getattr(action, "hearing_at", None)
    if hearing_at is not None:
        details["hearing_at"] = hearing_at.isoformat()
        details["hearing_place"] = getattr(action, "hearing_place", "")
    return details


# --- the party online -------------------------------------------------------------------------


class PartyService:
    """The party (当事人) of a penalty case registered at the window: claims it with the notice's
    case number and query code and their own id number, then reads it and makes their statement."""

    def __init__(
        self,
        *,
        cases: CaseRepository,
        workflow: WorkflowEngine,
        attachments: AttachmentStore,
        clock: Clock,
        uploads: UploadPolicy,
        upload_checks: UploadChecks,
        guard: TrackingGuard,
        tracking: TrackingService,
        policy: TrackingLockPolicy = CLAIM_LOCK_POLICY,
    ) -> None:
        self._cases = cases
        self._workflow = workflow
        self._attachments = attachments
        self._clock = clock
        self._uploads = uploads
        self._upload_checks = upload_checks
        self._guard = guard
        self._tracking = tracking
        self._policy = policy

    def claim(self, principal: Principal, request: ClaimCaseRequest) -> ApplicantCaseView:
        """Links the case to the signed-in citizen's account; it then shows in 我的办件. Wrong
        codes count against the case number like tracking's (locked after 5)."""
        if not principal.is_citizen:
            raise Forbidden("请使用公众账号登录后再查找本人的案件。")
        case_key = request.case_id.strip().upper()
        now = self._clock.now()
        TrackingService._refuse_if_locked(self._guard.locked_until(case_key, now), now)
        case = self._cases.get(case_key)
        if case is None or not self._matches(case, request, principal):
            policy = self._policy
            until = self._guard.record_failure(
                case_key, now, max_failures=policy.max_failures, window_seconds=policy.window_seconds, lock_seconds=policy.lock_seconds
            )
            TrackingService._refuse_if_locked(until, now)
            raise NotFound(CLAIM_NOT_FOUND)
        for _ in range(CLAIM_ATTEMPTS):
            if case.applicant_user_id == principal.user_id:
                return self._tracking.my_case(principal, case.case_id)
            claimed = case.model_copy(update={"applicant_user_id": principal.user_id, "updated_at": now, "version": case.version + 1})
            try:
                self._cases.save(claimed, expected_version=case.version)
                return self._tracking.my_case(principal, case.case_id)
            except ConcurrentModification:
                # The flow moved the case meanwhile (e.g. it entered 陈述申辩): claim the fresh copy.
                fresh = self._cases.get(case_key)
                if fresh is None or not self._matches(fresh, request, principal):
                    raise NotFound(CLAIM_NOT_FOUND) from None
                case = fresh
        raise Conflict("案件状态正在变化，请稍后重试。")

    @staticmethod
    def _matches(case: Case, request: ClaimCaseRequest, principal: Principal) -> bool:
        """A penalty case, the right code and id number, and not already another account's."""
        owner_free = case.applicant_user_id.startswith(WINDOW_OWNER_PREFIX) or case.applicant_user_id == principal.user_id
        return (
            case.flow in PENALTY_FLOWS
            and hmac.compare_digest(case.query_code, request.query_code)
            and hmac.compare_digest(case.applicant.id_number, request.id_number.strip().upper())
            and owner_free
        )

    def statement(
        self, principal: Principal, case_id: str, request: PartyStatementRequest, idempotency_key: str | None
    ) -> ActionReceipt:
        """申请听证 / 陈述申辩 / 放弃, by the party only, while the case waits at 陈述申辩 and its
        window (5 working days from the notice, 第六十四条) has not run out."""
        request_id = decisions.request_id_of(idempotency_key, request)
        if not principal.is_citizen:
            raise Forbidden("请使用当事人本人的公众账号登录后再提交。")
        case = self._cases.get(case_id)
        if case is None or case.flow not in PENALTY_FLOWS:
            raise NotFound("未找到该案件，请核对案件编号。")
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("只有本案当事人可以陈述申辩或申请听证。")
        if decisions.is_replay(case, request_id):
            return decisions.resend(workflow=self._workflow, case=case)
        if case.step is not Step.STATEMENT or case.task_token is None:
            raise Conflict("该案件当前不在陈述申辩期内。")
        now = self._clock.now()
        due = case.statement_due_at
        if due is not None and now > due:
            raise Conflict(
                f"陈述申辩期限（告知后{STATEMENT_WORKING_DAYS}个工作日，至{due:%Y年%m月%d日}）已过，"
                "不能再申请听证或陈述申辩。"
            )
        statement = (request.statement or "").strip() or None
        if request.action == Decision.SUBMIT_STATEMENT.value and (statement is None or len(statement) < 2):
            raise InvalidInput("请填写陈述、申辩意见", details={"field": "statement"})
        attachments = collect_uploads(
            self._attachments, self._uploads, principal, request.upload_ids, checks=self._upload_checks, now=now,
        )
        pending = PendingDecision(
            decision=Decision(request.action),
            step=Step.STATEMENT,
            actor=Actor.of(principal, Role.CITIZEN),
            decided_at=now,
            opinion=statement,
            attachment_ids=tuple(a.attachment_id for a in attachments),
            request_id=request_id,
        )
        return decisions.hand_over(
            cases=self._cases, workflow=self._workflow, clock=self._clock, case=case, pending=pending, new_attachments=attachments
        )
