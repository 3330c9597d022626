"""One local execution environment of a function (started by runtime.ProcessRuntime).

Its os.environ is the function's own. It reads JSON lines on stdin: first the function (its spec
and where the code is), then one invocation per line; it answers each with one JSON line on the
stdout it was given. What the handler prints goes to stderr (the runner's log) and, per
invocation, back in the answer (the runner turns the EMF metrics in it into CloudWatch metrics).
It exits when stdin closes (the runner stopped) or on SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from typing import Any, TextIO


class _Tee:
    """sys.stdout of the handler: to stderr (the log), and into the current invocation's output."""

    def __init__(self, log: TextIO) -> None:
        self.log = log
        self.captured: list[str] = []

    def write(self, text: str) -> int:
        self.captured.append(text)
        return self.log.write(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, isatty, ...
        return getattr(self.log, name)


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner stops us; a Ctrl-C is for it
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever writes to fd 1 directly lands in the log, not in the answers
    tee = _Tee(sys.stderr)
    sys.stdout = tee

    def answer(message: dict[str, Any]) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    from infra.local.engine.provision import LambdaFunctionSpec
    from infra.local.engine.runtime import import_handler, run_handler

    setup = json.loads(sys.stdin.readline() or "null")
    if setup is None:
        return 0
    spec = LambdaFunctionSpec(**setup["spec"])
    try:
        handler = import_handler(spec.handler, setup["code_dirs"])
    except BaseException:  # noqa: BLE001  (reported to the runner, which stops the start-up)
        answer({"ready": False, "error": traceback.format_exc()})
        return 1
    answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        tee.captured = []
        deadline = time.monotonic() + request["remaining"]
        payload, error = run_handler(handler, spec, request["event"], request["request_id"], deadline)
        answer({"payload": payload.decode(), "function_error": error, "output": "".join(tee.captured)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
