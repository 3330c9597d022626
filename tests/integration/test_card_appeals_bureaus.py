"""How the districts' 监察局 handle card appeals (申诉), through the real handlers on moto: a
department's leader appeals its card, its district's inspector decides it (POST
/warnings/{id}/actions), the decision is published as WarningAppealDecided, the evaluation
consumer counts it, and GET /evaluation/bureaus shows it in that district's row only."""

from __future__ import annotations

from datetime import datetime

import pytest

from sunlight.bootstrap import container
from sunlight.models.warnings import Warning, WarningLevel
from sunlight.rules.periods import Period
from sunlight.rules.workdays import CHINA_TZ
from tests.integration.test_evaluation import INSPECTOR, consumer, request  # noqa: F401
from tests.integration.test_evaluation_levels import ECHENG, HUARONG, districts  # noqa: F401
from tests.integration.test_handlers import call, handlers  # noqa: F401

ECHENG_INSPECTOR = {"sub": "c0ffee00-0000-4000-8000-0000000000e4", "cognito:username": "echeng.inspector", "name": "鄂城区监察员",
                    "cognito:groups": "inspector", "custom:government": ECHENG, "token_use": "id"}
HUARONG_INSPECTOR = {**ECHENG_INSPECTOR, "sub": "c0ffee00-0000-4000-8000-0000000000e5", "cognito:username": "huarong.inspector",
                     "name": "华容区监察员", "custom:government": HUARONG}
ECHENG_MARKET_DEPT_INSPECTOR = {**ECHENG_INSPECTOR, "sub": "c0ffee00-0000-4000-8000-0000000000e6",
                                "cognito:username": "echeng.market.inspector", "custom:department": "echeng-market"}


def leader_of(department: str) -> dict:
    return {"sub": f"c0ffee00-0000-4000-8000-{abs(hash(department)) % 10**12:012d}", "cognito:username": f"{department}.leader",
            "name": "分管领导", "cognito:groups": "leader", "custom:department": department, "token_use": "id"}


@pytest.fixture
def published(districts, monkeypatch):
    sent: list[tuple[str, dict]] = []
    publisher = container().publisher
    original = publisher.publish_detail

    def recording(detail_type, detail, *, resources=()):
        original(detail_type, detail, resources=resources)
        sent.append((detail_type, detail.model_dump(mode="json")))

    monkeypatch.setattr(publisher, "publish_detail", recording)
    return sent


def appealed_card(api, department: str, name: str) -> str:
    card = Warning(
        warning_id=f"SL-{name}-2-yellow", case_id=f"SL-{name}", department_id=department, item_code="420704-XK-0201",
        item_name="食品经营许可", step="handle", step_visit=2, level=WarningLevel.YELLOW, title="超时黄牌",
        message="承办环节超过时限", issued_at=datetime.now(CHINA_TZ), recipients=(f"{department}#handler",),
    )
    assert container().warnings.issue(card)
    status, body = call(api, request("POST", "/warnings/{warningId}/actions", path_params={"warningId": card.warning_id},
                                     body={"action": "appeal", "reason": "系统故障导致超时"}, claims=leader_of(department)))
    assert status == 200 and body["status"] == "appealed", body
    return card.warning_id


def decide(api, warning_id: str, action: str, claims: dict) -> tuple[int, dict]:
    return call(api, request("POST", "/warnings/{warningId}/actions", path_params={"warningId": warning_id},
                             body={"action": action, "reason": "经审查"}, claims=claims))


def test_a_district_s_decided_appeal_counts_in_its_own_row_only(districts, published, consumer):
    api, _ = districts
    echeng_card = appealed_card(api, "echeng-market", "EC1")
    huarong_card = appealed_card(api, "huarong-market", "HR1")

    # A district's 监察局 decides the appeals of its own level only; a department's 监察室 none.
    assert decide(api, echeng_card, "revoke", HUARONG_INSPECTOR)[0] == 403
    assert decide(api, echeng_card, "revoke", ECHENG_MARKET_DEPT_INSPECTOR)[0] == 403
    assert not [d for t, d in published if t == "WarningAppealDecided"]

    status, revoked = decide(api, echeng_card, "revoke", ECHENG_INSPECTOR)
    assert status == 200 and revoked["status"] == "revoked", revoked
    status, upheld = decide(api, huarong_card, "uphold", HUARONG_INSPECTOR)
    assert status == 200 and upheld["status"] == "upheld", upheld
    decisions = {d["warning_id"]: d for t, d in published if t == "WarningAppealDecided"}
    assert set(decisions) == {echeng_card, huarong_card}
    echeng = decisions[echeng_card]
    assert (echeng["outcome"], echeng["decided_by_government_id"], echeng["department_government_id"]) == ("granted", ECHENG, ECHENG)
    assert echeng["event_id"] == f"{echeng_card}:appeal-decided" and echeng["working_days_to_decide"] == 0 and echeng["on_time"]
    assert decisions[huarong_card]["outcome"] == "rejected" and decisions[huarong_card]["decided_by_government_id"] == HUARONG

    # A retried decision is refused (the card is decided) but announces the same fact again.
    assert decide(api, echeng_card, "revoke", ECHENG_INSPECTOR)[0] == 409
    again = [d for t, d in published if t == "WarningAppealDecided" and d["warning_id"] == echeng_card]
    assert len(again) == 2 and again[0] == again[1]

    for detail in decisions.values():
        assert consumer("WarningAppealDecided", detail)["result"] == "counted"
    assert consumer("WarningAppealDecided", again[1])["result"] == "duplicate"

    period = str(Period.month_of(datetime.now(CHINA_TZ)))
    status, report = call(api, request("GET", "/evaluation/bureaus", query={"period": period}, claims=INSPECTOR))
    assert status == 200, report
    rows = {b["government_id"]: b for b in report["bureaus"]}
    figures = ("appeals_decided", "appeals_decided_on_time", "appeals_granted", "appeals_granted_rate", "avg_appeal_decision_days")
    assert tuple(rows[ECHENG][f] for f in figures) == (1, 1, 1, 100.0, 0.0)
    assert tuple(rows[HUARONG][f] for f in figures) == (1, 1, 0, 0.0, 0.0)
    assert report["city_total"]["appeals_decided"] == 2 and report["city_total"]["appeals_granted"] == 1
