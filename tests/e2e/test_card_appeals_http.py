"""Card appeals decided by a district's 监察局, on the local system: a department's leader appeals
its card, 鄂城区监察局 decides it over HTTP, the decision goes over the bus to the fact consumer,
and the city's 监察局 sees it in 鄂城区's row of GET /evaluation/bureaus (and on the page), not in
华容区's; 华容区监察局 may not decide 鄂城区's appeals. On 预警与红黄牌, 鄂城区监察局 lists its level's
departments' cards (no other district's) and reviews an appeal there.

The card is stored directly (an overdue case takes days of the clock); everything after it runs
through the API, the bus and the consumer as deployed.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import boto3

from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
from sunlight.models.warnings import Warning, WarningLevel
from sunlight.rules.workdays import CHINA_TZ
from tests.e2e.test_levels_rollup_http import ECHENG, HUARONG, ensure_districts
from tests.e2e.test_web import confirm, expect, logout
from tests.e2e.test_web import login as sign_in
from tests.e2e.test_web_staff import choose


def store_card(system, department: str) -> str:
    client = boto3.client("dynamodb", endpoint_url=system.moto_url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    tag = uuid.uuid4().hex[:8]
    card = Warning(
        warning_id=f"ap-{tag}-2-yellow", case_id=f"ap-{tag}", department_id=department, item_code="420704-XK-0201",
        item_name="食品经营许可", step="handle", step_visit=2, level=WarningLevel.YELLOW, title="超时黄牌",
        message="承办环节超过时限", issued_at=datetime.now(CHINA_TZ), recipients=(f"{department}#handler",),
    )
    assert DynamoWarningRepository(client, system.outputs["CasesTableName"]).issue(card)
    return card.warning_id


def wait_for_appeals(inspector, period: str, before: int, timeout: float = 30) -> dict:
    """Polls until the consumer has counted the decision (asynchronous; no assertion on time)."""
    deadline = time.monotonic() + timeout
    while True:
        report = inspector.get("/evaluation/bureaus", params={"period": period}).json()
        bureaus = {b["government_id"]: b for b in report["bureaus"]}
        if bureaus[ECHENG]["appeals_decided"] > before or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def test_a_district_bureau_decides_an_appeal_and_the_city_sees_it_in_that_district_only(system, login, page, web):
    ensure_districts(system)
    city = login("inspector")
    period = city.get("/evaluation/rankings").json()["period"]
    before = {b["government_id"]: b for b in city.get("/evaluation/bureaus", params={"period": period}).json()["bureaus"]}

    card = store_card(system, "echeng-market")
    appealed = login("echeng-market.leader").post(f"/warnings/{card}/actions", {"action": "appeal", "reason": "系统故障导致超时"})
    assert appealed.status_code == 200, appealed.text
    refused = login("huarong.inspector").post(f"/warnings/{card}/actions", {"action": "revoke", "reason": "非本级"})
    assert refused.status_code == 403, refused.text
    decided = login("echeng.inspector").post(f"/warnings/{card}/actions", {"action": "revoke", "reason": "情况属实，撤销黄牌"})
    assert decided.status_code == 200 and decided.json()["status"] == "revoked", decided.text

    report = wait_for_appeals(city, period, before[ECHENG]["appeals_decided"])
    bureaus = {b["government_id"]: b for b in report["bureaus"]}
    assert bureaus[ECHENG]["appeals_decided"] == before[ECHENG]["appeals_decided"] + 1
    assert bureaus[ECHENG]["appeals_granted"] == before[ECHENG]["appeals_granted"] + 1
    assert bureaus[ECHENG]["appeals_decided_on_time"] == before[ECHENG]["appeals_decided_on_time"] + 1  # decided the same day
    assert bureaus[HUARONG]["appeals_decided"] == before[HUARONG]["appeals_decided"]

    second = store_card(system, "echeng-market")
    assert login("echeng-market.leader").post(f"/warnings/{second}/actions", {"action": "appeal", "reason": "材料已补齐"}).status_code == 200
    sign_in(page, web, "echeng.inspector")
    page.goto(f"{web}/office/inbox")
    page.get_by_role("tab", name="本级及下级红黄牌").click()
    page.click("[data-test=inbox-department]")
    options = page.locator(".el-select-dropdown__item:visible")
    expect(options.filter(has_text="鄂城区市场监督管理局")).to_have_count(1)
    expect(options.filter(has_text="华容区")).to_have_count(0)
    options.filter(has_text="鄂城区市场监督管理局").first.click()
    choose(page, "inbox-status", "申诉中")
    page.click(f"[data-test=card-uphold-{second}]")
    page.fill("[data-test=card-reason]", "理由不成立，维持黄牌")
    page.click("[data-test=card-submit]")
    confirm(page)
    expect(page.locator(f"[data-test=card-uphold-{second}]")).to_have_count(0)  # decided: no more actions on it
    logout(page)
    after = {b["government_id"]: b for b in wait_for_appeals(city, period, bureaus[ECHENG]["appeals_decided"])["bureaus"]}
    assert after[ECHENG]["appeals_decided"] == bureaus[ECHENG]["appeals_decided"] + 1
    assert after[ECHENG]["appeals_granted"] == bureaus[ECHENG]["appeals_granted"]  # upheld: the card stands

    sign_in(page, web, "inspector")
    page.goto(f"{web}/evaluation/bureaus?period={period}")
    table = page.locator('[data-test="bureaus-table"]')
    expect(table).to_contain_text("申诉处理数")
    expect(table).to_contain_text("平均处理天数（工作日）")
    row = table.locator(".el-table__body-wrapper .el-table__row").filter(has=page.locator(f'[data-test="bureau-{ECHENG}"]'))
    expect(row.locator('[data-test="bureau-appeals-decided"]')).to_have_text(str(after[ECHENG]["appeals_decided"]))
