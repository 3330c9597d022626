"""日历未确认: a year without official 调休 data (and not confirmed by an administrator) is never
counted in silently (LAW.md, "Counting"). Any case whose dates reach such a year carries a mark
that staff and inspectors see, in lists and on the case.

The fake calendar has official data up to 2026; FakeClock starts Monday 2026-11-23 09:00 CST."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sunlight.models.flow import Step
from sunlight.models.office import DepartmentCaseRow
from sunlight.models.roles import Principal, Role
from sunlight.services.calendar_notices import ADMIN_INBOX, CalendarNotices
from sunlight.services.cards import inbox_keys
from sunlight.services.clock import recompute_clock
from tests.fakes.cases import WeekdaysConfirmedThrough
from tests.unit.conftest import INSPECTOR, WINDOW, World

CST = timezone(timedelta(hours=8))


def test_a_case_whose_limits_reach_an_unconfirmed_year_is_marked_for_staff_and_inspectors():
    world = World(calendar=WeekdaysConfirmedThrough(2026))
    early = world.submitted_case()  # 23 Nov: legal limit (20 working days) ends Mon 21 Dec 2026
    world.enter(early, "accept")
    world.clock.current = datetime(2026, 12, 10, 9, tzinfo=CST)
    late = world.submitted_case()  # 10 Dec: the legal limit runs into January 2027
    world.enter(late, "accept")

    assert world.cases.get(late).legal_due_on.year == 2027
    assert world.staff.case_detail(WINDOW, late).calendar_unconfirmed is True
    assert world.staff.case_detail(INSPECTOR, late).calendar_unconfirmed is True
    assert world.staff.case_detail(WINDOW, early).calendar_unconfirmed is False
    marks = {row.case_id: row.calendar_unconfirmed for row in world.staff.worklist(WINDOW, role=None, step=None, cursor=None, limit=20).items}
    assert marks == {early: False, late: True}
    assert DepartmentCaseRow.of(world.cases.get(late)).calendar_unconfirmed is True


def test_the_mark_goes_when_the_year_is_confirmed():
    world = World(calendar=WeekdaysConfirmedThrough(2026))
    world.clock.current = datetime(2026, 12, 10, 9, tzinfo=CST)
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    marked = world.cases.get(case_id)
    assert marked.calendar_unconfirmed is True
    confirmed = recompute_clock(marked, now=world.clock.now(), calendar=WeekdaysConfirmedThrough(2027))
    assert confirmed.calendar_unconfirmed is False
    assert confirmed.legal_due_on == marked.legal_due_on  # confirming moves no date here


ADMIN = Principal(user_id="admin-1", name="系统管理员", roles=frozenset({Role.ADMIN}))


def test_the_administrators_are_told_once_per_unconfirmed_year_in_their_inbox():
    world = World(calendar=WeekdaysConfirmedThrough(2026))
    world.enter(world.submitted_case(), "accept")  # within 2026: nothing to tell
    assert world.cards.inbox(ADMIN, key=None, cursor=None, limit=20).items == []

    world.clock.current = datetime(2026, 12, 10, 9, tzinfo=CST)
    first = world.submitted_case()
    token = world.enter(first, "accept")
    world.flow.enter_step(first, Step.ACCEPT, token)  # a retried callback
    second = world.submitted_case()
    world.enter(second, "accept")

    notices = world.cards.inbox(ADMIN, key=ADMIN_INBOX, cursor=None, limit=20).items
    assert [(n.title, n.case_id) for n in notices] == [("2027年工作日历未确认", first)]
    assert "日历未确认" in notices[0].message and "调休" in notices[0].message
    assert list(world.warnings.warnings) == ["calendar-2027-unconfirmed"]  # the second case and the retry: nothing new
    assert world.warnings.issue_calls == 1  # the container remembers: no write on every step entry


def test_another_container_issues_nothing_twice():
    world = World(calendar=WeekdaysConfirmedThrough(2026))
    world.clock.current = datetime(2026, 12, 10, 9, tzinfo=CST)
    world.enter(world.submitted_case(), "accept")
    other = CalendarNotices(warnings=world.warnings, calendar=WeekdaysConfirmedThrough(2026))  # a fresh container
    second = world.submitted_case()
    world.enter(second, "accept")
    assert other.after_recompute(world.cases.get(second), world.clock.now()) == []
    assert list(world.warnings.warnings) == ["calendar-2027-unconfirmed"]
    assert world.notifier.sent == []  # not an inspectors' anomaly: no e-mail or SMS to them


def test_staff_and_inspectors_do_not_read_the_administrators_inbox():
    assert ADMIN_INBOX not in inbox_keys(WINDOW) and ADMIN_INBOX not in inbox_keys(INSPECTOR)
    assert ADMIN_INBOX in inbox_keys(ADMIN)
