"""GET /reference and GET /me through the deployed handler: reference data for anyone, without a
sign-in; /me as its typed model (what the SPA's generated types expect)."""

from __future__ import annotations

from tests.integration.test_handlers import call, handlers, sample  # noqa: F401  (handlers: the fixture)


def _get(path: str, *, signed_in: bool) -> dict:
    event = sample("api/worklist.json") | {
        "resource": path, "path": path, "queryStringParameters": None, "multiValueQueryStringParameters": None,
    }
    event["requestContext"] = event["requestContext"] | {"resourcePath": path, "path": f"/prod{path}"}
    if not signed_in:
        event["requestContext"].pop("authorizer", None)
    return event


def test_reference_data_is_served_to_anyone(handlers):
    api, _ = handlers
    status, body = call(api, _get("/reference", signed_in=False))
    assert status == 200, body
    labels = {s["value"]: s["label"] for s in body["steps"] if s["staff"]}
    standard = next(f for f in body["flow_patterns"] if f["value"] == "standard")
    assert [labels[s] for s in standard["steps"] if s in labels] == ["受理", "承办", "审核", "批准", "办结"]
    assert {"value": "window", "label": "窗口受理人员", "staff": True, "managed": True} in body["roles"]
    assert [s["value"] for s in body["statuses"] if s["closed"]] == ["completed", "rejected", "denied", "withdrawn", "dropped", "suspended"]


def test_me_answers_the_signed_in_user_as_its_model(handlers):
    api, _ = handlers
    assert call(api, _get("/me", signed_in=False))[0] == 401
    status, me = call(api, _get("/me", signed_in=True))
    assert status == 200, me
    assert set(me) == {"user_id", "name", "roles", "role_labels", "department_id", "government_id", "bureau"}
    assert len(me["roles"]) == len(me["role_labels"]) >= 1
