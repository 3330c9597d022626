"""Order per case upward: which message a message must follow (rules/exchange.py), the sender holding a
message whose predecessor has not reached the outbox, and the fact the rule rests on: a case's
published facts are gap-free from its receipt (收件), whatever path the case takes."""

from __future__ import annotations

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.exchange import DeliveryState, MessageType
from sunlight.models.flow import Outcome
from sunlight.models.requests import SupplementRequest
from sunlight.rules.exchange import case_message_type, message_for, missing_predecessor, predecessor_sequence
from tests.unit.conftest import CITIZEN, HANDLER, LEADER, REVIEWER, WINDOW
from tests.unit.exchange_facts import facts
from tests.unit.test_exchange_services import _ack, _delivery, _setup
from tests.unit.test_reported_flow import ReportedWorld
from tests.unit.test_staff_and_flow import act

C = MessageType


@pytest.mark.parametrize(("message_type", "sequence", "expected"), [
    (C.CASE_RECEIVED, 2, None),  # a case's first message
    (C.CASE_RECEIVED, 1, None),
    (C.CASE_TRANSITIONED, 3, 2),
    (C.CASE_DECIDED, 7, 6),
    (C.CASE_COMPLETED, 9, 8),
    (C.ORDER_ISSUED, 1, None),
    (C.ORDER_ANSWERED, 2, 1),  # an answer follows the order's issue
    (C.ORDER_CONCLUDED, 3, 1),  # so does a conclusion (an order may be concluded unanswered)
    (C.WARNING_ISSUED, 0, None),  # cards and anomalies are not in the case's order
    (C.COMPLAINT_CONCLUDED, 1, None),
])
def test_which_message_a_message_follows(message_type, sequence, expected):
    assert predecessor_sequence(message_type, sequence) == expected


def _case_message(seq: int, kind: str = "case_transitioned"):
    detail_type, detail = facts[kind]
    return message_for(detail_type, {**detail, "seq": seq, "event_id": f"EV-{seq}"}, platform_id="420700",
                       government_of=lambda d: "420704")


@pytest.mark.parametrize(("stored", "expected"), [
    ({}, 4),  # nothing before it yet
    ({4: (C.CASE_TRANSITIONED, True)}, None),  # the one before was sent (and its own chain was checked then)
    ({4: (C.CASE_TRANSITIONED, False), 3: (C.CASE_TRANSITIONED, False), 2: (C.CASE_RECEIVED, False)}, None),
    ({4: (C.CASE_TRANSITIONED, False), 2: (C.CASE_RECEIVED, True)}, 3),  # a hole further back
    ({4: (C.CASE_TRANSITIONED, False), 3: (C.CASE_TRANSITIONED, True)}, None),
])
def test_a_message_waits_for_the_nearest_earlier_fact_the_outbox_lacks(stored, expected):
    assert missing_predecessor(_case_message(5), stored) == expected


def test_the_sender_holds_a_message_whose_predecessor_is_missing_and_the_group_waits_behind_it():
    received, decided = _case_message(2, "case_received"), _case_message(4, "case_decided")
    outbox, queue, transport, sender, outboxes = _setup([])
    for message in (received, decided):
        outbox.put_new(message, received.occurred_at.date(), received.occurred_at)
    outbox.mark_acked(received.message_id, "accepted", received.occurred_at)
    later = _case_message(5, "case_completed")
    outbox.put_new(later, received.occurred_at.date(), received.occurred_at)
    outcomes = sender.deliver_batch([_delivery(decided, receive_count=1), _delivery(later, receive_count=1)])
    assert [o.result for o in outcomes] == ["held", "skipped"] and "sequence 3" in outcomes[0].detail
    assert transport.posts == [] and queue.delays == [30, 0]  # three times the backoff of a retry
    assert outbox.get(decided.message_id).state is DeliveryState.PENDING and outbox.failures == []


