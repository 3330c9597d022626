"""The demo scenario of `make run`: `python -m infra.local` in a process of its own (the scenario
moves the demo clock by weeks, which would disturb the shared session system), waited on until it
logs "演示数据已就绪", then checked through the API: a published month with departments ranked,
cards, complaints in both states, an order, a survey, and today's figures."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from infra.constants import ROUTES
from infra.local.demo_scenario import READY_LINE
from tests.e2e.conftest import USERS, Client

ROOT = Path(__file__).resolve().parents[2]
# A guard against a hung start, not a speed check (bench/ measures speed): the demo's seeding takes
# about 2 to 3 minutes on two busy cores.
START_TIMEOUT_SECONDS = 420

# Its own system (not the session's), but still a whole system: it runs with the other local tests.
pytestmark = pytest.mark.local_system


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[dict]:
    state_file = tmp_path_factory.mktemp("demo") / "state.json"
    env = dict(os.environ, SUNLIGHT_API_PORT="0", SUNLIGHT_WEB_PORT="0", SUNLIGHT_MOTO_PORT="0",
               SUNLIGHT_STATE_FILE=str(state_file), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "infra.local"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    log: list[str] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not any(READY_LINE in line for line in log):
            assert process.poll() is None, "python -m infra.local stopped:\n" + "".join(log[-40:])
            assert not any("演示数据生成失败" in line for line in log), "".join(log[-60:])
            assert time.monotonic() < deadline, "no demo data in time:\n" + "".join(log[-40:])
            try:
                log.append(lines.get(timeout=1))
            except queue.Empty:
                pass
        yield json.loads(state_file.read_text()) | {"log": log}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # our own child's process group only
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def signed_in(demo):
    cognito = boto3.client("cognito-idp", endpoint_url=demo["moto_url"], region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")

    def login(username: str) -> Client:
        result = cognito.initiate_auth(ClientId=demo["outputs"]["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                       AuthParameters={"USERNAME": username, "PASSWORD": USERS["password"]})
        return Client(demo["api_url"], result["AuthenticationResult"]["IdToken"])

    return login


def test_the_demo_month_is_closed_and_published_with_departments_ranked(demo):
    progress = "".join(demo["log"])
    assert "群众在线提交 17 件申请" in progress and "月度考核已关闭并公示" in progress
    period = next(line for line in demo["log"] if READY_LINE in line).rsplit("（", 1)[1].split("）")[0]
    published = Client(demo["api_url"]).get("/public/evaluation/rankings", params={"period": period})
    assert published.status_code == 200, published.text
    ranked = [row for row in published.json()["rows"] if row["rank"] is not None]
    assert not published.json()["provisional"] and len(ranked) >= 3
    # ecology and urban: co-departments of the joint case, ranked on their own parts (会签意见);
    # echeng-market: the 上报件's receiving department, ranked on the case its window issued (办结).
    assert {"market", "planning", "housing", "health", "police", "ecology", "urban", "echeng-market"} >= {
        row["department_id"] for row in ranked}
    assert f"月度考核已关闭并公示，{len(ranked)} 个部门参与排名" in progress  # the log tells what was published


def test_cards_complaints_order_and_survey_are_there(demo, signed_in):
    inspector = signed_in("inspector")
    cards = inspector.get("/warnings", params={"department": "market", "limit": 100}).json()["items"]
    assert any(card["level"] == "yellow" for card in cards)
    complaints = inspector.get("/complaints", params={"limit": 100}).json()["items"]
    assert {c["status"] for c in complaints} == {"concluded", "dispatched"}
    orders = inspector.get("/supervision-orders").json()["items"]
    assert [o["status"] for o in orders] == ["answered"] and orders[0]["source_kind"] == "warning"
    surveys = Client(demo["api_url"]).get("/surveys").json()["items"]
    results = inspector.get(f"/surveys/{surveys[0]['survey_id']}/results").json()
    assert results["answer_count"] == 2
    leader = signed_in("planning.leader")
    assert len(leader.get("/department/extensions").json()["items"]) == 1  # the 延期 waits for the leader
    assert [c["status"] for c in signed_in("citizen1").get("/my/cases", params={"limit": 100}).json()["items"]].count("supplement") == 1


def test_the_instant_item_was_decided_at_the_window_on_the_day_of_receipt(demo, signed_in):
    mine = signed_in("citizen2").get("/my/cases", params={"limit": 100}).json()["items"]
    instant = [c for c in mine if c["flow"] == "instant"]
    assert [c["status"] for c in instant] == ["completed"]
    case = signed_in("market.window").get(f"/cases/{instant[0]['case_id']}").json()
    assert [(e["action"], e["to_state"]) for e in case["timeline"]][-2:] == [("dispatch", "instant"), ("approve", "completed")]
    decided = case["timeline"][-1]["occurred_at"][:10]
    assert decided == case["submitted_at"][:10]  # 行政许可法 第三十四条: on the spot


@pytest.mark.skipif(not any(r.path == "/monitoring/overview" for r in ROUTES), reason="the overview is not on this branch yet")
def test_the_overview_has_figures_today(demo, signed_in):
    inspector = signed_in("inspector")
    deadline = time.monotonic() + 20
    while True:  # the metrics of today's applications arrive asynchronously
        overview = inspector.get("/monitoring/overview").json()
        if overview["totals"]["received"] > 0 or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert overview["totals"]["received"] > 0


def test_the_demo_says_so_when_its_dates_reach_an_unconfirmed_year(demo, signed_in):
    """LAW.md "Counting": a year without the State Council's notice is never counted in silently.
    The years the demo says it reaches unconfirmed are those the system does not trust; the
    administrator has one notice for each, and a case that reaches one carries 日历未确认."""
    said = sorted({int(line.split("演示时间跨入", 1)[1][:4]) for line in demo["log"] if "演示时间跨入" in line})
    admin, inspector = signed_in("admin"), signed_in("inspector")
    period = next(line for line in demo["log"] if READY_LINE in line).rsplit("（", 1)[1][:7]  # "2026-12"
    year, month = int(period[:4]), int(period[5:7])
    untrusted = [y for y in (year, year + 1) if not admin.get(f"/calendar/{y}").json()["trusted"]]
    assert set(said) <= set(untrusted)
    if month == 12:  # a December demo closes the month on 1 January: its dates reach the next year
        assert said == untrusted
    notices = admin.get("/inbox", params={"box": "city#admin", "limit": 100}).json()["items"]
    assert set(n["evidence"]["year"] for n in notices) <= set(said) and len(notices) == len({n["evidence"]["year"] for n in notices})
    if said:
        assert notices, "the administrator was not told"
    for notice in notices:
        case = inspector.get(f"/cases/{notice['case_id']}").json()
        assert case["calendar_unconfirmed"] is True and "日历未确认" in notice["message"]


def test_the_demo_s_inspection_plan_drew_three_cases_published_them_and_referred_one(demo, signed_in):
    leader = signed_in("market.leader")
    (summary,) = leader.get("/inspection-plans").json()["items"]
    assert (summary["subject_count"], summary["drawn_count"]) == (8, 3)
    plan = leader.get(f"/inspection-plans/{summary['plan_id']}").json()
    assert plan["draw_check"]["reproducible"] and all(len(c["officers"]) == 2 for c in plan["cases"])
    results = Client(demo["api_url"]).get("/public/inspection-results").json()["items"]
    assert sorted(r["result"] for r in results) == ["qualified", "rectified", "referred"]
    assert any("3 户抽查结果已公示" in line for line in demo["log"])
    referred = next(c["case_id"] for c in plan["cases"] if c["case_id"] in {r["case_id"] for r in results if r["result"] == "referred"})
    enforcement = next(e["details"]["enforcement_case_id"] for e in leader.get(f"/cases/{referred}").json()["timeline"]
                       if e["details"].get("enforcement_case_id"))
    penalty = leader.get(f"/cases/{enforcement}").json()
    assert penalty["item_code"] == "420700-CF-0206" and penalty["timeline"][0]["details"]["inspection_case_id"] == referred


def _case_in_log(demo: dict, marker: str) -> str:
    line = next(line for line in demo["log"] if marker in line)
    return line.split(marker, 1)[1].split("（", 1)[1].split("）", 1)[0]


def test_the_penalties_run_a_hearing_and_the_simple_procedure(demo, signed_in):
    """行政处罚: the party asked for the hearing online; held on its day, the case ran to 结案. The
    simple procedure fined on the spot and closed."""
    inspector = signed_in("inspector")
    ordinary = inspector.get(f"/cases/{_case_in_log(demo, '对食品安全违法行为立案调查')}").json()
    actions = [e["action"] for e in ordinary["timeline"]]
    assert actions[:6] == ["apply", "dispatch", "submit", "notify", "request_hearing", "schedule_hearing"]
    assert next(e for e in ordinary["timeline"] if e["action"] == "request_hearing")["actor_role"] == "citizen"
    if any("尚未举行" in line for line in demo["log"]):  # the hearing's day is after the demo's last day
        assert ordinary["status"] == "hearing"
    else:
        assert ordinary["status"] == "completed" and actions[6:] == [
            "heard", "pass", "discussed", "penalize", "delivered", "paid", "complete"]
    assert ordinary["case_id"] in {c["case_id"] for c in signed_in("citizen1").get("/my/cases", params={"limit": 100}).json()["items"]}
    simple = inspector.get(f"/cases/{_case_in_log(demo, '适用简易程序当场处罚')}").json()
    assert simple["status"] == "completed" and [e["action"] for e in simple["timeline"]][2:] == ["penalize", "paid", "complete"]


def test_the_joint_case_is_completed_and_only_its_late_co_department_got_a_card(demo, signed_in):
    # 并联审批: housing leads; ecology gave its opinion late, so the card is ecology's part's, not the lead's.
    mine = signed_in("citizen2").get("/my/cases", params={"limit": 100}).json()["items"]
    (joint,) = [c for c in mine if c["item_code"] == "420700-XK-0404"]
    assert joint["status"] == "completed"
    inspector = signed_in("inspector")
    assert [w for w in inspector.get(f"/cases/{joint['case_id']}/warnings").json() if w["level"] in ("yellow", "red")] == []
    late = inspector.get(f"/cases/{joint['case_id']}_ecology_1/warnings").json()
    assert any(w["level"] == "yellow" and w["department_id"] == "ecology" for w in late)
    lead = signed_in("housing.handler").get(f"/cases/{joint['case_id']}").json()
    opinions = {o["department_id"]: o for o in lead["joint_opinions"]}
    assert opinions["ecology"]["overdue"] and not opinions["planning"]["overdue"] and not opinions["urban"]["overdue"]
    assert "生态环境局会签逾期" in "".join(demo["log"])


def test_the_reported_cases_are_at_the_city_and_done_and_both_departments_see_their_part(demo, signed_in):
    """上报件 (行政许可法 第三十五条): one is at the city's 审核 with an extension waiting for the city's
    leader (第四十二条); the other was approved by the city and issued by the district's window."""
    at_city, done = _case_in_log(demo, "演示：上报件"), _case_in_log(demo, "；上报件")
    part = f"{at_city}_up"  # sunlight.models.reported.upper_case_id
    mine = signed_in("citizen1").get(f"/my/cases/{at_city}").json()
    assert mine["status"] == "reported" and mine["upper_progress"]["text"] == "已上报市市场监督管理局审批，当前环节：审核"
    assert part not in {c["case_id"] for c in signed_in("citizen1").get("/my/cases", params={"limit": 100}).json()["items"]}
    city = signed_in("market.reviewer").get(f"/cases/{part}").json()
    assert (city["status"], city["actionable"], city["department_id"]) == ("review", True, "market")
    assert city["reported_from"]["department_name"] == "鄂城区市场监督管理局"
    assert [e["status"] for e in city["extensions"]] == ["requested"]
    assert part in {r["case_id"] for r in signed_in("market.leader").get("/department/extensions").json()["items"]}
    district = signed_in("echeng-market.window").get(f"/cases/{at_city}").json()
    assert district["status"] == "reported" and district["upper_progress"]["step"] == "review"
    window = signed_in("echeng-market.window")
    deadline = time.monotonic() + 20
    while (issued := window.get(f"/cases/{done}").json())["status"] != "completed" and time.monotonic() < deadline:
        time.sleep(0.3)  # the window's 办结 was the demo's last act on it; the flow closes it asynchronously
    assert issued["status"] == "completed" and issued["upper_progress"]["decided"] is True
    assert [(e["action"], e["to_state"]) for e in issued["timeline"]][-3:] == [
        ("report", "reported"), ("approve", "complete"), ("complete", "completed")]
