"""Verifying the inspector log's hash chain (监察日志校验) at any size: segment by segment.

A verification covers records 1..N, N being the head when it starts, and reads one segment of
records at a time (rules/hashchain.py `verify_segment`), so its memory is one segment's and it can
stop after any segment and resume from its `Progress`. After the last segment it looks past the
current head once: a record stored there was inserted (or the head moved back).

The CLI runs all segments in one process (`verify_chain`). From the SPA a verification is a run
(`LogVerificationRun`, in the Supervision table) that the log_verify function carries out in
bounded steps, saving its progress after every segment over the version it read, and handing
the rest of the run to its next invocation.

A chain found intact is then checked against the external anchors (rules/log_anchors.py): the
chain alone cannot show that its newest records were deleted and the head moved back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models.inspector_log import ChainBreak, ChainReport, LogVerificationRun, VerificationStatus
from ..models.roles import Principal
from ..rules import hashchain, log_anchors
from .errors import Conflict, Forbidden, NotFound, Unavailable
from .inspector_log import may_read_log
from .ports import (
    Clock,
    ConcurrentModification,
    IdGenerator,
    InspectorLog,
    LogAnchors,
    VerificationRuns,
    VerificationWorker,
    WorkerUnavailable,
)

SEGMENT_RECORDS = 2_000  # one segment: about two Query pages of 1 MB; its records are all held at once
RECORDS_PER_INVOCATION = 100_000
STALE_AFTER = timedelta(minutes=15)  # longer than an invocation and Lambda's two retries of it
PAST_HEAD_LOOKS = 3  # appends keep landing past the head of a busy log: give up looking after this
ANCHOR_PAGE = 500  # anchors compared per step: one listing, their reads, one record read each


# --- one verification, segment by segment ------------------------------------------------------


def verify_next_segment(log: InspectorLog, progress: hashchain.Progress, segment_records: int) -> hashchain.Progress:
    """One bounded step: the next segment's records; after the last one, a look past the head."""
    from_seq, to_seq = progress.segment(segment_records)
    progress = hashchain.verify_segment(progress, log.stored_records(from_seq, to_seq), to_seq)
    if progress.complete and progress.first_break is None:
        progress = _look_past_head(log, progress)
    return progress


def _look_past_head(log: InspectorLog, progress: hashchain.Progress) -> hashchain.Progress:
    """A record stored past the current head is a break, unless it is an append that landed
    between reading the head and looking (the head moved on meanwhile: look again past it)."""
    head = log.head()
    for _ in range(PAST_HEAD_LOOKS):
        stray = next(iter(log.stored_records(head.seq + 1, None, page_size=1)), None)
        if stray is None:
            return progress
        now = log.head()
        if now.seq == head.seq:
            return hashchain.beyond_head(progress, hashchain.Head(head.seq, head.hash), stray)
        head = now
    return progress


def start_progress(log: InspectorLog) -> hashchain.Progress:
    head = log.head()
    return hashchain.start(hashchain.Head(head.seq, head.hash))


def verify_chain(log: InspectorLog, *, segment_records: int = SEGMENT_RECORDS, anchors: LogAnchors | None = None) -> ChainReport:
    """The whole chain in this process, one segment in memory at a time (the CLI); then, if
    given, against the external anchors, one page at a time."""
    progress = start_progress(log)
    while not progress.complete:
        progress = verify_next_segment(log, progress, segment_records)
    broken = _chain_break(progress.first_break)
    message = _verdict(progress.checked, broken)
    if broken is None and anchors is not None:
        tally = AnchorTally()
        while not tally.done:
            tally = check_anchor_page(log, anchors, tally, ANCHOR_PAGE)
        broken, message = _anchor_break(tally.broken), _anchor_verdict(progress.checked, tally)
    return ChainReport(ok=broken is None, checked=progress.checked, head_seq=progress.head.seq, first_break=broken,
                       message=message)


# --- the external anchors, page by page ---------------------------------------------------------


@dataclass(frozen=True)
class AnchorTally:
    """How far a check against the anchors got: the anchors compared, the newest of them (the
    last read: keys sort by time), the key to read on after, and the first disagreement."""

    checked: int = 0
    newest: log_anchors.Anchor | None = None
    after: str | None = None
    done: bool = False
    broken: log_anchors.AnchorBreak | None = None


def check_anchor_page(log: InspectorLog, anchors: LogAnchors, tally: AnchorTally, limit: int) -> AnchorTally:
    """The next page of anchors against the chain as stored now: the current head (appends only
    move it on, so an anchor past it means the tail was cut off) and the record at each anchored
    sequence number (one read each; the chain up to the run's head was verified record by record)."""
    page, after = anchors.page(tally.after, limit)
    stored = [log_anchors.Anchor(seq=a.head_sequence, hash=a.head_hash, anchored_at=a.anchored_at, key=a.anchor_key) for a in page]
    state = log.head()
    head = hashchain.Head(state.seq, state.hash)
    hashes: dict[int, str | None] = {}
    for seq in log_anchors.anchored_seqs(stored, head):
        record = next(iter(log.stored_records(seq, seq + 1, page_size=1)), None)
        hashes[seq] = record.get("hash") if record is not None and record.get("seq") == seq else None
    check = log_anchors.check(stored, head, hashes)
    newest = stored[-1] if stored else tally.newest
    return AnchorTally(checked=tally.checked + check.checked, newest=newest, after=after,
                       done=after is None or check.broken is not None, broken=check.broken)


