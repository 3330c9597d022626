"""The outbound exchange on the running local system: facts on the bus reach the local higher-level
platform (infra/local/upper_platform.py) signed, schema-valid, once each as it sees them, in order per
case, whatever fault it is told to show; a message it never acknowledges goes to the dead-letter queue
and the redrive command brings it back.

Facts are published one after another, each once the outbox has it, as the system publishes a case's
steps; a real case through the API shows the case's own facts going up.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import defaultdict

import pytest
import requests

from infra.tools.exchange_redrive import redrive
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.exchange import MessageType
from sunlight.rules.exchange import case_message_type, message_id
from tests.e2e.conftest import wait_for_status
from tests.e2e.test_api_flow import act, apply
from tests.unit.exchange_facts import facts

WAIT_SECONDS = 60


def _platform(system) -> str:
    assert system.upper_platform_url, "the local system runs no higher-level platform"
    return system.upper_platform_url


def _received(system) -> dict:
    return requests.get(f"{_platform(system)}/messages", timeout=10).json()


def _fault(system, **spec) -> None:
    response = requests.post(f"{_platform(system)}/_faults", json=spec, timeout=10)
    assert response.status_code == 200, response.text


def _exchange_table(system) -> str:
    return next(v for k, v in system.physical_ids.items() if re.fullmatch(r"ExchangeTable[0-9A-F]{8}", k))


def _stored(system, message_id: str) -> dict | None:
    item = system.client("dynamodb").get_item(TableName=_exchange_table(system), Key={
        "pk": {"S": f"MSG#{message_id}"}, "sk": {"S": "MSG"}}).get("Item")
    return item


def _wait(condition, what: str, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _case_facts(case_id: str, steps: int) -> list[tuple[str, dict]]:
    """A case's facts: received, `steps - 2` transitions, decided, completed (seq 1..steps)."""
    detail_type, received = facts["case_received"]
    states = ["accept", "handle", "review", "approve", "complete", "completed"]
    out = [(detail_type, {**received, "case_id": case_id, "event_id": f"{case_id}-1", "seq": 1})]
    for seq in range(2, steps + 1):
        from_state, to_state = states[min(seq - 2, 4)], states[min(seq - 1, 5)]
        out.append((detail_type, {**received, "case_id": case_id, "event_id": f"{case_id}-{seq}", "seq": seq,
                                  "action": "step", "from_state": from_state, "to_state": to_state,
                                  "actor": {"user_id": "u", "name": "经办人", "role": "handler"}}))
    return out


def _publish(system, detail_type: str, detail: dict) -> None:
    events = system.client("events")
    answer = events.put_events(Entries=[{"Source": "sunlight.approval", "DetailType": detail_type, "Detail": json.dumps(detail),
                                         "EventBusName": system.outputs["EventBusName"]}])
    assert answer["FailedEntryCount"] == 0


def _publish_in_order(system, case_facts: list[tuple[str, dict]]) -> None:
    """Each fact once the outbox has the one before: a case's steps happen one after another."""

    for detail_type, detail in case_facts:
        _publish(system, detail_type, detail)
        kind: MessageType = case_message_type(CaseTransitionedV1.model_validate(detail))
        _wait(lambda d=detail, k=kind: _stored(system, message_id(d["event_id"], k)), f"the outbox to store {detail['event_id']}")


def _check_once_and_in_order(system, case_ids: list[str], per_case: int) -> dict:
    received = _received(system)
    ours = [m for m in received["messages"] if m["entity_id"] in case_ids]
    ids = [m["message_id"] for m in ours]
    assert len(ids) == len(set(ids)) == per_case * len(case_ids), "nothing lost, nothing recorded twice"
    sequences = defaultdict(list)
    for message in ours:
        sequences[message["entity_id"]].append(message["sequence"])
    assert all(seq == list(range(1, per_case + 1)) for seq in sequences.values()), f"order per case: {dict(sequences)}"
    return received


def _all_received(system, case_ids: list[str], per_case: int):
    return _wait(lambda: len([m for m in _received(system)["messages"] if m["entity_id"] in case_ids]) >= per_case * len(case_ids),
                 "every message at the receiver")


@pytest.mark.parametrize(("fault", "spec"), [
    ("refuse", {"count": 3}),
    ("error", {"count": 3}),
    ("timeout", {"count": 2}),
    ("double_ack", {"count": 2}),
    ("down", {"seconds": 12}),  # longer than the queue's 5 s delivery delay
])
def test_under_each_fault_nothing_is_lost_nothing_duplicated_and_each_case_keeps_its_order(system, fault, spec):
    cases = [f"SLEX{fault.upper()}{uuid.uuid4().hex[:6]}{n}" for n in range(2)]
    _fault(system, mode=fault, **spec)
    for case_id in cases:
        _publish_in_order(system, _case_facts(case_id, 4))
    _all_received(system, cases, 4)
    received = _check_once_and_in_order(system, cases, 4)
    assert received["faults_applied"].get(fault, 0) >= 1, f"the {fault} fault was not applied"
    assert received["rejected"] == [] or all(r.get("status") != 401 for r in received["rejected"]), "signatures hold"
    _fault(system, mode="none")


