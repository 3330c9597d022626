"""Online surveys: validation of a questionnaire and of answers, once per citizen, counters."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sunlight.models.surveys import AnswerRequest, QuestionKind, SurveyRequest, SurveyStatus
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunlight.services.surveys import SurveyService, tally
from tests.fakes.social import InMemorySurveys
from tests.unit.conftest import CITIZEN, INSPECTOR, LEADER, OTHER_CITIZEN

QUESTIONNAIRE = {
    "title": "政务服务满意度调查",
    "description": "请花一分钟告诉我们您的感受。",
    "opens_on": "2026-11-20",
    "closes_on": "2026-12-31",
    "questions": [
        {"kind": "single", "title": "您对窗口服务是否满意？", "options": ["满意", "基本满意", "不满意"]},
        {"kind": "multiple", "title": "您通过哪些渠道办事？", "options": ["网上", "窗口", "电话"], "required": False},
        {"kind": "text", "title": "您的建议", "required": False},
    ],
}


@pytest.fixture
def surveys(world):
    repository = InMemorySurveys()
    return SurveyService(surveys=repository, clock=world.clock, ids=world.ids), repository


def _published(service) -> str:
    survey = service.create(INSPECTOR, SurveyRequest.model_validate(QUESTIONNAIRE), "survey-key-1")
    service.publish(INSPECTOR, survey.survey_id)
    return survey.survey_id


def test_questionnaire_validation_names_the_problem():
    for change, message in [
        ({"closes_on": "2026-11-01"}, "截止日期不能早于开始日期"),
        ({"questions": [{"kind": "single", "title": "只有一个选项", "options": ["是"]}]}, "至少需要2个选项"),
        ({"questions": [{"kind": "text", "title": "文字题", "options": ["不该有"]}]}, "文字题不设选项"),
        ({"questions": [{"kind": "multiple", "title": "重复选项", "options": ["是", "是"]}]}, "选项不能重复"),
        ({"questions": []}, "questions"),
    ]:
        with pytest.raises(ValidationError, match=message):
            SurveyRequest.model_validate(QUESTIONNAIRE | change)


def test_lifecycle_answers_once_and_counts(surveys):
    service, repository = surveys
    survey_id = _published(service)
    assert [s.survey_id for s in service.open_surveys(cursor=None, limit=20).items] == [survey_id]
    assert [q.question_id for q in service.public_survey(survey_id).questions] == ["q1", "q2", "q3"]

    service.answer(CITIZEN, survey_id, AnswerRequest(answers={"q1": ["o1"], "q2": ["o1", "o2"], "q3": "希望延长午间办理时间"}))
    service.answer(OTHER_CITIZEN, survey_id, AnswerRequest(answers={"q1": "o3"}))
    with pytest.raises(Conflict, match="只能提交一次"):
        service.answer(CITIZEN, survey_id, AnswerRequest(answers={"q1": ["o2"]}))

    results = service.results(INSPECTOR, survey_id)
    assert results.answer_count == 2
    assert [(o.label, o.count) for o in results.questions[0].options] == [("满意", 1), ("基本满意", 0), ("不满意", 1)]
    assert [o.count for o in results.questions[1].options] == [1, 1, 0]
    assert results.questions[2].kind is QuestionKind.TEXT and results.questions[2].options == []
    texts = service.text_answers(INSPECTOR, survey_id, "q3", cursor=None, limit=10).items
    assert [t.text for t in texts] == ["希望延长午间办理时间"]

    assert service.close(INSPECTOR, survey_id).status is SurveyStatus.CLOSED
    assert service.open_surveys(cursor=None, limit=20).items == []
    with pytest.raises(Conflict, match="已结束"):
        service.answer(CITIZEN, survey_id, AnswerRequest(answers={"q1": ["o1"]}))
    with pytest.raises(Conflict):
        service.close(INSPECTOR, survey_id)


def test_answers_are_checked_against_the_questionnaire(surveys):
    service, repository = surveys
    survey = repository.get(_published(service))
    for answers, field in [
        ({}, "answers.q1"),  # required
        ({"q1": ["o1", "o2"]}, "answers.q1"),  # single choice
        ({"q1": ["o9"]}, "answers.q1"),  # unknown option
        ({"q1": ["o1"], "q3": ["o1"]}, "answers.q3"),  # text expected
        ({"q1": ["o1"], "q9": "x"}, "answers"),  # unknown question
    ]:
        with pytest.raises(InvalidInput) as error:
            tally(survey, answers)
        assert error.value.details["field"] == field
    assert tally(survey, {"q1": "o2", "q2": [], "q3": "  "}) == (["q1_o2"], [])


def test_drafts_roles_and_dates(surveys, world):
    service, _ = surveys
    with pytest.raises(Forbidden):
        service.create(LEADER, SurveyRequest.model_validate(QUESTIONNAIRE), None)
    draft = service.create(INSPECTOR, SurveyRequest.model_validate(QUESTIONNAIRE), "survey-key-2")
    assert service.create(INSPECTOR, SurveyRequest.model_validate(QUESTIONNAIRE), "survey-key-2").survey_id == draft.survey_id
    with pytest.raises(NotFound):
        service.public_survey(draft.survey_id)
    with pytest.raises(NotFound):
        service.answer(CITIZEN, draft.survey_id, AnswerRequest(answers={"q1": "o1"}))
    assert [s.survey_id for s in service.manage_list(INSPECTOR, SurveyStatus.DRAFT, cursor=None, limit=5).items] == [draft.survey_id]
    with pytest.raises(Forbidden):
        service.answer(INSPECTOR, draft.survey_id, AnswerRequest(answers={"q1": "o1"}))

    later = service.create(INSPECTOR, SurveyRequest.model_validate(QUESTIONNAIRE | {"opens_on": "2026-12-01"}), None)
    service.publish(INSPECTOR, later.survey_id)
    assert later.survey_id not in [s.survey_id for s in service.open_surveys(cursor=None, limit=20).items]
    with pytest.raises(Conflict, match="2026-12-01开始"):
        service.answer(CITIZEN, later.survey_id, AnswerRequest(answers={"q1": "o1"}))
    past = service.create(INSPECTOR, SurveyRequest.model_validate(QUESTIONNAIRE | {"closes_on": "2026-11-21"}), None)
    with pytest.raises(InvalidInput, match="截止日期已过"):
        service.publish(INSPECTOR, past.survey_id)
    assert world.clock.now().date() == date(2026, 11, 23)
