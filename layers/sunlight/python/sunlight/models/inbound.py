"""Inbound exchange (系统对接·接入): what departments' own systems (自建系统) and district platforms
report about their cases, and the 督办 the higher-level platform sends down.

A report uses the envelope of the outbound exchange (notes: message_id, message_type, sequence per
entity...), with `entity_id` = the reporting system's own case id. Messages of one entity are applied
in `sequence` order, starting at 1 (always `case_received`); see rules/inbound.py.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel
from .flow import Decision, Outcome, Step

INBOUND_SCHEMA_VERSION = "1.0"
EXCHANGE_RESOURCE_SERVER = "exchange"  # the Cognito resource server's identifier (scope prefix)
ORDERS_SCOPE = f"{EXCHANGE_RESOURCE_SERVER}/orders"  # the higher-level platform sends 督办 down
REPORT_SCOPE_PREFIX = f"{EXCHANGE_RESOURCE_SERVER}/report."  # + department id: may report its cases
UPSTREAM_ORIGIN_LABEL = "上级平台督办"


def report_scope(department_id: str) -> str:
    return f"{REPORT_SCOPE_PREFIX}{department_id}"


class ReportType(StrEnum):
    CASE_RECEIVED = "case_received"  # 收件/受理: the case exists from now
    CASE_TRANSITIONED = "case_transitioned"  # a step's decision moved the case to its next step
    CASE_DECIDED = "case_decided"  # 批准/不予批准 (or a penalty decision): the decision text
    CASE_COMPLETED = "case_completed"  # 办结: the case ends with its outcome


class _Strict(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class _ReportBody(_Strict):
    """What every report names: its item and department (the client's scope must cover it)."""

    item_code: str = Field(pattern=r"^[0-9A-Z-]{6,40}$", description="事项编码")
    department_id: str = Field(pattern=r"^[a-z0-9-]{2,40}$", description="办理部门")


class ReceivedBody(_ReportBody):
    applicant_name: str = Field(min_length=2, max_length=50, pattern=r"\*", description="申请人姓名（脱敏，含*）")
    step: Step = Field(description="办件当前所处环节")
    promised_limit_days: int | None = Field(default=None, ge=0, le=365, description="承诺时限（缺省取事项）")
    legal_limit_days: int | None = Field(default=None, ge=0, le=365, description="法定时限（缺省取事项）")


class TransitionedBody(_ReportBody):
    from_step: Step = Field(description="作出决定的环节")
    decision: Decision = Field(description="办理决定")
    to_step: Step = Field(description="转入的环节")
    actor_name: str = Field(min_length=1, max_length=50, description="经办人")
    actor_role: str | None = Field(default=None, max_length=20, description="经办人角色（缺省为该环节的角色）")
    opinion: str | None = Field(default=None, max_length=2000, description="办理意见")


class DecidedBody(_ReportBody):
    from_step: Step = Field(description="作出决定的环节")
    decision: Decision = Field(description="审批决定")
    to_step: Step = Field(description="转入的环节")
    actor_name: str = Field(min_length=1, max_length=50, description="决定人")
    actor_role: str | None = Field(default=None, max_length=20, description="决定人角色（缺省为该环节的角色）")
    decision_text: str = Field(min_length=1, max_length=2000, description="决定内容")


class CompletedBody(_ReportBody):
    from_step: Step = Field(description="办结时所处环节")
    decision: Decision = Field(default=Decision.COMPLETE, description="办结决定")
    outcome: Outcome = Field(description="办理结果")
    actor_name: str = Field(min_length=1, max_length=50, description="经办人")
    actor_role: str | None = Field(default=None, max_length=20, description="经办人角色（缺省为该环节的角色）")
    result_text: str | None = Field(default=None, max_length=2000, description="办理结果说明")


REPORT_BODIES: dict[ReportType, type[_ReportBody]] = {
    ReportType.CASE_RECEIVED: ReceivedBody,
    ReportType.CASE_TRANSITIONED: TransitionedBody,
    ReportType.CASE_DECIDED: DecidedBody,
    ReportType.CASE_COMPLETED: CompletedBody,
}


class ReportEnvelope(_Strict):
    """The envelope as received (its body is checked against the type's model afterwards)."""

    message_id: str = Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$", description="消息编号")
    message_type: ReportType = Field(description="消息类型")
    schema_version: str = Field(default=INBOUND_SCHEMA_VERSION, pattern=r"^1\.\d+$", description="格式版本")
    platform_id: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", description="发送系统编号")
    government_id: str = Field(pattern=r"^\d{6}(\d{3}){0,2}$", description="所属政府（行政区划代码）")
    entity_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="对方办件编号")
    sequence: int = Field(ge=1, le=1_000_000, description="该办件的消息序号（从1起连续）")
    occurred_at: AwareDatetime = Field(description="发生时间")
    body: dict[str, Any] = Field(description="消息内容")


