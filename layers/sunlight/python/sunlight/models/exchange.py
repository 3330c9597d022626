"""The outbound exchange with the higher-level platform (省级电子监察平台): one envelope and one body
per message type, a versioned, documented format. The JSON Schemas in events/exchange/schemas/v1/
are generated from these models (`make schemas`, infra/tools/exchange_schemas.py) and a unit test
fails when they are stale; events/exchange/samples/ holds one sample of each message.

Compatibility: add optional fields within 1.x; anything else is version 2 (new schema directory).
A message never carries an applicant's personal data: ids, items, departments, states and times.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel

SCHEMA_VERSION = "1.0"

# The signature headers of every delivery (see sunlight/rules/exchange_signing.py).
HEADER_MESSAGE_ID = "X-Sunlight-Message-Id"
HEADER_TIMESTAMP = "X-Sunlight-Timestamp"
HEADER_KEY_ID = "X-Sunlight-Key-Id"
HEADER_SIGNATURE = "X-Sunlight-Signature"
SIGNATURE_PREFIX = "sha256="

# Facts published by other parts of the system that are sent upward once they exist (detail-types).
EVALUATION_SNAPSHOT_TAKEN = "EvaluationSnapshotTaken"  # a closed evaluation period (→ evaluation_snapshot)


class MessageType(StrEnum):
    CASE_RECEIVED = "case_received"
    CASE_TRANSITIONED = "case_transitioned"
    CASE_DECIDED = "case_decided"
    CASE_COMPLETED = "case_completed"
    WARNING_ISSUED = "warning_issued"
    ORDER_ISSUED = "order_issued"
    ORDER_ANSWERED = "order_answered"
    ORDER_CONCLUDED = "order_concluded"
    COMPLAINT_CONCLUDED = "complaint_concluded"
    EVALUATION_SNAPSHOT = "evaluation_snapshot"
    LOG_HEAD = "log_head"

    @property
    def label(self) -> str:
        return MESSAGE_TYPE_LABELS[self]


MESSAGE_TYPE_LABELS = {
    MessageType.CASE_RECEIVED: "收件",
    MessageType.CASE_TRANSITIONED: "办理环节流转",
    MessageType.CASE_DECIDED: "审批决定",
    MessageType.CASE_COMPLETED: "办结",
    MessageType.WARNING_ISSUED: "预警纠错（黄牌、红牌）",
    MessageType.ORDER_ISSUED: "督办下发",
    MessageType.ORDER_ANSWERED: "督办反馈",
    MessageType.ORDER_CONCLUDED: "督办办结",
    MessageType.COMPLAINT_CONCLUDED: "投诉办结",
    MessageType.EVALUATION_SNAPSHOT: "绩效评估结果",
    MessageType.LOG_HEAD: "监察日志锚定",
}


class _Body(DomainModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _CaseBody(_Body):
    case_id: str = Field(description="办件编号")
    item_code: str = Field(description="事项编码")
    item_name: str = Field(description="事项名称")
    department_id: str = Field(description="办理部门")


class CaseReceivedBody(_CaseBody):
    """收件: a case was submitted (the first fact of its timeline)."""

    received_at: AwareDatetime
    promised_due_on: date = Field(description="承诺办结日期")


class CaseTransitionedBody(_CaseBody):
    """办理环节流转: a case moved from one step to the next."""

    action: str
    actor_role: str
    from_state: str | None
    to_state: str
    opinion: str | None = None
    occurred_at: AwareDatetime
    step_due_at: AwareDatetime | None = None
    promised_due_on: date


class CaseDecidedBody(_CaseBody):
    """审批决定 (处罚决定): the deciding step (批准, 处罚决定) ended and the case goes on."""

    action: str
    from_state: str
    to_state: str
    opinion: str | None = None
    decided_at: AwareDatetime


class CaseCompletedBody(_CaseBody):
    """办结: the case is closed with an outcome (办结, 不予受理, 不予批准, 撤回, 撤销立案, 挂起)."""

    outcome: str
    from_state: str | None
    completed_at: AwareDatetime
    promised_due_on: date
    on_time: bool = Field(description="在承诺期限内办结")


class WarningIssuedBody(_Body):
    """预警纠错: a reminder, yellow or red card, or an anomaly flag on a case."""

    warning_id: str
    case_id: str
    department_id: str
    level: Literal["reminder", "yellow", "red", "anomaly"]
    issued_at: datetime
    item_code: str | None = None


class OrderIssuedBody(_Body):
    """督办下发."""

    order_id: str
    department_id: str
    source_kind: Literal["warning", "complaint", "case", "upstream"]
    source_id: str
    issued_at: datetime
    due_at: datetime
    upstream_order_id: str | None = Field(default=None, description="上级平台督办单号（上级下发的督办）")


class OrderAnsweredBody(_Body):
    """督办反馈."""

    order_id: str
    department_id: str
    answered_at: datetime
    due_at: datetime
    working_days_to_answer: int = Field(ge=0)
    on_time: bool
    upstream_order_id: str | None = Field(default=None, description="上级平台督办单号（上级下发的督办）")
    answer: str | None = Field(default=None, description="反馈内容（仅上级下发的督办，回复上级）")


class OrderConcludedBody(_Body):
    """督办办结."""

    order_id: str
    department_id: str
    conclusion: Literal["well_founded", "corrected", "not_founded"]
    concluded_at: datetime
    upstream_order_id: str | None = Field(default=None, description="上级平台督办单号（上级下发的督办）")


class ComplaintConcludedBody(_Body):
    """投诉办结."""

    complaint_id: str
    case_id: str | None
    department_id: str
    founded: bool = Field(description="投诉属实")
    filed_at: datetime
    concluded_at: datetime


class DepartmentScoreBody(_Body):
    department_id: str
    score: float
    rank: int | None = None


class EvaluationSnapshotBody(_Body):
    """绩效评估结果: the immutable scores of a closed period."""

    period: str = Field(description="考核期，如 2026-11、2026-Q4、2026")
    closed_at: datetime
    scores: list[DepartmentScoreBody]


class LogHeadBody(_Body):
    """监察日志锚定: the inspector log's head at a moment; the receiver keeps it as an external anchor."""

    head_sequence: int = Field(ge=0, description="日志头记录的序号（0：日志为空）")
    head_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    anchored_at: datetime
    anchor_key: str | None = Field(default=None, description="对象锁定存储中的锚点对象")


