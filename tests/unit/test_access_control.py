"""Who may call a route (http_api/access.py), revoked sign-ins (services/sessions.py) and the
separation of duties in account administration (services/users.py)."""

from __future__ import annotations

import pytest

from http_api import access
from sunlight.models.roles import Principal, Role
from sunlight.models.users import CreateUserRequest, UpdateUserRequest
from sunlight.services.errors import Forbidden
from sunlight.services.sessions import SessionGuard, sign_in_time
from sunlight.services.users import UserAdminService
from tests.fakes.catalog import InMemoryCatalogRepository, make_department
from tests.fakes.users import FixedPasswords, InMemoryUserDirectory, staff


def who(*roles: Role, department: str | None = None, user_id: str = "u", government: str | None = None) -> Principal:
    return Principal(user_id=user_id, name="某人", roles=frozenset(roles), department_id=department, government_id=government)


CITIZEN = who(Role.CITIZEN)
CITIZEN_WITH_DEPARTMENT = who(Role.CITIZEN, department="market")  # a forged or stale attribute
MARKET_LEADER = who(Role.LEADER, department="market")
DEPARTMENT_INSPECTOR = who(Role.INSPECTOR, department="market")
CITY_INSPECTOR = who(Role.INSPECTOR, government="420700")
CHIEF = who(Role.INSPECTOR, Role.LEADER, government="420700")
ADMIN = who(Role.ADMIN)


def status(method: str, route: str, principal: Principal | None) -> int:
    refused = access.check(method, route, principal)
    return 200 if refused is None else refused[0]


def test_anonymous_callers_get_401_on_every_route_that_is_not_public():
    assert status("GET", "/catalog", None) == 200
    assert status("GET", "/cases/{caseId}", None) == 401
    assert status("POST", "/admin/users", None) == 401


def test_a_route_without_an_entry_is_closed():
    assert status("GET", "/something/new", ADMIN) == 403


def test_the_inspector_log_is_for_city_inspectors_and_the_chief_only():
    for route in ("/inspector-log", "/inspector-log/verifications/latest"):
        assert status("GET", route, CITY_INSPECTOR) == status("GET", route, CHIEF) == 200
        assert status("GET", route, DEPARTMENT_INSPECTOR) == status("GET", route, ADMIN) == status("GET", route, MARKET_LEADER) == 403
    assert status("POST", "/inspector-log/verifications", DEPARTMENT_INSPECTOR) == 403


def test_inspector_flags_are_the_chiefs_alone_and_the_refusal_says_so():
    assert status("GET", "/inspector-flags", CHIEF) == 200
    assert status("GET", "/inspector-flags", CITY_INSPECTOR) == status("GET", "/inspector-flags", ADMIN) == 403
    assert access.check("GET", "/inspector-flags", ADMIN) == (403, "forbidden", "履职提醒仅报送市监察局局长（监察人员的分管领导）。")
    assert access.check("GET", "/inspector-log", DEPARTMENT_INSPECTOR)[2] == "监察日志仅供市监察局的监察人员查看。"


def test_a_citizen_with_a_department_attribute_is_not_staff():
    for method, route in (("GET", "/warnings"), ("GET", "/worklist"), ("GET", "/cases/{caseId}"), ("GET", "/complaints")):
        assert status(method, route, CITIZEN_WITH_DEPARTMENT) == 403, route


def test_the_admin_administers_and_reads_no_dossier_or_complaint():
    for method, route in (("GET", "/cases/{caseId}"), ("GET", "/complaints"), ("GET", "/complaints/{complaintId}"),
                          ("GET", "/cases/{caseId}/attachments/{attachmentId}"), ("POST", "/supervision-orders")):
        assert status(method, route, ADMIN) == 403, route
    assert status("POST", "/admin/users", ADMIN) == 200


def test_every_audience_is_defined_and_no_route_is_open_to_admin_and_case_data_at_once():
    for (method, route), entry in access.POLICY.items():
        assert entry.scope in (None, "case", "own", "department"), (method, route)
        assert all(a in access.MEMBERSHIP or a is access.Audience.ANYONE for a in entry.audiences)


# --- sessions ----------------------------------------------------------------------------------

