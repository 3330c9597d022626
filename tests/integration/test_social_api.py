"""Complaints, satisfaction ratings and surveys through the API functions, on moto."""

from __future__ import annotations

import json
import re

import boto3
import pytest

from http_api.access import POLICY
from sunlight.bootstrap import container
from sunlight.models.case import CaseStatus
from tests.integration.test_handlers import call, filled_application, handlers, sample  # noqa: F401

CITIZEN = sample("api/apply.json")["requestContext"]["authorizer"]["claims"]
OTHER_CITIZEN = CITIZEN | {"sub": "c0ffee00-0000-4000-8000-00000000000f", "cognito:username": "citizen2", "name": "王芳"}
INSPECTOR = {"sub": "c0ffee00-0000-4000-8000-0000000000e1", "cognito:username": "inspector", "name": "孙监察",
             "cognito:groups": "inspector", "custom:government": "420700", "token_use": "id"}


def staff(role: str, department: str = "market", name: str = "赵刚") -> dict:
    return {"sub": f"c0ffee00-0000-4000-8000-{abs(hash((role, department))) % 10**12:012d}", "cognito:username": f"{department}.{role}",
            "name": name, "cognito:groups": role, "custom:department": department, "token_use": "id"}


LEADER, DEPT_INSPECTOR, WINDOW, FOREIGN_LEADER = staff("leader"), staff("inspector", name="钱监察"), staff("window"), staff("leader", "planning")


def route_of(method: str, path: str) -> str:
    """The resource path API Gateway names (its template), as the access policy knows it."""
    matching = [template for known_method, template in POLICY
                if known_method == method and re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path)]
    return min(matching, key=lambda t: t.count("{"), default=path)  # a literal segment wins


def request(method: str, path: str, claims: dict | None, body: dict | None = None, query: dict | None = None, key: str | None = None) -> dict:
    event = json.loads(json.dumps(sample("api/worklist.json")))
    resource = route_of(method, path)
    event |= {"path": path, "resource": resource, "httpMethod": method, "queryStringParameters": query,
              "body": json.dumps(body, ensure_ascii=False) if body is not None else None}
    event["requestContext"] |= {"httpMethod": method, "resourcePath": resource}
    if key:
        event["headers"]["Idempotency-Key"] = key
        event["multiValueHeaders"]["Idempotency-Key"] = [key]
    if claims is None:
        event["requestContext"].pop("authorizer")
    else:
        event["requestContext"]["authorizer"]["claims"] = claims
    return event


@pytest.fixture
def api(handlers, monkeypatch):
    http_api, _ = handlers
    published: list[tuple[str, dict]] = []
    publisher = container().publisher
    original = publisher.publish_detail

    def recording(detail_type, detail, *, resources=()):
        original(detail_type, detail, resources=resources)
        published.append((detail_type, detail.model_dump(mode="json")))

    monkeypatch.setattr(publisher, "publish_detail", recording)

    def send(method: str, path: str, claims: dict | None, body: dict | None = None, **kwargs) -> tuple[int, dict]:
        return call(http_api, request(method, path, claims, body, **kwargs))

    send.published = published
    return send


COMPLAINT = {"department_id": "market", "title": "窗口推诿", "content": "办理食品经营许可时窗口多次推诿，不说明理由。"}


