"""Performance evaluation (绩效评估): the figures counted per department and month, the weights an
admin configures, and the scores, rankings and immutable period snapshots built from them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field, field_validator

from .base import DomainModel
from .levels import GovernmentLevel


class Figures(DomainModel):
    """Raw counts of one department (or item) in one period; every field is a counter the fact
    consumer ADDs to, so figures of several months add up field by field."""

    model_config = ConfigDict(frozen=True)

    received: int = Field(default=0, description="受理件数")
    completed: int = Field(default=0, description="办结件数（作出决定：办结或不予批准）")
    on_time: int = Field(default=0, description="按承诺时限办结件数")
    early: int = Field(default=0, description="提前办结件数（至少提前1个工作日）")
    overdue: int = Field(default=0, description="超承诺时限办结件数")
    days_used: int = Field(default=0, description="办结件实际用时合计（工作日，不含暂停）")
    days_promised: int = Field(default=0, description="办结件承诺时限合计（工作日）")
    closed_completed: int = Field(default=0, description="办结")
    closed_denied: int = Field(default=0, description="不予批准")
    closed_rejected: int = Field(default=0, description="不予受理")
    closed_withdrawn: int = Field(default=0, description="视为撤回")
    closed_suspended: int = Field(default=0, description="流程挂起")
    yellow_cards: int = Field(default=0, description="黄牌（不含已撤销）")
    red_cards: int = Field(default=0, description="红牌（不含已撤销）")
    anomalies: int = Field(default=0, description="异常预警（不含已撤销）")
    complaints: int = Field(default=0, description="投诉件数")
    complaints_concluded: int = Field(default=0, description="投诉办结件数")
    complaints_founded: int = Field(default=0, description="投诉属实件数")
    ratings: int = Field(default=0, description="满意度评价件数")
    rating_sum: int = Field(default=0, description="满意度评分合计（1–5分）")
    orders_issued: int = Field(default=0, description="督办单件数")
    orders_answered: int = Field(default=0, description="督办单回复件数")
    orders_answered_on_time: int = Field(default=0, description="督办单按期回复件数")
    order_answer_days: int = Field(default=0, description="督办单回复用时合计（工作日）")
    orders_concluded: int = Field(default=0, description="督办单办结件数")
    orders_founded: int = Field(default=0, description="督办单问题属实或已整改件数")
    penalties_decided: int = Field(default=0, description="行政处罚决定件数（普通程序）")
    penalties_decided_in_time: int = Field(default=0, description="立案后90日内作出的行政处罚决定件数（行政处罚法第六十条）")
    appeals_decided: int = Field(default=0, description="红黄牌申诉处理件数")
    appeals_decided_on_time: int = Field(default=0, description="红黄牌申诉按时处理件数（2个工作日内）")
    appeal_decision_days: int = Field(default=0, description="红黄牌申诉处理用时合计（工作日）")
    appeals_granted: int = Field(default=0, description="红黄牌申诉成立（撤销）件数")

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in FIGURE_FIELDS})

    @classmethod
    def total(cls, many: list[Figures]) -> Figures:
        result = cls()
        for figures in many:
            result = result + figures
        return result


FIGURE_FIELDS: tuple[str, ...] = tuple(Figures.model_fields)
FIGURE_LABELS: dict[str, str] = {name: field.description or name for name, field in Figures.model_fields.items()}


class Dimension(StrEnum):
    """How statistics are broken down (GET /statistics?by=…)."""

    DEPARTMENT = "department"
    ITEM = "item"
    CATEGORY = "category"
    STATUS = "status"


class Metric(StrEnum):
    """Figures that count records: each drills down to the records (cases, cards, complaints,
    ratings, orders) behind it. Sums (days_used, rating_sum…) are carried on those records."""

    RECEIVED = "received"
    COMPLETED = "completed"
    ON_TIME = "on_time"
    EARLY = "early"
    OVERDUE = "overdue"
    CLOSED_COMPLETED = "closed_completed"
    CLOSED_DENIED = "closed_denied"
    CLOSED_REJECTED = "closed_rejected"
    CLOSED_WITHDRAWN = "closed_withdrawn"
    CLOSED_SUSPENDED = "closed_suspended"
    YELLOW_CARDS = "yellow_cards"
    RED_CARDS = "red_cards"
    ANOMALIES = "anomalies"
    COMPLAINTS = "complaints"
    COMPLAINTS_CONCLUDED = "complaints_concluded"
    COMPLAINTS_FOUNDED = "complaints_founded"
    RATINGS = "ratings"
    ORDERS_ISSUED = "orders_issued"
    ORDERS_ANSWERED = "orders_answered"
    ORDERS_ANSWERED_ON_TIME = "orders_answered_on_time"
    ORDERS_CONCLUDED = "orders_concluded"
    ORDERS_FOUNDED = "orders_founded"
    PENALTIES_DECIDED = "penalties_decided"
    PENALTIES_DECIDED_IN_TIME = "penalties_decided_in_time"
    APPEALS_DECIDED = "appeals_decided"
    APPEALS_DECIDED_ON_TIME = "appeals_decided_on_time"
    APPEALS_GRANTED = "appeals_granted"


STATUS_METRICS: dict[str, str] = {  # the status dimension: how the period's cases ended
    "received": "受理",
    "closed_completed": "办结",
    "closed_denied": "不予批准",
    "closed_rejected": "不予受理",
    "closed_withdrawn": "视为撤回",
    "closed_suspended": "流程挂起",
}


class Indicator(StrEnum):
    """The scored indicators; each has a weight."""

    ON_TIME = "on_time"
    EARLY = "early"
    TIME_USED = "time_used"
    CARDS = "cards"
    COMPLAINTS = "complaints"
    SATISFACTION = "satisfaction"
    ORDERS = "orders"
    DISCLOSURE = "disclosure"

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self]


INDICATOR_LABELS = {
    Indicator.ON_TIME: "按时办结率",
    Indicator.EARLY: "提前办结率",
    Indicator.TIME_USED: "办理用时",
    Indicator.CARDS: "红黄牌",
    Indicator.COMPLAINTS: "投诉",
    Indicator.SATISFACTION: "满意度",
    Indicator.ORDERS: "督办回复",
    Indicator.DISCLOSURE: "信息公开完整度",
}

DEFAULT_WEIGHTS: dict[Indicator, int] = {
    Indicator.ON_TIME: 25,
    Indicator.EARLY: 10,
    Indicator.TIME_USED: 10,
    Indicator.CARDS: 15,
    Indicator.COMPLAINTS: 10,
    Indicator.SATISFACTION: 15,
    Indicator.ORDERS: 10,
    Indicator.DISCLOSURE: 5,
}


def _check_weights(weights: dict[Indicator, int]) -> dict[Indicator, int]:
    missing = [i.label for i in Indicator if i not in weights]
    if missing:
        raise ValueError("缺少以下指标的权重：" + "、".join(missing))
    if any(value < 0 for value in weights.values()):
        raise ValueError("权重不能为负数")
    total = sum(weights.values())
    if total != 100:
        raise ValueError(f"各项权重之和须为100，当前为{total}")
    return weights


class WeightsRequest(DomainModel):
    """PUT /evaluation/weights: every indicator's weight (integers, non-negative, summing to 100)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    weights: dict[Indicator, int] = Field(description="各指标权重（整数，合计100）")
    base_version: int | None = Field(default=None, ge=0, description="所修改的权重版本（防止覆盖他人的修改）")
    note: str | None = Field(default=None, max_length=500, description="修改说明")

    @field_validator("weights")
    @classmethod
    def _valid(cls, value: dict[Indicator, int]) -> dict[Indicator, int]:
        return _check_weights(value)


