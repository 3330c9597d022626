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


# --- the resumable verifier: a chain checked segment by segment, as stored under its keys ------
#
# The records are kept under the key they were written with (their sequence number), as the
# Supervision table keeps them under SEQ#{seq}; a segment reads the keys in [from_seq, to_seq).
# Tampering acts on what is stored; the verdict must be the whole-chain check's, whatever the
# segment size, so a break on a segment boundary is found as it is inside a segment.


def stored(records: list[dict]) -> dict[int, dict]:
    return {record["seq"]: record for record in records}


def read(store: dict[int, dict], from_seq: int, to_seq: int) -> list[dict]:
    return [store[key] for key in sorted(store) if from_seq <= key < to_seq]


def verify_in_segments(store: dict[int, dict], head: hashchain.Head, size: int) -> hashchain.Progress:
    progress = hashchain.start(head)
    while not progress.complete:
        from_seq, to_seq = progress.segment(size)
        progress = hashchain.verify_segment(progress, read(store, from_seq, to_seq), to_seq)
    past_head = read(store, head.seq + 1, 1 << 62)  # the service's last look, past the head
    if progress.first_break is None and past_head:
        progress = hashchain.beyond_head(progress, head, past_head[0])
    return progress


def assert_same_verdict(store: dict[int, dict], head: hashchain.Head, size: int) -> hashchain.Progress:
    whole = hashchain.verify([store[key] for key in sorted(store)], head)
    segmented = verify_in_segments(store, head, size)
    assert (segmented.first_break is None) == whole.ok
    if not whole.ok:
        assert (segmented.first_break.expected_seq, segmented.first_break.position) == (
            whole.first_break.expected_seq, whole.first_break.position)
    assert segmented.checked == whole.checked
    return segmented


segment_sizes = st.integers(1, 5)


@given(chains, segment_sizes)
def test_an_untouched_chain_verifies_in_any_segment_size(chain, size):
    records, head = chain
    progress = assert_same_verdict(stored(records), head, size)
    assert progress.first_break is None and progress.checked == len(records) and progress.last_hash == head.hash


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, segment_sizes, st.data())
def test_any_single_field_edit_is_detected_across_segments(chain, size, data):
    records, head = chain
    store = stored(copy.deepcopy(records))
    key = data.draw(st.sampled_from(sorted(store)))
    field = data.draw(st.sampled_from(sorted(store[key])))
    original = store[key][field]
    store[key][field] = data.draw(st.one_of(st.integers(), st.text(max_size=10), st.none()).filter(lambda v: v != original))
    progress = assert_same_verdict(store, head, size)
    assert progress.first_break.expected_seq == key


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, segment_sizes, st.data())
def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link_or_the_head_across_segments(chain, size, data):
    records, head = chain
    store = stored(copy.deepcopy(records))
    key = data.draw(st.sampled_from(sorted(store)))
    store[key]["status"] = 999
    store[key]["hash"] = hashchain.record_hash(store[key], store[key]["prev_hash"])
    progress = assert_same_verdict(store, head, size)
    assert progress.first_break.expected_seq == key + 1


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, segment_sizes, st.data())
def test_any_single_deletion_is_detected_across_segments(chain, size, data):
    records, head = chain
    store = stored(records)
    key = data.draw(st.sampled_from(sorted(store)))
    del store[key]
    progress = assert_same_verdict(store, head, size)
    assert progress.first_break.expected_seq == key


@settings(max_examples=200, deadline=None)  # no timing: CI machines are slow and shared
@given(st.lists(fields, min_size=2, max_size=12).map(build), segment_sizes, st.data())
def test_any_swap_of_two_records_is_detected_across_segments(chain, size, data):
    records, head = chain
    store = stored(records)
    i = data.draw(st.integers(1, len(records) - 1))
    j = data.draw(st.integers(i + 1, len(records)))
    store[i], store[j] = store[j], store[i]
    progress = assert_same_verdict(store, head, size)
    assert progress.first_break.expected_seq == i


@settings(max_examples=100, deadline=None)  # no timing: CI machines are slow and shared
@given(chains, segment_sizes, st.booleans())
def test_a_head_moved_back_or_rewritten_is_detected(chain, size, back):
    records, head = chain
    moved = hashchain.Head(head.seq - 1, records[-1]["prev_hash"]) if back else hashchain.Head(head.seq, records[-1]["prev_hash"])
    whole = hashchain.verify(records, moved)
    progress = verify_in_segments(stored(records), moved, size)
    assert not whole.ok and progress.first_break is not None
    assert progress.first_break.expected_seq == (head.seq if back else head.seq + 1)


def test_a_segment_resumes_from_its_progress_alone():
    records, head = build([{"user_id": f"i-{n}"} for n in range(7)])
    store = stored(records)
    first = hashchain.verify_segment(hashchain.start(head), read(store, 1, 4), 4)
    assert (first.next_seq, first.last_hash, first.checked, first.complete) == (4, records[2]["hash"], 3, False)
    # Another process carries on from what was saved: the head, the next seq and the last hash.
    resumed = hashchain.Progress(head=hashchain.Head(head.seq, head.hash), next_seq=first.next_seq, last_hash=first.last_hash)
    done = hashchain.verify_segment(resumed, read(store, 4, 8), 8)
    assert done.complete and done.first_break is None and done.checked == 7
    assert hashchain.verify_segment(done, [], 8) is done  # nothing left to do


def test_a_segment_with_an_extra_record_is_broken_where_it_starts():
    records, head = build([{"user_id": f"i-{n}"} for n in range(4)])
    progress = hashchain.verify_segment(hashchain.start(head), records[:2] + [records[1]], 3)
    assert progress.first_break.expected_seq == 3 and "多出" in progress.first_break.reason
    short = hashchain.verify_segment(hashchain.start(head), records[:1], 3)
    assert short.first_break.expected_seq == 2 and "未读到第 2 条" in short.first_break.reason


def test_records_past_the_head_are_a_break_at_the_head():
    records, head = build([{"user_id": "i-1"}, {"user_id": "i-2"}])
    done = verify_in_segments(stored(records), head, 5)
    stray = hashchain.chain({"user_id": "x"}, seq=3, prev_hash=head.hash)
    broken = hashchain.beyond_head(done, head, stray)
    assert broken.first_break.expected_seq == 3 and broken.first_break.found_seq == 3 and broken.checked == 2


def test_an_empty_chain_is_one_empty_segment():
    progress = hashchain.start(hashchain.EMPTY)
    assert progress.segment(100) == (1, 1) and progress.complete
    assert verify_in_segments({}, hashchain.EMPTY, 3).first_break is None
