"""上报件 (行政许可法 第三十五条, 第四十三条): an item received and first reviewed by a lower
department and decided by the department one level up.

The lower department accepts (受理, and asks for any missing material: only it may), gives its
preliminary opinion (初审) and its leader reports the case up (上报) with all materials. The upper
department works on its own *part case* (`{case_id}_up`: department_id = the upper department,
parent_case_id = the lower case): 承办 → 审核 → 批准, with its own limits, cards and scores. The
decision comes back down, and the lower window issues the result (办结). The applicant sees one case:
the lower one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field

from .base import DomainModel
from .flow import FlowPattern, Step

# 第四十三条: the lower organ's preliminary review within 20 days of acceptance (working days, 第八十二条):
# its 初审 and 上报 together.
PRELIMINARY_LIMIT_DAYS = 20
LOWER_REVIEW_STEPS = (Step.PRELIMINARY_REVIEW, Step.REPORT)
# The upper department's steps, on its part case. 第四十二条: it decides within 20 days (of receiving
# the report: its own part's legal limit).
UPPER_STEPS = (Step.HANDLE, Step.REVIEW, Step.APPROVE)
UPPER_LEGAL_LIMIT_DAYS = 20
# 第四十二条: the deciding organ may extend its 20 days by 10 with its head's approval: the upper
# department's leader extends its own part (第四十三条 gives the lower review no extension). The
# applicant is told the decision's new date: the lower case, the one the applicant sees, moves too.
UPPER_MAX_EXTENSION_DAYS = 10
REPORT_ACTION = "report"  # the first event of the upper part case: received from below
# Marks (in an event's details) a decision relayed from the other level's case: the report on the
# upper part's first event, the upper decision on the lower case. Each was taken, and is supervised
# (anomaly rules, working hours), on the case where it was made, not again where it is relayed.
RELAYED = "relayed_from_case_id"


def upper_case_id(case_id: str) -> str:
    """The upper department's part case: derived, so the flow-step function creates it once however
    often the state machine retries. No "-" in it (a warning's id is "{case id}-{visit}-{level}")."""
    return f"{case_id}_up"


def is_reported_lower(flow: FlowPattern, parent_case_id: str | None) -> bool:
    return flow is FlowPattern.REPORTED and parent_case_id is None


def is_upper_part(flow: FlowPattern, parent_case_id: str | None) -> bool:
    return flow is FlowPattern.REPORTED and parent_case_id is not None


class UpperPart(DomainModel):
    """The upper department's part of a 上报件: the state machine's `$.up` (its case id at the top,
    the upper tasks read it)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    case_id: str = Field(alias="caseId")
    parent_case_id: str = Field(alias="parentCaseId")
    department_id: str = Field(alias="departmentId")
    department_name: str = Field(alias="departmentName")
    government_id: str = Field(alias="governmentId")

    def as_item(self) -> dict[str, Any]:
        return {"caseId": self.case_id, "part": self.model_dump(mode="json", by_alias=True)}


class UpperProgress(DomainModel):
    """What the applicant (and the lower department) sees of the upper level's work on the case."""

    model_config = ConfigDict(frozen=True)

    department_name: str = Field(description="上级审批部门")
    step: Step | None = Field(default=None, description="上级审批部门当前环节；已作出决定时为空")
    step_label: str | None = Field(default=None, description="上级审批部门当前环节（承办、审核、批准）；已作出决定时为空")
    status_label: str = Field(description="上级审批部门办理状态")
    text: str = Field(description="进度说明，如“已上报市市场监督管理局审批，当前环节：审核”")
    decided: bool = Field(default=False, description="上级审批部门已作出决定")


def upper_progress(department_name: str, step: Step | None, status_label: str, decided: bool) -> UpperProgress:
    if decided:
        text = f"{department_name}已作出审批决定（{status_label}），结果由受理窗口送达"
    elif step is not None:
        text = f"已上报{department_name}审批，当前环节：{step.label}"
    else:
        text = f"已上报{department_name}审批（{status_label}）"
    return UpperProgress(department_name=department_name, step=step if not decided else None,
                         step_label=step.label if step and not decided else None,
                         status_label=status_label, text=text, decided=decided)


class ReportedFrom(DomainModel):
    """On the upper department's part case: what the lower department reported (第三十五条: the
    upper level reads the lower level's opinion and materials instead of asking the applicant)."""

    model_config = ConfigDict(frozen=True)

    case_id: str = Field(description="下级受理部门的办件编号")
    department_name: str = Field(description="下级受理初审部门")
    preliminary_opinion: str | None = Field(default=None, description="初审意见")
    preliminary_by: str | None = Field(default=None, description="初审人")
    report_opinion: str | None = Field(default=None, description="上报意见（领导签署）")
    reported_by: str | None = Field(default=None, description="上报人")
    reported_at: datetime = Field(description="上报时间")


def reported_from(parent_case_id: str, first: Any) -> ReportedFrom | None:
    """From the part case's first timeline event (written when it was created from the report)."""
    if first is None or first.action != REPORT_ACTION:
        return None
    details = first.details
    return ReportedFrom(
        case_id=parent_case_id, department_name=details.get("lower_department", ""),
        preliminary_opinion=details.get("preliminary_opinion"), preliminary_by=details.get("preliminary_by"),
        report_opinion=first.opinion, reported_by=details.get("reported_by"), reported_at=first.occurred_at,
    )
