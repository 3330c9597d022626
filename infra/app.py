"""CDK entry point: `npx cdk synth` runs this file (see cdk.json); tests call build_app()."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# `python infra/app.py` puts infra/ first on sys.path, where infra/constructs would shadow the
# `constructs` library: put the project root there instead.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from infra import constants
from infra.stack import SunlightStacks

CDK_JSON = constants.ROOT / "cdk.json"


def cdk_json_context() -> dict[str, Any]:
    """The feature flags and context of cdk.json, which the CLI passes to the app and tests must too."""
    return json.loads(CDK_JSON.read_text(encoding="utf-8"))["context"]


def build_app(context: dict[str, Any] | None = None) -> tuple[App, SunlightStacks]:
    """The app with all its stacks (constants.STACK_NAMES); `cdk deploy --all` deploys them in order."""
    app = App(context=context)
    stacks = SunlightStacks(app)
    # cdk-nag 3 is a policy-validation plugin (the v2 Aspect API is gone): findings fail synth,
    # of every stack of the app.
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))
    return app, stacks


if __name__ == "__main__":
    application, _ = build_app()
    application.synth()
