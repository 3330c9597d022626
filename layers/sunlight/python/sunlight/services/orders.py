"""Supervision orders (督查督办): issue, responsibility and dispute, answer, conclusion; the
overdue sweep that escalates unanswered orders; the facts published for the department scores."""

from __future__ import annotations

import builtins
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..models.evaluation_events import (
    SUPERVISION_ORDER_ANSWERED,
    SUPERVISION_ORDER_CONCLUDED,
    SUPERVISION_ORDER_ISSUED,
    SupervisionOrderAnsweredV1,
    SupervisionOrderConcludedV1,
    SupervisionOrderIssuedV1,
)
from ..models.inbound import UPSTREAM_ORIGIN_LABEL, UpstreamOrderRequest
from ..models.levels import CITY_GOVERNMENT_ID
from ..models.orders import (
    ORDER_TRANSITIONS,
    Actor,
    DisputeDecision,
    Escalation,
    IssueOrderRequest,
    OrderAction,
    OrderActionRequest,
    OrderEvent,
    OrderInboxEntry,
    OrderStatus,
    Responsibility,
    SourceKind,
    StaffMember,
    SupervisionOrder,
    actor_for,
    order_event_id,
)
from ..models.roles import Principal, Role
from ..rules.workdays import WorkingCalendar, due_after, local_date, working_days_between
from .applications import CASE_NOT_FOUND
from .errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from .pagination import Page, decode_cursor, encode_cursor
from .ports import (
    CaseRepository,
    Clock,
    ConcurrentModification,
    DomainEvents,
    DuplicateOrderRequest,
    IdempotencyRecord,
    OrderRepository,
    StaffDirectory,
    WarningRepository,
)
from .scope import GovernmentTree, Levels, Scope, ScopeKind, page_across

ORDER_NOT_FOUND = "未找到该督办事项，请核对督办编号。"
SUPERVISION_PERIOD_DAYS = 2  # past the due day, still unanswered: red flag to the city, like cards
RESPONSIBLE_ROLES = (Role.HANDLER, Role.LEADER)
CITY_INSPECTORS = "city#inspector"
OUTSIDE_BUREAU = "您只能向本级及下级政府的部门下达督办。"
SYSTEM = ("system", "系统", "系统")
PAGE = 100


def is_city_inspector(principal: Principal) -> bool:
    """市监察局 (services/scope.py): issues, concludes and receives the overdue orders; a district's
    监察局 issues to the departments of its levels and concludes the orders it issued."""
    return Scope.of(principal).city_wide


def may_conclude(principal: Principal, order: SupervisionOrder) -> bool:
    """The city's 监察局, or the 监察局 that issued the order."""
    issuer = order.issued_by_government_id
    return is_city_inspector(principal) or (issuer is not None and principal.bureau_government == issuer)


def is_department_inspector(principal: Principal, department_id: str) -> bool:
    return principal.is_inspector and principal.department_id == department_id


def new_order_id(now: datetime) -> str:
    return f"DB{local_date(now):%Y%m%d}{secrets.token_hex(3).upper()}"


def fingerprint_of(request: IssueOrderRequest) -> str:
    return hashlib.sha256(request.model_dump_json().encode()).hexdigest()


@dataclass
class OrderSweepReport:
    checked: int = 0
    escalated: list[str] = field(default_factory=list)  # "{order id}:{level}"


