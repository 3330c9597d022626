"""Supervision and evaluation events (督查督办, 社会互动, 电子监察): the facts that department scores
are built from, published on the domain bus by the service where they happen.

The evaluation consumer counts each fact once per `event_id` (a retried publish carries the same
id), into the department's figures for the period the fact falls in (Asia/Shanghai calendar).
Add fields compatibly; bump the major version (and the detail-type) for anything else.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from .base import DomainModel

SCHEMA_VERSION = "1.0"

# detail-types
WARNING_ISSUED = "WarningIssued"
WARNING_REVOKED = "WarningRevoked"
COMPLAINT_FILED = "ComplaintFiled"
COMPLAINT_CONCLUDED = "ComplaintConcluded"
SATISFACTION_RATED = "SatisfactionRated"
SUPERVISION_ORDER_ISSUED = "SupervisionOrderIssued"
SUPERVISION_ORDER_ANSWERED = "SupervisionOrderAnswered"
SUPERVISION_ORDER_CONCLUDED = "SupervisionOrderConcluded"
WARNING_APPEAL_DECIDED = "WarningAppealDecided"

EVALUATION_DETAIL_TYPES = (
    WARNING_ISSUED,
    WARNING_REVOKED,
    COMPLAINT_FILED,
    COMPLAINT_CONCLUDED,
    SATISFACTION_RATED,
    SUPERVISION_ORDER_ISSUED,
    SUPERVISION_ORDER_ANSWERED,
    SUPERVISION_ORDER_CONCLUDED,
    WARNING_APPEAL_DECIDED,
)


class _Fact(DomainModel):
    model_config = ConfigDict(frozen=True)

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=r"^1\.\d+$")
    event_id: str  # stable per fact: the consumer counts each id once
    department_id: str


class WarningIssuedV1(_Fact):
    warning_id: str
    case_id: str
    level: Literal["reminder", "yellow", "red", "anomaly"]
    issued_at: datetime
    item_code: str | None = None  # 1.1: the case's item, for statistics by item and category


class WarningRevokedV1(_Fact):
    """A card revoked on appeal or by an inspector no longer counts against the department."""

    warning_id: str
    case_id: str
    level: Literal["reminder", "yellow", "red", "anomaly"]
    issued_at: datetime  # the fact is removed from the period it was counted in
    revoked_at: datetime
    item_code: str | None = None  # 1.1


class ComplaintFiledV1(_Fact):
    complaint_id: str
    case_id: str | None
    filed_at: datetime


class ComplaintConcludedV1(_Fact):
    complaint_id: str
    case_id: str | None
    founded: bool  # 投诉属实
    filed_at: datetime
    concluded_at: datetime


class SatisfactionRatedV1(_Fact):
    case_id: str
    item_code: str
    rating: int = Field(ge=1, le=5)
    rated_at: datetime


class OrderConclusion(StrEnum):
    WELL_FOUNDED = "well_founded"  # 问题属实
    CORRECTED = "corrected"  # 已整改
    NOT_FOUNDED = "not_founded"  # 问题不属实


class SupervisionOrderIssuedV1(_Fact):
    order_id: str
    source_kind: Literal["warning", "complaint", "case", "upstream"]
    source_id: str
    issued_at: datetime
    due_at: datetime
    upstream_order_id: str | None = None  # 上级平台督办: the higher-level platform's order id


class SupervisionOrderAnsweredV1(_Fact):
    order_id: str
    issued_at: datetime
    due_at: datetime
    answered_at: datetime
    working_days_to_answer: int = Field(ge=0)
    on_time: bool
    answer: str | None = None  # the answer text (sent up for an order from above)
    upstream_order_id: str | None = None  # 上级平台督办: the higher-level platform's order id


class SupervisionOrderConcludedV1(_Fact):
    order_id: str
    conclusion: OrderConclusion
    issued_at: datetime
    concluded_at: datetime
    upstream_order_id: str | None = None  # 上级平台督办: the higher-level platform's order id


class AppealOutcome(StrEnum):
    GRANTED = "granted"  # 申诉成立: the card is revoked
    REJECTED = "rejected"  # 申诉不成立: the card stands (维持)


class WarningAppealDecidedV1(_Fact):
    """A 监察局 decided a department's appeal (申诉) against its card: counted into the card's
    department in the month of the decision, as an order's answer is, so a district's figures show
    how the appeals of its level and below were handled (decided, within the limit, how fast)."""

    warning_id: str
    case_id: str
    level: Literal["reminder", "yellow", "red", "anomaly"]
    department_government_id: str | None = None  # the card's department's government (None: not known)
    decided_by_government_id: str | None = None  # the 监察局 whose inspector decided (its government code)
    appealed_at: datetime
    decided_at: datetime
    due_at: datetime  # the end of the last working day of the limit for deciding (rules/card_appeals.py)
    outcome: AppealOutcome
    working_days_to_decide: int = Field(ge=0)
    on_time: bool  # decided by `due_at`
    item_code: str | None = None  # the case's item, for statistics by item and category
