"""The e2e tests' fixtures, all of them (test modules import helpers, never fixtures): clients of
the session's local system (tests/conftest.py: its own process, reached over HTTP) and the
browser (Playwright in this process only): Debian's Chromium, a fresh context per test that fails
the test on JavaScript errors and on Content-Security-Policy violations."""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path

import boto3
import pytest
import requests
from playwright import sync_api as playwright_api

ROOT = Path(__file__).resolve().parents[2]
USERS = json.loads((ROOT / "infra" / "seed" / "users.json").read_text())

expect = playwright_api.expect
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PDF = b"%PDF-1.4 sunlight web e2e\n"
PNG = base64.b64decode(  # one white pixel: an image attachment the preview shows with <img>
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC")
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)  # the flow moves on asynchronously (Step Functions)



# --- browser fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(system):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    if not (ROOT / "web" / "dist" / "index.html").exists():
        pytest.fail("web/dist is not built: `make test` builds it (cd web && npm ci && npm run build)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# Every document (frames too) reports what the Content-Security-Policy blocked.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || e.sample} on ${e.documentURI}`)
})
"""


@pytest.fixture
def page(browser, request):
    """A fresh browser context (no cookies, no storage) per test; fails the test on JavaScript
    errors and on anything the page's Content-Security-Policy blocked."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    violations: list[str] = []
    context.expose_function("__reportCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Also what Chromium logs where no listener runs (before the init script, error pages).
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:  # what the page showed when the test failed
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors in {request.node.name}: {errors}"
    assert not violations, f"Content-Security-Policy violations in {request.node.name}: {violations}"


@pytest.fixture(scope="module")
def web(system) -> str:
    return system.web_url


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("uploads")
    paths = {}
    contents = {"食品经营许可申请书.pdf": PDF, "营业执照副本.pdf": PDF, "经营场所照片.png": PNG, "病毒.exe": b"MZ not allowed"}
    for name, content in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(content)
    return paths




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
