"""The local engine's runtimes (infra/local/engine/runtime.py) on tiny handlers: Lambda's timeout,
per-function environments, a crashed environment, and closing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from infra.local.engine.provision import LambdaFunctionSpec
from infra.local.engine.runtime import EXIT_ERROR, TIMEOUT_ERROR, InProcessRuntime, ProcessRuntime

HANDLER = '''
import os, time

def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("exit"):
        os._exit(3)
    return {"keys": {key: os.environ.get(key) for key in event.get("keys", [])},
            "remaining_ms": context.get_remaining_time_in_millis()}
'''


def _spec(name: str, timeout: int = 2, environment: dict[str, str] | None = None) -> LambdaFunctionSpec:
    return LambdaFunctionSpec(logical_id=name, name=name, arn=f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
                              handler="tiny_handler.handler", runtime="python3.12", environment=environment or {},
                              timeout_seconds=timeout, memory_mb=128, log_group_name=f"/aws/lambda/{name}")


@pytest.fixture
def code_dir(tmp_path: Path) -> Path:
    (tmp_path / "tiny_handler.py").write_text(HANDLER)
    return tmp_path


@pytest.fixture
def process_runtime(code_dir: Path):
    runtime = ProcessRuntime([code_dir], {"RUNTIME_KEY": "from-the-runtime"})
    yield runtime
    runtime.close()


def test_each_function_process_has_exactly_its_own_environment(process_runtime: ProcessRuntime,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNNER_ONLY", "secret")  # the runner's environment is not the functions'
    first = _spec("first", environment={"SHARED": "one", "FIRST_ONLY": "1"})
    second = _spec("second", environment={"SHARED": "two"})
    process_runtime.load([first, second])
    keys = ["SHARED", "FIRST_ONLY", "RUNNER_ONLY", "RUNTIME_KEY", "AWS_LAMBDA_FUNCTION_NAME"]
    answers = [json.loads(process_runtime.invoke(spec, {"keys": keys}, "r-1").payload)["keys"]
               for spec in (first, second)]
    assert answers == [
        {"SHARED": "one", "FIRST_ONLY": "1", "RUNNER_ONLY": None, "RUNTIME_KEY": "from-the-runtime",
         "AWS_LAMBDA_FUNCTION_NAME": "first"},
        {"SHARED": "two", "FIRST_ONLY": None, "RUNNER_ONLY": None, "RUNTIME_KEY": "from-the-runtime",
         "AWS_LAMBDA_FUNCTION_NAME": "second"},
    ]


def test_a_process_past_its_timeout_is_ended_and_the_next_invocation_starts_afresh(
        process_runtime: ProcessRuntime) -> None:
    spec = _spec("slow", timeout=1)
    process_runtime.load([spec])
    started = time.monotonic()
    result = process_runtime.invoke(spec, {"sleep": 30}, "r-1")
    assert time.monotonic() - started < 5
    assert result.function_error == "Unhandled"
    assert json.loads(result.payload) == {
        "errorType": TIMEOUT_ERROR, "errorMessage": "RequestId: r-1 Error: Task timed out after 1.00 seconds"}
    after = process_runtime.invoke(spec, {}, "r-2")
    assert after.function_error is None and 0 < json.loads(after.payload)["remaining_ms"] <= 1000


def test_an_environment_that_dies_is_an_exit_error_and_is_replaced(process_runtime: ProcessRuntime) -> None:
    spec = _spec("fragile")
    process_runtime.load([spec])
    died = process_runtime.invoke(spec, {"exit": True}, "r-1")
    assert died.function_error == "Unhandled" and json.loads(died.payload)["errorType"] == EXIT_ERROR
    assert process_runtime.invoke(spec, {}, "r-2").function_error is None


def test_closing_ends_every_process_and_refuses_further_invocations(code_dir: Path) -> None:
    runtime = ProcessRuntime([code_dir], {})
    spec = _spec("one")
    runtime.load([spec])
    pids = [worker.process.pid for worker in runtime._all]
    runtime.close()
    assert pids and not [pid for pid in pids if Path(f"/proc/{pid}").exists()]
    with pytest.raises(RuntimeError):
        runtime.invoke(spec, {}, "r-1")


def test_in_process_a_handler_past_its_timeout_gets_the_timeout_error(code_dir: Path) -> None:
    runtime = InProcessRuntime([code_dir])
    spec = _spec("slow", timeout=1)
    runtime.load([spec])
    started = time.monotonic()
    result = runtime.invoke(spec, {"sleep": 3}, "r-1")
    assert time.monotonic() - started < 2.5
    assert result.function_error == "Unhandled" and json.loads(result.payload)["errorType"] == TIMEOUT_ERROR
    assert runtime.invoke(spec, {}, "r-2").function_error is None
