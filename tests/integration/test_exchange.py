"""The outbound exchange on moto: the outbox stores each message once and queues it in its case's
FIFO group; the sender signs, POSTs to the local higher-level platform (a real HTTP server,
infra/local/upper_platform.py) and records acknowledgements; failures back off and end in the DLQ."""

from __future__ import annotations

import json
import threading

import boto3
import pytest
from moto import mock_aws

from infra.local.upper_platform import start_upper_platform
from sunlight.bootstrap import Container
from sunlight.config import EnvKeys, Settings
from sunlight.models.exchange import DeliveryState
from sunlight.services.exchange import NOT_DELIVERED, ExchangeOutboxService, QueuedDelivery
from tests.unit.exchange_facts import facts

KEY = b"integration-key"
MAX_RECEIVES = 3


@pytest.fixture
def platform():
    server, thread = start_upper_platform({"k1": KEY}, timeout_sleep_seconds=1.5)
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def aws(aws_credentials):
    with mock_aws():
        dynamodb = boto3.client("dynamodb")
        for name, index in (("exchange", True), ("supervision", False)):
            extra = {"GlobalSecondaryIndexes": [{"IndexName": prefix, "KeySchema": [
                {"AttributeName": f"{prefix}_pk", "KeyType": "HASH"}, {"AttributeName": f"{prefix}_sk", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}} for prefix in ("day", "entity")]} if index else {}
            keys = ("pk", "sk", "day_pk", "day_sk", "entity_pk", "entity_sk") if index else ("pk", "sk")
            attributes = [{"AttributeName": n, "AttributeType": "S"} for n in keys]
            dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=attributes,
                                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                                  **extra)
        sqs = boto3.client("sqs")
        dlq = sqs.create_queue(QueueName="exchange-dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        queue = sqs.create_queue(QueueName="exchange.fifo", Attributes={
            "FifoQueue": "true", "VisibilityTimeout": "30",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVES})})["QueueUrl"]
        boto3.client("secretsmanager").create_secret(Name="exchange-key", SecretString=json.dumps({"key_id": "k1", "key": KEY.decode()}))
        yield {"queue": queue, "dlq": dlq, "sqs": sqs, "dynamodb": dynamodb}


def _container(aws, endpoint: str) -> Container:
    settings = Settings.from_env({
        EnvKeys.EXCHANGE_TABLE: "exchange", EnvKeys.SUPERVISION_TABLE: "supervision", EnvKeys.EXCHANGE_QUEUE_URL: aws["queue"],
        EnvKeys.EXCHANGE_ENDPOINT: endpoint, EnvKeys.EXCHANGE_SECRET: "exchange-key", EnvKeys.EXCHANGE_ENABLED: "true",
        EnvKeys.EXCHANGE_TIMEOUT_SECONDS: "1", EnvKeys.EXCHANGE_BACKOFF_BASE_SECONDS: "0", EnvKeys.EXCHANGE_BACKOFF_CAP_SECONDS: "0",
        EnvKeys.EXCHANGE_MAX_RECEIVES: str(MAX_RECEIVES),
    })
    container = Container(settings)
    # the outbox without the catalog: every department is 鄂城区's
    container.__dict__["exchange_outbox"] = ExchangeOutboxService(
        outbox=container.exchange_outbox_store, queue=container.exchange_queue, clock=container.clock, platform_id="420700",
        government_of=lambda department: "420704")
    return container


def _receive(aws, queue: str = "queue", batch: int = 1) -> list[QueuedDelivery]:
    # batch size 1, as the event source mapping (infra/constructs/exchange.py)
    answer = aws["sqs"].receive_message(QueueUrl=aws[queue], MaxNumberOfMessages=batch, AttributeNames=["All"])
    return [QueuedDelivery(m["MessageId"], m["ReceiptHandle"], m["Body"], int(m["Attributes"]["ApproximateReceiveCount"]),
                           m["Attributes"]["MessageGroupId"]) for m in answer.get("Messages", [])]


def _drain(aws, container: Container, rounds: int = 20) -> list:
    """The event source mapping, by hand: receive, deliver, delete what was delivered."""
    outcomes = []
    for _ in range(rounds):
        deliveries = _receive(aws)
        if not deliveries:
            break
        for delivery, outcome in zip(deliveries, container.exchange_sender.deliver_batch(deliveries), strict=True):
            outcomes.append(outcome)
            if outcome.result not in NOT_DELIVERED:
                aws["sqs"].delete_message(QueueUrl=aws["queue"], ReceiptHandle=delivery.receipt_handle)
    return outcomes


