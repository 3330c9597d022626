"""An in-memory user pool directory (UserDirectory) that pages each group like Cognito, and
in-memory session revocation marks (SessionRevocations)."""

from __future__ import annotations

from collections.abc import Sequence

from sunlight.models.roles import Role
from sunlight.models.users import StaffUser
from sunlight.services.ports import UserExists, UserNotFound


class InMemoryUserDirectory:
    def __init__(self, users: Sequence[StaffUser] = ()) -> None:
        self.users: dict[str, StaffUser] = {u.username: u for u in users}
        self.passwords: dict[str, str] = {}
        self.list_calls: list[tuple[Role, int, str | None]] = []
        self.signed_out: list[str] = []

    def list_group(self, group: Role, limit: int, token: str | None) -> tuple[list[StaffUser], str | None]:
        self.list_calls.append((group, limit, token))
        members = [u for name, u in sorted(self.users.items()) if group in u.roles]
        start = int(token) if token else 0
        page = members[start : start + limit]
        following = start + len(page)
        return page, (str(following) if following < len(members) else None)

    def get_user(self, username: str) -> StaffUser | None:
        return self.users.get(username)

    def create_user(self, user: StaffUser, temporary_password: str) -> StaffUser:
        if user.username in self.users:
            raise UserExists(user.username)
        # Roles come back in Role order, as the adapter reads them from the pool's groups.
        roles = tuple(r for r in Role if r in user.roles)
        created = user.model_copy(update={"user_id": f"sub-{user.username}", "status": "FORCE_CHANGE_PASSWORD", "roles": roles})
        self.users[user.username] = created
        self.passwords[user.username] = temporary_password
        return created

    def update_user(self, username: str, *, full_name: str, department_id: str | None, add: Sequence[Role], remove: Sequence[Role],
                    government_id: str | None = None) -> None:
        user = self.users.get(username)
        if user is None:
            raise UserNotFound(username)
        roles = tuple(r for r in Role if (r in user.roles or r in add) and r not in remove)
        self.users[username] = user.model_copy(update={"full_name": full_name, "department_id": department_id, "roles": roles,
                                                       "government_id": government_id})

    def set_enabled(self, username: str, enabled: bool) -> None:
        if username not in self.users:
            raise UserNotFound(username)
        self.users[username] = self.users[username].model_copy(update={"enabled": enabled})
        if not enabled:
            self.signed_out.append(username)

    def reset_password(self, username: str, temporary_password: str) -> None:
        if username not in self.users:
            raise UserNotFound(username)
        self.users[username] = self.users[username].model_copy(update={"status": "FORCE_CHANGE_PASSWORD"})
        self.passwords[username] = temporary_password
        self.signed_out.append(username)

    def set_name(self, username: str, name: str) -> None:
        if username not in self.users:
            raise UserNotFound(username)
        self.users[username] = self.users[username].model_copy(update={"full_name": name})

    def add_to_group(self, username: str, role: Role) -> None:
        if username not in self.users:
            raise UserNotFound(username)
        user = self.users[username]
        if role not in user.roles:
            self.users[username] = user.model_copy(update={"roles": tuple(r for r in Role if r in user.roles or r is role)})


class FixedPasswords:
    def temporary_password(self) -> str:
        return "Temp#Passw0rd-2026"


def staff(username: str, *roles: Role, department_id: str | None = "market", user_id: str | None = None) -> StaffUser:
    return StaffUser(
        username=username,
        user_id=user_id or f"sub-{username}",
        full_name=f"用户{username}",
        department_id=department_id,
        roles=roles,
    )


class InMemorySessionRevocations:
    """SessionRevocations with the adapter's rule: the mark moves forward, never back."""

    def __init__(self) -> None:
        self.marks: dict[str, tuple[int, str]] = {}

    def revoked_before(self, user_id: str) -> int | None:
        mark = self.marks.get(user_id)
        return mark[0] if mark else None

    def revoke(self, user_id: str, at: int, reason: str) -> None:
        current = self.marks.get(user_id)
        if current is None or current[0] < at:
            self.marks[user_id] = (at, reason)
