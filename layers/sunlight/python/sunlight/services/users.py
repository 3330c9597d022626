"""Users and roles (用户与角色): the administrator lists staff accounts, creates one with a
temporary password, changes its name, department and roles, disables and enables it, and
resets a forgotten password to a new temporary one.

Rules: staff roles (window, handler, reviewer, leader) need a department that exists; citizens
register themselves and are not managed here; an administrator cannot take away their own admin
role nor disable their own account (the city must never lose its last way in by a slip), and
nobody changes their own roles. Disabling an account, resetting its password or changing its
roles or department ends its sessions within a minute (services/sessions.py).

Separation of duties: the admin administers, it does not supervise. Granting the inspector or
admin role (on creation or change) is written to the inspector log and notified to the chief
inspector (市监察局局长), so a self-made inspector account cannot go unseen."""

from __future__ import annotations

from datetime import datetime

from sunlight.models.complaints import Notification
from sunlight.models.inspector_log import LogEntry
from sunlight.models.roles import Principal, Role
from sunlight.models.users import MANAGED_ROLES, CreatedUser, CreateUserRequest, PasswordReset, StaffUser, StaffUserView, UpdateUserRequest
from sunlight.services.catalog import MAX_PAGE_SIZE
from sunlight.services.errors import Conflict, Forbidden, InvalidCursor, InvalidInput, NotFound
from sunlight.services.pagination import Page, decode_cursor, encode_cursor
from sunlight.services.ports import CatalogReader, PasswordGenerator, UserDirectory, UserExists, UserNotFound

ADMIN_ONLY = "只有系统管理员可以管理用户和角色。"
USER_NOT_FOUND = "未找到该用户，请核对用户名。"
NOT_MANAGED = "申请人（公众）账号由本人注册，不在此管理。"
USERNAME_TAKEN = "该用户名已被使用，请换一个用户名。"
OWN_ADMIN_ROLE = "不能取消自己的系统管理员角色，请由其他管理员操作。"
OWN_ROLES = "不能修改自己的角色或所属部门，请由其他管理员操作。"
OVERSEEN_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})  # granting them is reported to the chief inspector
OWN_ACCOUNT = "不能停用自己的账号。"
UNKNOWN_DEPARTMENT = "所属部门不存在，请从列表中选择。"
DISABLED_ACCOUNT = "该账号已停用，请先启用再重置密码。"


