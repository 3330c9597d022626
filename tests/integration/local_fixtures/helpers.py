"""Helpers shared by the local runner's tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import jwt
from moto.utilities.utils import load_resource

T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], timeout: float = 10.0, interval: float = 0.05) -> T:
    """Polls until probe() returns something truthy (asynchronous executions and deliveries)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {timeout} s from {probe}")
        time.sleep(interval)


def sign_with_moto_key(claims: dict[str, Any]) -> str:
    """A token signed by moto's Cognito key, with claims of our choosing (expired, wrong issuer...)."""
    private_jwk = load_resource("cognitoidp/resources/jwks-private.json")
    return jwt.encode(claims, jwt.PyJWK(private_jwk).key, algorithm="RS256", headers={"kid": private_jwk["kid"]})


def create_user_id_token(cognito: Any, pool_id: str, client_id: str, email: str, groups: list[str],
                         attributes: dict[str, str] | None = None) -> dict[str, str]:
    """Creates a confirmed user in groups and signs in with USER_PASSWORD_AUTH: the tokens."""
    password = "Sunl1ght!pass"
    cognito.admin_create_user(
        UserPoolId=pool_id, Username=email, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email},
                        *({"Name": k, "Value": v} for k, v in (attributes or {}).items())])
    cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)
    return cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": email, "PASSWORD": password})["AuthenticationResult"]