class Weights(DomainModel):
    """A version of the weights. Version 0 is the built-in default, never stored."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=0)
    weights: dict[Indicator, int]
    updated_at: datetime | None = None
    updated_by: str | None = None
    note: str | None = None

    @field_validator("weights")
    @classmethod
    def _valid(cls, value: dict[Indicator, int]) -> dict[Indicator, int]:
        return _check_weights(value)

    @classmethod
    def default(cls) -> Weights:
        return cls(version=0, weights=dict(DEFAULT_WEIGHTS), note="系统默认权重")


class PublicWeights(DomainModel):
    """Weights as published (公示): no names."""

    version: int
    weights: dict[Indicator, int]
    updated_at: datetime | None = None


class IndicatorValues(DomainModel):
    """What the figures say, before scoring (None: no data in the period)."""

    model_config = ConfigDict(frozen=True)

    on_time_rate: float | None = Field(description="按时办结率（%）")
    early_rate: float | None = Field(description="提前办结率（%）")
    avg_days_used: float | None = Field(description="平均用时（工作日）")
    avg_days_promised: float | None = Field(description="平均承诺时限（工作日）")
    time_used_ratio: float | None = Field(description="用时占承诺时限（%）")
    yellow_cards: int
    red_cards: int
    complaints_per_100: float | None = Field(description="每百件投诉数")
    complaints_founded: int
    avg_satisfaction: float | None = Field(description="平均满意度（1–5分）")
    orders_on_time_rate: float | None = Field(description="督办按期回复率（%）")
    avg_order_answer_days: float | None = Field(description="督办平均回复用时（工作日）")
    disclosure_rate: float | None = Field(description="信息公开完整度（%）")
    penalty_in_time_rate: float | None = Field(default=None, description="行政处罚法定期限内决定率（%）")


class DepartmentScore(DomainModel):
    model_config = ConfigDict(frozen=True)

    department_id: str
    department_name: str
    figures: Figures
    indicators: IndicatorValues
    sub_scores: dict[Indicator, float | None] = Field(description="各指标得分（0–100；无数据为空，权重按比例分配给其他指标）")
    total: float | None = Field(description="加权总分（0–100）")
    rank: int | None = None


class Comparison(DomainModel):
    """A department's total against the previous period (环比) and a year earlier (同比)."""

    previous_period: str
    previous_total: float | None
    previous_rank: int | None
    change_from_previous: float | None
    year_earlier_period: str
    year_earlier_total: float | None
    year_earlier_rank: int | None
    change_from_year_earlier: float | None