class UserAdminService:
    def __init__(self, directory: UserDirectory, catalog: CatalogReader, passwords: PasswordGenerator, departments,
                 *, sessions=None, oversight: RoleGrantOversight | None = None) -> None:
        self._directory = directory
        self._catalog = catalog
        self._passwords = passwords
        self._departments = departments  # () -> {department id: name}
        self._sessions = sessions  # SessionGuard: ends a changed account's sessions
        self._oversight = oversight

    def list_users(
        self, principal: Principal, department_id: str | None = None, cursor: str | None = None, limit: int = 20
    ) -> Page[StaffUserView]:
        """Staff accounts group by group (in MANAGED_ROLES order); an account with several roles
        is listed once, under its first. The cursor names the group and Cognito's token in it."""
        _require_admin(principal)
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidInput(f"每页条数应在1到{MAX_PAGE_SIZE}之间。")
        department_id = department_id or None
        group_index, token = _position(cursor, department_id)
        found: list[StaffUser] = []
        while group_index < len(MANAGED_ROLES) and len(found) < limit:
            group = MANAGED_ROLES[group_index]
            users, token = self._directory.list_group(group, limit - len(found), token)
            found.extend(
                user
                for user in users
                if _first_managed_role(user) is group and (department_id is None or user.department_id == department_id)
            )
            if token is None:
                group_index += 1
        names = self._departments() if found else {}
        more = group_index < len(MANAGED_ROLES)
        return Page[StaffUserView](
            items=[StaffUserView.of(user, names) for user in found],
            next_cursor=encode_cursor({"g": group_index, "t": token, "d": department_id}) if more else None,
        )

    def get_user(self, principal: Principal, username: str) -> StaffUserView:
        _require_admin(principal)
        return StaffUserView.of(self._managed(username), self._departments())

    def create_user(self, principal: Principal, request: CreateUserRequest) -> CreatedUser:
        _require_admin(principal)
        self._check_department(request.department_id)
        password = self._passwords.temporary_password()
        draft = StaffUser(
            username=request.username,
            user_id="",
            full_name=request.full_name,
            department_id=request.department_id,
            government_id=request.government_id,
            roles=request.roles,
        )
        try:
            created = self._directory.create_user(draft, password)
        except UserExists:
            raise Conflict(USERNAME_TAKEN, details={"field": "username"}) from None
        self._report_grants(principal, created.username, set(request.roles))
        return CreatedUser(user=StaffUserView.of(created, self._departments()), temporary_password=password)

    def update_user(self, principal: Principal, username: str, request: UpdateUserRequest) -> StaffUserView:
        _require_admin(principal)
        user = self._managed(username)
        wanted = set(request.roles)
        current = set(user.roles) & set(MANAGED_ROLES)
        if user.user_id == principal.user_id and Role.ADMIN in user.roles and Role.ADMIN not in request.roles:
            raise Conflict(OWN_ADMIN_ROLE)
        if user.user_id == principal.user_id and (wanted != current or request.department_id != user.department_id):
            raise Forbidden(OWN_ROLES)
        self._check_department(request.department_id)
        try:
            self._directory.update_user(
                user.username,
                full_name=request.full_name,
                department_id=request.department_id,
                government_id=request.government_id,
                add=[r for r in MANAGED_ROLES if r in wanted - current],
                remove=[r for r in MANAGED_ROLES if r in current - wanted],
            )
        except UserNotFound:
            raise NotFound(USER_NOT_FOUND) from None
        if wanted != current or request.department_id != user.department_id or request.government_id != user.government_id:
            self._end_sessions(user, "roles changed")
        self._report_grants(principal, user.username, wanted - current)
        return self.get_user(principal, user.username)

    def set_enabled(self, principal: Principal, username: str, enabled: bool) -> StaffUserView:
        _require_admin(principal)
        user = self._managed(username)
        if not enabled and user.user_id == principal.user_id:
            raise Conflict(OWN_ACCOUNT)
        if user.enabled != enabled:
            try:
                self._directory.set_enabled(user.username, enabled)
            except UserNotFound:
                raise NotFound(USER_NOT_FOUND) from None
        if not enabled:  # also when already disabled: a retry after a failed mark
            self._end_sessions(user, "disabled")
        return self.get_user(principal, user.username)

    def reset_password(self, principal: Principal, username: str) -> PasswordReset:
        """A forgotten password: the account gets a new temporary password (shown once to the
        administrator, who hands it over) and is signed out everywhere; at the next sign-in the
        user must choose a new password. Staff accounts have no e-mail for self-service recovery."""
        _require_admin(principal)
        user = self._managed(username)
        if not user.enabled:
            raise Conflict(DISABLED_ACCOUNT)
        password = self._passwords.temporary_password()
        try:
            self._directory.reset_password(user.username, password)
        except UserNotFound:
            raise NotFound(USER_NOT_FOUND) from None
        self._end_sessions(user, "password reset")
        return PasswordReset(user=self.get_user(principal, user.username), temporary_password=password)

    # --- helpers ---------------------------------------------------------------------------

    def _end_sessions(self, user: StaffUser, reason: str) -> None:
        if self._sessions is not None and user.user_id:
            self._sessions.revoke(user.user_id, reason)

    def _report_grants(self, principal: Principal, username: str, granted: set[Role]) -> None:
        overseen = sorted(granted & OVERSEEN_ROLES)
        if overseen and self._oversight is not None:
            self._oversight.role_granted(principal, username, overseen)

    def _managed(self, username: str) -> StaffUser:
        user = self._directory.get_user(username.strip().lower())
        if user is None:
            raise NotFound(USER_NOT_FOUND)
        if Role.CITIZEN in user.roles:
            raise Forbidden(NOT_MANAGED)
        return user

    def _check_department(self, department_id: str | None) -> None:
        if department_id is not None and self._catalog.get_department(department_id) is None:
            raise InvalidInput(UNKNOWN_DEPARTMENT, details={"field": "department_id"})


def _require_admin(principal: Principal) -> None:
    if not principal.has_role(Role.ADMIN):
        raise Forbidden(ADMIN_ONLY)


def _first_managed_role(user: StaffUser) -> Role | None:
    return next((role for role in MANAGED_ROLES if role in user.roles), None)


def _position(cursor: str | None, department_id: str | None) -> tuple[int, str | None]:
    payload = decode_cursor(cursor)
    if payload is None:
        return 0, None
    group, token = payload.get("g"), payload.get("t")
    if (
        payload.get("d") != department_id
        or not isinstance(group, int)
        or not 0 <= group < len(MANAGED_ROLES)
        or not (token is None or isinstance(token, str))
    ):
        raise InvalidCursor()
    return group, token


class RoleGrantOversight:
    """Reports a grant of the inspector or admin role: one inspector-log record (method GRANT)
    and a notification to every chief inspector (inspector + leader without a department)."""

    def __init__(self, *, log, notifications, directory, clock) -> None:
        self._log = log  # InspectorLogService
        self._notifications = notifications  # NotificationRepository
        self._directory = directory  # StaffDirectory or None
        self._clock = clock

    def role_granted(self, principal: Principal, username: str, roles: list[Role]) -> None:
        now: datetime = self._clock.now()
        labels = "、".join(role.label for role in roles)
        self._log.record(LogEntry(
            at=now, user_id=principal.user_id, user_name=principal.name, roles=tuple(sorted(r.value for r in principal.roles)),
            department_id=principal.department_id, method="GRANT", route="/admin/users/{username}", path=f"/admin/users/{username}",
            path_params={"username": username, "granted": ",".join(role.value for role in roles)}, status=200,
        ))
        if self._directory is None:
            return
        leaders = {m.user_id for m in self._directory.members(Role.LEADER.value)}
        chiefs = [m for m in self._directory.members(Role.INSPECTOR.value) if m.user_id in leaders and not m.department_id]
        for chief in chiefs:
            self._notifications.add(Notification(
                notification_id=f"{now:%Y%m%d%H%M%S}-grant-{username}-{'-'.join(r.value for r in roles)}", user_id=chief.user_id, at=now,
                title="授予监察或管理权限", subject_kind="account", subject_id=username,
                body=f"系统管理员{principal.name}为账号 {username} 授予了{labels}角色，请核实。",
            ))
