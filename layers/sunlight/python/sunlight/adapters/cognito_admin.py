"""Staff accounts in the Cognito user pool, through the cognito-idp Admin* APIs.

Roles are the pool's groups (sunlight.models.roles.Role), the department is the
`custom:department` attribute, the display name the standard `name`. The API function's role
is granted exactly the actions called here (infra/constructs/api.py)."""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from sunlight.models.roles import Role
from sunlight.models.users import StaffUser
from sunlight.services.errors import Unavailable
from sunlight.services.ports import UserExists, UserNotFound

DEPARTMENT_ATTRIBUTE = "custom:department"  # infra.constants.DEPARTMENT_ATTRIBUTE with Cognito's prefix
GOVERNMENT_ATTRIBUTE = "custom:government"  # infra.constants.GOVERNMENT_ATTRIBUTE: a 监察局's level
GROUP_LOOKUP_WORKERS = 8  # a page's members' groups are read in parallel

# Every action this adapter calls (the CDK grant and its test use this list).
COGNITO_ACTIONS = (
    "cognito-idp:ListUsersInGroup",
    "cognito-idp:AdminListGroupsForUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminUpdateUserAttributes",
    "cognito-idp:AdminDeleteUserAttributes",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminSetUserPassword",
)

_UNAVAILABLE = "用户目录暂时无法访问，请稍后重试。"
_RETRYABLE = frozenset({"TooManyRequestsException", "InternalErrorException", "LimitExceededException"})


