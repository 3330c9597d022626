"""DynamoDB calls made by each state-machine callback (and each staff action) of a happy-path joint
case (并联审批): the seeded joint item 420700-XK-0404, led by housing with three co-departments.
Counted like bench/dynamodb_calls.py: the real handlers in-process on the synthesized stack in an
in-process moto, one call at a time, the callbacks invoked the way joint_approval.asl.json invokes them.

    .venv/bin/python -m bench.joint_calls
"""

from __future__ import annotations

import json
import os
import warnings

from bench.dynamodb_calls import REGION, ROOT, CallCounter, _Context

JOINT_ITEM = "420700-XK-0404"


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

        from flow_step import handler as flow_step
        from sunlight.bootstrap import container
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
            result = flow_step.handler(event, _Context())
            rows.append((label, *counter.take()))
            return result

        def staff_action(label: str, case_id: str, role: str, department: str, action: dict) -> None:
            staff = sample("api/staff_accept.json")
            claims = staff["requestContext"]["authorizer"]["claims"]
            claims["cognito:groups"] = role
            claims["custom:department"] = department
            api(label, staff | {"path": f"/cases/{case_id}/actions", "pathParameters": {"caseId": case_id},
                                "body": json.dumps(action, ensure_ascii=False)})

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

    width = max(len(r[0]) for r in rows) + 2
    print(f"{'operation':<{width}}{'calls':>6}{'items read':>12}  calls by API")
    for label, calls, items, summary in rows:
        print(f"{label:<{width}}{calls:>6}{items:>12}  {summary}")
    flow_rows = [r for r in rows if r[0].startswith("flow_step")]
    print(f"flow_step callbacks: {len(flow_rows)}, DynamoDB calls {sum(r[1] for r in flow_rows)}")


if __name__ == "__main__":
    main()
