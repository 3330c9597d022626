"""DynamoDB calls per transition of the penalty flows (行政处罚): every state-machine callback of a
hearing case (enter_step, route, finalize) and every person's action that moves it (staff actions,
the party's claim and hearing request), and the simple procedure. Set up like bench/dynamodb_calls.py:
the real handlers in-process against the synthesized stack on an in-process moto.

    .venv/bin/python -m bench.penalty_calls
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from bench.in_process import in_process_system

PARTY = {"name": "王建国", "id_number": "11010519491231002X", "phone": "13971100001"}
OFFICERS = [{"name": "周敏", "certificate_number": "42070020260011"}, {"name": "吴刚", "certificate_number": "42070020260012"}]


def main() -> None:
    with in_process_system() as bench:
        sample, api, callback, staff_event = bench.sample, bench.api, bench.callback, bench.staff_event

        citizen = sample("api/apply.json")["requestContext"]

        def citizen_event(resource: str, path: str, body: dict, **path_parameters) -> dict:
            event = sample("api/apply.json")
            event["requestContext"] = {**citizen, "resourcePath": resource, "httpMethod": "POST"}
            return event | {"resource": resource, "path": path, "pathParameters": path_parameters or None,
                            "body": json.dumps(body, ensure_ascii=False)}

        def register(item_code: str, department: str, fields: tuple[str, ...]) -> dict:
            return api(f"POST /window/applications (立案 {item_code})", staff_event(
                "window", department, "POST", "/window/applications", "/window/applications",
                {"item_code": item_code, "applicant": PARTY, "form": dict.fromkeys(fields, "测试")}))

        act = bench.act

        def enter(case_id: str, step: str) -> None:
            callback(f"flow_step enter_step({step})", sample("flow/enter_step.json") | {"caseId": case_id, "step": step, "taskToken": f"t-{case_id}-{step}"})

        # Warm the containers so that lazily created clients are not counted as requests.
        api("GET /catalog (warm-up)", sample("api/list_catalog.json"))
        bench.rows.clear()

        receipt = register("420700-CF-0206", "market", ("party_name", "credit_code", "address", "violation"))
        case_id = receipt["case_id"]
        enter(case_id, "investigate")
        act(case_id, "handler", "market", {"action": "submit", "opinion": "调查终结", "officers": OFFICERS})
        enter(case_id, "notify")
        act(case_id, "handler", "market", {"action": "notify", "opinion": "拟罚款8000元", "intended_penalty_yuan": "8000",
                                           "collective_required": True})
        enter(case_id, "statement")
        api("POST /party/claims", citizen_event("/party/claims", "/party/claims",
                                               {"case_id": case_id, "query_code": receipt["query_code"], "id_number": PARTY["id_number"]}))
        api("POST /my/cases/{caseId}/statement (request_hearing)", citizen_event(
            "/my/cases/{caseId}/statement", f"/my/cases/{case_id}/statement", {"action": "request_hearing"}, caseId=case_id))
        enter(case_id, "hearing_notice")
        hearing_at = datetime.combine(date.today() + timedelta(days=30), time(9, 30)).isoformat() + "+08:00"
        act(case_id, "handler", "market", {"action": "schedule_hearing", "hearing_at": hearing_at, "hearing_place": "第一听证室"})
        enter(case_id, "hearing")
        act(case_id, "handler", "market", {"action": "heard", "opinion": "听证完毕"})
        route = callback("flow_step route", {"kind": "route", "caseId": case_id})
        assert route["legalReview"] and route["collective"], route
        for step, role, body in [
            ("legal_review", "reviewer", {"action": "pass", "opinion": "同意"}),
            ("collective", "leader", {"action": "discussed", "opinion": "集体讨论同意"}),
            ("decide", "leader", {"action": "penalize", "opinion": "罚款8000元", "penalty_yuan": "8000"}),
            ("deliver", "window", {"action": "delivered"}),
            ("execute", "window", {"action": "paid"}),
            ("complete", "window", {"action": "complete", "opinion": "结案"}),
        ]:
            enter(case_id, step)
            act(case_id, role, "market", body)
        callback("flow_step finalize(completed)", sample("flow/finalize.json") | {"caseId": case_id})

        simple = register("420700-CF-1102", "police", ("place", "violation"))["case_id"]
        for step, body in [("on_spot", {"action": "penalize", "opinion": "当场罚款50元", "penalty_yuan": "50"}),
                           ("execute", {"action": "paid"}), ("complete", {"action": "complete", "opinion": "结案"})]:
            enter(simple, step)
            act(simple, "handler" if step == "on_spot" else "window", "police", body)
        callback("flow_step finalize(completed)", sample("flow/finalize.json") | {"caseId": simple})

    bench.print_rows()


if __name__ == "__main__":
    main()
