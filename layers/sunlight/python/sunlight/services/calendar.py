"""The city's working-day calendar (工作日历) and the deadlines that follow it.

Every time limit is counted in working days of the Chinese calendar: the `holidays` package's
national calendar (public holidays off, 调休 adjusted weekend workdays on) with the city's own
days on top (an extra holiday, a typhoon closure, an extra working Saturday), which an
administrator edits. A year for which the package has no adjusted workdays is computed by rule
only: it is not trusted until an administrator has entered and confirmed it, and the year view
says so.

An edit recomputes the due dates of every open case, deterministically: the due dates are a
function of the case and the calendar, so a second run changes nothing. With an event
publisher the edit announces a `CalendarChanged` event and the recompute function does the
work (functions/calendar_recompute); without one it runs within the request.

Lambda containers cache the calendar for `cache_seconds`: a container that has just edited
clears its own cache, the others see the edit within that time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel

from ..models.calendar import (
    CALENDAR_CHANGED,
    MAX_YEAR,
    MIN_YEAR,
    CalendarChange,
    CalendarChangedV1,
    CalendarChangeReceipt,
    CalendarDay,
    CalendarDayView,
    CalendarYear,
    CalendarYearView,
    NationalHoliday,
    RecomputeStatus,
    RecomputeSummary,
    untrusted_year_warning,
)
from ..models.roles import Principal, Role
from ..rules.workdays import (
    CityCalendar,
    WorkingCalendar,
    local_date,
    national_adjusted_workdays,
    national_holidays,
    year_is_trusted,
)
from .clock import recompute_clock
from .errors import DomainError, Forbidden, InvalidInput, NotFound, Unavailable
from .ports import CalendarEvents, CalendarRepository, CaseRepository, Clock, ConcurrentModification

log = logging.getLogger(__name__)

DEFAULT_CACHE_SECONDS = 300
MAX_RECOMPUTE_ATTEMPTS = 5  # optimistic-lock retries per case against a concurrent writer
OPEN_CASES_PAGE = 200

ADMIN_ONLY = "只有系统管理员可以修改工作日历。"
READERS_ONLY = "只有工作人员、监察人员和系统管理员可以查看工作日历。"
NO_OVERRIDE = "该日期没有本市自定义的安排，按国家日历执行。"
NOT_QUEUED = "工作日历已保存，但办件期限的重新计算未能启动，请再次保存以重试。"


# --- the cache ---------------------------------------------------------------------------------


class CalendarCache:
    """The loaded city calendar of one container, for `ttl_seconds` (monotonic time)."""

    def __init__(self, ttl_seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self._monotonic = monotonic
        self._entry: tuple[tuple[int, ...], CityCalendar, float] | None = None
        self._lock = threading.Lock()

    def fresh(self, years: tuple[int, ...] | None = None) -> CityCalendar | None:
        """The cached calendar if it is younger than the TTL (and, if given, covers `years`)."""
        entry = self._entry
        if entry is None or (years is not None and entry[0] != years):
            return None
        return entry[1] if self._monotonic() - entry[2] < self.ttl_seconds else None

    def any_age(self, years: tuple[int, ...]) -> CityCalendar | None:
        entry = self._entry
        return entry[1] if entry is not None and entry[0] == years else None

    def put(self, years: tuple[int, ...], calendar: CityCalendar) -> None:
        with self._lock:
            self._entry = (years, calendar, self._monotonic())

    def clear(self) -> None:
        with self._lock:
            self._entry = None


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeReport:
    since: date | None
    checked: int  # open cases read
    changed: int  # cases whose due dates moved (and were saved)
    failed: tuple[str, ...] = field(default=())  # cases that kept changing under us

    def summary(self) -> RecomputeSummary:
        return RecomputeSummary(since=self.since, checked=self.checked, changed=self.changed, failed=list(self.failed))


class LiveCalendar:
    """A WorkingCalendar that answers from the city calendar the service currently holds.

    Long-lived services (built once per container) take this one, so they follow edits.
    """

    def __init__(self, service: CalendarService) -> None:
        self._service = service

    def is_working_day(self, day: date) -> bool:
        return self._service.current_calendar().is_working_day(day)

    def year_confirmed(self, year: int) -> bool:
        return self._service.current_calendar().year_confirmed(year)


class DeferredEvents:
    """A CalendarEvents built on first use: containers that only read the calendar never pay
    for the events client."""

    def __init__(self, build: Callable[[], CalendarEvents]) -> None:
        self._build = build

    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        self._build().publish_detail(detail_type, detail, resources=resources)


# --- the service -------------------------------------------------------------------------------


class CalendarService:
    def __init__(
        self,
        repo: CalendarRepository,
        cases: CaseRepository,
        clock: Clock,
        *,
        events: CalendarEvents | None = None,
        base: WorkingCalendar | None = None,
        cache_seconds: float = DEFAULT_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._repo = repo
        self._cases = cases
        self._clock = clock
        self._events = events
        self._base = base
        self.cache = CalendarCache(cache_seconds, monotonic)

    # --- reading ---------------------------------------------------------------------------

    def year(self, principal: Principal, year: int) -> CalendarYearView:
        """The year as staff, inspectors and administrators see it, with a warning if untrusted."""
        if not (principal.is_staff or principal.has_role(Role.INSPECTOR) or principal.has_role(Role.ADMIN)):
            raise Forbidden(READERS_ONLY)
        return self.year_view(year)

    def year_view(self, year: int) -> CalendarYearView:
        _check_year(year)
        stored = self._repo.load_year(year)
        base = self._city(())
        national_data = bool(national_adjusted_workdays(year))
        trusted = year_is_trusted(year, {year} if stored.confirmed else ())
        record = stored.record or CalendarYear(year=year)
        return CalendarYearView(
            year=year,
            trusted=trusted,
            national_data=national_data,
            confirmed=record.confirmed,
            confirmed_by=record.confirmed_by,
            confirmed_by_name=record.confirmed_by_name,
            confirmed_at=record.confirmed_at,
            note=record.note,
            warning=None if trusted else untrusted_year_warning(year),
            overrides=[CalendarDayView.of(d, national_working=base.is_working_day(d.day)) for d in stored.days],
            national_holidays=[NationalHoliday(date=d, name=name) for d, name in national_holidays(year).items()],
            adjusted_workdays=national_adjusted_workdays(year),
        )

    def load_calendar(self, now: datetime, *, fresh: bool = False) -> CityCalendar:
        """The city calendar around `now` (last, this and next year's overrides), cached.

        The previous year is included because open cases started in it still count its days.
        With `fresh`, the cache is bypassed (and refreshed). If the table cannot be read and a
        calendar for the same years is cached, that one is kept for another TTL rather than
        failing.
        """
        this_year = local_date(now).year
        years = (this_year - 1, this_year, this_year + 1)
        if not fresh:
            cached = self.cache.fresh(years)
            if cached is not None:
                return cached
        try:
            stored = [self._repo.load_year(year) for year in years]
        except Exception:
            stale = None if fresh else self.cache.any_age(years)
            if stale is None:
                raise
            log.warning("city calendar could not be reloaded; using the cached one", exc_info=True)
            self.cache.put(years, stale)  # retry after another TTL, not on every working-day question
            return stale
        calendar = self._city(
            {day.day: day.working for year in stored for day in year.days}, confirmed={s.year for s in stored if s.confirmed}
        )
        self.cache.put(years, calendar)
        untrusted = [s.year for s in stored[1:] if not year_is_trusted(s.year, {s.year} if s.confirmed else ())]
        if untrusted:
            log.warning("calendar years not trusted (no adjusted workdays, not confirmed): %s", untrusted)
        return calendar

    def current_calendar(self) -> CityCalendar:
        """The cached calendar while it is fresh, else the one around the clock's now."""
        return self.cache.fresh() or self.load_calendar(self._clock.now())

    def live_calendar(self) -> LiveCalendar:
        return LiveCalendar(self)

    # --- editing (administrators) ----------------------------------------------------------

    def set_day(self, principal: Principal, day: date, working: bool, reason: str) -> CalendarChangeReceipt:
        _require_admin(principal)
        _check_year(day.year)
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("请填写原因，例如“台风停工”。", details={"field": "reason"})
        record = CalendarDay(
            day=day,
            working=working,
            reason=reason,
            updated_by=principal.user_id,
            updated_by_name=principal.name,
            updated_at=self._clock.now(),
        )
        self._repo.put_day(record)
        status, summary = self._after_edit(principal, CalendarChange.SET, day)
        return CalendarChangeReceipt(
            date=day, working=working, reason=reason, effective_working=working, recompute=status, report=summary
        )

    def remove_day(self, principal: Principal, day: date) -> CalendarChangeReceipt:
        _require_admin(principal)
        _check_year(day.year)
        removed = self._repo.delete_day(day)
        if removed is None:
            raise NotFound(NO_OVERRIDE)
        status, summary = self._after_edit(principal, CalendarChange.REMOVE, day)
        return CalendarChangeReceipt(
            date=day,
            working=None,
            reason=None,
            effective_working=self._city(()).is_working_day(day),
            recompute=status,
            report=summary,
        )

    def confirm_year(self, principal: Principal, year: int, note: str | None) -> CalendarYearView:
        """The administrator has entered the year's holidays and adjusted workdays: trust it.

        Confirming changes no day, so no deadline moves; open cases are recomputed all the same,
        because their 日历未确认 mark goes away.
        """
        _require_admin(principal)
        _check_year(year)
        self._repo.put_year(
            CalendarYear(
                year=year,
                confirmed=True,
                confirmed_by=principal.user_id,
                confirmed_by_name=principal.name,
                confirmed_at=self._clock.now(),
                note=(note or "").strip() or None,
            )
        )
        self._after_edit(principal, CalendarChange.CONFIRM, date(year, 1, 1))
        return self.year_view(year)

    def _after_edit(self, principal: Principal, change: CalendarChange, day: date) -> tuple[RecomputeStatus, RecomputeSummary | None]:
        self.cache.clear()
        if self._events is None:
            return RecomputeStatus.COMPLETED, self.recompute_open_deadlines(since=day).summary()
        event = CalendarChangedV1(change=change, days=[day], changed_by=principal.user_id, changed_at=self._clock.now())
        try:
            self._events.publish_detail(CALENDAR_CHANGED, event, resources=[f"calendar/{day.isoformat()}"])
        except DomainError:
            raise
        except Exception as error:
            # The edit is stored; saving it again is harmless and publishes again.
            raise Unavailable(NOT_QUEUED) from error
        return RecomputeStatus.QUEUED, None

    # --- recomputing -----------------------------------------------------------------------

    def recompute_open_deadlines(
        self, since: date | None = None, *, shards: Iterable[int] | None = None, workers: int = 1
    ) -> RecomputeReport:
        """Recompute the due dates of every open case with the calendar as stored now.

        Every open case is read (they are all in the alarm index, spread over its shards) and
        saved only if a due date moved, conditional on its version (re-read and retried when a
        concurrent writer wins). `since` is the earliest changed day; it is reported, but cases
        are not filtered by it: reading a case costs more than computing it, and a full pass
        also repairs a case computed meanwhile by a container with an older cached calendar.
        """
        now = self._clock.now()
        calendar = self.load_calendar(now, fresh=True)
        shard_list = list(range(self._cases.alarm_shards()) if shards is None else shards)

        def run(shard: int) -> tuple[int, int, list[str]]:
            return self._recompute_shard(shard, now, calendar)

        if workers > 1 and len(shard_list) > 1:
            with ThreadPoolExecutor(max_workers=min(workers, len(shard_list))) as pool:
                results = list(pool.map(run, shard_list))
        else:
            results = [run(shard) for shard in shard_list]
        report = RecomputeReport(
            since=since,
            checked=sum(r[0] for r in results),
            changed=sum(r[1] for r in results),
            failed=tuple(sorted(case_id for r in results for case_id in r[2])),
        )
        if report.failed:
            log.warning("deadlines of %d cases could not be recomputed: %s", len(report.failed), report.failed[:20])
        return report

    def _recompute_shard(self, shard: int, now: datetime, calendar: WorkingCalendar) -> tuple[int, int, list[str]]:
        # Collect the ids first: saving a case moves it within the index we would be paging.
        case_ids: list[str] = []
        start_key = None
        while True:
            ids, start_key = self._cases.open_cases(shard, limit=OPEN_CASES_PAGE, start_key=start_key)
            case_ids.extend(ids)
            if not start_key:
                break
        checked = changed = 0
        failed: list[str] = []
        for case_id in dict.fromkeys(case_ids):
            outcome = self._recompute_case(case_id, now, calendar)
            checked += outcome != "gone"
            changed += outcome == "changed"
            if outcome == "failed":
                failed.append(case_id)
        return checked, changed, failed

    def _recompute_case(self, case_id: str, now: datetime, calendar: WorkingCalendar) -> str:
        for _ in range(MAX_RECOMPUTE_ATTEMPTS):
            case = self._cases.get(case_id)
            if case is None or case.status.is_closed:
                return "gone"
            recomputed = recompute_clock(case, now=now, calendar=calendar)
            if recomputed == case:
                return "unchanged"
            try:
                self._cases.save(
                    recomputed.model_copy(update={"version": case.version + 1, "updated_at": now}),
                    expected_version=case.version,
                )
            except ConcurrentModification:
                continue
            return "changed"
        return "failed"

    def _city(self, overrides: dict[date, bool] | tuple, confirmed: Iterable[int] = ()) -> CityCalendar:
        return CityCalendar(dict(overrides), base=self._base, confirmed_years=tuple(confirmed))


def _require_admin(principal: Principal) -> None:
    if not principal.has_role(Role.ADMIN):
        raise Forbidden(ADMIN_ONLY)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"年份应在{MIN_YEAR}到{MAX_YEAR}之间。", details={"field": "year"})
