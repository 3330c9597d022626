"""What the API returns. Each audience sees only its slice of a case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from pydantic import ConfigDict, Field

from .base import DomainModel
from .case import Applicant, Attachment, Case, CaseStatus, IdType, TimelineEvent
from .clock import Extension, LimitUnit, Pause, PauseReason
from .due import ClockReading, DueState
from .flow import EXPIRE_DECISION, STEP_ROLE, Decision, FlowPattern, Step
from .inspection import Officer
from .joint import JointProgress, PartOpinion, extension_approver, extension_bound
from .reported import ReportedFrom, UpperProgress, is_upper_part, reported_from
from .roles import Role
from .uploads import UploadCheck, UploadCheckStatus


class TimelineDetails(DomainModel):
    """What a timeline event recorded besides its opinion. Each field is written by one use case
    (services/applications.py, models/case.py transitions, services/staff.py, services/procedures.py,
    services/deadlines.py); a key none of them writes (an older event's) is left out of the view."""

    model_config = ConfigDict(extra="ignore")

    attachment_ids: list[str] | None = None  # 申请, 补正, or a staff action's documents
    missing_materials: list[str] | None = None  # 一次性告知补正: the materials still needed
    channel: str | None = None  # an application not made online, e.g. at the window
    fee_charged_yuan: str | None = None  # the amount charged, compared with the catalog ("80.00")
    penalty_yuan: str | None = None  # the penalty imposed ("200.00")
    reason: PauseReason | None = None  # 特别程序 started or ended
    days: int | None = None  # 延期: the working days requested or decided
    extension_id: int | None = None
    accepted_as_of: datetime | None = None  # 视为受理: accepted as of the receipt of the materials
    basis: str | None = None  # the law that deems it accepted
    # 行政检查 (services/inspections.py): the plan that opened the case, the rectification deadline,
    # and the cases a 移送立案 links (each timeline names the other).
    plan_id: str | None = None
    rectification_due_on: date | None = None
    enforcement_case_id: str | None = None
    inspection_case_id: str | None = None
    # The officers who inspected (实施检查) or investigated (调查取证), each name and certificate
    # number (models/inspection.py Officer); at least two (行政处罚法 第四十二条).
    officers: list[Officer] | None = None
    # 行政处罚 (services/penalty.py): what was intended, when the hearing is.
    intended_penalty_yuan: str | None = None  # 事先告知: the intended fine
    legal_review_required: bool | None = None  # 事先告知: 法制审核 applies (第五十八条)
    collective_required: bool | None = None  # 事先告知: 集体讨论 applies (第五十七条)
    hearing_at: datetime | None = None  # 听证通知: the hearing's time and place
    hearing_place: str | None = None


class TimelineEntry(DomainModel):
    seq: int
    occurred_at: datetime
    action: str
    actor_name: str
    actor_role: str
    from_state: str | None
    to_state: str
    to_state_label: str
    opinion: str | None = None
    details: TimelineDetails = Field(default_factory=TimelineDetails)

    @classmethod
    def of(cls, event: TimelineEvent, *, reveal_people: bool) -> TimelineEntry:
        return cls(
            seq=event.seq,
            occurred_at=event.occurred_at,
            action=event.action,
            actor_name=event.actor.name if reveal_people else _public_actor(event),
            actor_role=event.actor.role,
            from_state=event.from_state.value if event.from_state else None,
            to_state=event.to_state.value,
            to_state_label=event.to_state.label,
            opinion=event.opinion,
            details=TimelineDetails.model_validate(event.details),
        )


def _public_actor(event: TimelineEvent) -> str:
    # The public sees which office acted, not the clerk's name.
    return {"citizen": "申请人", "system": "系统"}.get(event.actor.role, "经办人员")


class AttachmentView(DomainModel):
    attachment_id: str
    material_id: str | None
    file_name: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime
    check_status: UploadCheckStatus  # 校验中 until the upload check has run; only 已校验 downloads
    check_status_label: str
    check_reason: str | None = None  # why it failed (校验未通过)

    @classmethod
    def of(cls, attachment: Attachment, checks: Mapping[str, UploadCheck]) -> AttachmentView:
        check = checks.get(attachment.storage_key)
        status = check.status if check else UploadCheckStatus.CHECKING
        return cls(
            **attachment.model_dump(exclude={"storage_key"}),
            check_status=status,
            check_status_label=status.label,
            check_reason=check.reason if check else None,
        )


class CaseSummary(DomainModel):
    case_id: str
    item_code: str
    item_name: str
    flow: FlowPattern = Field(default=FlowPattern.STANDARD, description="办理流程类型")
    department_id: str
    department_name: str
    status: CaseStatus
    status_label: str
    step: Step | None
    step_due_at: datetime | None
    promised_due_on: date
    submitted_at: datetime
    updated_at: datetime
    # Read on the server's clock when the response was made (rules/due_status.py); NONE/None where
    # the audience is not shown a colour (the applicant, the public).
    due_state: DueState = DueState.NONE
    remaining_working_days: int | None = None  # of the current step; negative when past its due day
    # The same in the step limit's own unit (calendar days for a calendar-day limit), as pages show it.
    remaining_days: int | None = None
    remaining_unit: LimitUnit | None = None
    # Reported by another system (models/inbound.py): its platform id; None when handled here.
    source_system: str | None = Field(default=None, description="上报办件的对接系统（本系统办理的为空）")

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        return cls(
            case_id=case.case_id,
            item_code=case.item_code,
            item_name=case.item_name,
            flow=case.flow,
            department_id=case.department_id,
            department_name=case.department_name,
            status=case.status,
            status_label=case.status.label,
            step=case.step,
            step_due_at=case.step_due_at,
            promised_due_on=case.promised_due_on,
            submitted_at=case.submitted_at,
            updated_at=case.updated_at,
            source_system=case.source_system,
        )


class StaffCaseSummary(CaseSummary):
    """A line of a staff worklist: with the 日历未确认 mark."""

    calendar_unconfirmed: bool

    @classmethod
    def of(cls, case: Case) -> StaffCaseSummary:
        return cls(**CaseSummary.of(case).model_dump(), calendar_unconfirmed=case.calendar_unconfirmed)


class PublicCaseView(CaseSummary):
    """Tracking by case number and query code: progress and result, no personal data."""

    applicant_name: str
    missing_materials: list[str]
    decision_text: str | None
    result_text: str | None
    closed_at: datetime | None
    timeline: list[TimelineEntry]
    # 上报件: where the upper department is with the case (the applicant sees one case, 第三十五条).
    upper_progress: UpperProgress | None = Field(default=None, description="上报件：上级审批部门的办理进度")

    @classmethod
    def build(cls, case: Case, events: list[TimelineEvent]) -> PublicCaseView:
        return cls(
            **CaseSummary.of(case).model_dump(),
            applicant_name=_mask_name(case.applicant.name),
            missing_materials=list(case.missing_materials),
            decision_text=case.decision_text,
            result_text=case.result_text,
            closed_at=case.closed_at,
            timeline=[_party_entry(e) if case.flow in _PENALTY_FLOWS else TimelineEntry.of(e, reveal_people=False) for e in events],
        )


_PENALTY_FLOWS = frozenset({FlowPattern.PENALTY, FlowPattern.PENALTY_SIMPLE})
# What the party of a penalty is told (文书 served on them) and what they did; everything else is
# the organ's internal work (调查报告, 法制审核, 集体讨论): shown as a step, without its opinion.
_PARTY_FACING = frozenset({
    Decision.DROP, Decision.NOTIFY, Decision.REQUEST_HEARING, Decision.SUBMIT_STATEMENT, Decision.WAIVE,
    Decision.SCHEDULE_HEARING, Decision.PENALIZE, Decision.NO_PENALTY, Decision.DELIVERED, Decision.PAID,
    Decision.ENFORCE, Decision.COMPLETE,
}) | {EXPIRE_DECISION}
_INTERNAL_DETAILS = {"officers", "legal_review_required", "collective_required"}


def _party_entry(event: TimelineEvent) -> TimelineEntry:
    entry = TimelineEntry.of(event, reveal_people=False)
    if event.action in _PARTY_FACING:
        details = entry.details.model_copy(update=dict.fromkeys(_INTERNAL_DETAILS))
        return entry.model_copy(update={"details": details})
    return entry.model_copy(update={"opinion": None, "details": TimelineDetails(attachment_ids=entry.details.attachment_ids)})


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if len(name) <= 4 else name


class ApplicantCaseView(PublicCaseView):
    """The applicant's own case: also their form, attachments and query code."""

    query_code: str
    form: dict[str, str]
    attachments: list[AttachmentView]
    legal_due_on: date
    clock_paused: str | None  # why the clock stands still (e.g. 补正材料), or None
    supplement_due_at: datetime | None = None  # 补正期限: not supplemented by then, withdrawn
    statement_due_at: datetime | None = None  # 陈述申辩期限 of a penalty (行政处罚法 第六十四条)
    # 并联审批: which co-departments have given their opinion in the current round (not what).
    joint_progress: list[JointProgress] = Field(default_factory=list, description="并联审批：各配合部门是否已出具意见")

    @classmethod
    def build(cls, case: Case, events: list[TimelineEvent], *, checks: Mapping[str, UploadCheck]) -> ApplicantCaseView:  # type: ignore[override]  # more to build from than the public view
        base = PublicCaseView.build(case, events).model_dump()
        base["applicant_name"] = case.applicant.name
        return cls(
            **base,
            query_code=case.query_code,
            form=case.form,
            attachments=[AttachmentView.of(a, checks) for a in case.attachments],
            legal_due_on=case.legal_due_on,
            clock_paused=case.open_pause.reason.label if case.open_pause else None,
            supplement_due_at=case.supplement_due_at,
            statement_due_at=case.statement_due_at,
        )


class StaffApplicant(DomainModel):
    """The applicant as staff see it: the identity number masked (Applicant.masked_id_number)."""

    name: str
    id_type: IdType
    id_number: str
    phone: str
    address: str

    @classmethod
    def of(cls, applicant: Applicant) -> StaffApplicant:
        return cls(
            name=applicant.name, id_type=applicant.id_type, id_number=applicant.masked_id_number,
            phone=applicant.phone, address=applicant.address,
        )


class StaffCaseView(ApplicantCaseView):
    """Everything staff of the department (and inspectors) need to act or supervise."""

    applicant: StaffApplicant
    step_role: Role | None
    step_started_at: datetime | None
    step_reminder_at: datetime | None
    step_red_at: datetime | None
    acceptance_due_at: datetime | None
    deemed_accepted: bool
    accepted_at: datetime | None  # 受理 (or, deemed, the receipt): the limits run from it
    calendar_unconfirmed: bool  # 日历未确认: the counting range touches a year without official 调休 data
    pauses: list[Pause]
    extensions: list[Extension]
    actionable: bool
    fee_yuan: str
    clock: ClockReading | None = None  # the limits as the server reads them now
    # 并联审批: on a part case, the lead case it belongs to; on the lead case, every part's opinion.
    parent_case_id: str | None = Field(default=None, description="并联审批：本分件所属的牵头部门办件")
    extension_approver: Role = Field(default=Role.LEADER, description="延期由谁审批：部门分管领导，或并联审批的市政府分管领导")
    extension_max_days: int = Field(default=0, description="延期上限（工作日）")
    joint_opinions: list[PartOpinion] = Field(default_factory=list, description="并联审批：各配合部门的会签意见")
    reported_from: ReportedFrom | None = Field(default=None, description="上报件（上级部门分件）：下级部门的初审和上报意见")

    @classmethod
    def build(  # type: ignore[override]  # more to build from than the applicant view
        cls, case: Case, events: list[TimelineEvent], *, actionable: bool, checks: Mapping[str, UploadCheck]
    ) -> StaffCaseView:
        base = ApplicantCaseView.build(case, events, checks=checks).model_dump()
        base["timeline"] = [TimelineEntry.of(e, reveal_people=True) for e in events]
        return cls(
            **base,
            applicant=StaffApplicant.of(case.applicant),
            step_role=STEP_ROLE[case.step] if case.step else None,
            step_started_at=case.step_started_at,
            step_reminder_at=case.step_reminder_at,
            step_red_at=case.step_red_at,
            acceptance_due_at=case.acceptance_due_at,
            deemed_accepted=case.deemed_accepted,
            accepted_at=case.accepted_at,
            calendar_unconfirmed=case.calendar_unconfirmed,
            pauses=list(case.pauses),
            extensions=list(case.extensions),
            actionable=actionable,
            fee_yuan=case.fee_yuan,
            parent_case_id=case.parent_case_id,
            reported_from=reported_from(case.parent_case_id, events[0] if events else None) if case.parent_case_id else None,
            extension_approver=extension_approver(case.flow, case.parent_case_id),
            # A joint case's 会签分件 is not extended on its own; a 上报件's upper part is (第四十二条).
            extension_max_days=0 if case.parent_case_id and not is_upper_part(case.flow, case.parent_case_id) else extension_bound(
                case.flow, case.parent_case_id, case.warning_rules.max_extension_days),
        )


class ApplicationReceipt(DomainModel):
    case_id: str
    query_code: str
    status: CaseStatus
    status_label: str
    promised_due_on: date
    submitted_at: datetime


class UploadTicket(DomainModel):
    upload_id: str
    url: str
    fields: dict[str, str]
    expires_in_seconds: int
    max_bytes: int


class ActionReceipt(DomainModel):
    case_id: str
    decision: str
    message: str


# How long a presigned download link (an attachment, a document) stays valid.
DOWNLOAD_TTL_SECONDS = 300


class DownloadLink(DomainModel):
    url: str
    expires_in_seconds: int
