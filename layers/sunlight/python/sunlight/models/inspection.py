"""行政检查 (inspection): 双随机、一公开 plans and the published results (公示).

A plan (抽查计划) of one of the department's inspection items lists the subjects it may inspect
(检查对象名录) and the officers who may inspect (执法检查人员名录); the server draws the subjects and,
for each, two officers at random (随机抽取检查对象、随机选派执法检查人员), records the draw so that anyone
can recompute it (rules/inspection_draw.py), and opens one inspection case per drawn subject.
Every result is made public (一公开).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import DomainModel
from .case import Actor, IdType, resident_id_is_valid

# At least two officers inspect together (行政处罚法 第四十二条: 执法人员不得少于两人); the plan draws two.
OFFICERS_PER_SUBJECT = 2
MAX_SUBJECTS = 500
# One request writes and starts every drawn case (3 calls each): 50 stay well inside API Gateway's
# 29 seconds; a larger campaign is drawn as several plans.
MAX_DRAW = 50
MAX_OFFICERS = 100

_CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"


# Labels of the plan's and the 实施检查 decision's fields by path, for the 422 messages (models/validation.py):
# a subject's "name" is not an applicant's.
INSPECTION_PATH_LABELS = {
    "subjects": "检查对象名录", "subjects.name": "检查对象名称", "subjects.id_type": "检查对象证件类型",
    "subjects.id_number": "检查对象证件号码", "subjects.address": "检查对象地址", "subjects.phone": "检查对象联系电话",
    "draw_count": "抽取检查对象数量", "officers": "执法人员", "officers.name": "执法人员姓名", "officers.certificate_number": "执法证号",
}


class InspectionSubject(DomainModel):
    """检查对象: one entry of the list the plan draws from. A market entity is named by its 统一社会信用代码;
    an individual (e.g. an unregistered stall holder) by a resident id."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=50, description="检查对象名称")
    id_type: IdType = Field(default=IdType.CREDIT_CODE, description="证件类型（统一社会信用代码或居民身份证）")
    id_number: str = Field(min_length=15, max_length=18, description="统一社会信用代码或居民身份证号码")
    address: str = Field(min_length=2, max_length=120, description="地址（经营场所）")
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", description="联系电话")

    @field_validator("id_number", mode="after")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _id_matches_type(self) -> InspectionSubject:
        import re

        if self.id_type is IdType.CREDIT_CODE and not re.match(_CREDIT_CODE, self.id_number):
            raise ValueError("请填写18位统一社会信用代码")
        if self.id_type is IdType.RESIDENT_ID and not resident_id_is_valid(self.id_number):
            raise ValueError("居民身份证号码有误，请核对")
        if self.id_type is IdType.PASSPORT:
            raise ValueError("检查对象须以统一社会信用代码或居民身份证号码标识")
        return self

    @property
    def is_natural_person(self) -> bool:
        return self.id_type is IdType.RESIDENT_ID


class Officer(DomainModel):
    """执法人员: an officer who inspects or investigates, named by the enforcement certificate they show the
    party (行政处罚法 第四十二条); one entry of an inspection plan's officer pool."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=20, description="执法人员姓名")
    certificate_number: str = Field(pattern=r"^[0-9A-Za-z-]{4,30}$", description="执法证件号")


class InspectionPlanRequest(DomainModel):
    """POST /inspection-plans: a plan of one of the department's inspection items."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    item_code: str = Field(min_length=6, max_length=40, description="检查事项编码")
    name: str = Field(min_length=4, max_length=80, description="抽查计划名称")
    subjects: list[InspectionSubject] = Field(min_length=1, max_length=MAX_SUBJECTS, description="检查对象名录")
    draw_count: int = Field(ge=1, le=MAX_DRAW, description="抽取检查对象数量")
    officers: list[Officer] = Field(min_length=OFFICERS_PER_SUBJECT, max_length=MAX_OFFICERS, description="执法检查人员名录")

    @model_validator(mode="after")
    def _drawable(self) -> InspectionPlanRequest:
        if self.draw_count > len(self.subjects):
            raise ValueError(f"抽取数量（{self.draw_count}）不能超过检查对象名录的数量（{len(self.subjects)}）")
        ids = [s.id_number for s in self.subjects]
        if len(set(ids)) != len(ids):
            raise ValueError("检查对象名录中有重复的证件号码")
        certificates = [o.certificate_number for o in self.officers]
        if len(set(certificates)) != len(certificates):
            raise ValueError("执法检查人员名录中有重复的执法证号")
        return self


class DrawPick(DomainModel):
    """One drawn subject (its position in the list) and the positions of its two officers."""

    model_config = ConfigDict(frozen=True)

    subject_index: int = Field(ge=0)
    officer_indexes: tuple[int, ...]


class InspectionDraw(DomainModel):
    """The record of a draw: what it drew from, the seed, what came out, who asked and when.
    rules/inspection_draw.draw(seed, len(subjects), count, len(officers)) gives `picks` again."""

    model_config = ConfigDict(frozen=True)

    seed: str = Field(description="随机种子（由操作系统随机源生成）")
    algorithm: str = Field(description="抽取算法")
    subjects: tuple[InspectionSubject, ...]
    officers: tuple[Officer, ...]
    count: int
    picks: tuple[DrawPick, ...]
    drawn_by: Actor
    drawn_at: datetime


class PlannedCase(DomainModel):
    """The inspection case opened for one drawn subject."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    query_code: str
    subject: InspectionSubject
    officers: tuple[Officer, ...]


class InspectionPlan(DomainModel):
    model_config = ConfigDict(frozen=True)

    plan_id: str
    name: str
    department_id: str
    department_name: str
    item_code: str
    item_name: str
    draw: InspectionDraw
    cases: tuple[PlannedCase, ...]
    created_at: datetime


class DrawCheck(DomainModel):
    """The draw recomputed from its record: the same picks, or not."""

    reproducible: bool = Field(description="按记录的种子和名录重新计算，抽取结果是否一致")


class InspectionPlanView(InspectionPlan):
    draw_check: DrawCheck


class InspectionPlanSummary(DomainModel):
    plan_id: str
    name: str
    item_name: str
    subject_count: int
    drawn_count: int
    drawn_by_name: str
    created_at: datetime


class InspectionResult(StrEnum):
    """What the public sees of an inspection's result."""

    QUALIFIED = "qualified"  # 合格
    RECTIFIED = "rectified"  # 责令整改，已整改
    REFERRED = "referred"  # 发现违法行为，已移送立案

    @property
    def label(self) -> str:
        return INSPECTION_RESULT_LABELS[self]


INSPECTION_RESULT_LABELS = {
    InspectionResult.QUALIFIED: "未发现问题（合格）",
    InspectionResult.RECTIFIED: "发现问题，已责令整改并整改到位",
    InspectionResult.REFERRED: "发现涉嫌违法行为，已移送立案查处",
}


class PublishedResult(DomainModel):
    """One line of the public 公示 of inspection results.

    What is shown (企业信息公示暂行条例 第六条; 政府信息公开条例 第十五条 personal privacy): for a market
    entity its name, 统一社会信用代码 and address; for a natural person only the surname followed by
    asterisks, no id number and no address. Never the officers, the findings or the penalty case."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    plan_name: str
    item_name: str
    department_name: str
    subject_name: str
    credit_code: str | None = None
    address: str | None = None
    result: InspectionResult
    result_label: str
    inspected_on: date | None = None
    published_on: date
