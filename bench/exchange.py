"""The outbound exchange on the local system: messages per second, the lag after a burst of facts,
DynamoDB and SQS calls per message, and the projected AWS cost per 1,000 cases.

    .venv/bin/python -m bench.exchange [--facts 10000] [--calls-sample 100]

The system runs in this process (moto, the runner's SQS poller standing in for Lambda's, each
function in worker processes of its own: at most 4 per function) and the local higher-level
platform acknowledges every message. Facts are case transitions, five per case (收件, three steps,
办结), put on the bus in batches of 10 as fast as the bus takes them, step by step across the cases.
Every CaseTransitioned also goes to the system's other consumers (evaluation facts, documents…), which
share the two cores: locally the bus, not the exchange, sets the pace. The default burst is 2,000
facts (10,000 take about half an hour here); `--facts 10000` runs the full size.

Calls per message are counted on a separate small sample with moto's request recorder on (it slows
every request down): every DynamoDB and SQS request the outbox, the sender and the event source
mapping make, divided by the messages delivered. ReceiveMessage includes the poller's empty long polls.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
STEPS_PER_CASE = 5
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

    detail_type, base = facts["case_received"]
    states = ["submitted", "accept", "handle", "review", "approve", "completed"]
    out = []
    # Step by step across the cases, as many cases move at once and each one step at a time: the bus
    # does not order events, so two facts of one case put on it together may reach the outbox in
    # either order (the order per case is kept from the outbox on).
    for seq in range(1, STEPS_PER_CASE + 1):
        for n in range(case_count):
            case_id = f"{prefix}{n:06d}"
            out.append((detail_type, {**base, "case_id": case_id, "event_id": f"{case_id}-{seq}", "seq": seq, "action": "step",
                                      "from_state": states[seq - 1], "to_state": states[seq]}))
    return out


def _publish(events: Any, bus: str, batch: list[tuple[str, dict[str, Any]]]) -> None:
    entries = [{"Source": "sunlight.approval", "DetailType": t, "Detail": json.dumps(d), "EventBusName": bus} for t, d in batch]
    answer = events.put_events(Entries=entries)
    assert answer["FailedEntryCount"] == 0, answer


def _received(upper: str, prefix: str) -> list[dict[str, Any]]:
    return [m for m in requests.get(f"{upper}/messages", timeout=30).json()["messages"] if m["entity_id"].startswith(prefix)]


def _wait_for(upper: str, prefix: str, count: int, timeout: float) -> tuple[list[dict[str, Any]], float]:
    deadline = time.monotonic() + timeout
    while True:
        messages = _received(upper, prefix)
        if len(messages) >= count or time.monotonic() > deadline:
            return messages, time.perf_counter()
        time.sleep(0.5)


def _run(system: Any, upper: str, events: Any, facts: list[tuple[str, dict[str, Any]]], prefix: str,
         timeout: float) -> tuple[list[dict[str, Any]], float, float, float]:
    bus = system.outputs["EventBusName"]
    started = time.perf_counter()
    for index in range(0, len(facts), 10):
        _publish(events, bus, facts[index:index + 10])
    published = time.perf_counter()
    messages, finished = _wait_for(upper, prefix, len(facts), timeout)
    return messages, started, published, finished


def _out_of_order(messages: list[dict[str, Any]]) -> tuple[int, int]:
    """(messages received after a later one of their case, cases with any such message)."""
    last: dict[str, int] = {}
    late, cases = 0, set()
    for message in messages:
        if message["sequence"] <= last.get(message["entity_id"], 0):
            late += 1
            cases.add(message["entity_id"])
        last[message["entity_id"]] = max(message["sequence"], last.get(message["entity_id"], 0))
    return late, len(cases)


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=int(os.environ.get("SUNLIGHT_EXCHANGE_BENCH_FACTS", "2000")))
    parser.add_argument("--calls-sample", type=int, default=100)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "No application metrics to publish")
    import logging

    logging.disable(logging.WARNING)  # the sender logs each retry; the servers each request
    recording = Path(tempfile.mkdtemp(prefix="sunlight-bench-")) / "moto_recording"
    os.environ["MOTO_RECORDER_FILEPATH"] = str(recording)  # read when moto's recorder is created
    from infra.local.runner import start_local_system

    started = time.perf_counter()
    with start_local_system(ROOT / "cdk.out", api_port=0, web_port=0, moto_port=0, seed=False) as system:
        print(f"local system started in {time.perf_counter() - started:.1f} s; higher-level platform at {system.upper_platform_url}")
        upper, moto = system.upper_platform_url, system.moto_url
        events = system.session.client("events", endpoint_url=moto)

        # Calls per message, on a small sample with the recorder on.
        sample = _facts(max(1, args.calls_sample // STEPS_PER_CASE), "BENCHCALLS")
        requests.post(f"{moto}/moto-api/recorder/reset-recording", timeout=10)
        requests.post(f"{moto}/moto-api/recorder/start-recording", timeout=10)
        messages, *_ = _run(system, upper, events, sample, "BENCHCALLS", timeout=300)
        time.sleep(3)  # the poller deletes the last message after the acknowledgement
        requests.post(f"{moto}/moto-api/recorder/stop-recording", timeout=10)
        exchange_table = next(v for k, v in system.provisioned.physical_ids.items() if re.fullmatch(r"ExchangeTable[0-9A-F]{8}", k))
        calls = _calls(moto, exchange_table)
        delivered = len(messages)
        print(f"\ncalls per message (sample of {delivered} messages, {len(sample)} facts):")
        for name, count in sorted(calls.items()):
            print(f"  {name:<34} {count / delivered:5.2f}")
        dynamodb = sum(c for n, c in calls.items() if n.startswith("DynamoDB")) / delivered
        sqs = sum(c for n, c in calls.items() if n.startswith("SQS")) / delivered
        print(f"  {'DynamoDB, all':<34} {dynamodb:5.2f}\n  {'SQS, all (incl. empty polls)':<34} {sqs:5.2f}")
        requests.post(f"{moto}/moto-api/recorder/reset-recording", timeout=10)

        # The burst.
        burst = _facts(max(1, args.facts // STEPS_PER_CASE), "BENCHBURST")
        messages, begun, published, finished = _run(system, upper, events, burst, "BENCHBURST", timeout=3600)
        ids = [m["message_id"] for m in messages]
        snapshot = requests.get(f"{upper}/messages", timeout=60).json()
        print(f"\nburst of {len(burst):,} facts ({len(burst) // STEPS_PER_CASE:,} cases × {STEPS_PER_CASE}):")
        print(f"  put on the bus in {published - begun:.1f} s ({len(burst) / (published - begun):.0f} facts/s)")
        print(f"  all {len(messages):,} acknowledged {finished - begun:.1f} s after the first fact: "
              f"{len(messages) / (finished - begun):.1f} messages/s end to end")
        print(f"  lag after the burst (last fact on the bus → last acknowledgement): {finished - published:.1f} s")
        late, late_cases = _out_of_order(messages)
        print(f"  lost: {len(burst) - len(set(ids))}; recorded twice: {len(ids) - len(set(ids))}; "
              f"duplicate deliveries the receiver absorbed: {snapshot['duplicates']}")
        print(f"  received after a later message of their case: {late} of {len(messages)} ({late_cases} cases) — facts the bus"
              f" delivered to the outbox more than the queue's 5 s delay after their successor")

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


if __name__ == "__main__":
    main()
