"""The OpenAPI document that the SPA's types are generated from (infra/tools/openapi_export.py,
web/scripts/api-types.mjs): written offline, exactly as GET /openapi.json serves it, and whole."""

from __future__ import annotations

import json
import re

from infra.tools import openapi_export


def test_the_export_is_the_served_document(tmp_path):
    from http_api.handler import _openapi_document

    target = tmp_path / "openapi.json"
    assert openapi_export.main([str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(_openapi_document())


def test_every_reference_in_the_document_resolves():
    # A generator (openapi-typescript) refuses a document with a dangling $ref; Powertools left
    # ResponseValidationError pointing at the ValidationError schema the document replaces.
    document = openapi_export.openapi_document()
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
    assert refs and refs <= set(schemas)

