"""Levels of government and who sees what (services/scope.py), on fakes: the one scope function
every service asks, the government chain a new case carries, and the listings of a district's
监察局 that never reach another district."""

from __future__ import annotations

import pytest

from sunlight.models.catalog import Department
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.models.orders import IssueOrderRequest
from sunlight.models.requests import ApplicationRequest
from sunlight.models.roles import Principal, Role
from sunlight.services.errors import Forbidden, InvalidCursor
from sunlight.services.orders import OrderService
from sunlight.services.scope import NO_GOVERNMENT, Levels, Scope, ScopeKind, page_across
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeCatalog, FakeClock, WeekdayCalendar
from tests.fakes.catalog import InMemoryCatalogRepository
from tests.fakes.orders import InMemoryOrders
from tests.fakes.supervision import InMemoryWarnings
from tests.unit.conftest import APPLICANT, CITIZEN, ITEM

GOVERNMENTS = [
    Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
    Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
    Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700"),
    Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"),
    Government(government_id="420703100", name="华容镇", level=GovernmentLevel.TOWNSHIP, parent_id="420703"),
    Government(government_id="420704001001", name="滨湖社区", level=GovernmentLevel.VILLAGE, parent_id="420704001"),
]
DEPARTMENTS = [
    Department(department_id="market", name="市市场监督管理局", short_name="市场监管局"),
    Department(department_id="echeng-market", name="鄂城区市场监督管理局", short_name="鄂城区市场监管局", government_id="420704"),
    Department(department_id="huarong-market", name="华容区市场监督管理局", short_name="华容区市场监管局", government_id="420703"),
    Department(department_id="fenghuang-center", name="凤凰街道便民服务中心", short_name="凤凰街道便民中心", government_id="420704001"),
    Department(department_id="huarongzhen-center", name="华容镇便民服务中心", short_name="华容镇便民中心", government_id="420703100"),
    Department(department_id="binhu-station", name="滨湖社区便民服务站", short_name="滨湖社区服务站", government_id="420704001001"),
]
PATHS = {  # each department's government chain, from the city down
    "market": ("420700",),
    "echeng-market": ("420700", "420704"),
    "huarong-market": ("420700", "420703"),
    "fenghuang-center": ("420700", "420704", "420704001"),
    "huarongzhen-center": ("420700", "420703", "420703100"),
    "binhu-station": ("420700", "420704", "420704001", "420704001001"),
}


def inspector(government: str | None, department: str | None = None, *extra: Role) -> Principal:
    return Principal(user_id=f"i-{government or department}", name="监察人员", roles=frozenset({Role.INSPECTOR, *extra}),
                     department_id=department, government_id=government)


CITY = inspector("420700")
ECHENG = inspector("420704")
HUARONG = inspector("420703")
FENGHUANG = inspector("420704001")
UNLEVELED = inspector(None)
MARKET_OFFICE = inspector(None, "market")  # 市市场监管局监察室
ECHENG_WINDOW = Principal(user_id="w", name="鲁晓燕", roles=frozenset({Role.WINDOW}), department_id="echeng-market")


class Case:  # what the scope reads of a case
    def __init__(self, department_id: str) -> None:
        self.department_id = department_id
        self.government_path = PATHS[department_id]


def catalog() -> InMemoryCatalogRepository:
    return InMemoryCatalogRepository(DEPARTMENTS, governments=GOVERNMENTS)


# -- the scope function ------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "kind", "seen"), [
    (CITY, ScopeKind.CITY, set(PATHS)),
    (ECHENG, ScopeKind.LEVEL, {"echeng-market", "fenghuang-center", "binhu-station"}),
    (HUARONG, ScopeKind.LEVEL, {"huarong-market", "huarongzhen-center"}),
    (FENGHUANG, ScopeKind.LEVEL, {"fenghuang-center", "binhu-station"}),  # a township: not its district's
    (MARKET_OFFICE, ScopeKind.DEPARTMENT, {"market"}),  # a department's 监察室 stays department-scoped
    (ECHENG_WINDOW, ScopeKind.DEPARTMENT, {"echeng-market"}),  # staff too
    (UNLEVELED, ScopeKind.NONE, set()),  # no department, no government: nothing (fails closed)
    (CITIZEN, ScopeKind.NONE, set()),
])
def test_who_sees_which_cases_and_departments(who, kind, seen):
    scope = Scope.of(who, Levels(catalog()))
    assert scope.kind is kind
    assert {d for d in PATHS if scope.sees_case(Case(d))} == seen
    assert {d for d in PATHS if scope.sees_department(d)} == seen


