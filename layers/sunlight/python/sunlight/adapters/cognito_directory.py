"""The staff directory: users of the Cognito user pool by group (inspectors for the daily watch,
a department's handlers and leaders for a responsibility finding)."""

from __future__ import annotations

from typing import Any

from ..models.orders import StaffMember


class CognitoDirectory:
    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client
        self._pool = user_pool_id

    def members(self, group: str) -> list[StaffMember]:
        members: list[StaffMember] = []
        kwargs: dict[str, Any] = {"UserPoolId": self._pool, "GroupName": group, "Limit": 60}
        while True:
            response = self._client.list_users_in_group(**kwargs)
            for user in response.get("Users", []):
                if not user.get("Enabled", True):
                    continue
                attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                username = user["Username"]
                members.append(StaffMember(
                    user_id=attributes.get("sub", username), username=username, name=attributes.get("name", username),
                    roles=(group,), department_id=attributes.get("custom:department") or None,
                    government_id=attributes.get("custom:government") or None,
                ))
            token = response.get("NextToken")
            if not token:
                return members
            kwargs["NextToken"] = token
