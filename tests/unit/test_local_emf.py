"""The local runner's EMF path (infra/local/engine/emf.py): per-thread capture of what a handler
prints, and EMF documents → PutMetricData as CloudWatch Logs extracts them."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime

from infra.local.engine.emf import EmfForwarder, captured_output, emf_documents, put_metric_data_requests

STAMP_MS = 1_795_000_000_000
STAMP = datetime.fromtimestamp(STAMP_MS / 1000, UTC)


def emf(**fields) -> dict:
    return {
        "_aws": {"Timestamp": STAMP_MS, "CloudWatchMetrics": [{
            "Namespace": "Sunlight", "Dimensions": [["Scope"], ["Department"]],
            "Metrics": [{"Name": "YellowCards", "Unit": "Count"}, {"Name": "Latency", "Unit": "Milliseconds", "StorageResolution": 1}],
        }]},
        "Scope": "city", "Department": "market", "YellowCards": [1.0], "Latency": [3, 5],
    } | fields


def test_every_metric_under_every_dimension_set_at_the_documents_time():
    (request,) = put_metric_data_requests(emf())
    assert request["Namespace"] == "Sunlight"
    assert request["MetricData"] == [
        {"MetricName": "YellowCards", "Dimensions": [{"Name": "Scope", "Value": "city"}], "Timestamp": STAMP, "Values": [1.0], "Unit": "Count"},
        {"MetricName": "YellowCards", "Dimensions": [{"Name": "Department", "Value": "market"}], "Timestamp": STAMP, "Values": [1.0],
         "Unit": "Count"},
        {"MetricName": "Latency", "Dimensions": [{"Name": "Scope", "Value": "city"}], "Timestamp": STAMP, "Values": [3.0, 5.0],
         "Unit": "Milliseconds", "StorageResolution": 1},
        {"MetricName": "Latency", "Dimensions": [{"Name": "Department", "Value": "market"}], "Timestamp": STAMP, "Values": [3.0, 5.0],
         "Unit": "Milliseconds", "StorageResolution": 1},
    ]


def test_a_scalar_value_and_no_dimensions():
    document = {"_aws": {"Timestamp": STAMP_MS, "CloudWatchMetrics": [{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "X"}]}]},
                "X": 2}
    assert put_metric_data_requests(document) == [
        {"Namespace": "N", "MetricData": [{"MetricName": "X", "Dimensions": [], "Timestamp": STAMP, "Values": [2.0]}]}]


def test_invalid_parts_are_skipped_like_cloudwatch_does():
    document = emf(YellowCards="many")  # not a number
    document["_aws"]["CloudWatchMetrics"][0]["Dimensions"].append(["Missing"])
    names = {(d["MetricName"], tuple(x["Name"] for x in d["Dimensions"])) for d in put_metric_data_requests(document)[0]["MetricData"]}
    assert names == {("Latency", ("Scope",)), ("Latency", ("Department",))}
    assert put_metric_data_requests({"_aws": {"CloudWatchMetrics": []}}) == []


def test_only_emf_lines_of_the_output_are_documents():
    output = "\n".join(['{"level":"INFO","message":"hello"}', "plain text", json.dumps(emf()), "{broken _aws"])
    assert emf_documents(output) == [emf()]


def test_each_thread_captures_only_its_own_output_and_nested_captures_their_own():
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def run(name: str) -> None:
        with captured_output() as printed:
            barrier.wait()
            print(f"from {name}")
            with captured_output() as inner:
                print(f"inner {name}")
            results[f"inner {name}"] = "".join(inner)
        results[name] = "".join(printed)

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"a": "from a\n", "b": "from b\n", "inner a": "inner a\n", "inner b": "inner b\n"}
    print("not captured")  # outside any capture: passes through untouched
    assert hasattr(sys.stdout, "write")


class RecordingCloudWatch:
    def __init__(self, fail: bool = False) -> None:
        self.requests: list[dict] = []
        self.fail = fail

    def put_metric_data(self, **request) -> None:
        if self.fail:
            raise RuntimeError("moto is down")
        self.requests.append(request)


def test_the_forwarder_puts_each_document_and_never_raises():
    cloudwatch = RecordingCloudWatch()
    assert EmfForwarder(cloudwatch).forward(json.dumps(emf()) + "\nlog line\n" + json.dumps(emf(Department="planning"))) == 8
    assert [r["MetricData"][1]["Dimensions"][0]["Value"] for r in cloudwatch.requests] == ["market", "planning"]
    assert EmfForwarder(RecordingCloudWatch(fail=True)).forward(json.dumps(emf())) == 0
