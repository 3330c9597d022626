"""Online surveys (网上调查): city inspectors create, publish and close questionnaires; signed-in
citizens answer each once; results are per-option counters and paged text answers."""

from __future__ import annotations

import hashlib

from ..models.roles import Principal
from ..models.surveys import (
    AnswerReceipt,
    AnswerRequest,
    OptionResult,
    QuestionKind,
    QuestionResult,
    Survey,
    SurveyOption,
    SurveyQuestion,
    SurveyRequest,
    SurveyResults,
    SurveyStatus,
    SurveySummary,
    SurveyView,
    TextAnswer,
    counter_name,
)
from ..rules.workdays import local_date
from .errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from .pagination import Page, decode_cursor, encode_cursor
from .ports import Clock, ConcurrentModification, DuplicateRequest, IdempotencyRecord, IdGenerator, SurveyRepository
from .scope import Scope

SURVEY_NOT_FOUND = "未找到该调查。"
MAX_TEXT_ANSWER = 1000


def tally(survey: Survey, answers: dict[str, list[str] | str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Checks one citizen's answers against the questionnaire (InvalidInput naming the question)
    and returns the counters to increment and the (question, text) answers."""
    unknown = sorted(set(answers) - {q.question_id for q in survey.questions})
    if unknown:
        raise InvalidInput(f"问卷中没有这些题目：{'、'.join(unknown)}", details={"field": "answers"})
    counters: list[str] = []
    texts: list[tuple[str, str]] = []
    for number, question in enumerate(survey.questions, start=1):
        field = f"answers.{question.question_id}"
        answer = answers.get(question.question_id)
        if question.kind is QuestionKind.TEXT:
            if answer is not None and not isinstance(answer, str):
                raise InvalidInput(f"第{number}题“{question.title}”请填写文字。", details={"field": field})
            text = (answer or "").strip()
            if not text:
                if question.required:
                    raise InvalidInput(f"第{number}题“{question.title}”为必答题，请填写。", details={"field": field})
                continue
            if len(text) > MAX_TEXT_ANSWER:
                raise InvalidInput(f"第{number}题“{question.title}”不能超过{MAX_TEXT_ANSWER}个字。", details={"field": field})
            texts.append((question.question_id, text))
            continue
        if isinstance(answer, str):
            answer = [answer]
        chosen = list(dict.fromkeys(answer or []))
        if not chosen:
            if question.required:
                raise InvalidInput(f"第{number}题“{question.title}”为必答题，请选择。", details={"field": field})
            continue
        if question.kind is QuestionKind.SINGLE and len(chosen) > 1:
            raise InvalidInput(f"第{number}题“{question.title}”是单选题，只能选一项。", details={"field": field})
        known = {o.option_id for o in question.options}
        if any(option not in known for option in chosen):
            raise InvalidInput(f"第{number}题“{question.title}”的选项无效，请刷新问卷后重新选择。", details={"field": field})
        counters.extend(counter_name(question.question_id, option) for option in chosen)
    if not counters and not texts:
        raise InvalidInput("请至少回答一道题。", details={"field": "answers"})
    return counters, texts


def results_of(survey: Survey, counts: dict[str, int], today) -> SurveyResults:
    questions = [
        QuestionResult(
            question_id=q.question_id,
            kind=q.kind,
            title=q.title,
            options=[
                OptionResult(option_id=o.option_id, label=o.label, count=int(counts.get(counter_name(q.question_id, o.option_id), 0)))
                for o in q.options
            ],
        )
        for q in survey.questions
    ]
    return SurveyResults(survey=SurveyView.of(survey, today), answer_count=int(counts.get("answers", 0)), questions=questions)


class SurveyService:
    def __init__(self, *, surveys: SurveyRepository, clock: Clock, ids: IdGenerator) -> None:
        self._surveys = surveys
        self._clock = clock
        self._ids = ids

    # --- public -----------------------------------------------------------------------------

    def open_surveys(self, *, cursor: str | None, limit: int) -> Page[SurveySummary]:
        today = self._today()
        items, last = self._surveys.by_status(SurveyStatus.PUBLISHED.value, closing_from=today, limit=limit, start_key=decode_cursor(cursor))
        return Page[SurveySummary](items=[SurveySummary.of(s, today) for s in items if s.opens_on <= today], next_cursor=encode_cursor(last))

    def public_survey(self, survey_id: str) -> SurveyView:
        survey = self._surveys.get(survey_id)
        if survey is None or survey.status is SurveyStatus.DRAFT:
            raise NotFound(SURVEY_NOT_FOUND)  # drafts are not public
        return SurveyView.of(survey, self._today())

    # --- citizens ---------------------------------------------------------------------------

    def answer(self, principal: Principal, survey_id: str, request: AnswerRequest) -> AnswerReceipt:
        if not principal.is_citizen:
            raise Forbidden("请使用申请人（公众）账号登录后参加调查。")
        survey = self._surveys.get(survey_id)
        if survey is None or survey.status is SurveyStatus.DRAFT:
            raise NotFound(SURVEY_NOT_FOUND)
        today = self._today()
        if not survey.is_open_on(today):
            raise Conflict("该调查已结束。" if survey.status is SurveyStatus.CLOSED or today > survey.closes_on else f"该调查{survey.opens_on}开始。")
        counters, texts = tally(survey, request.answers)
        now = self._clock.now()
        answers = [TextAnswer(question_id=q, text=t, answered_at=now) for q, t in texts]
        try:
            added = self._surveys.add_answer(survey, principal.user_id, counters, answers, now)
        except ConcurrentModification as error:
            raise Conflict("该调查已结束。") from error
        if not added:
            raise Conflict("您已参加过本次调查，每人只能提交一次。")
        return AnswerReceipt(survey_id=survey.survey_id, answered_at=now)

    # --- city inspectors --------------------------------------------------------------------

    def create(self, principal: Principal, request: SurveyRequest, idempotency_key: str | None) -> SurveyView:
        _require_city_inspector(principal)
        now = self._clock.now()
        survey = Survey(
            survey_id="DC" + self._ids.case_id(now)[2:],
            title=request.title,
            description=request.description,
            opens_on=request.opens_on,
            closes_on=request.closes_on,
            questions=tuple(
                SurveyQuestion(
                    question_id=f"q{n}", kind=q.kind, title=q.title, required=q.required,
                    options=tuple(SurveyOption(option_id=f"o{m}", label=label) for m, label in enumerate(q.options, start=1)),
                )
                for n, q in enumerate(request.questions, start=1)
            ),
            created_by=principal.user_id,
            created_at=now,
        )
        fingerprint = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
        idempotency = (
            IdempotencyRecord(owner_id=principal.user_id, key=idempotency_key, case_id=survey.survey_id, fingerprint=fingerprint)
            if idempotency_key
            else None
        )
        try:
            self._surveys.create(survey, idempotency)
        except DuplicateRequest as duplicate:
            if duplicate.fingerprint != fingerprint:
                raise InvalidInput("该幂等键（Idempotency-Key）已用于另一份问卷，请更换后重试。") from None
            existing = self._surveys.get(duplicate.case_id)
            if existing is None:
                raise Unavailable("上一次提交仍在处理中，请稍后重试。") from None
            survey = existing
        return SurveyView.of(survey, self._today())

    def manage_list(self, principal: Principal, status: SurveyStatus, *, cursor: str | None, limit: int) -> Page[SurveySummary]:
        _require_city_inspector(principal)
        today = self._today()
        items, last = self._surveys.by_status(status.value, closing_from=None, limit=limit, start_key=decode_cursor(cursor))
        return Page[SurveySummary](items=[SurveySummary.of(s, today) for s in items], next_cursor=encode_cursor(last))

    def publish(self, principal: Principal, survey_id: str) -> SurveyView:
        _require_city_inspector(principal)
        survey = self._get(survey_id)
        if survey.status is not SurveyStatus.DRAFT:
            raise Conflict(f"该调查当前为“{survey.status.label}”，只有草稿可以发布。")
        if survey.closes_on < self._today():
            raise InvalidInput("截止日期已过，不能发布。请新建调查并设置新的日期。", details={"field": "closes_on"})
        return self._move(survey, SurveyStatus.PUBLISHED, published_at=self._clock.now())

    def close(self, principal: Principal, survey_id: str) -> SurveyView:
        _require_city_inspector(principal)
        survey = self._get(survey_id)
        if survey.status is not SurveyStatus.PUBLISHED:
            raise Conflict(f"该调查当前为“{survey.status.label}”，只有已发布的调查可以结束。")
        return self._move(survey, SurveyStatus.CLOSED, closed_at=self._clock.now())

    def results(self, principal: Principal, survey_id: str) -> SurveyResults:
        _require_city_inspector(principal)
        survey = self._get(survey_id)
        return results_of(survey, self._surveys.counters(survey_id), self._today())

    def text_answers(self, principal: Principal, survey_id: str, question_id: str, *, cursor: str | None, limit: int) -> Page[TextAnswer]:
        _require_city_inspector(principal)
        survey = self._get(survey_id)
        question = survey.question(question_id)
        if question is None or question.kind is not QuestionKind.TEXT:
            raise InvalidInput("请选择问卷中的一道文字题。", details={"field": "question"})
        items, last = self._surveys.text_answers(survey_id, question_id, limit=limit, start_key=decode_cursor(cursor))
        return Page[TextAnswer](items=items, next_cursor=encode_cursor(last))

    # --- helpers ----------------------------------------------------------------------------

    def _get(self, survey_id: str) -> Survey:
        survey = self._surveys.get(survey_id)
        if survey is None:
            raise NotFound(SURVEY_NOT_FOUND)
        return survey

    def _move(self, survey: Survey, status: SurveyStatus, **changes: object) -> SurveyView:
        updated = survey.model_copy(update={"status": status, "version": survey.version + 1, **changes})
        try:
            self._surveys.save(updated, expected_version=survey.version, previous_status=survey.status.value)
        except ConcurrentModification as error:
            raise Conflict("该调查已被他人修改，请刷新后重试。") from error
        return SurveyView.of(updated, self._today())

    def _today(self):
        return local_date(self._clock.now())


def _require_city_inspector(principal: Principal) -> None:
    if not Scope.of(principal).city_wide:
        raise Forbidden("网上调查由市监察局发布和管理。")
