"""Run the real Lambda handlers in-process when moto's Lambda is invoked.

Without Docker moto's Lambda only echoes the payload. The dispatcher patches moto so that an
invocation of a function whose Handler names a module under `functions/` (e.g.
"http_api.handler.handler" → module http_api.handler, attribute handler) calls that Python
callable with the event and a Lambda-like context. This covers every way moto invokes Lambda:
the Invoke API (used by the Step Functions interpreter and by our own handlers), InvokeAsync,
and event source mappings. The API gateway calls `LambdaDispatcher.invoke` directly.

There is deliberately no lock around handlers: a handler may synchronously invoke another one.

Metrics: what a handler prints while it runs is captured (per thread) and handed to the
dispatcher's `log_sink`, as Lambda hands a function's output to CloudWatch Logs; the runner's
sink puts the EMF metrics in it into moto's CloudWatch (infra/local/emf.py).

Environment: every function runs in this one process, so the process environment is the union
of the functions' environments. Two functions giving one key different values is an error
(`EnvironmentConflict`), except for the per-function keys in PER_FUNCTION_ENV_KEYS (service
name, log level: read once when a handler module creates its Logger/Metrics). Those are set
only while that function's module is imported, and kept process-wide only where all agree.
"""

from __future__ import annotations

import base64
import decimal
import importlib
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from infra.local.emf import captured_output
from infra.local.provision import LambdaFunctionSpec

log = logging.getLogger(__name__)

PER_FUNCTION_ENV_KEYS = frozenset({
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_FUNCTION_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_LOGGER_LOG_EVENT",
    "POWERTOOLS_LOGGER_SAMPLE_RATE",
    "LOG_LEVEL",
    "AWS_LAMBDA_LOG_LEVEL",
})

# Lambda's error when the handler's result is not JSON, and the payload limit of a sync invoke.
MARSHAL_ERROR = "Runtime.MarshalError"


class EnvironmentConflict(Exception):
    """Two functions need different values of the same process-wide environment variable."""


def merged_environment(functions: Iterable[LambdaFunctionSpec]) -> dict[str, str]:
    """The union of the functions' environments (see the module docstring for the rule)."""
    values: dict[str, dict[str, str]] = {}  # key → value → first function with it
    for spec in functions:
        for key, value in spec.environment.items():
            values.setdefault(key, {}).setdefault(value, spec.name)
    conflicts = {k: v for k, v in values.items() if len(v) > 1 and k not in PER_FUNCTION_ENV_KEYS}
    if conflicts:
        detail = "; ".join(f"{k}: " + ", ".join(f"{fn}={val!r}" for val, fn in v.items())
                           for k, v in sorted(conflicts.items()))
        raise EnvironmentConflict(f"functions disagree on process-wide environment variables: {detail}")
    return {k: next(iter(v)) for k, v in values.items() if len(v) == 1}


def lambda_process_environment(functions: Iterable[LambdaFunctionSpec], endpoint_url: str,
                               region: str) -> dict[str, str]:
    """What the handlers' process needs: their merged environment, pointed at moto."""
    return {
        **merged_environment(functions),
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",  # moto accepts any credentials
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon locally
    }


@dataclass(frozen=True)
class InvocationResult:
    payload: bytes
    function_error: str | None = None  # "Unhandled" when the handler raised, as Lambda reports it

    def json(self) -> Any:
        return json.loads(self.payload) if self.payload else None


class LambdaContext:
    """The attributes and method of the Python runtime's context object that handlers use."""

    def __init__(self, spec: LambdaFunctionSpec, request_id: str) -> None:
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
        self._deadline = time.monotonic() + spec.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class _LambdaJSONEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, decimal.Decimal):  # the Python runtime serializes Decimal as a number
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def _error_payload(error: BaseException, request_id: str) -> bytes:
    return json.dumps({
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_tb(error.__traceback__ and error.__traceback__.tb_next),  # from the handler's frame on
    }).encode()


