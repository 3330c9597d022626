"""Inspector flags (rules and the daily watch) and the inspector log service, on fakes."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from sunlight.models.inspector_log import FlagKind, LogEntry
from sunlight.models.orders import StaffMember
from sunlight.models.roles import Principal, Role
from sunlight.models.warnings import CardStatus, Warning, WarningLevel
from sunlight.rules.inspector_flags import is_idle, unhandled_warnings
from sunlight.services.errors import Forbidden, InvalidInput
from sunlight.services.inspector_log import InspectorLogService, InspectorWatchService
from tests.fakes.cases import FakeClock, WeekdayCalendar
from tests.fakes.orders import FakeDirectory, InMemoryFlags, InMemoryInspectorLog
from tests.fakes.supervision import InMemoryWarnings

CHINA = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)

CITY = StaffMember(user_id="i-city", name="郑国华", username="inspector")
MARKET = StaffMember(user_id="i-market", name="王立", username="market.inspector", department_id="market")
CHIEF = StaffMember(user_id="i-chief", name="吴刚", username="inspector.chief")
DIRECTORY = FakeDirectory({"inspector": [CITY, MARKET, CHIEF], "leader": [CHIEF]})


def card(warning_id: str, issued_at: datetime, *, level=WarningLevel.YELLOW, status=CardStatus.ISSUED, box="market#inspector") -> Warning:
    return Warning(warning_id=warning_id, case_id="SL1", department_id="market", item_code="X", item_name="事项", step="handle",
                   step_visit=1, level=level, title="黄牌", message="超期", issued_at=issued_at, recipients=(box,), status=status)


def entry(user_id: str, at: datetime, route: str = "/cases/{caseId}") -> LogEntry:
    return LogEntry(at=at, user_id=user_id, user_name="x", roles=("inspector",), method="GET", route=route, path="/cases/SL1",
                    status=200, source_ip="10.0.0.1", user_agent="pytest")


# --- rules --------------------------------------------------------------------------------


def test_idle_means_no_action_for_more_than_n_days():
    assert is_idle(None, MONDAY, 3)
    assert not is_idle(MONDAY - timedelta(days=3), MONDAY, 3)
    assert is_idle(MONDAY - timedelta(days=3, seconds=1), MONDAY, 3)


def test_unhandled_means_still_issued_after_m_working_days_and_reminders_do_not_count():
    friday = datetime(2026, 11, 20, 10, tzinfo=CHINA)
    warnings = [
        card("late", friday),  # limit ends Tuesday 24th, end of day
        card("acknowledged", friday, status=CardStatus.ACKNOWLEDGED),
        card("reminder", friday, level=WarningLevel.REMINDER),
        card("fresh", MONDAY),
    ]
    assert unhandled_warnings(warnings, datetime(2026, 11, 24, 23, 0, tzinfo=CHINA), 2, WeekdayCalendar()) == []
    assert unhandled_warnings(warnings, datetime(2026, 11, 25, 0, 1, tzinfo=CHINA), 2, WeekdayCalendar()) == ["late"]


# --- the watch ----------------------------------------------------------------------------


def watch(log, warnings, flags, now=MONDAY):
    return InspectorWatchService(directory=DIRECTORY, log=log, warnings=warnings, flags=flags, clock=FakeClock(now),
                                 calendar=WeekdayCalendar(), idle_days=3, unhandled_working_days=2)


def test_the_watch_flags_idle_and_slow_inspectors_once_a_day_and_not_the_chief():
    log, warnings, flags = InMemoryInspectorLog(), InMemoryWarnings(), InMemoryFlags()
    log.append(entry("i-city", MONDAY - timedelta(hours=2)))
    log.append(entry("i-market", MONDAY - timedelta(days=5)))
    warnings.issue(card("old", MONDAY - timedelta(days=7)))
    report = watch(log, warnings, flags).run()
    assert report.inspectors == 2 and report.flagged == ["market.inspector"]
    flag = next(iter(flags.flags.values()))
    assert [r.kind for r in flag.reasons] == [FlagKind.IDLE, FlagKind.UNHANDLED_WARNINGS]
    assert flag.reasons[1].warning_ids == ("old",) and flag.day == date(2026, 11, 23)
    again = watch(log, warnings, flags).run()
    assert again.flagged == [] and again.already_flagged == ["market.inspector"]
    assert len(watch(log, warnings, flags, now=MONDAY + timedelta(days=1)).run().flagged) == 1  # a new day


def test_a_districts_inspector_answers_for_its_own_bureaus_inbox_not_the_citys():
    echeng = StaffMember(user_id="i-echeng", name="蔡文杰", username="echeng.inspector", government_id="420704")
    directory = FakeDirectory({"inspector": [CITY, echeng], "leader": []})
    log, warnings, flags = InMemoryInspectorLog(), InMemoryWarnings(), InMemoryFlags()
    for user_id in ("i-city", "i-echeng"):
        log.append(entry(user_id, MONDAY - timedelta(hours=2)))
    warnings.issue(card("city-old", MONDAY - timedelta(days=7), box="city#inspector"))
    warnings.issue(card("echeng-old", MONDAY - timedelta(days=7), box="420704#inspector"))
    service = InspectorWatchService(directory=directory, log=log, warnings=warnings, flags=flags, clock=FakeClock(MONDAY),
                                    calendar=WeekdayCalendar(), idle_days=3, unhandled_working_days=2)
    assert sorted(service.run().flagged) == ["echeng.inspector", "inspector"]
    by_user = {f.username: f.reasons[0].warning_ids for f in flags.flags.values()}
    assert by_user == {"inspector": ("city-old",), "echeng.inspector": ("echeng-old",)}


# --- the log service ----------------------------------------------------------------------

INSPECTOR = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")
CHIEF_PRINCIPAL = Principal(user_id="i-chief", name="吴刚", roles=frozenset({Role.INSPECTOR, Role.LEADER}), government_id="420700")
ADMIN = Principal(user_id="a-1", name="管理员", roles=frozenset({Role.ADMIN}))
HANDLER = Principal(user_id="h-1", name="李强", roles=frozenset({Role.HANDLER}), department_id="market")


def test_the_log_is_for_city_inspectors_only_and_filters_by_user_and_date():
    log = InMemoryInspectorLog()
    service = InspectorLogService(log=log, flags=InMemoryFlags())
    service.record(entry("i-city", MONDAY))
    service.record(entry("i-market", MONDAY + timedelta(days=1)))
    assert [r.seq for r in service.page(CHIEF_PRINCIPAL, user_id=None, since=None, until=None, cursor=None, limit=10).items] == [2, 1]
    assert [r.user_id for r in service.page(INSPECTOR, user_id="i-city", since=None, until=None, cursor=None, limit=10).items] == ["i-city"]
    assert [r.seq for r in service.page(INSPECTOR, user_id=None, since=date(2026, 11, 24), until=None, cursor=None, limit=10).items] == [2]
    assert [r.seq for r in service.page(INSPECTOR, user_id=None, since=None, until=date(2026, 11, 23), cursor=None, limit=10).items] == [1]
    # The supervised do not read their supervisors' investigations: a department's 监察室, the admin.
    for outsider in (HANDLER, ADMIN, Principal(user_id="i-market", name="监察室", roles=frozenset({Role.INSPECTOR}), department_id="market")):
        with pytest.raises(Forbidden):
            service.page(outsider, user_id=None, since=None, until=None, cursor=None, limit=10)
    with pytest.raises(InvalidInput):
        service.page(INSPECTOR, user_id=None, since=date(2026, 11, 24), until=date(2026, 11, 23), cursor=None, limit=10)


def test_flags_go_to_the_chief_only():
    service = InspectorLogService(log=InMemoryInspectorLog(), flags=InMemoryFlags())
    assert service.flags(CHIEF_PRINCIPAL, cursor=None, limit=10).items == []
    with pytest.raises(Forbidden):
        service.flags(ADMIN, cursor=None, limit=10)
    with pytest.raises(Forbidden):
        service.flags(INSPECTOR, cursor=None, limit=10)
