"""Contracts of the inspector log (监察日志), its verification runs and the inspectors' flags, each
against its fake and its DynamoDB adapter. The chain, the current run and the flag listing are one
per table, so every test here gets an emptied stack (`fresh_stack`, for the adapter)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import boto3
import pytest

from sunlight.adapters.dynamodb_inspector_log import DynamoFlagRepository, DynamoInspectorLog, DynamoVerificationRuns
from sunlight.models.inspector_log import FlagKind, FlagReason, InspectorFlag, LogEntry, LogVerificationRun, VerificationStatus
from sunlight.rules import hashchain
from sunlight.services.ports import ConcurrentModification, FlagRepository, InspectorLog, VerificationRuns
from tests.fakes.orders import InMemoryFlags, InMemoryInspectorLog, InMemoryVerificationRuns

from .conftest import IMPLEMENTATIONS, read_all

pytestmark = pytest.mark.fresh_stack

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def supervision_table(request) -> tuple[object, str]:
    stack = request.getfixturevalue("aws_resources")
    return boto3.client("dynamodb"), stack["SupervisionTableName"]


# -- the chained log ---------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def log(request) -> InspectorLog:
    if request.param == "fake":
        return InMemoryInspectorLog()
    return DynamoInspectorLog(*supervision_table(request))


def an_entry(n: int, user: str = "inspector-1", at: datetime | None = None) -> LogEntry:
    return LogEntry(at=at or NOW + timedelta(minutes=n), user_id=user, user_name="王监察", roles=("inspector",),
                    method="GET", route="/cases/{caseId}", path=f"/cases/SL{n:04d}", path_params={"caseId": f"SL{n:04d}"},
                    status=200)


def test_an_empty_chain_starts_at_genesis(log):
    assert (log.head().seq, log.head().hash) == (0, hashchain.GENESIS)
    assert list(log.stored_records(1, None)) == []
    assert log.newest(user_id=None, since=None, until=None, limit=5, start_key=None) == ([], None)
    assert log.last_action_of("inspector-1") is None


def test_appends_chain_each_record_after_the_head(log):
    records = [log.append(an_entry(n)) for n in range(1, 5)]
    assert [r.seq for r in records] == [1, 2, 3, 4]
    assert records[0].prev_hash == hashchain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(records))
    assert (log.head().seq, log.head().hash) == (4, records[-1].hash)
    stored = list(log.stored_records(1, None))
    assert [r["seq"] for r in stored] == [1, 2, 3, 4]
    assert [r["hash"] for r in stored] == [r.hash for r in records]


def test_stored_ranges_read_together_what_one_read_of_the_chain_does(log):
    for n in range(1, 8):
        log.append(an_entry(n))
    whole = list(log.stored_records(1, None))
    pieces = list(log.stored_records(1, 3)) + list(log.stored_records(3, 6, page_size=2)) + list(log.stored_records(6, None))
    assert pieces == whole
    assert [r["seq"] for r in log.stored_records(3, 6)] == [3, 4, 5]
    assert list(log.stored_records(5, 5)) == []


def test_the_newest_records_by_user_and_time(log):
    appended = [log.append(an_entry(n, user="inspector-1" if n % 2 else "inspector-2")) for n in range(1, 7)]
    newest_first = list(reversed(appended))
    for limit in (1, 4, 10):
        everyone = read_all(lambda **page: log.newest(user_id=None, since=None, until=None, **page), limit)
        assert everyone == newest_first
        assert read_all(lambda **page: log.newest(user_id="inspector-2", since=None, until=None, **page), limit) == [
            r for r in newest_first if r.user_id == "inspector-2"]
    window = read_all(lambda **page: log.newest(user_id=None, since=NOW + timedelta(minutes=2), until=NOW + timedelta(minutes=5),
                                                **page), 10)
    assert [r.seq for r in window] == [4, 3, 2]  # since is in, until is out
    assert log.last_action_of("inspector-1") == NOW + timedelta(minutes=5)
    assert log.last_action_of("nobody") is None


# -- verification runs -------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def runs(request) -> VerificationRuns:
    if request.param == "fake":
        return InMemoryVerificationRuns()
    return DynamoVerificationRuns(*supervision_table(request))


def a_run(run_id: str, **changes) -> LogVerificationRun:
    return LogVerificationRun(
        run_id=run_id, started_by="inspector-1", started_by_name="王监察", started_at=NOW, head_seq=10, head_hash="h10",
        next_seq=1, last_hash=hashchain.GENESIS, checked=0, status=VerificationStatus.RUNNING, message="校验中",
        updated_at=NOW,
    ).model_copy(update=changes)


def test_one_run_is_current_and_a_start_replaces_only_the_run_it_saw(runs):
    assert runs.current() is None
    first = a_run("run-1")
    with pytest.raises(ConcurrentModification):
        runs.start(first, replacing="run-0")  # there is no current run to replace
    runs.start(first, replacing=None)
    assert runs.current() == first
    with pytest.raises(ConcurrentModification):
        runs.start(a_run("run-2"), replacing=None)  # another start won meanwhile
    assert runs.get("run-2") is None
    runs.start(second := a_run("run-2"), replacing="run-1")
    assert (runs.current(), runs.get("run-1")) == (second, first)


def test_a_step_is_saved_only_over_the_version_it_read(runs):
    run = a_run("run-1")
    runs.start(run, replacing=None)
    step = run.model_copy(update={"next_seq": 6, "checked": 5, "version": 2})
    with pytest.raises(ConcurrentModification):
        runs.save(step, expected_version=2)
    runs.save(step, expected_version=1)
    assert runs.get("run-1") == runs.current() == step
    with pytest.raises(ConcurrentModification):
        runs.save(step.model_copy(update={"version": 3}), expected_version=1)


def test_a_run_that_was_never_started_cannot_be_saved(runs):
    with pytest.raises(ConcurrentModification):
        runs.save(a_run("run-9", version=2), expected_version=1)
    assert runs.get("run-9") is None


# -- inspectors' flags -------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def flags(request) -> FlagRepository:
    if request.param == "fake":
        return InMemoryFlags()
    return DynamoFlagRepository(*supervision_table(request))


def a_flag(day: date, user_id: str, raised_at: datetime) -> InspectorFlag:
    return InspectorFlag(flag_id=f"{day.isoformat()}#{user_id}", day=day, user_id=user_id, username=user_id,
                         user_name="王监察", reasons=(FlagReason(kind=FlagKind.IDLE, detail="连续5个工作日未登录"),),
                         recipient="chief-inspector", raised_at=raised_at)


def test_a_flag_is_raised_once_per_inspector_and_day_and_listed_newest_first(flags):
    day = date(2026, 11, 23)
    first = a_flag(day - timedelta(days=1), "inspector-1", NOW - timedelta(days=1))
    second = a_flag(day, "inspector-2", NOW)
    third = a_flag(day, "inspector-1", NOW + timedelta(minutes=1))
    assert all(flags.raise_flag(f) for f in (first, second, third))
    assert flags.raise_flag(a_flag(day, "inspector-2", NOW + timedelta(hours=1))) is False
    for limit in (1, 2, 10):
        assert read_all(lambda **page: flags.recent(**page), limit) == [third, second, first]
