"""The inspector log (监察日志) as the city's inspectors read it, and the daily watch that flags
inspectors who are idle or leave warnings unhandled (to the chief inspector). Verifying the
chain: services/log_verification.py."""

from __future__ import annotations

from datetime import date, datetime

from ..models.inspector_log import (
    FlagKind,
    FlagReason,
    InspectorFlag,
    LogEntry,
    LogRecord,
    WatchReport,
)
from ..models.orders import StaffMember
from ..models.roles import Principal, Role
from ..models.warnings import Warning
from ..rules.inspector_flags import is_idle, unhandled_warnings
from ..rules.workdays import WorkingCalendar, local_date, start_of
from .errors import Forbidden, InvalidInput
from .pagination import Page, decode_cursor, encode_cursor
from .ports import Clock, FlagRepository, InspectorLog, StaffDirectory, WarningRepository
from .scope import Scope, bureau_inboxes

CHIEF_INSPECTORS = "city#inspector-leader"
INBOX_PAGE = 100


def may_read_log(principal: Principal) -> bool:
    """The city's inspectors (and their chief): the supervised — a department's 监察室, the admin —
    do not read who at the city looked at what; nor does a district's 监察局 (services/scope.py)."""
    return Scope.of(principal).city_wide


def is_chief_inspector(principal: Principal) -> bool:
    return Scope.of(principal).city_wide and principal.has_role(Role.LEADER)


class InspectorLogService:
    def __init__(self, *, log: InspectorLog, flags: FlagRepository) -> None:
        self._log = log
        self._flags = flags

    def record(self, entry: LogEntry) -> LogRecord:
        return self._log.append(entry)

    def page(self, principal: Principal, *, user_id: str | None, since: date | None, until: date | None,
             cursor: str | None, limit: int) -> Page[LogRecord]:
        if not may_read_log(principal):
            raise Forbidden("监察日志仅供市监察局的监察人员查看。")
        if since and until and since > until:
            raise InvalidInput("开始日期不能晚于结束日期。", details={"field": "since"})
        items, last = self._log.newest(
            user_id=user_id or None,
            since=start_of(since) if since else None,
            until=start_of(until.fromordinal(until.toordinal() + 1)) if until else None,
            limit=limit, start_key=decode_cursor(cursor),
        )
        return Page[LogRecord](items=items, next_cursor=encode_cursor(last))

    def flags(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[InspectorFlag]:
        if not is_chief_inspector(principal):
            raise Forbidden("履职提醒仅报送市监察局局长（监察人员的分管领导）。")
        items, last = self._flags.recent(limit=limit, start_key=decode_cursor(cursor))
        return Page[InspectorFlag](items=items, next_cursor=encode_cursor(last))


def inspector_inbox(inspector: StaffMember) -> str:
    """The warning inbox an inspector answers for: its department's 监察室, its level's 监察局 (a
    district's red cards are 鄂城区's to handle, not the city's), else the city's."""
    if inspector.department_id:
        return f"{inspector.department_id}#inspector"
    below_city = bureau_inboxes((inspector.government_id,)) if inspector.government_id else ()
    return below_city[0] if below_city else "city#inspector"


class InspectorWatchService:
    """Daily: every inspector (Cognito group `inspector`) who is idle or has stale warnings is
    flagged once for the day. Inspector leaders (the chief) receive the flags and are not watched."""

    def __init__(self, *, directory: StaffDirectory, log: InspectorLog, warnings: WarningRepository, flags: FlagRepository,
                 clock: Clock, calendar: WorkingCalendar, idle_days: int, unhandled_working_days: int) -> None:
        self._directory = directory
        self._log = log
        self._warnings = warnings
        self._flags = flags
        self._clock = clock
        self._calendar = calendar
        self._idle_days = idle_days
        self._unhandled_days = unhandled_working_days

    def run(self, now: datetime | None = None) -> WatchReport:
        now = now or self._clock.now()
        leaders = {m.user_id for m in self._directory.members(Role.LEADER.value)}
        inspectors = [m for m in self._directory.members(Role.INSPECTOR.value) if m.user_id not in leaders]
        inboxes: dict[str, list[Warning]] = {}
        report = WatchReport(inspectors=len(inspectors), flagged=[], already_flagged=[])
        for inspector in inspectors:
            reasons = self._reasons(inspector, now, inboxes)
            if not reasons:
                continue
            day = local_date(now)
            flag = InspectorFlag(
                flag_id=f"{day.isoformat()}#{inspector.user_id}", day=day, user_id=inspector.user_id, username=inspector.username,
                user_name=inspector.name, department_id=inspector.department_id, reasons=tuple(reasons),
                recipient=CHIEF_INSPECTORS, raised_at=now,
            )
            (report.flagged if self._flags.raise_flag(flag) else report.already_flagged).append(inspector.username)
        return report

    def _reasons(self, inspector: StaffMember, now: datetime, inboxes: dict[str, list[Warning]]) -> list[FlagReason]:
        reasons: list[FlagReason] = []
        last = self._log.last_action_of(inspector.user_id)
        if is_idle(last, now, self._idle_days):
            detail = f"已超过 {self._idle_days} 天没有登录履职记录" + (f"（最近一次：{local_date(last).isoformat()}）" if last else "（从未登录）")
            reasons.append(FlagReason(kind=FlagKind.IDLE, detail=detail, last_action_at=last))
        box = inspector_inbox(inspector)
        if box not in inboxes:
            inboxes[box] = self._whole_inbox(box)
        late = unhandled_warnings(inboxes[box], now, self._unhandled_days, self._calendar)
        if late:
            reasons.append(FlagReason(kind=FlagKind.UNHANDLED_WARNINGS, warning_ids=tuple(late),
                                      detail=f"{len(late)} 条预警超过 {self._unhandled_days} 个工作日未处理"))
        return reasons

    def _whole_inbox(self, box: str) -> list[Warning]:
        warnings: list[Warning] = []
        start = None
        while True:
            page, start = self._warnings.inbox(box, limit=INBOX_PAGE, start_key=start)
            warnings += page
            if not start:
                return warnings
