"""上报件 (行政许可法 第三十五条): the rules of the upper department's part case, pure over the models.

The lower case is reported up once its leader signs (上报); the upper department's part case starts
at 承办 with the lower case's application and every material (the upper level may not ask the
applicant for them again) and the lower level's opinions; its decision goes back down to the lower
case, whose window issues it (办结).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models.case import Actor, Case, CaseStatus, PendingDecision, TimelineEvent
from ..models.catalog import Department
from ..models.flow import Decision, Step
from ..models.reported import (
    RELAYED,
    REPORT_ACTION,
    UPPER_LEGAL_LIMIT_DAYS,
    UPPER_STEPS,
    UpperPart,
    UpperProgress,
    is_reported_lower,
    upper_case_id,
    upper_progress,
)


def upper_part_of(lower: Case, upper: Department) -> UpperPart:
    return UpperPart(
        case_id=upper_case_id(lower.case_id), parent_case_id=lower.case_id, department_id=upper.department_id,
        department_name=upper.name, government_id=upper.government_id,
    )


def report_details(part: UpperPart, events: list[TimelineEvent]) -> dict[str, Any]:
    """What the report carries up besides the materials: the upper department, and the lower
    handler's preliminary opinion (初审意见) the leader signed."""
    preliminary = next((e for e in reversed(events) if e.from_state is CaseStatus.PRELIMINARY_REVIEW), None)
    details: dict[str, Any] = {
        "upper_case_id": part.case_id, "upper_department_id": part.department_id,
        "upper_department_name": part.department_name,
    }
    if preliminary is not None:
        details["preliminary_opinion"] = preliminary.opinion
        details["preliminary_by"] = preliminary.actor.name
    return details


def new_upper_case(lower: Case, part: UpperPart, report: TimelineEvent | None, token: str, *, now: datetime) -> tuple[Case, TimelineEvent]:
    """The upper department's own case at 承办: the lower case's application and materials (its staff
    read the attachments of their part), its own step limits counted from the report's receipt.

    Its legal limit is the upper decision's 20 working days (第四十二条), its promised limit the sum of
    its own steps, so its on-time figure is the upper department's own."""
    steps = {step: lower.step_limit_days[step] for step in UPPER_STEPS if step in lower.step_limit_days}
    units = {step: unit for step, unit in lower.step_limit_units.items() if step in steps}
    path = lower.government_path
    government_path = path[: path.index(part.government_id) + 1] if part.government_id in path else (part.government_id,)
    case = lower.model_copy(
        update={
            # No query code: the public tracks the lower case only.
            "case_id": part.case_id, "query_code": "", "parent_case_id": lower.case_id, "joint_round": 0, "joint_parts": (),
            "department_id": part.department_id, "department_name": part.department_name,
            "government_id": part.government_id, "government_path": government_path,
            "status": CaseStatus.HANDLE, "step": Step.HANDLE, "task_token": token, "pending": None,
            "step_started_at": now, "step_due_at": None, "step_visit": 1, "step_reminder_at": None, "step_red_at": None,
            "warnings_issued": (), "step_limit_days": steps, "step_limit_units": units,
            "promised_limit_days": sum(steps.values()), "legal_limit_days": max(UPPER_LEGAL_LIMIT_DAYS, sum(steps.values())),
            "pauses": (), "extensions": (), "acceptance_due_at": None, "supplement_due_at": None, "statement_due_at": None,
            "deemed_accepted": False, "accepted_at": now, "closed_at": None, "missing_materials": (),
            "decision_text": None, "result_text": None, "last_decision": None,
            "last_request_id": None, "updated_at": now, "version": 1, "seq": 1,
        }
    )
    details: dict[str, Any] = {"parent_case_id": lower.case_id, "lower_department": lower.department_name, RELAYED: lower.case_id}
    if report is not None:
        details |= {k: v for k, v in report.details.items() if k in ("preliminary_opinion", "preliminary_by")}
        details["reported_by"] = report.actor.name
    event = TimelineEvent(
        case_id=part.case_id, seq=1, occurred_at=now, actor=report.actor if report else Actor.system(), action=REPORT_ACTION,
        from_state=None, to_state=CaseStatus.HANDLE, opinion=report.opinion if report else None, details=details,
    )
    return case, event


def upper_decision(part: Case, events: list[TimelineEvent]) -> PendingDecision:
    """The upper leader's decision, as the lower case records it when its window goes on (办结) or the
    case ends (不予批准): by the upper leader, with their text."""
    if part.pending is not None and part.pending.step is Step.APPROVE:
        decided = part.pending
        return decided.model_copy(update={"details": {**decided.details, **_from_above(part)}, "request_id": None,
                                          "spent_token": None, "attachment_ids": ()})
    closing = next((e for e in reversed(events) if e.from_state is CaseStatus.APPROVE), None)
    if closing is None:
        raise ValueError(f"the upper part {part.case_id} has no decision")
    return PendingDecision(
        decision=Decision(closing.action), step=Step.APPROVE, actor=closing.actor, decided_at=closing.occurred_at,
        opinion=closing.opinion, details=_from_above(part),
    )


def _from_above(part: Case) -> dict[str, Any]:
    return {"upper_case_id": part.case_id, "upper_department_name": part.department_name, RELAYED: part.case_id}


def upper_closing_status(decision: Decision) -> CaseStatus:
    """The upper part closes 已办结 when it approved, 不予批准 when it denied."""
    return CaseStatus.COMPLETED if decision is Decision.APPROVE else CaseStatus.DENIED


def progress_of_upper(part: Case | None, department_name: str) -> UpperProgress:
    """What the applicant sees of the upper level's work (its part not yet created: waiting to be received)."""
    if part is None:
        return upper_progress(department_name, None, "待上级部门接收", decided=False)
    decided = part.status in (CaseStatus.COMPLETED, CaseStatus.DENIED)
    label = ("批准" if part.status is CaseStatus.COMPLETED else "不予批准") if decided else part.status.label
    return upper_progress(part.department_name, part.step, label, decided=decided)


_BEFORE_REPORT = frozenset({
    CaseStatus.SUBMITTED, CaseStatus.ACCEPT, CaseStatus.SUPPLEMENT, CaseStatus.PRELIMINARY_REVIEW, CaseStatus.REPORT,
    CaseStatus.REJECTED, CaseStatus.WITHDRAWN,
})


def reported_upward(case: Case) -> bool:
    """A lower 上报件 case that has been reported up (the upper level's progress is worth showing)."""
    return is_reported_lower(case.flow, case.parent_case_id) and case.status not in _BEFORE_REPORT
