"""Reference data (基础数据) the pages name things by: roles, the steps of the flow, case statuses,
due states, categories, identity document types, the reasons a clock stops, the units a limit counts
and the events the limits start from. Built from the
enums and rules of the domain, so the SPA holds no second copy of a label or an order."""

from __future__ import annotations

from functools import lru_cache

from .base import DomainModel
from .case import SYSTEM_ACTOR_ID, SYSTEM_ACTOR_NAME, CaseStatus, IdType
from .catalog import Category
from .clock import SPECIAL_PROCEDURES, LimitStart, LimitUnit, PauseReason
from .due import DueState
from .flow import FLOW_STEPS, STAFF_STEPS, STEP_ROLE, Decision, FlowPattern, Step, decisions_of
from .levels import GovernmentLevel
from .roles import STAFF_ROLES, Role
from .users import MANAGED_ROLES


class RoleReference(DomainModel):
    value: Role
    label: str
    staff: bool  # a department's window, handler, reviewer or leader (needs a department)
    managed: bool  # the administrator grants it (every role but the citizen's, who registers)


class StepReference(DomainModel):
    value: Step
    label: str
    role: Role  # who acts at the step
    staff: bool  # a department's step (补正 is the applicant's loop back to 受理)
    decisions: list[Decision]  # what the step's actor may decide, in the order the action panel offers them


class DecisionReference(DomainModel):
    """A decision a person takes at a step, as the timeline and the action panel name it."""

    value: Decision
    label: str


class StatusReference(DomainModel):
    value: CaseStatus
    label: str
    closed: bool  # the case is over (办结, 不予受理, 不予批准, 视为撤回, 流程挂起)


class DueStateReference(DomainModel):
    value: DueState
    label: str


class CategoryReference(DomainModel):
    value: Category
    on_application: bool  # 依申请 (applied for online or at the window), else 依职权


class IdTypeReference(DomainModel):
    value: IdType
    label: str


class PauseReasonReference(DomainModel):
    value: PauseReason
    label: str
    special: bool  # a special procedure staff start and end (补正 is started by 受理 instead)


class LimitUnitReference(DomainModel):
    value: LimitUnit
    label: str  # 工作日 / 自然日


class LimitStartReference(DomainModel):
    value: LimitStart
    label: str  # 收件 / 受理 / 立案


class ActorReference(DomainModel):
    """An actor of a timeline entry that is not a person (the system: deadlines, the state machine)."""

    value: str
    label: str


class FlowPatternReference(DomainModel):
    """A flow pattern (办理流程类型) and the steps it has."""

    value: FlowPattern
    label: str
    steps: list[Step]


class GovernmentLevelReference(DomainModel):
    value: GovernmentLevel
    label: str


class ReferenceData(DomainModel):
    """Every list in the order the pages show it: the enum's order (the flow's order for steps)."""

    roles: list[RoleReference]
    steps: list[StepReference]
    decisions: list[DecisionReference]
    statuses: list[StatusReference]
    due_states: list[DueStateReference]
    categories: list[CategoryReference]
    id_types: list[IdTypeReference]
    pause_reasons: list[PauseReasonReference]
    limit_units: list[LimitUnitReference]
    limit_starts: list[LimitStartReference]
    flow_patterns: list[FlowPatternReference]
    system_actor: ActorReference
    government_levels: list[GovernmentLevelReference] = []  # 行政层级, from the city down


@lru_cache(maxsize=1)
def reference_data() -> ReferenceData:
    return ReferenceData(
        roles=[RoleReference(value=r, label=r.label, staff=r in STAFF_ROLES, managed=r in MANAGED_ROLES) for r in Role],
        steps=[
            StepReference(
                value=s, label=s.label, role=STEP_ROLE[s], staff=s in STAFF_STEPS,
                decisions=list(decisions_of(s)),
            )
            for s in Step
        ],
        decisions=[DecisionReference(value=d, label=d.label) for d in Decision],
        statuses=[StatusReference(value=s, label=s.label, closed=s.is_closed) for s in CaseStatus],
        due_states=[DueStateReference(value=d, label=d.label) for d in DueState],
        categories=[CategoryReference(value=c, on_application=c.on_application) for c in Category],
        id_types=[IdTypeReference(value=i, label=i.label) for i in IdType],
        pause_reasons=[PauseReasonReference(value=p, label=p.label, special=p in SPECIAL_PROCEDURES) for p in PauseReason],
        limit_units=[LimitUnitReference(value=u, label=u.label) for u in LimitUnit],
        limit_starts=[LimitStartReference(value=s, label=s.label) for s in LimitStart],
        flow_patterns=[FlowPatternReference(value=f, label=f.label, steps=list(FLOW_STEPS[f])) for f in FlowPattern],
        system_actor=ActorReference(value=SYSTEM_ACTOR_ID, label=SYSTEM_ACTOR_NAME),
        government_levels=[GovernmentLevelReference(value=g, label=g.label) for g in GovernmentLevel],
    )
