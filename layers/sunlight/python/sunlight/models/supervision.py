"""Electronic supervision (电子监察) of an item: which anomaly rules apply to its cases, the
office hours decisions are expected in, the discretion range of a penalty (自由裁量) and the risk
points (风险点) whose control documents (控制文书) must be uploaded before the step is passed.

Per item, in the catalog; the defaults are the city's."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from .base import DomainModel
from .flow import STAFF_STEPS, Step

CENT = Decimal("0.01")
MAX_YUAN = Decimal("100000000")


class AnomalyRule(StrEnum):
    """The anomaly rules (see rules/anomalies.py); the value is the rule id on a warning."""

    OUT_OF_ORDER = "out_of_order"  # 不按固定流程办理
    UNAUTHORIZED_ROLE = "unauthorized_role"  # 超越权限
    FEE_MISMATCH = "fee_mismatch"  # 收费异常
    DISCRETION_OUT_OF_RANGE = "discretion_out_of_range"  # 超出自由裁量范围
    RISK_POINT_WITHOUT_CONTROL_DOCUMENT = "risk_point_without_control_document"  # 风险点未上传控制文书
    REPEATED_OR_LATE_SUPPLEMENT_REQUEST = "repeated_or_late_supplement_request"  # 未一次性告知
    OUTSIDE_WORKING_HOURS = "outside_working_hours"  # 非工作时间办理
    INSPECTION_BY_ONE_OFFICER = "inspection_by_one_officer"  # 行政检查执法人员少于两人
    # 行政处罚 (行政处罚法 2021; rules/anomalies.py)
    PENALTY_WITHOUT_NOTICE = "penalty_without_notice"  # 未经事先告知作出处罚 (第四十四条)
    HEARING_NOT_ANSWERED = "hearing_not_answered"  # 听证申请未及时回应 (第六十四条)
    PENALTY_DECIDED_LATE = "penalty_decided_late"  # 超过立案后90日作出处罚决定 (第六十条)
    TOO_FEW_OFFICERS = "too_few_officers"  # 调查取证执法人员不足两名 (第四十二条)
    SIMPLE_FINE_ABOVE_BOUND = "simple_fine_above_bound"  # 简易程序罚款超出限额 (第五十一条)

    @property
    def label(self) -> str:
        return ANOMALY_RULE_LABELS[self]


ANOMALY_RULE_LABELS = {
    AnomalyRule.OUT_OF_ORDER: "不按固定流程办理",
    AnomalyRule.UNAUTHORIZED_ROLE: "超越权限办理",
    AnomalyRule.FEE_MISMATCH: "收费异常",
    AnomalyRule.DISCRETION_OUT_OF_RANGE: "超出自由裁量范围",
    AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT: "风险点未上传控制文书",
    AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST: "未一次性告知补正",
    AnomalyRule.OUTSIDE_WORKING_HOURS: "非工作时间办理",
    AnomalyRule.INSPECTION_BY_ONE_OFFICER: "检查执法人员少于两人",
    AnomalyRule.PENALTY_WITHOUT_NOTICE: "未经事先告知作出处罚",
    AnomalyRule.HEARING_NOT_ANSWERED: "听证申请未及时回应",
    AnomalyRule.PENALTY_DECIDED_LATE: "超期作出处罚决定",
    AnomalyRule.TOO_FEW_OFFICERS: "执法人员不足两名",
    AnomalyRule.SIMPLE_FINE_ABOVE_BOUND: "简易程序罚款超出限额",
}


# A clock time of the day, Beijing time, as "08:30" or "08:30:00". Documented as a pattern, not
# as JSON Schema's `time` format, which is RFC 3339's and needs an offset ("08:30:00+08:00").
ClockTime = Annotated[time, WithJsonSchema({
    "type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$", "examples": ["08:30:00"]})]


class OfficeHours(DomainModel):
    """One period of office hours on a working day, China time: [start, end)."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    start: ClockTime = Field(description="开始时间（北京时间）")
    end: ClockTime = Field(description="结束时间（北京时间）")

    @model_validator(mode="after")
    def _start_before_end(self) -> OfficeHours:
        if self.start >= self.end:
            raise ValueError("办公时间的开始时间应早于结束时间")
        return self

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