def _anchor_break(broken: log_anchors.AnchorBreak | None) -> ChainBreak | None:
    if broken is None:
        return None
    return ChainBreak(seq=broken.seq, reason=broken.reason, message=broken.describe(), anchor_key=broken.anchor.key)


def _anchor_verdict(checked: int, tally: AnchorTally) -> str:
    if tally.broken:
        return f"发现截断或改写：{tally.broken.describe()}"
    chain = f"链完整：共 {checked} 条记录，逐条校验无误"
    if not tally.done:
        return f"{chain}，正在对照外部锚点：已对照 {tally.checked} 个。"
    if tally.newest is None:
        return f"{chain}；尚无外部锚点可对照。"
    return f"{chain}，与 {tally.checked} 个外部锚点一致（最新锚点：{tally.newest.when()}，第 {tally.newest.seq} 条）。"


def _chain_break(broken: hashchain.Break | None) -> ChainBreak | None:
    if broken is None:
        return None
    return ChainBreak(seq=broken.expected_seq, found_seq=broken.found_seq, reason=broken.reason, message=broken.describe())


def _verdict(checked: int, broken: ChainBreak | None) -> str:
    return f"链已断开：{broken.message}" if broken else f"链完整：共 {checked} 条记录，逐条校验无误。"


# --- runs: a verification carried out in bounded steps by the log_verify function -------------


def progress_of(run: LogVerificationRun) -> hashchain.Progress:
    return hashchain.Progress(head=hashchain.Head(run.head_seq, run.head_hash), next_seq=run.next_seq, last_hash=run.last_hash)


def advanced(run: LogVerificationRun, progress: hashchain.Progress, now: datetime) -> LogVerificationRun:
    """The run after a step, one version on."""
    broken = _chain_break(progress.first_break)
    status = VerificationStatus.RUNNING
    if progress.complete:
        status = VerificationStatus.BROKEN if broken else VerificationStatus.INTACT
    message = (_verdict(progress.checked, broken) if progress.complete
               else f"正在校验：已校验 {progress.checked} / {run.head_seq} 条。")
    return run.model_copy(update={
        "next_seq": progress.next_seq, "last_hash": progress.last_hash, "checked": progress.checked, "status": status,
        "first_break": broken, "message": message, "updated_at": now, "finished_at": now if progress.complete else None,
        "version": run.version + 1,
    })


