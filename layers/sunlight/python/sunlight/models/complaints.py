"""Complaints (投诉): a citizen's complaint about one of their cases or about a department, its
lifecycle with time limits in working days, and what each party may see of it.

filed (已提交) → accepted (已受理) | rejected (不予受理)   by a city inspector
accepted → dispatched (已转办) to the department          by a city inspector
dispatched → answered (已答复)                              by the department's leader or 监察室
answered → concluded (已办结), founded or not (属实/不属实)  by a city inspector
concluded: the complainant rates the answer once (1–5 and words).

The transition table is pure data; services check roles and states against it.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StringConstraints, model_validator

from .base import DomainModel
from .requests import UploadId
from .roles import Principal, Role


class ComplaintStatus(StrEnum):
    FILED = "filed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DISPATCHED = "dispatched"
    ANSWERED = "answered"
    CONCLUDED = "concluded"

    @property
    def label(self) -> str:
        return COMPLAINT_STATUS_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in (ComplaintStatus.REJECTED, ComplaintStatus.CONCLUDED)


COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.FILED: "已提交",
    ComplaintStatus.ACCEPTED: "已受理",
    ComplaintStatus.REJECTED: "不予受理",
    ComplaintStatus.DISPATCHED: "已转办",
    ComplaintStatus.ANSWERED: "已答复",
    ComplaintStatus.CONCLUDED: "已办结",
}


class ComplaintAction(StrEnum):
    FILE = "file"
    ACCEPT = "accept"
    REJECT = "reject"
    DISPATCH = "dispatch"
    ANSWER = "answer"
    CONCLUDE = "conclude"
    RATE = "rate"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    ComplaintAction.FILE: "提交投诉",
    ComplaintAction.ACCEPT: "受理",
    ComplaintAction.REJECT: "不予受理",
    ComplaintAction.DISPATCH: "转办",
    ComplaintAction.ANSWER: "答复",
    ComplaintAction.CONCLUDE: "办结",
    ComplaintAction.RATE: "评价答复",
}


class Party(StrEnum):
    """Who may take a step: the complainant, the city's inspectors (监察局), or the department
    the complaint is about (its leader or its 监察室)."""

    COMPLAINANT = "complainant"
    CITY_INSPECTOR = "city_inspector"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return {"complainant": "投诉人", "city_inspector": "市监察局", "department": "被投诉部门"}[self.value]


# (status, action) → (new status, who may do it). Rating keeps the status (a concluded complaint
# is rated once; the rating itself is the record).
COMPLAINT_TRANSITIONS: dict[tuple[ComplaintStatus, ComplaintAction], tuple[ComplaintStatus, Party]] = {
    (ComplaintStatus.FILED, ComplaintAction.ACCEPT): (ComplaintStatus.ACCEPTED, Party.CITY_INSPECTOR),
    (ComplaintStatus.FILED, ComplaintAction.REJECT): (ComplaintStatus.REJECTED, Party.CITY_INSPECTOR),
    (ComplaintStatus.ACCEPTED, ComplaintAction.DISPATCH): (ComplaintStatus.DISPATCHED, Party.CITY_INSPECTOR),
    (ComplaintStatus.DISPATCHED, ComplaintAction.ANSWER): (ComplaintStatus.ANSWERED, Party.DEPARTMENT),
    (ComplaintStatus.ANSWERED, ComplaintAction.CONCLUDE): (ComplaintStatus.CONCLUDED, Party.CITY_INSPECTOR),
    (ComplaintStatus.CONCLUDED, ComplaintAction.RATE): (ComplaintStatus.CONCLUDED, Party.COMPLAINANT),
}

# Each action belongs to one party, whatever the status: a wrong role is a 403 before any 409.
ACTION_PARTY: dict[ComplaintAction, Party] = {action: party for (_, action), (_, party) in COMPLAINT_TRANSITIONS.items()}

# Statuses in which the department sees the complaint (from dispatch on).
DEPARTMENT_VISIBLE = frozenset({ComplaintStatus.DISPATCHED, ComplaintStatus.ANSWERED, ComplaintStatus.CONCLUDED})


def parties_of(principal: Principal, department_id: str) -> frozenset[Party]:
    """The parties a caller acts as for a complaint about `department_id` (the complainant is
    decided by the complaint's owner, not by role)."""
    parties: set[Party] = set()
    if principal.is_city_bureau:  # a district's 监察局 reads its levels' complaints, acts on none
        parties.add(Party.CITY_INSPECTOR)
    if principal.department_id == department_id and (principal.has_role(Role.LEADER) or principal.has_role(Role.INSPECTOR)):
        parties.add(Party.DEPARTMENT)
    return frozenset(parties)


def next_status(status: ComplaintStatus, action: ComplaintAction) -> tuple[ComplaintStatus, Party] | None:
    return COMPLAINT_TRANSITIONS.get((status, action))


def actions_for(status: ComplaintStatus, parties: frozenset[Party]) -> list[ComplaintAction]:
    """What the caller may do now (the SPA shows exactly these)."""
    return [action for (s, action), (_, party) in COMPLAINT_TRANSITIONS.items() if s is status and party in parties]


class ComplaintLimits(DomainModel):
    """Working days each step may take (configurable; the city calendar counts them)."""

    model_config = ConfigDict(frozen=True)

    accept_days: int = Field(default=2, ge=1, le=30)
    dispatch_days: int = Field(default=1, ge=1, le=30)
    answer_days: int = Field(default=10, ge=1, le=60)
    conclude_days: int = Field(default=5, ge=1, le=30)

    def for_status(self, status: ComplaintStatus) -> int | None:
        return {
            ComplaintStatus.FILED: self.accept_days,
            ComplaintStatus.ACCEPTED: self.dispatch_days,
            ComplaintStatus.DISPATCHED: self.answer_days,
            ComplaintStatus.ANSWERED: self.conclude_days,
        }.get(status)


# --- stored ------------------------------------------------------------------------------------


class ComplaintAttachment(DomainModel):
    model_config = ConfigDict(frozen=True)

    attachment_id: str
    file_name: str
    content_type: str
    size_bytes: int
    storage_key: str


class ComplaintEvent(DomainModel):
    """One step of the complaint's history."""

    model_config = ConfigDict(frozen=True)

    action: ComplaintAction
    party: Party
    actor_id: str
    actor_name: str
    at: datetime
    from_status: ComplaintStatus | None
    to_status: ComplaintStatus
    note: str | None = None
    request_id: str | None = None  # Idempotency-Key of the request: a retry is recognised


class ComplaintRating(DomainModel):
    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=1, le=5)
    comment: str | None = None
    rated_at: datetime


