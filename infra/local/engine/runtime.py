"""How a function's handler runs locally: the `Runtime` interface and its two implementations.

The dispatcher (lambda_dispatch.py) decides *which* function an invocation is for; a runtime
runs it: `invoke(spec, event)` gives the result as Lambda's Invoke API reports it (the payload, and
"Unhandled" when the handler raised or timed out) with what the handler printed (its log).

- `ProcessRuntime` (the running system, `python -m infra.local`): each function runs in worker
  processes of its own (infra/local/engine/lambda_worker.py), like Lambda's execution
  environments: its own interpreter, its own `os.environ` (exactly its template environment plus
  the runtime's keys, no other function's), its own module state. A worker runs one invocation
  at a time; a function has more workers when it is invoked concurrently (up to
  `max_workers_per_function`). An invocation that runs past the function's Timeout is reported
  as Lambda reports it (Sandbox.Timedout) and its worker is killed, as Lambda ends the
  environment; the next invocation starts a fresh one.
- `InProcessRuntime` (tests on an in-process moto, which a child process cannot reach): handlers
  run in this interpreter, each invocation on a thread of its own. Past its Timeout the caller
  stops waiting and gets the same timeout error; the thread cannot be killed in Python, so it runs
  on (a daemon thread) until the handler returns, and its result is dropped. All functions share
  this process's `os.environ` (the caller sets it; see `merged_environment`): per-function
  environments need a process per function, which is what ProcessRuntime is for.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from infra.local.engine.emf import captured_output
from infra.local.engine.provision import LambdaFunctionSpec

log = logging.getLogger(__name__)

# Read once, when a handler module creates its Logger/Metrics: set while that module is imported.
PER_FUNCTION_ENV_KEYS = frozenset({
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_FUNCTION_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_LOGGER_LOG_EVENT",
    "POWERTOOLS_LOGGER_SAMPLE_RATE",
    "LOG_LEVEL",
    "AWS_LAMBDA_LOG_LEVEL",
})
TIMEOUT_ERROR = "Sandbox.Timedout"  # what Lambda reports when a function runs past its Timeout
EXIT_ERROR = "Runtime.ExitError"  # the execution environment died during the invocation
MARSHAL_ERROR = "Runtime.MarshalError"  # the handler's result is not JSON
ENGINE_ROOT = Path(__file__).resolve().parents[3]  # the directory holding the `infra` package


@dataclass(frozen=True)
class RuntimeResult:
    payload: bytes  # the JSON the Invoke API returns
    function_error: str | None = None  # "Unhandled" when the handler raised or timed out
    output: str = ""  # what the handler printed (its log; EMF metrics are in it)


class Runtime(Protocol):
    """Runs functions' handlers. `load` prepares every function (an import error shows at start),
    `invoke` runs one invocation, `close` ends everything the runtime started."""

    def load(self, functions: Sequence[LambdaFunctionSpec]) -> None: ...

    def invoke(self, spec: LambdaFunctionSpec, event: Any, request_id: str) -> RuntimeResult: ...

    def close(self) -> None: ...


def runtime_environment(endpoint_url: str | None, region: str) -> dict[str, str]:
    """What every function gets besides its own variables: AWS pointed at the local endpoint."""
    return {
        **({"AWS_ENDPOINT_URL": endpoint_url} if endpoint_url else {}),
        "AWS_ACCESS_KEY_ID": "testing",  # moto accepts any credentials
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon locally
    }


def timeout_result(spec: LambdaFunctionSpec, request_id: str, output: str = "") -> RuntimeResult:
    message = f"RequestId: {request_id} Error: Task timed out after {spec.timeout_seconds:.2f} seconds"
    log.error("%s: %s", spec.name, message)
    return RuntimeResult(json.dumps({"errorType": TIMEOUT_ERROR, "errorMessage": message}).encode(), "Unhandled",
                         output)


# -- running a handler (both runtimes; the worker process too) ----------------------------------------


class LambdaContext:
    """The attributes and method of the Python runtime's context object that handlers use."""

    def __init__(self, spec: LambdaFunctionSpec, request_id: str, deadline: float | None = None) -> None:
        self.function_name = spec.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec.arn
        self.memory_limit_in_mb = str(spec.memory_mb)  # a string in the real runtime too
        self.aws_request_id = request_id
        self.log_group_name = spec.log_group_name
        self.log_stream_name = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{request_id.replace('-', '')}"
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline = deadline if deadline is not None else time.monotonic() + spec.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _json_default(value: Any) -> Any:
    import decimal

    if isinstance(value, decimal.Decimal):  # the Python runtime serializes Decimal as a number
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def error_payload(error: BaseException, request_id: str) -> bytes:
    return json.dumps({
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_tb(error.__traceback__.tb_next if error.__traceback__ else None),
    }).encode()