def test_a_redelivered_fact_is_stored_and_counted_once(aws, platform):
    container = _container(aws, platform.endpoint)
    detail_type, detail = facts["case_received"]
    first = container.exchange_outbox.handle(detail_type, detail)
    again = container.exchange_outbox.handle(detail_type, detail)
    assert (first.result, again.result) == ("queued", "requeued") and first.message_id == again.message_id
    day = container.exchange_outbox_store.get(first.message_id).day
    assert container.exchange_outbox_store.day_counters(day)[first.message_type]["sent"] == 1
    # FIFO deduplication: the requeued message is the same queue message
    assert len(_receive(aws, batch=10)) == 1


def test_racing_deliveries_of_one_fact_store_one_message(aws, platform):
    container = _container(aws, platform.endpoint)
    detail_type, detail = facts["order_issued"]
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(container.exchange_outbox.handle(detail_type, detail).result))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("queued") == 1 and len(results) == 6


def test_messages_are_signed_delivered_in_order_and_acknowledged_once(aws, platform):
    container = _container(aws, platform.endpoint)
    names = ["case_received", "case_transitioned", "case_decided", "case_completed", "warning_issued"]
    ids = [container.exchange_outbox.handle(*facts[name]).message_id for name in names]
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["acked"] * 5
    received = platform.platform.snapshot()
    assert [m["message_id"] for m in received["messages"]] == ids and received["rejected"] == []
    assert all(container.exchange_outbox_store.get(i).state is DeliveryState.ACKED for i in ids)
    # a fact delivered again after the acknowledgement is not sent again
    assert container.exchange_outbox.handle(*facts["case_received"]).result == "already_acked"


def test_a_lost_acknowledgement_is_retried_and_the_receiver_says_duplicate(aws, platform):
    container = _container(aws, platform.endpoint)
    platform.platform.set_fault({"mode": "timeout", "count": 1})
    message_id = container.exchange_outbox.handle(*facts["case_received"]).message_id
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["retry", "duplicate"]
    snapshot = platform.platform.snapshot()
    assert [m["message_id"] for m in snapshot["messages"]] == [message_id] and snapshot["duplicates"] == 1


def test_an_acknowledgement_of_another_message_is_not_taken(aws, platform):
    container = _container(aws, platform.endpoint)
    first = container.exchange_outbox.handle(*facts["order_issued"]).message_id
    _drain(aws, container)
    platform.platform.set_fault({"mode": "double_ack", "count": 1})
    second = container.exchange_outbox.handle(*facts["order_answered"]).message_id
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["retry", "duplicate"] and outcomes[0].message_id == second
    assert "another message" in outcomes[0].detail and first != second


@pytest.mark.parametrize("mode", ["refuse", "error", "down"])
def test_a_failing_receiver_keeps_the_case_waiting_then_gets_everything_in_order(aws, platform, mode):
    container = _container(aws, platform.endpoint)
    platform.platform.set_fault({"mode": mode, "count": 2})
    ids = [container.exchange_outbox.handle(*facts[n]).message_id for n in ("case_received", "case_transitioned")]
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["retry", "retry", "acked", "acked"]
    assert [m["message_id"] for m in platform.platform.snapshot()["messages"]] == ids
    day = container.exchange_outbox_store.get(ids[0]).day
    counters = container.exchange_outbox_store.day_counters(day)
    assert sum(c.get("failed_attempts", 0) for c in counters.values()) == 2


def test_after_max_receives_the_message_goes_to_the_dead_letter_queue_and_counts_failed(aws, platform):
    container = _container(aws, platform.endpoint)
    platform.platform.set_fault({"mode": "error", "count": 100})
    message_id = container.exchange_outbox.handle(*facts["complaint_concluded"]).message_id
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["retry", "retry", "dead_letter"]
    assert _receive(aws) == []  # moved on this receive
    dead = _receive(aws, "dlq", batch=10)
    assert [json.loads(d.body)["message_id"] for d in dead] == [message_id]
    stored = container.exchange_outbox_store.get(message_id)
    assert stored.state is DeliveryState.FAILED and stored.attempts == 3
    figures = container.exchange_reconciler.reconcile_day(stored.day)
    assert [(f.message_type.value, f.sent, f.acked, f.failed, f.failed_attempts) for f in figures] == [("complaint_concluded", 1, 0, 1, 3)]


def test_a_bad_signature_is_refused_by_the_receiver(aws, platform):
    container = _container(aws, platform.endpoint)
    boto3.client("secretsmanager").put_secret_value(SecretId="exchange-key", SecretString=json.dumps({"key_id": "k1", "key": "wrong"}))
    container.exchange_outbox.handle(*facts["case_received"])
    outcomes = _drain(aws, container, rounds=1)
    assert outcomes[0].result == "retry" and "HTTP 401" in outcomes[0].detail
    assert platform.platform.snapshot()["messages"] == []


