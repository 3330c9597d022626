"""Parity: what the synthesized templates declare exists in the local system the same way.

Reads every stack's template of cdk.out (`make test` synthesizes them first) and reads every
resource back from moto with describe_* calls.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from infra.constants import (
    API_FUNCTIONS,
    API_ID,
    API_ROUTES_STACK_NAME,
    DATA_STACK_NAME,
    DEPARTMENT_ATTRIBUTE,
    FLOW_ASL,
    FLOW_IDS,
    FLOW_STEP_HANDLER,
    ROUTES,
    STACK_NAMES,
    USER_GROUPS,
)
from infra.local.engine.gateway import RouteTable
from infra.local.engine.template import (
    IntrinsicResolver,
    Template,
    apply_definition_substitutions,
    load_stacks,
    stack_resolvers,
)
from infra.local.runner import DEFAULT_ASSEMBLY
from tests.local_process import LocalSystemProcess as LocalSystem


@pytest.fixture(scope="session")
def real_templates() -> list[Template]:
    if not (DEFAULT_ASSEMBLY / "manifest.json").is_file():
        pytest.fail(f"{DEFAULT_ASSEMBLY} is missing: run `make synth` (make test does it first)")
    return load_stacks(DEFAULT_ASSEMBLY)


@pytest.fixture(scope="module")
def resolvers(system: LocalSystem, real_templates: list[Template]) -> dict[str, IntrinsicResolver]:
    """Each stack's values as the running system resolved them (its physical ids and attributes,
    read from its state file; cross-stack references through the stacks' outputs)."""
    return stack_resolvers(real_templates, system.physical_ids, system.attributes, system.region)


def aws(system: LocalSystem, service: str) -> Any:
    return system.session.client(service, endpoint_url=system.moto_url)


def resources(templates: list[Template], resource_type: str) -> list[tuple[Template, str, dict[str, Any]]]:
    """(the stack's template, logical id, resource) of every resource of a type, in any stack."""
    found = [(template, lid, resource) for template in templates
             for lid, resource in template.resources_of_type(resource_type).items()]
    assert found, f"no stack has a {resource_type}"
    return found


def test_every_stack_is_provisioned_data_first(system: LocalSystem, real_templates: list[Template]) -> None:
    assert [t.stack_name for t in real_templates] == system.stacks
    assert set(system.stacks) == set(STACK_NAMES) and system.stacks[0] == DATA_STACK_NAME


def test_tables_keys_and_indexes(system: LocalSystem, real_templates: list[Template]) -> None:
    for _, logical_id, resource in resources(real_templates, "AWS::DynamoDB::Table"):
        props = resource["Properties"]
        table = aws(system, "dynamodb").describe_table(TableName=system.physical_ids[logical_id])["Table"]
        assert table["KeySchema"] == props["KeySchema"]
        assert sorted(table["AttributeDefinitions"], key=str) == sorted(props["AttributeDefinitions"], key=str)
        assert table["BillingModeSummary"]["BillingMode"] == props.get("BillingMode", "PROVISIONED")
        local_indexes = {i["IndexName"]: (i["KeySchema"], i["Projection"]) for i in table.get("GlobalSecondaryIndexes", [])}
        assert local_indexes == {i["IndexName"]: (i["KeySchema"], i["Projection"])
                                 for i in props.get("GlobalSecondaryIndexes", [])}
        if "StreamSpecification" in props:
            assert table["StreamSpecification"]["StreamViewType"] == props["StreamSpecification"]["StreamViewType"]


def test_functions_handlers_and_environment(system: LocalSystem, real_templates: list[Template],
        resolvers: dict[str, IntrinsicResolver]) -> None:
    handlers = set()
    for template, logical_id, resource in resources(real_templates, "AWS::Lambda::Function"):
        resolver = resolvers[template.stack_name]
        props = resource["Properties"]
        config = aws(system, "lambda").get_function_configuration(
            FunctionName=resolver.ref(logical_id))
        handlers.add(config["Handler"])
        assert config["Handler"] == props["Handler"] and config["Runtime"] == props["Runtime"]
        assert config["Timeout"] == props.get("Timeout", 3) and config["MemorySize"] == props.get("MemorySize", 128)
        template_env = props.get("Environment", {}).get("Variables", {})
        local_env = config.get("Environment", {}).get("Variables", {})
        assert set(local_env) == set(template_env)
        for key, value in template_env.items():
            if isinstance(value, dict) and "Ref" in value:  # a Ref names a resource that exists locally
                assert local_env[key] == system.physical_ids[value["Ref"]], key
            else:
                assert local_env[key] == resolver.resolve(value), key
    assert {*(spec.handler for spec in API_FUNCTIONS), FLOW_STEP_HANDLER} <= handlers


def test_state_machine_is_the_asl_file_with_substitutions(system: LocalSystem, real_templates: list[Template],
        resolvers: dict[str, IntrinsicResolver]) -> None:
    machines = list(resources(real_templates, "AWS::StepFunctions::StateMachine"))
    assert len(machines) == len(FLOW_ASL)  # one per flow pattern
    for template, logical_id, resource in machines:
        resolver = resolvers[template.stack_name]
        props = resource["Properties"]
        pattern = next(p for p, flow_id in FLOW_IDS.items() if logical_id.startswith(flow_id))
        asl = FLOW_ASL[pattern].read_text(encoding="utf-8")
        described = aws(system, "stepfunctions").describe_state_machine(
            stateMachineArn=system.physical_ids[logical_id])
        substitutions = resolver.resolve(props.get("DefinitionSubstitutions", {}))
        assert json.loads(described["definition"]) == json.loads(apply_definition_substitutions(asl, substitutions))
        assert "${" not in described["definition"]
        for arn in substitutions.values():  # each substituted ARN names a function that exists
            aws(system, "lambda").get_function(FunctionName=arn)
        assert described["roleArn"] == resolver.resolve(props["RoleArn"])
        assert described["type"] == props.get("StateMachineType", "STANDARD")