def test_a_fact_the_bus_delivers_after_its_successor_was_due_still_reaches_the_receiver_first(system):
    case_id = f"SLEXLATE{uuid.uuid4().hex[:8]}"
    one, two, three, four = _case_facts(case_id, 4)
    _publish_in_order(system, [one, two, four])
    # past the queue's 5 s delivery delay: without the hold, the 4th would go now, before the 3rd
    time.sleep(7)
    _publish_in_order(system, [three])
    _all_received(system, [case_id], 4)
    _check_once_and_in_order(system, [case_id], 4)


def test_a_message_never_acknowledged_goes_to_the_dead_letter_queue_and_redrive_delivers_it_once(system):
    # two cases (two FIFO groups): their receives interleave, so both reach the DLQ in one run of retries
    case_ids = [f"SLEXDLQ{uuid.uuid4().hex[:8]}{n}" for n in range(2)]
    _fault(system, mode="error", count=1000)
    try:
        for case_id in case_ids:
            _publish_in_order(system, _case_facts(case_id, 1))
        sqs = system.client("sqs")
        dlq = system.outputs["ExchangeDeadLetterQueueUrl"]
        _wait(lambda: int(sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
                          ["Attributes"]["ApproximateNumberOfMessages"]) >= 2, "both messages in the dead-letter queue", timeout=120)
    finally:
        _fault(system, mode="none")
    assert [m for m in _received(system)["messages"] if m["entity_id"] in case_ids] == []
    moved = redrive(sqs, system.outputs["ExchangeQueueUrl"], dlq)
    assert len(moved) >= 2
    _all_received(system, case_ids, 1)
    _check_once_and_in_order(system, case_ids, 1)
    for message in (m for m in _received(system)["messages"] if m["entity_id"] in case_ids):
        _wait(lambda m=message: (_stored(system, m["message_id"]) or {}).get("state", {}).get("S") == "acked", "the acknowledgement recorded")


def test_a_real_case_sends_its_receipt_and_steps_upward(system, public, login):
    citizen = login("citizen1")
    case_id = apply(citizen, public)["case_id"]
    window = login("market.window")
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    wait_for_status(login("market.handler"), case_id, "handle")

    def ours():
        messages = [m for m in _received(system)["messages"] if m["entity_id"] == case_id and m["message_type"].startswith("case_")]
        return messages if len(messages) >= 2 else None

    messages = _wait(ours, "the case's messages at the receiver")
    # the application is not a bus fact; its dispatch into the flow is the receipt (收件)
    assert [(m["message_type"], m["body"].get("to_state")) for m in messages] == [("case_received", None), ("case_transitioned", "handle")]
    # gap-free from the receipt: what the sender's hold-until-predecessor rule rests on
    first = messages[0]["sequence"]
    assert [m["sequence"] for m in messages] == list(range(first, first + len(messages)))
    assert all(m["government_id"] == "420700" and m["platform_id"] == "420700" for m in messages)
    assert "李华" not in json.dumps(messages, ensure_ascii=False), "no applicant's personal data goes upward"


def test_the_receiver_page_shows_what_it_received_in_chinese(system):
    page = requests.get(f"{_platform(system)}/", timeout=10)
    assert page.status_code == 200 and "上级电子监察平台" in page.text and "已接收消息" in page.text


def _reconcile(system) -> None:
    name = next(v for k, v in system.physical_ids.items() if re.fullmatch(r"ExchangeReconcileFunction[0-9A-F]{8}", k))
    answer = system.client("lambda").invoke(FunctionName=name, Payload=b"{}")
    assert "FunctionError" not in answer, answer["Payload"].read()


def test_city_inspectors_see_the_daily_reconciliation_and_department_inspectors_do_not(system, login, public):
    case_id = f"SLEXREC{uuid.uuid4().hex[:8]}"
    _publish_in_order(system, _case_facts(case_id, 2))
    _all_received(system, [case_id], 2)
    _wait(lambda: all((_stored(system, m["message_id"]) or {}).get("state", {}).get("S") == "acked"
                      for m in _received(system)["messages"] if m["entity_id"] == case_id), "the acknowledgements recorded")
    _reconcile(system)
    inspector = login("inspector")
    answer = inspector.get("/monitoring/exchange", params={"days": 7})
    assert answer.status_code == 200, answer.text
    reconciliation = answer.json()
    assert reconciliation["status"]["enabled"] is True
    today = max(row["day"] for row in reconciliation["days"])
    rows = {row["message_type"]: row for row in reconciliation["days"] if row["day"] == today}
    assert rows["case_received"]["type_label"] == "收件" and rows["case_received"]["sent"] >= 1
    for row in rows.values():  # every message sent is acknowledged, given up or still being retried
        assert row["sent"] == row["acked"] + row["failed"] + row["pending"]
    assert login("market.inspector").get("/monitoring/exchange").status_code == 403
    assert login("market.leader").get("/monitoring/exchange").status_code == 403
    assert public.get("/monitoring/exchange").status_code == 401


def test_the_reconciliation_page_shows_the_figures_in_chinese(system, page, web):
    from tests.e2e.test_web import expect
    from tests.e2e.test_web import login as sign_in

    _reconcile(system)
    sign_in(page, web, "inspector")
    page.hover("[data-test=nav-group-supervision]")
    page.locator(".el-dropdown-menu [data-test=nav-exchange]:visible").click()
    expect(page.locator("h1")).to_have_text("数据交换对账")
    table = page.locator("[data-test=exchange-table]")
    expect(table).to_contain_text("收件")
    expect(page.locator("[data-test=exchange-status]")).to_contain_text("数据交换已启用")
    expect(page.locator("[data-test=exchange-total-sent]")).to_contain_text("已发送")