def test_in_a_batch_the_rest_of_a_failed_group_waits_and_other_groups_go_on(aws, platform):
    container = _container(aws, platform.endpoint)
    platform.platform.set_fault({"mode": "error", "count": 1})
    case_ids = [container.exchange_outbox.handle(*facts[n]).message_id for n in ("case_received", "case_transitioned")]
    order_id = container.exchange_outbox.handle(*facts["order_issued"]).message_id
    deliveries = _receive(aws, batch=10)
    outcomes = container.exchange_sender.deliver_batch(deliveries)
    by_id = {json.loads(d.body)["message_id"]: o.result for d, o in zip(deliveries, outcomes, strict=True)}
    assert by_id == {case_ids[0]: "retry", case_ids[1]: "skipped", order_id: "acked"}


def test_redrive_moves_dead_letters_back_with_their_ids_and_they_are_then_acknowledged(aws, platform):
    from infra.tools.exchange_redrive import redrive

    container = _container(aws, platform.endpoint)
    platform.platform.set_fault({"mode": "refuse", "count": 100})
    ids = [container.exchange_outbox.handle(*facts[n]).message_id for n in ("order_issued", "order_answered")]
    _drain(aws, container, rounds=10)
    assert _receive(aws) == []
    assert redrive(aws["sqs"], aws["queue"], aws["dlq"], dry_run=True) == ids  # lists, moves nothing
    platform.platform.set_fault({"mode": "none"})
    assert redrive(aws["sqs"], aws["queue"], aws["dlq"]) == ids
    assert _receive(aws, "dlq", batch=10) == []
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["acked", "acked"]
    assert [m["message_id"] for m in platform.platform.snapshot()["messages"]] == ids
    day = container.exchange_outbox_store.get(ids[0]).day
    figures = {f.message_type.value: f for f in container.exchange_reconciler.reconcile_day(day)}
    assert {t: (f.sent, f.acked, f.failed, f.pending) for t, f in figures.items()} == {
        "order_issued": (1, 1, 0, 0), "order_answered": (1, 1, 0, 0)}
    assert container.exchange_outbox_store.day_counters(day)[figures["order_issued"].message_type]["failed"] == 0


def test_a_case_fact_that_reached_the_outbox_late_is_still_delivered_first(aws, platform):
    container = _container(aws, platform.endpoint)
    # the bus handed the outbox the case's third fact before its second
    names = ["case_received", "case_decided", "case_transitioned"]  # sequences 1, 4, 2
    ids = {name: container.exchange_outbox.handle(*facts[name]).message_id for name in names}
    outcomes = _drain(aws, container)
    assert [o.result for o in outcomes] == ["acked", "acked", "already_acked"]
    received = [m["message_id"] for m in platform.platform.snapshot()["messages"]]
    assert received == [ids["case_received"], ids["case_transitioned"], ids["case_decided"]]


def test_the_outbox_lists_an_entitys_earlier_messages_lowest_first_acked_or_not(aws, platform):
    container = _container(aws, platform.endpoint)
    store = container.exchange_outbox_store
    ids = {name: container.exchange_outbox.handle(*facts[name]).message_id
           for name in ("case_completed", "case_received", "warning_issued", "case_transitioned", "order_issued")}
    store.mark_acked(ids["case_received"], "accepted", container.clock.now())
    completed = store.get(ids["case_completed"]).message
    earlier = store.earlier(completed)
    # sequences 2 and 3 of the same case; the card (sequence 0) and the order are not in its order
    assert [(e.message.message_id, e.state) for e in earlier] == [
        (ids["case_received"], DeliveryState.ACKED), (ids["case_transitioned"], DeliveryState.PENDING)]
    assert store.earlier(store.get(ids["case_received"]).message) == []


def test_a_message_whose_predecessor_is_not_in_the_outbox_is_held_then_sent_after_it(aws, platform):
    container = _container(aws, platform.endpoint)
    ids = {name: container.exchange_outbox.handle(*facts[name]).message_id for name in ("case_received", "case_decided")}
    first = _drain(aws, container, rounds=2)  # one receive each (batch size 1)
    assert [o.result for o in first] == ["acked", "held"]  # the decision (4) waits for the transition (3)
    ids["case_transitioned"] = container.exchange_outbox.handle(*facts["case_transitioned"]).message_id
    _drain(aws, container)
    received = [m["message_id"] for m in platform.platform.snapshot()["messages"]]
    assert received == [ids["case_received"], ids["case_transitioned"], ids["case_decided"]]
