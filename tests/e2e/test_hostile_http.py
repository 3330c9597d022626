"""Hostile requests over HTTP against the local system (gateway + handlers on the moto server):
what API Gateway answers for methods and paths the API does not define, 415 for a body that is
not JSON, 400 for an altered page cursor, and the signed cursor of the local key working."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("method", "path"), [
    ("TRACE", "/catalog"), ("PROPFIND", "/catalog"), ("DELETE", "/catalog"), ("GET", "/no-such-path"),
    ("POST", "/catalog/x/y/z"), ("PATCH", "/applications"),
])
def test_an_undefined_method_or_path_is_403_as_api_gateway_answers(public, method, path):
    response = public.call(method, path)
    assert response.status_code == 403, (method, path, response.text)
    assert response.json() == {"message": "Missing Authentication Token"}


def test_a_body_that_is_not_json_is_415_in_chinese(login):
    citizen = login("citizen1")
    for content_type, body in (("text/plain", "hello"), ("application/xml", "<a/>"),
                               ("multipart/form-data; boundary=x", "--x--")):
        response = citizen.call("POST", "/applications", data=body.encode(), headers={"Content-Type": content_type})
        assert response.status_code == 415, response.text
        assert "JSON" in response.json()["message"]


def test_page_cursors_are_signed_with_the_local_key(public):
    first = public.get("/catalog", params={"limit": 5}).json()
    second = public.get("/catalog", params={"limit": 5, "cursor": first["next_cursor"]})
    assert second.status_code == 200 and second.json()["items"][0] != first["items"][0]
    altered = first["next_cursor"][:-2] + ("AA" if not first["next_cursor"].endswith("AA") else "BB")
    response = public.get("/catalog", params={"limit": 5, "cursor": altered})
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