def test_complaint_lifecycle_roles_states_and_anonymity(api):
    status, filed = api("POST", "/complaints", CITIZEN, COMPLAINT | {"anonymous": True}, key="complaint-key-0001")
    assert status == 201, filed
    complaint_id = filed["complaint_id"]
    assert api("POST", "/complaints", CITIZEN, COMPLAINT | {"anonymous": True}, key="complaint-key-0001")[1]["complaint_id"] == complaint_id
    path = f"/complaints/{complaint_id}"

    assert api("GET", path, LEADER)[0] == 404  # not dispatched to the department yet
    assert api("POST", f"{path}/actions", LEADER, {"action": "accept"})[0] == 404  # unseen by the department yet
    assert api("POST", f"{path}/actions", INSPECTOR, {"action": "answer", "answer": "监察局代答"})[0] == 403
    assert api("POST", f"{path}/actions", INSPECTOR, {"action": "conclude", "founded": True, "conclusion": "提前办结"})[0] == 409
    status, bad = api("POST", f"{path}/actions", INSPECTOR, {"action": "reject", "reason": ""})
    assert status == 422 and "reason" in json.dumps(bad["errors"])
    assert api("POST", f"{path}/actions", INSPECTOR, {"action": "accept", "note": "予以受理"})[0] == 200
    assert api("POST", f"{path}/actions", INSPECTOR, {"action": "dispatch"})[0] == 200

    assert api("POST", f"{path}/actions", FOREIGN_LEADER, {"action": "answer", "answer": "非本部门"})[0] == 403
    assert api("GET", path, FOREIGN_LEADER)[0] == 403
    assert api("POST", f"{path}/actions", WINDOW, {"action": "answer", "answer": "窗口答复"})[0] == 403
    status, answered = api("POST", f"{path}/actions", LEADER, {"action": "answer", "answer": "已约谈窗口人员并整改。"})
    assert status == 200 and answered["status"] == "answered"

    # the department never sees the complainant: not in the detail, the list, nor the history
    for response in (answered, api("GET", path, DEPT_INSPECTOR)[1], api("GET", "/complaints", LEADER)[1]):
        text = json.dumps(response, ensure_ascii=False)
        assert CITIZEN["name"] not in text and CITIZEN["sub"] not in text
    assert api("GET", path, INSPECTOR)[1]["complainant_name"] == CITIZEN["name"]

    status, concluded = api("POST", f"{path}/actions", INSPECTOR, {"action": "conclude", "founded": True, "conclusion": "投诉属实，已整改。"})
    assert status == 200 and concluded["founded"] is True and concluded["due_on"] is None
    assert api("POST", f"/my/complaints/{complaint_id}/rating", OTHER_CITIZEN, {"score": 1})[0] == 404
    assert api("POST", f"/my/complaints/{complaint_id}/rating", CITIZEN, {"score": 6})[0] == 422
    status, rated = api("POST", f"/my/complaints/{complaint_id}/rating", CITIZEN, {"score": 5, "comment": "满意"})
    assert status == 200 and rated["rating"]["score"] == 5
    assert api("POST", f"/my/complaints/{complaint_id}/rating", CITIZEN, {"score": 1})[0] == 409

    mine = api("GET", f"/my/complaints/{complaint_id}", CITIZEN)[1]
    assert [h["action"] for h in mine["history"]] == ["file", "accept", "dispatch", "answer", "conclude", "rate"]
    notes = api("GET", "/my/notifications", CITIZEN, query={"limit": "10"})[1]["items"]
    assert [n["title"] for n in notes] == ["投诉已办结", "投诉已答复", "投诉已转办", "投诉已受理", "投诉已提交"]
    status, read = api("POST", f"/my/notifications/{notes[0]['notification_id']}/read", CITIZEN)
    assert status == 200 and read["read"] is True
    assert api("POST", f"/my/notifications/{notes[0]['notification_id']}/read", OTHER_CITIZEN)[0] == 404
    assert api("GET", "/my/notifications", CITIZEN, query={"limit": "1"})[1]["items"][0]["read"] is True

    facts = [(t, d["event_id"]) for t, d in api.published]
    assert facts.count(("ComplaintFiled", f"{complaint_id}:filed")) == 2  # the replayed filing re-publishes the same id
    assert ("ComplaintConcluded", f"{complaint_id}:concluded") in facts


@pytest.mark.fresh_stack
def test_complaint_queues_by_status_and_department(api):
    ids = [api("POST", "/complaints", CITIZEN, COMPLAINT | {"title": f"投诉{n}"})[1]["complaint_id"] for n in range(3)]
    api("POST", f"/complaints/{ids[0]}/actions", INSPECTOR, {"action": "accept"})
    api("POST", f"/complaints/{ids[0]}/actions", INSPECTOR, {"action": "dispatch"})
    city = api("GET", "/complaints", INSPECTOR, query={"limit": "2"})[1]
    assert len(city["items"]) == 2 and city["next_cursor"]
    rest = api("GET", "/complaints", INSPECTOR, query={"limit": "2", "cursor": city["next_cursor"]})[1]
    assert sorted(c["complaint_id"] for c in city["items"] + rest["items"]) == sorted(ids)
    filed = api("GET", "/complaints", INSPECTOR, query={"status": "filed"})[1]["items"]
    assert sorted(c["complaint_id"] for c in filed) == sorted(ids[1:])
    assert [c["complaint_id"] for c in api("GET", "/complaints", LEADER)[1]["items"]] == [ids[0]]
    assert api("GET", "/complaints", FOREIGN_LEADER)[1]["items"] == []
    assert api("GET", "/complaints", WINDOW)[0] == 403
    assert api("GET", "/complaints", INSPECTOR, query={"status": "lost"})[0] == 422
    assert sorted(c["complaint_id"] for c in api("GET", "/my/complaints", CITIZEN)[1]["items"]) == sorted(ids)  # same second
    assert api("GET", "/my/complaints", OTHER_CITIZEN)[1]["items"] == []
    status, invalid = api("POST", "/complaints", CITIZEN, {"title": "x", "content": "短"})
    assert status == 422 and {"title", "content"} <= {e["field"].split(".")[-1] for e in invalid["errors"]}


