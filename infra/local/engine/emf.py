"""CloudWatch's embedded metric format (EMF), locally: what CloudWatch Logs does for Lambda.

In AWS, a function prints EMF documents (JSON with an `_aws.CloudWatchMetrics` directive) to
its log and CloudWatch Logs turns them into metrics. Locally the handlers run in-process
(lambda_dispatch.py), so here (1) what a handler prints while it runs is captured, per thread
(handlers run concurrently, and one may invoke another on the same thread), and (2) the EMF
documents in it are translated into PutMetricData requests for moto's CloudWatch: namespace,
every dimension set, the values and the document's timestamp. Every handler gets this, whatever
metrics it emits; nothing here knows our metric names.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

log = logging.getLogger(__name__)

MAX_DATUMS_PER_REQUEST = 1000  # PutMetricData's limit
MAX_VALUES_PER_DATUM = 150

# -- (1) per-thread capture of stdout ----------------------------------------------------------------

_local = threading.local()
_install_lock = threading.Lock()


class ThreadTeeOutput:
    """Stands in for sys.stdout: a thread that is capturing gets what it writes in its innermost
    buffer, and the text goes on to the process's own stdout (fd 1), as a function's output goes
    to its log. Other threads write to the stream this one replaced, unaffected.

    A handler's output goes to `sys.__stdout__`, not to whatever stream sys.stdout was: a test
    runner's capture file may be rewound and truncated by the runner's thread at any moment, and
    writing to one Python file object from two threads at once can crash the interpreter (seen
    with pytest). fd 1 is still captured by a runner that captures at the file-descriptor level."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        buffers = getattr(_local, "buffers", None)
        if buffers:
            buffers[-1].append(text)
            process_stdout = sys.__stdout__
            return process_stdout.write(text) if process_stdout is not None else len(text)
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, isatty, ...
        return getattr(self.stream, name)


def _ensure_installed() -> None:
    # Checked on every capture: test runners swap sys.stdout between tests.
    with _install_lock:
        if not isinstance(sys.stdout, ThreadTeeOutput):
            sys.stdout = ThreadTeeOutput(sys.stdout)


def uninstall() -> None:
    with _install_lock:
        if isinstance(sys.stdout, ThreadTeeOutput):
            sys.stdout = sys.stdout.stream


@contextmanager
def captured_output() -> Iterator[list[str]]:
    """Collects what this thread prints inside the block (nested blocks collect their own)."""
    _ensure_installed()
    buffers = _local.__dict__.setdefault("buffers", [])
    buffer: list[str] = []
    buffers.append(buffer)
    try:
        yield buffer
    finally:
        buffers.pop()


# -- (2) EMF → PutMetricData ---------------------------------------------------------------------------


def emf_documents(output: str) -> list[dict[str, Any]]:
    """The EMF documents among printed lines (other lines, e.g. JSON logs, are skipped)."""
    documents = []
    for line in output.splitlines():
        line = line.strip()
        if not (line.startswith("{") and '"_aws"' in line):
            continue
        try:
            document = json.loads(line)
        except ValueError:
            continue
        if isinstance(document, dict) and isinstance(document.get("_aws"), dict):
            documents.append(document)
    return documents


def put_metric_data_requests(document: dict[str, Any]) -> list[dict[str, Any]]:
    """PutMetricData keyword arguments for one EMF document, as CloudWatch Logs extracts it:
    each metric under each dimension set, at the document's timestamp. Invalid parts are
    skipped (CloudWatch skips them too): a metric without a numeric value, a dimension set naming
    a key the document does not have."""
    directive = document["_aws"]
    timestamp_ms = directive.get("Timestamp")
    if not isinstance(timestamp_ms, int | float):
        return []
    timestamp = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    requests = []
    for metrics_directive in directive.get("CloudWatchMetrics") or []:
        namespace = metrics_directive.get("Namespace")
        if not namespace:
            continue
        dimension_sets = metrics_directive.get("Dimensions") or [[]]
        data = []
        for definition in metrics_directive.get("Metrics") or []:
            name = definition.get("Name")
            values = _numbers(document.get(name))
            if not name or not values:
                continue
            for dimension_keys in dimension_sets:
                if any(key not in document for key in dimension_keys):
                    continue
                for start in range(0, len(values), MAX_VALUES_PER_DATUM):
                    datum: dict[str, Any] = {
                        "MetricName": name,
                        "Dimensions": [{"Name": key, "Value": str(document[key])} for key in dimension_keys],
                        "Timestamp": timestamp,
                        "Values": values[start:start + MAX_VALUES_PER_DATUM],
                    }
                    if definition.get("Unit"):
                        datum["Unit"] = definition["Unit"]
                    if definition.get("StorageResolution") == 1:
                        datum["StorageResolution"] = 1
                    data.append(datum)
        for start in range(0, len(data), MAX_DATUMS_PER_REQUEST):
            requests.append({"Namespace": namespace, "MetricData": data[start:start + MAX_DATUMS_PER_REQUEST]})
    return requests


def _numbers(value: Any) -> list[float]:
    values = value if isinstance(value, list) else [value]
    return [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


class EmfForwarder:
    """Puts the metrics of a handler's printed EMF documents into (moto's) CloudWatch."""

    def __init__(self, cloudwatch: Any) -> None:
        self._cloudwatch = cloudwatch

    def forward(self, output: str) -> int:
        """Returns how many metric data were put. Never raises: a metric lost locally must not
        fail the invocation (in AWS the log extraction is asynchronous as well)."""
        put = 0
        for document in emf_documents(output):
            for request in put_metric_data_requests(document):
                try:
                    self._cloudwatch.put_metric_data(**request)
                    put += len(request["MetricData"])
                except Exception:
                    log.exception("EMF metrics could not be put into CloudWatch: %s", request["Namespace"])
        return put