class LambdaDispatcher:
    """Maps function names/ARNs to in-process handlers and runs invocations."""

    def __init__(self, functions: Iterable[LambdaFunctionSpec], code_dirs: Sequence[Path],
                 log_sink: Callable[[str], Any] | None = None) -> None:
        self.code_dirs = [Path(d) for d in code_dirs]
        self.functions = {spec.name: spec for spec in functions}
        self._handlers: dict[str, Callable[[Any, LambdaContext], Any]] = {}
        self.log_sink = log_sink  # gets what each invocation printed (e.g. EmfForwarder.forward)

    def runnable(self, spec: LambdaFunctionSpec) -> bool:
        """Our Python functions; CDK's helper functions (custom resources) are not run locally."""
        package = spec.handler.split(".", 1)[0]
        return spec.runtime.startswith("python") and any(
            (d / package).is_dir() or (d / f"{package}.py").is_file() for d in self.code_dirs)

    @property
    def runnable_functions(self) -> list[LambdaFunctionSpec]:
        return [spec for spec in self.functions.values() if self.runnable(spec)]

    def spec_for(self, name_or_arn: str) -> LambdaFunctionSpec | None:
        name = name_or_arn.split(":function:", 1)[-1].split(":", 1)[0]
        return self.functions.get(name)

    def load_handlers(self) -> None:
        """Imports every runnable handler now (the process env must be set): errors show at start."""
        for path in reversed(self.code_dirs):
            if str(path) not in sys.path:
                sys.path.insert(0, str(path))
        for spec in self.runnable_functions:
            module_name, _, attribute = spec.handler.rpartition(".")
            with _per_function_environment(spec):
                module = importlib.import_module(module_name)
            self._handlers[spec.name] = getattr(module, attribute)

    # -- invocation -----------------------------------------------------------------------------

    def invoke(self, name_or_arn: str, event: Any, invocation_type: str = "RequestResponse") -> InvocationResult:
        """Invokes a function like Lambda's Invoke API: `event` is the decoded payload."""
        spec = self.spec_for(name_or_arn)
        if spec is None or spec.name not in self._handlers:
            raise LookupError(f"no locally runnable function {name_or_arn!r}")
        if invocation_type == "Event":
            threading.Thread(target=self._run, args=(spec, event), name=f"lambda-{spec.name}",
                             daemon=True).start()
            return InvocationResult(b"")
        if invocation_type == "DryRun":
            return InvocationResult(b"")
        return self._run(spec, event)

    def _run(self, spec: LambdaFunctionSpec, event: Any) -> InvocationResult:
        request_id = str(uuid.uuid4())
        context = LambdaContext(spec, request_id)
        started = time.monotonic()
        try:
            with self._output_to_sink():
                result = self._handlers[spec.name](event, context)
        except Exception as error:  # noqa: BLE001  (Lambda reports any exception as a function error)
            log.error("%s failed (request %s):\n%s", spec.name, request_id,
                      "".join(traceback.format_exception(error)))
            return InvocationResult(_error_payload(error, request_id), "Unhandled")
        finally:
            elapsed = time.monotonic() - started
            if elapsed > spec.timeout_seconds:  # Lambda would have killed it: say so loudly
                log.warning("%s ran %.1f s, past its %d s timeout", spec.name, elapsed, spec.timeout_seconds)
        try:
            payload = json.dumps(result, cls=_LambdaJSONEncoder).encode()
        except (TypeError, ValueError) as error:
            payload = json.dumps({"errorMessage": f"Unable to marshal response: {error}",
                                  "errorType": MARSHAL_ERROR, "requestId": request_id}).encode()
            return InvocationResult(payload, "Unhandled")
        return InvocationResult(payload)

    @contextmanager
    def _output_to_sink(self) -> Iterator[None]:
        """What the handler prints, to the sink afterwards, also when it raised (a failed
        invocation's metrics count too: Powertools flushes them on the way out)."""
        if self.log_sink is None:
            yield
            return
        with captured_output() as printed:
            try:
                yield
            finally:
                self.log_sink("".join(printed))

    def invoke_raw(self, name_or_arn: str, body: Any, invocation_type: str) -> InvocationResult:
        """An invocation as moto receives it: the payload as bytes/str (empty means {})."""
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        event = json.loads(body) if body else {}
        return self.invoke(name_or_arn, event, invocation_type)

    # -- moto patching --------------------------------------------------------------------------

    @contextmanager
    def installed(self) -> Iterator[LambdaDispatcher]:
        """Routes moto's Lambda invocations to this dispatcher while the block runs."""
        install_dispatcher(self)
        try:
            yield self
        finally:
            uninstall_dispatcher(self)


@contextmanager
def _per_function_environment(spec: LambdaFunctionSpec) -> Iterator[None]:
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


# moto's backends are process-global, so the patch routes to one dispatcher at a time.
_active: LambdaDispatcher | None = None
_originals: dict[str, Any] = {}


def install_dispatcher(dispatcher: LambdaDispatcher) -> None:
    global _active
    from moto.awslambda.models import LambdaFunction
    from moto.awslambda_simple.models import LambdaSimpleBackend

    if _active is not None:
        raise RuntimeError("another LambdaDispatcher is installed in moto")
    _originals.update(backend_invoke=LambdaSimpleBackend.invoke, function_invoke=LambdaFunction.invoke)
    LambdaSimpleBackend.invoke = _backend_invoke
    LambdaFunction.invoke = _function_invoke
    _active = dispatcher


def uninstall_dispatcher(dispatcher: LambdaDispatcher) -> None:
    global _active
    from moto.awslambda.models import LambdaFunction
    from moto.awslambda_simple.models import LambdaSimpleBackend

    if _active is not dispatcher:
        return
    LambdaSimpleBackend.invoke = _originals.pop("backend_invoke")
    LambdaFunction.invoke = _originals.pop("function_invoke")
    _active = None


def _dispatch(function_name: str, body: Any, headers: Any, response_headers: dict[str, Any]) -> bytes | None:
    """Shared by both patches; None means "not ours" (moto's own behaviour applies)."""
    dispatcher = _active
    spec = dispatcher.spec_for(function_name) if dispatcher else None
    if dispatcher is None or spec is None or not dispatcher.runnable(spec):
        return None
    invocation_type = headers_get(headers, "X-Amz-Invocation-Type") or "RequestResponse"
    result = dispatcher.invoke_raw(spec.name, body, invocation_type)
    if result.function_error:
        response_headers["x-amz-function-error"] = result.function_error
    if invocation_type == "RequestResponse":
        response_headers["x-amz-log-result"] = base64.b64encode(b"").decode()
    response_headers["Content-Length"] = str(len(result.payload))
    return result.payload


def _backend_invoke(self: Any, function_name: str, qualifier: str | None, body: Any, headers: Any,
                    response_headers: Any) -> str | bytes | None:
    payload = _dispatch(function_name, body, headers, response_headers)
    if payload is None:
        return _originals["backend_invoke"](self, function_name, qualifier, body, headers, response_headers)
    return payload


def _function_invoke(self: Any, body: str, request_headers: Any, response_headers: Any) -> str | bytes:
    payload = _dispatch(self.function_name, body, request_headers, response_headers)
    if payload is None:
        return _originals["function_invoke"](self, body, request_headers, response_headers)
    return payload


def headers_get(headers: Mapping[str, str] | None, name: str) -> str | None:
    """Case-insensitive header lookup (moto passes werkzeug headers or a plain dict)."""
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value
    return None
