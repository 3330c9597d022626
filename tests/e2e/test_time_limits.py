"""Time limits over HTTP on the local system: the demo clock moves forward, the scheduled
deadline check runs, the case turns yellow then red; pauses and extensions move its due date."""

from __future__ import annotations

import time

import requests

from tests.e2e.conftest import wait_for_status
from tests.e2e.test_api_flow import act, apply


def move_clock(system, days: float) -> dict:
    response = requests.post(f"{system.web_url}/__local/clock", json={"advance_days": days}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def warnings_of(client, case_id: str, *, until: set[str], timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    found: list[dict] = []
    while time.monotonic() < deadline:
        found = client.get(f"/cases/{case_id}/warnings").json()
        if until <= {w["level"] for w in found}:
            return found
        time.sleep(0.1)
    raise AssertionError(f"warnings of {case_id}: {found}")


def test_case_turns_yellow_then_red_and_the_inspector_sees_it(system, public, login):
    citizen, window, leader, inspector = login("citizen1"), login("market.window"), login("market.leader"), login("inspector")
    case_id = apply(citizen, public)["case_id"]
    case = wait_for_status(window, case_id, "accept")
    assert case["step_due_at"] and case["acceptance_due_at"]

    move_clock(system, 10)  # well past the 1-working-day limit of 受理
    cards = warnings_of(inspector, case_id, until={"reminder", "yellow", "red"})
    assert sum(1 for w in cards if w["level"] == "yellow") == 1
    red = next(w for w in cards if w["level"] == "red")
    assert "city#inspector" in red["recipients"] and red["evidence"]["clock"]["step"] == "accept"
    inbox = inspector.get("/inbox").json()["items"]
    assert red["warning_id"] in [w["warning_id"] for w in inbox]

    move_clock(system, 1)  # the check runs again: nothing is issued twice
    again = warnings_of(inspector, case_id, until={"red"})
    assert [w["warning_id"] for w in again].count(red["warning_id"]) == 1
    assert sorted(w["level"] for w in again if w["rule"] == "time_limit") == ["red", "reminder", "yellow"]

    assert leader.post(f"/warnings/{red['warning_id']}/actions", {"action": "appeal", "reason": "系统停电导致延误"}).status_code == 200
    assert window.post(f"/warnings/{red['warning_id']}/actions", {"action": "revoke", "reason": "x"}).status_code == 403
    decided = inspector.post(f"/warnings/{red['warning_id']}/actions", {"action": "uphold", "reason": "停电当日已恢复，理由不成立"})
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"


def test_special_procedure_and_extension_move_the_due_date(system, public, login):
    citizen, window, handler, leader = (login(u) for u in ("citizen1", "market.window", "market.handler", "market.leader"))
    case_id = apply(citizen, public)["case_id"]
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept").status_code == 200
    before = wait_for_status(handler, case_id, "handle")

    paused = handler.post(f"/cases/{case_id}/special-procedures", {"reason": "expert_review", "note": "组织专家评审"})
    assert paused.status_code == 200 and paused.json()["clock_paused"] == "专家评审"
    assert handler.post(f"/cases/{case_id}/special-procedures", {"reason": "hearing"}).status_code == 409
    move_clock(system, 7)
    resumed = handler.post(f"/cases/{case_id}/special-procedures/end", {"note": "评审完毕"})
    assert resumed.status_code == 200 and resumed.json()["step_due_at"] > before["step_due_at"]

    assert handler.post(f"/cases/{case_id}/extensions", {"days": 30, "reason": "x" * 3}).status_code == 422
    requested = handler.post(f"/cases/{case_id}/extensions", {"days": 3, "reason": "需补充现场核查"})
    assert requested.status_code == 200
    assert handler.post(f"/cases/{case_id}/extensions/1/decision", {"approve": True}).status_code == 403
    approved = leader.post(f"/cases/{case_id}/extensions/1/decision", {"approve": True, "note": "同意"})
    assert approved.status_code == 200 and approved.json()["step_due_at"] > resumed.json()["step_due_at"]
    actions = [e["action"] for e in approved.json()["timeline"]][-4:]
    assert actions == ["pause", "resume", "extension_requested", "extension_approved"]
    tracked = citizen.get(f"/my/cases/{case_id}").json()
    assert tracked["promised_due_on"] > before["promised_due_on"]  # the citizen sees the later due date
