"""Supervision orders (督查督办): a city inspector turns a warning, a complaint or a case into an
order to a department; the department's 监察室 establishes responsibility (责任认定), the person
named may dispute it once (异议), the 监察室 decides the dispute and answers (整改答复); the city
inspector concludes. Unanswered orders past their due time are overdue (督办超期) and escalate.

Who may do what in which status is one pure table, `ORDER_TRANSITIONS`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from .base import DomainModel
from .evaluation_events import OrderConclusion


class OrderStatus(StrEnum):
    ISSUED = "issued"  # 已下达
    RESPONSIBILITY_ESTABLISHED = "responsibility_established"  # 已认定责任
    DISPUTED = "disputed"  # 异议待定
    ANSWERED = "answered"  # 已答复
    CONCLUDED = "concluded"  # 已办结

    @property
    def label(self) -> str:
        return ORDER_STATUS_LABELS[self]


ORDER_STATUS_LABELS = {
    OrderStatus.ISSUED: "已下达",
    OrderStatus.RESPONSIBILITY_ESTABLISHED: "已认定责任",
    OrderStatus.DISPUTED: "异议待定",
    OrderStatus.ANSWERED: "已答复",
    OrderStatus.CONCLUDED: "已办结",
}

ONE_SECOND = timedelta(seconds=1)
UNANSWERED = frozenset({OrderStatus.ISSUED, OrderStatus.RESPONSIBILITY_ESTABLISHED, OrderStatus.DISPUTED})


class OrderAction(StrEnum):
    ESTABLISH_RESPONSIBILITY = "establish_responsibility"  # 责任认定
    DISPUTE = "dispute"  # 提出异议
    DECIDE_DISPUTE = "decide_dispute"  # 异议裁定（维持/变更）
    ANSWER = "answer"  # 整改答复
    CONCLUDE = "conclude"  # 办结

    @property
    def label(self) -> str:
        return ORDER_ACTION_LABELS[self]


ORDER_ACTION_LABELS = {
    OrderAction.ESTABLISH_RESPONSIBILITY: "责任认定",
    OrderAction.DISPUTE: "提出异议",
    OrderAction.DECIDE_DISPUTE: "异议裁定",
    OrderAction.ANSWER: "整改答复",
    OrderAction.CONCLUDE: "办结",
}


class Actor(StrEnum):
    """Who acts on an order, relative to it."""

    CITY_INSPECTOR = "city_inspector"  # 市监察局监察人员 (inspector, no department)
    DEPARTMENT_INSPECTOR = "department_inspector"  # the order's department's 监察室
    NAMED_STAFF = "named_staff"  # the staff member the finding names

    @property
    def label(self) -> str:
        return ACTOR_LABELS[self]


ACTOR_LABELS = {
    Actor.CITY_INSPECTOR: "市监察局",
    Actor.DEPARTMENT_INSPECTOR: "部门监察室",
    Actor.NAMED_STAFF: "被认定责任人",
}

# (status, action) → (the status after it, who may do it). Anything else is a wrong status (409).
ORDER_TRANSITIONS: dict[tuple[OrderStatus, OrderAction], tuple[OrderStatus, Actor]] = {
    (OrderStatus.ISSUED, OrderAction.ESTABLISH_RESPONSIBILITY): (OrderStatus.RESPONSIBILITY_ESTABLISHED, Actor.DEPARTMENT_INSPECTOR),
    (OrderStatus.RESPONSIBILITY_ESTABLISHED, OrderAction.DISPUTE): (OrderStatus.DISPUTED, Actor.NAMED_STAFF),
    (OrderStatus.DISPUTED, OrderAction.DECIDE_DISPUTE): (OrderStatus.RESPONSIBILITY_ESTABLISHED, Actor.DEPARTMENT_INSPECTOR),
    # An order may be answered without naming anyone (e.g. the matter proved unfounded), but not
    # while a dispute about the finding is open.
    (OrderStatus.ISSUED, OrderAction.ANSWER): (OrderStatus.ANSWERED, Actor.DEPARTMENT_INSPECTOR),
    (OrderStatus.RESPONSIBILITY_ESTABLISHED, OrderAction.ANSWER): (OrderStatus.ANSWERED, Actor.DEPARTMENT_INSPECTOR),
    (OrderStatus.ANSWERED, OrderAction.CONCLUDE): (OrderStatus.CONCLUDED, Actor.CITY_INSPECTOR),
}


def actor_for(action: OrderAction) -> Actor:
    """The one kind of actor an action belongs to (the same in every status it applies to)."""
    return next(actor for (_, a), (_, actor) in ORDER_TRANSITIONS.items() if a is action)


class SourceKind(StrEnum):
    WARNING = "warning"  # 预警/红黄牌 (Cases table)
    COMPLAINT = "complaint"  # 投诉 (a reference only)
    CASE = "case"  # 办件
    UPSTREAM = "upstream"  # 上级平台督办 (sent down through the inbound exchange)


SOURCE_LABELS = {SourceKind.WARNING: "预警", SourceKind.COMPLAINT: "投诉", SourceKind.CASE: "办件", SourceKind.UPSTREAM: "上级平台督办"}


class DisputeDecision(StrEnum):
    MAINTAIN = "maintain"  # 维持
    CHANGE = "change"  # 变更


class Responsibility(DomainModel):
    """责任认定: who is responsible and why; one dispute, decided by the 监察室."""

    model_config = ConfigDict(frozen=True)

    staff_user_id: str
    staff_name: str
    finding: str
    established_by: str
    established_at: datetime
    dispute_reason: str | None = None
    disputed_at: datetime | None = None
    dispute_decision: DisputeDecision | None = None
    decided_at: datetime | None = None

    @property
    def dispute_used(self) -> bool:
        return self.disputed_at is not None


class OrderEvent(DomainModel):
    """One line of the order's history."""

    model_config = ConfigDict(frozen=True)

    action: str  # an OrderAction, or "issue" / "overdue" / "escalate"
    actor_id: str
    actor_name: str
    actor_role: str  # label: 市监察局, 部门监察室, 被认定责任人, 系统
    text: str | None = None
    at: datetime
    from_status: OrderStatus | None = None
    to_status: OrderStatus


