"""Fixtures of the state-machine tests: the running local system's Step Functions and cases table,
and composition roots configured as the system's functions are."""

from __future__ import annotations

import json

import boto3
import pytest

from infra.constants import FLOW_IDS
from sunlight.adapters.dynamodb_cases import DynamoCaseRepository


@pytest.fixture(scope="module")
def aws(system):
    def client(service: str):
        return boto3.client(
            service, endpoint_url=system.moto_url, region_name=system.region,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )

    return {
        "sfn": client("stepfunctions"),
        "cases": DynamoCaseRepository(client("dynamodb"), system.outputs["CasesTableName"]),
        "flow_arns": {pattern: system.outputs[f"{flow_id}Arn"] for pattern, flow_id in FLOW_IDS.items()},
        "lambda": client("lambda"),
    }


def _container_as(handler: str, system, aws, tmp_path, monkeypatch):
    """A composition root in this process, configured as the running system's function with this
    handler is (its environment read back from moto's Lambda), on the system's moto and demo clock."""
    import requests

    from sunlight.bootstrap import Container
    from sunlight.config import Settings

    functions = aws["lambda"].list_functions()["Functions"]
    environment = next(f for f in functions if f["Handler"] == handler)["Environment"]["Variables"]
    clock = requests.post(f"{system.web_url}/__local/clock", json={}, timeout=10).json()
    clock_file = tmp_path / "clock.json"
    clock_file.write_text(json.dumps({"offset_seconds": clock["offset_seconds"]}))
    for key, value in {"AWS_ENDPOINT_URL": system.moto_url, "AWS_ACCESS_KEY_ID": "testing",
                       "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": system.region}.items():
        monkeypatch.setenv(key, value)
    return Container(Settings.from_env({**environment, "SUNLIGHT_LOCAL_CLOCK_FILE": str(clock_file)}))


@pytest.fixture
def procedures(system, aws, tmp_path, monkeypatch):
    """The procedures use case, as the running system's office API function has it."""
    from infra.constants import API_OFFICE

    return _container_as(API_OFFICE.handler, system, aws, tmp_path, monkeypatch).procedures


@pytest.fixture
def deadlines(system, aws, tmp_path, monkeypatch):
    """The deadline check's use case, as the running system's deadline-check function has it."""
    from infra.constants import DEADLINE_CHECK_HANDLER

    return _container_as(DEADLINE_CHECK_HANDLER, system, aws, tmp_path, monkeypatch).deadlines
