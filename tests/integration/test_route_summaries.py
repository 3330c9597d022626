"""The inspector log names a request by its route's summary, which the route module reads from the
resolver that included its router (route modules never import the handler module)."""

from __future__ import annotations


def test_each_route_of_the_api_is_known_to_the_inspector_log_by_its_summary():
    from http_api import (
        handler,  # noqa: F401  (includes every router in the resolver)
        inspector_log_routes,
    )

    summaries = inspector_log_routes._operation_summaries()
    assert summaries[("GET", "/inspector-log")] == "监察日志"
    assert summaries[("GET", "/catalog/{itemCode}")] == "事项详情"  # a route of the handler module itself
    assert summaries[("GET", "/department/cases")] == "部门在办件（分管领导）"  # another router's
