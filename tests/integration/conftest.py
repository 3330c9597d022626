"""Integration fixtures: the synthesized stack provisioned into moto in-process (mock_aws), so
adapters and handlers meet the tables, bucket, bus and flow exactly as the template defines them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.engine.events import install_rule_delivery, uninstall_rule_delivery
from infra.local.engine.lambda_dispatch import merged_environment
from infra.local.engine.provision import ProvisionedApp, provision_stacks
from infra.local.engine.template import Template, load_stacks

ASSEMBLY = Path(__file__).resolve().parents[2] / "cdk.out"
REGION = "us-east-1"


CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


@pytest.fixture
def aws_credentials(monkeypatch):
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


class RecordedDeliveries:
    """What the bus's rules would deliver to Lambda and Step Functions targets. moto raises
    NotImplementedError for those targets; in-process tests record the deliveries instead (with
    the local runner's patch, infra/local/engine/events.py) and invoke the handlers themselves."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, dict]] = []  # (target ARN, the event as the target gets it)

    def deliver(self, target_arn: str, payload: str, source: str) -> None:
        self.deliveries.append((target_arn, json.loads(payload)))

    def to(self, target_arn: str) -> list[dict]:
        return [event for arn, event in self.deliveries if arn == target_arn]


@dataclass
class ProvisionedAws:
    stack: ProvisionedApp  # every stack of the app
    environment: dict[str, str]  # what the functions' environments resolve to
    delivered: RecordedDeliveries = field(default_factory=RecordedDeliveries)
    seeded: bool = False  # the demo catalog is in (aws_system)

    def __getitem__(self, output: str) -> str:
        return self.stack.outputs[output]


@pytest.fixture(scope="session")
def synthesized_templates() -> list[Template]:
    """Every stack's template, in deployment order."""
    return load_stacks(ASSEMBLY)


class ModuleStack:
    """The app's stacks provisioned in this module's in-process moto: shared by the module's tests,
    which keep apart by their own keys (case ids, usernames, departments). A test marked
    `fresh_stack` (it reads a whole table or an unkeyed record, e.g. the inspector log's one chain)
    gets moto emptied and the template provisioned anew; the tests after it share that one."""

    def __init__(self, templates: list[Template], mock: Any, delivered: RecordedDeliveries) -> None:
        self.templates = templates
        self.mock = mock
        self.delivered = delivered
        self.current: ProvisionedAws | None = None

    def shared(self) -> ProvisionedAws:
        if self.current is None:
            self.current = self._provision()
        return self.current

    def fresh(self) -> ProvisionedAws:
        if self.current is not None:
            # Stopping empties every backend; starting again patches boto3 and requests as at first.
            self.mock.stop()
            self.mock.start()
        self.current = self._provision()
        return self.current

    def _provision(self) -> ProvisionedAws:
        session = boto3.Session(region_name=REGION)
        stack = provision_stacks(self.templates, session, endpoint_url=None, region=REGION)
        ours = [spec for spec in stack.functions.values() if spec.handler.split(".")[0] == "flow_step" or spec.handler.split(".")[0].startswith("api_")]
        return ProvisionedAws(stack, merged_environment(ours), self.delivered)


@pytest.fixture(scope="module")
def provisioned_module(synthesized_templates):
    """One in-process moto per test module, with the template provisioned on first use (it takes
    seconds, once per module instead of once per test)."""
    with pytest.MonkeyPatch.context() as environment:
        for key, value in CREDENTIALS.items():
            environment.setenv(key, value)
        environment.delenv("AWS_ENDPOINT_URL", raising=False)
        mock = mock_aws()
        mock.start()
        delivered = RecordedDeliveries()
        install_rule_delivery(delivered)
        try:
            yield ModuleStack(synthesized_templates, mock, delivered)
        finally:
            uninstall_rule_delivery()
            mock.stop()


@pytest.fixture
def aws_resources(request, aws_credentials, provisioned_module):
    """The module's provisioned stack (a fresh one for a test marked fresh_stack); what the bus
    delivered is this test's only."""
    fresh = request.node.get_closest_marker("fresh_stack") is not None
    provisioned = provisioned_module.fresh() if fresh else provisioned_module.shared()
    provisioned.delivered.deliveries.clear()
    return provisioned


@pytest.fixture
def aws_system(aws_resources):
    """The stack with the demo catalog seeded (once per module)."""
    from infra.seed import seed_all

    if not aws_resources.seeded:
        seed_all(aws_resources.stack.outputs, boto3.Session(region_name=REGION))
        aws_resources.seeded = True
    return aws_resources
