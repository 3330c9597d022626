"""The local system as the tests see it: `python -m infra.local` in a child process, driven over HTTP.

The system under test (moto's server threads, Step Functions, the gateway, the handlers) runs in
a process of its own, so a crash there is the child's exit status and log, not the death of the
test process (which runs Playwright). The child writes a state file (URLs, outputs, physical ids)
once everything serves; the tests read it and talk to the system only over the wire. It stops on
SIGTERM; a child that does not exit in time is killed, and the test that stopped it fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import requests

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "local-system"
STARTUP_TIMEOUT_SECONDS = 180  # ~40 s alone; the machine is shared
STOP_TIMEOUT_SECONDS = 10  # what `make run` promises on SIGTERM (README)
MAIL_PAGE_PATH = "/__local/mail"  # infra.local.runner.MAIL_PAGE_PATH


@dataclass(frozen=True)
class Mail:
    """One e-mail Cognito would have sent, as /__local/mail?format=json lists it."""

    to: str
    username: str
    subject: str
    body: str
    code: str
    purpose: str
    sent_at: float


class HttpMailbox:
    """The local mailbox read over HTTP (the page the runner serves), newest first."""

    def __init__(self, web_url: str) -> None:
        self.url = f"{web_url}{MAIL_PAGE_PATH}?format=json"

    def mails(self, to_user: str | None = None) -> list[Mail]:
        response = requests.get(self.url, timeout=10)
        response.raise_for_status()
        mails = [Mail(**{name: row[name] for name in Mail.__dataclass_fields__}) for row in response.json()]
        return [m for m in mails if to_user is None or m.username.lower() == to_user.lower()]


@dataclass
class LocalSystemProcess:
    """What a test may use of a running local system: its URLs, outputs and physical ids."""

    api_url: str
    web_url: str
    moto_url: str
    outputs: dict[str, Any]
    physical_ids: dict[str, Any]
    attributes: dict[str, dict[str, Any]]
    region: str
    stacks: list[str]  # the stacks provisioned, in deployment order
    log_file: Path
    process: subprocess.Popen = field(repr=False)
    api_urls: dict[str, str] = field(default_factory=dict)  # further RestApis (the inbound exchange's)
    token_url: str = ""  # the local OAuth2 token endpoint (client credentials)
    upper_platform_url: str = ""  # the local higher-level platform (infra/local/upper_platform.py)
    session: boto3.Session = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                     aws_session_token="testing", region_name=self.region)

    @property
    def mailbox(self) -> HttpMailbox:
        return HttpMailbox(self.web_url)

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.moto_url)

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")


def _tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@contextmanager
def local_system_process(name: str, *args: str, seed: bool = True, env: dict[str, str] | None = None,
                         state_dir: Path | None = None) -> Iterator[LocalSystemProcess]:
    """Starts `python -m infra.local --no-demo --api-port 0 ... <args>`, yields once it serves,
    and stops it with SIGTERM (asserting a clean exit in STOP_TIMEOUT_SECONDS)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_file = ARTIFACTS / f"{name}.log"
    state_dir = state_dir or ARTIFACTS
    state_file = state_dir / f"{name}.state.json"
    state_file.unlink(missing_ok=True)
    command = [sys.executable, "-X", "faulthandler", "-m", "infra.local", "--no-demo", "--api-port", "0",
               "--web-port", "0", "--moto-port", "0", "--state-file", str(state_file),
               *([] if seed else ["--no-seed"]), *args]
    child_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    with log_file.open("w", encoding="utf-8") as log:
        # A session of its own: a Ctrl-C on pytest reaches the child only through our SIGTERM.
        process = subprocess.Popen(command, cwd=ROOT, env=child_env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not state_file.exists():
            if process.poll() is not None:
                raise AssertionError(f"python -m infra.local exited with {process.returncode} before serving "
                                     f"(log: {log_file}):\n{_tail(log_file)}")
            if time.monotonic() > deadline:
                raise AssertionError(f"python -m infra.local did not serve in {STARTUP_TIMEOUT_SECONDS} s "
                                     f"(log: {log_file}):\n{_tail(log_file)}")
            time.sleep(0.1)
        state = json.loads(state_file.read_text(encoding="utf-8"))
        system = LocalSystemProcess(log_file=log_file, process=process, **state)
        requests.get(f"{system.web_url}/config.json", timeout=10).raise_for_status()  # health
        yield system
        if process.poll() is not None:
            raise AssertionError(f"python -m infra.local died during the tests with {process.returncode} "
                                 f"(log: {log_file}):\n{_tail(log_file)}")
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"python -m infra.local did not stop {STOP_TIMEOUT_SECONDS} s after SIGTERM "
                                 f"(log: {log_file}):\n{_tail(log_file)}") from None
        assert code == 0, f"python -m infra.local exited with {code} (log: {log_file}):\n{_tail(log_file)}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
