"""DynamoDB calls (and items read) made by each API operation and each state-machine callback;
CloudWatch calls too (the inspectors' overview reads its figures with GetMetricData).

The real handlers run in-process against the synthesized stack provisioned into an in-process
moto, driven one call at a time so every call is attributed exactly; the state machine's
callbacks are invoked the way the ASL invokes them.

    .venv/bin/python -m bench.dynamodb_calls
"""

from __future__ import annotations

import json

from bench.in_process import in_process_system


def main() -> None:
    with in_process_system() as bench:
        from sunlight.bootstrap import container

        sample, api, callback, counter = bench.sample, bench.api, bench.callback, bench.counter

        # Warm the containers so that lazily created clients are not counted as requests.
        api("GET /catalog (first call of a container)", sample("api/list_catalog.json"))
        api("GET /catalog", sample("api/list_catalog.json"))
        item = container().catalog_service.get_item("420700-XK-0201")
        counter.take()
        api("GET /catalog/{itemCode}", sample("api/list_catalog.json") | {
            "resource": "/catalog/{itemCode}", "path": f"/catalog/{item.item_code}",
            "pathParameters": {"itemCode": item.item_code}, "queryStringParameters": None, "multiValueQueryStringParameters": None})
        application = sample("api/apply.json")
        body = json.loads(application["body"]) | {"form": {f.field_id: "测试" for f in item.form_fields}}
        receipt = api("POST /applications", application | {"body": json.dumps(body, ensure_ascii=False)})
        case_id = receipt["case_id"]
        api("POST /applications (retry, same key)", application | {"body": json.dumps(body, ensure_ascii=False)})
        api("POST /track", sample("api/track.json") | {"body": json.dumps({"case_id": case_id, "query_code": receipt["query_code"]})})
        citizen = application["requestContext"]
        api("GET /my/cases", sample("api/worklist.json") | {"resource": "/my/cases", "path": "/my/cases", "requestContext": citizen})

        steps = [("accept", "accept", "window"), ("handle", "submit", "handler"), ("review", "pass", "reviewer"),
                 ("approve", "approve", "leader"), ("complete", "complete", "window")]
        for step, decision, role in steps:
            callback(f"flow_step enter_step({step})", sample("flow/enter_step.json") | {"caseId": case_id, "step": step, "taskToken": f"t-{step}"})
            staff = sample("api/staff_accept.json")
            staff["requestContext"]["authorizer"]["claims"]["cognito:groups"] = role
            if step == "accept":
                api("GET /worklist", sample("api/worklist.json"))
                api("GET /cases/{caseId}", staff | {"resource": "/cases/{caseId}", "path": f"/cases/{case_id}", "httpMethod": "GET", "body": None,
                                                   "pathParameters": {"caseId": case_id}})
            action = {"action": decision, "opinion": "同意办理"}
            api(f"POST /cases/{{caseId}}/actions ({decision})", staff | {"path": f"/cases/{case_id}/actions", "pathParameters": {"caseId": case_id},
                                                                        "body": json.dumps(action, ensure_ascii=False)})
        callback("flow_step finalize(completed)", sample("flow/finalize.json") | {"caseId": case_id})

        # 行政检查: a 双随机 plan (3 of 8 subjects) opens three cases; one runs inspect → 合格 → 公示.
        subjects = [{"name": f"鄂州市第{n + 1}食品经营部", "id_number": f"91420700MA4K0000{n:02d}", "address": "鄂州市鄂城区古楼街",
                     "phone": "13800138000"} for n in range(8)]
        officers = [{"name": name, "certificate_number": f"42070{n}01"} for n, name in enumerate(["张执法", "李执法", "王执法", "赵执法"])]
        plan_body = {"item_code": "420700-JC-0201", "name": "食品经营者双随机抽查", "subjects": subjects, "draw_count": 3, "officers": officers}
        plan = api("POST /inspection-plans (3 of 8 drawn)", bench.staff_event("leader", "market", "POST", "/inspection-plans", "/inspection-plans", plan_body))
        inspection_id = plan["cases"][0]["case_id"]
        inspection_steps = [("inspect", {"action": "inspected", "officers": officers[:2], "opinion": "现场检查未发现问题。"}, "handler"),
                            ("inspect_result", {"action": "qualified"}, "leader"), ("publicize", {"action": "publish"}, "window")]
        for step, action, role in inspection_steps:
            callback(f"flow_step enter_step({step})", sample("flow/enter_step.json") | {"caseId": inspection_id, "step": step, "taskToken": f"i-{step}"})
            bench.act(inspection_id, role, "market", action)
        callback("flow_step finalize(completed), inspection: 公示", sample("flow/finalize.json") | {"caseId": inspection_id})
        api("GET /public/inspection-results", sample("api/list_catalog.json") | {
            "resource": "/public/inspection-results", "path": "/public/inspection-results", "queryStringParameters": None,
            "multiValueQueryStringParameters": None})

        # The inspectors' overview: departments from the catalog, every figure in one GetMetricData.
        def overview(label: str, claims: dict) -> None:
            event = sample("api/worklist.json") | {"resource": "/monitoring/overview", "path": "/monitoring/overview"}
            event["requestContext"] = {**event["requestContext"], "resourcePath": "/monitoring/overview",
                                       "authorizer": {"claims": claims}}
            api(label, event)

        departments = len(container().catalog_service.list_departments())
        counter.take()
        overview(f"GET /monitoring/overview (city, {departments} departments)",
                 {"sub": "bench-inspector", "cognito:username": "inspector", "cognito:groups": "inspector"})
        overview("GET /monitoring/overview (one department)",
                 {"sub": "bench-leader", "cognito:username": "market.leader", "cognito:groups": "leader", "custom:department": "market"})

    bench.print_rows()


if __name__ == "__main__":
    main()