def run_handler(handler: Callable[[Any, Any], Any], spec: LambdaFunctionSpec, event: Any, request_id: str,
                deadline: float | None = None) -> tuple[bytes, str | None]:
    """Calls the handler and marshals its result as Lambda does: (payload, function error)."""
    context = LambdaContext(spec, request_id, deadline)
    try:
        result = handler(event, context)
    except Exception as error:  # noqa: BLE001  (Lambda reports any exception as a function error)
        log.error("%s failed (request %s):\n%s", spec.name, request_id, "".join(traceback.format_exception(error)))
        return error_payload(error, request_id), "Unhandled"
    try:
        return json.dumps(result, default=_json_default).encode(), None
    except (TypeError, ValueError) as error:
        return json.dumps({"errorMessage": f"Unable to marshal response: {error}", "errorType": MARSHAL_ERROR,
                           "requestId": request_id}).encode(), "Unhandled"


def import_handler(handler: str, code_dirs: Sequence[Path]) -> Callable[[Any, Any], Any]:
    for path in reversed([str(d) for d in code_dirs]):
        if path not in sys.path:
            sys.path.insert(0, path)
    module_name, _, attribute = handler.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


# -- in this process ------------------------------------------------------------------------------


class InProcessRuntime:
    """Handlers in this interpreter, one thread per invocation (see the module docstring)."""

    def __init__(self, code_dirs: Sequence[Path]) -> None:
        self.code_dirs = [Path(d) for d in code_dirs]
        self._handlers: dict[str, Callable[[Any, Any], Any]] = {}

    def load(self, functions: Sequence[LambdaFunctionSpec]) -> None:
        for spec in functions:
            with _per_function_keys(spec):
                self._handlers[spec.name] = import_handler(spec.handler, self.code_dirs)

    def invoke(self, spec: LambdaFunctionSpec, event: Any, request_id: str) -> RuntimeResult:
        handler = self._handlers[spec.name]
        deadline = time.monotonic() + spec.timeout_seconds
        outcome: list[RuntimeResult] = []

        def run() -> None:
            with captured_output() as printed:
                try:
                    payload, error = run_handler(handler, spec, event, request_id, deadline)
                finally:
                    output = "".join(printed)
            outcome.append(RuntimeResult(payload, error, output))

        thread = threading.Thread(target=run, name=f"lambda-{spec.name}", daemon=True)
        thread.start()
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive() or not outcome:  # still running: the caller stops waiting (see above)
            return timeout_result(spec, request_id) if thread.is_alive() else RuntimeResult(
                json.dumps({"errorType": EXIT_ERROR, "errorMessage": "the handler's thread died"}).encode(),
                "Unhandled")
        return outcome[0]

    def close(self) -> None:
        self._handlers.clear()


@contextmanager
def _per_function_keys(spec: LambdaFunctionSpec) -> Iterator[None]:
    keys = {k: v for k, v in spec.environment.items() if k in PER_FUNCTION_ENV_KEYS}
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(keys)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- one process per execution environment --------------------------------------------------------


class _WorkerDied(Exception):
    pass


