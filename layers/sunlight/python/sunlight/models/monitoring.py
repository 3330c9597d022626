"""Operational metrics (实时监控指标) per department and city-wide, and the inspector's live
overview built from them.

The metrics are CloudWatch metrics in the stack's namespace, emitted as EMF by the
`operational_metrics` function from the domain events (see rules/operational_metrics.py), each
with two dimension sets: `Department={id}` and `Scope=city` (the city-wide figure).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from .base import DomainModel

DEPARTMENT_DIMENSION = "Department"
SCOPE_DIMENSION = "Scope"
CITY_SCOPE = "city"


class OperationalMetric(StrEnum):
    """Metric names; every one is a count (Sum) except the rating, which is averaged."""

    CASES_RECEIVED = "CasesReceived"  # 收件: the case entered 受理
    CASES_COMPLETED = "CasesCompleted"  # 办结
    CASES_OVERDUE = "CasesOverdue"  # 超期办结: closed after the promised day
    REMINDERS = "ReminderWarnings"  # 临近时限提醒
    YELLOW_CARDS = "YellowCards"  # 黄牌
    RED_CARDS = "RedCards"  # 红牌
    ANOMALIES = "AnomalyWarnings"  # 异常预警
    CARDS_REVOKED = "CardsRevoked"  # 撤销的红黄牌、预警
    COMPLAINTS_FILED = "ComplaintsFiled"  # 投诉
    COMPLAINTS_CONCLUDED = "ComplaintsConcluded"
    RATINGS = "SatisfactionRatings"  # 满意度评价 (count)
    RATING_SCORE = "SatisfactionScore"  # the rating 1..5 (Average)
    ORDERS_ISSUED = "SupervisionOrdersIssued"  # 督办
    ORDERS_ANSWERED = "SupervisionOrdersAnswered"
    ORDERS_CONCLUDED = "SupervisionOrdersConcluded"


CARD_METRICS = {
    "reminder": OperationalMetric.REMINDERS,
    "yellow": OperationalMetric.YELLOW_CARDS,
    "red": OperationalMetric.RED_CARDS,
    "anomaly": OperationalMetric.ANOMALIES,
}


class MetricBatch(DomainModel):
    """What one domain event adds to the metrics: values of one department at one moment."""

    model_config = ConfigDict(frozen=True)

    department_id: str
    at: datetime  # when the fact happened (the metric's timestamp)
    values: dict[OperationalMetric, float]


# --- the live overview (监察总览) ---------------------------------------------------------------


class Figures(DomainModel):
    """One day's figures of a department or of the city."""

    model_config = ConfigDict(frozen=True)

    received: int = Field(default=0, description="收件")
    completed: int = Field(default=0, description="办结")
    overdue: int = Field(default=0, description="超期办结")
    reminder: int = Field(default=0, description="临近时限提醒")
    yellow: int = Field(default=0, description="黄牌")
    red: int = Field(default=0, description="红牌")
    anomaly: int = Field(default=0, description="异常预警")
    complaints: int = Field(default=0, description="投诉")


# The overview's figures and the metric each is read from (all daily sums).
FIGURE_METRICS: dict[str, OperationalMetric] = {
    "received": OperationalMetric.CASES_RECEIVED,
    "completed": OperationalMetric.CASES_COMPLETED,
    "overdue": OperationalMetric.CASES_OVERDUE,
    "reminder": OperationalMetric.REMINDERS,
    "yellow": OperationalMetric.YELLOW_CARDS,
    "red": OperationalMetric.RED_CARDS,
    "anomaly": OperationalMetric.ANOMALIES,
    "complaints": OperationalMetric.COMPLAINTS_FILED,
}


class DepartmentFigures(DomainModel):
    model_config = ConfigDict(frozen=True)

    department_id: str
    name: str
    short_name: str
    figures: Figures


class MonitoringOverview(DomainModel):
    """A day's figures (Asia/Shanghai calendar day) of every department the caller supervises."""

    model_config = ConfigDict(frozen=True)

    date: date
    scope: str = Field(description="'city' for every department, else the caller's department id")
    generated_at: datetime
    source: str = Field(description="where the figures come from: 'cloudwatch'")
    totals: Figures = Field(description="the city's figures, or the department's for a department scope")
    departments: list[DepartmentFigures]
