"""Route moto's Lambda invocations to the functions' handlers, run by a `Runtime` (runtime.py).

Without Docker moto's Lambda only echoes the payload. The dispatcher patches moto so that an
invocation of a function whose Handler names a module in the code directories (e.g.
"http_api.handler.handler" → module http_api.handler, attribute handler) runs that handler with
the event and a Lambda-like context. This covers every way moto invokes Lambda: the Invoke API
(used by the Step Functions interpreter and by our own handlers), InvokeAsync, and event source
mappings. The API gateway calls `LambdaDispatcher.invoke` directly.

There is deliberately no lock around invocations: a handler may synchronously invoke another one.
A handler that runs past its function's Timeout gets Lambda's timeout error (runtime.py).

Metrics: what a handler prints while it runs is handed to the dispatcher's `log_sink`, as Lambda
hands a function's output to CloudWatch Logs; the runner's sink puts the EMF metrics in it into
moto's CloudWatch (infra/local/engine/emf.py).

Environment: with the runner's ProcessRuntime each function has its own. In one process (the
InProcessRuntime of tests on an in-process moto) the environment is the union of the functions'
environments (`merged_environment`): two functions giving one key different values is an error
(`EnvironmentConflict`), except for the per-function keys in PER_FUNCTION_ENV_KEYS (service
name, log level: read once when a handler module creates its Logger/Metrics), which are set only
while that function's module is imported.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.local.engine.provision import LambdaFunctionSpec
from infra.local.engine.runtime import (  # noqa: F401  (LambdaContext, MARSHAL_ERROR: the engine's API)
    MARSHAL_ERROR,
    PER_FUNCTION_ENV_KEYS,
    InProcessRuntime,
    LambdaContext,
    Runtime,
    runtime_environment,
)

log = logging.getLogger(__name__)


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
    """One process for all handlers (InProcessRuntime): their merged environment, pointed at moto."""
    return {**merged_environment(functions), **runtime_environment(endpoint_url, region)}


@dataclass(frozen=True)
class InvocationResult:
    payload: bytes
    function_error: str | None = None  # "Unhandled" when the handler raised, as Lambda reports it

    def json(self) -> Any:
        return json.loads(self.payload) if self.payload else None


class LambdaDispatcher:
    """Maps function names/ARNs to the functions a runtime runs, and runs invocations."""

    def __init__(self, functions: Iterable[LambdaFunctionSpec], code_dirs: Sequence[Path],
                 log_sink: Callable[[str], Any] | None = None, runtime: Runtime | None = None) -> None:
        self.code_dirs = [Path(d) for d in code_dirs]
        self.functions = {spec.name: spec for spec in functions}
        self.runtime: Runtime = runtime if runtime is not None else InProcessRuntime(self.code_dirs)
        self._loaded: set[str] = set()
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
        """Has the runtime load every runnable handler now: an import error shows at start."""
        functions = self.runnable_functions
        self.runtime.load(functions)
        self._loaded.update(spec.name for spec in functions)

    def close(self) -> None:
        self.runtime.close()

    # -- invocation -----------------------------------------------------------------------------

    def invoke(self, name_or_arn: str, event: Any, invocation_type: str = "RequestResponse") -> InvocationResult:
        """Invokes a function like Lambda's Invoke API: `event` is the decoded payload."""
        spec = self.spec_for(name_or_arn)
        if spec is None or spec.name not in self._loaded:
            raise LookupError(f"no locally runnable function {name_or_arn!r}")
        if invocation_type == "Event":
            threading.Thread(target=self._run, args=(spec, event), name=f"lambda-{spec.name}",
                             daemon=True).start()
            return InvocationResult(b"")
        if invocation_type == "DryRun":
            return InvocationResult(b"")
        return self._run(spec, event)

    def _run(self, spec: LambdaFunctionSpec, event: Any) -> InvocationResult:
        result = self.runtime.invoke(spec, event, str(uuid.uuid4()))
        if self.log_sink is not None and result.output:
            # A failed invocation's metrics count too: Powertools flushes them on the way out.
            self.log_sink(result.output)
        return InvocationResult(result.payload, result.function_error)

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
