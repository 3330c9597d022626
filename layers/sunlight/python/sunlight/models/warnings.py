"""Warnings (预警) and cards (黄牌/红牌): issued once per case, step visit and level; cards and
anomaly warnings have a lifecycle with history, and keep a snapshot of their evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel


class WarningLevel(StrEnum):
    REMINDER = "reminder"  # 临近时限提醒
    YELLOW = "yellow"  # 黄牌
    RED = "red"  # 红牌
    ANOMALY = "anomaly"  # 异常预警

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    WarningLevel.REMINDER: "临近时限提醒",
    WarningLevel.YELLOW: "黄牌警告",
    WarningLevel.RED: "红牌警告",
    WarningLevel.ANOMALY: "异常预警",
}


class CardStatus(StrEnum):
    ISSUED = "issued"  # 已发出
    ACKNOWLEDGED = "acknowledged"  # 已签收
    APPEALED = "appealed"  # 申诉中
    UPHELD = "upheld"  # 维持
    REVOKED = "revoked"  # 撤销

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CardStatus.ISSUED: "已发出",
    CardStatus.ACKNOWLEDGED: "已签收",
    CardStatus.APPEALED: "申诉中",
    CardStatus.UPHELD: "维持",
    CardStatus.REVOKED: "已撤销",
}

# Who may move a card from one status to another (the lifecycle).
CARD_TRANSITIONS: dict[tuple[CardStatus, str], CardStatus] = {
    (CardStatus.ISSUED, "acknowledge"): CardStatus.ACKNOWLEDGED,
    (CardStatus.ISSUED, "appeal"): CardStatus.APPEALED,
    (CardStatus.ACKNOWLEDGED, "appeal"): CardStatus.APPEALED,
    (CardStatus.APPEALED, "uphold"): CardStatus.UPHELD,
    (CardStatus.APPEALED, "revoke"): CardStatus.REVOKED,
    (CardStatus.ISSUED, "revoke"): CardStatus.REVOKED,
    (CardStatus.ACKNOWLEDGED, "revoke"): CardStatus.REVOKED,
}


class CardEvent(DomainModel):
    model_config = ConfigDict(frozen=True)

    action: str
    actor_id: str
    actor_name: str
    at: AwareDatetime
    reason: str | None = None
    from_status: CardStatus
    to_status: CardStatus
    actor_government_id: str | None = None  # the 监察局 (its government) of an inspector who decided an appeal


class Occurrence(DomainModel):
    """One transition that hit an anomaly rule: the first one issued the warning, later ones on the
    same case and day were added to it (see `anomaly_warning_id`)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    occurred_at: AwareDatetime
    action: str
    actor_name: str


class Warning(DomainModel):
    model_config = ConfigDict(frozen=True)

    warning_id: str
    case_id: str
    department_id: str
    item_code: str
    item_name: str
    step: str | None
    step_visit: int
    level: WarningLevel
    rule: str | None = None  # the anomaly rule, or the time-limit rule for cards
    title: str
    message: str
    issued_at: AwareDatetime
    due_at: AwareDatetime | None = None
    recipients: tuple[str, ...]  # inbox keys, e.g. "market#handler", "city#inspector"
    status: CardStatus = CardStatus.ISSUED
    history: tuple[CardEvent, ...] = ()
    evidence: dict[str, Any] = Field(default_factory=dict)
    # Anomaly warnings: every transition of the case that hit the rule that day, first one first
    # (empty on warnings stored before occurrences were recorded, and on time-limit warnings).
    occurrences: tuple[Occurrence, ...] = ()
    version: int = 1

    @property
    def occurrence_count(self) -> int:
        return max(len(self.occurrences), 1)

    @property
    def counts_in_score(self) -> bool:
        return self.level in (WarningLevel.YELLOW, WarningLevel.RED) and self.status is not CardStatus.REVOKED


@dataclass(frozen=True)
class WarningFilter:
    """What a list of warnings is narrowed to; None matches any."""

    level: WarningLevel | None = None
    status: CardStatus | None = None

    @property
    def is_empty(self) -> bool:
        return self.level is None and self.status is None

    def matches(self, warning: Warning) -> bool:
        return (self.level is None or warning.level is self.level) and (self.status is None or warning.status is self.status)


def warning_id(case_id: str, step_visit: int, level: WarningLevel, rule: str | None = None) -> str:
    """Deterministic: the same case, step visit and level (and rule) is one warning, however often checked."""
    return f"{case_id}-{step_visit}-{level.value}" + (f"-{rule}" if rule else "")


def anomaly_warning_id(case_id: str, rule: str, day: date) -> str:
    """Deterministic per case, rule and city-local day: the same rule broken on the same case the
    same day is one warning (its later occurrences are added to it), however many transitions
    hit it and however often each is delivered."""
    return f"{case_id}-d{day:%Y%m%d}-anomaly-{rule}"