class CognitoUserDirectory:
    """Implements `sunlight.services.ports.UserDirectory`."""

    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def list_group(self, group: Role, limit: int, token: str | None) -> tuple[list[StaffUser], str | None]:
        params: dict[str, Any] = {"UserPoolId": self._pool, "GroupName": group.value, "Limit": min(limit, 60)}
        if token:
            params["NextToken"] = token
        response = self._call("list_users_in_group", **params)
        raw = response.get("Users", [])
        with ThreadPoolExecutor(max_workers=GROUP_LOOKUP_WORKERS) as pool:
            groups = list(pool.map(lambda user: self._groups(user["Username"]), raw))
        users = [_user_of(user, user.get("Attributes", []), roles) for user, roles in zip(raw, groups, strict=True)]
        return users, response.get("NextToken") or None

    def get_user(self, username: str) -> StaffUser | None:
        try:
            response = self._call("admin_get_user", UserPoolId=self._pool, Username=username)
        except UserNotFound:
            return None
        return _user_of(response, response.get("UserAttributes", []), self._groups(username))

    def create_user(self, user: StaffUser, temporary_password: str) -> StaffUser:
        attributes = [{"Name": "name", "Value": user.full_name}]
        if user.department_id:
            attributes.append({"Name": DEPARTMENT_ATTRIBUTE, "Value": user.department_id})
        if user.government_id:
            attributes.append({"Name": GOVERNMENT_ATTRIBUTE, "Value": user.government_id})
        try:
            self._call(
                "admin_create_user",
                UserPoolId=self._pool,
                Username=user.username,
                UserAttributes=attributes,
                TemporaryPassword=temporary_password,
                MessageAction="SUPPRESS",  # the administrator hands the temporary password over
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "UsernameExistsException":
                raise UserExists(user.username) from error
            raise
        for role in user.roles:
            self._call("admin_add_user_to_group", UserPoolId=self._pool, Username=user.username, GroupName=role.value)
        created = self.get_user(user.username)
        assert created is not None
        return created

    def update_user(
        self, username: str, *, full_name: str, department_id: str | None, add: Sequence[Role], remove: Sequence[Role],
        government_id: str | None = None,
    ) -> None:
        attributes = [{"Name": "name", "Value": full_name}]
        if department_id:
            attributes.append({"Name": DEPARTMENT_ATTRIBUTE, "Value": department_id})
        if government_id:
            attributes.append({"Name": GOVERNMENT_ATTRIBUTE, "Value": government_id})
        self._call("admin_update_user_attributes", UserPoolId=self._pool, Username=username, UserAttributes=attributes)
        cleared = [name for name, value in ((DEPARTMENT_ATTRIBUTE, department_id), (GOVERNMENT_ATTRIBUTE, government_id)) if not value]
        # The attributes allow no empty value: remove the cleared ones the account has (removing one it
        # does not have is an error).
        held = {a["Name"] for a in self._call("admin_get_user", UserPoolId=self._pool, Username=username).get("UserAttributes", [])} if cleared else set()
        if removed := [name for name in cleared if name in held]:
            self._call("admin_delete_user_attributes", UserPoolId=self._pool, Username=username, UserAttributeNames=removed)
        for role in add:
            self._call("admin_add_user_to_group", UserPoolId=self._pool, Username=username, GroupName=role.value)
        for role in remove:
            self._call("admin_remove_user_from_group", UserPoolId=self._pool, Username=username, GroupName=role.value)

    def set_enabled(self, username: str, enabled: bool) -> None:
        if enabled:
            self._call("admin_enable_user", UserPoolId=self._pool, Username=username)
            return
        self._call("admin_disable_user", UserPoolId=self._pool, Username=username)
        self._call("admin_user_global_sign_out", UserPoolId=self._pool, Username=username)

    def reset_password(self, username: str, temporary_password: str) -> None:
        self._call("admin_set_user_password", UserPoolId=self._pool, Username=username,
                   Password=temporary_password, Permanent=False)
        self._call("admin_user_global_sign_out", UserPoolId=self._pool, Username=username)

    def set_name(self, username: str, name: str) -> None:
        self._call("admin_update_user_attributes", UserPoolId=self._pool, Username=username,
                   UserAttributes=[{"Name": "name", "Value": name}])

    def add_to_group(self, username: str, role: Role) -> None:
        self._call("admin_add_user_to_group", UserPoolId=self._pool, Username=username, GroupName=role.value)

    # -- helpers --------------------------------------------------------------------------------

    def _groups(self, username: str) -> tuple[Role, ...]:
        names: set[str] = set()
        token = None
        while True:
            params: dict[str, Any] = {"UserPoolId": self._pool, "Username": username, "Limit": 60}
            if token:
                params["NextToken"] = token
            response = self._call("admin_list_groups_for_user", **params)
            names.update(group["GroupName"] for group in response.get("Groups", []))
            token = response.get("NextToken")
            if not token:
                return tuple(role for role in Role if role.value in names)

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code == "UserNotFoundException":
                raise UserNotFound(params.get("Username", "")) from error
            if code in _RETRYABLE:
                raise Unavailable(_UNAVAILABLE) from error
            raise


class SecretsPasswordGenerator:
    """Temporary passwords for the pool's policy: 16 characters with lower and upper case
    letters, digits and symbols (infra/constructs/identity.py asks for 12 and all four)."""

    SYMBOLS = "!#$%&*+-=?@^_"

    def temporary_password(self) -> str:
        alphabet = string.ascii_letters + string.digits + self.SYMBOLS
        while True:
            password = "".join(secrets.choice(alphabet) for _ in range(16))
            if (
                any(c.islower() for c in password)
                and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password)
                and any(c in self.SYMBOLS for c in password)
            ):
                return password


def _user_of(user: dict[str, Any], attributes: list[dict[str, str]], roles: tuple[Role, ...]) -> StaffUser:
    values = {a["Name"]: a["Value"] for a in attributes}
    return StaffUser(
        username=user["Username"],
        user_id=values.get("sub", user["Username"]),
        full_name=values.get("name") or user["Username"],
        department_id=values.get(DEPARTMENT_ATTRIBUTE) or None,
        government_id=values.get(GOVERNMENT_ATTRIBUTE) or None,
        roles=roles,
        enabled=bool(user.get("Enabled", True)),
        status=user.get("UserStatus", ""),
        created_at=user.get("UserCreateDate"),
    )