class Complaint(DomainModel):
    model_config = ConfigDict(frozen=True)

    complaint_id: str
    complainant_id: str
    complainant_name: str
    anonymous: bool
    case_id: str | None
    item_name: str | None = None
    department_id: str
    department_name: str
    title: str
    content: str
    attachments: tuple[ComplaintAttachment, ...] = ()
    status: ComplaintStatus
    filed_at: datetime
    updated_at: datetime
    due_on: date | None  # end of the current step's limit (working days); None once closed
    founded: bool | None = None
    reason: str | None = None  # 不予受理的理由
    answer: str | None = None
    conclusion: str | None = None
    rating: ComplaintRating | None = None
    history: tuple[ComplaintEvent, ...] = ()
    version: int = 1

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and today > self.due_on


class Notification(DomainModel):
    """Tells a citizen what happened to their complaint (in-app: GET /my/notifications)."""

    model_config = ConfigDict(frozen=True)

    notification_id: str
    user_id: str
    at: datetime
    title: str
    body: str
    # upload: subject_id is the upload id; account: a role granted (to the chief inspector)
    subject_kind: Literal["complaint", "upload", "account"] = "complaint"
    subject_id: str
    read: bool = False


# --- requests ---------------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]


class _Body(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ComplaintRequest(_Body):
    case_id: str | None = Field(default=None, min_length=6, max_length=40, description="被投诉的办件编号（与部门二选一）")
    department_id: str | None = Field(default=None, min_length=1, max_length=40, description="被投诉的部门（与办件二选一）")
    title: str = Field(min_length=2, max_length=100, description="投诉标题")
    content: str = Field(min_length=10, max_length=5000, description="投诉内容（至少10个字）")
    anonymous: StrictBool = Field(default=False, description="对被投诉部门匿名")
    upload_ids: list[UploadId] = Field(default_factory=list, max_length=10, description="附件（先通过 POST /uploads 上传）")

    @model_validator(mode="after")
    def _one_subject(self) -> ComplaintRequest:
        if bool(self.case_id) == bool(self.department_id):
            raise ValueError("请选择被投诉的办件或部门（二选一）")
        return self


class AcceptComplaint(_Body):
    action: Literal["accept"]
    note: str | None = Field(default=None, max_length=2000, description="受理意见")


class RejectComplaint(_Body):
    action: Literal["reject"]
    reason: Text = Field(description="不予受理的理由")


class DispatchComplaint(_Body):
    action: Literal["dispatch"]
    note: str | None = Field(default=None, max_length=2000, description="转办意见")


class AnswerComplaint(_Body):
    action: Literal["answer"]
    answer: Text = Field(description="答复内容")


class ConcludeComplaint(_Body):
    action: Literal["conclude"]
    founded: StrictBool = Field(description="投诉是否属实")
    conclusion: Text = Field(description="办结意见")


ComplaintActionRequest = Annotated[
    AcceptComplaint | RejectComplaint | DispatchComplaint | AnswerComplaint | ConcludeComplaint,
    Field(discriminator="action"),
]


class RatingRequest(_Body):
    score: int = Field(ge=1, le=5, description="评分（1至5分）")
    comment: str | None = Field(default=None, max_length=1000, description="评价内容")


# --- views ------------------------------------------------------------------------------------


class ComplaintEventView(DomainModel):
    action: ComplaintAction
    action_label: str
    actor: str  # who, as the reader may see it
    at: datetime
    to_status: ComplaintStatus
    to_status_label: str
    note: str | None = None


class ComplaintAttachmentView(DomainModel):
    attachment_id: str
    file_name: str
    content_type: str
    size_bytes: int


class ComplaintView(DomainModel):
    """A complaint as one reader sees it: the department never sees an anonymous complainant."""

    complaint_id: str
    title: str
    content: str
    status: ComplaintStatus
    status_label: str
    anonymous: bool
    complainant_name: str | None  # None for the department of an anonymous complaint
    case_id: str | None
    item_name: str | None
    department_id: str
    department_name: str
    filed_at: datetime
    updated_at: datetime
    due_on: date | None
    overdue: bool
    founded: bool | None
    reason: str | None
    answer: str | None
    conclusion: str | None
    rating: ComplaintRating | None
    attachments: list[ComplaintAttachmentView]
    history: list[ComplaintEventView]
    actions: list[ComplaintAction]  # what the reader may do now

    @classmethod
    def build(cls, complaint: Complaint, *, today: date, reader: Party, actions: list[ComplaintAction]) -> ComplaintView:
        hide_identity = reader is Party.DEPARTMENT and complaint.anonymous
        history = [
            ComplaintEventView(
                action=e.action,
                action_label=e.action.label,
                actor=_actor_seen_by(e, reader, hide_identity),
                at=e.at,
                to_status=e.to_status,
                to_status_label=e.to_status.label,
                note=e.note,
            )
            for e in complaint.history
        ]
        return cls(
            complaint_id=complaint.complaint_id,
            title=complaint.title,
            content=complaint.content,
            status=complaint.status,
            status_label=complaint.status.label,
            anonymous=complaint.anonymous,
            complainant_name=None if hide_identity else complaint.complainant_name,
            # The case names its applicant: an anonymous complaint's case stays with the inspectors.
            case_id=None if hide_identity else complaint.case_id,
            item_name=complaint.item_name,
            department_id=complaint.department_id,
            department_name=complaint.department_name,
            filed_at=complaint.filed_at,
            updated_at=complaint.updated_at,
            due_on=complaint.due_on,
            overdue=complaint.overdue(today),
            founded=complaint.founded,
            reason=complaint.reason,
            answer=complaint.answer,
            conclusion=complaint.conclusion,
            rating=complaint.rating,
            attachments=[ComplaintAttachmentView(**a.model_dump(exclude={"storage_key"})) for a in complaint.attachments],
            history=history,
            actions=actions,
        )


def _actor_seen_by(event: ComplaintEvent, reader: Party, hide_identity: bool) -> str:
    if event.party is Party.COMPLAINANT:
        return "投诉人（匿名）" if hide_identity else event.actor_name
    if reader is Party.COMPLAINANT:
        return event.party.label  # citizens see the office, not the clerk
    return f"{event.actor_name}（{event.party.label}）"


class ComplaintSummary(DomainModel):
    complaint_id: str
    title: str
    status: ComplaintStatus
    status_label: str
    anonymous: bool
    complainant_name: str | None
    department_id: str
    department_name: str
    case_id: str | None
    filed_at: datetime
    due_on: date | None
    overdue: bool
    rated: bool

    @classmethod
    def of(cls, complaint: Complaint, *, today: date, reader: Party) -> ComplaintSummary:
        hide_identity = reader is Party.DEPARTMENT and complaint.anonymous
        return cls(
            complaint_id=complaint.complaint_id,
            title=complaint.title,
            status=complaint.status,
            status_label=complaint.status.label,
            anonymous=complaint.anonymous,
            complainant_name=None if hide_identity else complaint.complainant_name,
            department_id=complaint.department_id,
            department_name=complaint.department_name,
            case_id=None if hide_identity else complaint.case_id,
            filed_at=complaint.filed_at,
            due_on=complaint.due_on,
            overdue=complaint.overdue(today),
            rated=complaint.rating is not None,
        )