class LogVerificationService:
    def __init__(self, *, log: InspectorLog, runs: VerificationRuns, worker: VerificationWorker, clock: Clock, ids: IdGenerator,
                 segment_records: int = SEGMENT_RECORDS, records_per_invocation: int = RECORDS_PER_INVOCATION,
                 stale_after: timedelta = STALE_AFTER, anchors: LogAnchors | None = None, anchor_page: int = ANCHOR_PAGE) -> None:
        self._log = log
        self._anchors = anchors  # None: the API, which only starts and reads runs
        self._anchor_page = anchor_page
        self._runs = runs
        self._worker = worker
        self._clock = clock
        self._ids = ids
        self._segment_records = segment_records
        self._records_per_invocation = records_per_invocation
        self._stale_after = stale_after

    # -- the API ----------------------------------------------------------------------------------

    def start(self, principal: Principal) -> tuple[LogVerificationRun, bool]:
        """Starts a run of the whole chain, or returns the run still going (False: not new)."""
        _may_verify(principal)
        now = self._clock.now()
        current = self._runs.current()
        if current and current.status is VerificationStatus.RUNNING:
            if not self._stale(current, now):
                return current, False
            try:
                self._runs.save(self._failed(current, now), expected_version=current.version)
            except ConcurrentModification:  # it moved after all: it is still going
                return self._still_running()
        head = self._log.head()
        run = LogVerificationRun(
            run_id=f"{now:%Y%m%d%H%M%S}-{self._ids.token()[-8:]}", started_by=principal.user_id, started_by_name=principal.name,
            started_at=now, head_seq=head.seq, head_hash=head.hash, next_seq=hashchain.FIRST_SEQ, last_hash=hashchain.GENESIS,
            checked=0, status=VerificationStatus.RUNNING, message=f"正在校验：已校验 0 / {head.seq} 条。", updated_at=now,
        )
        try:
            self._runs.start(run, replacing=current.run_id if current else None)
        except ConcurrentModification:  # someone started one at the same moment: theirs is the run
            return self._still_running()
        try:
            self._worker.continue_run(run.run_id)
        except WorkerUnavailable as error:
            self._runs.save(run.model_copy(update={
                "status": VerificationStatus.FAILED, "message": "校验任务未能启动，请稍后重试。", "finished_at": now,
                "version": run.version + 1}), expected_version=run.version)
            raise Unavailable("校验任务未能启动，请稍后重试。") from error
        return run, True

    def latest(self, principal: Principal) -> LogVerificationRun:
        _may_verify(principal)
        run = self._runs.current()
        if run is None:
            raise NotFound("尚未校验过监察日志。")
        return self._as_seen(run)

    def get(self, principal: Principal, run_id: str) -> LogVerificationRun:
        _may_verify(principal)
        run = self._runs.get(run_id)
        if run is None:
            raise NotFound("没有这次校验。")
        return self._as_seen(run)

    # -- the worker (log_verify) ------------------------------------------------------------------

    def advance(self, run_id: str, *, has_time: Callable[[], bool]) -> LogVerificationRun | None:
        """Verifies segments of the run while this invocation has time and record budget left,
        saving each; then hands the rest to the next invocation. None: another invocation saved
        a step first (a retried or duplicated event) and carries the run on, so this one stops."""
        run = self._runs.get(run_id)
        if run is None or run.status is not VerificationStatus.RUNNING:
            return run
        first_seq = run.next_seq
        while True:
            if run.anchors_checked is None:
                step = advanced(run, verify_next_segment(self._log, progress_of(run), self._segment_records), self._clock.now())
                if step.status is VerificationStatus.INTACT and self._anchors is not None:
                    step = self._to_anchors(step)
            else:
                step = self._anchor_step(run)
            try:
                self._runs.save(step, expected_version=run.version)
            except ConcurrentModification:
                return None
            run = step
            if run.status is not VerificationStatus.RUNNING:
                return run
            out_of_records = run.anchors_checked is None and run.next_seq - first_seq >= self._records_per_invocation
            if out_of_records or not has_time():  # the anchors' pages are bounded by time only
                self._worker.continue_run(run.run_id)  # if this fails, Lambda retries the event: it resumes here
                return run

    # -- helpers ----------------------------------------------------------------------------------

    def _to_anchors(self, run: LogVerificationRun) -> LogVerificationRun:
        """An intact chain goes on to the external anchors (the log_verify function's settings
        require the anchors bucket), page by page in the following steps."""
        return run.model_copy(update={
            "status": VerificationStatus.RUNNING, "finished_at": None, "anchors_checked": 0,
            "message": _anchor_verdict(run.checked, AnchorTally())})

    def _anchor_step(self, run: LogVerificationRun) -> LogVerificationRun:
        assert self._anchors is not None  # a run reaches its anchors only where they are known
        newest = (log_anchors.Anchor(seq=run.newest_anchor_seq, hash="", anchored_at=run.newest_anchor_at, key="")
                  if run.newest_anchor_seq is not None and run.newest_anchor_at is not None else None)
        tally = check_anchor_page(self._log, self._anchors, AnchorTally(
            checked=run.anchors_checked or 0, newest=newest, after=run.anchors_after), self._anchor_page)
        now = self._clock.now()
        status = VerificationStatus.RUNNING
        if tally.done:
            status = VerificationStatus.BROKEN if tally.broken else VerificationStatus.INTACT
        return run.model_copy(update={
            "status": status, "first_break": _anchor_break(tally.broken), "message": _anchor_verdict(run.checked, tally),
            "anchors_checked": tally.checked, "anchors_after": tally.after,
            "newest_anchor_seq": tally.newest.seq if tally.newest else None,
            "newest_anchor_at": tally.newest.anchored_at if tally.newest else None,
            "updated_at": now, "finished_at": now if tally.done else None, "version": run.version + 1,
        })

    def _stale(self, run: LogVerificationRun, now: datetime) -> bool:
        return run.status is VerificationStatus.RUNNING and now - run.updated_at > self._stale_after

    def _failed(self, run: LogVerificationRun, now: datetime) -> LogVerificationRun:
        minutes = int(self._stale_after.total_seconds() // 60)
        return run.model_copy(update={
            "status": VerificationStatus.FAILED, "message": f"校验中断：超过 {minutes} 分钟没有进展（已校验 {run.checked} 条），请重新校验。",
            "finished_at": now, "version": run.version + 1})

    def _as_seen(self, run: LogVerificationRun) -> LogVerificationRun:
        """A run that stopped making progress is shown as interrupted (saved so when the next starts)."""
        now = self._clock.now()
        return self._failed(run, now).model_copy(update={"version": run.version}) if self._stale(run, now) else run

    def _still_running(self) -> tuple[LogVerificationRun, bool]:
        run = self._runs.current()
        if run is None or run.status is not VerificationStatus.RUNNING:
            raise Conflict("校验任务状态刚刚变化，请重试。")
        return run, False


def _may_verify(principal: Principal) -> None:
    if not may_read_log(principal):
        raise Forbidden("监察日志由市监察局的监察人员校验。")
