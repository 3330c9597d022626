"""The inspector log's hash chain: every single-record edit, deletion and swap is detected."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from sunlight.rules import hashchain

fields = st.fixed_dictionaries({
    "user_id": st.sampled_from(["i-1", "i-2", "admin"]),
    "method": st.sampled_from(["GET", "POST"]),
    "route": st.sampled_from(["/cases/{caseId}", "/supervision-orders", "/inspector-log"]),
    "status": st.sampled_from([200, 201, 403, 409]),
    "at": st.sampled_from(["2026-11-23T09:00:00+00:00", "2026-11-24T10:30:00+00:00"]),
    "path_params": st.dictionaries(st.sampled_from(["caseId", "orderId"]), st.text(min_size=1, max_size=8), max_size=1),
})


def build(entries: list[dict]) -> tuple[list[dict], hashchain.Head]:
    records, head = [], hashchain.EMPTY
    for entry in entries:
        record = hashchain.chain(entry, seq=head.seq + 1, prev_hash=head.hash)
        records.append(record)
        head = hashchain.Head(record["seq"], record["hash"])
    return records, head


chains = st.lists(fields, min_size=1, max_size=12).map(build)


@given(chains)
def test_an_untouched_chain_verifies(chain):
    records, head = chain
    result = hashchain.verify(records, head)
    assert result.ok and result.checked == len(records)


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, st.data())
def test_any_single_field_edit_is_detected(chain, data):
    records, head = chain
    tampered = copy.deepcopy(records)
    index = data.draw(st.integers(0, len(records) - 1))
    key = data.draw(st.sampled_from(sorted(tampered[index])))
    original = tampered[index][key]
    replacement = data.draw(st.one_of(st.integers(), st.text(max_size=10), st.none()).filter(lambda v: v != original))
    tampered[index][key] = replacement
    result = hashchain.verify(tampered, head)
    assert not result.ok and result.first_break.position == index


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, st.data())
def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link_or_the_head(chain, data):
    records, head = chain
    tampered = copy.deepcopy(records)
    index = data.draw(st.integers(0, len(records) - 1))
    tampered[index]["status"] = 999
    tampered[index]["hash"] = hashchain.record_hash(tampered[index], tampered[index]["prev_hash"])
    result = hashchain.verify(tampered, head)
    assert not result.ok and result.first_break.position == index + 1


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, st.data())
def test_any_single_deletion_is_detected(chain, data):
    records, head = chain
    index = data.draw(st.integers(0, len(records) - 1))
    result = hashchain.verify(records[:index] + records[index + 1:], head)
    assert not result.ok and result.first_break.position == index


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(st.lists(fields, min_size=2, max_size=12).map(build), st.data())
def test_any_swap_of_two_records_is_detected(chain, data):
    records, head = chain
    i = data.draw(st.integers(0, len(records) - 2))
    j = data.draw(st.integers(i + 1, len(records) - 1))
    swapped = list(records)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    result = hashchain.verify(swapped, head)
    assert not result.ok and result.first_break.position == i


def test_an_empty_chain_verifies_against_an_empty_head_only():
    assert hashchain.verify([], None).ok
    records, head = build([{"user_id": "i-1"}])
    assert not hashchain.verify([], head).ok


def test_the_hash_covers_canonical_json_plus_the_previous_hash():
    import hashlib

    record = hashchain.chain({"user_id": "i-1", "route": "/案件"}, seq=1, prev_hash=hashchain.GENESIS)
    expected = hashlib.sha256(('{"route":"/案件","seq":1,"user_id":"i-1"}' + hashchain.GENESIS).encode()).hexdigest()
    assert record["hash"] == expected and record["prev_hash"] == hashchain.GENESIS
