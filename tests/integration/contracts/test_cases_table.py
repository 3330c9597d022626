"""Contracts of the ports stored in the Cases table: the case repository, the public tracking
guard, upload check verdicts and warnings, each against its fake and its DynamoDB adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import boto3
import pytest

from sunlight.adapters.dynamodb_cases import DynamoCaseRepository
from sunlight.adapters.dynamodb_tracking_guard import DynamoTrackingGuard
from sunlight.adapters.dynamodb_upload_checks import DynamoUploadChecks
from sunlight.adapters.dynamodb_warnings import DynamoWarningRepository
from sunlight.models.case import Actor, Case, CaseStatus, TimelineEvent
from sunlight.models.complaints import Notification
from sunlight.models.flow import STEP_ROLE, Step
from sunlight.models.roles import Role
from sunlight.models.uploads import UploadCheck, UploadCheckStatus
from sunlight.models.warnings import CardStatus, Warning, WarningFilter, WarningLevel
from sunlight.services.ports import (
    CaseRepository,
    ConcurrentModification,
    DepartmentCaseQuery,
    DuplicateRequest,
    IdempotencyRecord,
    TrackingGuard,
    UploadChecks,
    WarningRepository,
)
from tests.fakes.cases import InMemoryCases, InMemoryTrackingGuard, InMemoryUploadChecks
from tests.fakes.supervision import InMemoryWarnings
from tests.unit.conftest import APPLICANT

from .conftest import IMPLEMENTATIONS, read_all

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


# -- the case repository -----------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def cases(request) -> CaseRepository:
    if request.param == "fake":
        return InMemoryCases()
    stack = request.getfixturevalue("aws_resources")
    return DynamoCaseRepository(boto3.client("dynamodb"), stack["CasesTableName"])


def a_case(case_id: str, *, user_id: str = "citizen-1", submitted_at: datetime = NOW, version: int = 1) -> Case:
    return Case.model_validate(dict(
        case_id=case_id, query_code="123456", item_code="330100-XK-0001", item_name="食品经营许可",
        department_id="market", department_name="市市场监督管理局", applicant=APPLICANT, applicant_user_id=user_id,
        form={"companyName": "甲公司"}, status=CaseStatus.SUBMITTED,
        step_limit_days={"accept": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1},
        promised_due_on="2026-12-07", legal_due_on="2026-12-21", submitted_at=submitted_at, updated_at=submitted_at,
        version=version,
    ))


def an_event(case: Case, seq: int = 1, action: str = "apply") -> TimelineEvent:
    return TimelineEvent(
        case_id=case.case_id, seq=seq, occurred_at=NOW + timedelta(minutes=seq),
        actor=Actor(user_id="citizen-1", name="李华", role="citizen"), action=action,
        from_state=None if seq == 1 else CaseStatus.SUBMITTED, to_state=CaseStatus.SUBMITTED,
    )


def test_a_created_case_reads_back_with_its_first_event(cases, unique):
    case = a_case(f"SL{unique}")
    assert cases.get(case.case_id) is None
    assert cases.get_with_timeline(case.case_id) is None
    cases.create(case, an_event(case), None)
    assert cases.get(case.case_id) == case
    assert cases.get_with_timeline(case.case_id) == (case, [an_event(case)])


def test_an_idempotency_key_used_again_names_the_first_case(cases, unique):
    first, second = a_case(f"SL{unique}A"), a_case(f"SL{unique}B")
    key = IdempotencyRecord(owner_id=f"citizen-{unique}", key="k-1", case_id=first.case_id, fingerprint="f-1")
    cases.create(first, an_event(first), key)
    again = IdempotencyRecord(owner_id=key.owner_id, key="k-1", case_id=second.case_id, fingerprint="f-2")
    with pytest.raises(DuplicateRequest) as raised:
        cases.create(second, an_event(second), again)
    assert (raised.value.case_id, raised.value.fingerprint) == (first.case_id, "f-1")
    assert cases.get(second.case_id) is None


def test_a_case_id_cannot_be_created_twice(cases, unique):
    case = a_case(f"SL{unique}")
    cases.create(case, an_event(case), None)
    with pytest.raises(ConcurrentModification):
        cases.create(case, an_event(case), None)


def test_save_holds_only_on_the_expected_version_and_appends_events(cases, unique):
    case = a_case(f"SL{unique}")
    cases.create(case, an_event(case), None)
    moved = case.model_copy(update={"status": CaseStatus.ACCEPT, "version": 2})
    with pytest.raises(ConcurrentModification):
        cases.save(moved, expected_version=2, events=(an_event(case, 2, "accept"),))
    assert cases.get_with_timeline(case.case_id) == (case, [an_event(case)])
    cases.save(moved, expected_version=1, events=(an_event(case, 2, "accept"),))
    assert cases.get_with_timeline(case.case_id) == (moved, [an_event(case), an_event(case, 2, "accept")])
    # The same event twice (a retried step) is a lost race, not a second entry.
    with pytest.raises(ConcurrentModification):
        cases.save(moved.model_copy(update={"version": 3}), expected_version=2, events=(an_event(case, 2, "accept"),))
    assert cases.get(case.case_id) == moved
    cases.save(moved.model_copy(update={"version": 3}), expected_version=2)
    assert cases.get(case.case_id).version == 3


def test_saving_a_case_that_was_never_created_is_refused(cases, unique):
    with pytest.raises(ConcurrentModification):
        cases.save(a_case(f"SL{unique}", version=2), expected_version=1)


def test_delete_new_removes_the_case_and_frees_its_idempotency_key(cases, unique):
    case = a_case(f"SL{unique}")
    key = IdempotencyRecord(owner_id=f"citizen-{unique}", key="k-1", case_id=case.case_id, fingerprint="f-1")
    cases.create(case, an_event(case), key)
    cases.delete_new(case, key)
    assert cases.get(case.case_id) is None
    assert cases.get_with_timeline(case.case_id) is None
    cases.create(case, an_event(case), key)  # the key is free again, and so is the id
    assert cases.get(case.case_id) == case


def test_an_applicants_cases_come_newest_first_page_by_page(cases, unique):
    user = f"citizen-{unique}"
    created = [a_case(f"SL{unique}{n}", user_id=user, submitted_at=NOW + timedelta(hours=n)) for n in range(5)]
    for case in created:
        cases.create(case, an_event(case), None)
    cases.create(other := a_case(f"SL{unique}X", user_id=f"someone-{unique}"), an_event(other), None)
    seen, key = [], None
    for _ in range(10):
        page, key = cases.by_applicant(user, limit=2, start_key=key)
        assert len(page) <= 2
        seen += [c.case_id for c in page]
        if key is None:
            break
    assert seen == [c.case_id for c in reversed(created)]


def at_step(unique: str, n: int, step: Step, *, due: datetime | None, department: str | None = None,
            status: CaseStatus | None = None, waiting: bool = True) -> Case:
    """A case held at `step` (waiting on its holder when `waiting`), due at `due`, with its warnings
    15 minutes before and a day after."""
    case = a_case(f"SL{unique}{n:02d}")
    return case.model_copy(update={
        "department_id": department or f"dept{unique}", "status": status or CaseStatus(step.value), "step": step,
        "step_started_at": NOW, "step_due_at": due, "step_visit": 2,
        "step_reminder_at": due - timedelta(minutes=15) if due else None, "step_red_at": due + timedelta(days=1) if due else None,
        "task_token": f"token-{n}" if waiting else None, "updated_at": NOW + timedelta(minutes=n),
    })


def create_all(cases: CaseRepository, *made: Case) -> None:
    for case in made:
        cases.create(case, an_event(case), None)


def test_a_worklist_holds_the_cases_waiting_on_the_role_earliest_due_first(cases, unique):
    handle_late = at_step(unique, 1, Step.HANDLE, due=NOW + timedelta(days=3))
    handle_early = at_step(unique, 2, Step.HANDLE, due=NOW + timedelta(days=1))
    handle_unlimited = at_step(unique, 3, Step.HANDLE, due=None)  # waits by when it last changed
    review = at_step(unique, 4, Step.REVIEW, due=NOW + timedelta(hours=1))
    not_waiting = at_step(unique, 5, Step.HANDLE, due=NOW, waiting=False)
    elsewhere = at_step(unique, 6, Step.HANDLE, due=NOW, department=f"other{unique}")
    create_all(cases, handle_late, handle_early, handle_unlimited, review, not_waiting, elsewhere)
    department = f"dept{unique}"
    expected = [handle_unlimited.case_id, handle_early.case_id, handle_late.case_id]  # updated NOW+3min < NOW+1 day
    for limit in (1, 2, 10):
        seen = [c.case_id for c in read_all(partial(cases.worklist, department, Role.HANDLER, step=None), limit)]
        assert seen == expected
        assert [c.case_id for c in read_all(partial(cases.worklist, department, Role.HANDLER, step=Step.HANDLE), limit)] == expected
    reviewer = STEP_ROLE[Step.REVIEW]
    assert [c.case_id for c in read_all(partial(cases.worklist, department, reviewer, step=None), 5)] == [review.case_id]
    assert read_all(partial(cases.worklist, department, Role.HANDLER, step=Step.ACCEPT), 5) == []


def test_alarms_fall_due_across_the_shards_and_open_cases_are_all_listed(cases, unique):
    overdue = at_step(unique, 1, Step.HANDLE, due=NOW - timedelta(hours=2))
    reminded_soon = at_step(unique, 2, Step.HANDLE, due=NOW + timedelta(minutes=10))  # reminder 5 minutes ago
    later = at_step(unique, 3, Step.HANDLE, due=NOW + timedelta(days=2))
    closed = a_case(f"SL{unique}04").model_copy(update={"status": CaseStatus.COMPLETED, "closed_at": NOW})
    create_all(cases, overdue, reminded_soon, later, closed)
    ours = {c.case_id for c in (overdue, reminded_soon, later, closed)}
    due: list[tuple[datetime, str]] = []
    for shard in range(cases.alarm_shards()):
        ids = [i for i in cases.due_alarms(shard, NOW, limit=1000) if i in ours]
        alarms = [cases.get(i).next_alarm_at for i in ids]
        assert alarms == sorted(alarms)  # earliest first within a shard
        due += zip(alarms, ids, strict=True)
    assert sorted(i for _, i in due) == sorted([overdue.case_id, reminded_soon.case_id])
    listed = []
    for shard in range(cases.alarm_shards()):
        listed += [i for i in read_all(partial(cases.open_cases, shard), 2) if i in ours]
    assert sorted(listed) == sorted([overdue.case_id, reminded_soon.case_id, later.case_id])


def test_a_departments_open_cases_come_earliest_step_limit_first(cases, unique):
    soon = at_step(unique, 1, Step.HANDLE, due=NOW + timedelta(days=1))
    sooner = at_step(unique, 2, Step.REVIEW, due=NOW + timedelta(hours=5))
    unlimited = at_step(unique, 3, Step.HANDLE, due=None)
    later = at_step(unique, 4, Step.HANDLE, due=NOW + timedelta(days=4), waiting=False)
    closed = a_case(f"SL{unique}05").model_copy(update={"department_id": f"dept{unique}", "status": CaseStatus.COMPLETED})
    create_all(cases, soon, sooner, unlimited, later, closed)
    department = f"dept{unique}"

    def listed(query: DepartmentCaseQuery, limit: int = 2) -> list[str]:
        return [c.case_id for c in read_all(partial(cases.department_cases, department, query), limit)]

    assert listed(DepartmentCaseQuery()) == [sooner.case_id, soon.case_id, later.case_id, unlimited.case_id]
    assert listed(DepartmentCaseQuery(), 10) == listed(DepartmentCaseQuery(), 1)
    assert listed(DepartmentCaseQuery(without_due=True)) == [unlimited.case_id]
    assert listed(DepartmentCaseQuery(due_from=NOW + timedelta(hours=5), due_before=NOW + timedelta(days=4))) == [
        sooner.case_id, soon.case_id]  # the lower bound is in, the upper one out
    assert listed(DepartmentCaseQuery(step=Step.HANDLE)) == [soon.case_id, later.case_id, unlimited.case_id]
    assert listed(DepartmentCaseQuery(status=CaseStatus.REVIEW)) == [sooner.case_id]
    assert listed(DepartmentCaseQuery(due_before=NOW + timedelta(days=2), step=Step.HANDLE)) == [soon.case_id]


# -- the public tracking guard -----------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def guard(request) -> TrackingGuard:
    if request.param == "fake":
        return InMemoryTrackingGuard()
    stack = request.getfixturevalue("aws_resources")
    return DynamoTrackingGuard(boto3.client("dynamodb"), stack["CasesTableName"])


LIMITS = {"max_failures": 3, "window_seconds": 900, "lock_seconds": 1800}


def test_an_untouched_case_number_is_not_locked(guard, unique):
    assert guard.locked_until(f"SL{unique}", NOW) is None


def test_the_last_allowed_failure_locks_for_the_lock_time(guard, unique):
    key = f"SL{unique}"
    assert guard.record_failure(key, NOW, **LIMITS) is None
    assert guard.record_failure(key, NOW + timedelta(seconds=10), **LIMITS) is None
    assert guard.locked_until(key, NOW + timedelta(seconds=10)) is None
    until = guard.record_failure(key, NOW + timedelta(seconds=20), **LIMITS)
    assert until == NOW + timedelta(seconds=20 + 1800)
    assert guard.locked_until(key, NOW + timedelta(seconds=30)) == until
    assert guard.locked_until(key, until) is None  # unlocked at the moment it ends
    assert guard.locked_until(f"SL{unique}X", NOW + timedelta(seconds=30)) is None  # per case number


def test_failures_further_apart_than_the_window_start_a_new_count(guard, unique):
    key = f"SL{unique}"
    at = NOW
    for _ in range(2):
        assert guard.record_failure(key, at, **LIMITS) is None
        assert guard.record_failure(key, at + timedelta(seconds=1), **LIMITS) is None
        at += timedelta(seconds=900 + 1)  # the window has passed: the two failures no longer count
    assert guard.locked_until(key, at) is None


def test_the_count_restarts_when_a_lock_ends(guard, unique):
    key = f"SL{unique}"
    for n in range(3):
        until = guard.record_failure(key, NOW + timedelta(seconds=n), **LIMITS)
    assert until is not None
    after = until + timedelta(seconds=1)
    assert guard.record_failure(key, after, **LIMITS) is None
    assert guard.record_failure(key, after + timedelta(seconds=1), **LIMITS) is None
    assert guard.record_failure(key, after + timedelta(seconds=2), **LIMITS) == after + timedelta(seconds=2 + 1800)


def test_failures_during_a_lock_do_not_extend_it(guard, unique):
    """Requests that checked the lock just before it was set still count their failure; the
    answer is the lock in force, never a later one."""
    key = f"SL{unique}"
    for n in range(3):
        until = guard.record_failure(key, NOW + timedelta(seconds=n), **LIMITS)
    during = NOW + timedelta(seconds=60)
    answers = [guard.record_failure(key, during + timedelta(seconds=n), **LIMITS) for n in range(3)]
    assert answers[-1] == until
    assert guard.locked_until(key, during + timedelta(seconds=10)) == until


# -- upload check verdicts ---------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def checks(request) -> UploadChecks:
    if request.param == "fake":
        return InMemoryUploadChecks()
    stack = request.getfixturevalue("aws_resources")
    return DynamoUploadChecks(boto3.client("dynamodb"), stack["CasesTableName"], stack["SupervisionTableName"])


def a_check(storage_key: str, status: UploadCheckStatus, *, minutes: int = 0) -> UploadCheck:
    failed = status is UploadCheckStatus.FAILED
    return UploadCheck(
        storage_key=storage_key, owner_id="citizen-1", upload_id=storage_key.rsplit("/", 1)[-1], status=status,
        declared_type="application/pdf", file_name="营业执照.pdf", checked_at=NOW + timedelta(minutes=minutes),
        reason="文件内容与声明的类型不符" if failed else None, inspector="file-signature" if failed else None,
    )


def a_notice(unique: str, n: int = 1) -> Notification:
    return Notification(
        notification_id=f"N{unique}{n}", user_id="citizen-1", at=NOW, title="上传的文件未通过检查",
        body="请重新上传", subject_kind="upload", subject_id=f"U{unique}",
    )


def test_unchecked_keys_have_no_verdict(checks, unique):
    assert checks.get_many([f"uploads/{unique}/a", f"uploads/{unique}/b"]) == {}


def test_a_pass_is_recorded_once_and_never_over_a_verdict(checks, unique):
    passed = a_check(f"uploads/{unique}/a", UploadCheckStatus.PASSED)
    assert checks.record_passed(passed) is True
    assert checks.record_passed(a_check(passed.storage_key, UploadCheckStatus.PASSED, minutes=1)) is False
    failed = a_check(f"uploads/{unique}/b", UploadCheckStatus.FAILED)
    assert checks.record_failed(failed, a_notice(unique)) is True
    assert checks.record_passed(a_check(failed.storage_key, UploadCheckStatus.PASSED, minutes=1)) is False
    assert checks.get_many([passed.storage_key, failed.storage_key, f"uploads/{unique}/c"]) == {
        passed.storage_key: passed, failed.storage_key: failed,
    }


def test_a_failure_replaces_a_pass_but_never_a_failure(checks, unique):
    key = f"uploads/{unique}/a"
    assert checks.record_passed(a_check(key, UploadCheckStatus.PASSED))
    first = a_check(key, UploadCheckStatus.FAILED, minutes=1)
    assert checks.record_failed(first, a_notice(unique, 1)) is True
    assert checks.record_failed(a_check(key, UploadCheckStatus.FAILED, minutes=2), a_notice(unique, 2)) is False
    assert checks.get_many([key]) == {key: first}


def test_many_keys_are_read_at_once_repeats_and_all(checks, unique):
    keys = [f"uploads/{unique}/{n:03d}" for n in range(130)]  # more than one BatchGetItem holds
    for key in keys[::2]:
        checks.record_passed(a_check(key, UploadCheckStatus.PASSED))
    found = checks.get_many(keys + keys[:3])
    assert sorted(found) == keys[::2]


# -- warnings and their inboxes ----------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def warnings(request) -> WarningRepository:
    if request.param == "fake":
        return InMemoryWarnings()
    stack = request.getfixturevalue("aws_resources")
    return DynamoWarningRepository(boto3.client("dynamodb"), stack["CasesTableName"])


def a_warning(unique: str, n: int, level: WarningLevel = WarningLevel.YELLOW, *,
              status: CardStatus = CardStatus.ISSUED, case: str | None = None) -> Warning:
    case_id = case or f"SL{unique}{n:02d}"
    return Warning(
        warning_id=f"{case_id}-{n}-{level.value}", case_id=case_id, department_id=f"dept{unique}",
        item_code="420700-XK-0201", item_name="食品经营许可", step="handle", step_visit=n, level=level,
        title="黄牌", message="办理超时", issued_at=NOW + timedelta(minutes=n),
        recipients=(f"dept{unique}#handler", f"city{unique}#inspector"), status=status,
    )


def every_page(read, limit: int) -> list[str]:
    seen, key = [], None
    for _ in range(100):
        page, key = read(limit=limit, start_key=key)
        assert len(page) <= limit
        seen += [w.warning_id for w in page]
        if key is None:
            return seen
    raise AssertionError("the listing never ended")


def test_a_warning_is_issued_once(warnings, unique):
    warning = a_warning(unique, 1)
    assert warnings.get(warning.warning_id) is None
    assert warnings.issue(warning) is True
    assert warnings.issue(warning) is False
    assert warnings.get(warning.warning_id) == warning
    assert warnings.for_case(warning.case_id) == [warning]


def test_save_holds_only_on_the_expected_version(warnings, unique):
    warning = a_warning(unique, 1)
    warnings.issue(warning)
    acknowledged = warning.model_copy(update={"status": CardStatus.ACKNOWLEDGED, "version": 2})
    with pytest.raises(ConcurrentModification):
        warnings.save(acknowledged, expected_version=2)
    warnings.save(acknowledged, expected_version=1)
    assert warnings.get(warning.warning_id) == acknowledged
    with pytest.raises(ConcurrentModification):
        warnings.save(acknowledged.model_copy(update={"version": 3}), expected_version=1)


def test_a_cases_warnings_come_in_the_order_issued(warnings, unique):
    case = f"SL{unique}"
    issued = [a_warning(unique, n, level, case=case) for n, level in
              ((1, WarningLevel.REMINDER), (2, WarningLevel.YELLOW), (3, WarningLevel.RED))]
    for warning in reversed(issued):
        warnings.issue(warning)
    assert warnings.for_case(case) == issued


def test_department_lists_and_inboxes_are_newest_first_filtered_and_paged(warnings, unique):
    issued = []
    for n in range(12):
        level = WarningLevel.YELLOW if n % 3 == 0 else WarningLevel.REMINDER
        status = CardStatus.ACKNOWLEDGED if n % 4 == 0 else CardStatus.ISSUED
        issued.append(a_warning(unique, n, level, status=status))
        assert warnings.issue(issued[-1])
    newest_first = list(reversed(issued))
    for matching in (None, WarningFilter(level=WarningLevel.YELLOW), WarningFilter(status=CardStatus.ACKNOWLEDGED),
                     WarningFilter(level=WarningLevel.RED)):
        expected = [w.warning_id for w in newest_first if (matching or WarningFilter()).matches(w)]
        for limit in (1, 5, 50):
            assert every_page(partial(warnings.for_department, f"dept{unique}", matching=matching), limit) == expected
            assert every_page(partial(warnings.inbox, f"city{unique}#inspector", matching=matching), limit) == expected
    assert every_page(lambda **page: warnings.inbox(f"other{unique}#handler", **page), 5) == []


def test_an_applicants_cases_submitted_at_the_same_moment_list_by_id_descending(cases, unique):
    user = f"citizen-{unique}"
    for n in (1, 3, 2):
        case = a_case(f"SL{unique}{n}", user_id=user)
        cases.create(case, an_event(case), None)
    assert [c.case_id for c in read_all(partial(cases.by_applicant, user), 10)] == [f"SL{unique}3", f"SL{unique}2", f"SL{unique}1"]
