"""CalendarService with fakes: the year view, who may edit, caching, and recomputing open deadlines."""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta

import pytest

from sunlight.models.calendar import CalendarDay, RecomputeStatus, untrusted_year_warning
from sunlight.models.case import CaseStatus
from sunlight.models.flow import Outcome
from sunlight.models.roles import Principal, Role
from sunlight.rules.workdays import CHINA_TZ, add_working_days, local_date
from sunlight.services.calendar import ADMIN_ONLY, CalendarService
from sunlight.services.errors import Forbidden, InvalidInput, NotFound, Unavailable
from tests.fakes.calendar import InMemoryCalendarRepository, OpenCasesIndex, RecordingEvents
from tests.fakes.cases import WeekdayCalendar
from tests.unit.conftest import CITIZEN, HANDLER, INSPECTOR, WINDOW, World

ADMIN = Principal(user_id="admin-1", name="系统管理员", roles=frozenset({Role.ADMIN}))
# The world's clock starts on Monday 23 Nov 2026, 09:00 in Beijing; its calendar is Monday to Friday.
TYPHOON_DAY = date(2026, 11, 25)  # Wednesday, inside a 4-day handling window Tue 24 – Fri 27 Nov


class Ticker:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CalendarWorld(World):
    def __init__(self, *, events: RecordingEvents | None = None) -> None:
        super().__init__()
        self.calendar_repo = InMemoryCalendarRepository()
        self.open_cases = OpenCasesIndex(self.cases)
        self.ticker = Ticker()
        self.events = events
        self.calendar = CalendarService(
            self.calendar_repo, self.open_cases, self.clock, events=events, base=WeekdayCalendar(), monotonic=self.ticker
        )

    def case_at(self, step: str) -> str:
        case_id = self.submitted_case()
        self.enter(case_id, step)
        return case_id


@pytest.fixture
def cw() -> CalendarWorld:
    return CalendarWorld()


def working_day_after(day: date, n: int = 1) -> date:
    return add_working_days(day, n, WeekdayCalendar())


# --- the year view ---------------------------------------------------------------------------


def test_a_year_with_national_adjusted_workdays_is_trusted(cw):
    view = cw.calendar.year(HANDLER, 2026)
    assert (view.trusted, view.national_data, view.confirmed, view.warning) == (True, True, False, None)
    assert date(2026, 2, 14) in view.adjusted_workdays
    assert date(2026, 10, 1) in {h.date for h in view.national_holidays}


def test_2027_warns_until_an_admin_confirms_it(cw):
    view = cw.calendar.year(INSPECTOR, 2027)
    assert (view.trusted, view.national_data, view.confirmed) == (False, False, False)
    assert view.warning == untrusted_year_warning(2027) == "2027年的法定节假日和调休安排尚未录入，期限计算可能不准确，请管理员录入并确认。"
    assert view.national_holidays and view.adjusted_workdays == []

    cw.calendar.set_day(ADMIN, date(2027, 2, 20), True, "春节调休上班")
    confirmed = cw.calendar.confirm_year(ADMIN, 2027, "依据国务院办公厅通知录入")
    assert (confirmed.trusted, confirmed.confirmed, confirmed.warning) == (True, True, None)
    assert (confirmed.confirmed_by, confirmed.confirmed_by_name, confirmed.note) == ("admin-1", "系统管理员", "依据国务院办公厅通知录入")
    assert confirmed.confirmed_at == cw.clock.now()
    assert cw.calendar.year(HANDLER, 2027) == confirmed


def test_the_year_view_lists_the_city_days_beside_the_national_calendar(cw):
    cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    cw.calendar.set_day(ADMIN, date(2026, 11, 28), True, "补班")
    cw.calendar.set_day(ADMIN, date(2027, 1, 4), False, "另一年")
    view = cw.calendar.year(WINDOW, 2026)
    assert [(o.date, o.working, o.national_working, o.reason, o.updated_by) for o in view.overrides] == [
        (TYPHOON_DAY, False, True, "台风停工", "admin-1"),
        (date(2026, 11, 28), True, False, "补班", "admin-1"),
    ]


# --- who may do what -------------------------------------------------------------------------


def test_citizens_may_not_see_the_calendar(cw):
    with pytest.raises(Forbidden):
        cw.calendar.year(CITIZEN, 2026)