BODY_MODELS: dict[MessageType, type[_Body]] = {
    MessageType.CASE_RECEIVED: CaseReceivedBody,
    MessageType.CASE_TRANSITIONED: CaseTransitionedBody,
    MessageType.CASE_DECIDED: CaseDecidedBody,
    MessageType.CASE_COMPLETED: CaseCompletedBody,
    MessageType.WARNING_ISSUED: WarningIssuedBody,
    MessageType.ORDER_ISSUED: OrderIssuedBody,
    MessageType.ORDER_ANSWERED: OrderAnsweredBody,
    MessageType.ORDER_CONCLUDED: OrderConcludedBody,
    MessageType.COMPLAINT_CONCLUDED: ComplaintConcludedBody,
    MessageType.EVALUATION_SNAPSHOT: EvaluationSnapshotBody,
    MessageType.LOG_HEAD: LogHeadBody,
}


class ExchangeMessage(DomainModel):
    """The envelope of every message. `message_id` is derived from the source fact (rules/exchange.py),
    so a redelivered fact makes the same message; the receiver de-duplicates on it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    message_id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    message_type: MessageType
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=r"^1\.\d+$")
    platform_id: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$", description="发送平台的行政区划代码")
    government_id: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$", description="事实所属的行政区划代码")
    entity_id: str = Field(min_length=1, description="办件、督办或投诉编号：同一编号的消息按序送达")
    sequence: int = Field(ge=0, description="该编号下事实的序号（办件为办理过程的序号）")
    occurred_at: AwareDatetime
    body: dict

    def typed_body(self) -> _Body:
        return BODY_MODELS[self.message_type].model_validate(self.body)


class ExchangeAck(DomainModel):
    """The receiver's answer (HTTP 200): the message id it acknowledges."""

    message_id: str
    status: Literal["accepted", "duplicate"]


class DeliveryState(StrEnum):
    PENDING = "pending"  # in the outbox and queued
    ACKED = "acked"  # the receiver acknowledged it (accepted or duplicate)
    FAILED = "failed"  # the last attempt failed; it is retried or in the dead-letter queue


class ExchangeDayFigures(DomainModel):
    """Per day (China time) and message type: what went out and what came back (对账)."""

    day: date
    message_type: MessageType
    type_label: str
    sent: int = 0  # messages put in the outbox (each counted once)
    acked: int = 0  # acknowledged by the receiver (each counted once)
    failed: int = 0  # given up: the last attempt failed and the message is in the dead-letter queue
    pending: int = 0  # sent, neither acknowledged nor given up (being retried)
    failed_attempts: int = 0  # attempts the receiver did not acknowledge (each retry counts)


class ExchangeStatus(DomainModel):
    """Written by each reconciliation run: whether this deployment sends, and where."""

    enabled: bool
    endpoint_host: str | None = None
    reconciled_at: datetime


class ExchangeReconciliation(DomainModel):
    """数据交换对账: the reconciled days, newest first, and the last run's status (None before the first run)."""

    days: list[ExchangeDayFigures]
    status: ExchangeStatus | None = None


# -- facts published elsewhere that are sent upward (their publishers own them; these are the shapes
# the exchange reads, so the mapping is ready when the publisher lands) -------------------------------


class EvaluationSnapshotTakenV1(DomainModel):
    """`detail` of an `EvaluationSnapshotTaken` event: a closed period's scores."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    event_id: str
    period: str
    closed_at: datetime
    scores: list[DepartmentScoreBody]
