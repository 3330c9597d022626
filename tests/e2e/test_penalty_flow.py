"""An ordinary-procedure penalty (行政处罚法 2021) over HTTP on the local system: 立案 at the window,
调查取证 by two officers, 事先告知, the party finds the case online and asks for a hearing, the
hearing notified 7 working days ahead and held, 法制审核 (required by the hearing), the decision,
送达, payment and 结案. Only the party acts at the statement step; the party never reads the
department's internal opinions."""

from __future__ import annotations

import time as time_module
from datetime import date, datetime, time, timedelta

from sunlight.rules.workdays import CHINA_TZ
from tests.e2e.conftest import Client, new_key, wait_for_status
from tests.e2e.test_api_flow import act, application_for

PENALTY_ITEM = "420700-CF-0206"
PARTY = {"name": "王建国", "id_number": "11010519491231002X", "phone": "13971100001"}
OFFICERS = [{"name": "周敏", "certificate_number": "42070020260011"}, {"name": "吴刚", "certificate_number": "42070020260012"}]
INTERNAL_OPINION = "内部调查结论：建议从重处罚"


def register_penalty(window: Client, public: Client) -> tuple[str, str]:
    """立案: the market window registers the case with the party concerned as applicant."""
    detail = public.get(f"/catalog/{PENALTY_ITEM}").json()
    assert detail["flow"] == "penalty"
    filed = window.post("/window/applications", {**application_for(detail, []), "applicant": PARTY}, key=new_key())
    assert filed.status_code == 201, filed.text
    return filed.json()["case_id"], filed.json()["query_code"]


def investigate_and_notify(handler: Client, case_id: str, **marks) -> None:
    wait_for_status(handler, case_id, "investigate")
    one = act(handler, case_id, action="submit", opinion=INTERNAL_OPINION, officers=OFFICERS[:1])
    assert one.status_code == 422 and one.json()["details"]["field"] == "officers" and "第四十二条" in one.json()["message"], one.text
    assert act(handler, case_id, action="submit", opinion=INTERNAL_OPINION, officers=OFFICERS).status_code == 200
    wait_for_status(handler, case_id, "notify")
    notified = act(handler, case_id, action="notify", opinion="拟处罚款8000元：未建立进货查验记录制度（《食品安全法》第一百二十六条）",
                   intended_penalty_yuan="8000", **marks)
    assert notified.status_code == 200, notified.text


def wait_at_statement(staff: Client, case_id: str, timeout: float = 15) -> dict:
    """The party's turn: staff cannot act, so the case is never `actionable` for them there."""
    deadline = time_module.monotonic() + timeout
    body: dict = {}
    while time_module.monotonic() < deadline:
        body = staff.get(f"/cases/{case_id}").json()
        if body.get("status") == "statement":
            return body
        time_module.sleep(0.05)
    raise AssertionError(f"case {case_id} did not reach the statement step: {body}")


def claimed_by(citizen: Client, case_id: str, query_code: str) -> dict:
    claimed = citizen.post("/party/claims", {"case_id": case_id, "query_code": query_code, "id_number": PARTY["id_number"]})
    assert claimed.status_code == 200, claimed.text
    return claimed.json()


def hearing_time(public: Client, days: int) -> str:
    today = date.fromisoformat(public.get("/clock").json()["today"])
    return datetime.combine(today + timedelta(days=days), time(9, 30), CHINA_TZ).isoformat()


def test_an_ordinary_penalty_with_the_partys_hearing_request_runs_to_closure(login, public):
    window, handler, reviewer, leader = (login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))
    party, stranger = login("citizen1"), login("citizen2")
    case_id, query_code = register_penalty(window, public)
    investigate_and_notify(handler, case_id, collective_required=False)
    assert wait_at_statement(handler, case_id)["actionable"] is False

    # Only the party, with the notice's codes and their id number, finds the case.
    wrong = stranger.post("/party/claims", {"case_id": case_id, "query_code": query_code, "id_number": "110105194912310029"})
    assert wrong.status_code == 404, wrong.text
    view = claimed_by(party, case_id, query_code)
    assert view["status"] == "statement" and view["statement_due_at"]
    assert stranger.get(f"/my/cases/{case_id}").status_code == 403
    refused = stranger.post(f"/my/cases/{case_id}/statement", {"action": "request_hearing"}, key=new_key())
    assert refused.status_code == 403, refused.text
    assert act(handler, case_id, action="heard", opinion="不是本环节").status_code == 409  # staff do not act for the party
    timeline = {e["action"]: e for e in view["timeline"]}
    assert timeline["notify"]["opinion"].startswith("拟处罚款8000元") and timeline["notify"]["details"]["intended_penalty_yuan"] == "8000.00"
    assert timeline["submit"]["opinion"] is None and INTERNAL_OPINION not in str(view)
    assert all(e["details"].get("officers") is None for e in view["timeline"])

    asked = party.post(f"/my/cases/{case_id}/statement", {"action": "request_hearing", "statement": "对违法事实有异议，申请听证。"}, key=new_key())
    assert asked.status_code == 200, asked.text
    wait_for_status(handler, case_id, "hearing_notice")
    too_soon = act(handler, case_id, action="schedule_hearing", hearing_at=hearing_time(public, 1), hearing_place="第一听证室")
    assert too_soon.status_code == 422 and too_soon.json()["details"]["field"] == "hearing_at", too_soon.text
    scheduled = act(handler, case_id, action="schedule_hearing", hearing_at=hearing_time(public, 30), hearing_place="第一听证室")
    assert scheduled.status_code == 200, scheduled.text
    wait_for_status(handler, case_id, "hearing")
    assert act(handler, case_id, action="heard", opinion="听证会依法公开举行，当事人进行了陈述和申辩").status_code == 200
    wait_for_status(reviewer, case_id, "legal_review")  # 第五十八条: heard at a hearing, so reviewed
    assert act(reviewer, case_id, action="pass", opinion="事实清楚，程序合法").status_code == 200
    wait_for_status(leader, case_id, "decide")  # not marked for 集体讨论
    assert act(leader, case_id, action="penalize", opinion="决定罚款8000元", penalty_yuan="8000").status_code == 200
    wait_for_status(window, case_id, "deliver")
    assert act(window, case_id, action="delivered", opinion="直接送达").status_code == 200
    wait_for_status(window, case_id, "execute")
    assert act(window, case_id, action="paid", opinion="已缴纳罚款").status_code == 200
    wait_for_status(window, case_id, "complete")
    assert act(window, case_id, action="complete", opinion="结案").status_code == 200
    staff_view = wait_for_status(window, case_id, "completed")
    assert [e["action"] for e in staff_view["timeline"]] == [
        "apply", "dispatch", "submit", "notify", "request_hearing", "schedule_hearing", "heard", "pass", "penalize",
        "delivered", "paid", "complete",
    ]
    assert staff_view["timeline"][2]["details"]["officers"] == OFFICERS  # staff see who investigated

    final = wait_for_status(party, case_id, "completed", path="/my/cases/{}")
    assert final["decision_text"] == "决定罚款8000元"
    assert next(e for e in final["timeline"] if e["action"] == "schedule_hearing")["details"]["hearing_place"] == "第一听证室"
    assert next(e for e in final["timeline"] if e["action"] == "pass")["opinion"] is None  # 法制审核 stays internal