@pytest.mark.parametrize("principal", [CITIZEN, WINDOW, HANDLER, INSPECTOR], ids=lambda p: p.user_id)
def test_only_admins_edit(cw, principal):
    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="a", updated_at=cw.clock.now()))
    for attempt in (
        lambda: cw.calendar.set_day(principal, date(2026, 12, 1), False, "台风停工"),
        lambda: cw.calendar.remove_day(principal, TYPHOON_DAY),
        lambda: cw.calendar.confirm_year(principal, 2027, None),
    ):
        with pytest.raises(Forbidden) as raised:
            attempt()
        assert raised.value.message == ADMIN_ONLY
    assert list(cw.calendar_repo.days) == [TYPHOON_DAY] and cw.calendar_repo.years == {}


def test_edits_are_validated(cw):
    with pytest.raises(InvalidInput):
        cw.calendar.set_day(ADMIN, date(1999, 12, 31), False, "太早")
    with pytest.raises(InvalidInput):
        cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "   ")
    with pytest.raises(InvalidInput):
        cw.calendar.year(ADMIN, 2101)
    with pytest.raises(NotFound):
        cw.calendar.remove_day(ADMIN, TYPHOON_DAY)
    assert cw.calendar_repo.days == {}


def test_an_edit_records_who_and_when(cw):
    receipt = cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "  台风停工 ")
    stored = cw.calendar_repo.days[TYPHOON_DAY]
    assert (stored.working, stored.reason, stored.updated_by, stored.updated_by_name, stored.updated_at) == (
        False, "台风停工", "admin-1", "系统管理员", cw.clock.now())
    assert (receipt.date, receipt.working, receipt.reason, receipt.effective_working) == (TYPHOON_DAY, False, "台风停工", False)
    removed = cw.calendar.remove_day(ADMIN, TYPHOON_DAY)
    assert (removed.working, removed.effective_working) == (None, True)
    assert cw.calendar_repo.days == {}


# --- recomputing open deadlines --------------------------------------------------------------


def test_a_typhoon_day_inside_the_step_window_moves_the_step_due_date_by_one_working_day(cw):
    case_id = cw.case_at("handle")
    before = cw.cases.get(case_id)
    assert local_date(before.step_due_at) == date(2026, 11, 27)  # 4 working days from Mon 23 Nov

    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="admin-1", updated_at=cw.clock.now()))
    report = cw.calendar.recompute_open_deadlines(since=TYPHOON_DAY)

    after = cw.cases.get(case_id)
    assert (report.since, report.checked, report.changed, report.failed) == (TYPHOON_DAY, 1, 1, ())
    assert local_date(after.step_due_at) == working_day_after(local_date(before.step_due_at)) == date(2026, 11, 30)
    assert after.step_due_at - before.step_due_at == timedelta(days=3)  # Fri → Mon: one working day later
    assert after.promised_due_on == working_day_after(before.promised_due_on)
    assert after.legal_due_on == working_day_after(before.legal_due_on)
    assert local_date(after.step_red_at) == working_day_after(local_date(before.step_red_at))
    assert after.version == before.version + 1 and after.updated_at == cw.clock.now()
    assert (after.status, after.step, after.task_token, after.seq) == (before.status, before.step, before.task_token, before.seq)
    assert len(cw.cases.events[case_id]) == 2  # no timeline event: no transition happened

    again = cw.calendar.recompute_open_deadlines(since=TYPHOON_DAY)
    assert (again.checked, again.changed) == (1, 0)
    assert cw.cases.get(case_id) == after


def test_a_day_outside_every_window_changes_nothing(cw):
    case_id = cw.case_at("handle")
    before = cw.cases.get(case_id)
    cw.calendar.set_day(ADMIN, date(2027, 6, 1), False, "远期停工")
    assert cw.cases.get(case_id) == before


def test_an_extra_working_saturday_brings_the_due_date_forward(cw):
    case_id = cw.case_at("handle")
    before = cw.cases.get(case_id)
    cw.calendar.set_day(ADMIN, date(2026, 11, 28), True, "补班")
    after = cw.cases.get(case_id)
    assert after.promised_due_on < before.promised_due_on
    assert local_date(after.step_due_at) == local_date(before.step_due_at)  # the step ends on Friday anyway