DEFAULT_OFFICE_HOURS = (
    OfficeHours(start=time(8, 30), end=time(12, 0)),
    OfficeHours(start=time(13, 30), end=time(17, 30)),
)


class DiscretionRange(DomainModel):
    """自由裁量: the range a penalty of this item may be set in, in yuan (both ends included)."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    # At most 1亿元, as a penalty decided by staff (models/requests.py Yuan); the bound also keeps
    # the amount within Decimal's precision (1e30 used to fail the rounding: a 500).
    min_yuan: Decimal = Field(ge=0, le=MAX_YUAN, decimal_places=2, description="罚款下限（元）")
    max_yuan: Decimal = Field(ge=0, le=MAX_YUAN, decimal_places=2, description="罚款上限（元）")
    basis: str = Field(default="", max_length=300, description="裁量基准依据")

    @field_validator("min_yuan", "max_yuan")
    @classmethod
    def _in_fen(cls, value: Decimal) -> Decimal:
        return value.quantize(CENT)

    @model_validator(mode="after")
    def _ordered(self) -> DiscretionRange:
        if self.min_yuan > self.max_yuan:
            raise ValueError("自由裁量范围的下限超过了上限（minimum exceeds maximum）")
        return self

    def contains(self, amount: Decimal) -> bool:
        return self.min_yuan <= amount <= self.max_yuan


class RiskPoint(DomainModel):
    """风险点: a step that may only be passed once its control document (控制文书) is uploaded by
    staff, as an attachment with `control_material_id` as its material."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    step: Step = Field(description="风险点所在环节")
    control_material_id: str = Field(pattern=r"^[a-z0-9-]{1,40}$", description="控制文书的材料编号")
    name: str = Field(min_length=2, max_length=60, description="风险点名称")
    document_name: str = Field(default="", max_length=80, description="控制文书名称")

    @field_validator("step")
    @classmethod
    def _staff_step(cls, value: Step) -> Step:
        if value not in STAFF_STEPS:
            raise ValueError("风险点只能设在工作人员办理的环节")
        return value

    @property
    def document_label(self) -> str:
        return self.document_name or self.control_material_id


class SupervisionRules(DomainModel):
    """Per item: the anomaly rules that apply to its cases and what they compare against."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    enabled_rules: tuple[AnomalyRule, ...] = Field(default=tuple(AnomalyRule), description="启用的异常规则")
    office_hours: tuple[OfficeHours, ...] = Field(default=DEFAULT_OFFICE_HOURS, min_length=1, description="工作日办公时间")
    discretion: DiscretionRange | None = Field(default=None, description="自由裁量范围（行政处罚事项）")
    risk_points: tuple[RiskPoint, ...] = Field(default=(), max_length=20, description="风险点及其控制文书")

    @field_validator("enabled_rules")
    @classmethod
    def _unique_in_order(cls, value: tuple[AnomalyRule, ...]) -> tuple[AnomalyRule, ...]:
        return tuple(rule for rule in AnomalyRule if rule in value)

    @field_validator("office_hours")
    @classmethod
    def _sorted_without_overlap(cls, value: tuple[OfficeHours, ...]) -> tuple[OfficeHours, ...]:
        ordered = tuple(sorted(value, key=lambda period: period.start))
        if any(earlier.end > later.start for earlier, later in zip(ordered, ordered[1:], strict=False)):
            raise ValueError("办公时间段有重叠")
        return ordered

    @field_validator("risk_points")
    @classmethod
    def _one_document_per_step(cls, value: tuple[RiskPoint, ...]) -> tuple[RiskPoint, ...]:
        keys = [(point.step, point.control_material_id) for point in value]
        if len(keys) != len(set(keys)):
            raise ValueError("同一环节的控制文书重复")
        return value

    def is_enabled(self, rule: AnomalyRule) -> bool:
        return rule in self.enabled_rules

    def in_office_hours(self, moment: time) -> bool:
        return any(period.contains(moment) for period in self.office_hours)

    def risk_points_at(self, step: Step) -> tuple[RiskPoint, ...]:
        return tuple(point for point in self.risk_points if point.step is step)

    @property
    def office_hours_text(self) -> str:
        return "、".join(str(period) for period in self.office_hours)
