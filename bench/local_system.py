"""The local system over HTTP: wall time of one whole case (citizen applies with an attachment,
staff take it through 受理 → 承办 → 审核 → 批准 → 办结, the citizen tracks the result), and
requests per second of the local API.

    .venv/bin/python -m bench.local_system
"""

from __future__ import annotations

import statistics
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
LOAD_SECONDS = 5
LOAD_THREADS = 8


def main() -> None:
    warnings.filterwarnings("ignore", "No application metrics to publish")
    import logging

    logging.disable(logging.INFO)  # the servers log every request
    from infra.local.runner import start_local_system
    from tests.e2e.conftest import Client
    from tests.e2e.test_api_flow import apply

    started = time.perf_counter()
    with start_local_system(ROOT / "cdk.out", api_port=0, web_port=0, moto_port=0, seed=True) as system:
        print(f"local system started and seeded in {time.perf_counter() - started:.1f} s")
        login = _login(system)
        public = Client(system.api_url)

        durations = [_whole_case(public, login, apply) for _ in range(3)]
        print(f"one whole case (9 HTTP actions + async flow), wall time: median {statistics.median(durations):.2f} s over {len(durations)}")

        for label, path in (("GET /catalog", "/catalog?limit=20"), ("GET /catalog/{itemCode}", "/catalog/420700-XK-0201")):
            count, elapsed = _load(system.api_url.rstrip("/") + path)
            print(f"{label}: {count / elapsed:.0f} requests/s ({LOAD_THREADS} client threads, {LOAD_SECONDS} s, one server process)")


def _login(system):
    import boto3

    from tests.e2e.conftest import USERS, Client

    cognito = boto3.client("cognito-idp", endpoint_url=system.moto_url, region_name="us-east-1",
                           aws_access_key_id="x", aws_secret_access_key="x")

    def login(username: str) -> Client:
        result = cognito.initiate_auth(ClientId=system.outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": username, "PASSWORD": USERS["password"]})
        return Client(system.api_url, result["AuthenticationResult"]["IdToken"])

    return login


def _whole_case(public, login, apply) -> float:
    from tests.e2e.conftest import wait_for_status

    citizen = login("citizen1")
    staff = {r: login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader")}
    started = time.perf_counter()
    receipt = apply(citizen, public)
    case_id = receipt["case_id"]
    for step, decision, role, opinion in (
        ("accept", "accept", "window", "材料齐全"), ("handle", "submit", "handler", "符合条件"),
        ("review", "pass", "reviewer", "同意"), ("approve", "approve", "leader", "准予许可"),
        ("complete", "complete", "window", "证书已送达"),
    ):
        wait_for_status(staff[role], case_id, step)
        response = staff[role].post(f"/cases/{case_id}/actions", {"action": decision, "opinion": opinion})
        assert response.status_code == 200, response.text
    wait_for_status(staff["window"], case_id, "completed")
    tracked = public.post("/track", {"case_id": case_id, "query_code": receipt["query_code"]})
    assert tracked.json()["status"] == "completed"
    return time.perf_counter() - started


def _load(url: str) -> tuple[int, float]:
    deadline = time.perf_counter() + LOAD_SECONDS

    def worker() -> int:
        session, done = requests.Session(), 0
        while time.perf_counter() < deadline:
            assert session.get(url, timeout=10).status_code == 200
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(LOAD_THREADS) as pool:
        total = sum(pool.map(lambda _: worker(), range(LOAD_THREADS)))
    return total, time.perf_counter() - started


if __name__ == "__main__":
    main()
