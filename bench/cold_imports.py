"""Cold import time of each Lambda handler module, next to a bare `import boto3`, in fresh
interpreters (median of several runs, .pyc present). Also the time of the handler's first
bootstrap, which is when boto3 and the clients are loaded (lazily, on first use).

    .venv/bin/python -m bench.cold_imports
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from infra.constants import API_HANDLER, CITIZEN_SIGNUP_HANDLER, FLOW_STEP_HANDLER

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
ENV = {
    "PYTHONPATH": f"{ROOT / 'functions'}:{ROOT / 'layers' / 'sunlight' / 'python'}",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "sunlight",
    "CASES_TABLE_NAME": "cases",
    "CATALOG_TABLE_NAME": "catalog",
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


def main() -> None:
    measure("pass")  # warm the .pyc caches
    baseline, _ = measure("import boto3")
    print(f"{'module':<28}{'import ms':>12}{'+ bootstrap ms':>17}")
    print(f"{'boto3 (bare)':<28}{baseline:>12.0f}{'':>17}")
    for handler in (API_HANDLER, FLOW_STEP_HANDLER):
        module = handler.rsplit(".", 1)[0]
        imported, bootstrapped = measure(
            f"import {module}",
            "from sunlight.bootstrap import container; c = container(); c.cases; c.catalog; c.workflow",
        )
        print(f"{module:<28}{imported:>12.0f}{bootstrapped:>17.0f}")
    # Cognito waits at most 5 s for a trigger: the sign-up trigger's cold start is part of ConfirmSignUp.
    module = CITIZEN_SIGNUP_HANDLER.rsplit(".", 1)[0]
    imported, bootstrapped = measure(f"import {module}", "from sunlight.bootstrap import container; container().citizen_enrolment('pool')")
    print(f"{module:<28}{imported:>12.0f}{bootstrapped:>17.0f}")


if __name__ == "__main__":
    main()
