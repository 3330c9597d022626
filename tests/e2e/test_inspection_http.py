"""行政检查 over HTTP through the local system: a leader's 双随机 plan opens its cases; one is
inspected by two officers and referred (移送立案), which opens a registered penalty case linked both
ways; its result is published (公示) for everyone."""

from __future__ import annotations

import time
import uuid

from tests.e2e.conftest import Client, new_key, wait_for_status

INSPECTION_ITEM = "420700-JC-0201"
OFFICERS = [{"name": name, "certificate_number": f"E2E{n:04d}"} for n, name in enumerate(["张执法", "李执法", "王执法"])]


def subjects(tag: str) -> list[dict]:
    # Codes unique per run: a credit code is the subject's identity on the public list.
    stem = uuid.uuid4().hex[:4].upper().replace("I", "1").replace("O", "0")
    return [{"name": f"{tag}第{n + 1}食品店", "id_number": f"9142070{n}MA4K{stem}00", "address": f"鄂州市测试路{n + 1}号",
             "phone": "13800138000"} for n in range(5)]


def plan_body(tag: str) -> dict:
    return {"item_code": INSPECTION_ITEM, "name": f"{tag}双随机抽查", "subjects": subjects(tag), "draw_count": 2, "officers": OFFICERS}


def test_only_a_leader_plans_and_a_plan_sent_twice_is_created_once(login):
    body, key = plan_body("幂等"), new_key()
    assert login("market.handler").post("/inspection-plans", body, key=key).status_code == 403
    leader = login("market.leader")
    first = leader.post("/inspection-plans", body, key=key)
    second = leader.post("/inspection-plans", body, key=key)
    assert (first.status_code, second.status_code) == (201, 201), first.text
    assert first.json()["plan_id"] == second.json()["plan_id"] and first.json()["cases"] == second.json()["cases"]
    assert [p["plan_id"] for p in leader.get("/inspection-plans", params={"limit": 100}).json()["items"]].count(first.json()["plan_id"]) == 1
    too_many = leader.post("/inspection-plans", plan_body("过多") | {"draw_count": 9}, key=new_key())
    assert too_many.status_code == 422 and "抽取数量" in too_many.json()["message"]


def test_a_plan_s_case_is_inspected_referred_to_a_penalty_case_and_published(login, public: Client):
    leader, handler, window = (login(f"market.{r}") for r in ("leader", "handler", "window"))
    created = leader.post("/inspection-plans", plan_body("移送"), key=new_key())
    assert created.status_code == 201, created.text
    plan = created.json()
    assert len(plan["cases"]) == 2 and plan["draw_check"]["reproducible"]
    assert all(len({o["certificate_number"] for o in c["officers"]}) == 2 for c in plan["cases"])
    drawn = plan["cases"][0]
    case_id = drawn["case_id"]

    view = wait_for_status(handler, case_id, "inspect")
    assert view["applicant"]["name"] == drawn["subject"]["name"] and view["timeline"][0]["action"] == "draw"
    inspected = handler.post(f"/cases/{case_id}/actions", {"action": "inspected", "officers": drawn["officers"],
                                                             "opinion": "现场发现销售超过保质期的食品。"}, key=new_key())
    assert inspected.status_code == 200, inspected.text
    wait_for_status(leader, case_id, "inspect_result")
    referred = leader.post(f"/cases/{case_id}/actions", {"action": "refer", "opinion": "涉嫌违反食品安全法第三十四条，移送立案查处。"},
                           key=new_key())
    assert referred.status_code == 200, referred.text

    view = wait_for_status(window, case_id, "publicize")
    refer_event = next(e for e in view["timeline"] if e["action"] == "refer")
    assert [o["certificate_number"] for o in next(e for e in view["timeline"] if e["action"] == "inspected")["details"]["officers"]] == \
        [o["certificate_number"] for o in drawn["officers"]]
    enforcement_id = refer_event["details"]["enforcement_case_id"]
    penalty = leader.get(f"/cases/{enforcement_id}").json()
    assert penalty["item_code"] == "420700-CF-0206" and penalty["applicant"]["name"] == drawn["subject"]["name"]
    assert penalty["timeline"][0]["action"] == "referral" and penalty["timeline"][0]["details"]["inspection_case_id"] == case_id
    # Registered (立案): its item's flow runs, whichever that item names (承诺件 or the penalty flow).
    deadline = time.monotonic() + 15
    while penalty["status"] == "submitted" and time.monotonic() < deadline:
        time.sleep(0.1)
        penalty = leader.get(f"/cases/{enforcement_id}").json()
    assert penalty["status"] in ("accept", "investigate")

    assert window.post(f"/cases/{case_id}/actions", {"action": "publish"}, key=new_key()).status_code == 200
    wait_for_status(window, case_id, "completed")
    # The flow's last step marks the case completed, then writes its 公示 record: the record follows within the step.
    deadline = time.monotonic() + 15
    while True:
        results = public.get("/public/inspection-results", params={"limit": 100}).json()["items"]
        matching = [r for r in results if r["case_id"] == case_id]
        if matching or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    (published,) = matching
    assert published["result"] == "referred" and published["subject_name"] == drawn["subject"]["name"]
    assert published["credit_code"] == drawn["subject"]["id_number"] and "officers" not in published