class _Worker:
    """One execution environment: `python -m infra.local.engine.lambda_worker`, talking JSON
    lines on its stdin/stdout (the handler's own prints go to the runner's log, and back to us)."""

    def __init__(self, spec: LambdaFunctionSpec, code_dirs: Sequence[Path], environment: Mapping[str, str]) -> None:
        self.spec = spec
        inherited = [os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []
        python_path = os.pathsep.join([str(ENGINE_ROOT), *inherited])
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.engine.lambda_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, cwd=os.getcwd(),
            env={**environment, "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"})
        self._buffer = b""
        self._send({"spec": asdict(spec), "code_dirs": [str(d) for d in code_dirs]})

    def wait_ready(self, timeout: float) -> None:
        answer = self._receive(time.monotonic() + timeout)
        if not answer.get("ready"):
            raise RuntimeError(f"{self.spec.name} ({self.spec.handler}) cannot start:\n{answer.get('error')}")

    def invoke(self, event: Any, request_id: str, deadline: float) -> dict[str, Any]:
        self._send({"event": event, "request_id": request_id, "remaining": deadline - time.monotonic()})
        return self._receive(deadline)

    def _send(self, message: dict[str, Any]) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise _WorkerDied(str(error)) from error

    def _receive(self, deadline: float) -> dict[str, Any]:
        """The next line from the worker; TimeoutError past the deadline, _WorkerDied on EOF."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise _WorkerDied(f"exit status {self.process.wait()}")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class ProcessRuntime:
    """Each function in processes of its own, with its own environment (module docstring)."""

    def __init__(self, code_dirs: Sequence[Path], base_environment: Mapping[str, str],
                 max_workers_per_function: int = 4, start_timeout: float = 120.0) -> None:
        self.code_dirs = [Path(d) for d in code_dirs]
        self.base_environment = dict(base_environment)
        self.max_workers = max_workers_per_function
        self.start_timeout = start_timeout
        self._idle: dict[str, list[_Worker]] = {}
        self._count: dict[str, int] = {}
        self._all: set[_Worker] = set()
        self._lock = threading.RLock()  # guards the pools
        self._available = threading.Condition(self._lock)
        # A turn per function: a released worker wakes one waiter for its function (the longest
        # waiting), not every waiting invocation of every function (a burst of thousands).
        self._turns: dict[str, threading.Condition] = {}
        self._closed = False

    def environment_of(self, spec: LambdaFunctionSpec) -> dict[str, str]:
        """The function's environment: the runtime's keys, its own variables, Lambda's reserved ones."""
        return {**self.base_environment, **spec.environment,
                "AWS_LAMBDA_FUNCTION_NAME": spec.name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
                "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group_name, "_HANDLER": spec.handler}

    def load(self, functions: Sequence[LambdaFunctionSpec]) -> None:
        """One warm worker per function, started side by side; a handler that cannot be imported
        stops the start-up with its error."""
        started = []
        for spec in functions:
            self._idle.setdefault(spec.name, [])
            self._count.setdefault(spec.name, 0)
            started.append(self._start_worker(spec))
        deadline = time.monotonic() + self.start_timeout
        for worker in started:
            worker.wait_ready(max(0.0, deadline - time.monotonic()))
            self._release(worker)

    def _start_worker(self, spec: LambdaFunctionSpec) -> _Worker:
        with self._available:
            if self._closed:
                raise RuntimeError("the runtime is closed")
            worker = _Worker(spec, self.code_dirs, self.environment_of(spec))
            self._all.add(worker)
            self._count[spec.name] = self._count.get(spec.name, 0) + 1
            return worker

    def _acquire(self, spec: LambdaFunctionSpec) -> _Worker:
        with self._available:
            while True:
                if self._closed:
                    raise RuntimeError("the runtime is closed")
                idle = self._idle.setdefault(spec.name, [])
                if idle:
                    return idle.pop()
                if self._count.get(spec.name, 0) < self.max_workers:
                    break
                self._turn(spec.name).wait()
        worker = self._start_worker(spec)  # a cold start, outside the lock
        try:
            worker.wait_ready(self.start_timeout)
        except BaseException:
            self._discard(worker)
            raise
        return worker

    def _turn(self, function_name: str) -> threading.Condition:
        """The condition a function's invocations wait on for a worker (call with the lock held)."""
        turn = self._turns.get(function_name)
        if turn is None:
            turn = self._turns[function_name] = threading.Condition(self._lock)
        return turn

    def _release(self, worker: _Worker) -> None:
        with self._available:
            if self._closed:
                worker.kill()
                return
            self._idle.setdefault(worker.spec.name, []).append(worker)
            self._turn(worker.spec.name).notify()

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._available:
            self._all.discard(worker)
            self._count[worker.spec.name] -= 1
            self._turn(worker.spec.name).notify()

    def invoke(self, spec: LambdaFunctionSpec, event: Any, request_id: str) -> RuntimeResult:
        worker = self._acquire(spec)
        deadline = time.monotonic() + spec.timeout_seconds  # from the moment an environment has it
        try:
            answer = worker.invoke(event, request_id, deadline)
        except TimeoutError:
            self._discard(worker)  # Lambda ends the environment of a timed-out invocation
            return timeout_result(spec, request_id)
        except _WorkerDied as died:
            self._discard(worker)
            message = f"RequestId: {request_id} Error: Runtime exited with error: {died}"
            log.error("%s: %s", spec.name, message)
            return RuntimeResult(json.dumps({"errorType": EXIT_ERROR, "errorMessage": message}).encode(), "Unhandled")
        self._release(worker)
        return RuntimeResult(answer["payload"].encode(), answer.get("function_error"), answer.get("output", ""))

    def close(self) -> None:
        """Ends every worker: SIGTERM, then SIGKILL for one still running a handler a moment later."""
        with self._available:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            for turn in self._turns.values():
                turn.notify_all()
        for worker in workers:
            if worker.process.poll() is None:
                worker.process.terminate()
        deadline = time.monotonic() + 2
        for worker in workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            worker.kill()
