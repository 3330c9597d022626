"""One local system (moto + gateway + handlers) for all e2e tests of a session."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
USERS = json.loads((ROOT / "infra" / "seed" / "users.json").read_text())


class Client:
    """A signed-in (or anonymous) user of the API."""

    def __init__(self, api_url: str, token: str | None = None, renew=None) -> None:  # type: ignore[no-untyped-def]
        self.api_url = api_url.rstrip("/")
        self.session = requests.Session()
        self.renew = renew  # signs in again: a browser test's 退出登录 ends the user's earlier sessions
        if token:
            self.session.headers["Authorization"] = token

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(method, self.api_url + path, timeout=30, **kwargs)
        if response.status_code == 401 and self.renew is not None and _code(response) == "session_revoked":
            self.session.headers["Authorization"] = self.renew()
            response = self.session.request(method, self.api_url + path, timeout=30, **kwargs)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: dict | None = None, *, key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.call("POST", path, json=body, headers=headers)


def _code(response: requests.Response) -> str | None:
    try:
        return response.json().get("code")
    except ValueError:
        return None


def demo_user(username: str) -> dict:
    return next(u for u in USERS["users"] if u["username"] == username)


@pytest.fixture(scope="session")
def login(system):
    cognito = boto3.client(
        "cognito-idp", endpoint_url=system.moto_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    tokens: dict[str, str] = {}

    def sign_in(username: str) -> str:
        if username in tokens:
            time.sleep(1)  # after a revocation: a sign-in within the same second counts as revoked (whole seconds)
        result = cognito.initiate_auth(
            ClientId=system.outputs["UserPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": USERS["password"]},
        )
        tokens[username] = result["AuthenticationResult"]["IdToken"]
        return tokens[username]

    def _login(username: str) -> Client:
        if username not in tokens:
            sign_in(username)
        return Client(system.api_url, tokens[username], renew=lambda: sign_in(username))

    return _login


def wait_for_status(client: Client, case_id: str, status: str, *, path: str = "/cases/{}", timeout: float = 15) -> dict:
    """Step Functions runs asynchronously: poll until the case reaches `status`."""
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        response = client.get(path.format(case_id))
        body = response.json()
        if response.status_code == 200 and body["status"] == status and (status in CLOSED or body.get("actionable", True)):
            return body
        time.sleep(0.05)
    raise AssertionError(f"case {case_id} did not reach {status}: {body}")


CLOSED = {"completed", "rejected", "denied", "withdrawn", "suspended"}


def new_key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="session")
def public(system) -> Client:
    return Client(system.api_url)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell a failed test (screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