class OrderService:
    def __init__(
        self,
        *,
        orders: OrderRepository,
        warnings: WarningRepository,
        cases: CaseRepository,
        events: DomainEvents,
        clock: Clock,
        calendar: WorkingCalendar,
        directory: StaffDirectory | None = None,
        new_id: Callable[[datetime], str] = new_order_id,
        catalog: GovernmentTree | None = None, levels: Levels | None = None,
    ) -> None:
        self._orders = orders
        self._warnings = warnings
        self._cases = cases
        self._events = events
        self._clock = clock
        self._calendar = calendar
        self._directory = directory
        self._new_id = new_id
        self._levels = levels or (Levels(catalog) if catalog is not None else None)  # a district 监察局's departments

    # --- issue ----------------------------------------------------------------------------------

    def issue(self, principal: Principal, request: IssueOrderRequest, idempotency_key: str | None) -> SupervisionOrder:
        scope = Scope.of(principal, self._levels)
        if not scope.bureau:
            raise Forbidden("只有市监察局或本级政府监察局的监察人员可以下达督办。")
        department_id, case_id = self._source(request)
        if not scope.sees_department(department_id):
            raise Forbidden(OUTSIDE_BUREAU)
        now = self._clock.now()
        due_at = due_after(now, request.deadline_days, self._calendar)
        order_id = self._new_id(now)
        order = SupervisionOrder(
            order_id=order_id, department_id=department_id, source_kind=request.source_kind, source_id=request.source_id,
            case_id=case_id, matter=request.matter, deadline_days=request.deadline_days,
            issued_by_id=principal.user_id, issued_by_name=principal.name, issued_by_government_id=scope.government_id,
            issued_at=now, due_at=due_at, red_at=due_after(due_at, SUPERVISION_PERIOD_DAYS, self._calendar),
            history=(OrderEvent(action="issue", actor_id=principal.user_id, actor_name=principal.name,
                                actor_role=self._bureau_label(principal), text=request.matter, at=now, to_status=OrderStatus.ISSUED),),
        )
        fingerprint = fingerprint_of(request)
        idempotency = IdempotencyRecord(principal.user_id, idempotency_key, order_id, fingerprint) if idempotency_key else None
        try:
            self._orders.create(order, idempotency)
        except DuplicateOrderRequest as duplicate:
            if duplicate.fingerprint != fingerprint:
                raise Conflict("该请求标识已用于另一项督办，请重新提交。") from duplicate
            existing = self._orders.get(duplicate.order_id)
            if existing is None:
                raise Unavailable("督办正在保存，请稍后重试。") from duplicate
            order = existing  # a retry: the same order, and its fact published again (same event id)
        self._publish_issued(order)
        return order

    def receive_upstream(self, request: UpstreamOrderRequest) -> SupervisionOrder:
        """上级平台督办: the higher-level platform sends a 督办 down. It becomes an order to the
        department (of the case, if it names one) and lands in the city inspectors' inbox; its answer
        and conclusion go back up (the facts carry `upstream_order_id`). Idempotent per upstream
        order id: the same order sent again (under any message id) is the same order here."""
        department_id, case_id = self._upstream_source(request)
        now = self._clock.now()
        due_at = due_after(now, request.deadline_days, self._calendar)
        issuer = f"upstream:{request.platform_id}"
        order = SupervisionOrder(
            order_id=self._new_id(now), department_id=department_id, source_kind=SourceKind.UPSTREAM,
            source_id=request.upstream_order_id, case_id=case_id, matter=request.matter, deadline_days=request.deadline_days,
            issued_by_id=issuer, issued_by_name=request.issued_by_name, issued_at=now, due_at=due_at,
            red_at=due_after(due_at, SUPERVISION_PERIOD_DAYS, self._calendar),
            upstream_order_id=request.upstream_order_id, upstream_platform_id=request.platform_id,
            history=(OrderEvent(action="issue", actor_id=issuer, actor_name=request.issued_by_name,
                                actor_role=UPSTREAM_ORIGIN_LABEL, text=request.matter, at=now, to_status=OrderStatus.ISSUED),),
        )
        fingerprint = hashlib.sha256(request.model_dump_json(exclude={"message_id"}).encode()).hexdigest()
        try:
            self._orders.create(order, IdempotencyRecord(issuer, request.upstream_order_id, order.order_id, fingerprint))
        except DuplicateOrderRequest as duplicate:
            if duplicate.fingerprint != fingerprint:
                raise Conflict("该上级督办编号已用于另一项不同的督办。", details={"field": "upstream_order_id"}) from duplicate
            existing = self._orders.get(duplicate.order_id)
            if existing is None:
                raise Unavailable("督办正在保存，请稍后重试。") from duplicate
            order = existing
        order = self._to_city_inbox(order, now)
        self._publish_issued(order)
        return order

    def _to_city_inbox(self, order: SupervisionOrder, now: datetime) -> SupervisionOrder:
        """Puts an order from above in the city inspectors' inbox (once, also when retried)."""
        for _ in range(3):
            if any(e.level == "upstream" for e in order.escalations):
                return order
            updated = order.model_copy(update={
                "escalations": order.escalations + (Escalation(level="upstream", at=now, recipient=CITY_INSPECTORS),),
                "version": order.version + 1})
            try:
                self._orders.save(updated, expected_version=order.version, previous=order, inbox=(CITY_INSPECTORS,))
                return updated
            except ConcurrentModification:
                order = self._load(order.order_id)
        raise Unavailable("督办正在保存，请稍后重试。")

    def _upstream_source(self, request: UpstreamOrderRequest) -> tuple[str, str | None]:
        if request.case_id:
            case = self._cases.get(request.case_id)
            if case is None:
                raise InvalidInput(f"未找到办件 {request.case_id}。", details={"field": "case_id"})
            if request.department_id and request.department_id != case.department_id:
                raise InvalidInput("督办部门须为该办件所属部门。", details={"field": "department_id"})
            return case.department_id, case.case_id
        if not request.department_id:
            raise InvalidInput("请提供督办的办件编号或督办部门。", details={"field": "department_id"})
        return request.department_id, None

    def _source(self, request: IssueOrderRequest) -> tuple[str, str | None]:
        """The department the order goes to, and the case behind it (if any)."""
        if request.source_kind is SourceKind.WARNING:
            warning = self._warnings.get(request.source_id)
            if warning is None:
                raise NotFound("未找到该预警，请核对预警编号。")
            return self._department(request, warning.department_id), warning.case_id
        if request.source_kind is SourceKind.CASE:
            case = self._cases.get(request.source_id)
            if case is None:
                raise NotFound(CASE_NOT_FOUND)
            return self._department(request, case.department_id), case.case_id
        if not request.department_id:
            raise InvalidInput("督办投诉时请选择督办部门。", details={"field": "department_id"})
        return request.department_id, None

    @staticmethod
    def _department(request: IssueOrderRequest, source_department: str) -> str:
        if request.department_id and request.department_id != source_department:
            raise InvalidInput("督办部门须为该预警或办件所属部门。", details={"field": "department_id"})
        return source_department

    # --- read -----------------------------------------------------------------------------------

    def get(self, principal: Principal, order_id: str) -> SupervisionOrder:
        order = self._load(order_id)
        named = order.responsibility is not None and order.responsibility.staff_user_id == principal.user_id
        if not (self._may_see_department(principal, order.department_id) or named):
            raise Forbidden("您只能查看本部门的督办。")
        return order.as_read_at(self._clock.now())

    def list(self, principal: Principal, *, department_id: str | None, status: OrderStatus | None,
             cursor: str | None, limit: int) -> Page[SupervisionOrder]:
        start = decode_cursor(cursor)
        status_value = status.value if status else None
        scope = Scope.of(principal, self._levels)
        if is_city_inspector(principal):
            if department_id:
                items, last = self._orders.for_department(department_id, status=status_value, limit=limit, start_key=start)
            else:
                items, last = self._orders.list_all(status=status_value, limit=limit, start_key=start)
        elif scope.kind is ScopeKind.LEVEL:
            # A district 监察局: the orders of its levels' departments, one department after another.
            if department_id:
                scope.require_department(department_id)
            departments = [department_id] if department_id else sorted(scope.departments_in() or ())
            items, last = page_across(
                departments, lambda d, n, key: self._orders.for_department(d, status=status_value, limit=n, start_key=key),
                limit=limit, cursor=start,
            )
        else:
            own = principal.department_id
            if not own or not (principal.is_inspector or principal.has_role(Role.LEADER)):
                raise Forbidden("督办清单仅供监察人员和部门分管领导查看。")
            if department_id and department_id != own:
                raise Forbidden("您只能查看本部门的督办。")
            items, last = self._orders.for_department(own, status=status_value, limit=limit, start_key=start)
        now = self._clock.now()
        return Page[SupervisionOrder](items=[o.as_read_at(now) for o in items], next_cursor=encode_cursor(last))

    def my_responsibilities(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[SupervisionOrder]:
        if not principal.department_id:
            raise Forbidden("责任认定仅涉及部门工作人员。")
        items, last = self._orders.naming(principal.user_id, limit=limit, start_key=decode_cursor(cursor))
        now = self._clock.now()
        return Page[SupervisionOrder](items=[o.as_read_at(now) for o in items], next_cursor=encode_cursor(last))

    def inbox(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[OrderInboxEntry]:
        bureau_inbox = Scope.of(principal).inbox_key  # the city's, or a district's "{government}#inspector"
        if bureau_inbox:
            recipient = bureau_inbox
        elif principal.department_id and principal.has_role(Role.LEADER):
            recipient = f"{principal.department_id}#leader"
        else:
            raise Forbidden("超期督办只报送部门分管领导和监察局。")
        items, last = self._orders.inbox(recipient, limit=limit, start_key=decode_cursor(cursor))
        return Page[OrderInboxEntry](items=items, next_cursor=encode_cursor(last))

    def candidates(self, principal: Principal, order_id: str) -> builtins.list[StaffMember]:  # `list` is a method here
        """Who a finding may name: the handlers and leaders of the order's department."""
        order = self._load(order_id)
        if not (is_city_inspector(principal) or is_department_inspector(principal, order.department_id)):
            raise Forbidden("只有本部门监察室可以认定责任。")
        return self._responsible_staff(order.department_id)

    # --- act ------------------------------------------------------------------------------------

    def act(self, principal: Principal, order_id: str, request: OrderActionRequest) -> SupervisionOrder:
        order = self._load(order_id)
        action = request.action
        self._authorize(principal, order, actor_for(action))
        transition = ORDER_TRANSITIONS.get((order.status, action))
        if transition is None:
            if self._is_retry(principal, order, request):
                self._publish_after(order, action)
                return order.as_read_at(self._clock.now())
            raise Conflict(f"该督办当前为“{order.status.label}”，不能{action.label}。")
        target, actor = transition
        now = self._clock.now()
        text = request.text or None
        update = self._apply(principal, order, request, now)
        role = self._bureau_label(principal) if actor is Actor.CITY_INSPECTOR else actor.label
        event = OrderEvent(action=action.value, actor_id=principal.user_id, actor_name=principal.name,
                           actor_role=role, text=text, at=now, from_status=order.status, to_status=target)
        updated = order.model_copy(update={**update, "status": target, "history": order.history + (event,), "version": order.version + 1})
        try:
            self._orders.save(updated, expected_version=order.version, previous=order)
        except ConcurrentModification as error:
            raise Conflict("该督办已被他人处理，请刷新后重试。") from error
        self._publish_after(updated, action)
        return updated.as_read_at(now)

    def _apply(self, principal: Principal, order: SupervisionOrder, request: OrderActionRequest, now: datetime) -> dict:
        """The fields the action changes, after its business rules (422/409)."""
        action, text = request.action, request.text
        if action is OrderAction.ESTABLISH_RESPONSIBILITY:
            text = _require(text, "text", "请填写责任认定意见。")
            staff = self._named_staff(order, request.staff_user_id)
            return {"responsibility": Responsibility(staff_user_id=staff.user_id, staff_name=staff.name, finding=text,
                                                     established_by=principal.name, established_at=now)}
        if action is OrderAction.DISPUTE:
            _require(text, "text", "请填写异议理由。")
            assert order.responsibility is not None  # the status says so
            if order.responsibility.dispute_used:
                raise Conflict("每项责任认定只能提出一次异议。")
            return {"responsibility": order.responsibility.model_copy(update={"dispute_reason": text, "disputed_at": now})}
        if action is OrderAction.DECIDE_DISPUTE:
            if request.decision is None:
                raise InvalidInput("请选择维持或变更责任认定。", details={"field": "decision"})
            _require(text, "text", "请填写裁定意见。")
            current = order.responsibility
            assert current is not None
            if request.decision is DisputeDecision.MAINTAIN:
                return {"responsibility": current.model_copy(update={"dispute_decision": DisputeDecision.MAINTAIN, "decided_at": now})}
            staff = self._named_staff(order, request.staff_user_id)
            # The order's one dispute has been heard: the changed finding is final.
            return {"responsibility": current.model_copy(update={
                "staff_user_id": staff.user_id, "staff_name": staff.name, "finding": text, "established_by": principal.name,
                "established_at": now, "dispute_decision": DisputeDecision.CHANGE, "decided_at": now})}
        if action is OrderAction.ANSWER:
            _require(text, "text", "请填写整改答复。")
            return {"answer": text, "answered_at": now}
        if action is OrderAction.CONCLUDE:
            if request.conclusion is None:
                raise InvalidInput("请选择办结结论。", details={"field": "conclusion"})
            return {"conclusion": request.conclusion, "conclusion_note": text, "concluded_at": now}
        raise InvalidInput("未知的操作。", details={"field": "action"})  # pragma: no cover  (the enum is exhaustive)

    def _named_staff(self, order: SupervisionOrder, user_id: str | None) -> StaffMember:
        if not user_id:
            raise InvalidInput("请选择被认定责任人。", details={"field": "staff_user_id"})
        staff = next((s for s in self._responsible_staff(order.department_id) if s.user_id == user_id), None)
        if staff is None:
            raise InvalidInput("被认定责任人须为本部门的承办人或分管领导。", details={"field": "staff_user_id"})
        return staff

    def _responsible_staff(self, department_id: str) -> builtins.list[StaffMember]:
        if self._directory is None:
            raise Unavailable("暂时无法读取人员名录，请稍后重试。")
        members: dict[str, StaffMember] = {}
        for role in RESPONSIBLE_ROLES:
            for member in self._directory.members(role.value):
                if member.department_id == department_id:
                    known = members.get(member.user_id)
                    roles = tuple(sorted(set(known.roles if known else ()) | {role.value}))
                    members[member.user_id] = member.model_copy(update={"roles": roles})
        return sorted(members.values(), key=lambda m: m.username)

    @staticmethod
    def _authorize(principal: Principal, order: SupervisionOrder, actor: Actor) -> None:
        if actor is Actor.CITY_INSPECTOR:
            if not may_conclude(principal, order):
                raise Forbidden("督办由下达督办的监察局或市监察局的监察人员办结。")
        elif actor is Actor.DEPARTMENT_INSPECTOR:
            if not principal.is_inspector or not principal.department_id:
                raise Forbidden("此操作由被督办部门的监察室办理。")
            if principal.department_id != order.department_id:
                raise Forbidden("您只能办理本部门的督办。")
        elif order.responsibility is None or order.responsibility.staff_user_id != principal.user_id:
            raise Forbidden("只有被认定的责任人本人可以提出异议。")

    @staticmethod
    def _is_retry(principal: Principal, order: SupervisionOrder, request: OrderActionRequest) -> bool:
        """The same person sending the same action again (a lost answer): answered as before."""
        last = order.history[-1] if order.history else None
        return (last is not None and last.action == request.action.value and last.actor_id == principal.user_id
                and last.text == (request.text or None))

    def _bureau_label(self, principal: Principal) -> str:
        """The history's name of a 监察局: 市监察局, or e.g. 鄂城区监察局."""
        government_id = principal.bureau_government
        if government_id in (None, CITY_GOVERNMENT_ID):
            return Actor.CITY_INSPECTOR.label
        government = self._levels.governments().get(government_id) if self._levels is not None else None
        return f"{government.name if government else government_id}监察局"

    def _may_see_department(self, principal: Principal, department_id: str) -> bool:
        scope = Scope.of(principal, self._levels)
        if scope.bureau:
            return scope.sees_department(department_id)
        return principal.department_id == department_id and (principal.is_inspector or principal.has_role(Role.LEADER))

    def _load(self, order_id: str) -> SupervisionOrder:
        order = self._orders.get(order_id)
        if order is None:
            raise NotFound(ORDER_NOT_FOUND)
        return order

    # --- facts for the scores -------------------------------------------------------------------

    def _publish_issued(self, order: SupervisionOrder) -> None:
        self._publish(SUPERVISION_ORDER_ISSUED, SupervisionOrderIssuedV1(
            event_id=order_event_id(order.order_id, "issued"), department_id=order.department_id, order_id=order.order_id,
            source_kind=order.source_kind.value, source_id=order.source_id, issued_at=order.issued_at, due_at=order.due_at,
            upstream_order_id=order.upstream_order_id), order)

    def _publish_after(self, order: SupervisionOrder, action: OrderAction) -> None:
        if action is OrderAction.ANSWER and order.answered_at:
            answered = order.answered_at
            days = working_days_between(local_date(order.issued_at) + timedelta(days=1), local_date(answered) + timedelta(days=1), self._calendar)
            self._publish(SUPERVISION_ORDER_ANSWERED, SupervisionOrderAnsweredV1(
                event_id=order_event_id(order.order_id, "answered"), department_id=order.department_id, order_id=order.order_id,
                issued_at=order.issued_at, due_at=order.due_at, answered_at=answered, working_days_to_answer=days,
                on_time=answered <= order.due_at, answer=order.answer, upstream_order_id=order.upstream_order_id), order)
        elif action is OrderAction.CONCLUDE and order.concluded_at and order.conclusion:
            self._publish(SUPERVISION_ORDER_CONCLUDED, SupervisionOrderConcludedV1(
                event_id=order_event_id(order.order_id, "concluded"), department_id=order.department_id, order_id=order.order_id,
                conclusion=order.conclusion, issued_at=order.issued_at, concluded_at=order.concluded_at,
                upstream_order_id=order.upstream_order_id), order)

    def _publish(self, detail_type: str, detail, order: SupervisionOrder) -> None:
        try:
            self._events.publish_detail(detail_type, detail, resources=[f"supervision-order/{order.order_id}"])
        except Exception as error:  # any bus failure: the write stands, a retry re-publishes
            raise Unavailable("督办已保存，但考核通知未能送达，请再提交一次（不会重复记录）。") from error

    # --- overdue sweep (督办超期) ------------------------------------------------------------------

    def sweep(self, now: datetime | None = None) -> OrderSweepReport:
        now = now or self._clock.now()
        report = OrderSweepReport()
        seen: set[str] = set()
        while True:
            due = [order_id for order_id in self._orders.due(now, limit=PAGE) if order_id not in seen]
            for order_id in due:
                seen.add(order_id)
                report.checked += 1
                report.escalated += self.escalate(order_id, now)
            if not due:
                return report

    def escalate(self, order_id: str, now: datetime) -> builtins.list[str]:
        """Marks an unanswered order overdue and escalates it: past its due day to the department's
        leader, past the supervision period after that to the city's inspectors. Once per level."""
        for _ in range(3):
            order = self._orders.get(order_id)
            alarm = order.next_alarm_at if order else None
            if order is None or alarm is None or alarm > now:
                return []
            levels = {e.level for e in order.escalations}
            escalations: list[Escalation] = []
            history: list[OrderEvent] = []
            if "leader" not in levels and now > order.due_at:
                escalations.append(Escalation(level="leader", at=now, recipient=f"{order.department_id}#leader"))
                history.append(OrderEvent(action="overdue", actor_id=SYSTEM[0], actor_name=SYSTEM[1], actor_role=SYSTEM[2], at=now,
                                          text="督办超期未答复，已报部门分管领导。", from_status=order.status, to_status=order.status))
            if "city" not in levels and now > order.red_at:
                escalations.append(Escalation(level="city", at=now, recipient=CITY_INSPECTORS))
                history.append(OrderEvent(action="escalate", actor_id=SYSTEM[0], actor_name=SYSTEM[1], actor_role=SYSTEM[2], at=now,
                                          text="督办超过督办期限仍未答复，红色督办报市监察局。", from_status=order.status, to_status=order.status))
                issuer = order.issued_by_government_id
                if issuer and issuer != CITY_GOVERNMENT_ID and "bureau" not in levels:  # and to the district that issued it
                    escalations.append(Escalation(level="bureau", at=now, recipient=f"{issuer}#inspector"))
            updated = order.model_copy(update={
                "overdue": True, "escalations": order.escalations + tuple(escalations),
                "history": order.history + tuple(history), "version": order.version + 1})
            try:
                self._orders.save(updated, expected_version=order.version, previous=order,
                                  inbox=tuple(e.recipient for e in escalations))
            except ConcurrentModification:
                continue  # answered or escalated meanwhile: look again
            return [f"{order_id}:{e.level}" for e in escalations]
        return []


def _require(value: str | None, field_name: str, message: str) -> str:
    if not (value and value.strip()):
        raise InvalidInput(message, details={"field": field_name})
    return value
