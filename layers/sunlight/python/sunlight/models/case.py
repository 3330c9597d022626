"""A case (办件): one application for one catalog item, and its timeline.

Transitions are pure functions returning a new Case and the TimelineEvent that records it;
services persist both atomically. The order of steps is decided by the state machine; these
functions only record what it decided.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, ConfigDict, Field, ValidationInfo, field_validator

from ..rules.deadlines import ONE_SECOND, alarm_times
from .base import DomainModel
from .clock import Extension, LimitStart, LimitUnit, Pause, PauseReason, WarningRules
from .flow import EXPIRE_DECISION, STAFF_STEPS, Decision, FlowPattern, Outcome, Step
from .joint import lead_waits_on_parts
from .levels import CITY_GOVERNMENT_ID
from .roles import Principal, Role

SYSTEM_ACTOR_ID = "system"
SYSTEM_ACTOR_NAME = "系统"


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"  # 已提交，等待分送
    ACCEPT = Step.ACCEPT.value
    SUPPLEMENT = Step.SUPPLEMENT.value
    HANDLE = Step.HANDLE.value
    REVIEW = Step.REVIEW.value
    APPROVE = Step.APPROVE.value
    COMPLETE = Step.COMPLETE.value
    INSTANT = Step.INSTANT.value
    OPINION = Step.OPINION.value
    INVESTIGATE = Step.INVESTIGATE.value
    NOTIFY = Step.NOTIFY.value
    STATEMENT = Step.STATEMENT.value
    HEARING_NOTICE = Step.HEARING_NOTICE.value
    HEARING = Step.HEARING.value
    LEGAL_REVIEW = Step.LEGAL_REVIEW.value
    COLLECTIVE = Step.COLLECTIVE.value
    DECIDE = Step.DECIDE.value
    DELIVER = Step.DELIVER.value
    EXECUTE = Step.EXECUTE.value
    ON_SPOT = Step.ON_SPOT.value
    INSPECT = Step.INSPECT.value
    INSPECT_RESULT = Step.INSPECT_RESULT.value
    RECTIFICATION = Step.RECTIFICATION.value
    PUBLICIZE = Step.PUBLICIZE.value
    PRELIMINARY_REVIEW = Step.PRELIMINARY_REVIEW.value
    REPORT = Step.REPORT.value
    REPORTED = "reported"  # 上报件: reported up; the upper department's part case holds the steps
    COMPLETED = Outcome.COMPLETED.value
    REJECTED = Outcome.REJECTED.value
    DENIED = Outcome.DENIED.value
    WITHDRAWN = Outcome.WITHDRAWN.value
    DROPPED = Outcome.DROPPED.value
    SUSPENDED = "suspended"  # 环节超过最长等待期限，流程挂起

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES


STATUS_LABELS = {
    CaseStatus.SUBMITTED: "已提交",
    CaseStatus.ACCEPT: "待受理",
    CaseStatus.SUPPLEMENT: "待补正材料",
    CaseStatus.HANDLE: "承办中",
    CaseStatus.REVIEW: "审核中",
    CaseStatus.APPROVE: "待批准",
    CaseStatus.COMPLETE: "待办结",
    CaseStatus.INSTANT: "待当场办理",
    CaseStatus.OPINION: "征求意见中",
    CaseStatus.INVESTIGATE: "调查取证中",
    CaseStatus.NOTIFY: "待事先告知",
    CaseStatus.STATEMENT: "陈述申辩期",
    CaseStatus.HEARING_NOTICE: "待通知听证",
    CaseStatus.HEARING: "待听证",
    CaseStatus.LEGAL_REVIEW: "法制审核中",
    CaseStatus.COLLECTIVE: "待集体讨论",
    CaseStatus.DECIDE: "待作出决定",
    CaseStatus.DELIVER: "待送达",
    CaseStatus.EXECUTE: "执行中",
    CaseStatus.ON_SPOT: "待当场处罚",
    CaseStatus.INSPECT: "待实施检查",
    CaseStatus.INSPECT_RESULT: "待确定检查结果",
    CaseStatus.RECTIFICATION: "整改中",
    CaseStatus.PUBLICIZE: "待公示",
    CaseStatus.PRELIMINARY_REVIEW: "初审中",
    CaseStatus.REPORT: "待上报",
    CaseStatus.REPORTED: "已上报上级审批",
    CaseStatus.COMPLETED: "已办结",
    CaseStatus.REJECTED: "不予受理",
    CaseStatus.DENIED: "不予批准",
    CaseStatus.WITHDRAWN: "视为撤回",
    CaseStatus.DROPPED: "撤销立案",
    CaseStatus.SUSPENDED: "流程挂起",
}
CLOSED_STATUSES = frozenset(
    {
        CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.DENIED, CaseStatus.WITHDRAWN, CaseStatus.DROPPED,
        CaseStatus.SUSPENDED,
    }
)


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    CREDIT_CODE = "credit_code"  # 统一社会信用代码
    PASSPORT = "passport"  # 护照

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.CREDIT_CODE: "统一社会信用代码",
    IdType.PASSPORT: "护照",
}

_ID_PATTERNS = {
    IdType.RESIDENT_ID: re.compile(r"^\d{17}[\dX]$"),
    IdType.CREDIT_CODE: re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
    IdType.PASSPORT: re.compile(r"^[A-Z0-9]{5,17}$"),
}
CREDIT_CODE_PATTERN = _ID_PATTERNS[IdType.CREDIT_CODE]  # GB 32100 (format only)
_ID_MESSAGES = {
    IdType.RESIDENT_ID: "请填写18位居民身份证号码（最后一位可为X）",
    IdType.CREDIT_CODE: "请填写18位统一社会信用代码",
    IdType.PASSPORT: "请填写5至17位护照号码（大写字母或数字）",
}
_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"


def resident_id_is_valid(number: str) -> bool:
    """GB 11643 checksum of an 18-digit resident id."""
    if not _ID_PATTERNS[IdType.RESIDENT_ID].match(number):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK[total % 11] == number[17]


class Applicant(DomainModel):
    """申请人 (a person or an organisation)."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=50, description="申请人姓名或单位名称")
    id_type: IdType = Field(description="证件类型")
    id_number: str = Field(min_length=5, max_length=18, description="证件号码")
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", description="联系电话")
    address: str = Field(default="", max_length=120, description="联系地址")

    @field_validator("id_number", mode="after")
    @classmethod
    def _matches_id_type(cls, value: str, info: ValidationInfo) -> str:
        number = value.upper()
        id_type = info.data.get("id_type")
        if id_type is None:  # id_type itself was invalid and is reported on its own
            return number
        if not _ID_PATTERNS[id_type].match(number) or (
            id_type is IdType.RESIDENT_ID and not resident_id_is_valid(number)
        ):
            raise ValueError(_ID_MESSAGES[id_type])
        return number

    @property
    def masked_id_number(self) -> str:
        return self.id_number[:3] + "*" * (len(self.id_number) - 7) + self.id_number[-4:]


