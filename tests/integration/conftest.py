"""Integration fixtures: the synthesized stack provisioned into moto in-process (mock_aws), so
adapters and handlers meet the tables, bucket, bus and flow exactly as the template defines them."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from infra.local.events import install_rule_delivery, uninstall_rule_delivery
from infra.local.lambda_dispatch import merged_environment
from infra.local.provision import Provisioner, ProvisionedStack
from infra.local.template import PseudoParameters, Template

TEMPLATE = Path(__file__).resolve().parents[2] / "cdk.out" / "Sunlight.template.json"
REGION = "us-east-1"


@pytest.fixture
def aws_credentials(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


class RecordedDeliveries:
    """What the bus's rules would deliver to Lambda and Step Functions targets. moto raises
    NotImplementedError for those targets; in-process tests record the deliveries instead (with
    the local runner's patch, infra/local/events.py) and invoke the handlers themselves."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, dict]] = []  # (target ARN, the event as the target gets it)

    def deliver(self, target_arn: str, payload: str, source: str) -> None:
        self.deliveries.append((target_arn, json.loads(payload)))

    def to(self, target_arn: str) -> list[dict]:
        return [event for arn, event in self.deliveries if arn == target_arn]


@dataclass
class ProvisionedAws:
    stack: ProvisionedStack
    environment: dict[str, str]  # what the functions' environments resolve to
    delivered: RecordedDeliveries = field(default_factory=RecordedDeliveries)

    def __getitem__(self, output: str) -> str:
        return self.stack.outputs[output]


@pytest.fixture(scope="session")
def synthesized_template() -> Template:
    return Template.load(TEMPLATE)


@pytest.fixture
def aws_resources(aws_credentials, synthesized_template):
    """Every resource of the synthesized template, created in an in-process moto."""
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        stack = Provisioner(synthesized_template, session, endpoint_url=None, pseudo=PseudoParameters(region=REGION)).provision()
        ours = [spec for spec in stack.functions.values() if spec.handler.split(".")[0] in {"http_api", "flow_step"}]
        delivered = RecordedDeliveries()
        install_rule_delivery(delivered)
        try:
            yield ProvisionedAws(stack, merged_environment(ours), delivered)
        finally:
            uninstall_rule_delivery()


@pytest.fixture
def aws_system(aws_resources):
    """The stack with the demo catalog seeded."""
    from infra.seed import seed_all

    seed_all(aws_resources.stack.outputs, boto3.Session(region_name=REGION))
    return aws_resources
