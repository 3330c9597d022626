"""The outbound exchange on the local system: messages per second, the lag after a burst of facts,
DynamoDB and SQS calls per message, and the projected AWS cost per 1,000 cases.

    .venv/bin/python -m bench.exchange [--facts 2000] [--only-exchange] [--sender-concurrency 1] [--calls-sample 100]
    nice .venv/bin/python -m bench.exchange --only-exchange --sender-concurrency 4 --facts 10000

The system runs in this process (moto, the runner's SQS poller standing in for Lambda's, each
function in worker processes of its own: at most 4 per function) and the local higher-level
platform checks each message's signature and schema and acknowledges it. Facts are case
transitions, five per case (收件, three steps, 办结; seq 2–6 as the flow publishes them), put on the
bus in batches of 10 as fast as the bus takes them, step by step across the cases.

Two modes:
- the whole system (default): every CaseTransitioned also goes to the system's other consumers
  (evaluation facts, anomaly check, operational metrics, documents, the audit trail), which share
  the two cores: locally those consumers, not the exchange, set the pace.
- `--only-exchange`: the bus's other rules (and the schedules) are disabled once the system is up,
  so the burst measures the exchange's own path: bus → rule → exchange_outbox → FIFO queue →
  exchange_send → the local platform over HTTP. Nothing on the path is replaced.

`--sender-concurrency N` lets the runner's poller invoke the sender for N message groups at once
(Lambda runs one invocation per active group of a FIFO queue); 1 is what `make run` does. The sender
retries and times out as the template deploys it (a held or failed message waits 10 s, 20, 40…; the
POST times out after 10 s); `--local-timing` uses the runner's fast settings (1 s, 2, 4; 2 s), made
for fault tests, under which a message held for a late predecessor gives up waiting after ~11 s.

After the burst the bench checks what the receiver saw and reports every violation (and exits 1):
each fact's message received exactly once (none missing, none extra, none delivered twice), each
case's messages in their sequence with no gap, no rejected delivery (a bad signature or schema), and
the outbox's counters: every message counted sent once and acknowledged once.

Calls per message are counted on a separate small sample with moto's request recorder on (it slows
every request down): every DynamoDB and SQS request the outbox, the sender and the event source
mapping make, divided by the messages delivered. ReceiveMessage includes the poller's empty polls.
`--profile` adds where the CPU time went: this process (moto, the poller, the local platform) and
each function's worker processes.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
STEPS_PER_CASE = 5
FIRST_SEQ = 2  # the dispatch (收件); seq 1, the application itself, is not published
MESSAGES_PER_CASE = 6  # a standard case upward: received, 3 steps, decided, completed (cards and orders aside)

# us-east-1 list prices (2026), USD. Lambda arm64 would be ~20 % cheaper; the template deploys x86_64.
LAMBDA_GB_SECOND = 0.0000166667
LAMBDA_REQUEST = 0.20 / 1_000_000
DYNAMODB_WRU = 0.625 / 1_000_000  # on demand; an item under 1 KB, plus one per index it lands in
DYNAMODB_RRU = 0.125 / 1_000_000  # strongly consistent read of an item under 4 KB
SQS_FIFO_REQUEST = 0.50 / 1_000_000
LOGS_INGEST_GB = 0.50
LOG_BYTES_PER_INVOCATION = 1_500  # Powertools' structured lines (START/END/REPORT included)
FUNCTION_MEMORY_GB = 0.5
OUTBOX_SECONDS = 0.060  # warm invocation, measured as Lambda bills (1 ms granularity), outbox
SEND_SECONDS = 0.150  # warm sender: one HTTPS POST to the province (~100 ms round trip assumed)


def _facts(case_count: int, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    from tests.unit.exchange_facts import facts

    detail_type, sample = facts["case_received"]
    base: dict[str, Any] = sample  # type: ignore[assignment]  # one of the facts dict's values
    states = ["submitted", "accept", "handle", "review", "approve", "completed"]
    actions = ["dispatch", "accept", "submit", "pass", "complete"]
    out = []
    # Step by step across the cases, as many cases move at once and each one step at a time: the bus
    # does not order events, so two facts of one case put on it together may reach the outbox in
    # either order (the order per case is kept from the outbox on).
    for step in range(STEPS_PER_CASE):
        seq = FIRST_SEQ + step
        for n in range(case_count):
            case_id = f"{prefix}{n:06d}"
            out.append((detail_type, {**base, "case_id": case_id, "event_id": f"{case_id}-{seq}", "seq": seq,
                                      "action": actions[step], "from_state": states[step], "to_state": states[step + 1]}))
    return out


def _publish(events: Any, bus: str, batch: list[tuple[str, dict[str, Any]]]) -> None:
    entries = [{"Source": "sunlight.approval", "DetailType": t, "Detail": json.dumps(d), "EventBusName": bus} for t, d in batch]
    answer = events.put_events(Entries=entries)
    assert answer["FailedEntryCount"] == 0, answer


def _received_count(upper: str) -> int:
    return int(requests.get(f"{upper}/stats", timeout=30).json()["received"])


def _run(system: Any, upper: str, events: Any, facts: list[tuple[str, dict[str, Any]]], timeout: float) -> tuple[float, float, bool]:
    """Puts the facts on the bus and waits until the receiver holds as many messages (it was reset
    before): (wall time of the first fact, of the last one on the bus, whether all arrived in time)."""
    bus = system.outputs["EventBusName"]
    started = time.time()
    for index in range(0, len(facts), 10):
        _publish(events, bus, facts[index:index + 10])
    published = time.time()
    deadline = time.monotonic() + timeout
    while _received_count(upper) < len(facts):
        if time.monotonic() > deadline:
            return started, published, False
        time.sleep(1)
    return started, published, True


def _entries(text: str) -> list[dict[str, Any]]:
    """The recorder's entries; threads append to its file at once, so a line may hold two (or a torn one)."""
    decoder, entries, index = json.JSONDecoder(), [], 0
    while (index := text.find('{"headers"', index)) >= 0:
        try:
            entry, end = decoder.raw_decode(text, index)
        except ValueError:
            index += 1
            continue
        entries.append(entry)
        index = end
    return entries


