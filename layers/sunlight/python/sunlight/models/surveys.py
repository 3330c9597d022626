"""Online surveys (网上调查): a city inspector's questionnaire, citizens' answers (once each) and
the aggregated results (per-option counters kept with each answer)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field, StrictBool, model_validator

from .base import DomainModel


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "草稿", "published": "已发布", "closed": "已结束"}[self.value]


class QuestionKind(StrEnum):
    SINGLE = "single"  # 单选
    MULTIPLE = "multiple"  # 多选
    TEXT = "text"  # 文字


class SurveyOption(DomainModel):
    model_config = ConfigDict(frozen=True)

    option_id: str
    label: str


class SurveyQuestion(DomainModel):
    model_config = ConfigDict(frozen=True)

    question_id: str
    kind: QuestionKind
    title: str
    required: bool = True
    options: tuple[SurveyOption, ...] = ()


class Survey(DomainModel):
    model_config = ConfigDict(frozen=True)

    survey_id: str
    title: str
    description: str = ""
    opens_on: date
    closes_on: date
    questions: tuple[SurveyQuestion, ...]
    status: SurveyStatus = SurveyStatus.DRAFT
    created_by: str
    created_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 1

    def is_open_on(self, day: date) -> bool:
        return self.status is SurveyStatus.PUBLISHED and self.opens_on <= day <= self.closes_on

    def question(self, question_id: str) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def counter_name(question_id: str, option_id: str) -> str:
    """The attribute that counts one option's choices (kept beside the survey)."""
    return f"{question_id}_{option_id}"


# --- requests ---------------------------------------------------------------------------------


class _Body(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class QuestionRequest(_Body):
    kind: QuestionKind = Field(description="题型：single 单选、multiple 多选、text 文字")
    title: str = Field(min_length=2, max_length=200, description="题目")
    required: StrictBool = Field(default=True, description="是否必答")
    options: list[str] = Field(default_factory=list, max_length=20, description="选项（选择题至少2个）")

    @model_validator(mode="after")
    def _options_fit_kind(self) -> QuestionRequest:
        options = [o.strip() for o in self.options]
        if self.kind is QuestionKind.TEXT and options:
            raise ValueError("文字题不设选项")
        if self.kind is not QuestionKind.TEXT:
            if len(options) < 2:
                raise ValueError("选择题至少需要2个选项")
            if any(not o or len(o) > 100 for o in options):
                raise ValueError("选项不能为空，且不能超过100个字")
            if len(set(options)) != len(options):
                raise ValueError("选项不能重复")
        self.options = options
        return self


class SurveyRequest(_Body):
    title: str = Field(min_length=2, max_length=100, description="调查标题")
    description: str = Field(default="", max_length=2000, description="调查说明")
    opens_on: date = Field(description="开始日期")
    closes_on: date = Field(description="截止日期")
    questions: list[QuestionRequest] = Field(min_length=1, max_length=20, description="题目（1至20题）")

    @model_validator(mode="after")
    def _dates_in_order(self) -> SurveyRequest:
        if self.closes_on < self.opens_on:
            raise ValueError("截止日期不能早于开始日期")
        return self


class AnswerRequest(_Body):
    """question_id → the chosen option ids (choice questions) or the text (text questions)."""

    answers: dict[str, list[str] | str] = Field(description="各题的答案：选择题为选项编号列表，文字题为文字")


# --- views ------------------------------------------------------------------------------------


class SurveySummary(DomainModel):
    survey_id: str
    title: str
    status: SurveyStatus
    status_label: str
    opens_on: date
    closes_on: date
    open_now: bool
    question_count: int

    @classmethod
    def of(cls, survey: Survey, today: date) -> SurveySummary:
        return cls(
            survey_id=survey.survey_id, title=survey.title, status=survey.status, status_label=survey.status.label,
            opens_on=survey.opens_on, closes_on=survey.closes_on, open_now=survey.is_open_on(today),
            question_count=len(survey.questions),
        )


class SurveyView(SurveySummary):
    description: str
    questions: list[SurveyQuestion]

    @classmethod
    def of(cls, survey: Survey, today: date) -> SurveyView:
        return cls(
            **SurveySummary.of(survey, today).model_dump(), description=survey.description, questions=list(survey.questions)
        )


class OptionResult(DomainModel):
    option_id: str
    label: str
    count: int


class QuestionResult(DomainModel):
    question_id: str
    kind: QuestionKind
    title: str
    options: list[OptionResult]  # empty for text questions (their answers are listed, paged)


class SurveyResults(DomainModel):
    survey: SurveyView
    answer_count: int
    questions: list[QuestionResult]


class TextAnswer(DomainModel):
    question_id: str
    text: str
    answered_at: datetime


class AnswerReceipt(DomainModel):
    survey_id: str
    answered_at: datetime
