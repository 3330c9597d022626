"""并联审批 (行政许可法 第二十六条): the rules of part cases, pure over the models.

The lead case is forwarded to its co-departments (one part case each per round); each part case is
a case of its co-department at 会签意见; when every part has its opinion, the lead gathers them: one
combined 补正 notice (一次性告知) if any department asked for material, else the lead handles and
decides for all (统一办理).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models.case import Actor, Case, CaseStatus, PendingDecision, TimelineEvent
from ..models.catalog import CatalogItem
from ..models.flow import Decision, Step
from ..models.joint import JointPart, JointProgress, PartOpinion, part_case_id
from ..rules.workdays import local_date

GATHER_ACTION = "gather"
FORWARD_ACTION = "forward"


def parts_of_round(lead: Case, item: CatalogItem, department_names: dict[str, str], round_: int) -> tuple[JointPart, ...]:
    """The parts of one round of opinions, one per co-department of the item."""
    if item.joint is None:
        raise ValueError(f"{item.item_code} is not a joint item")
    return tuple(
        JointPart(
            case_id=part_case_id(lead.case_id, co.department_id, round_), parent_case_id=lead.case_id,
            department_id=co.department_id, department_name=department_names.get(co.department_id, co.department_id),
            opinion_limit_days=co.opinion_limit_days, round=round_,
        )
        for co in item.joint.co_departments
    )


def new_part_case(lead: Case, part: JointPart, token: str, *, now: datetime) -> tuple[Case, TimelineEvent]:
    """The co-department's own case at 会签意见: the lead's application and materials (a
    co-department reads the attachments of its part), its own limit counted from the forwarding.

    Its promised and legal limits are its opinion limit, so its on-time figure in the evaluation
    is whether the co-department gave its opinion in time."""
    case = lead.model_copy(
        update={
            # No query code: a part is not tracked by the public, only its lead case is.
            "case_id": part.case_id, "query_code": "", "parent_case_id": lead.case_id, "joint_round": part.round,
            "joint_parts": (),
            "department_id": part.department_id, "department_name": part.department_name,
            "status": CaseStatus.OPINION, "step": Step.OPINION, "task_token": token, "pending": None,
            "step_started_at": now, "step_due_at": None, "step_visit": 1, "step_reminder_at": None, "step_red_at": None,
            "warnings_issued": (), "step_limit_days": {Step.OPINION: part.opinion_limit_days},
            "promised_limit_days": part.opinion_limit_days, "legal_limit_days": part.opinion_limit_days,
            "pauses": (), "extensions": (), "acceptance_due_at": None, "supplement_due_at": None,
            "deemed_accepted": False, "accepted_at": now, "closed_at": None, "missing_materials": (),
            "decision_text": None, "result_text": None, "fee_yuan": "0.00", "last_decision": None,
            "last_request_id": None, "updated_at": now, "version": 1, "seq": 1,
        }
    )
    event = TimelineEvent(
        case_id=part.case_id, seq=1, occurred_at=now, actor=Actor.system(), action=FORWARD_ACTION, from_state=None,
        to_state=CaseStatus.OPINION,
        details={"parent_case_id": lead.case_id, "lead_department": lead.department_name, "round": part.round},
    )
    return case, event


def closed_part(part: Case, *, now: datetime) -> tuple[Case, TimelineEvent | None]:
    """The co-department's opinion was handed over: its part case closes at 已办结, keeping the
    opinion (decision, text, missing items) for the lead."""
    pending = part.pending
    closed, event = part.finalized(CaseStatus.COMPLETED, now=now)
    if event is None or pending is None:
        return closed, event
    return closed.model_copy(update={"decision_text": pending.opinion, "missing_materials": pending.missing_materials}), event


def opinion_of(part: Case, *, now: datetime) -> PartOpinion:
    """A part case as the lead's staff see it: the opinion, and whether it came (or is) late
    against the co-department's own limit (its promised date, counted from the forwarding)."""
    given = part.status is CaseStatus.COMPLETED and part.last_decision is not None
    decision = Decision(part.last_decision) if given and part.last_decision else None
    overdue = local_date(part.closed_at or now) > part.promised_due_on
    return PartOpinion(
        case_id=part.case_id, round=part.joint_round, department_id=part.department_id,
        department_name=part.department_name, status=part.status.value, status_label=part.status.label, decision=decision,
        decision_label=decision.label if decision else None, opinion=part.decision_text if decision else None,
        missing_materials=part.missing_materials if decision is Decision.REQUEST_SUPPLEMENT else (),
        decided_at=part.closed_at if decision else None, due_on=part.promised_due_on, overdue=overdue,
    )


def progress_of(opinions: list[PartOpinion]) -> list[JointProgress]:
    """The applicant's view of the newest round: which departments have given their opinion (not
    what they said: the lead decides for all)."""
    if not opinions:
        return []
    newest = max(o.round for o in opinions)
    return [
        JointProgress(department_name=o.department_name, given=o.decision is not None, given_at=o.decided_at)
        for o in opinions if o.round == newest
    ]


def combined_supplement(parts: list[Case], *, now: datetime) -> PendingDecision | None:
    """一次性告知 (行政许可法 第三十二条): every department's missing items in ONE notice, or None
    when no department asked for material."""
    asking = [p for p in parts if p.last_decision == Decision.REQUEST_SUPPLEMENT.value]
    if not asking:
        return None
    missing = tuple(f"{p.department_name}：{item}" for p in asking for item in p.missing_materials)
    departments = "、".join(p.department_name for p in asking)
    return PendingDecision(
        decision=Decision.REQUEST_SUPPLEMENT, step=Step.OPINION, actor=Actor.system(), decided_at=now,
        opinion=f"并联审批一次性告知：{departments}提出需补正材料，请一次补齐后重新提交。",
        missing_materials=missing, details={"departments": [p.department_id for p in asking]},
    )


def gather_details(round_: int, parts: list[Case]) -> dict[str, Any]:
    return {
        "round": round_,
        "opinions": [
            {"department_id": p.department_id, "department_name": p.department_name, "decision": p.last_decision,
             "opinion": p.decision_text, "missing_materials": list(p.missing_materials)}
            for p in parts
        ],
    }


def gathered_in_round(events: list[TimelineEvent], round_: int) -> bool:
    return any(e.action == GATHER_ACTION and e.details.get("round") == round_ for e in events)
