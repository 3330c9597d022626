"""The outbound exchange's format (models/exchange.py), mapping (rules/exchange.py) and signing
(rules/exchange_signing.py)."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from pydantic import ValidationError

from infra.tools import exchange_schemas
from sunlight.models.exchange import ExchangeMessage, MessageType
from sunlight.rules.exchange import EXCHANGED_DETAIL_TYPES, case_message_type, message_for, message_id
from sunlight.rules.exchange_signing import canonical_body, retry_delay_seconds, signature, signature_is_valid, signed_headers
from tests.unit.exchange_facts import facts

GOVERNMENTS = {"echeng-market": "420704", "huarong-market": "420703"}


def _map(detail_type, detail):
    return message_for(detail_type, detail, platform_id="420700", government_of=GOVERNMENTS.__getitem__)


def _sample(message_type: MessageType) -> dict:
    return json.loads((exchange_schemas.SAMPLES_DIR / f"{message_type.value}.json").read_text(encoding="utf-8"))


def _validator(message_type: MessageType) -> jsonschema.Draft202012Validator:
    schema = json.loads(exchange_schemas.schema_path(message_type).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# -- the committed schemas and samples -------------------------------------------------------------


def test_the_committed_schemas_are_what_the_models_give():
    assert exchange_schemas.stale() == [], "stale: run `make schemas` and commit"


@pytest.mark.parametrize("message_type", list(MessageType))
def test_each_sample_is_valid_against_its_schema_and_is_what_its_fact_makes(message_type):
    sample = _sample(message_type)
    _validator(message_type).validate(sample)
    detail_type, detail = facts[message_type.value]
    assert _map(detail_type, detail).model_dump(mode="json") == sample, "sample stale: it is what the fact maps to"
    ExchangeMessage.model_validate(sample).typed_body()


@pytest.mark.parametrize("message_type", list(MessageType))
def test_a_schema_refuses_an_unknown_field_another_type_and_a_missing_body_field(message_type):
    validator = _validator(message_type)
    sample = _sample(message_type)
    extra = copy.deepcopy(sample)
    extra["body"]["applicant_name"] = "张三"  # personal data has no place in a message
    other = {**sample, "message_type": next(t for t in MessageType if t is not message_type).value}
    missing = copy.deepcopy(sample)
    missing["body"].pop(next(iter(missing["body"])))
    for wrong in (extra, other, missing, {**sample, "message_id": "not-a-uuid"}):
        assert not validator.is_valid(wrong)


def test_every_message_type_has_a_schema_and_a_sample_and_nothing_else_is_there():
    assert {p.name for p in exchange_schemas.SCHEMAS_DIR.iterdir()} == {f"{t.value}.schema.json" for t in MessageType}
    assert {p.name for p in exchange_schemas.SAMPLES_DIR.iterdir()} == {f"{t.value}.json" for t in MessageType}


# -- mapping ------------------------------------------------------------------------------------------


def test_a_redelivered_fact_makes_the_same_message_with_the_same_body():
    detail_type, detail = facts["case_transitioned"]
    first, again = _map(detail_type, detail), _map(detail_type, copy.deepcopy(detail))
    assert first == again and canonical_body(first) == canonical_body(again)


def test_the_message_id_depends_on_the_fact_and_the_type_only():
    assert message_id("EV-1", MessageType.CASE_RECEIVED) == message_id("EV-1", MessageType.CASE_RECEIVED)
    assert message_id("EV-1", MessageType.CASE_RECEIVED) != message_id("EV-2", MessageType.CASE_RECEIVED)
    assert message_id("EV-1", MessageType.CASE_RECEIVED) != message_id("EV-1", MessageType.CASE_COMPLETED)
    # fixed namespace: ids never change between releases (the receiver de-duplicates on them)
    assert message_id("EV-1", MessageType.CASE_RECEIVED) == "1326430d-c8a7-51f6-a30e-5faf2baf9f84"


@pytest.mark.parametrize(("from_state", "to_state", "expected"), [
    (None, "submitted", MessageType.CASE_RECEIVED),
    ("submitted", "accept", MessageType.CASE_RECEIVED),
    ("accept", "handle", MessageType.CASE_TRANSITIONED),
    ("review", "approve", MessageType.CASE_TRANSITIONED),
    ("approve", "complete", MessageType.CASE_DECIDED),
    ("decide", "deliver", MessageType.CASE_DECIDED),
    ("approve", "denied", MessageType.CASE_COMPLETED),
    ("accept", "rejected", MessageType.CASE_COMPLETED),
    ("complete", "completed", MessageType.CASE_COMPLETED),
    ("supplement", "withdrawn", MessageType.CASE_COMPLETED),
])
def test_a_case_fact_makes_its_most_specific_message(from_state, to_state, expected):
    detail_type, detail = facts["case_transitioned"]
    message = _map(detail_type, {**detail, "from_state": from_state, "to_state": to_state})
    assert message.message_type is expected and case_message_type is not None
    assert message.entity_id == detail["case_id"] and message.sequence == detail["seq"]


def test_a_case_message_carries_the_case_government_or_its_department_government():
    detail_type, detail = facts["case_received"]
    assert _map(detail_type, {**detail, "government_id": "420704001"}).government_id == "420704001"
    without = {k: v for k, v in detail.items() if k != "government_id"}
    assert _map(detail_type, {**without, "department_id": "huarong-market"}).government_id == "420703"


def test_completion_after_the_promised_day_in_china_time_is_late():
    detail_type, detail = facts["case_completed"]
    # 2026-12-21T16:30Z is 2026-12-22 00:30 in China: one day late
    late = _map(detail_type, {**detail, "occurred_at": "2026-12-21T16:30:00Z"})
    in_time = _map(detail_type, {**detail, "occurred_at": "2026-12-21T15:30:00Z"})
    assert late.body["on_time"] is False and in_time.body["on_time"] is True


def test_orders_keep_their_order_within_the_order():
    sequences = [_map(*facts[name]).sequence for name in ("order_issued", "order_answered", "order_concluded")]
    assert sequences == [1, 2, 3]
    assert {_map(*facts[name]).entity_id for name in ("order_issued", "order_answered", "order_concluded")} == {"DB20261210A1B2C3"}


def test_a_card_goes_in_its_case_group():
    assert _map(*facts["warning_issued"]).entity_id == facts["warning_issued"][1]["case_id"]


@pytest.mark.parametrize("detail_type", ["WarningRevoked", "ComplaintFiled", "SatisfactionRated", "Unknown"])
def test_facts_the_upper_platform_does_not_take_make_no_message(detail_type):
    assert _map(detail_type, {"event_id": "x"}) is None
    assert detail_type not in EXCHANGED_DETAIL_TYPES


def test_a_malformed_fact_is_refused():
    detail_type, detail = facts["order_issued"]
    with pytest.raises(ValidationError):
        _map(detail_type, {k: v for k, v in detail.items() if k != "order_id"})


# -- signing and backoff ------------------------------------------------------------------------------


def test_the_signature_is_the_hmac_of_timestamp_dot_body():
    # RFC 4231-style known answer computed independently: HMAC-SHA256(b"key", b"1700000000.{}")
    import hashlib
    import hmac
    expected = hmac.new(b"key", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature(b"key", 1700000000, b"{}") == f"sha256={expected}"


def test_the_receiver_check_refuses_a_tampered_body_another_key_and_an_old_timestamp():
    message = _map(*facts["case_received"])
    body = canonical_body(message)
    headers = signed_headers(message.message_id, "k1", b"secret", 1_800_000_000, body)
    assert headers["X-Sunlight-Message-Id"] == message.message_id and headers["X-Sunlight-Key-Id"] == "k1"
    presented = headers["X-Sunlight-Signature"]
    assert signature_is_valid(b"secret", "1800000000", body, presented, now=1_800_000_010)
    assert not signature_is_valid(b"secret", "1800000000", body.replace(b"2026-12-21", b"2026-12-31"), presented, now=1_800_000_010)
    assert not signature_is_valid(b"other", "1800000000", body, presented, now=1_800_000_010)
    assert not signature_is_valid(b"secret", "1800000000", body, presented, now=1_800_000_000 + 301)
    assert not signature_is_valid(b"secret", "nope", body, presented, now=1_800_000_000)


def test_the_body_bytes_keep_chinese_and_are_compact():
    body = canonical_body(_map(*facts["case_received"]))
    assert "食品经营许可".encode() in body and b": " not in body


@pytest.mark.parametrize(("count", "expected"), [(0, 10), (1, 10), (2, 20), (3, 40), (6, 320), (7, 600), (40, 600)])
def test_backoff_doubles_per_receive_up_to_the_cap(count, expected):
    assert retry_delay_seconds(count, base_seconds=10, cap_seconds=600) == expected


def test_an_order_from_above_is_answered_upward_with_its_text_and_a_local_order_s_answer_text_stays_here():
    detail_type, detail = facts["order_answered"]
    upward = _map(detail_type, detail).typed_body()
    assert (upward.upstream_order_id, upward.answer) == ("HB-DB-2026-0042", "已责令承办人限期办结并通报批评。")
    local = _map(detail_type, {**detail, "upstream_order_id": None}).typed_body()
    assert (local.upstream_order_id, local.answer) == (None, None)
