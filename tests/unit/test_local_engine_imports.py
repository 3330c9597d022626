"""The local engine (infra/local/engine/) is generic: it imports nothing of this application."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "infra" / "local" / "engine"
APPLICATION = ("sunlight", "functions", "infra")  # infra.* other than the engine itself


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_engine_imports_nothing_of_the_application() -> None:
    sources = sorted(ENGINE.glob("*.py"))
    assert {p.name for p in sources} >= {"runtime.py", "lambda_dispatch.py", "provision.py", "gateway.py"}
    offending = {
        f"{path.name}: {module}"
        for path in sources for module in _imported_modules(path)
        if module.split(".")[0] in APPLICATION and not module.startswith("infra.local.engine")
    }
    assert not offending