def test_a_district_never_sees_another_district_and_is_told_so_in_chinese():
    scope = Scope.of(ECHENG, Levels(catalog()))
    with pytest.raises(Forbidden, match="本级及下级政府"):
        scope.require_case(Case("huarong-market"))
    with pytest.raises(Forbidden, match="本级及下级政府"):
        scope.require_department("market")  # nor the city's own departments
    with pytest.raises(Forbidden) as refused:
        Scope.of(UNLEVELED).require_case(Case("market"))
    assert refused.value.message == NO_GOVERNMENT


def test_only_the_citys_bureau_is_city_wide_and_has_the_city_inbox():
    assert Scope.of(CITY).city_wide and Scope.of(CITY).inbox_key == "city#inspector"
    assert not Scope.of(ECHENG).city_wide and Scope.of(ECHENG).inbox_key == "420704#inspector"
    assert Scope.of(UNLEVELED).inbox_key is None and not Scope.of(inspector("420700", "market")).city_wide


def test_a_districts_departments_come_from_one_listing_of_departments_kept_a_while():
    repo = catalog()
    now = [0.0]
    levels = Levels(repo, ttl_seconds=300, monotonic=lambda: now[0])
    for _ in range(3):
        assert Scope.of(ECHENG, levels).departments_in() == {"echeng-market", "fenghuang-center", "binhu-station"}
    assert repo.department_listings == 1
    now[0] = 301.0
    Scope.of(ECHENG, levels).departments_in()
    assert repo.department_listings == 2  # a new department shows after the TTL


def test_a_level_scope_without_the_levels_sees_no_department():
    assert Scope.of(ECHENG).departments_in() == frozenset()
    assert Scope.of(CITY).departments_in() is None  # the city needs no lookup


def test_stamps_are_the_government_chain_from_the_city_down():
    levels = Levels(catalog())
    for department in DEPARTMENTS:
        assert levels.stamp(department) == (department.government_id, PATHS[department.department_id])
    assert levels.stamp(None) == ("420700", ("420700",))
    unknown = Department(department_id="lost", name="未登记政府的部门", short_name="未登记", government_id="420799")
    # A government not in the catalog: under the city (the city still sees it, no district does).
    assert levels.stamp(unknown) == ("420799", ("420700", "420799"))


# -- paging over a district's departments ------------------------------------------------------


def test_page_across_keeps_each_department_and_continues_where_it_stopped():
    rows = {"a": [1, 2, 3], "b": [], "c": [4, 5]}

    def fetch(department, limit, key):
        start = key["i"] if key else 0
        page = rows[department][start:start + limit]
        return page, ({"i": start + limit} if start + limit < len(rows[department]) else None)

    seen, cursor, pages = [], None, 0
    while True:
        items, cursor = page_across(["a", "b", "c"], fetch, limit=2, cursor=cursor)
        seen += items
        pages += 1
        if cursor is None:
            break
    assert seen == [1, 2, 3, 4, 5] and pages == 3
    with pytest.raises(InvalidCursor):
        page_across(["a"], fetch, limit=2, cursor={"d": "c", "k": None})  # a department not the caller's


# -- services through the scope ----------------------------------------------------------------


@pytest.fixture
def leveled_world(world):
    world.catalog.departments.update({d.department_id: d for d in DEPARTMENTS})
    world.catalog.governments.update({g.government_id: g for g in GOVERNMENTS})
    district_item = ITEM.model_copy(update={"item_code": "420704-XK-0301", "department_id": "echeng-market"})
    village_item = ITEM.model_copy(update={"item_code": "420704001001-XK-0101", "department_id": "binhu-station"})
    world.catalog.items.update({i.item_code: i for i in (district_item, village_item)})
    return world


def apply(world, item_code: str) -> str:
    body = {"item_code": item_code, "applicant": APPLICANT, "form": {"companyName": "鄂州味道餐饮有限公司"}}
    return world.applications.apply(CITIZEN, ApplicationRequest.model_validate(body), None).case_id


def test_a_new_case_carries_its_departments_government_chain(leveled_world):
    district = leveled_world.cases.get(apply(leveled_world, "420704-XK-0301"))
    village = leveled_world.cases.get(apply(leveled_world, "420704001001-XK-0101"))
    city = leveled_world.cases.get(apply(leveled_world, ITEM.item_code))
    assert (district.government_id, district.government_path) == ("420704", ("420700", "420704"))
    assert village.government_path == PATHS["binhu-station"]
    assert (city.government_id, city.government_path) == ("420700", ("420700",))


