"""A district's (township's) 监察局 supervises its own level and below: it issues orders to the
departments of its levels, concludes the orders it issued, and receives them when they run red."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sunlight.models.catalog import Department
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.models.orders import IssueOrderRequest, OrderActionRequest, OrderStatus
from sunlight.models.roles import Principal, Role
from sunlight.services.errors import Forbidden
from sunlight.services.orders import OUTSIDE_BUREAU, OrderService
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeClock, WeekdayCalendar
from tests.fakes.orders import FakeDirectory, InMemoryOrders
from tests.fakes.supervision import InMemoryWarnings
from tests.unit.test_orders import CHINA, CITY, Cases


class Tree:
    def list_governments(self) -> list[Government]:
        return [
            Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
            Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
            Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700"),
            Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"),
        ]

    def list_departments(self) -> list[Department]:
        return [
            Department(department_id="market", name="市市场监督管理局", short_name="市场监管局"),
            Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局", government_id="420704"),
            Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容区市场监管局", government_id="420703"),
            Department(department_id="fenghuang-center", name="凤凰街道便民服务中心", short_name="凤凰街道便民中心", government_id="420704001"),
        ]


ECHENG = Principal(user_id="i-echeng", name="鄂城区监察局 周敏", roles=frozenset({Role.INSPECTOR}), government_id="420704")
HUARONG = Principal(user_id="i-huarong", name="华容区监察局 吴昊", roles=frozenset({Role.INSPECTOR}), government_id="420703")
FENGHUANG = Principal(user_id="i-fenghuang", name="凤凰街道监察局 钱进", roles=frozenset({Role.INSPECTOR}), government_id="420704001")
ECHENG_OFFICE = Principal(user_id="i-em", name="鄂城区市场监管局监察室 孙丽", roles=frozenset({Role.INSPECTOR}), department_id="echeng-market")
UNLEVELED = Principal(user_id="i-none", name="未设层级", roles=frozenset({Role.INSPECTOR}))


@pytest.fixture
def world():
    ids = iter(range(1, 100))
    orders = InMemoryOrders()
    service = OrderService(
        orders=orders, warnings=InMemoryWarnings(), cases=Cases(), events=RecordingEvents(),
        clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA)), calendar=WeekdayCalendar(),
        directory=FakeDirectory({}), new_id=lambda now: f"DB{next(ids):04d}", catalog=Tree(),
    )
    return service, orders


def issue(service: OrderService, principal: Principal, department: str):
    return service.issue(principal, IssueOrderRequest(source_kind="complaint", source_id="TS0001", department_id=department,
                                                      matter="投诉督办事项，请核查整改"), None)


def answer_and_conclude(service: OrderService, concluder: Principal, order_id: str):
    service.act(ECHENG_OFFICE, order_id, OrderActionRequest(action="answer", text="已整改"))
    return service.act(concluder, order_id, OrderActionRequest(action="conclude", conclusion="corrected", text="整改到位"))


@pytest.mark.parametrize("department", ["echeng-market", "fenghuang-center"])
def test_a_district_bureau_issues_to_its_own_level_and_below(world, department):
    service, _ = world
    order = issue(service, ECHENG, department)
    assert order.department_id == department and order.issued_by_government_id == "420704"
    assert order.history[0].actor_role == "鄂城区监察局"


@pytest.mark.parametrize(("principal", "department"), [
    (ECHENG, "huarong-market"),  # another district
    (ECHENG, "market"),  # the city's department
    (FENGHUANG, "echeng-market"),  # a township's bureau: not its district's department
])
def test_a_district_bureau_is_refused_outside_its_scope(world, principal, department):
    service, orders = world
    with pytest.raises(Forbidden) as refused:
        issue(service, principal, department)
    assert refused.value.message == OUTSIDE_BUREAU
    assert orders.orders == {}


def test_an_inspector_without_a_level_or_department_issues_nothing(world):
    service, _ = world
    with pytest.raises(Forbidden):
        issue(service, UNLEVELED, "echeng-market")
    with pytest.raises(Forbidden):
        issue(service, ECHENG_OFFICE, "echeng-market")


def test_the_issuing_bureau_concludes_its_order_and_another_bureau_may_not(world):
    service, _ = world
    order = issue(service, ECHENG, "echeng-market")
    service.act(ECHENG_OFFICE, order.order_id, OrderActionRequest(action="answer", text="已整改"))
    for other in (HUARONG, FENGHUANG, ECHENG_OFFICE):
        with pytest.raises(Forbidden):
            service.act(other, order.order_id, OrderActionRequest(action="conclude", conclusion="corrected"))
    concluded = service.act(ECHENG, order.order_id, OrderActionRequest(action="conclude", conclusion="corrected", text="整改到位"))
    assert concluded.status is OrderStatus.CONCLUDED and concluded.history[-1].actor_role == "鄂城区监察局"


def test_the_city_still_issues_anywhere_and_concludes_a_districts_order(world):
    service, _ = world
    city_order = issue(service, CITY, "echeng-market")
    assert city_order.issued_by_government_id == "420700" and city_order.history[0].actor_role == "市监察局"
    with pytest.raises(Forbidden):  # the city's order is the city's to conclude
        answer_and_conclude(service, ECHENG, city_order.order_id)
    assert service.act(CITY, city_order.order_id, OrderActionRequest(action="conclude", conclusion="corrected")).status is OrderStatus.CONCLUDED
    district_order = issue(service, ECHENG, "echeng-market")
    assert answer_and_conclude(service, CITY, district_order.order_id).status is OrderStatus.CONCLUDED


def test_a_district_bureau_lists_only_the_orders_within_its_scope(world):
    service, _ = world
    mine = issue(service, ECHENG, "fenghuang-center")
    issue(service, HUARONG, "huarong-market")
    issue(service, CITY, "market")
    assert [o.order_id for o in service.list(ECHENG, department_id=None, status=None, cursor=None, limit=10).items] == [mine.order_id]
    with pytest.raises(Forbidden):
        service.list(ECHENG, department_id="huarong-market", status=None, cursor=None, limit=10)
    assert len(service.list(CITY, department_id=None, status=None, cursor=None, limit=10).items) == 3


def test_a_red_district_order_reaches_the_issuing_bureau_and_the_city(world):
    service, _ = world
    order = issue(service, ECHENG, "echeng-market")
    service.sweep(order.due_at + timedelta(seconds=1))
    assert service.sweep(order.red_at + timedelta(seconds=1)).escalated == [f"{order.order_id}:city", f"{order.order_id}:bureau"]
    assert [e.level for e in service.inbox(ECHENG, cursor=None, limit=10).items] == ["bureau"]
    assert [e.level for e in service.inbox(CITY, cursor=None, limit=10).items] == ["city"]
    assert service.inbox(HUARONG, cursor=None, limit=10).items == []
    assert service.sweep(order.red_at + timedelta(hours=1)).escalated == []  # once