class Snapshot(DomainModel):
    """The scores of one closed period, stored once and never changed (conditional put)."""

    model_config = ConfigDict(frozen=True)

    period: str
    granularity: str
    closed_at: datetime
    weights: Weights
    departments: list[DepartmentScore] = Field(description="按名次排列")

    def department(self, department_id: str) -> DepartmentScore | None:
        return next((d for d in self.departments if d.department_id == department_id), None)


# --- what the API returns -------------------------------------------------------------------


class RankingRow(DomainModel):
    department_id: str
    department_name: str
    government_id: str | None = Field(default=None, description="所属政府（行政区划代码）")
    government_name: str | None = Field(default=None, description="所属政府名称")
    rank: int | None
    total: float | None
    sub_scores: dict[Indicator, float | None]
    indicators: IndicatorValues
    comparison: Comparison


class Rankings(DomainModel):
    period: str
    period_label: str
    provisional: bool = Field(description="true：当期尚未结束或尚未生成考核结果，数据为实时统计，仅供参考")
    closed_at: datetime | None
    weights_version: int
    rows: list[RankingRow]
    level: GovernmentLevel | None = Field(default=None, description="只排本层级的部门（同级比较）")
    government_id: str | None = Field(default=None, description="只排该政府及其下级的部门")
    rollup: list[GovernmentRollup] = Field(
        default_factory=list, description="各级政府汇总（本级及下级部门合计；按行政层级由上到下排列）")


class GovernmentRollup(DomainModel):
    """One government's figures (分级汇总): its own departments' (本级) and, rolled up, those of its
    departments and every level below (合计), so districts compare with each other and the
    city's total includes them."""

    model_config = ConfigDict(frozen=True)

    government_id: str = Field(description="行政区划代码")
    government_name: str
    level: GovernmentLevel
    level_label: str
    parent_id: str | None
    departments: int = Field(description="本级及下级部门数")
    own: Figures = Field(description="本级部门合计")
    total: Figures = Field(description="本级及下级部门合计")
    indicators: IndicatorValues = Field(description="按合计数计算的指标（信息公开完整度不汇总）")


