"""External anchors of the inspector log (监察日志外部锚点): the pure check (rules/log_anchors.py),
the anchoring use case (services/log_anchor.py) and the verifier checking the chain against the
anchors (services/log_verification.py), on fakes. The chain alone cannot show a cut-off tail;
the anchors do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sunlight.models.inspector_log import INSPECTOR_LOG_ANCHORED, InspectorLogAnchoredV1, LogEntry, VerificationStatus
from sunlight.models.roles import Principal, Role
from sunlight.rules import hashchain, log_anchors
from sunlight.rules.log_anchors import Anchor, anchor_key, seq_of_key
from sunlight.services.log_anchor import LogAnchorService
from sunlight.services.log_verification import LogVerificationService, verify_chain
from sunlight.services.ports import HeadState
from tests.fakes.cases import FakeClock, FakePublisher, SequentialIds
from tests.fakes.orders import InMemoryInspectorLog, InMemoryLogAnchors, InMemoryVerificationRuns, QueuedWorker

MONDAY = datetime(2026, 11, 23, 9, 0, 30, 123456, tzinfo=timezone(timedelta(hours=8)))
INSPECTOR = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")


def entry(n: int) -> LogEntry:
    return LogEntry(at=MONDAY + timedelta(minutes=n), user_id=f"i-{n % 3}", user_name="郑国华", roles=("inspector",), method="GET",
                    route="/cases/{caseId}", path=f"/cases/SL{n}", status=200)


def log_of(size: int) -> InMemoryInspectorLog:
    log = InMemoryInspectorLog()
    for n in range(size):
        log.append(entry(n))
    return log


def truncate(log: InMemoryInspectorLog, keep: int) -> None:
    """The newest records deleted and the head moved back to the last kept: a valid, shorter chain."""
    for record in log.records[keep:]:
        del log.stored[f"SEQ#{record['seq']:012d}"]
    log.head_state = HeadState(seq=keep, hash=log.records[keep - 1]["hash"]) if keep else HeadState(0, hashchain.GENESIS)


def hashes_of(log: InMemoryInspectorLog) -> dict[int, str | None]:
    return {r["seq"]: r["hash"] for r in log.records}


def anchor_at(log: InMemoryInspectorLog, seq: int, hours: int) -> Anchor:
    at = datetime(2026, 11, 23, 1, tzinfo=UTC) + timedelta(hours=hours)
    digest = hashchain.GENESIS if seq == 0 else log.records[seq - 1]["hash"]
    return Anchor(seq=seq, hash=digest, anchored_at=at, key=anchor_key(at, seq))


def head(log: InMemoryInspectorLog) -> hashchain.Head:
    return hashchain.Head(log.head_state.seq, log.head_state.hash)


# --- the pure check ------------------------------------------------------------------------------


def test_keys_are_by_utc_day_and_time_and_name_the_anchored_sequence_number():
    key = anchor_key(MONDAY, 42)  # 09:00:30 in Beijing is 01:00:30 UTC
    assert key == "anchors/2026/11/23/20261123T010030Z-42.json"
    assert seq_of_key(key) == 42
    assert seq_of_key("anchors/2026/11/23/notes.txt") is None and seq_of_key("other/20261123T010030Z-42.json") is None


def test_no_anchors_yet_is_no_finding_and_says_there_is_nothing_to_compare():
    check = log_anchors.check([], head(log_of(3)), {})
    assert (check.ok, check.checked, check.newest) == (True, 0, None)


def test_an_intact_chain_agrees_with_every_anchor_the_newest_named():
    log = log_of(10)
    anchors = [anchor_at(log, 0, 0), anchor_at(log, 3, 1), anchor_at(log, 7, 2), anchor_at(log, 7, 3)]
    assert log_anchors.anchored_seqs(anchors, head(log)) == [3, 7]
    check = log_anchors.check(anchors, head(log), hashes_of(log))
    assert (check.ok, check.checked, check.newest) == (True, 4, anchors[3])


def test_a_head_moved_back_behind_an_anchor_is_a_truncation_though_the_chain_itself_is_intact():
    log = log_of(10)
    anchors = [anchor_at(log, 4, 0), anchor_at(log, 8, 1)]
    truncate(log, 6)
    assert hashchain.verify(log.records, head(log)).ok  # the chain alone shows nothing
    check = log_anchors.check(anchors, head(log), hashes_of(log))
    assert not check.ok and check.broken.seq == 7 and check.broken.anchor == anchors[1]
    assert "链头为第 6 条，落后于 2026-11-23 10:00 的外部锚点所记的第 8 条" in check.broken.reason
    assert "末尾记录被删除" in check.broken.reason and check.broken.describe().startswith("与外部锚点不符")


def test_a_tail_cut_off_and_appended_again_past_the_anchor_is_a_rewrite():
    log = log_of(10)
    anchors = [anchor_at(log, 4, 0), anchor_at(log, 8, 1)]
    truncate(log, 6)
    for n in range(100, 105):  # other records appended: the head is past the anchor again
        log.append(entry(n))
    assert log.head_state.seq == 11 and hashchain.verify(log.records, head(log)).ok
    check = log_anchors.check(anchors, head(log), hashes_of(log))
    assert not check.ok and check.broken.seq == 8 and "第 8 条记录的哈希与 2026-11-23 10:00 的外部锚点不符" in check.broken.reason
    assert "改写" in check.broken.reason


def test_a_record_rewritten_before_an_anchor_is_found_at_the_first_anchor_it_changes():
    log = log_of(10)
    anchors = [anchor_at(log, 3, 0), anchor_at(log, 6, 1), anchor_at(log, 9, 2)]
    hashes = hashes_of(log)
    hashes[6] = "f" * 64  # record 5 edited and the chain re-hashed from there: records 6.. changed
    hashes[9] = "e" * 64
    check = log_anchors.check(anchors, head(log), hashes)
    assert not check.ok and check.broken.seq == 6 and check.broken.anchor == anchors[1]


def test_an_anchored_record_no_longer_stored_is_reported_as_deleted():
    log = log_of(5)
    anchors = [anchor_at(log, 3, 0)]
    hashes = hashes_of(log)
    del hashes[3]
    check = log_anchors.check(anchors, head(log), hashes)
    assert not check.ok and "链中已读不到该条（记录被删除）" in check.broken.reason


# --- anchoring (log_anchor) -----------------------------------------------------------------------


def anchoring(log: InMemoryInspectorLog, clock: FakeClock):
    anchors, events = InMemoryLogAnchors(), FakePublisher()
    return LogAnchorService(log=log, anchors=anchors, events=events, clock=clock), anchors, events


def test_each_anchoring_writes_the_head_to_a_new_object_and_publishes_the_fact():
    log, clock = log_of(4), FakeClock(MONDAY)
    service, anchors, events = anchoring(log, clock)
    first = service.anchor()
    assert (first.head_sequence, first.head_hash) == (4, log.head_state.hash)
    assert first.anchored_at == MONDAY.replace(microsecond=0) and first.anchor_key == "anchors/2026/11/23/20261123T010030Z-4.json"
    assert anchors.objects == {first.anchor_key: first}
    assert events.details == [(INSPECTOR_LOG_ANCHORED, first)]
    assert set(first.model_dump()) == {"schema_version", "event_id", "head_sequence", "head_hash", "anchored_at", "anchor_key"}

    log.append(entry(9))
    clock.advance(hours=1)
    second = service.anchor()
    assert second.head_sequence == 5 and second.anchor_key != first.anchor_key and second.event_id != first.event_id
    assert list(anchors.objects) == [first.anchor_key, second.anchor_key]  # the first one is still there


def test_a_duplicated_invocation_in_the_same_second_overwrites_nothing_and_repeats_the_same_fact():
    log, clock = log_of(2), FakeClock(MONDAY)
    service, anchors, events = anchoring(log, clock)
    first = service.anchor()
    clock.advance(microseconds=500)
    again = service.anchor()
    assert again == first and anchors.refused == 1 and len(anchors.objects) == 1
    assert [detail for _, detail in events.details] == [first, first]  # one event id: the consumers count it once


def test_an_empty_log_is_anchored_as_sequence_zero():
    service, anchors, _ = anchoring(InMemoryInspectorLog(), FakeClock(MONDAY))
    anchor = service.anchor()
    assert (anchor.head_sequence, anchor.head_hash) == (0, hashchain.GENESIS) and anchor.anchor_key.endswith("-0.json")


# --- the verifier against the anchors --------------------------------------------------------------


class Setup:
    def __init__(self, size: int, *, anchor_page: int = 500) -> None:
        self.log, self.clock = log_of(size), FakeClock(MONDAY)
        self.anchoring, self.anchors, _ = anchoring(self.log, self.clock)
        self.runs, self.worker = InMemoryVerificationRuns(), QueuedWorker()
        self.service = LogVerificationService(log=self.log, runs=self.runs, worker=self.worker, clock=self.clock, ids=SequentialIds(),
                                              segment_records=4, records_per_invocation=10, anchors=self.anchors,
                                              anchor_page=anchor_page)

    def anchor(self) -> InspectorLogAnchoredV1:
        self.clock.advance(hours=1)
        return self.anchoring.anchor()

    def run(self):
        run, _ = self.service.start(INSPECTOR)
        while self.worker.queue:
            self.clock.advance(seconds=5)
            self.service.advance(self.worker.queue.pop(0), has_time=lambda: True)
        return self.runs.get(run.run_id)


def test_a_run_over_an_intact_chain_reports_the_anchors_it_agrees_with():
    setup = Setup(12)
    setup.anchor()
    for n in range(3):
        setup.log.append(entry(50 + n))
    newest = setup.anchor()
    run = setup.run()
    assert run.status is VerificationStatus.INTACT and run.first_break is None
    assert (run.anchors_checked, run.newest_anchor_seq, run.newest_anchor_at) == (2, 15, newest.anchored_at)
    assert run.message == "链完整：共 15 条记录，逐条校验无误，与 2 个外部锚点一致（最新锚点：2026-11-23 11:00，第 15 条）。"


def test_before_any_anchor_a_run_says_there_was_nothing_to_compare():
    run = Setup(5).run()
    assert run.status is VerificationStatus.INTACT and run.anchors_checked == 0 and run.newest_anchor_seq is None
    assert run.message.endswith("尚无外部锚点可对照。")


def test_a_truncated_log_is_reported_as_broken_by_the_run_where_the_chain_alone_is_intact():
    setup = Setup(12)
    anchor = setup.anchor()
    truncate(setup.log, 9)
    assert verify_chain(setup.log, segment_records=4).ok  # without the anchors: nothing to see
    run = setup.run()
    assert run.status is VerificationStatus.BROKEN and run.checked == 9 and run.anchors_checked == 1
    assert run.first_break.seq == 10 and run.first_break.anchor_key == anchor.anchor_key
    assert run.message.startswith("发现截断或改写：与外部锚点不符：链头为第 9 条，落后于 2026-11-23 10:00 的外部锚点所记的第 12 条")
    report = verify_chain(setup.log, segment_records=4, anchors=setup.anchors)  # the CLI, given the bucket
    assert not report.ok and report.first_break == run.first_break


def test_a_rewritten_tail_is_reported_by_the_run():
    setup = Setup(12)
    setup.anchor()
    truncate(setup.log, 9)
    for n in range(6):
        setup.log.append(entry(200 + n))
    run = setup.run()
    assert run.status is VerificationStatus.BROKEN and run.first_break.seq == 12 and "改写" in run.first_break.reason


def test_a_chain_that_breaks_on_its_own_is_reported_as_before_without_an_anchor_check():
    setup = Setup(12)
    setup.anchor()
    setup.log.records[4]["status"] = 500
    run = setup.run()
    assert run.status is VerificationStatus.BROKEN and run.first_break.seq == 5 and run.anchors_checked is None
    assert run.first_break.anchor_key is None and "被改动" in run.first_break.reason


def test_many_anchors_are_compared_a_page_per_saved_step_handing_over_like_segments():
    setup = Setup(6, anchor_page=2)
    for n in range(5):
        setup.log.append(entry(300 + n))
        setup.anchor()
    run, _ = setup.service.start(INSPECTOR)
    steps = []
    while setup.worker.queue:  # out of time after every step: one step per invocation
        setup.clock.advance(seconds=5)
        steps.append(setup.service.advance(setup.worker.queue.pop(0), has_time=lambda: False))
    assert [s.anchors_checked for s in steps] == [None, None, 0, 2, 4, 5]  # 3 segments of 4 records, 3 pages of 2 anchors
    assert [s.status for s in steps] == [VerificationStatus.RUNNING] * 5 + [VerificationStatus.INTACT]
    assert steps[3].message == "链完整：共 11 条记录，逐条校验无误，正在对照外部锚点：已对照 2 个。" and steps[3].finished_at is None
    done = setup.runs.get(run.run_id)
    assert done.anchors_checked == 5 and done.newest_anchor_seq == 11 and done.anchors_after is None
    assert "与 5 个外部锚点一致（最新锚点：2026-11-23 14:00，第 11 条）" in done.message and done.finished_at == setup.clock.now()


def test_a_cut_is_found_on_a_later_page_of_anchors():
    setup = Setup(6, anchor_page=2)
    for n in range(5):
        setup.log.append(entry(300 + n))
        setup.anchor()
    truncate(setup.log, 10)  # behind the last anchor (11) only: the first pages agree
    run = setup.run()
    assert run.status is VerificationStatus.BROKEN and run.anchors_checked == 5 and run.first_break.seq == 11
    assert run.first_break.anchor_key.endswith("-11.json")