class Attachment(DomainModel):
    model_config = ConfigDict(frozen=True)

    attachment_id: str
    material_id: str | None = None
    file_name: str
    content_type: str
    size_bytes: int
    storage_key: str
    uploaded_at: AwareDatetime


class Actor(DomainModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str
    role: str  # a Role value, or "system"

    @classmethod
    def of(cls, principal: Principal, role: Role) -> Actor:
        return cls(user_id=principal.user_id, name=principal.name, role=role.value)

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id=SYSTEM_ACTOR_ID, name=SYSTEM_ACTOR_NAME, role=SYSTEM_ACTOR_ID)


class PendingDecision(DomainModel):
    """A decision taken by a person and sent to the state machine, not yet recorded as a transition."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    step: Step
    actor: Actor
    decided_at: AwareDatetime
    opinion: str | None = None
    missing_materials: tuple[str, ...] = ()
    attachment_ids: tuple[str, ...] = ()
    details: dict[str, Any] = Field(default_factory=dict)  # what supervision needs, e.g. fee_charged_yuan, penalty_yuan
    request_id: str | None = None
    spent_token: str | None = None  # kept so a retried request can re-send the same decision


class TimelineEvent(DomainModel):
    """One entry of the case's timeline: who did what, from which state to which, when."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    seq: int = Field(ge=1)
    occurred_at: AwareDatetime
    actor: Actor
    action: str  # a Decision value, or "apply", "dispatch", "suspend"
    from_state: CaseStatus | None
    to_state: CaseStatus
    opinion: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def event_id(self) -> str:
        return f"{self.case_id}#{self.seq}"