def test_removing_the_override_restores_the_original_due_dates(cw):
    case_id = cw.case_at("accept")
    original = cw.cases.get(case_id)
    cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    moved = cw.cases.get(case_id)
    assert moved.acceptance_due_at > original.acceptance_due_at
    cw.calendar.remove_day(ADMIN, TYPHOON_DAY)
    restored = cw.cases.get(case_id)
    fields = ("promised_due_on", "legal_due_on", "step_due_at", "step_reminder_at", "step_red_at", "acceptance_due_at")
    assert [getattr(restored, f) for f in fields] == [getattr(original, f) for f in fields]


def test_without_a_publisher_the_edit_recomputes_within_the_request(cw):
    ids = [cw.case_at("handle") for _ in range(3)]
    receipt = cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    assert receipt.recompute is RecomputeStatus.COMPLETED
    assert (receipt.report.checked, receipt.report.changed, receipt.report.since) == (3, 3, TYPHOON_DAY)
    assert all(local_date(cw.cases.get(i).step_due_at) == date(2026, 11, 30) for i in ids)


def test_with_a_publisher_the_edit_announces_calendar_changed():
    events = RecordingEvents()
    cw = CalendarWorld(events=events)
    case_id = cw.case_at("handle")
    before = cw.cases.get(case_id)
    receipt = cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    assert (receipt.recompute, receipt.report) == (RecomputeStatus.QUEUED, None)
    assert cw.cases.get(case_id) == before  # the recompute function does it
    cw.calendar.remove_day(ADMIN, TYPHOON_DAY)
    assert [(t, d["change"], d["days"], d["changed_by"], r) for t, d, r in events.published] == [
        ("CalendarChanged", "set", ["2026-11-25"], "admin-1", ["calendar/2026-11-25"]),
        ("CalendarChanged", "remove", ["2026-11-25"], "admin-1", ["calendar/2026-11-25"]),
    ]


def test_a_failed_publication_is_unavailable_and_saving_again_repairs_it():
    events = RecordingEvents()
    cw = CalendarWorld(events=events)
    events.fail_with = RuntimeError("bus down")
    with pytest.raises(Unavailable):
        cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    assert TYPHOON_DAY in cw.calendar_repo.days  # stored; a retry publishes again
    events.fail_with = None
    assert cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工").recompute is RecomputeStatus.QUEUED
    assert len(events.published) == 1


def test_closed_cases_are_left_alone(cw):
    open_id, closed_id = cw.case_at("handle"), cw.case_at("handle")
    cw.flow.finalize(closed_id, Outcome.COMPLETED)
    closed = cw.cases.get(closed_id)
    report = cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工").report
    assert (report.checked, report.changed) == (1, 1)
    assert cw.cases.get(closed_id) == closed and closed.status is CaseStatus.COMPLETED
    assert local_date(cw.cases.get(open_id).step_due_at) == date(2026, 11, 30)


def test_cases_in_every_shard_and_across_pages_are_recomputed(cw, monkeypatch):
    monkeypatch.setattr("sunlight.services.calendar.OPEN_CASES_PAGE", 2)
    ids = [cw.case_at("handle") for _ in range(9)]
    assert len({zlib.crc32(i.encode()) % cw.open_cases.shards for i in ids}) > 1
    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="a", updated_at=cw.clock.now()))
    report = cw.calendar.recompute_open_deadlines(since=TYPHOON_DAY, workers=4)
    assert (report.checked, report.changed) == (9, 9)
    assert all(local_date(cw.cases.get(i).step_due_at) == date(2026, 11, 30) for i in ids)
    assert cw.calendar.recompute_open_deadlines(workers=4).changed == 0


def test_a_concurrent_writer_is_retried(cw):
    case_id = cw.case_at("handle")
    raced = []

    def concurrent_staff_action(case):  # another writer bumps the version before our first save
        if not raced:
            raced.append(case.case_id)
            current = cw.cases.cases[case.case_id]
            cw.cases.cases[case.case_id] = current.model_copy(update={"version": current.version + 1})

    cw.open_cases.before_save.append(concurrent_staff_action)
    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="a", updated_at=cw.clock.now()))
    report = cw.calendar.recompute_open_deadlines()
    assert (report.changed, report.failed, raced) == (1, (), [case_id])
    assert local_date(cw.cases.get(case_id).step_due_at) == date(2026, 11, 30)


