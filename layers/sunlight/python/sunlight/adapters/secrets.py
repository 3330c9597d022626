"""Secrets Manager: the one secret value a function reads at start (the page cursor key)."""

from __future__ import annotations

from typing import Any


def read_secret_string(client: Any, secret_arn: str) -> str:
    return str(client.get_secret_value(SecretId=secret_arn)["SecretString"])
