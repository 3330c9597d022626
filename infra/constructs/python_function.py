"""The one way this stack builds a Python Lambda function: same runtime, layers and logging."""

from __future__ import annotations

from typing import cast

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import constants
from infra.nag import LAMBDA_BASIC_EXECUTION_ROLE, WILDCARD_RESOURCE, acknowledge

# The deps layer is built for exactly this runtime and architecture (infra/build_deps_layer.py).
RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
if RUNTIME.name != f"python{constants.LAMBDA_PYTHON_VERSION}" or "aarch64" not in constants.LAMBDA_PLATFORM:
    raise RuntimeError("infra/constants.py LAMBDA_* and the CDK runtime/architecture disagree")

# Test code and byte-code compiled by the host Python must not ship.
CODE_EXCLUDES = ["**/__pycache__", "**/*.pyc", "**/tests", "**/.pytest_cache", "**/*.egg-info"]

# China's Cybersecurity Law (网络安全法, art. 21) asks for network logs to be kept six months.
OPERATIONAL_LOG_RETENTION = logs.RetentionDays.SIX_MONTHS

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_URL_TTL_SECONDS = 300


def powertools_environment() -> dict[str, str]:
    return {
        "POWERTOOLS_SERVICE_NAME": constants.SERVICE_NAME,
        "POWERTOOLS_METRICS_NAMESPACE": constants.METRICS_NAMESPACE,
        "POWERTOOLS_LOG_LEVEL": "INFO",
    }


def function_code() -> lambda_.Code:
    # functions/ belongs to the handler authors and may not exist yet on a fresh branch;
    # an empty asset still synthesizes.
    constants.FUNCTIONS_DIR.mkdir(exist_ok=True)
    return lambda_.Code.from_asset(str(constants.FUNCTIONS_DIR), exclude=CODE_EXCLUDES)


def python_function(
    scope: Construct,
    construct_id: str,
    *,
    handler: str,
    layers: list[lambda_.ILayerVersion],
    environment: dict[str, str],
    description: str,
) -> lambda_.Function:
    log_group = logs.LogGroup(
        scope,
        f"{construct_id}Logs",
        retention=OPERATIONAL_LOG_RETENTION,
        removal_policy=RemovalPolicy.RETAIN,
    )
    function = lambda_.Function(
        scope,
        construct_id,
        description=description,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        code=function_code(),
        handler=handler,
        layers=layers,
        environment={**environment, **powertools_environment()},
        memory_size=512,
        timeout=Duration.seconds(30),
        tracing=lambda_.Tracing.ACTIVE,
        log_group=log_group,
    )
    acknowledge(
        function,
        "AWSLambdaBasicExecutionRole only lets the function write its own logs; it is the "
        "AWS-documented policy for that.",
        LAMBDA_BASIC_EXECUTION_ROLE,
    )
    acknowledge(
        function,
        "Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which have no "
        "resource-level permissions.",
        WILDCARD_RESOURCE,
    )
    acknowledge(
        function,
        f"Python {constants.LAMBDA_PYTHON_VERSION} is pinned: the deps layer is built for it "
        "(infra/build_deps_layer.py) and the handlers are tested on it. Upgrade all three together.",
        "AwsSolutions-L1",
    )
    return function


def cfn_function(function: lambda_.Function) -> lambda_.CfnFunction:
    """The function's CloudFormation resource, for properties its construct does not set (CDK types it loosely)."""
    return cast(lambda_.CfnFunction, function.node.default_child)


def role_of(function: lambda_.Function) -> iam.IRole:
    """The execution role that every function of python_function has (CDK types it as optional)."""
    return cast(iam.IRole, function.role)