def test_a_district_inspector_reads_its_districts_cases_only(leveled_world):
    district = apply(leveled_world, "420704-XK-0301")
    village = apply(leveled_world, "420704001001-XK-0101")
    city = apply(leveled_world, ITEM.item_code)
    staff = leveled_world.staff
    assert staff.case_detail(ECHENG, district).case_id == district
    assert staff.case_detail(ECHENG, village).case_id == village  # and the levels below it
    for refused, case_id in ((ECHENG, city), (HUARONG, district), (FENGHUANG, district), (UNLEVELED, district)):
        with pytest.raises(Forbidden):
            staff.case_detail(refused, case_id)
    assert staff.case_detail(CITY, district).case_id == district
    assert leveled_world.cards.for_case(ECHENG, district) == []
    with pytest.raises(Forbidden):
        leveled_world.cards.for_case(HUARONG, district)


def test_a_district_inspector_lists_warnings_of_its_departments_only(leveled_world):
    assert leveled_world.cards.for_department(ECHENG, "binhu-station", cursor=None, limit=10).items == []
    for department in ("huarong-market", "market"):
        with pytest.raises(Forbidden):
            leveled_world.cards.for_department(ECHENG, department, cursor=None, limit=10)
    with pytest.raises(Forbidden, match="未设置所属政府"):
        leveled_world.cards.for_department(UNLEVELED, "market", cursor=None, limit=10)


def test_a_district_inspector_reads_the_orders_of_its_levels_and_issues_none_outside_them():
    from tests.unit.test_orders import DIRECTORY, Cases, a_warning

    orders, warnings = InMemoryOrders(), InMemoryWarnings()
    for department in ("echeng-market", "binhu-station", "huarong-market", "market"):
        warning = a_warning(department).model_copy(update={"warning_id": f"SL20261123000001-2-red-{department}"})
        warnings.issue(warning)
    ids = iter(range(1, 100))
    service = OrderService(orders=orders, warnings=warnings, cases=Cases(), events=RecordingEvents(), clock=FakeClock(),
                           calendar=WeekdayCalendar(), directory=DIRECTORY, new_id=lambda now: f"DB{next(ids):04d}",
                           catalog=FakeCatalog([], DEPARTMENTS, GOVERNMENTS))
    issued = {}
    for department in ("echeng-market", "binhu-station", "huarong-market", "market"):
        request = IssueOrderRequest(source_kind="warning", source_id=f"SL20261123000001-2-red-{department}", matter="红牌办件须说明超期原因并整改")
        issued[department] = service.issue(CITY, request, None).order_id
    with pytest.raises(Forbidden):  # a district 监察局 issues only within its levels (tests/unit/test_orders_bureaus.py)
        service.issue(ECHENG, IssueOrderRequest(source_kind="complaint", source_id="TS0001", department_id="huarong-market", matter="投诉督办事项"), None)

    seen, cursor = [], None
    while True:  # one order per page: the cursor carries on across its departments
        page = service.list(ECHENG, department_id=None, status=None, cursor=cursor, limit=1)
        seen += [o.department_id for o in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == ["binhu-station", "echeng-market"]
    assert service.get(ECHENG, issued["binhu-station"]).department_id == "binhu-station"
    for other in ("huarong-market", "market"):
        with pytest.raises(Forbidden):
            service.get(ECHENG, issued[other])
        with pytest.raises(Forbidden):
            service.list(ECHENG, department_id=other, status=None, cursor=None, limit=10)


def test_a_red_card_and_an_anomaly_reach_every_bureau_of_the_cases_levels(leveled_world):
    from sunlight.models.warnings import WarningLevel
    from sunlight.services.anomalies import anomaly_recipients
    from sunlight.services.deadlines import recipients

    village = leveled_world.cases.get(apply(leveled_world, "420704001001-XK-0101"))
    city = leveled_world.cases.get(apply(leveled_world, ITEM.item_code))
    bureaus = {"420704#inspector", "420704001#inspector", "420704001001#inspector"}
    assert bureaus | {"city#inspector"} <= set(recipients(village, WarningLevel.RED))
    assert bureaus <= set(anomaly_recipients(village.department_id, village.government_path))
    assert not bureaus & set(recipients(village, WarningLevel.YELLOW))  # a yellow card stays in the department
    assert [r for r in recipients(city, WarningLevel.RED) if r.endswith("#inspector") and r[0].isdigit()] == []
    assert Scope.of(ECHENG).inbox_key in recipients(village, WarningLevel.RED)
    assert Scope.of(HUARONG).inbox_key not in recipients(village, WarningLevel.RED)
