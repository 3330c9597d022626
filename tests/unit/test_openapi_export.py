"""The whole API's OpenAPI document (functions/http_api/openapi.json): composed from the routers of
every API function (infra/tools/openapi_export.py, `make openapi`), committed with the code, served
by the public function and read by the inspector log; the SPA's types are generated from it."""

from __future__ import annotations

import json
import re

from infra.tools import openapi_export


def test_the_committed_document_is_the_composed_one():
    from http_api.openapi_document import DOCUMENT_FILE

    committed = DOCUMENT_FILE.read_text(encoding="utf-8")
    assert committed == openapi_export.rendered(openapi_export.openapi_document()), "stale: run `make openapi` and commit it"


def test_the_export_writes_the_composed_document(tmp_path):
    target = tmp_path / "openapi.json"
    assert openapi_export.main([str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == openapi_export.openapi_document()


def test_the_document_describes_every_route_of_every_function():
    from infra.constants import ROUTES

    paths = openapi_export.openapi_document()["paths"]
    documented = {(method.upper(), path) for path, methods in paths.items() for method in methods}
    assert documented == {(r.method, r.path) for r in ROUTES} - {("GET", "/openapi.json")}


def test_composing_leaves_each_functions_routers_bound_to_its_own_resolver():
    import api_office.handler as office

    openapi_export.openapi_document()
    assert all(router.api_resolver is office.app for router in office.ROUTERS)


def test_every_reference_in_the_document_resolves():
    # A generator (openapi-typescript) refuses a document with a dangling $ref; Powertools left
    # ResponseValidationError pointing at the ValidationError schema the document replaces.
    document = openapi_export.openapi_document()
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
    assert refs and refs <= set(schemas)