def test_a_case_that_keeps_changing_is_reported_not_fatal(cw):
    stuck, fine = cw.case_at("handle"), cw.case_at("handle")

    def always_race(case):
        if case.case_id == stuck:
            current = cw.cases.cases[stuck]
            cw.cases.cases[stuck] = current.model_copy(update={"version": current.version + 1})

    cw.open_cases.before_save.append(always_race)
    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="a", updated_at=cw.clock.now()))
    report = cw.calendar.recompute_open_deadlines()
    assert (report.checked, report.changed, report.failed) == (2, 1, (stuck,))
    assert local_date(cw.cases.get(fine).step_due_at) == date(2026, 11, 30)


def test_last_years_days_still_count_after_new_year(cw):
    """Open cases started last year still count last year's days: they are loaded too."""
    cw.clock.current = datetime(2026, 12, 28, 9, 0, tzinfo=CHINA_TZ)  # Monday
    case_id = cw.case_at("handle")  # 4 working days: Tue 29 Dec – Fri 1 Jan 2027 (a weekday calendar)
    cw.calendar_repo.put_day(CalendarDay(day=date(2026, 12, 30), working=False, reason="停电停工", updated_by="a", updated_at=cw.clock.now()))
    cw.clock.current = datetime(2027, 1, 4, 9, 0, tzinfo=CHINA_TZ)  # a new year: last year's day still counts
    cw.calendar.recompute_open_deadlines()
    assert local_date(cw.cases.get(case_id).step_due_at) == date(2027, 1, 4)


# --- the cached calendar ---------------------------------------------------------------------


def test_the_calendar_is_cached_per_container_and_an_edit_clears_it(cw):
    now = cw.clock.now()
    calendar = cw.calendar.load_calendar(now)
    assert cw.calendar_repo.loads == [2025, 2026, 2027] and calendar.is_working_day(TYPHOON_DAY)
    assert cw.calendar.load_calendar(now) is calendar and len(cw.calendar_repo.loads) == 3

    cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")  # clears this container's cache
    assert not cw.calendar.load_calendar(now).is_working_day(TYPHOON_DAY)


def test_other_containers_see_an_edit_when_their_cache_expires(cw):
    live = cw.calendar.live_calendar()
    assert live.is_working_day(TYPHOON_DAY)
    cw.calendar_repo.put_day(CalendarDay(day=TYPHOON_DAY, working=False, reason="台风停工", updated_by="a", updated_at=cw.clock.now()))
    cw.ticker.now += cw.calendar.cache.ttl_seconds - 1
    assert live.is_working_day(TYPHOON_DAY)  # still cached
    cw.ticker.now += 2
    assert not live.is_working_day(TYPHOON_DAY)
    cw.calendar.cache.clear()
    assert not live.is_working_day(TYPHOON_DAY)


def test_a_failed_reload_keeps_the_cached_calendar_but_a_recompute_needs_a_fresh_one(cw):
    now = cw.clock.now()
    cached = cw.calendar.load_calendar(now)
    cw.ticker.now += cw.calendar.cache.ttl_seconds + 1
    cw.calendar_repo.fail_with = Unavailable("工作日历暂时无法访问，请稍后重试。")
    assert cw.calendar.load_calendar(now) is cached
    cw.calendar_repo.fail_with = None
    assert cw.calendar.load_calendar(now) is cached and len(cw.calendar_repo.loads) == 3  # kept for another TTL
    cw.calendar_repo.fail_with = Unavailable("工作日历暂时无法访问，请稍后重试。")
    with pytest.raises(Unavailable):
        cw.calendar.load_calendar(now, fresh=True)
    with pytest.raises(Unavailable):
        cw.calendar.recompute_open_deadlines()
    cw.calendar.cache.clear()
    with pytest.raises(Unavailable):
        cw.calendar.load_calendar(now)


def test_the_flow_with_the_live_calendar_counts_city_days(cw):
    """Services built once per container (bootstrap) take the live calendar and follow edits."""
    from sunlight.services.flow import FlowService

    cw.flow = FlowService(cases=cw.cases, publisher=cw.publisher, clock=cw.clock, calendar=cw.calendar.live_calendar())
    cw.calendar.set_day(ADMIN, TYPHOON_DAY, False, "台风停工")
    case_id = cw.case_at("handle")
    assert local_date(cw.cases.get(case_id).step_due_at) == date(2026, 11, 30)
    assert cw.calendar.recompute_open_deadlines().changed == 0  # computed with the same calendar