def _calls(moto_url: str, exchange_table: str) -> Counter[str]:
    """The exchange's own requests: DynamoDB on the Exchange table (the other consumers of the same
    facts — evaluation, documents — make theirs on other tables), and SQS (only the exchange's queues)."""
    text = requests.get(f"{moto_url}/moto-api/recorder/download-recording", timeout=60).text
    calls: Counter[str] = Counter()
    for entry in _entries(text):
        target = {k.lower(): v for k, v in entry["headers"].items()}.get("x-amz-target", "")
        if target.startswith("AmazonSQS."):
            calls[f"SQS {target.split('.', 1)[1]}"] += 1
        elif target.startswith("DynamoDB_"):
            raw = entry.get("body") or "{}"
            body = json.loads(base64.b64decode(raw) if entry.get("body_encoded") else raw)
            if body.get("TableName") == exchange_table:
                calls[f"DynamoDB {target.split('.', 1)[1]}"] += 1
    return calls


def _physical(system: Any, logical_prefix: str) -> str:
    return next(v for k, v in system.provisioned.physical_ids.items() if re.fullmatch(rf"{logical_prefix}[0-9A-F]{{8}}", k))


def _only_exchange(system: Any) -> list[str]:
    """Disables every EventBridge rule but the exchange's outbox rule (the bus's other consumers, the
    archive's rule, the schedules); returns the names disabled."""
    events = system.session.client("events", endpoint_url=system.moto_url)
    disabled = []
    for bus in ("default", system.outputs["EventBusName"]):
        for rule in events.list_rules(EventBusName=bus)["Rules"]:
            if "ExchangeOutboxRule" in rule["Name"] or rule.get("State") != "ENABLED":
                continue
            events.disable_rule(Name=rule["Name"], EventBusName=bus)
            disabled.append(rule["Name"])
    return disabled


