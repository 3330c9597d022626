"""Evaluation over HTTP on the local system: a completed case reaches the live department figures
through the bus and the fact consumer; closing a period publishes its rankings."""

from __future__ import annotations

import io
import time
import zipfile

from tests.e2e.conftest import Client, wait_for_status
from tests.e2e.test_api_flow import act, apply, market_item


def wait_for_record(client: Client, path: str, params: dict, subject_id: str, timeout: float = 20) -> list[dict]:
    """Waits until the asynchronous consumer has counted the fact (polling; no assertion on time)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        if any(r["subject_id"] == subject_id for r in items) or time.monotonic() > deadline:
            return items
        time.sleep(0.3)


def test_a_completed_case_counts_live_and_a_closed_period_is_published(public, login):
    citizen, inspector, admin = login("citizen1"), login("inspector"), login("admin")
    case_id = apply(citizen, public)["case_id"]
    window, handler, reviewer, leader = (login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))
    for client, step, action in ((window, "accept", "accept"), (handler, "handle", "submit"), (reviewer, "review", "pass"),
                                 (leader, "approve", "approve"), (window, "complete", "complete")):
        wait_for_status(client, case_id, step)
        assert act(client, case_id, action=action, opinion="同意").status_code == 200, (step, action)
    wait_for_status(window, case_id, "completed")

    live = inspector.get("/evaluation/rankings")
    assert live.status_code == 200 and live.json()["provisional"]
    period = live.json()["period"]  # the current month on the system's (demo) clock
    drilldown = "/evaluation/departments/market/drilldown"
    completed = wait_for_record(leader, drilldown, {"period": period, "metric": "completed", "limit": 100}, case_id)
    assert case_id in [r["subject_id"] for r in completed]
    received = wait_for_record(leader, drilldown, {"period": period, "metric": "received", "limit": 100}, case_id)
    assert case_id in [r["subject_id"] for r in received]
    figures = leader.get("/evaluation/departments/market", params={"period": period}).json()["score"]["figures"]
    assert figures["completed"] >= 1 and figures["received"] >= 1

    year, month = map(int, period.split("-"))
    previous = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    closed = admin.post(f"/evaluation/periods/{previous}/close")
    assert closed.status_code == 200, closed.text
    assert admin.post(f"/evaluation/periods/{period}/close").status_code == 409  # not over yet
    published = public.get("/public/evaluation/rankings", params={"period": previous})
    assert published.status_code == 200 and not published.json()["provisional"]
    assert {r["department_id"] for r in published.json()["rows"]} >= {"market", "planning"}

    # The Excel export comes through the gateway as the file itself.
    export = inspector.get("/statistics", params={"period": period, "format": "xlsx", "dimension": "category"})
    assert export.status_code == 200 and export.headers["Content-Disposition"].startswith("attachment;")
    sheet = zipfile.ZipFile(io.BytesIO(export.content)).read("xl/worksheets/sheet1.xml").decode()
    category = market_item(public)["category"]  # the item apply() chose
    assert f'<t xml:space="preserve">{category}</t>' in sheet
