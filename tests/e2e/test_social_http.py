"""Social interaction over HTTP through the local system, with real Cognito tokens: a complaint's
lifecycle (anonymous to the department), a satisfaction rating on a completed case, a survey."""

from __future__ import annotations

import json

from tests.e2e.conftest import demo_user, new_key, wait_for_status
from tests.e2e.test_api_flow import act, apply


def test_complaint_lifecycle_over_http(login):
    citizen, inspector, leader, foreign = login("citizen1"), login("inspector"), login("market.leader"), login("planning.leader")
    body = {"department_id": "market", "title": "窗口推诿", "content": "办理许可时窗口工作人员多次推诿。", "anonymous": True}
    key = new_key()
    filed = citizen.post("/complaints", body, key=key)
    assert filed.status_code == 201, filed.text
    complaint_id = filed.json()["complaint_id"]
    assert citizen.post("/complaints", body, key=key).json()["complaint_id"] == complaint_id

    path = f"/complaints/{complaint_id}"
    assert leader.post(f"{path}/actions", {"action": "answer", "answer": "提前答复"}).status_code == 404
    assert inspector.post(f"{path}/actions", {"action": "conclude", "founded": True, "conclusion": "提前办结"}).status_code == 409
    assert inspector.post(f"{path}/actions", {"action": "accept"}).status_code == 200
    assert inspector.post(f"{path}/actions", {"action": "dispatch"}).status_code == 200
    assert foreign.post(f"{path}/actions", {"action": "answer", "answer": "非本部门"}).status_code == 403
    answered = leader.post(f"{path}/actions", {"action": "answer", "answer": "已核查并整改。"}, key=new_key())
    assert answered.status_code == 200
    name = demo_user("citizen1")["name"]
    assert name not in answered.text and name not in leader.get("/complaints").text
    assert inspector.get(path).json()["complainant_name"] == name
    concluded = inspector.post(f"{path}/actions", {"action": "conclude", "founded": False, "conclusion": "经核查不属实。"})
    assert concluded.status_code == 200 and concluded.json()["status"] == "concluded"
    rated = citizen.post(f"/my/complaints/{complaint_id}/rating", {"score": 3, "comment": "答复及时"})
    assert rated.status_code == 200 and rated.json()["rating"]["score"] == 3
    assert citizen.post(f"/my/complaints/{complaint_id}/rating", {"score": 5}).status_code == 409
    notes = citizen.get("/my/notifications").json()["items"]
    assert [n["title"] for n in notes if n["subject_id"] == complaint_id] == ["投诉已办结", "投诉已答复", "投诉已转办", "投诉已受理", "投诉已提交"]


def test_satisfaction_rating_on_a_completed_case(public, login):
    citizen = login("citizen1")
    case_id = apply(citizen, public)["case_id"]
    window, handler, reviewer, leader = (login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))
    assert citizen.post(f"/my/cases/{case_id}/rating", {"score": 5}, key=new_key()).status_code == 409
    for client, step, body in [
        (window, "accept", {"action": "accept"}),
        (handler, "handle", {"action": "submit", "opinion": "符合条件"}),
        (reviewer, "review", {"action": "pass"}),
        (leader, "approve", {"action": "approve", "opinion": "准予许可"}),
        (window, "complete", {"action": "complete", "opinion": "已送达"}),
    ]:
        wait_for_status(client, case_id, step)
        assert act(client, case_id, **body).status_code == 200
    wait_for_status(window, case_id, "completed")
    assert citizen.get(f"/my/cases/{case_id}/rating").json()["rateable"] is True
    assert login("citizen2").post(f"/my/cases/{case_id}/rating", {"score": 1}).status_code == 403
    rated = citizen.post(f"/my/cases/{case_id}/rating", {"score": 5, "comment": "很满意"}, key=new_key())
    assert rated.status_code == 201, rated.text
    assert citizen.post(f"/my/cases/{case_id}/rating", {"score": 2}, key=new_key()).status_code == 409
    assert window.get(f"/cases/{case_id}/rating").json()["score"] == 5
    assert login("inspector").get(f"/cases/{case_id}/rating").json()["comment"] == "很满意"


def test_survey_over_http(public, login):
    inspector, citizen = login("inspector"), login("citizen2")
    survey = {"title": "窗口服务调查", "opens_on": "2020-01-01", "closes_on": "2099-12-31", "questions": [
        {"kind": "single", "title": "是否满意", "options": ["满意", "不满意"]},
        {"kind": "text", "title": "建议", "required": False},
    ]}
    created = inspector.post("/surveys", survey, key=new_key())
    assert created.status_code == 201, created.text
    survey_id = created.json()["survey_id"]
    assert public.get(f"/surveys/{survey_id}").status_code == 404
    assert inspector.post(f"/surveys/{survey_id}/publish").status_code == 200
    assert survey_id in [s["survey_id"] for s in public.get("/surveys", params={"limit": 100}).json()["items"]]
    assert public.post(f"/surveys/{survey_id}/answers", {"answers": {"q1": ["o1"]}}).status_code == 401
    assert citizen.post(f"/surveys/{survey_id}/answers", {"answers": {"q1": ["o1"], "q2": "多设自助机"}}).status_code == 201
    assert citizen.post(f"/surveys/{survey_id}/answers", {"answers": {"q1": ["o2"]}}).status_code == 409
    results = inspector.get(f"/surveys/{survey_id}/results").json()
    assert results["answer_count"] == 1 and [o["count"] for o in results["questions"][0]["options"]] == [1, 0]
    texts = inspector.get(f"/surveys/{survey_id}/text-answers", params={"question": "q2"}).json()["items"]
    assert [t["text"] for t in texts] == ["多设自助机"]
    assert inspector.post(f"/surveys/{survey_id}/close").json()["status"] == "closed"
    assert json.dumps(public.get("/surveys", params={"limit": 100}).json()).count(survey_id) == 0
