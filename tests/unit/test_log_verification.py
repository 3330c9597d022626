"""Verifying the inspector log segment by segment (services/log_verification.py), on fakes: the
whole chain in one process (the CLI) and runs carried out in bounded steps (the log_verify
function), with the whole-chain check's verdict whatever the segment size."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunlight.models.inspector_log import LogEntry, VerificationStatus
from sunlight.models.roles import Principal, Role
from sunlight.rules import hashchain
from sunlight.services.errors import Forbidden, NotFound, Unavailable
from sunlight.services.log_verification import LogVerificationService, verify_chain
from sunlight.services.ports import WorkerUnavailable
from tests.fakes.cases import FakeClock, SequentialIds
from tests.fakes.orders import InMemoryInspectorLog, InMemoryVerificationRuns, QueuedWorker

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))
INSPECTOR = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")
ADMIN = Principal(user_id="a-1", name="管理员", roles=frozenset({Role.ADMIN}))
CHIEF = Principal(user_id="i-chief", name="吴刚", roles=frozenset({Role.INSPECTOR, Role.LEADER}), government_id="420700")
MARKET_INSPECTOR = Principal(user_id="i-market", name="王立", roles=frozenset({Role.INSPECTOR}), department_id="market")
HANDLER = Principal(user_id="h-1", name="李强", roles=frozenset({Role.HANDLER}), department_id="market")


def entry(n: int) -> LogEntry:
    return LogEntry(at=MONDAY + timedelta(minutes=n), user_id=f"i-{n % 3}", user_name="x", roles=("inspector",), method="GET",
                    route="/cases/{caseId}", path=f"/cases/SL{n}", status=200, source_ip="10.0.0.1", user_agent="pytest")


def log_of(size: int) -> InMemoryInspectorLog:
    log = InMemoryInspectorLog()
    for n in range(size):
        log.append(entry(n))
    return log


def whole_check(log: InMemoryInspectorLog) -> hashchain.Verification:
    return hashchain.verify(log.records, hashchain.Head(log.head_state.seq, log.head_state.hash))


# --- the whole chain in one process (the CLI) ---------------------------------------------------


def test_the_chain_is_read_one_bounded_segment_at_a_time():
    log = log_of(23)
    report = verify_chain(log, segment_records=5)
    assert (report.ok, report.checked, report.head_seq) == (True, 23, 23) and "链完整" in report.message
    assert log.reads == [(1, 6), (6, 11), (11, 16), (16, 21), (21, 24), (24, None)]  # then one look past the head


def test_an_edit_is_found_whatever_the_segment_size():
    log = log_of(12)
    log.records[6]["status"] = 500
    for size in (1, 3, 7, 100):
        report = verify_chain(log, segment_records=size)
        assert not report.ok and report.first_break.seq == 7 and report.checked == 6 and "被改动" in report.first_break.reason


def test_a_record_inserted_under_a_key_between_two_sequence_numbers_is_found():
    log = log_of(6)
    log.stored["SEQ#000000000003x"] = copy.deepcopy(log.stored["SEQ#000000000004"])  # sorts between 3 and 4
    for size in (1, 3, 4, 10):
        assert not verify_chain(log, segment_records=size).ok
    assert not whole_check(log).ok


def test_a_record_stored_past_the_head_is_found_but_an_append_in_flight_is_not_a_break():
    log = log_of(4)
    stray = hashchain.chain({"user_id": "x"}, seq=9, prev_hash=log.head_state.hash)
    log.stored["SEQ#000000000009"] = stray
    report = verify_chain(log, segment_records=3)
    assert not report.ok and report.first_break.seq == 5 and report.first_break.found_seq == 9 and report.checked == 4

    log = log_of(4)
    real_head = log.head

    def head_then_an_append():  # an append lands after the verifier has read the head
        state = real_head()
        if len(log.reads) == 2 and log.head_state.seq == 4:
            log.append(entry(99))
        return state

    log.head = head_then_an_append
    assert verify_chain(log, segment_records=10).ok


@settings(max_examples=150, deadline=None)  # no timing: CI machines are slow and shared
@given(st.integers(2, 14), st.integers(1, 6), st.sampled_from(["edit", "rehash", "delete", "swap", "insert", "truncate"]), st.data())
def test_any_tampering_gets_the_whole_chain_checks_verdict(size, segment, tampering, data):
    log = log_of(size)
    keys = sorted(log.stored)
    i = data.draw(st.integers(0, size - 1))
    key = keys[i]
    if tampering == "edit":
        log.stored[key]["path"] = "/cases/HIDDEN"
    elif tampering == "rehash":
        log.stored[key]["status"] = 999
        log.stored[key]["hash"] = hashchain.record_hash(log.stored[key], log.stored[key]["prev_hash"])
    elif tampering == "delete":
        del log.stored[key]
    elif tampering == "swap":
        j = data.draw(st.integers(0, size - 1).filter(lambda j: j != i))
        log.stored[key], log.stored[keys[j]] = log.stored[keys[j]], log.stored[key]
    elif tampering == "insert":
        log.stored[key + data.draw(st.sampled_from(["x", "0", "~"]))] = copy.deepcopy(log.stored[key])
    else:  # the last records deleted and the head moved back with them: not detectable
        for k in keys[i:]:
            del log.stored[k]
        log.head_state = hashchain.EMPTY if i == 0 else type(log.head_state)(seq=i, hash=log.stored[keys[i - 1]]["hash"])
    report = verify_chain(log, segment_records=segment)
    whole = whole_check(log)
    assert report.ok == whole.ok == (tampering == "truncate")
    if tampering in ("edit", "rehash", "delete", "swap"):
        assert (report.first_break.seq, report.checked) == (whole.first_break.expected_seq, whole.checked)


# --- runs, in bounded steps ----------------------------------------------------------------------


class Setup:
    def __init__(self, size: int, *, segment: int = 4, per_invocation: int = 10) -> None:
        self.log, self.runs, self.worker, self.clock = log_of(size), InMemoryVerificationRuns(), QueuedWorker(), FakeClock(MONDAY)
        self.service = LogVerificationService(log=self.log, runs=self.runs, worker=self.worker, clock=self.clock, ids=SequentialIds(),
                                              segment_records=segment, records_per_invocation=per_invocation)

    def invoke_worker(self, has_time=lambda: True):
        """One invocation of log_verify with the oldest queued event."""
        self.clock.advance(seconds=5)
        return self.service.advance(self.worker.queue.pop(0), has_time=has_time)

    def run_to_the_end(self) -> int:
        invocations = 0
        while self.worker.queue:
            self.invoke_worker()
            invocations += 1
        return invocations


def test_a_run_goes_in_bounded_invocations_saving_progress_after_every_segment():
    setup = Setup(23, segment=4, per_invocation=10)
    run, started = setup.service.start(INSPECTOR)
    assert started and run.status is VerificationStatus.RUNNING and (run.head_seq, run.checked) == (23, 0)
    assert (run.started_by, run.started_by_name, run.started_at) == ("i-city", "郑国华", MONDAY)
    assert setup.worker.queue == [run.run_id]

    step = setup.invoke_worker()
    assert (step.status, step.checked, step.next_seq) == (VerificationStatus.RUNNING, 12, 13)  # 3 segments of 4 ≥ 10
    assert "已校验 12 / 23" in step.message and setup.runs.saves == 3
    assert setup.worker.queue == [run.run_id]  # the rest goes to the next invocation
    assert setup.service.get(CHIEF, run.run_id) == step

    assert setup.run_to_the_end() == 1
    done = setup.service.latest(INSPECTOR)
    assert (done.status, done.checked, done.first_break) == (VerificationStatus.INTACT, 23, None)
    assert done.finished_at == setup.clock.now() and "链完整：共 23 条记录" in done.message


def test_an_invocation_running_out_of_time_hands_over_after_the_segment_it_is_in():
    setup = Setup(20, segment=4, per_invocation=1000)
    setup.service.start(INSPECTOR)
    step = setup.invoke_worker(has_time=lambda: False)
    assert step.checked == 4 and len(setup.worker.queue) == 1


def test_a_run_finds_the_first_break_and_stops():
    setup = Setup(30, segment=4, per_invocation=8)
    setup.log.records[16]["user_id"] = "someone-else"
    run, _ = setup.service.start(CHIEF)
    setup.run_to_the_end()
    done = setup.service.get(INSPECTOR, run.run_id)
    assert done.status is VerificationStatus.BROKEN and done.first_break.seq == 17 and done.checked == 16
    assert done.message.startswith("链已断开：第 17 条记录处断链") and not setup.worker.queue


def test_records_appended_during_a_run_are_the_next_runs():
    setup = Setup(10, segment=4, per_invocation=4)
    run, _ = setup.service.start(INSPECTOR)
    setup.invoke_worker()
    for n in range(5):
        setup.log.append(entry(100 + n))  # every inspector request is logged, this run's polls too
    setup.run_to_the_end()
    done = setup.service.get(INSPECTOR, run.run_id)
    assert (done.status, done.checked, done.head_seq) == (VerificationStatus.INTACT, 10, 10)
    again, started = setup.service.start(INSPECTOR)
    assert started and again.head_seq == 15


def test_starting_while_a_run_goes_returns_that_run_and_only_city_inspectors_start_or_read():
    setup = Setup(5)
    run, started = setup.service.start(INSPECTOR)
    same, again = setup.service.start(CHIEF)
    assert started and not again and same == run and setup.worker.queue == [run.run_id]
    for outsider in (HANDLER, ADMIN, MARKET_INSPECTOR):  # the supervised do not verify their supervisors' log
        for action in (lambda o=outsider: setup.service.start(o), lambda o=outsider: setup.service.latest(o),
                       lambda o=outsider: setup.service.get(o, run.run_id)):
            with pytest.raises(Forbidden):
                action()


def test_nothing_to_read_before_the_first_run():
    setup = Setup(3)
    with pytest.raises(NotFound):
        setup.service.latest(INSPECTOR)
    with pytest.raises(NotFound):
        setup.service.get(INSPECTOR, "nope")


def test_a_retried_or_duplicated_event_carries_a_run_on_once():
    setup = Setup(12, segment=4, per_invocation=4)
    run, _ = setup.service.start(INSPECTOR)
    setup.worker.queue.append(run.run_id)  # Lambda delivered the event twice
    stale_copy = setup.runs.get(run.run_id)
    setup.invoke_worker()
    # The duplicate read the run before the first saved its step: its save loses, it stops.
    setup.runs.runs[run.run_id], saved = stale_copy, setup.runs.runs[run.run_id]
    original_save = setup.runs.save

    def save_after_the_other(step, *, expected_version):
        setup.runs.runs[run.run_id] = saved
        return original_save(step, expected_version=expected_version)

    setup.runs.save = save_after_the_other
    assert setup.invoke_worker() is None
    setup.runs.save = original_save
    assert setup.worker.queue == [run.run_id]  # only the winner handed the rest on
    setup.run_to_the_end()
    assert setup.service.get(INSPECTOR, run.run_id).status is VerificationStatus.INTACT
    assert setup.service.advance(run.run_id, has_time=lambda: True).status is VerificationStatus.INTACT  # a late event: nothing to do


def test_a_run_without_progress_for_too_long_shows_as_interrupted_and_a_new_start_replaces_it():
    setup = Setup(12, segment=4, per_invocation=4)
    run, _ = setup.service.start(INSPECTOR)
    setup.invoke_worker()
    setup.worker.queue.clear()  # the invocation and Lambda's retries all failed
    setup.clock.advance(minutes=16)
    seen = setup.service.latest(INSPECTOR)
    assert seen.status is VerificationStatus.FAILED and "校验中断" in seen.message and "已校验 4 条" in seen.message
    fresh, started = setup.service.start(INSPECTOR)
    assert started and fresh.run_id != run.run_id
    assert setup.runs.get(run.run_id).status is VerificationStatus.FAILED
    assert setup.service.advance(run.run_id, has_time=lambda: True).status is VerificationStatus.FAILED  # a late event stops


def test_a_worker_that_cannot_be_reached_fails_the_run_and_says_so():
    setup = Setup(3)
    setup.worker.fail_with = WorkerUnavailable("throttled")
    with pytest.raises(Unavailable):
        setup.service.start(INSPECTOR)
    assert setup.service.latest(INSPECTOR).status is VerificationStatus.FAILED
    setup.worker.fail_with = None
    assert setup.service.start(INSPECTOR)[1]


def test_an_empty_log_verifies_in_one_step():
    setup = Setup(0)
    run, _ = setup.service.start(INSPECTOR)
    setup.run_to_the_end()
    done = setup.service.get(INSPECTOR, run.run_id)
    assert (done.status, done.checked, done.head_seq) == (VerificationStatus.INTACT, 0, 0)
