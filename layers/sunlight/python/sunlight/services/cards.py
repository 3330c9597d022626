"""Warnings and cards as people see and handle them: inboxes, department lists, the lifecycle
issued → acknowledged → appealed (申诉) → upheld or revoked, with history."""

from __future__ import annotations

from ..models.roles import Principal, Role
from ..models.warnings import CARD_TRANSITIONS, LEVEL_LABELS, STATUS_LABELS, CardEvent, CardStatus, Warning, WarningFilter, WarningLevel
from ..rules.workdays import ChinaCalendar, WorkingCalendar
from .applications import CASE_NOT_FOUND
from .calendar_notices import ADMIN_INBOX
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CaseRepository, Clock, ConcurrentModification, DomainEvents, WarningRepository
from .scope import CITY_INSPECTORS_INBOX, GovernmentTree, Levels, Scope
from .staff import require_case_visible
from .warning_facts import appeal_decided_event, publish_appeal_decided, publish_revoked

CITY_INSPECTORS = CITY_INSPECTORS_INBOX


def inbox_keys(principal: Principal) -> list[str]:
    """The inboxes a person reads: one per role in their department; each 监察局's inspectors share one."""
    keys = [f"{principal.department_id}#{role.value}" for role in sorted(principal.roles) if principal.department_id and role is not Role.CITIZEN]
    bureau_inbox = Scope.of(principal).inbox_key
    if bureau_inbox:
        keys.append(bureau_inbox)
    if principal.has_role(Role.ADMIN):
        keys.append(ADMIN_INBOX)  # notices for administrators, e.g. 日历未确认 (services/calendar_notices.py)
    return keys


def warning_filter(level: WarningLevel | str | None, status: CardStatus | str | None) -> WarningFilter:
    """The list filter from what a caller asked for; an unknown value is refused with the choices."""
    try:
        chosen_level = WarningLevel(level) if level else None
    except ValueError:
        raise InvalidInput(_unknown("预警类别", level, LEVEL_LABELS), details={"field": "level"}) from None
    try:
        chosen_status = CardStatus(status) if status else None
    except ValueError:
        raise InvalidInput(_unknown("状态", status, STATUS_LABELS), details={"field": "status"}) from None
    return WarningFilter(level=chosen_level, status=chosen_status)


def _unknown(what: str, value: object, labels: dict) -> str:
    choices = "、".join(f"{choice.value}（{label}）" for choice, label in labels.items())
    return f"{what}“{value}”无效，可选：{choices}。"