# upstream: a 督办 from the higher-level platform; bureau: the district (township) 监察局 that issued it
EscalationLevel = Literal["leader", "city", "upstream", "bureau"]


class Escalation(DomainModel):
    model_config = ConfigDict(frozen=True)

    level: EscalationLevel
    at: datetime
    recipient: str  # inbox key: "{dept}#leader", "city#inspector" or "{government}#inspector"


class SupervisionOrder(DomainModel):
    model_config = ConfigDict(frozen=True)

    order_id: str
    department_id: str
    source_kind: SourceKind
    source_id: str
    case_id: str | None = None
    matter: str  # 督办事项
    deadline_days: int
    issued_by_id: str
    issued_by_name: str
    # The 监察局 that issued it (its government: "420700" the city's, a district's code); it and the
    # city's conclude it. None: from the higher-level platform, or issued before levels (the city's).
    issued_by_government_id: str | None = None
    issued_at: datetime
    due_at: datetime  # end of the last working day to answer
    red_at: datetime  # past this, still unanswered: a red flag to the city's inspectors
    status: OrderStatus = OrderStatus.ISSUED
    responsibility: Responsibility | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    conclusion: OrderConclusion | None = None
    conclusion_note: str | None = None
    concluded_at: datetime | None = None
    overdue: bool = False
    # Unanswered past its due time on the server's clock when the response was made (the `overdue`
    # mark above waits for the sweep); never stored as true, see OrderService.as_read.
    past_due: bool = False
    escalations: tuple[Escalation, ...] = ()
    history: tuple[OrderEvent, ...] = ()
    # 上级平台督办: the higher-level platform's own id of the order; its answer and conclusion go back
    # up with it (SupervisionOrderAnswered/Concluded carry it as `upstream_order_id`).
    upstream_order_id: str | None = None
    upstream_platform_id: str | None = None
    version: int = 1

    def as_read_at(self, now: datetime) -> SupervisionOrder:
        """The order as a response shows it at `now` (past_due read on the server's clock)."""
        return self.model_copy(update={"past_due": self.status in UNANSWERED and now > self.due_at})

    @property
    def next_alarm_at(self) -> datetime | None:
        """When the overdue sweep next has something to do with this order (None: nothing)."""
        if self.status not in UNANSWERED:
            return None
        levels = {e.level for e in self.escalations}
        if "leader" not in levels:
            return self.due_at + ONE_SECOND  # due_at is the last second of the due day
        if "city" not in levels:
            return self.red_at + ONE_SECOND
        return None

    @property
    def status_label(self) -> str:
        return self.status.label


class OrderInboxEntry(DomainModel):
    """An escalated order in a recipient's inbox (督办超期)."""

    model_config = ConfigDict(frozen=True)

    recipient: str
    at: datetime
    level: EscalationLevel
    order: SupervisionOrder


class StaffMember(DomainModel):
    """A person of a department a finding may name."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    name: str
    username: str
    roles: tuple[str, ...] = ()
    department_id: str | None = None
    government_id: str | None = None  # custom:government: a 监察局 inspector's level


def order_event_id(order_id: str, fact: str) -> str:
    """Deterministic per fact: a retried publish carries the same id."""
    return f"{order_id}:{fact}"


# --- requests -------------------------------------------------------------------------------


class _Body(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class IssueOrderRequest(_Body):
    source_kind: SourceKind = Field(description="来源：预警、投诉或办件")
    source_id: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9_:#-]+$", description="来源编号")
    department_id: str | None = Field(default=None, max_length=40, pattern=r"^[a-z0-9-]+$", description="督办部门（预警、办件可省略）")
    matter: str = Field(min_length=4, max_length=2000, description="督办事项")
    deadline_days: int = Field(default=5, ge=1, le=30, description="办理时限（工作日）")


class OrderActionRequest(_Body):
    action: OrderAction = Field(description="操作")
    text: str | None = Field(default=None, max_length=2000, description="认定意见、异议理由、裁定意见、答复或办结意见")
    staff_user_id: str | None = Field(default=None, max_length=80, description="被认定责任人（用户编号）")
    decision: DisputeDecision | None = Field(default=None, description="异议裁定：维持或变更")
    conclusion: OrderConclusion | None = Field(default=None, description="办结结论")