def test_satisfaction_rating_once_per_closed_case(api):
    status, receipt = call_apply(api)
    case_id = receipt["case_id"]
    assert api("POST", f"/my/cases/{case_id}/rating", CITIZEN, {"score": 5})[0] == 409  # not closed
    cases = container().cases
    case = cases.get(case_id)
    cases.save(case.model_copy(update={"status": CaseStatus.COMPLETED, "version": case.version + 1}), expected_version=case.version)
    assert api("GET", f"/my/cases/{case_id}/rating", CITIZEN)[1]["rateable"] is True
    assert api("POST", f"/my/cases/{case_id}/rating", OTHER_CITIZEN, {"score": 5})[0] == 403
    status, rating = api("POST", f"/my/cases/{case_id}/rating", CITIZEN, {"score": 4, "comment": "办事快"}, key="rating-key-0001")
    assert status == 201 and rating["score"] == 4
    assert api("POST", f"/my/cases/{case_id}/rating", CITIZEN, {"score": 1})[0] == 409
    assert api("GET", f"/cases/{case_id}/rating", WINDOW)[1]["comment"] == "办事快"
    assert api("GET", f"/cases/{case_id}/rating", INSPECTOR)[1]["score"] == 4
    assert api("GET", f"/cases/{case_id}/rating", FOREIGN_LEADER)[0] == 403
    assert [(t, d["event_id"], d["rating"]) for t, d in api.published] == [("SatisfactionRated", f"{case_id}:rated", 4)]


def call_apply(api):
    event = filled_application()
    body = json.loads(event["body"])
    return api("POST", "/applications", CITIZEN, body)


SURVEY = {
    "title": "办事体验调查", "opens_on": "2020-01-01", "closes_on": "2099-12-31",
    "questions": [
        {"kind": "single", "title": "总体是否满意", "options": ["满意", "不满意"]},
        {"kind": "multiple", "title": "常用渠道", "options": ["网上", "窗口", "电话"], "required": False},
        {"kind": "text", "title": "建议", "required": False},
    ],
}


def test_survey_lifecycle_counters_in_the_answer_transaction(api, aws_system):
    assert api("POST", "/surveys", LEADER, SURVEY)[0] == 403
    status, draft = api("POST", "/surveys", INSPECTOR, SURVEY, key="survey-key-0001")
    assert status == 201 and draft["status"] == "draft"
    survey_id = draft["survey_id"]
    assert api("GET", f"/surveys/{survey_id}", None)[0] == 404
    assert [s["survey_id"] for s in api("GET", "/inspector/surveys", INSPECTOR)[1]["items"]] == [survey_id]
    assert api("POST", f"/surveys/{survey_id}/close", INSPECTOR)[0] == 409
    assert api("POST", f"/surveys/{survey_id}/publish", INSPECTOR)[1]["status"] == "published"
    assert [s["survey_id"] for s in api("GET", "/surveys", None)[1]["items"]] == [survey_id]

    answer = {"answers": {"q1": ["o1"], "q2": ["o1", "o3"], "q3": "周末也能办就好了"}}
    assert api("POST", f"/surveys/{survey_id}/answers", CITIZEN, answer)[0] == 201
    assert api("POST", f"/surveys/{survey_id}/answers", CITIZEN, answer)[0] == 409
    status, invalid = api("POST", f"/surveys/{survey_id}/answers", OTHER_CITIZEN, {"answers": {"q1": ["o1", "o2"]}})
    assert status == 422 and invalid["details"]["field"] == "answers.q1"
    assert api("POST", f"/surveys/{survey_id}/answers", OTHER_CITIZEN, {"answers": {"q1": "o2"}})[0] == 201

    results = api("GET", f"/surveys/{survey_id}/results", INSPECTOR)[1]
    assert results["answer_count"] == 2
    assert [[o["count"] for o in q["options"]] for q in results["questions"]] == [[1, 1], [1, 0, 1], []]
    texts = api("GET", f"/surveys/{survey_id}/text-answers", INSPECTOR, query={"question": "q3"})[1]["items"]
    assert [t["text"] for t in texts] == ["周末也能办就好了"] and CITIZEN["sub"] not in json.dumps(texts)
    assert api("GET", f"/surveys/{survey_id}/results", CITIZEN)[0] == 403

    assert api("POST", f"/surveys/{survey_id}/close", INSPECTOR)[1]["status"] == "closed"
    third = staff("citizen") | {"cognito:groups": "citizen", "sub": "c0ffee00-0000-4000-8000-0000000000c3"}
    third.pop("custom:department")
    assert api("POST", f"/surveys/{survey_id}/answers", third, {"answers": {"q1": "o1"}})[0] == 409
    counts = boto3.client("dynamodb").get_item(
        TableName=aws_system.environment["SUPERVISION_TABLE_NAME"], Key={"pk": {"S": f"SURVEY#{survey_id}"}, "sk": {"S": "COUNTS"}}
    )["Item"]
    assert counts["answers"] == {"N": "2"} and counts["q1_o1"] == {"N": "1"}
