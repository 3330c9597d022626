"""Users and sessions (用户与角色): staff accounts in the user pool, temporary passwords, and the
per-user revocation of sign-ins."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sunlight.models.roles import Role
from sunlight.models.users import StaffUser


class UserExists(Exception):
    """The username is taken."""


class UserNotFound(Exception):
    pass


class UserDirectory(Protocol):
    """Staff accounts in the user pool (see adapters/cognito_admin.py). Unknown users: None or
    UserNotFound."""

    def list_group(self, group: Role, limit: int, token: str | None) -> tuple[list[StaffUser], str | None]:
        """Up to `limit` members of one group (each with all its roles), and the token to continue."""
        ...

    def get_user(self, username: str) -> StaffUser | None: ...

    def create_user(self, user: StaffUser, temporary_password: str) -> StaffUser:
        """Creates the account (must change its password at first sign-in) and adds its groups;
        raises UserExists."""
        ...

    def update_user(self, username: str, *, full_name: str, department_id: str | None, add: Sequence[Role], remove: Sequence[Role],
                    government_id: str | None = None) -> None: ...

    def set_enabled(self, username: str, enabled: bool) -> None:
        """Disabling also signs the user out everywhere (refresh tokens revoked)."""
        ...

    def reset_password(self, username: str, temporary_password: str) -> None:
        """Replaces the password by a temporary one that must be changed at the next sign-in,
        and signs the user out everywhere."""
        ...

    def set_name(self, username: str, name: str) -> None:
        """The display name (the standard `name`), as an administrator writes it."""

    def add_to_group(self, username: str, role: Role) -> None:
        """Adds the user to the role's group (adding twice is harmless)."""
        ...


class PasswordGenerator(Protocol):
    def temporary_password(self) -> str:
        """A password that satisfies the pool's policy."""
        ...


class SessionRevocations(Protocol):
    """Per user: sign-ins at or before this moment (epoch seconds) no longer count (an account
    disabled, its password reset, its roles changed, or the user signed out everywhere)."""

    def revoked_before(self, user_id: str) -> int | None: ...

    def revoke(self, user_id: str, at: int, reason: str) -> None:
        """Moves the mark forward (never back)."""
