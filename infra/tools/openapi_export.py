"""Write the whole API's OpenAPI document, composed from the routers of every API function
(functions/api_*/handler.py, ROUTERS), without the running system.

    python -m infra.tools.openapi_export functions/http_api/openapi.json   # `make openapi`
    python -m infra.tools.openapi_export build/openapi.json                # `make web-types`

No function imports every route, so the document is generated here and committed with the code
(functions/http_api/openapi.json, openapi_document.DOCUMENT_FILE): the public function serves it as
GET /openapi.json and the inspector log reads route summaries from it; a unit test fails when it
is stale. The SPA's types are generated from the same document (web/scripts/api-types.mjs), so the
browser code and the pydantic models have one contract; `make web` fails when either is stale.
Importing a handler reads no setting and calls no AWS service: the composition root is built on
the first request only (sunlight/bootstrap.py).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"


def openapi_document() -> dict:
    """The whole API's document, from the routers of every API function."""
    if str(FUNCTIONS_DIR) not in sys.path:  # the Lambdas' code root, as in the local runner
        sys.path.insert(0, str(FUNCTIONS_DIR))
    from http_api.openapi_document import compose
    from infra.constants import API_FUNCTIONS

    routers = [router for spec in API_FUNCTIONS for router in importlib.import_module(spec.handler.rsplit(".", 1)[0]).ROUTERS]
    return compose(routers)


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
