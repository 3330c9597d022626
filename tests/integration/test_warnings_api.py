"""The warning lists' filters through the API handler on moto: known values are passed on, an
unknown one is a 422 naming the field and its choices."""

from __future__ import annotations

import pytest

from tests.integration.test_handlers import call, handlers  # noqa: F401  (fixture)
from tests.integration.test_office_api import event


def handler_query(path: str, query: dict) -> dict:
    return event("GET", path, user="market.handler", groups="handler", department="market", query=query)


@pytest.mark.parametrize("path", ["/inbox", "/warnings"])
def test_known_filters_answer_a_page(handlers, path):
    api, _ = handlers
    status, page = call(api, handler_query(path, {"level": "red", "status": "appealed", "limit": "5"}))
    assert (status, page) == (200, {"items": [], "next_cursor": None})


@pytest.mark.parametrize("path", ["/inbox", "/warnings"])
@pytest.mark.parametrize(("query", "field", "message"), [
    ({"level": "purple"}, "level", "预警类别的取值无效，可选：reminder、yellow、red、anomaly"),
    ({"status": "closed"}, "status", "状态的取值无效，可选：issued、acknowledged、appealed、upheld、revoked"),
])
def test_unknown_filter_values_are_422_in_chinese(handlers, path, query, field, message):
    api, _ = handlers
    status, body = call(api, handler_query(path, query))
    assert status == 422 and body["code"] == "validation_error"
    assert body["errors"] == [{"field": field, "message": message}]
