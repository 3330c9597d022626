"""DynamoDB calls per transition of the penalty flows (行政处罚): every state-machine callback of a
hearing case (enter_step, route, finalize) and every person's action that moves it (staff actions,
the party's claim and hearing request), and the simple procedure. Set up like bench/dynamodb_calls.py:
the real handlers in-process against the synthesized stack on an in-process moto.

    .venv/bin/python -m bench.penalty_calls
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import date, datetime, time, timedelta

from bench.dynamodb_calls import REGION, ROOT, CallCounter, _Context

PARTY = {"name": "王建国", "id_number": "11010519491231002X", "phone": "13971100001"}
OFFICERS = [{"name": "周敏", "certificate_number": "42070020260011"}, {"name": "吴刚", "certificate_number": "42070020260012"}]


def main() -> None:
    warnings.filterwarnings("ignore", "No application metrics to publish")
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION,
                       "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true",
                       "POWERTOOLS_LOG_LEVEL": "ERROR"}.items():
        os.environ[key] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)

    import boto3
    from moto import mock_aws

    from infra.local.engine.events import install_rule_delivery
    from infra.local.engine.lambda_dispatch import merged_environment
    from infra.local.engine.provision import provision_stacks
    from infra.local.engine.template import load_stacks
    from infra.seed import seed_all

    class _Undelivered:
        def deliver(self, target_arn: str, payload: str, source: str) -> None: ...

    install_rule_delivery(_Undelivered())
    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION), endpoint_url=None, region=REGION)
        seed_all(stack.outputs, boto3.Session(region_name=REGION))
        functions = [s for s in stack.functions.values() if s.handler.split(".")[0] == "flow_step" or s.handler.startswith("api_")]
        os.environ.update(merged_environment(functions))

        counter = CallCounter()
        boto3.DEFAULT_SESSION = None
        session = boto3._get_default_session()
        session.events.register("before-call.dynamodb", counter.before)
        session.events.register("after-call.dynamodb", counter.after)

        from flow_step import handler as flow_step
        from tests.integration.api_gateway import ApiGateway

        events = ROOT / "events"
        sample = lambda name: json.loads((events / name).read_text())  # noqa: E731
        rows: list[tuple[str, int, int, str]] = []

        def api(label: str, event: dict) -> dict:
            response = ApiGateway.handler(event, _Context())
            rows.append((label, *counter.take()))
            assert response["statusCode"] < 300, response
            return json.loads(response["body"])

        def callback(label: str, event: dict) -> dict:
            answer = flow_step.handler(event, _Context())
            rows.append((label, *counter.take()))
            return answer

        def staff_event(role: str, department: str, method: str, resource: str, path: str, body: dict | None, **path_parameters) -> dict:
            event = sample("api/staff_accept.json")
            claims = event["requestContext"]["authorizer"]["claims"]
            claims.update({"cognito:groups": role, "custom:department": department, "cognito:username": f"{department}.{role}"})
            event["requestContext"] = {**event["requestContext"], "resourcePath": resource, "httpMethod": method}
            return event | {"resource": resource, "path": path, "httpMethod": method, "pathParameters": path_parameters or None,
                            "body": json.dumps(body, ensure_ascii=False) if body is not None else None}

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

        def act(case_id: str, role: str, department: str, body: dict) -> None:
            api(f"POST /cases/{{caseId}}/actions ({body['action']})", staff_event(
                role, department, "POST", "/cases/{caseId}/actions", f"/cases/{case_id}/actions", body, caseId=case_id))

        def enter(case_id: str, step: str) -> None:
            callback(f"flow_step enter_step({step})", sample("flow/enter_step.json") | {"caseId": case_id, "step": step, "taskToken": f"t-{case_id}-{step}"})

        # Warm the containers so that lazily created clients are not counted as requests.
        api("GET /catalog (warm-up)", sample("api/list_catalog.json"))
        rows.clear()

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

    width = max(len(r[0]) for r in rows) + 2
    print(f"{'operation':<{width}}{'calls':>6}{'items read':>12}  calls by API")
    for label, calls, items, summary in rows:
        print(f"{label:<{width}}{calls:>6}{items:>12}  {summary}")


if __name__ == "__main__":
    main()