class BureauSupervision(DomainModel):
    """How a district's 监察局 supervises (监督下级监察机构), from the figures of the departments
    at its level and below: the cards and warnings raised there, the supervision orders sent to
    those departments and how they were answered and concluded, the complaints concluded."""

    model_config = ConfigDict(frozen=True)

    government_id: str
    government_name: str
    level: GovernmentLevel
    level_label: str
    departments: int = Field(description="本级及下级部门数")
    received: int = Field(description="受理件数")
    yellow_cards: int
    red_cards: int
    anomalies: int
    cards_per_100: float | None = Field(description="每百件红黄牌数（红牌按一张计）")
    orders_issued: int
    orders_per_warning: float | None = Field(description="督办跟进比（%）：督办单数 ÷ （红黄牌 + 异常预警）数")
    orders_answered: int
    orders_answered_on_time: int
    orders_on_time_rate: float | None = Field(description="督办按期回复率（%）")
    avg_order_answer_days: float | None = Field(description="督办平均回复用时（工作日）")
    orders_concluded: int
    orders_concluded_per_issued: float | None = Field(description="督办办结数与下发数之比（%，本期）")
    orders_founded: int
    complaints: int
    complaints_concluded: int
    complaints_concluded_per_filed: float | None = Field(description="投诉办结数与受理数之比（%，本期）")
    complaints_founded: int
    appeals_decided: int = Field(default=0, description="红黄牌申诉处理数（本期作出决定）")
    appeals_decided_on_time: int = Field(default=0, description="申诉按时处理数（申诉后2个工作日内作出决定）")
    appeals_on_time_rate: float | None = Field(default=None, description="申诉按时处理率（%）")
    avg_appeal_decision_days: float | None = Field(default=None, description="申诉平均处理用时（工作日）")
    appeals_granted: int = Field(default=0, description="申诉成立（撤销红黄牌）数")
    appeals_granted_rate: float | None = Field(default=None, description="申诉成立率（%）：申诉成立数 ÷ 申诉处理数")


class BureauReport(DomainModel):
    """GET /evaluation/bureaus: the districts' 监察局 side by side, for the city's 监察局."""

    period: str
    period_label: str
    provisional: bool
    bureaus: list[BureauSupervision] = Field(description="各县（市、区）监察局，按行政区划代码排列")
    city_total: BureauSupervision = Field(description="全市合计（含市本级和各区）")


class DepartmentEvaluation(DomainModel):
    period: str
    period_label: str
    provisional: bool
    closed_at: datetime | None
    weights_version: int
    score: DepartmentScore
    departments_ranked: int
    comparison: Comparison
    previous: DepartmentScore | None = Field(description="上期（环比）")
    year_earlier: DepartmentScore | None = Field(description="上年同期（同比）")


class HistoryPoint(DomainModel):
    period: str
    period_label: str
    provisional: bool
    total: float | None
    rank: int | None
    sub_scores: dict[Indicator, float | None] | None
    indicators: IndicatorValues | None


class DepartmentHistory(DomainModel):
    department_id: str
    department_name: str
    granularity: str
    points: list[HistoryPoint] = Field(description="由远及近；没有考核结果的期间 total 为空")


class DrilldownRecord(DomainModel):
    metric: str
    subject_id: str = Field(description="办件、预警、投诉或督办单编号")
    occurred_at: datetime
    month: str
    item_code: str | None
    details: dict


class CloseResult(DomainModel):
    period: str
    created: bool = Field(description="false：该期间已生成考核结果，本次未作改动")
    snapshot: Snapshot


class Formula(DomainModel):
    title: str
    text: list[str]
    weights: PublicWeights
    indicators: dict[Indicator, str]


class StatisticsTable(DomainModel):
    period: str
    dimension: str
    provisional: bool
    columns: list[dict[str, str]] = Field(description="[{key, label}]")
    rows: list[dict[str, str | int | float | None]]
