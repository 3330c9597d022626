"""The composition root builds the real services on the ports it is given (tests give fakes)."""

from __future__ import annotations

import pytest

from sunlight.bootstrap import Container
from tests.fakes.cases import FakeCatalog, InMemoryCases
from tests.unit.conftest import CITIZEN, DEPARTMENTS, ITEM, WORLD_SETTINGS, World


def test_services_on_given_ports_make_no_aws_client(monkeypatch):
    def no_aws(self, service):
        raise AssertionError(f"an AWS client was made: {service}")

    monkeypatch.setattr(Container, "_client", no_aws)
    world = World()
    services = world.services
    for name in ("applications", "staff", "tracking", "flow", "deadlines", "procedures", "cards"):
        assert getattr(services, name) is not None
    case_id = world.submitted_case()
    assert world.cases.get(case_id).applicant_user_id == CITIZEN.user_id  # stored in the fake given
    assert services.tracking.my_case(CITIZEN, case_id).case_id == case_id  # every service shares it


def test_each_port_and_service_is_built_once_per_container():
    services = Container(WORLD_SETTINGS, cases=InMemoryCases(), catalog=FakeCatalog([ITEM], DEPARTMENTS))
    assert services.ids is services.ids and services.upload_policy is services.upload_policy
    assert services.catalog_service is services.catalog_service
    assert services.catalog_service.get_item(ITEM.item_code).item_code == ITEM.item_code  # on the given catalog


def test_a_port_not_given_is_the_aws_adapter(monkeypatch):
    made = []
    monkeypatch.setattr(Container, "_client", lambda self, service: made.append(service) or object())
    services = Container(WORLD_SETTINGS)
    assert type(services.workflow).__name__ == "StepFunctionsWorkflowEngine" and made == ["stepfunctions"]
    with pytest.raises(AttributeError):
        services.not_a_port  # noqa: B018  (no such factory)
