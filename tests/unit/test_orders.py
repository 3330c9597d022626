"""Supervision orders (督查督办): the transition table and the service on fakes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from sunlight.models.evaluation_events import OrderConclusion
from sunlight.models.orders import (
    ORDER_TRANSITIONS,
    Actor,
    IssueOrderRequest,
    OrderAction,
    OrderActionRequest,
    OrderStatus,
    StaffMember,
    actor_for,
)
from sunlight.models.roles import Principal, Role
from sunlight.models.warnings import Warning, WarningLevel
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from sunlight.services.orders import OrderService
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeClock, WeekdayCalendar
from tests.fakes.orders import FakeDirectory, InMemoryOrders
from tests.fakes.supervision import InMemoryWarnings

CHINA = timezone(timedelta(hours=8))
CITY = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")
MARKET_OFFICE = Principal(user_id="i-market", name="市场监管局监察室 王立", roles=frozenset({Role.INSPECTOR}), department_id="market")
PLANNING_OFFICE = Principal(user_id="i-planning", name="规划局监察室 赵敏", roles=frozenset({Role.INSPECTOR}), department_id="planning")
HANDLER = Principal(user_id="h-1", name="李强", roles=frozenset({Role.HANDLER}), department_id="market")
OTHER_HANDLER = Principal(user_id="h-2", name="何伟", roles=frozenset({Role.HANDLER}), department_id="market")
LEADER = Principal(user_id="l-1", name="刘建国", roles=frozenset({Role.LEADER}), department_id="market")
CITIZEN = Principal(user_id="c-1", name="李华", roles=frozenset({Role.CITIZEN}))

DIRECTORY = FakeDirectory({
    "handler": [StaffMember(user_id="h-1", name="李强", username="market.handler", department_id="market"),
                StaffMember(user_id="h-2", name="何伟", username="market.handler2", department_id="market"),
                StaffMember(user_id="h-9", name="杨帆", username="planning.handler", department_id="planning")],
    "leader": [StaffMember(user_id="l-1", name="刘建国", username="market.leader", department_id="market")],
})


def a_warning(department: str = "market") -> Warning:
    return Warning(
        warning_id="SL20261123000001-2-red", case_id="SL20261123000001", department_id=department, item_code="330100-XK-0001",
        item_name="食品经营许可", step="handle", step_visit=2, level=WarningLevel.RED, title="红牌", message="超期",
        issued_at=datetime(2026, 11, 20, 10, tzinfo=CHINA), recipients=("market#leader",),
    )


class Cases:
    def get(self, case_id: str):
        return SimpleNamespace(case_id=case_id, department_id="planning") if case_id == "SL20261123000009" else None


class World:
    def __init__(self) -> None:
        self.orders = InMemoryOrders()
        self.warnings = InMemoryWarnings()
        self.warnings.issue(a_warning())
        self.events = RecordingEvents()
        self.clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA))  # a Monday
        ids = iter(range(1, 100))
        self.service = OrderService(
            orders=self.orders, warnings=self.warnings, cases=Cases(), events=self.events, clock=self.clock,
            calendar=WeekdayCalendar(), directory=DIRECTORY, new_id=lambda now: f"DB{next(ids):04d}",
        )

    def issue(self, key: str | None = "key-00000001", **overrides):
        request = IssueOrderRequest(**{"source_kind": "warning", "source_id": "SL20261123000001-2-red",
                                       "matter": "红牌办件须说明超期原因并整改", **overrides})
        return self.service.issue(CITY, request, key)

    def act(self, principal: Principal, order_id: str, action: str, **fields):
        return self.service.act(principal, order_id, OrderActionRequest(action=action, **fields))


@pytest.fixture
def world() -> World:
    return World()


# --- the transition table -----------------------------------------------------------------


def test_every_action_belongs_to_one_kind_of_actor():
    for action in OrderAction:
        actors = {actor for (_, a), (_, actor) in ORDER_TRANSITIONS.items() if a is action}
        assert actors == {actor_for(action)}


def test_the_lifecycle_reaches_concluded_only_through_an_answer():
    assert ORDER_TRANSITIONS[(OrderStatus.ANSWERED, OrderAction.CONCLUDE)] == (OrderStatus.CONCLUDED, Actor.CITY_INSPECTOR)
    assert not any(target is OrderStatus.CONCLUDED for (status, _), (target, _) in ORDER_TRANSITIONS.items() if status is not OrderStatus.ANSWERED)
    assert (OrderStatus.DISPUTED, OrderAction.ANSWER) not in ORDER_TRANSITIONS  # not while a dispute is open
    assert not any(status is OrderStatus.CONCLUDED for status, _ in ORDER_TRANSITIONS)


# --- issue --------------------------------------------------------------------------------


def test_a_city_inspector_issues_an_order_from_a_warning_due_in_five_working_days(world):
    order = world.issue()
    assert (order.department_id, order.case_id, order.status) == ("market", "SL20261123000001", OrderStatus.ISSUED)
    assert order.due_at == datetime(2026, 11, 30, 23, 59, 59, tzinfo=CHINA)  # Mon + 5 working days
    assert order.red_at == datetime(2026, 12, 2, 23, 59, 59, tzinfo=CHINA)
    assert [h.action for h in order.history] == ["issue"]
    detail_type, detail, _ = world.events.published[0]
    assert (detail_type, detail["event_id"], detail["source_kind"]) == ("SupervisionOrderIssued", "DB0001:issued", "warning")


def test_a_retry_with_the_same_key_returns_the_same_order_and_republishes_the_same_fact(world):
    first, second = world.issue(), world.issue()
    assert first.order_id == second.order_id and len(world.orders.orders) == 1
    assert [d["event_id"] for _, d, _ in world.events.published] == ["DB0001:issued"] * 2
    with pytest.raises(Conflict):
        world.issue(matter="另一件督办事项内容")


@pytest.mark.parametrize("principal", [MARKET_OFFICE, HANDLER, LEADER, CITIZEN])
def test_only_city_inspectors_issue(world, principal):
    with pytest.raises(Forbidden):
        world.service.issue(principal, IssueOrderRequest(source_kind="complaint", source_id="TS0001", department_id="market", matter="投诉督办事项"), None)


def test_sources_decide_the_department(world):
    with pytest.raises(NotFound):
        world.issue(source_id="SL20261123000001-9-red")
    with pytest.raises(InvalidInput):
        world.issue(department_id="planning")
    with pytest.raises(InvalidInput):
        world.issue(key=None, source_kind="complaint", source_id="TS20261123001")
    assert world.issue(key=None, source_kind="case", source_id="SL20261123000009").department_id == "planning"
    complaint = world.issue(key=None, source_kind="complaint", source_id="TS20261123001", department_id="health")
    assert (complaint.department_id, complaint.case_id) == ("health", None)


# --- the lifecycle ------------------------------------------------------------------------


def test_responsibility_dispute_decision_answer_conclusion(world):
    order = world.issue()
    order = world.act(MARKET_OFFICE, order.order_id, "establish_responsibility", staff_user_id="h-1", text="承办人未在时限内办理")
    assert (order.status, order.responsibility.staff_name) == (OrderStatus.RESPONSIBILITY_ESTABLISHED, "李强")
    assert [o.order_id for o in world.service.my_responsibilities(HANDLER, cursor=None, limit=10).items] == [order.order_id]

    order = world.act(HANDLER, order.order_id, "dispute", text="申请人补正材料期间不应计时")
    assert order.status is OrderStatus.DISPUTED
    order = world.act(MARKET_OFFICE, order.order_id, "decide_dispute", decision="change", staff_user_id="l-1", text="延期未及时审批，责任在分管领导")
    assert (order.status, order.responsibility.staff_user_id, order.responsibility.dispute_decision) == (
        OrderStatus.RESPONSIBILITY_ESTABLISHED, "l-1", "change")
    with pytest.raises(Conflict):  # the order's one dispute has been heard
        world.act(LEADER, order.order_id, "dispute", text="我也有异议")

    world.clock.advance(days=1)
    order = world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改，相关人员已批评教育")
    answered = world.events.published[-1]
    assert answered[0] == "SupervisionOrderAnswered"
    assert (answered[1]["working_days_to_answer"], answered[1]["on_time"], answered[1]["event_id"]) == (1, True, f"{order.order_id}:answered")

    order = world.act(CITY, order.order_id, "conclude", conclusion="corrected", text="整改到位")
    assert (order.status, order.conclusion) == (OrderStatus.CONCLUDED, OrderConclusion.CORRECTED)
    assert world.events.published[-1][1]["conclusion"] == "corrected"
    assert [h.action for h in order.history] == ["issue", "establish_responsibility", "dispute", "decide_dispute", "answer", "conclude"]
    assert [h.actor_role for h in order.history][1:3] == ["部门监察室", "被认定责任人"]


def test_who_may_act_403_and_in_which_status_409(world):
    order_id = world.issue().order_id
    with pytest.raises(Forbidden):  # another department's 监察室
        world.act(PLANNING_OFFICE, order_id, "answer", text="答复")
    with pytest.raises(Forbidden):  # the city inspector does not answer for the department
        world.act(CITY, order_id, "answer", text="答复")
    with pytest.raises(Forbidden):
        world.act(HANDLER, order_id, "answer", text="答复")
    with pytest.raises(Conflict):  # not answered yet
        world.act(CITY, order_id, "conclude", conclusion="corrected")
    with pytest.raises(Forbidden):  # nobody named yet
        world.act(HANDLER, order_id, "dispute", text="异议")
    world.act(MARKET_OFFICE, order_id, "establish_responsibility", staff_user_id="h-1", text="认定意见")
    with pytest.raises(Forbidden):  # only the person named disputes
        world.act(OTHER_HANDLER, order_id, "dispute", text="异议")
    with pytest.raises(NotFound):
        world.act(CITY, "DB9999", "conclude", conclusion="corrected")


def test_bad_input_is_422(world):
    order_id = world.issue().order_id
    with pytest.raises(InvalidInput):
        world.act(MARKET_OFFICE, order_id, "establish_responsibility", text="认定意见")  # nobody named
    with pytest.raises(InvalidInput):  # not of this department
        world.act(MARKET_OFFICE, order_id, "establish_responsibility", staff_user_id="h-9", text="认定意见")
    with pytest.raises(InvalidInput):
        world.act(MARKET_OFFICE, order_id, "answer", text="  ")
    world.act(MARKET_OFFICE, order_id, "answer", text="已整改")
    with pytest.raises(InvalidInput):
        world.act(CITY, order_id, "conclude")


def test_an_answer_sent_twice_is_answered_once(world):
    order_id = world.issue().order_id
    world.act(MARKET_OFFICE, order_id, "answer", text="已整改")
    again = world.act(MARKET_OFFICE, order_id, "answer", text="已整改")
    assert [h.action for h in again.history].count("answer") == 1
    assert [d["event_id"] for _, d, _ in world.events.published].count(f"{order_id}:answered") == 2  # same fact, counted once
    with pytest.raises(Conflict):
        world.act(MARKET_OFFICE, order_id, "answer", text="另一份答复")


def test_a_concurrent_change_is_409_and_a_failed_publish_is_503_with_the_write_kept(world):
    order = world.issue()
    world.orders.before_save.append(lambda: world.orders.orders.update({order.order_id: order.model_copy(update={"version": 7})}))
    with pytest.raises(Conflict):
        world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")
    world.orders.orders[order.order_id] = order
    world.events.fail_with = RuntimeError("bus down")
    with pytest.raises(Unavailable):
        world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")
    assert world.orders.get(order.order_id).status is OrderStatus.ANSWERED
    world.events.fail_with = None
    world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")  # the retry publishes
    assert world.events.published[-1][0] == "SupervisionOrderAnswered"


def test_listing_by_role(world):
    market = world.issue().order_id
    world.issue(key=None, source_kind="complaint", source_id="TS20261123001", department_id="health")
    assert len(world.service.list(CITY, department_id=None, status=None, cursor=None, limit=10).items) == 2
    assert [o.order_id for o in world.service.list(MARKET_OFFICE, department_id=None, status=None, cursor=None, limit=10).items] == [market]
    assert [o.order_id for o in world.service.list(LEADER, department_id=None, status=OrderStatus.ISSUED, cursor=None, limit=10).items] == [market]
    with pytest.raises(Forbidden):
        world.service.list(MARKET_OFFICE, department_id="health", status=None, cursor=None, limit=10)
    with pytest.raises(Forbidden):
        world.service.list(HANDLER, department_id=None, status=None, cursor=None, limit=10)
    with pytest.raises(Forbidden):
        world.service.get(PLANNING_OFFICE, market)


# --- overdue sweep ------------------------------------------------------------------------


def test_an_unanswered_order_escalates_to_the_leader_then_to_the_city_once_each(world):
    order = world.issue()
    assert world.service.sweep(order.due_at).escalated == []  # the due day is not over yet
    report = world.service.sweep(order.due_at + timedelta(seconds=1))
    assert report.escalated == [f"{order.order_id}:leader"]
    assert world.service.sweep(order.due_at + timedelta(hours=1)).escalated == []  # once
    assert [e.order.order_id for e in world.service.inbox(LEADER, cursor=None, limit=10).items] == [order.order_id]
    assert world.service.sweep(order.red_at + timedelta(seconds=1)).escalated == [f"{order.order_id}:city"]
    stored = world.orders.get(order.order_id)
    assert stored.overdue and [h.action for h in stored.history][-2:] == ["overdue", "escalate"]
    assert stored.next_alarm_at is None
    assert [e.level for e in world.service.inbox(CITY, cursor=None, limit=10).items] == ["city"]
    # still answerable: late, and the fact says so
    world.clock.current = order.red_at + timedelta(hours=1)
    world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")
    assert world.events.published[-1][1]["on_time"] is False


def test_an_answered_order_does_not_escalate(world):
    order = world.issue()
    world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")
    assert world.service.sweep(order.red_at + timedelta(days=1)).escalated == []


def test_an_order_past_its_due_time_reads_past_due_on_the_servers_clock_before_the_sweep(world):
    """One clock: the list shows an unanswered order late from the server's now, not the browser's,
    and without waiting for the sweep's `overdue` mark; an answered order is not late."""
    order = world.issue()
    listed = lambda: world.service.list(CITY, department_id=None, status=None, cursor=None, limit=10).items  # noqa: E731
    world.clock.current = order.due_at
    assert [o.past_due for o in listed()] == [False] and world.service.get(CITY, order.order_id).past_due is False
    world.clock.current = order.due_at + timedelta(seconds=1)
    [late] = listed()
    assert late.past_due and not late.overdue and world.service.get(CITY, order.order_id).past_due
    assert world.orders.get(order.order_id).past_due is False  # read, not stored
    world.act(MARKET_OFFICE, order.order_id, "answer", text="已整改")
    assert [o.past_due for o in listed()] == [False]


def test_an_action_on_a_late_order_answers_with_it_past_due_on_the_servers_clock(world):
    """The order page shows the answer of an action: a responsibility established after the due
    time leaves the order unanswered and late (超期), read on the server's clock."""
    order = world.issue()
    world.clock.current = order.due_at + timedelta(hours=1)
    acted = world.act(MARKET_OFFICE, order.order_id, "establish_responsibility", staff_user_id="h-1", text="承办人未在时限内办理")
    assert acted.status == "responsibility_established" and acted.past_due
    assert world.orders.get(order.order_id).past_due is False  # read, not stored
