"""Per flow pattern: the Step Functions state transitions of a happy-path case (what Standard
workflows bill, $0.025 per 1,000) and how many of them call the flow-step function.

Each pattern's happy path runs on the local system (its real state machine on moto, the real
flow-step function); a person's decision is recorded on the case and handed back as the API does.
Transitions are the execution history's *StateEntered events; calls are its task states that
invoke a Lambda function. The DynamoDB calls of each callback and each action are measured
exactly, one at a time, by bench.dynamodb_calls, bench.joint_calls and bench.penalty_calls (the
local system runs its functions in worker processes, where this process cannot count them).

    .venv/bin/python -m bench.flow_transitions
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# pattern → (step limits, the happy path as (step, decision, role, details) in order, end status)
HAPPY_PATHS: dict[str, tuple[dict[str, int], list[tuple[str, str, str, dict[str, Any]]]]] = {
    "instant": ({"instant": 0}, [("instant", "approve", "window", {})]),
    "standard": (
        {"accept": 1, "handle": 3, "review": 2, "approve": 2, "complete": 1},
        [("accept", "accept", "window", {}), ("handle", "submit", "handler", {}), ("review", "pass", "reviewer", {}),
         ("approve", "approve", "leader", {}), ("complete", "complete", "window", {})],
    ),
    # 行政处罚 普通程序, shortest happy path: the party waives, no 法制审核 or 集体讨论 marked, a fine paid.
    "penalty": (
        {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
         "decide": 5, "deliver": 7, "execute": 15, "complete": 2},
        [("investigate", "submit", "handler", {"officers": [{"name": "周敏", "certificate_number": "42070020260011"},
                                                           {"name": "吴刚", "certificate_number": "42070020260012"}]}),
         ("notify", "notify", "handler", {"intended_penalty_yuan": "8000.00", "legal_review_required": False,
                                          "collective_required": False}),
         ("statement", "waive", "citizen", {}), ("decide", "penalize", "leader", {"penalty_yuan": "8000.00"}),
         ("deliver", "delivered", "window", {}), ("execute", "paid", "window", {}), ("complete", "complete", "window", {})],
    ),
    "penalty_simple": (
        {"on_spot": 1, "execute": 15, "complete": 1},
        [("on_spot", "penalize", "handler", {"penalty_yuan": "50.00"}), ("execute", "paid", "window", {}),
         ("complete", "complete", "window", {})],
    ),
    # 并联审批: the seeded joint item (housing leads planning, ecology, urban); "opinion" is decided
    # on each co-department's part case.
    "inspection": (
        {"inspect": 10, "inspect_result": 3, "rectification": 5, "publicize": 5},
        [("inspect", "inspected", "handler", {"officers": [{"name": "张执法", "certificate_number": "4207001"},
                                                         {"name": "李执法", "certificate_number": "4207002"}]}),
         ("inspect_result", "qualified", "leader", {}), ("publicize", "publish", "window", {})],
    ),
    "joint": (
        {"accept": 1, "opinion": 5, "handle": 3, "review": 2, "approve": 2, "complete": 1},
        [("accept", "accept", "window", {}), ("opinion", "agree", "handler", {}), ("handle", "submit", "handler", {}),
         ("review", "pass", "reviewer", {}), ("approve", "approve", "leader", {}), ("complete", "complete", "window", {})],
    ),
    # 上报件 (17 transitions, 10 calls): the seeded item 420704-XK-0251 (echeng-market reviews and reports, market decides on its
    # part case {case_id}_up); handle, review and approve are decided there.
    "reported": (
        {"accept": 1, "preliminary_review": 4, "report": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1},
        [("accept", "accept", "window", {}), ("preliminary_review", "submit", "handler", {}), ("report", "report", "leader", {}),
         ("handle", "submit", "handler", {}), ("review", "pass", "reviewer", {}), ("approve", "approve", "leader", {}),
         ("complete", "complete", "window", {})],
    ),
}
# The steps a pattern decides on the upper department's part case, not on the case itself.
ON_UPPER_PART: dict[str, frozenset[str]] = {"reported": frozenset({"handle", "review", "approve"})}
# What a pattern's case needs beyond the defaults of tests/statemachines/driving.start_case.
CASE_FIELDS: dict[str, dict[str, str]] = {
    "inspection": {"item_code": "420700-JC-0201", "item_name": "食品经营者监督检查（双随机抽查）"},
    "joint": {"item_code": "420700-XK-0404", "item_name": "建筑工程施工许可（工程建设项目并联审批）",
              "department_id": "housing", "department_name": "市住房和城乡建设局"},
    "reported": {"item_code": "420704-XK-0251", "item_name": "食品生产许可（区级受理初审、市级审批）",
                 "department_id": "echeng-market", "department_name": "鄂城区市场监督管理局"},
}


def main() -> None:
    warnings.filterwarnings("ignore", "No application metrics to publish")
    import logging

    logging.disable(logging.INFO)
    import boto3

    from infra.constants import FLOW_IDS
    from infra.local.runner import start_local_system
    from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
    from sunlight.models.reported import upper_case_id
    from tests.statemachines.driving import decide, finished, start_case

    rows = []
    with start_local_system(ROOT / "cdk.out", seed=True) as system:  # the joint flow reads its item's co-departments
        def client(service: str) -> Any:
            return boto3.client(service, endpoint_url=system.moto_url, region_name=system.session.region_name,
                                aws_access_key_id="testing", aws_secret_access_key="testing")

        aws = {
            "sfn": client("stepfunctions"),
            "cases": DynamoCaseRepository(client("dynamodb"), system.outputs["CasesTableName"]),
            "flow_arns": {p: system.outputs[f"{flow_id}Arn"] for p, flow_id in FLOW_IDS.items()},
        }
        for pattern, (limits, path) in HAPPY_PATHS.items():
            if pattern not in aws["flow_arns"]:
                continue
            case_id = start_case(aws, pattern, step_limit_days=limits, **CASE_FIELDS.get(pattern, {}))
            for step, decision, role, details in path:
                if step == "opinion":  # each co-department on its own part case
                    lead = _forwarded(aws, case_id)
                    for part_id in lead.joint_parts:
                        decide(aws, part_id, step, decision, role=role, details=details)
                    continue
                on = upper_case_id(case_id) if step in ON_UPPER_PART.get(pattern, ()) else case_id
                decide(aws, on, step, decision, role=role, details=details)
            execution = finished(aws, case_id, flow=pattern)
            history = aws["sfn"].get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
            transitions = sum(1 for e in history if e["type"].endswith("StateEntered"))
            invocations = sum(1 for e in history if e["type"] in ("TaskScheduled", "LambdaFunctionScheduled"))
            rows.append((pattern, execution["status"], len(path), transitions, invocations))

    print(f"{'pattern':<16}{'status':<11}{'human steps':>12}{'transitions':>13}{'Lambda calls':>14}{'$ per 1,000 cases':>19}")
    for pattern, status, steps, transitions, invocations in rows:
        print(f"{pattern:<16}{status:<11}{steps:>12}{transitions:>13}{invocations:>14}{transitions * 0.025:>19.3f}")


def _forwarded(aws: dict[str, Any], case_id: str, timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        case = aws["cases"].get(case_id)
        if case.joint_parts or time.monotonic() > deadline:
            return case
        time.sleep(0.05)


if __name__ == "__main__":
    main()