class Marks:
    def __init__(self) -> None:
        self.marks: dict[str, int] = {}
        self.reads = 0

    def revoked_before(self, user_id: str) -> int | None:
        self.reads += 1
        return self.marks.get(user_id)

    def revoke(self, user_id: str, at: int, reason: str) -> None:
        self.marks[user_id] = max(at, self.marks.get(user_id, 0))


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def test_a_revoked_sign_in_is_refused_by_every_instance_within_the_cache_time():
    store, wall, tick = Marks(), Clock(), Clock()
    here, there = (SessionGuard(store, now=wall, monotonic=tick, cache_seconds=30) for _ in range(2))
    signed_in = int(wall.t) - 600
    assert not there.is_revoked("u", signed_in)  # cached: no mark
    here.revoke("u", "disabled")
    assert here.is_revoked("u", signed_in)
    tick.t += 31  # the other instance re-reads within a minute
    assert there.is_revoked("u", signed_in)
    assert not there.is_revoked("u", signed_in + 601)  # a new sign-in after the revocation counts
    assert there.is_revoked("u", None)  # a token without a sign-in time, once a mark exists


@pytest.mark.parametrize("claims, expected", [
    ({"auth_time": "1700000000"}, 1700000000),
    ({"iat": 1700000000}, 1700000000),
    ({"iat": "Tue Nov 14 22:13:20 UTC 2023"}, 1700000000),
    ({}, None),
])
def test_the_sign_in_time_is_read_as_api_gateway_passes_it(claims, expected):
    assert sign_in_time(claims) == expected


# --- separation of duties ----------------------------------------------------------------------

class Grants:
    def __init__(self) -> None:
        self.reported: list[tuple[str, list[Role]]] = []

    def role_granted(self, principal: Principal, username: str, roles: list[Role]) -> None:
        self.reported.append((username, roles))


@pytest.fixture
def admin_service():
    directory = InMemoryUserDirectory([staff("admin", Role.ADMIN, department_id=None, user_id="sub-admin"),
                                       staff("market.window", Role.WINDOW)])
    catalog = InMemoryCatalogRepository([make_department("market")])
    store, grants = Marks(), Grants()
    service = UserAdminService(directory, catalog, FixedPasswords(), departments=lambda: {"market": "市场监管局"},
                               sessions=SessionGuard(store), oversight=grants)
    return service, directory, store, grants


def test_nobody_changes_their_own_roles_and_grants_of_inspector_or_admin_are_reported(admin_service):
    service, directory, _, grants = admin_service
    me = who(Role.ADMIN, user_id="sub-admin")
    with pytest.raises(Forbidden, match="不能修改自己的角色"):
        service.update_user(me, "admin", UpdateUserRequest(full_name="管理员", roles=[Role.ADMIN, Role.INSPECTOR]))
    assert directory.users["admin"].roles == (Role.ADMIN,)
    service.create_user(me, CreateUserRequest(username="city.new", full_name="新监察", roles=[Role.INSPECTOR]))
    service.update_user(me, "market.window", UpdateUserRequest(full_name="张敏", department_id="market", roles=[Role.WINDOW, Role.ADMIN]))
    assert grants.reported == [("city.new", [Role.INSPECTOR]), ("market.window", [Role.ADMIN])]


def test_disabling_resetting_or_changing_roles_ends_the_sessions(admin_service):
    service, directory, store, _ = admin_service
    me = who(Role.ADMIN, user_id="sub-admin")
    service.set_enabled(me, "market.window", False)
    assert "sub-market.window" in store.marks
    store.marks.clear()
    service.set_enabled(me, "market.window", True)
    service.reset_password(me, "market.window")
    assert "sub-market.window" in store.marks
    store.marks.clear()
    service.update_user(me, "market.window", UpdateUserRequest(full_name="张敏", department_id="market", roles=[Role.HANDLER]))
    assert "sub-market.window" in store.marks


def test_a_user_who_signs_out_may_sign_in_again_at_once_but_a_disabled_one_may_not():
    store, wall = Marks(), Clock()
    guard = SessionGuard(store, now=wall)
    now = int(wall.t)
    guard.revoke("me", "signed out", sparing_this_second=True)
    assert guard.is_revoked("me", now - 5) and not guard.is_revoked("me", now)
    guard.revoke("me", "disabled")
    assert guard.is_revoked("me", now)


def test_every_route_the_stack_creates_has_an_entry_and_public_ones_need_no_sign_in():
    from infra import constants

    routes = {(r.method, r.path): r for r in constants.ROUTES}
    assert set(routes) == set(access.POLICY)
    for key, route in routes.items():
        assert access.POLICY[key].public == (not route.authenticated), key
