"""The clock of a case: when it stops (pause ledger), how far it may be extended, and the
warning rules that apply to it. A limit counts working days (工作日) or calendar days (自然日),
per limit (行政处罚法 第八十五条); the waits of the warning rules count working days."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel
from .flow import Step


class LimitUnit(StrEnum):
    """What a limit of N days counts (rules/deadlines.py has the arithmetic).

    - working days (工作日): the city calendar's working days after the start day (行政许可法 第八十二条;
      行政处罚法 第八十五条 for its 二日、三日、五日、七日);
    - calendar days (自然日): every day after the start day (民法典 第二百零一条); a period whose last day
      is a statutory holiday or rest day ends on the next working day (民法典 第二百零三条). The penalty
      law's other periods (15, 60, 90 days) count so (行政处罚法 第八十五条).
    """

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"

    @property
    def label(self) -> str:
        return LIMIT_UNIT_LABELS[self]


LIMIT_UNIT_LABELS = {LimitUnit.WORKING_DAYS: "工作日", LimitUnit.CALENDAR_DAYS: "自然日"}


class LimitStart(StrEnum):
    """The event a case's limits (promised and legal) count from; the day of the event itself is not
    counted (民法典 第二百零一条)."""

    RECEIPT = "receipt"  # 收件: the application (or registration) was received
    ACCEPTANCE = "acceptance"  # 受理 (行政许可法 第四十二条); before it, and if deemed accepted, receipt
    REGISTRATION = "registration"  # 立案: a case the department opens itself (行政处罚法 第六十条)

    @property
    def label(self) -> str:
        return LIMIT_START_LABELS[self]


LIMIT_START_LABELS = {LimitStart.RECEIPT: "收件", LimitStart.ACCEPTANCE: "受理", LimitStart.REGISTRATION: "立案"}


class PauseReason(StrEnum):
    """Why the clock stops (行政许可法 第四十五条: these periods do not count in the limit)."""

    SUPPLEMENT = "supplement"  # 补正材料
    HEARING = "hearing"  # 听证
    INSPECTION = "inspection"  # 检验、检测、检疫、鉴定、勘验
    EXPERT_REVIEW = "expert_review"  # 专家评审
    PUBLIC_NOTICE = "public_notice"  # 公示、公告

    @property
    def label(self) -> str:
        return PAUSE_LABELS[self]


PAUSE_LABELS = {
    PauseReason.SUPPLEMENT: "补正材料",
    PauseReason.HEARING: "听证",
    PauseReason.INSPECTION: "检验检测与现场勘验",
    PauseReason.EXPERT_REVIEW: "专家评审",
    PauseReason.PUBLIC_NOTICE: "公示公告",
}
SPECIAL_PROCEDURES = frozenset(PauseReason) - {PauseReason.SUPPLEMENT}


class Pause(DomainModel):
    model_config = ConfigDict(frozen=True)

    reason: PauseReason
    step: Step
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    note: str | None = None

    @property
    def open(self) -> bool:
        return self.ended_at is None


class ExtensionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"


class Extension(DomainModel):
    """延期: requested by the handler, approved or denied by the department leader."""

    model_config = ConfigDict(frozen=True)

    extension_id: int = Field(ge=1)
    days: int = Field(ge=1)
    reason: str
    requested_by: str
    requested_at: AwareDatetime
    status: ExtensionStatus = ExtensionStatus.REQUESTED
    decided_by: str | None = None
    decided_at: AwareDatetime | None = None
    # 上报件: the upper department's approved extension, relayed to the lower case the applicant
    # sees (its dates move with it); the upper part case's id. None: the case's own extension.
    relayed_from_case_id: str | None = Field(default=None, description="上报件：由上级审批部门批准的延期（上级部门分件编号）")


class WarningRules(DomainModel):
    """Per item; the defaults are the city's."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    reminder_working_days: int = Field(default=1, ge=1, le=10, description="临近时限：剩余工作日数")
    supervision_working_days: int = Field(default=2, ge=1, le=30, description="督办期限：超期后再过几个工作日发红牌")
    acceptance_working_days: int = Field(default=5, ge=1, le=10, description="一次性告知和受理期限")
    max_extension_days: int = Field(default=10, ge=0, le=60, description="延期上限（工作日）")
    # 补正期限: the statute sets none (行政许可法 第三十二条 only makes the notice once and complete);
    # the city's default is 30 working days from the notice, each item may set its own. The upper
    # bound keeps the wait inside the state machine's backstop of 180 calendar days.
    supplement_wait_working_days: int = Field(
        default=30, ge=5, le=90, description="补正期限：告知补正后申请人须在几个工作日内补正，逾期视为撤回申请"
    )
