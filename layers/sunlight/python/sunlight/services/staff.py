"""Staff of a department work their cases through the fixed flow; city inspectors may look at any
case, a department's 监察室 at its own department's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models.case import Actor, Attachment, Case, PendingDecision
from ..models.flow import STEP_DECISIONS, STEP_ROLE, Decision, FlowPattern, Step
from ..models.joint import is_joint_lead
from ..models.reported import upper_case_id
from ..models.requests import StaffAction
from ..models.roles import Principal, Role
from ..models.views import DOWNLOAD_TTL_SECONDS, ActionReceipt, DownloadLink, StaffCaseSummary, StaffCaseView
from ..rules.due_status import clock_reading, due_fields
from ..rules.workdays import WorkingCalendar
from . import decisions
from . import penalty as penalty_rules
from .applications import CASE_NOT_FOUND, UploadPolicy, collect_uploads
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .joint import opinion_of
from .pagination import Page, decode_cursor, encode_cursor
from .ports import AttachmentStore, CaseRepository, Clock, UploadChecks, WorkflowEngine
from .reported import progress_of_upper, reported_upward
from .scope import Scope
from .upload_check import download_refusal

FLOW_ROLE_ORDER = (Role.WINDOW, Role.HANDLER, Role.REVIEWER, Role.LEADER)


DEEMED_ACCEPTED_MESSAGE = (
    "该申请已视为受理（《行政许可法》第三十二条：逾期不告知补正的，自收到申请材料之日起即为受理），"
    "不能再不予受理或要求补正，请办理受理登记。"
)


class StaffService:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        workflow: WorkflowEngine,
        attachments: AttachmentStore,
        clock: Clock,
        uploads: UploadPolicy,
        calendar: WorkingCalendar,
        upload_checks: UploadChecks,
        inspection_details: Callable[[Principal, Case, StaffAction], dict[str, Any]] | None = None,
    ) -> None:
        # 行政检查: the officers, the rectification deadline, the enforcement case a 移送立案 opens
        # (services/inspections.py InspectionService.decision_details).
        self._inspection_details = inspection_details
        self._calendar = calendar  # the due colours and working days left, read at response time
        self._upload_checks = upload_checks
        self._cases = cases
        self._workflow = workflow
        self._attachments = attachments
        self._clock = clock
        self._uploads = uploads

    # --- reading ---------------------------------------------------------------------------

    def worklist(
        self, principal: Principal, *, role: Role | None, step: Step | None, cursor: str | None, limit: int
    ) -> Page[StaffCaseSummary]:
        """The open steps waiting on the caller's role in their department, earliest due first."""
        if not principal.is_staff:
            raise Forbidden("只有部门工作人员可以查看待办件。")
        staff_roles = [r for r in FLOW_ROLE_ORDER if principal.has_role(r)]
        if role is None:
            role = STEP_ROLE[step] if step is not None else staff_roles[0]
        if role not in staff_roles:
            raise Forbidden(f"您没有“{role.label}”岗位。")
        if step is not None and STEP_ROLE[step] is not role:
            raise Forbidden(f"“{step.label}”环节不由{role.label}办理。")
        cases, last_key = self._cases.worklist(
            principal.department_id or "", role, step=step, limit=limit, start_key=decode_cursor(cursor)
        )
        now = self._clock.now()
        items = [StaffCaseSummary.of(c).model_copy(update=due_fields(c, now, self._calendar)) for c in cases]
        return Page[StaffCaseSummary](items=items, next_cursor=encode_cursor(last_key))

    def case_detail(self, principal: Principal, case_id: str) -> StaffCaseView:
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            raise NotFound(CASE_NOT_FOUND)
        case, events = found
        self._require_visible(principal, case)
        now = self._clock.now()
        checks = self._upload_checks.get_many([a.storage_key for a in case.attachments]) if case.attachments else {}
        view = StaffCaseView.build(case, events, actionable=self._may_act(principal, case), checks=checks)
        update = {**due_fields(case, now, self._calendar), "clock": clock_reading(case, now, self._calendar)}
        if case.joint_parts:
            # The lead's staff see every co-department's opinion (统一办理, 行政许可法 第二十六条).
            parts = [p for p in (self._cases.get(pid) for pid in case.joint_parts) if p is not None]
            update["joint_opinions"] = [opinion_of(p, now=now) for p in parts]
        if reported_upward(case):
            # 上报件: the lower department follows the upper department's work on its case.
            part = self._cases.get(upper_case_id(case.case_id))
            update["upper_progress"] = progress_of_upper(part, part.department_name if part else "上级部门")
        return view.model_copy(update=update)

    def attachment_link(self, principal: Principal, case_id: str, attachment_id: str) -> DownloadLink:
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        self._require_visible(principal, case)
        attachment = case.attachment(attachment_id)
        if attachment is None:
            raise NotFound("未找到该附件。")
        refusal = download_refusal(self._upload_checks.get_many([attachment.storage_key]).get(attachment.storage_key))
        if refusal:
            raise Conflict(refusal)
        url = self._attachments.presign_download(attachment.storage_key, file_name=attachment.file_name, expires_in=DOWNLOAD_TTL_SECONDS)
        return DownloadLink(url=url, expires_in_seconds=DOWNLOAD_TTL_SECONDS)

    # --- acting ----------------------------------------------------------------------------

    def act(self, principal: Principal, case_id: str, action: StaffAction, idempotency_key: str | None) -> ActionReceipt:
        request_id = decisions.request_id_of(idempotency_key, action)
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        if not principal.is_staff or principal.department_id != case.department_id:
            raise Forbidden("您无权办理其他部门的办件。")
        if decisions.is_replay(case, request_id):
            return decisions.resend(workflow=self._workflow, case=case)
        decision = Decision(action.action)
        step = case.step
        if case.status.is_closed or step is None:
            raise Conflict(f"该办件已{case.status.label}，不能再操作。")
        if decision not in STEP_DECISIONS[step]:
            raise Conflict(f"该办件当前处于“{step.label}”环节，不能执行“{decision.label}”。")
        role = STEP_ROLE[step]
        if not principal.has_role(role):
            raise Forbidden(f"“{step.label}”环节须由{role.label}办理。")
        if case.deemed_accepted and decision in (Decision.REJECT, Decision.REQUEST_SUPPLEMENT):
            raise Conflict(DEEMED_ACCEPTED_MESSAGE)
        penalty_rules.check_staff_action(case, step, action, now=self._clock.now(), calendar=self._calendar)
        attachments = self._attached_documents(principal, case, action.attachment_ids)
        details = _supervised_details(action)
        if case.flow is FlowPattern.INSPECTION and self._inspection_details is not None:
            details |= self._inspection_details(principal, case, action)
        pending = PendingDecision(
            decision=decision,
            step=step,
            actor=Actor.of(principal, role),
            decided_at=self._clock.now(),
            opinion=action.opinion,
            missing_materials=tuple(getattr(action, "missing_materials", ()) or ()),
            attachment_ids=tuple(a.attachment_id for a in attachments),
            details=details,
            request_id=request_id,
        )
        return decisions.hand_over(
            cases=self._cases, workflow=self._workflow, clock=self._clock, case=case, pending=pending, new_attachments=attachments
        )

    def _attached_documents(self, principal: Principal, case: Case, upload_ids: list[str]) -> tuple[Attachment, ...]:
        """The caller's uploads attached to this action (e.g. a risk point's control document),
        verified like an applicant's; each goes on the case once."""
        attachments = collect_uploads(
            self._attachments, self._uploads, principal, upload_ids, checks=self._upload_checks, now=self._clock.now(),
            field="attachment_ids",
        )
        for index, attachment in enumerate(attachments):
            if case.attachment(attachment.attachment_id) is not None:
                raise InvalidInput(f"第{index + 1}个附件已在本办件中，请勿重复提交。", details={"field": f"attachment_ids.{index}"})
        return attachments

    # --- rules -----------------------------------------------------------------------------

    @staticmethod
    def _require_visible(principal: Principal, case: Case) -> None:
        if principal.is_government_leader and is_joint_lead(case.flow, case.parent_case_id):
            return  # 市政府分管领导 reads the joint case whose extension they decide (第四十二条)
        require_case_visible(principal, case)

    @staticmethod
    def _may_act(principal: Principal, case: Case) -> bool:
        return (
            case.awaiting_staff
            and principal.department_id == case.department_id
            and case.step is not None
            and principal.has_role(STEP_ROLE[case.step])
        )


def require_case_visible(principal: Principal, case: Case) -> None:
    """Who reads a case and what derives from it (attachments, timeline, warnings, rating): a
    government's 监察局 (inspector without a department) the cases of its level and below, the
    city's every case (实时监控); a department's own staff and its 监察室 (inspector with a
    department) that department's only (services/scope.py). The admin reads no dossier."""
    Scope.of(principal).require_case(case)


def _supervised_details(action: StaffAction) -> dict[str, Any]:
    """Amounts the anomaly rules compare with the catalog, as strings of yuan ("80.00")."""
    details: dict[str, Any] = {}
    for field in ("fee_charged_yuan", "penalty_yuan", "intended_penalty_yuan"):
        amount = getattr(action, field, None)
        if amount is not None:
            details[field] = f"{amount:.2f}"
    return details | penalty_rules.action_details(action)
