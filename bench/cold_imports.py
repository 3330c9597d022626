"""Cold import time of every Lambda handler module under functions/, each against the same baseline:
`import boto3; boto3.client("dynamodb", region_name="us-east-1")`, the least a function that calls
AWS pays on its first request. Each figure is the median over 7 fresh interpreters (.pyc present);
the goal (issue 11) is every handler within 1.5x the baseline. Also the time of the handler's first
bootstrap after the import (the composition root and the first client it makes, which is when
boto3 is loaded: lazily, on first use), and import + bootstrap against the baseline.

    .venv/bin/python -m bench.cold_imports
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
RUNS = 7
GOAL = 1.5
ENV = {
    "PYTHONPATH": f"{FUNCTIONS}:{ROOT / 'layers' / 'sunlight' / 'python'}",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_SERVICE_NAME": "sunlight",
    "CASES_TABLE_NAME": "cases",
    "CATALOG_TABLE_NAME": "catalog",
    "SUPERVISION_TABLE_NAME": "supervision",
}
BASELINE = 'import boto3; boto3.client("dynamodb", region_name="us-east-1")'
# What a function's first request builds beyond its imports; most start with the DynamoDB client.
FIRST_BOOTSTRAP = "from sunlight.bootstrap import container; container().dynamodb"
FIRST_BOOTSTRAPS = {
    # Cognito waits at most 5 s for a trigger: the sign-up trigger's cold start is part of ConfirmSignUp.
    "citizen_signup": "from sunlight.bootstrap import container; container().citizen_enrolment('pool')",
    "operational_metrics": "from sunlight.bootstrap import container; container()",  # writes EMF to its log only
}

PROBE = """
import time, json
t0 = time.perf_counter()
{statement}
t1 = time.perf_counter()
{after}
t2 = time.perf_counter()
print(json.dumps([(t1 - t0) * 1000, (t2 - t1) * 1000]))
"""


def measure(statement: str, after: str = "pass") -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(statement=statement, after=after)],
            env=ENV, capture_output=True, text=True, check=True,
        ).stdout
        samples.append(json.loads(out))
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def handler_packages() -> list[str]:
    return sorted(path.parent.name for path in FUNCTIONS.glob("*/handler.py"))


def main() -> int:
    measure("pass")  # warm the .pyc caches
    for package in handler_packages():
        measure(f"import {package}.handler")
    baseline, _ = measure(BASELINE)
    print(f"median of {RUNS} fresh interpreters; baseline = {BASELINE}")
    print(f"{'module':<30}{'import ms':>10}{'x baseline':>12}{'+ 1st bootstrap ms':>20}{'total x':>9}")
    print(f"{'baseline':<30}{baseline:>10.0f}{1:>12.2f}")
    over = []
    for package in handler_packages():
        imported, bootstrapped = measure(f"import {package}.handler", FIRST_BOOTSTRAPS.get(package, FIRST_BOOTSTRAP))
        ratio = imported / baseline
        if ratio > GOAL:
            over.append(package)
        print(f"{package + '.handler':<30}{imported:>10.0f}{ratio:>12.2f}{bootstrapped:>20.0f}{(imported + bootstrapped) / baseline:>9.2f}")
    print(f"goal: every handler's import within {GOAL}x the baseline: " + ("met" if not over else f"NOT met by {', '.join(over)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