def _counters(system: Any) -> Counter[str]:
    """The outbox's counters (sent, acked, failed, failed_attempts) summed over days and types."""
    dynamodb = system.session.client("dynamodb", endpoint_url=system.moto_url)
    table = _physical(system, "ExchangeTable")
    totals: Counter[str] = Counter()
    request: dict[str, Any] = {"TableName": table, "FilterExpression": "begins_with(pk, :count)",
                               "ExpressionAttributeValues": {":count": {"S": "COUNT#"}}}
    while True:
        page = dynamodb.scan(**request)
        for item in page["Items"]:
            for name in ("sent", "acked", "failed", "failed_attempts"):
                totals[name] += int(item.get(name, {}).get("N", "0"))
        if "LastEvaluatedKey" not in page:
            return totals
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _violations(facts: list[tuple[str, dict[str, Any]]], snapshot: dict[str, Any], counted: Counter[str]) -> list[str]:
    """What the receiver saw against what the facts ask for: count, duplicates, order per case."""
    expected = {(d["case_id"], d["seq"]) for _, d in facts}
    messages = snapshot["messages"]
    seen = Counter((m["entity_id"], m["sequence"]) for m in messages)
    problems = []
    if missing := expected - set(seen):
        problems.append(f"{len(missing)} facts' messages never reached the receiver (e.g. {sorted(missing)[:3]})")
    if extra := set(seen) - expected:
        problems.append(f"{len(extra)} messages the facts did not make (e.g. {sorted(extra)[:3]})")
    if twice := [k for k, n in seen.items() if n > 1]:
        problems.append(f"{len(twice)} facts made more than one message id (e.g. {twice[:3]})")
    if resent := [m["message_id"] for m in messages if m["deliveries"] != 1]:
        problems.append(f"{len(resent)} messages delivered more than once (the receiver absorbed them as duplicates)")
    if snapshot["duplicates"]:
        problems.append(f"{snapshot['duplicates']} duplicate deliveries in all")
    if snapshot["rejected"]:
        problems.append(f"{len(snapshot['rejected'])} deliveries rejected (e.g. {snapshot['rejected'][:2]})")
    arrival: dict[str, list[int]] = defaultdict(list)
    for message in messages:  # the receiver's arrival order
        arrival[message["entity_id"]].append(message["sequence"])
    wanted = list(range(FIRST_SEQ, FIRST_SEQ + STEPS_PER_CASE))
    if disordered := {case: seqs for case, seqs in arrival.items() if seqs != wanted[:len(seqs)]}:
        example = next(iter(disordered.items()))
        problems.append(f"{len(disordered)} cases' messages arrived out of their sequence or with a gap (e.g. {example})")
    if counted["sent"] != len(facts) or counted["acked"] != len(facts):
        problems.append(f"the outbox counted {counted['sent']} sent and {counted['acked']} acknowledged for {len(facts)} messages")
    if counted["failed"] or counted["failed_attempts"]:
        problems.append(f"the outbox counted {counted['failed_attempts']} failed attempts, {counted['failed']} given up")
    return problems


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _cpu_by_process() -> dict[str, float]:
    """CPU seconds so far: this process, and each function's worker processes (its children)."""
    usage: dict[str, float] = defaultdict(float)
    usage["runner (moto, pollers, rule delivery, local platform, this bench)"] = _cpu_seconds(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            environment = dict(line.split("=", 1) for line in (entry / "environ").read_text().split("\0") if "=" in line)
            usage[f"function {environment.get('AWS_LAMBDA_FUNCTION_NAME', '?')}"] += _cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return usage


def _received_at(message: dict[str, Any]) -> float:
    return datetime.fromisoformat(message["received_at"]).timestamp()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exchange", description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=int(os.environ.get("SUNLIGHT_EXCHANGE_BENCH_FACTS", "2000")))
    parser.add_argument("--calls-sample", type=int, default=100)
    parser.add_argument("--only-exchange", action="store_true", help="disable the bus's other rules: the exchange's path alone")
    parser.add_argument("--sender-concurrency", type=int, default=1, help="sender invocations at once (message groups)")
    parser.add_argument("--local-timing", action="store_true",
                        help="the runner's fast retries (1 s, 2, 4) and 2 s HTTP timeout instead of the template's (10 s, 20… and 10 s)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the burst's last acknowledgement")
    parser.add_argument("--profile", action="store_true", help="CPU seconds per process during the burst")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "No application metrics to publish")
    import logging

    logging.disable(logging.WARNING)  # the sender logs each retry; the servers each request
    recording = Path(tempfile.mkdtemp(prefix="sunlight-bench-")) / "moto_recording"
    os.environ["MOTO_RECORDER_FILEPATH"] = str(recording)  # read when moto's recorder is created
    from infra.local.runner import start_local_system

    started = time.perf_counter()
    with start_local_system(ROOT / "cdk.out", api_port=0, web_port=0, moto_port=0, seed=False,
                            sqs_concurrency=args.sender_concurrency,
                            exchange_timing="local" if args.local_timing else "deployed") as system:
        print(f"local system started in {time.perf_counter() - started:.1f} s; higher-level platform at {system.upper_platform_url}")
        upper, moto = system.upper_platform_url, system.moto_url
        events = system.session.client("events", endpoint_url=moto)
        if args.only_exchange:
            disabled = _only_exchange(system)
            print(f"only the exchange: {len(disabled)} other rules disabled (the bus's other consumers, its archive, the schedules)")
        print(f"sender invocations at once: up to {args.sender_concurrency}; retries and HTTP timeout "
              f"{'the local runner’s (1 s, 2, 4; 2 s)' if args.local_timing else 'as deployed (10 s, 20, 40…; 10 s)'}")

        # Calls per message, on a small sample with the recorder on.
        sample = _facts(max(1, args.calls_sample // STEPS_PER_CASE), "BENCHCALLS")
        requests.post(f"{upper}/_reset", timeout=10)
        requests.post(f"{moto}/moto-api/recorder/reset-recording", timeout=10)
        requests.post(f"{moto}/moto-api/recorder/start-recording", timeout=10)
        _run(system, upper, events, sample, timeout=300)
        time.sleep(3)  # the poller deletes the last message after the acknowledgement
        requests.post(f"{moto}/moto-api/recorder/stop-recording", timeout=10)
        calls = _calls(moto, _physical(system, "ExchangeTable"))
        delivered = len(requests.get(f"{upper}/messages", timeout=30).json()["messages"])
        print(f"\ncalls per message (sample of {delivered} messages, {len(sample)} facts):")
        for name, count in sorted(calls.items()):
            print(f"  {name:<34} {count / delivered:5.2f}")
        dynamodb = sum(c for n, c in calls.items() if n.startswith("DynamoDB")) / delivered
        sqs = sum(c for n, c in calls.items() if n.startswith("SQS")) / delivered
        print(f"  {'DynamoDB, all':<34} {dynamodb:5.2f}\n  {'SQS, all (incl. empty polls)':<34} {sqs:5.2f}")
        requests.post(f"{moto}/moto-api/recorder/reset-recording", timeout=10)

        # The burst.
        requests.post(f"{upper}/_reset", timeout=10)
        counted_before = _counters(system)
        cpu_before = _cpu_by_process() if args.profile else {}
        burst = _facts(max(1, args.facts // STEPS_PER_CASE), "BENCHBURST")
        begun, published, complete = _run(system, upper, events, burst, timeout=args.timeout)
        time.sleep(3)  # the outbox's counters move after the acknowledgement
        cpu_after = _cpu_by_process() if args.profile else {}
        snapshot = requests.get(f"{upper}/messages", timeout=120).json()
        messages = snapshot["messages"]
        counted = _counters(system) - counted_before
        finished = max((_received_at(m) for m in messages), default=published)
        mode = "the exchange alone" if args.only_exchange else "the whole system"
        print(f"\nburst of {len(burst):,} facts ({len(burst) // STEPS_PER_CASE:,} cases × {STEPS_PER_CASE}), {mode}:")
        print(f"  put on the bus in {published - begun:.1f} s ({len(burst) / (published - begun):.0f} facts/s)")
        print(f"  {len(messages):,} acknowledged {finished - begun:.1f} s after the first fact: "
              f"{len(messages) / (finished - begun):.1f} messages/s end to end")
        print(f"  lag after the burst (last fact on the bus → last acknowledgement): {finished - published:.1f} s")
        if not complete:
            print(f"  gave up waiting after {args.timeout:.0f} s")
        if args.profile:
            print("  CPU seconds during the burst:")
            for name in sorted(cpu_after, key=lambda n: -(cpu_after[n] - cpu_before.get(n, 0.0))):
                print(f"    {name:<70} {cpu_after[name] - cpu_before.get(name, 0.0):8.1f}")
        problems = _violations(burst, snapshot, counted)
        print(f"  checked: {len(messages):,} received, each once and acknowledged once (outbox: {counted['sent']:,} sent, "
              f"{counted['acked']:,} acknowledged), each case's {STEPS_PER_CASE} in sequence without a gap, no rejected delivery")
        for problem in problems:
            print(f"  VIOLATION: {problem}")
        if not problems:
            print("  no violation")

        # Projected AWS cost per 1,000 cases (MESSAGES_PER_CASE each), from the calls counted above.
        messages_per_1000 = 1000 * MESSAGES_PER_CASE
        writes = sum(c for n, c in calls.items() if n in ("DynamoDB PutItem", "DynamoDB UpdateItem")) / delivered
        reads = sum(c for n, c in calls.items() if n in ("DynamoDB GetItem", "DynamoDB Query")) / delivered
        # The message's put and its acknowledged update also land in the day index (one WRU more each);
        # counter updates do not (they carry no index keys). Items stay under 1 KB.
        wru = writes + 2
        cost = {
            "Lambda requests": 2 * LAMBDA_REQUEST,
            "Lambda duration": FUNCTION_MEMORY_GB * (OUTBOX_SECONDS + SEND_SECONDS) * LAMBDA_GB_SECOND,
            "DynamoDB writes": wru * DYNAMODB_WRU,
            "DynamoDB reads": reads * DYNAMODB_RRU,
            "SQS FIFO requests": sqs * SQS_FIFO_REQUEST,
            "CloudWatch Logs": 2 * LOG_BYTES_PER_INVOCATION / 1e9 * LOGS_INGEST_GB,
        }
        total = sum(cost.values()) * messages_per_1000
        print(f"\nprojected AWS cost per 1,000 cases ({MESSAGES_PER_CASE} messages each, us-east-1 list prices, no free tier):")
        for name, per_message in cost.items():
            print(f"  {name:<20} ${per_message * messages_per_1000:.4f}")
        print(f"  {'total':<20} ${total:.4f}  (plus the secret: $0.40 a month; EventBridge rule matches and "
              f"Lambda's SQS polling are not billed beyond the SQS requests counted)")
        return 1 if problems or not complete else 0


if __name__ == "__main__":
    sys.exit(main())
