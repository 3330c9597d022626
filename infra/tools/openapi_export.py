"""Write the API's OpenAPI document, as GET /openapi.json serves it, without the running system.

    python -m infra.tools.openapi_export web/src/api/openapi.json

The SPA's types are generated from this file (web/scripts/api-types.mjs, `make web-types`), so the
browser code and the pydantic models have one contract; `make web` fails when either is stale.
Importing the handler reads no setting and calls no AWS service: the composition root is built on
the first request only (sunlight/bootstrap.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


def openapi_document() -> dict:
    """The served document, parsed (functions/http_api/handler.py, `_openapi_document`)."""
    if str(FUNCTIONS_DIR) not in sys.path:  # the Lambda's code root, as in the local runner
        sys.path.insert(0, str(FUNCTIONS_DIR))
    from http_api import handler

    return json.loads(handler._openapi_document())


def rendered(document: dict) -> str:
    # Indented so a change to the contract reads as a small diff in review.
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m infra.tools.openapi_export OUTPUT.json", file=sys.stderr)
        return 2
    Path(argv[0]).write_text(rendered(openapi_document()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
