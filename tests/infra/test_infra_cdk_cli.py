"""The real CDK CLI synthesizes the app offline, as `make synth` and `cdk deploy` do."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from infra import constants

# Its own group: runs beside the session fixture's worker instead of after it.
pytestmark = pytest.mark.xdist_group("infra-cli")


def test_cdk_cli_synth_writes_every_stacks_template(tmp_path):
    venv_bin = constants.ROOT / ".venv" / "bin"
    env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    npx = shutil.which("npx", path=env["PATH"])
    assert npx, "node/npx must be on PATH (the CDK CLI is pinned in package.json)"

    result = subprocess.run(
        [npx, "cdk", "synth", "--quiet", "-o", str(tmp_path)],
        cwd=constants.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-4000:]
    for stack_name in constants.STACK_NAMES:
        assert (tmp_path / f"{stack_name}.template.json").is_file(), stack_name
