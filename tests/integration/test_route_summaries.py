"""The inspector log names a request by its route's summary, read from the whole API's OpenAPI
document that ships with the functions (not from any resolver's private route tables)."""

from __future__ import annotations


def test_each_route_of_the_api_is_known_to_the_inspector_log_by_its_summary():
    from http_api.openapi_document import operation_summaries
    from infra.constants import ROUTES

    summaries = operation_summaries()
    assert summaries[("GET", "/inspector-log")] == "监察日志"
    assert summaries[("GET", "/catalog/{itemCode}")] == "事项详情"  # the public function's
    assert summaries[("GET", "/department/cases")] == "部门在办件（分管领导）"  # the office's
    assert summaries[("PUT", "/admin/users/{username}")]  # the administration's
    assert set(summaries) == {(r.method, r.path) for r in ROUTES} - {("GET", "/openapi.json")}
