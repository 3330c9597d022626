"""Build the third-party half of the Lambda layer (build/deps-layer/python) without Docker.

Reads the runtime dependencies from pyproject.toml and installs manylinux wheels for the
Lambda runtime and architecture that the stack deploys (see infra/constants.py).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.constants import DEPS_LAYER_DIR, LAMBDA_PLATFORM, LAMBDA_PYTHON_VERSION, ROOT


def main() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    target = DEPS_LAYER_DIR / "python"
    shutil.rmtree(DEPS_LAYER_DIR, ignore_errors=True)
    target.mkdir(parents=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--target", str(target), "--platform", LAMBDA_PLATFORM, "--implementation", "cp",
         "--python-version", LAMBDA_PYTHON_VERSION, "--only-binary=:all:", *dependencies],
        check=True,
    )


if __name__ == "__main__":
    main()
