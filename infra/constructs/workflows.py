"""Lambda layers, the flow-step function and one state machine per flow pattern."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.python_function import (
    ARCHITECTURE,
    CODE_EXCLUDES,
    OPERATIONAL_LOG_RETENTION,
    RUNTIME,
    python_function,
)
from infra.nag import WILDCARD_RESOURCE, acknowledge, acknowledge_index_queries

# The placeholder the ASL uses for the flow-step function's ARN.
FLOW_STEP_FUNCTION_ARN_SUBSTITUTION = "FlowStepFunctionArn"


def _layer(scope: Construct, construct_id: str, directory: Path, description: str) -> lambda_.LayerVersion:
    return lambda_.LayerVersion(
        scope,
        construct_id,
        description=description,
        code=lambda_.Code.from_asset(str(directory), exclude=[*CODE_EXCLUDES, ".built"]),
        compatible_runtimes=[RUNTIME],
        compatible_architectures=[ARCHITECTURE],
    )


class Workflows:
    def __init__(self, scope: Construct, *, data: Data) -> None:
        if not (constants.DEPS_LAYER_DIR / "python").is_dir():
            raise FileNotFoundError(f"{constants.DEPS_LAYER_DIR} is missing: run `make setup` first")

        self.sunlight_layer = _layer(
            scope, "SunlightLayer", constants.LAYER_DIR, "The sunlight package: models, rules, settings"
        )
        self.deps_layer = _layer(
            scope,
            "DepsLayer",
            constants.DEPS_LAYER_DIR,
            "Third-party packages: powertools, pydantic, holidays",
        )
        self.layers: list[lambda_.ILayerVersion] = [self.deps_layer, self.sunlight_layer]

        self.flow_step_function = python_function(
            scope,
            constants.FLOW_STEP_FUNCTION_ID,
            description="Enters, finalizes and suspends steps of approval flows",
            handler=constants.FLOW_STEP_HANDLER,
            layers=self.layers,
            environment={
                constants.EnvKeys.CASES_TABLE: data.cases_table.table_name,
                constants.EnvKeys.CATALOG_TABLE: data.catalog_table.table_name,
                constants.EnvKeys.EVENT_BUS: data.event_bus.event_bus_name,
            },
        )
        data.cases_table.grant_read_write_data(self.flow_step_function)
        # Steps read time limits from the catalog; the catalog is maintained through the API.
        data.catalog_table.grant_read_data(self.flow_step_function)
        data.event_bus.grant_put_events_to(self.flow_step_function)
        acknowledge_index_queries(self.flow_step_function, data.cases_table, data.catalog_table)

        # One state machine per flow pattern, each from its own ASL file (constants.FLOW_ASL).
        self.flows: dict[str, sfn.StateMachine] = {
            pattern: self._flow(scope, constants.FLOW_IDS[pattern], asl) for pattern, asl in constants.FLOW_ASL.items()
        }

    def grant_start_execution(self, grantee: iam.IGrantable) -> None:
        for flow in self.flows.values():
            flow.grant_start_execution(grantee)

    def grant_task_response(self, grantee: iam.IGrantable) -> None:
        for flow in self.flows.values():
            flow.grant_task_response(grantee)

    def state_machine_arns(self, scope: Construct) -> str:
        """The FLOW_STATE_MACHINES environment value: {"<pattern>": "<state machine ARN>"} as JSON."""
        return Stack.of(scope).to_json_string({pattern: flow.state_machine_arn for pattern, flow in self.flows.items()})

    def _flow(self, scope: Construct, construct_id: str, asl: Path) -> sfn.StateMachine:
        flow = sfn.StateMachine(
            scope,
            construct_id,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_string(asl.read_text(encoding="utf-8")),
            definition_substitutions={
                FLOW_STEP_FUNCTION_ARN_SUBSTITUTION: self.flow_step_function.function_arn,
            },
            logs=sfn.LogOptions(
                destination=logs.LogGroup(
                    scope,
                    f"{construct_id}Logs",
                    retention=OPERATIONAL_LOG_RETENTION,
                    removal_policy=RemovalPolicy.RETAIN,
                ),
                level=sfn.LogLevel.ALL,
                # Execution data carries applicants' personal information.
                include_execution_data=False,
            ),
            tracing_enabled=True,
        )
        # The ASL invokes the unqualified function ARN only: no version/alias wildcard needed.
        flow.add_to_role_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"],
                resources=[self.flow_step_function.function_arn],
            )
        )
        acknowledge(
            flow,
            "Log delivery (logs:*LogDelivery, DescribeLogGroups, DescribeResourcePolicies, "
            "PutResourcePolicy) and X-Ray tracing actions have no resource-level permissions.",
            WILDCARD_RESOURCE,
        )
        return flow
