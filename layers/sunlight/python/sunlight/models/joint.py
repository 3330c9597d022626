"""并联审批 (joint approval, 行政许可法 第二十六条): the lead department receives once and forwards
the application to its co-departments, which each give their opinion in parallel on their own
*part case*; the lead then decides for all (统一办理).

A part case is a case of the co-department (department_id = the co-department, parent_case_id =
the lead case), so its worklist, deadline check, cards and scores work for that department's own
part. The applicant sees only the lead case.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from .base import DomainModel
from .flow import Decision, FlowPattern, Step
from .reported import UPPER_MAX_EXTENSION_DAYS, is_upper_part
from .roles import Role

# 行政许可法 第四十二条: unified or joint handling within 45 days, extendable by 15 with the approval of
# the head of the government at that level (the city government's leader in charge); the licensing
# law's days are working days (第八十二条).
JOINT_LEGAL_LIMIT_DAYS = 45
JOINT_MAX_EXTENSION_DAYS = 15
# The opinions a co-department may give on its part (会签意见).
OPINION_DECISIONS = (Decision.AGREE, Decision.DISAGREE, Decision.REQUEST_SUPPLEMENT)


class CoDepartment(DomainModel):
    """A co-department (配合部门) of a joint item, with its own limit for its opinion."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    department_id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,39}$")
    opinion_limit_days: int = Field(ge=1, le=JOINT_LEGAL_LIMIT_DAYS, description="会签意见时限（工作日）")


class JointRules(DomainModel):
    """How a joint item is handled: the co-departments the lead forwards it to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    co_departments: tuple[CoDepartment, ...] = Field(min_length=1, max_length=10, description="配合部门")

    @model_validator(mode="after")
    def _each_department_once(self) -> JointRules:
        ids = [c.department_id for c in self.co_departments]
        if len(set(ids)) != len(ids):
            raise ValueError("配合部门不能重复")
        return self

    def check_against(self, lead_department_id: str, opinion_step_days: int) -> None:
        """A co-department is never the lead, and gives its opinion within the round's limit."""
        if any(c.department_id == lead_department_id for c in self.co_departments):
            raise ValueError("配合部门不能是牵头部门")
        late = [c.department_id for c in self.co_departments if c.opinion_limit_days > opinion_step_days]
        if late:
            raise ValueError(f"配合部门的会签意见时限不能超过“会签意见”环节时限（{opinion_step_days}个工作日）")


class JointPart(DomainModel):
    """One co-department's part of one round of opinions: the Map item of the joint state machine
    (part case id, lead case, department, its limit, the round)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    case_id: str = Field(alias="caseId")
    parent_case_id: str = Field(alias="parentCaseId")
    department_id: str = Field(alias="departmentId")
    department_name: str = Field(alias="departmentName")
    opinion_limit_days: int = Field(ge=1, alias="opinionLimitDays")
    round: int = Field(ge=1)

    def as_item(self) -> dict[str, Any]:
        """The Map item: the part case id at the top (the iterator's tasks read `$.caseId`)."""
        return {"caseId": self.case_id, "part": self.model_dump(mode="json", by_alias=True)}


def part_case_id(lead_case_id: str, department_id: str, round_: int) -> str:
    """A part case's id: derived, so the flow-step function creates each part once however often
    the state machine retries it. No "-" in it: a warning's id is "{case id}-{visit}-{level}", and
    the warnings table finds the case before the first "-" (adapters/dynamodb_warnings.py)."""
    return f"{lead_case_id}_{department_id.replace('-', '_')}_{round_}"


class PartOpinion(DomainModel):
    """A co-department's opinion as the lead (and, without the text, the applicant) sees it."""

    model_config = ConfigDict(frozen=True)

    case_id: str = Field(description="分件编号（配合部门办件）")
    round: int = Field(description="征求意见轮次")
    department_id: str
    department_name: str
    status: str = Field(description="分件状态（征求意见中、已办结、流程挂起）")
    status_label: str = ""
    decision: Decision | None = Field(description="会签意见：同意、不同意、需补正；未出具意见时为空")
    decision_label: str | None = None
    opinion: str | None = None
    missing_materials: tuple[str, ...] = ()
    decided_at: datetime | None = None
    due_on: date = Field(description="会签意见期限（配合部门自收到转告起的工作日时限）")
    overdue: bool = Field(default=False, description="超过会签意见时限（已出具：出具时已超期）")


class JointProgress(DomainModel):
    """What the applicant sees of a joint case: which departments have given their opinion."""

    model_config = ConfigDict(frozen=True)

    department_name: str
    given: bool = Field(description="已出具会签意见")
    given_at: datetime | None = None


def is_joint_lead(flow: FlowPattern, parent_case_id: str | None) -> bool:
    return flow is FlowPattern.JOINT and parent_case_id is None


def lead_waits_on_parts(flow: FlowPattern, parent_case_id: str | None, step: Step | None) -> bool:
    """The lead case at 征求意见: it holds no token; its co-departments' parts carry the clock."""
    return is_joint_lead(flow, parent_case_id) and step is Step.OPINION


def extension_bound(flow: FlowPattern, parent_case_id: str | None, item_bound: int) -> int:
    """How many working days a case may be extended by: a joint case at most 15, a 上报件's upper
    part (the deciding organ's own 20 days) at most 10 (第四十二条)."""
    if is_upper_part(flow, parent_case_id):
        return min(item_bound, UPPER_MAX_EXTENSION_DAYS)
    return min(item_bound, JOINT_MAX_EXTENSION_DAYS) if is_joint_lead(flow, parent_case_id) else item_bound


def extension_approver(flow: FlowPattern, parent_case_id: str | None) -> Role:
    """Who approves a case's extension: for unified or joint handling the head of the government at
    that level (第四十二条: the city government's leader in charge), else the department's leader."""
    return Role.GOVERNMENT_LEADER if is_joint_lead(flow, parent_case_id) else Role.LEADER