def test_once_the_late_fact_arrives_it_goes_first_then_the_held_one():
    received, transitioned, decided = (_case_message(2, "case_received"), _case_message(3), _case_message(4, "case_decided"))
    outbox, queue, transport, sender, outboxes = _setup([_ack(transitioned), _ack(decided)])
    for message in (received, decided, transitioned):  # the bus delivered the transition last
        outbox.put_new(message, received.occurred_at.date(), received.occurred_at)
    outbox.mark_acked(received.message_id, "accepted", received.occurred_at)
    assert sender.deliver(_delivery(decided, receive_count=2)).result == "acked"
    assert [body for body, _ in transport.posts] == [_body(transitioned), _body(decided)]
    assert sender.deliver(_delivery(transitioned)).result == "already_acked"


def test_a_predecessor_that_never_comes_does_not_stop_the_case_for_good():
    decided = _case_message(4, "case_decided")
    outbox, queue, transport, sender, outboxes = _setup([_ack(decided)])
    outbox.put_new(decided, decided.occurred_at.date(), decided.occurred_at)
    # max_receives 4: two receives may hold, the third sends with the gap said
    assert [sender.deliver(_delivery(decided, receive_count=n)).result for n in (1, 2)] == ["held", "held"]
    outcome = sender.deliver(_delivery(decided, receive_count=3))
    assert outcome.result == "acked" and outcome.detail == "sent without sequence 3" and len(transport.posts) == 1


def _body(message) -> bytes:
    from sunlight.rules.exchange_signing import canonical_body

    return canonical_body(message)


# -- the fact the rule rests on ---------------------------------------------------------------------


def _assert_published_gap_free(world, case_id: str) -> None:
    """Every timeline event of the case is on the bus except the application's own (seq 1 into 已提交),
    and the first one published is the receipt."""
    events = world.cases.events[case_id]
    published = [p for p in world.publisher.published if p.case_id == case_id]
    expected = [e.seq for e in events if not (e.from_state is None and e.to_state is CaseStatus.SUBMITTED)]
    assert sorted({p.seq for p in published}) == expected, f"{case_id}: timeline {[(e.seq, e.action) for e in events]}"
    first = min(published, key=lambda p: p.seq)
    assert case_message_type(first) is MessageType.CASE_RECEIVED
    assert all(case_message_type(p) is not MessageType.CASE_RECEIVED for p in published if p.seq != first.seq)


def test_a_standard_case_with_a_supplement_and_a_return_publishes_every_step(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="request_supplement", missing_materials=["营业执照副本"])
    world.enter(case_id, "supplement")
    upload = world.uploaded(upload_id="c" * 32, file_name="营业执照副本.pdf")
    world.applications.supplement(CITIZEN, case_id, SupplementRequest(upload_ids=[upload], note="已补齐"), None)
    world.enter(case_id, "accept")
    act(world, WINDOW, case_id, action="accept", opinion="材料齐全，予以受理")
    world.enter(case_id, "handle")
    act(world, HANDLER, case_id, action="submit", opinion="符合条件")
    world.enter(case_id, "review")
    act(world, REVIEWER, case_id, action="return", opinion="请补充核查记录")
    world.enter(case_id, "handle")
    act(world, HANDLER, case_id, action="submit", opinion="已补充核查记录")
    world.enter(case_id, "review")
    act(world, REVIEWER, case_id, action="pass")
    world.enter(case_id, "approve")
    act(world, LEADER, case_id, action="approve", opinion="准予许可")
    world.enter(case_id, "complete")
    act(world, WINDOW, case_id, action="complete", opinion="证书已送达")
    world.flow.finalize(case_id, Outcome.COMPLETED)
    _assert_published_gap_free(world, case_id)


def test_a_reported_case_and_its_upper_part_each_publish_every_step():
    world = ReportedWorld()
    case_id, part_id = world.reported()
    world.upper_decides(part_id, "approve")
    world.flow.report_back(case_id)
    world.enter(case_id, "complete")
    _assert_published_gap_free(world, case_id)
    _assert_published_gap_free(world, part_id)


def test_deployed_holds_wait_about_seven_and_a_half_minutes_in_four_receives_leaving_four_for_delivery():
    from sunlight.services.exchange import DeliveryPolicy

    policy = DeliveryPolicy(endpoint="https://upper.example/m")  # the template's: 10 s backoff up to 15 min, 8 receives
    assert policy.hold_receives == 4
    assert [policy.hold_seconds(n) for n in range(1, policy.hold_receives + 1)] == [30, 60, 120, 240]