class InboundReport(DomainModel):
    """A report that passed validation: its envelope and its typed body."""

    model_config = ConfigDict(frozen=True)

    envelope: ReportEnvelope
    body: ReceivedBody | TransitionedBody | DecidedBody | CompletedBody
    client_id: str  # the app client that sent it (its system)
    fingerprint: str  # of the raw body: one message id never carries two bodies

    @property
    def stream(self) -> str:
        return stream_key(self.client_id, self.envelope.platform_id, self.envelope.entity_id)


def stream_key(client_id: str, platform_id: str, entity_id: str) -> str:
    """One reporting system's case: bound to the app client that reports it, so no other client
    can write into its stream (or take its message ids) by naming its platform."""
    return f"{client_id}#{platform_id}#{entity_id}"


class InboundStatus(StrEnum):
    APPLIED = "applied"  # applied (with any held messages it unblocked)
    HELD = "held"  # waiting for an earlier sequence (a gap)
    DUPLICATE = "duplicate"  # this message id was received before
    STALE = "stale"  # its sequence was already applied under another id: ignored, never regresses


class InboundAck(DomainModel):
    """The answer to a report: accepted (applied or held) or duplicate."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    status: str = Field(description="accepted 或 duplicate")
    outcome: InboundStatus
    case_id: str | None = None
    applied_sequence: int = 0
    waiting_for_sequence: int | None = None


class QuarantinedMessage(DomainModel):
    """A message refused as malformed, kept for inspection (待核查的上报消息)."""

    model_config = ConfigDict(frozen=True)

    quarantine_id: str
    received_at: datetime
    client_id: str
    route: str  # /inbound/reports or /inbound/orders
    field: str
    message: str
    message_id: str | None = None
    raw: str  # as received (truncated to 64 KiB)


REPORTS_ROUTE_LABEL = "办件上报"  # POST /inbound/reports
ORDERS_ROUTE_LABEL = "上级督办"  # POST /inbound/orders
UPPER_PLATFORM_LABEL = "上级电子监察平台"  # the only system holding the orders scope


class QuarantinedMessageView(QuarantinedMessage):
    """A quarantined message as the city's 监察局 reads it on its page: what was sent, and who sent
    it in words (names from the catalog, never the message's own codes)."""

    route_label: str = Field(description="消息种类：办件上报 或 上级督办")
    sender: str = Field(description="发送方，如 鄂城区 · 鄂城区市场监督管理局；消息无法识别时为空")


class WaitingReport(DomainModel):
    """A report held for an earlier sequence that has not arrived (a gap), for inspectors."""

    model_config = ConfigDict(frozen=True)

    client_id: str
    platform_id: str
    entity_id: str
    sequence: int
    message_id: str
    message_type: str
    received_at: datetime | None = None


# --- orders from above (上级平台督办) ----------------------------------------------------------


class UpstreamOrderRequest(_Strict):
    message_id: str = Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$", description="消息编号")
    upstream_order_id: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9_:#-]+$", description="上级督办编号")
    platform_id: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$", description="上级平台编号")
    case_id: str | None = Field(default=None, max_length=80, pattern=r"^[A-Za-z0-9_-]+$", description="督办的办件编号")
    department_id: str | None = Field(default=None, max_length=40, pattern=r"^[a-z0-9-]+$", description="督办部门（有办件编号时可省略）")
    matter: str = Field(min_length=4, max_length=2000, description="督办事项")
    deadline_days: int = Field(default=5, ge=1, le=30, description="办理时限（工作日）")
    issued_by_name: str = Field(default="上级监察平台", min_length=2, max_length=50, description="下达单位")