class Case(DomainModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    query_code: str
    item_code: str
    item_name: str
    flow: FlowPattern = FlowPattern.STANDARD
    # A co-department's part of a joint case (并联审批): its own case of that department, under the
    # lead department's case. The applicant sees only the lead case.
    parent_case_id: str | None = None
    joint_round: int = 0  # a joint lead case: how often it was forwarded to its co-departments
    joint_parts: tuple[str, ...] = ()  # a joint lead case: its part cases, every round
    department_id: str
    department_name: str
    # 行政层级: the department's government and its chain from the city down (models/levels.py),
    # stamped at intake so scope checks need no lookup.
    government_id: str = CITY_GOVERNMENT_ID
    government_path: tuple[str, ...] = (CITY_GOVERNMENT_ID,)
    applicant: Applicant
    applicant_user_id: str
    # Reported by a department's own system or a district platform (models/inbound.py): supervised
    # like a native case (deadlines, cards, anomalies, scores), but its steps are reported, not run
    # by a state machine here. None: handled in Sunlight.
    source_system: str | None = None  # the reporting system's platform_id
    external_case_id: str | None = None  # the case's id in that system
    reported_sequence: int = 0  # sequence of the last report applied to the case
    form: dict[str, str]
    attachments: tuple[Attachment, ...] = ()
    status: CaseStatus
    step: Step | None = None
    step_started_at: AwareDatetime | None = None
    step_due_at: AwareDatetime | None = None
    step_limit_days: dict[Step, int]
    promised_limit_days: int = 0
    legal_limit_days: int = 0
    # Each limit's unit (working or calendar days) and the event the case's limits count from, copied
    # from the catalog item at receipt (missing: working days from 受理, as before units existed).
    step_limit_units: dict[Step, LimitUnit] = {}
    promised_limit_unit: LimitUnit = LimitUnit.WORKING_DAYS
    legal_limit_unit: LimitUnit = LimitUnit.WORKING_DAYS
    limit_starts_at: LimitStart = LimitStart.ACCEPTANCE
    promised_due_on: date
    legal_due_on: date
    # The clock (see rules/deadlines.py): pauses, extensions, this step visit's warning times.
    pauses: tuple[Pause, ...] = ()
    extensions: tuple[Extension, ...] = ()
    warning_rules: WarningRules = WarningRules()
    step_visit: int = 0  # seq of the timeline event that entered the current step
    step_reminder_at: AwareDatetime | None = None
    step_red_at: AwareDatetime | None = None
    warnings_issued: tuple[str, ...] = ()  # levels issued in this step visit
    acceptance_due_at: AwareDatetime | None = None  # 受理期限: 5 working days after receipt
    supplement_due_at: AwareDatetime | None = None  # 补正期限 (at 补正 only): not supplemented by then, withdrawn
    # 陈述申辩期限 (at 陈述申辩 only): 5 working days from the notice (行政处罚法 第六十四条); then the flow goes on.
    statement_due_at: AwareDatetime | None = None
    deemed_accepted: bool = False
    # 受理: the legal and promised limits run from it (行政许可法 第四十二条). Set when the window
    # accepts, or — deemed acceptance (第三十二条) — to the receipt of the materials.
    accepted_at: AwareDatetime | None = None
    # The case's counting range touches a year whose official 调休 schedule is not known and that
    # no administrator has confirmed (日历未确认): its due dates may be wrong.
    calendar_unconfirmed: bool = False
    submitted_at: AwareDatetime
    updated_at: AwareDatetime
    closed_at: AwareDatetime | None = None
    missing_materials: tuple[str, ...] = ()
    # 责令整改: the day the subject must have rectified by; the 整改复查 step's limit counts from it.
    rectification_due_on: date | None = None
    decision_text: str | None = None
    result_text: str | None = None
    fee_yuan: str = "0.00"
    task_token: str | None = None
    pending: PendingDecision | None = None
    last_decision: str | None = None
    last_request_id: str | None = None
    version: int = 1
    seq: int = 1  # seq of the newest timeline event

    @property
    def open_pause(self) -> Pause | None:
        return next((p for p in self.pauses if p.open), None)

    @property
    def counting_start(self) -> datetime:
        """When the case's limits start: 受理 (or receipt while it is not yet accepted) for limits
        counted from acceptance; receipt (收件) or registration (立案, which creates the case) else."""
        if self.limit_starts_at is LimitStart.ACCEPTANCE:
            return self.accepted_at or self.submitted_at
        return self.submitted_at

    def step_limit_unit(self, step: Step) -> LimitUnit:
        return self.step_limit_units.get(step, LimitUnit.WORKING_DAYS)

    @property
    def received_at(self) -> datetime:
        """When the (complete) materials were received: the application, or the last 补正."""
        ends = [p.ended_at for p in self.pauses if p.reason is PauseReason.SUPPLEMENT and p.ended_at is not None]
        return max([self.submitted_at, *ends])

    @property
    def step_clock_stopped(self) -> bool:
        """A pause of this step visit, started before its deadline had run out, is open."""
        pause = self.open_pause
        if pause is None or self.step_started_at is None:
            return False
        own = pause.step is self.step and pause.started_at >= self.step_started_at
        return own and (self.step_due_at is None or pause.started_at <= self.step_due_at)

    @property
    def next_alarm_at(self) -> datetime | None:
        """When the deadline check must next look at this case (None: nothing to watch now).

        Only a pause of this step visit that started in time stops its warnings: a pause of
        another step, or one started after the step was already overdue, stops nothing."""
        if self.step is Step.SUPPLEMENT and self.supplement_due_at is not None and self.task_token and self.pending is None:
            return self.supplement_due_at + ONE_SECOND  # the 补正 wait runs out: withdrawn
        if self.step is Step.STATEMENT and self.statement_due_at is not None and self.task_token and self.pending is None:
            return self.statement_due_at + ONE_SECOND  # the party's statement window runs out
        if self.status.is_closed or self.step not in STAFF_STEPS or self.step_clock_stopped or self.pending is not None:
            return None  # closed, the applicant's turn, clock stopped, or the step's holder has acted
        if lead_waits_on_parts(self.flow, self.parent_case_id, self.step):
            return None  # 征求意见: each co-department's part case carries its own clock and cards
        candidates = []
        if self.step_due_at and self.step_reminder_at and self.step_red_at:
            times = alarm_times(self.step_reminder_at, self.step_due_at, self.step_red_at)
            candidates += [at for level, at in times.items() if level not in self.warnings_issued]
        if self.step is Step.ACCEPT and not self.deemed_accepted and self.acceptance_due_at is not None:
            candidates.append(self.acceptance_due_at + ONE_SECOND)
        return min(candidates) if candidates else None

    @property
    def awaiting_staff(self) -> bool:
        return self.step in STAFF_STEPS and self.task_token is not None and self.pending is None

    def attachment(self, attachment_id: str) -> Attachment | None:
        return next((a for a in self.attachments if a.attachment_id == attachment_id), None)

    # --- transitions ---------------------------------------------------------------------

    def with_decision(self, pending: PendingDecision, *, now: datetime, new_attachments: tuple[Attachment, ...] = ()) -> Case:
        """A person decided at the current step: the token is spent; the flow moves on."""
        return self.model_copy(
            update={
                "pending": pending.model_copy(update={"spent_token": self.task_token}),
                "task_token": None,
                "attachments": self.attachments + new_attachments,
                "updated_at": now,
                "version": self.version + 1,
            }
        )

    def without_decision(self, token: str, *, now: datetime) -> Case:
        """Undo `with_decision` when the state machine could not be told (nothing moved)."""
        assert self.pending is not None
        kept = tuple(a for a in self.attachments if a.attachment_id not in self.pending.attachment_ids)
        return self.model_copy(
            update={"pending": None, "task_token": token, "attachments": kept, "updated_at": now, "version": self.version + 1}
        )

    def _transition_event(
        self, to_state: CaseStatus, *, now: datetime, default_action: str, default_opinion: str | None = None
    ) -> TimelineEvent:
        pending = self.pending
        details: dict[str, Any] = dict(pending.details) if pending else {}
        if pending and pending.missing_materials:
            details["missing_materials"] = list(pending.missing_materials)
        if pending and pending.attachment_ids:
            details["attachment_ids"] = list(pending.attachment_ids)
        return TimelineEvent(
            case_id=self.case_id,
            seq=self.seq + 1,
            occurred_at=pending.decided_at if pending else now,
            actor=pending.actor if pending else Actor.system(),
            action=pending.decision.value if pending else default_action,
            from_state=self.status,
            to_state=to_state,
            opinion=pending.opinion if pending else default_opinion,
            details=details,
        )

    def entered_step(self, step: Step, token: str, *, now: datetime, due_at: datetime | None) -> tuple[Case, TimelineEvent | None]:
        """The state machine entered a human step and handed over its task token.

        A retried invocation for the step the case is already waiting at only refreshes the
        token: no second timeline event.
        """
        if self.pending is None and self.step is step:
            return self.model_copy(update={"task_token": token, "updated_at": now, "version": self.version + 1}), None
        if self.pending is None and self.step is Step.STATEMENT:
            # The party's statement window ran out (the deadline check answered for them).
            event = self._transition_event(
                CaseStatus(step.value), now=now, default_action=EXPIRE_DECISION, default_opinion=_statement_expired_opinion(self),
            )
        else:
            event = self._transition_event(CaseStatus(step.value), now=now, default_action="dispatch")
        pending = self.pending
        update: dict[str, Any] = {
            "status": CaseStatus(step.value),
            "step": step,
            "task_token": token,
            "pending": None,
            "step_started_at": now,
            "step_due_at": due_at,
            "step_visit": event.seq,
            "warnings_issued": (),
            "updated_at": now,
            "version": self.version + 1,
            "seq": event.seq,
        }
        update.update(_recorded_texts(pending))
        if pending and pending.decision is Decision.ACCEPT and self.accepted_at is None:
            update["accepted_at"] = pending.decided_at  # 受理: the limits start (第四十二条)
        if pending and pending.decision is Decision.REQUEST_SUPPLEMENT:
            update["missing_materials"] = pending.missing_materials
        if pending and pending.decision is Decision.RESUBMIT:
            update["missing_materials"] = ()
        if pending and pending.decision is Decision.RECTIFY and "rectification_due_on" in pending.details:
            update["rectification_due_on"] = date.fromisoformat(pending.details["rectification_due_on"])
        return self.model_copy(update=update), event

    def forwarded(self, parts: tuple[str, ...], *, now: datetime, details: dict[str, Any]) -> tuple[Case, TimelineEvent]:
        """并联审批: the lead forwards the (complete) application to its co-departments for their
        opinions and waits at 征求意见 with no token of its own (行政许可法 第二十六条)."""
        event = self._transition_event(CaseStatus.OPINION, now=now, default_action="forward")
        event = event.model_copy(update={"details": {**event.details, **details}})
        pending = self.pending
        update: dict[str, Any] = {
            "status": CaseStatus.OPINION, "step": Step.OPINION, "task_token": None, "pending": None,
            "step_started_at": now, "step_due_at": None, "step_visit": event.seq, "warnings_issued": (),
            "joint_round": self.joint_round + 1, "joint_parts": self.joint_parts + parts,
            "updated_at": now, "version": self.version + 1, "seq": event.seq,
        }
        update.update(_recorded_texts(pending))
        if pending and pending.decision is Decision.ACCEPT and self.accepted_at is None:
            update["accepted_at"] = pending.decided_at  # 受理: the 45 days start (第四十二条)
        if pending and pending.decision is Decision.RESUBMIT:
            update["missing_materials"] = ()
        return self.model_copy(update=update), event

    def reported_up(self, *, now: datetime, details: dict[str, Any]) -> tuple[Case, TimelineEvent]:
        """上报件: the leader's 上报 is recorded; the case waits at 已上报 with no step and no token
        of its own while the upper department works on its part case (行政许可法 第三十五条)."""
        event = self._transition_event(CaseStatus.REPORTED, now=now, default_action="report")
        event = event.model_copy(update={"details": {**event.details, **details}})
        update: dict[str, Any] = {
            "status": CaseStatus.REPORTED, "step": None, "task_token": None, "pending": None,
            "step_started_at": now, "step_due_at": None, "step_visit": event.seq, "warnings_issued": (),
            "step_reminder_at": None, "step_red_at": None,
            "updated_at": now, "version": self.version + 1, "seq": event.seq,
        }
        update.update(_recorded_texts(self.pending))
        return self.model_copy(update=update), event

    def gathered(self, *, now: datetime, details: dict[str, Any], supplement: PendingDecision | None) -> tuple[Case, TimelineEvent]:
        """The co-departments' opinions are in: recorded on the lead. With `supplement`, the
        combined notice (一次性告知) the lead's next step (补正) records."""
        event = TimelineEvent(
            case_id=self.case_id, seq=self.seq + 1, occurred_at=now, actor=Actor.system(), action="gather",
            from_state=self.status, to_state=self.status, details=details,
        )
        update = {"pending": supplement, "updated_at": now, "version": self.version + 1, "seq": event.seq}
        return self.model_copy(update=update), event

    def finalized(self, outcome: Outcome | CaseStatus, *, now: datetime) -> tuple[Case, TimelineEvent | None]:
        """The flow ended. A retried finalize is a no-op."""
        status = CaseStatus(outcome.value)
        if self.status is status:
            return self, None
        event = self._transition_event(
            status, now=now, default_action="suspend" if status is CaseStatus.SUSPENDED else "finalize",
            default_opinion=_withdrawn_opinion(self) if status is CaseStatus.WITHDRAWN else None,
        )
        pending = self.pending
        update: dict[str, Any] = {
            "status": status,
            "step": None,
            "task_token": None,
            "pending": None,
            "step_due_at": None,
            "pauses": tuple(p.model_copy(update={"ended_at": now}) if p.open else p for p in self.pauses),
            "closed_at": now,
            "updated_at": now,
            "version": self.version + 1,
            "seq": event.seq,
        }
        update.update(_recorded_texts(pending))
        if pending and pending.step is Step.INSTANT and pending.decision in (Decision.APPROVE, Decision.DENY) and self.accepted_at is None:
            update["accepted_at"] = pending.decided_at  # 即办件: accepted and decided at once (第三十四条)
        return self.model_copy(update=update), event


def _statement_expired_opinion(case: Case) -> str:
    due = f"（{case.statement_due_at:%Y年%m月%d日}前）" if case.statement_due_at else ""
    return f"当事人在事先告知后5个工作日内{due}未提出陈述、申辩或听证要求（《行政处罚法》第六十四条）。"


def _withdrawn_opinion(case: Case) -> str:
    due = f"（{case.supplement_due_at:%Y年%m月%d日}前）" if case.supplement_due_at else ""
    return (f"申请人未在补正期限{case.warning_rules.supplement_wait_working_days}个工作日内{due}补正材料，"
            "视为撤回申请。")


def _recorded_texts(pending: PendingDecision | None) -> dict[str, str | None]:
    """What a recorded decision leaves on the case: the decision (批准/不予批准/不予受理) and
    result (办结) texts, and the request id that lets a retried request be recognised."""
    if pending is None:
        return {}
    texts: dict[str, str | None] = {"last_decision": pending.decision.value, "last_request_id": pending.request_id}
    if pending.decision in (Decision.APPROVE, Decision.DENY, Decision.REJECT, Decision.PENALIZE, Decision.NO_PENALTY, Decision.DROP):
        texts["decision_text"] = pending.opinion
    if pending.decision is Decision.COMPLETE:
        texts["result_text"] = pending.opinion
    return texts
