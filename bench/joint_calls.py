"""DynamoDB calls made by each state-machine callback (and each staff action) of a happy-path joint
case (并联审批): the seeded joint item 420700-XK-0404, led by housing with three co-departments.
Counted like bench/dynamodb_calls.py: the real handlers in-process on the synthesized stack in an
in-process moto, one call at a time, the callbacks invoked the way joint_approval.asl.json invokes them.

    .venv/bin/python -m bench.joint_calls
"""

from __future__ import annotations

import json

from bench.in_process import in_process_system

JOINT_ITEM = "420700-XK-0404"


def main() -> None:
    with in_process_system() as bench:
        from sunlight.bootstrap import container

        sample, api, callback, counter = bench.sample, bench.api, bench.callback, bench.counter

        def staff_action(label: str, case_id: str, role: str, department: str, action: dict) -> None:
            api(label, bench.staff_event(role, department, "POST", "/cases/{caseId}/actions", f"/cases/{case_id}/actions",
                                         action, caseId=case_id))

        api("GET /catalog (warm)", sample("api/list_catalog.json"))
        item = container().catalog_service.get_item(JOINT_ITEM)
        counter.take()
        application = sample("api/apply.json")
        body = json.loads(application["body"]) | {"item_code": JOINT_ITEM, "form": {f.field_id: "测试" for f in item.form_fields}}
        body.pop("upload_ids", None)
        case_id = api("POST /applications (joint)", application | {"body": json.dumps(body, ensure_ascii=False)})["case_id"]

        flow = sample("flow/enter_step.json")
        callback("flow_step enter_step(accept)", flow | {"caseId": case_id, "step": "accept", "taskToken": "t-accept"})
        staff_action("POST /cases/{caseId}/actions (accept)", case_id, "window", "housing", {"action": "accept"})
        parts = callback("flow_step forward", {"kind": "forward", "caseId": case_id})["parts"]
        for part in parts:
            callback("flow_step enter_step(opinion) creates the part", flow | {"caseId": part["caseId"], "step": "opinion",
                                                                               "taskToken": f"t-{part['caseId']}", "part": part["part"]})
        for part in parts:
            staff_action("POST /cases/{caseId}/actions (agree, a part)", part["caseId"], "handler", part["part"]["departmentId"],
                         {"action": "agree", "opinion": "同意"})
            callback("flow_step close_part", {"kind": "close_part", "caseId": part["caseId"]})
        callback(f"flow_step gather ({len(parts)} parts)", {"kind": "gather", "caseId": case_id})
        for step, decision, role in [("handle", "submit", "handler"), ("review", "pass", "reviewer"),
                                     ("approve", "approve", "leader"), ("complete", "complete", "window")]:
            callback(f"flow_step enter_step({step})", flow | {"caseId": case_id, "step": step, "taskToken": f"t-{step}"})
            staff_action(f"POST /cases/{{caseId}}/actions ({decision})", case_id, role, "housing", {"action": decision, "opinion": "同意"})
        callback("flow_step finalize(completed)", sample("flow/finalize.json") | {"caseId": case_id})

    bench.print_rows()
    flow_rows = [r for r in bench.rows if r[0].startswith("flow_step")]
    print(f"flow_step callbacks: {len(flow_rows)}, DynamoDB calls {sum(r[1] for r in flow_rows)}")


if __name__ == "__main__":
    main()