def test_event_buses_and_rules(system: LocalSystem, real_templates: list[Template],
        resolvers: dict[str, IntrinsicResolver]) -> None:
    events = aws(system, "events")
    for _, logical_id, _ in resources(real_templates, "AWS::Events::EventBus"):
        events.describe_event_bus(Name=system.physical_ids[logical_id])
    for template, logical_id, resource in resources(real_templates, "AWS::Events::Rule"):
        props = resolvers[template.stack_name].resolve(resource["Properties"])
        bus = props.get("EventBusName", "default")
        name = system.physical_ids[logical_id].split("|")[-1]
        rule = events.describe_rule(Name=name, EventBusName=bus)
        assert rule["State"] == props.get("State", "ENABLED")
        if "EventPattern" in props:
            assert json.loads(rule["EventPattern"]) == props["EventPattern"]
        if "ScheduleExpression" in props:
            assert rule["ScheduleExpression"] == props["ScheduleExpression"]
        targets = events.list_targets_by_rule(Rule=name, EventBusName=bus)["Targets"]
        assert {(t["Id"], t["Arn"]) for t in targets} == {(t["Id"], t["Arn"]) for t in props.get("Targets", [])}


def test_user_pool_attributes_groups_and_client(system: LocalSystem, real_templates: list[Template]) -> None:
    cognito = aws(system, "cognito-idp")
    pool_id = system.outputs["UserPoolId"]
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert f"custom:{DEPARTMENT_ATTRIBUTE}" in {a["Name"] for a in pool["SchemaAttributes"]}
    groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    assert groups == set(USER_GROUPS)
    for _, logical_id, resource in resources(real_templates, "AWS::Cognito::UserPoolClient"):
        local = cognito.describe_user_pool_client(
            UserPoolId=pool_id, ClientId=system.physical_ids[logical_id])["UserPoolClient"]
        assert local.get("ExplicitAuthFlows") == resource["Properties"].get("ExplicitAuthFlows")
        # The exchange's clients: client credentials with exactly their scopes, as deployed.
        assert local.get("AllowedOAuthFlows") == resource["Properties"].get("AllowedOAuthFlows")
        assert bool(local.get("ClientSecret")) == bool(resource["Properties"].get("GenerateSecret"))


def test_gateway_serves_exactly_the_contract_routes(system: LocalSystem, real_templates: list[Template]) -> None:
    # The public API (the exchange's RestApi, served on a gateway of its own, is tested in tests/e2e/test_inbound_http.py).
    ((api_template, api_logical_id, _),) = [r for r in resources(real_templates, "AWS::ApiGateway::RestApi")
                                            if r[1].startswith(API_ID)]
    # The methods are in the routes stack, on the API stack's resources.
    routes = RouteTable.from_templates(real_templates, (api_template.stack_name, api_logical_id))
    assert {m.stack_name for m in routes.methods.values()} == {API_ROUTES_STACK_NAME}
    served = {(m.http_method, m.resource_path, m.authorization_type == "COGNITO_USER_POOLS")
              for m in routes.methods.values() if m.http_method != "OPTIONS"}
    assert served == {(r.method, r.path, r.authenticated) for r in ROUTES}
    for route in ROUTES:
        if route.authenticated:  # every protected route answers 401 without a token, before any handler
            path = route.path.replace("{", "").replace("}", "")
            response = requests.request(route.method, f"{system.api_url}{path}", timeout=10)
            assert response.status_code == 401, route
    assert requests.get(f"{system.api_url}/no/such/route", timeout=10).status_code == 403


def test_outputs_point_at_the_local_servers(system: LocalSystem) -> None:
    assert system.outputs["ApiUrl"] == f"{system.api_url}/"
    assert system.outputs["WebUrl"] == system.web_url
    assert requests.get(f"{system.web_url}/config.json", timeout=10).json()["apiUrl"] == system.outputs["ApiUrl"]


def test_web_sends_the_distributions_response_headers_localized(system: LocalSystem, real_templates: list[Template],
        resolvers: dict[str, IntrinsicResolver]) -> None:
    [(web_template, _, distribution)] = resources(real_templates, "AWS::CloudFront::Distribution")
    policy_id = distribution["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"]
    config = resolvers[web_template.stack_name].resolve(
        web_template.resources[policy_id]["Properties"]["ResponseHeadersPolicyConfig"])
    security = config["SecurityHeadersConfig"]
    headers = requests.get(f"{system.web_url}/", timeout=10).headers
    assert headers["X-Frame-Options"] == security["FrameOptions"]["FrameOption"]
    assert headers["Referrer-Policy"] == security["ReferrerPolicy"]["ReferrerPolicy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # plain http locally

    def directives(policy: str) -> dict[str, list[str]]:
        return {d.split()[0]: d.split()[1:] for d in policy.split(";")}

    def local(source: str) -> str:  # what the browser reaches locally instead
        if ".execute-api." in source:
            return f"{system.api_url}/"
        return system.moto_url if "://cognito-idp." in source or ".s3." in source else source

    deployed = directives(security["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    expected = {name: list(dict.fromkeys(local(s) for s in sources)) for name, sources in deployed.items()}
    assert directives(headers["Content-Security-Policy"]) == expected