class CardService:
    def __init__(self, *, warnings: WarningRepository, cases: CaseRepository, clock: Clock, events: DomainEvents | None = None,
                 catalog: GovernmentTree | None = None, calendar: WorkingCalendar | None = None, levels: Levels | None = None) -> None:
        self._levels = levels or (Levels(catalog) if catalog is not None else None)  # a district 监察局's departments
        self._warnings = warnings
        self._cases = cases
        self._clock = clock
        self._events = events  # a revoked card no longer counts in the score (WarningRevoked)
        self._calendar = calendar if calendar is not None else ChinaCalendar()  # working days to decide an appeal

    def inbox(
        self, principal: Principal, *, key: str | None, level: WarningLevel | str | None = None,
        status: CardStatus | str | None = None, cursor: str | None, limit: int,
    ) -> Page[Warning]:
        """Newest first. With a filter a page may hold fewer than `limit` (even none) and still
        have a next cursor: the store bounds its reads per request."""
        matching = warning_filter(level, status)
        keys = inbox_keys(principal)
        if not keys:
            raise Forbidden("您没有预警收件箱。")
        key = key or keys[0]
        if key not in keys:
            raise Forbidden("您只能查看本人岗位的预警。")
        items, last = self._warnings.inbox(key, matching=matching, limit=limit, start_key=decode_cursor(cursor))
        return Page[Warning](items=items, next_cursor=encode_cursor(last))

    def for_department(
        self, principal: Principal, department_id: str | None, *, level: WarningLevel | str | None = None,
        status: CardStatus | str | None = None, cursor: str | None, limit: int,
    ) -> Page[Warning]:
        """Newest first; filtered pages as in `inbox`."""
        matching = warning_filter(level, status)
        department_id = department_id or principal.department_id
        if not department_id:
            raise InvalidInput("请指定部门。", details={"field": "department"})
        if not (principal.is_staff or principal.is_inspector):
            raise Forbidden("部门预警仅供部门工作人员和监察人员查看。")
        Scope.of(principal, self._levels).require_department(department_id, "您只能查看本部门的预警。")
        items, last = self._warnings.for_department(department_id, matching=matching, limit=limit, start_key=decode_cursor(cursor))
        return Page[Warning](items=items, next_cursor=encode_cursor(last))

    def for_case(self, principal: Principal, case_id: str) -> list[Warning]:
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        require_case_visible(principal, case)
        return self._warnings.for_case(case_id)

    def act(self, principal: Principal, warning_id: str, action: str, reason: str | None) -> Warning:
        warning = self._warnings.get(warning_id)
        if warning is None:
            raise NotFound("未找到该预警。")
        self._authorize(principal, warning, action)
        if warning.level is WarningLevel.REMINDER:
            raise Conflict("临近时限提醒无需签收或申诉。")
        target = CARD_TRANSITIONS.get((warning.status, action))
        if target is None:
            if action == "revoke" and warning.status is CardStatus.REVOKED and warning.history:
                # A retried revocation: announce it again (same event id) in case the first
                # announcement failed after the card was saved.
                publish_revoked(self._events, warning, warning.history[-1].at)
            if action in ("uphold", "revoke"):  # a retried decision on an appeal: the same, likewise
                self._publish_appeal_decided(warning)
            raise Conflict(f"该预警当前为“{warning.status.label}”，不能执行此操作。")
        if action in ("appeal", "uphold", "revoke") and not (reason and reason.strip()):
            raise InvalidInput("请填写理由。", details={"field": "reason"})
        event = CardEvent(
            action=action, actor_id=principal.user_id, actor_name=principal.name, at=self._clock.now(),
            reason=reason, from_status=warning.status, to_status=target,
            actor_government_id=principal.bureau_government if warning.status is CardStatus.APPEALED else None,
        )
        updated = warning.model_copy(update={"status": target, "history": warning.history + (event,), "version": warning.version + 1})
        try:
            self._warnings.save(updated, expected_version=warning.version)
        except ConcurrentModification as error:
            raise Conflict("该预警已被他人处理，请刷新后重试。") from error
        if target is CardStatus.REVOKED:
            publish_revoked(self._events, updated, event.at)
        if warning.status is CardStatus.APPEALED:
            self._publish_appeal_decided(updated)
        return updated

    def _publish_appeal_decided(self, warning: Warning) -> None:
        """WarningAppealDecided (how fast the 监察局 decided), once the card is stored."""
        government = self._levels.department_governments().get(warning.department_id) if self._levels is not None else None
        publish_appeal_decided(self._events, appeal_decided_event(warning, self._calendar, department_government_id=government))

    def _authorize(self, principal: Principal, warning: Warning, action: str) -> None:
        if action in ("uphold", "revoke"):
            # A 监察局 judges the appeals (and revokes the cards) of the departments at its level
            # and below; a department's own 监察室 does not judge its department.
            scope = Scope.of(principal, self._levels)
            if not scope.bureau:
                raise Forbidden("申诉由监察局审查。")
            scope.require_department(warning.department_id, "您只能审查本级及下级部门的申诉。")
            return
        if principal.department_id != warning.department_id or not principal.is_staff and not principal.is_inspector:
            raise Forbidden("您只能处理本部门的预警。")
        if action == "appeal" and not principal.has_role(Role.LEADER):
            raise Forbidden("申诉须由部门分管领导提出。")
