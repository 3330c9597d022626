"""DynamoDB calls (and items read) made by each API operation and each state-machine callback;
CloudWatch calls too (the inspectors' overview reads its figures with GetMetricData).

The real handlers run in-process against the synthesized stack provisioned into an in-process
moto, driven one call at a time so every call is attributed exactly; the state machine's
callbacks are invoked the way the ASL invokes them.

    .venv/bin/python -m bench.dynamodb_calls
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions"))  # as Lambda puts the function code on the path
REGION = "us-east-1"


class CallCounter:
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0

    def before(self, model, **_: object) -> None:
        self.calls[model.name] += 1

    def after(self, parsed, model, **_: object) -> None:
        if isinstance(parsed, dict):
            self.items += parsed.get("Count", 0) + (1 if parsed.get("Item") else 0)

    def take(self) -> tuple[int, int, str]:
        summary = ", ".join(f"{name} {n}" for name, n in sorted(self.calls.items()))
        result = (sum(self.calls.values()), self.items, summary)
        self.calls.clear()
        self.items = 0
        return result


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
        """The bus's Lambda targets (the anomaly check) are not run: this counts the API and flow only."""

        def deliver(self, target_arn: str, payload: str, source: str) -> None: ...

    install_rule_delivery(_Undelivered())  # moto cannot deliver to Lambda targets in-process
    with mock_aws():
        stack = provision_stacks(load_stacks(ROOT / "cdk.out"), boto3.Session(region_name=REGION),
                                 endpoint_url=None, region=REGION)
        seed_all(stack.outputs, boto3.Session(region_name=REGION))
        functions = [s for s in stack.functions.values() if s.handler.split(".")[0] == "flow_step" or s.handler.startswith("api_")]
        os.environ.update(merged_environment(functions))

        counter = CallCounter()
        boto3.DEFAULT_SESSION = None
        session = boto3._get_default_session()
        session.events.register("before-call.dynamodb", counter.before)
        session.events.register("after-call.dynamodb", counter.after)
        session.events.register("before-call.cloudwatch", counter.before)

        from flow_step import handler as flow_step
        from sunlight.bootstrap import container
        from tests.integration.api_gateway import ApiGateway

        events = ROOT / "events"
        sample = lambda name: json.loads((events / name).read_text())  # noqa: E731  (a one-line helper local to this run)
        rows: list[tuple[str, int, int, str]] = []

        def api(label: str, event: dict) -> dict:
            response = ApiGateway.handler(event, _Context())
            rows.append((label, *counter.take()))
            assert response["statusCode"] < 300, response
            return json.loads(response["body"])

        def callback(label: str, event: dict) -> None:
            flow_step.handler(event, _Context())
            rows.append((label, *counter.take()))

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
        def staff_call(role: str, method: str, path: str, resource: str, body: dict | None, **parameters: str) -> dict:
            event = sample("api/staff_accept.json")
            event["requestContext"]["authorizer"]["claims"]["cognito:groups"] = role
            event["requestContext"]["resourcePath"] = resource
            return event | {"resource": resource, "path": path, "httpMethod": method, "pathParameters": parameters or None,
                            "body": json.dumps(body, ensure_ascii=False) if body is not None else None}

        subjects = [{"name": f"鄂州市第{n + 1}食品经营部", "id_number": f"91420700MA4K0000{n:02d}", "address": "鄂州市鄂城区古楼街",
                     "phone": "13800138000"} for n in range(8)]
        officers = [{"name": name, "certificate_number": f"42070{n}01"} for n, name in enumerate(["张执法", "李执法", "王执法", "赵执法"])]
        plan_body = {"item_code": "420700-JC-0201", "name": "食品经营者双随机抽查", "subjects": subjects, "draw_count": 3, "officers": officers}
        plan = api("POST /inspection-plans (3 of 8 drawn)", staff_call("leader", "POST", "/inspection-plans", "/inspection-plans", plan_body))
        inspection_id = plan["cases"][0]["case_id"]
        inspection_steps = [("inspect", {"action": "inspected", "officers": officers[:2], "opinion": "现场检查未发现问题。"}, "handler"),
                            ("inspect_result", {"action": "qualified"}, "leader"), ("publicize", {"action": "publish"}, "window")]
        for step, action, role in inspection_steps:
            callback(f"flow_step enter_step({step})", sample("flow/enter_step.json") | {"caseId": inspection_id, "step": step, "taskToken": f"i-{step}"})
            api(f"POST /cases/{{caseId}}/actions ({action['action']})",
                staff_call(role, "POST", f"/cases/{inspection_id}/actions", "/cases/{caseId}/actions", action, caseId=inspection_id))
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

    width = max(len(r[0]) for r in rows) + 2
    print(f"{'operation':<{width}}{'calls':>6}{'items read':>12}  calls by API")
    for label, calls, items, summary in rows:
        print(f"{label:<{width}}{calls:>6}{items:>12}  {summary}")


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


if __name__ == "__main__":
    main()
