"""A local system in a child process (`python -m infra.local`), driven over HTTP.

moto, MOTO_PORT and the handlers' environment are process-wide, and other test modules hold a
local system of the real template for a whole session: a system of another template runs in
its own process, which also exercises the `make run` entry point and its clean Ctrl-C exit.
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

from infra.constants import ROOT
from infra.local.engine.template import LOCAL_ACCOUNT_ID, Template

STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10  # what `make run` promises on SIGTERM


@dataclass
class RemoteSystem:
    template: Template
    api_url: str
    web_url: str
    moto_url: str
    outputs: dict[str, Any]
    physical_ids: dict[str, Any]
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    region: str = "us-east-1"
    stacks: list[str] = field(default_factory=list)  # the stacks provisioned, in deployment order
    api_urls: dict[str, str] = field(default_factory=dict)  # further RestApis (the inbound exchange's)
    token_url: str = ""  # the local OAuth2 token endpoint (client credentials)
    upper_platform_url: str = ""  # the local higher-level platform (infra/local/upper_platform.py)
    session: boto3.Session = field(default_factory=lambda: boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"))
    process: subprocess.Popen | None = field(default=None, repr=False)

    def physical_id_of(self, construct_id: str) -> Any:
        return self.physical_ids[self.template.logical_id(construct_id)]

    def function_arn(self, construct_id: str) -> str:
        return f"arn:aws:lambda:us-east-1:{LOCAL_ACCOUNT_ID}:function:{self.physical_id_of(construct_id)}"


@contextmanager
def local_system_process(template_path: Path, work_dir: Path) -> Iterator[RemoteSystem]:
    state_file = work_dir / "state.json"
    log_file = work_dir / "local-system.log"
    env = {**os.environ, "SUNLIGHT_API_PORT": "0", "SUNLIGHT_WEB_PORT": "0", "SUNLIGHT_MOTO_PORT": "0",
           "SUNLIGHT_SEED": "0", "SUNLIGHT_CODE_DIRS": str(ROOT), "SUNLIGHT_STATE_FILE": str(state_file)}
    with log_file.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "infra.local", str(template_path)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not state_file.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"local system did not start:\n{log_file.read_text()}")
            time.sleep(0.05)
        state = json.loads(state_file.read_text())
        yield RemoteSystem(Template.load(template_path), **state, process=process)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT_SECONDS) == 0, f"unclean exit:\n{log_file.read_text()}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
