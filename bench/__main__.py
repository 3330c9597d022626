"""`make bench`: every benchmark, each in a fresh interpreter (they use different moto modes)."""

import subprocess
import sys

BENCHMARKS = (
    ("Cold imports", "bench.cold_imports"),
    ("DynamoDB calls per operation", "bench.dynamodb_calls"),
    ("DynamoDB calls per transition of the penalty flows", "bench.penalty_calls"),
    ("DynamoDB calls per transition of a joint case", "bench.joint_calls"),
    ("State transitions per flow pattern", "bench.flow_transitions"),
    ("Local system", "bench.local_system"),
    ("Deadline check against open cases", "bench.deadline_sweep"),
    ("Monthly evaluation close against 100,000 cases' facts", "bench.scoring_run"),
    ("Inspector log verification: records per second", "bench.log_verify"),
    ("Exchange with the higher-level platform: throughput, lag after a burst, calls and cost per message", "bench.exchange"),
)

for title, module in BENCHMARKS:
    print(f"\n== {title} ==", flush=True)
    subprocess.run([sys.executable, "-m", module], check=True)
