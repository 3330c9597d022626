"""Supervision orders and the inspector log over HTTP on the local system, with real tokens."""

from __future__ import annotations

import time

from tests.e2e.conftest import new_key


def test_an_order_from_issue_to_conclusion_and_the_log_that_records_it(login):
    inspector, office, handler, leader = login("inspector"), login("market.inspector"), login("market.handler"), login("market.leader")
    body = {"source_kind": "complaint", "source_id": "TS20261123E2E", "department_id": "market", "matter": "群众反映窗口推诿，请核查并整改"}
    key = new_key()
    response = inspector.post("/supervision-orders", body, key=key)
    assert response.status_code == 201, response.text
    order_id = response.json()["order_id"]
    assert inspector.post("/supervision-orders", body, key=key).json()["order_id"] == order_id
    assert office.post("/supervision-orders", body, key=new_key()).status_code == 403

    candidates = office.get(f"/supervision-orders/{order_id}/candidates").json()
    handler_id = next(c["user_id"] for c in candidates if c["username"] == "market.handler")
    actions = f"/supervision-orders/{order_id}/actions"
    assert login("planning.inspector").post(actions, {"action": "answer", "text": "答复"}).status_code == 403
    assert inspector.post(actions, {"action": "conclude", "conclusion": "corrected"}).status_code == 409
    assert office.post(actions, {"action": "establish_responsibility", "staff_user_id": handler_id, "text": "窗口人员未一次性告知"}).status_code == 200
    assert [o["order_id"] for o in handler.get("/my/responsibilities").json()["items"]] == [order_id]
    assert handler.post(actions, {"action": "dispute", "text": "申请人材料不全，已当场告知"}).status_code == 200
    assert office.post(actions, {"action": "decide_dispute", "decision": "maintain", "text": "经调阅记录，维持认定"}).status_code == 200
    assert office.post(actions, {"action": "answer", "text": "已约谈窗口人员并整改"}).status_code == 200
    concluded = inspector.post(actions, {"action": "conclude", "conclusion": "well_founded", "text": "问题属实，已整改"})
    assert concluded.status_code == 200 and concluded.json()["status"] == "concluded"
    assert order_id in [o["order_id"] for o in leader.get("/supervision-orders").json()["items"]]

    log = inspector.get("/inspector-log", params={"limit": 50}).json()["items"]
    mine = [r for r in log if r["path_params"].get("orderId") == order_id]
    assert {(r["method"], r["route"], r["status"]) for r in mine} >= {
        ("POST", "/supervision-orders/{orderId}/actions", 409), ("POST", "/supervision-orders/{orderId}/actions", 200)}
    assert all(r["user_agent"] and r["source_ip"] for r in mine)
    # In words, from the route's own summary: what each request did.
    assert {r["action"] for r in mine if r["method"] == "POST"} == {"责任认定、异议、裁定、答复、办结"}
    assert handler.get("/inspector-log").status_code == 403


def test_the_log_is_verified_in_the_background_by_a_run_the_api_starts_and_reports(login):
    """POST starts a run that log_verify carries out through the local Lambda (invoking itself);
    the run's progress is read back until it ends."""
    # The city's inspectors start and read runs; the supervised and the admin do not (README).
    admin, handler = login("inspector"), login("market.handler")
    started = admin.post("/inspector-log/verifications")
    assert started.status_code in (200, 202), started.text  # 200: a run was already going
    again = admin.post("/inspector-log/verifications")
    run, second = started.json(), again.json()
    if again.status_code == 200:  # one run at a time: the one going
        assert second["run_id"] == run["run_id"]
    run, second = until_ended(admin, run), until_ended(admin, second)
    assert run["status"] == "intact" and run["checked"] == run["head_seq"] > 0, run
    assert run["message"].startswith("链完整") and run["finished_at"]
    latest = login("inspector").get("/inspector-log/verifications/latest").json()
    assert latest["run_id"] == second["run_id"]
    for outsider in (handler, login("admin"), login("market.inspector")):
        assert outsider.post("/inspector-log/verifications").status_code == 403
        assert outsider.get("/inspector-log/verifications/latest").status_code == 403


def until_ended(client, run: dict) -> dict:
    deadline = time.monotonic() + 60
    while run["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"/inspector-log/verifications/{run['run_id']}").json()
    return run
