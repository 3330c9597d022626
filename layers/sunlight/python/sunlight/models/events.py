"""Domain events published on the EventBridge bus: a versioned schema that supervision and the
provincial platform (省市县三级联网) subscribe to. Add fields compatibly; bump the major
version (and the detail-type) for anything else."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel
from .case import Case, TimelineEvent

CASE_TRANSITIONED = "CaseTransitioned"
SCHEMA_VERSION = "1.0"


class ActorV1(DomainModel):
    user_id: str
    name: str
    role: str


class CaseTransitionedV1(DomainModel):
    """`detail` of a `CaseTransitioned` event."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = Field(default=SCHEMA_VERSION, pattern=r"^1\.\d+$")
    event_id: str
    case_id: str
    seq: int
    item_code: str
    item_name: str
    department_id: str
    action: str
    actor: ActorV1
    from_state: str | None
    to_state: str
    opinion: str | None
    occurred_at: AwareDatetime
    recorded_at: AwareDatetime
    step_due_at: AwareDatetime | None
    promised_due_on: str
    details: dict
    government_id: str | None = None  # 1.1: the case's government (行政区划代码), for the exchange upward

    @classmethod
    def of(cls, case: Case, event: TimelineEvent, *, recorded_at: datetime) -> CaseTransitionedV1:
        return cls(
            event_id=event.event_id,
            case_id=case.case_id,
            seq=event.seq,
            item_code=case.item_code,
            item_name=case.item_name,
            department_id=case.department_id,
            action=event.action,
            actor=ActorV1(**event.actor.model_dump()),
            from_state=event.from_state.value if event.from_state else None,
            to_state=event.to_state.value,
            opinion=event.opinion,
            occurred_at=event.occurred_at,
            recorded_at=recorded_at,
            step_due_at=case.step_due_at,
            promised_due_on=case.promised_due_on.isoformat(),
            details=event.details,
            government_id=case.government_id,
        )
