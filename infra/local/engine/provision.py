"""Create the template's resources in moto through the ordinary service APIs.

moto's own CloudFormation is not used: it ignores DefinitionSubstitutions and
DefinitionS3Location and creates state machines in its non-executing backend. Instead each
supported resource type is created from its Properties with boto3, in dependency order, and
its physical id and attributes feed the intrinsic resolver for the resources after it. An app of
several stacks (`provision_stacks`) is provisioned stack by stack in the assembly's dependency
order, each stack's outputs and exports resolving the cross-stack references of the later ones.
"""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

import boto3
from botocore.config import Config

from infra.local.engine.template import (
    IntrinsicResolver,
    PlaceholderAttributes,
    PseudoParameters,
    StackOutputs,
    Template,
    TemplateError,
    apply_definition_substitutions,
    producer_of,
    referenced_logical_ids,
)

log = logging.getLogger(__name__)

DEFAULT_LAMBDA_TIMEOUT_SECONDS = 3
DEFAULT_LAMBDA_MEMORY_MB = 128
# Function properties that CloudFormation applies with calls other than CreateFunction
# (RecursiveLoop: PutFunctionRecursionConfig); moto detects no recursive loops to configure.
NOT_CREATE_FUNCTION_PROPERTIES = frozenset({"RecursiveLoop"})


@dataclass(frozen=True)
class LambdaFunctionSpec:
    """What the dispatcher needs to run a function in-process."""

    logical_id: str
    name: str
    arn: str
    handler: str
    runtime: str
    environment: dict[str, str]
    timeout_seconds: int
    memory_mb: int
    log_group_name: str


@dataclass
class ProvisionedStack:
    """The local deployment of the template: logical id → physical id and attributes."""

    template: Template
    resolver: IntrinsicResolver
    resource_types: dict[str, str] = field(default_factory=dict)
    functions: dict[str, LambdaFunctionSpec] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)  # logical id → type, not created locally
    outputs: dict[str, str] = field(default_factory=dict)
    # logical id → resolved ResponseHeadersPolicyConfig: the local web server sends these headers.
    response_headers_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    # deployed URL → local URL, for what the browser is given (see LocalUrls.browser_rewrites).
    browser_rewrites: dict[str, str] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return self.resolver.pseudo.region

    @property
    def account_id(self) -> str:
        return self.resolver.pseudo.account_id

    def physical_id(self, logical_id: str) -> Any:
        return self.resolver.physical_ids[logical_id]

    def localize_for_browser(self, text: str) -> str:
        """Deployed endpoints the browser reaches (API, site, Cognito, S3) replaced by local ones."""
        return _replace_all(text, self.browser_rewrites)

    def attribute(self, logical_id: str, attribute: str) -> Any:
        return self.resolver.get_att(logical_id, attribute)

    def physical_id_of(self, construct_id: str, resource_type: str | None = None) -> Any:
        return self.physical_id(self.template.logical_id(construct_id, resource_type))

    def function_named(self, name_or_arn: str) -> LambdaFunctionSpec | None:
        name = name_or_arn.split(":function:", 1)[-1].split(":", 1)[0]
        return next((f for f in self.functions.values() if f.name == name), None)


def _dummy_zip() -> bytes:
    # The code never runs in moto: invocations are dispatched to the handlers in-process.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "dispatched in-process by infra.local.engine.lambda_dispatch\n")
    return buffer.getvalue()


def derived_name(stack_name: str, logical_id: str, max_length: int = 64, lowercase: bool = False) -> str:
    """A deterministic stand-in for the `<stack>-<logicalId>-<random>` names CloudFormation generates."""
    name = f"{stack_name}-{logical_id}"
    if lowercase:
        name = re.sub(r"[^a-z0-9.-]", "-", name.lower())
    return name[:max_length].rstrip("-")


def rest_api_id(logical_id: str) -> str:
    """The local id of a RestApi (deterministic, so URLs can be mapped before provisioning)."""
    return re.sub(r"[^a-z0-9]", "", logical_id.lower())[:10]


@dataclass(frozen=True)
class LocalUrls:
    """Where the local gateway and web server listen, to stand in for execute-api and CloudFront."""

    api: str  # e.g. http://127.0.0.1:8000/prod (with the stage, like the execute-api URL)
    web: str  # e.g. http://127.0.0.1:8080
    moto: str = ""  # e.g. http://127.0.0.1:4566: where the browser reaches Cognito and S3 locally
    # Further RestApis (logical id → local URL with the stage), each on a gateway of its own; a
    # RestApi not named here is served at `api`.
    apis: Mapping[str, str] = field(default_factory=dict)
    auth: str = ""  # the local OAuth2 token endpoint's base URL (a user pool domain's, deployed)

    def rewrites(self, template: Template, pseudo: PseudoParameters,
                 templates: Mapping[str, Template] | None = None) -> dict[str, str]:
        """Deployed URLs → local ones; a stage's RestApiId may be a reference to another of the
        app's `templates` (by stack name), followed to the RestApi there."""
        rewrites = {}
        for stage in template.resources_of_type("AWS::ApiGateway::Stage").values():
            try:
                _, api_ref = producer_of(stage["Properties"].get("RestApiId", {}), template.stack_name,
                                         templates or {template.stack_name: template})
            except TemplateError:
                continue  # a RestApi of a stack not given: its URL is not rewritten here
            if isinstance(api_ref, dict) and "Ref" in api_ref and isinstance(stage["Properties"].get("StageName"), str):
                host = f"{rest_api_id(api_ref['Ref'])}.execute-api.{pseudo.region}.{pseudo.url_suffix}"
                rewrites[f"https://{host}/{stage['Properties']['StageName']}"] = self.apis.get(api_ref["Ref"], self.api)
        if self.auth:
            for logical_id in template.resources_of_type("AWS::Cognito::UserPoolDomain"):
                rewrites[f"https://local-{logical_id}.auth.{pseudo.region}.amazoncognito.com"] = self.auth
        for logical_id in template.resources_of_type("AWS::CloudFront::Distribution"):
            placeholder = PlaceholderAttributes(logical_id)["DomainName"]
            rewrites[f"https://{placeholder}"] = self.web
            rewrites[placeholder] = self.web.split("://", 1)[-1]
        return rewrites

    def browser_rewrites(self, stack: ProvisionedStack) -> dict[str, str]:
        """The AWS endpoints the SPA calls itself (Cognito's user-pool API, every bucket's domain
        names, where presigned URLs point) → moto, on top of `rewrites`.

        Kept apart from `rewrites`: handlers and outputs keep the real endpoint names (boto3 goes
        to moto through AWS_ENDPOINT_URL, and token issuers name the real Cognito endpoint)."""
        rewrites = self.rewrites(stack.template, stack.resolver.pseudo)
        if not self.moto:
            return rewrites
        pseudo = stack.resolver.pseudo
        if any(kind == "AWS::Cognito::UserPool" for kind in stack.resource_types.values()):
            rewrites[f"https://cognito-idp.{pseudo.region}.{pseudo.url_suffix}"] = self.moto
        for logical_id, kind in stack.resource_types.items():
            if kind == "AWS::S3::Bucket":
                for attribute in ("RegionalDomainName", "DualStackDomainName", "DomainName"):
                    rewrites[f"https://{stack.attribute(logical_id, attribute)}"] = self.moto
        return rewrites


class Provisioner:
    """Creates each supported resource type with the service API; other types get placeholders."""

    def __init__(self, template: Template, session: boto3.Session, endpoint_url: str | None,
                 pseudo: PseudoParameters | None = None, local_urls: LocalUrls | None = None,
                 stack_outputs: StackOutputs | None = None, url_rewrites: Mapping[str, str] | None = None) -> None:
        self.template = template
        self.session = session
        self.endpoint_url = endpoint_url
        pseudo = pseudo or PseudoParameters(region=session.region_name or "us-east-1")
        self.resolver = IntrinsicResolver(template, pseudo, stack_outputs=stack_outputs or StackOutputs())
        self.stack = ProvisionedStack(template, self.resolver)
        self._clients: dict[str, Any] = {}
        self._local_urls = local_urls
        # An app's stacks share the rewrites of all its templates (an API URL reaches the web stack).
        self._url_rewrites = dict(url_rewrites) if url_rewrites is not None else (
            local_urls.rewrites(template, self.resolver.pseudo) if local_urls else {})
        self._creators: dict[str, Callable[[str, dict[str, Any]], tuple[Any, dict[str, Any]]]] = {
            "AWS::IAM::Role": self._iam_role,
            "AWS::Logs::LogGroup": self._log_group,
            "AWS::DynamoDB::Table": self._dynamodb_table,
            "AWS::DynamoDB::GlobalTable": self._dynamodb_table,
            "AWS::S3::Bucket": self._s3_bucket,
            "AWS::SQS::Queue": self._sqs_queue,
            "AWS::SNS::Topic": self._sns_topic,
            "AWS::SecretsManager::Secret": self._secret,
            "AWS::Events::EventBus": self._event_bus,
            "AWS::Events::Rule": self._event_rule,
            "AWS::Events::Archive": self._event_archive,
            "AWS::Cognito::UserPool": self._user_pool,
            "AWS::Cognito::UserPoolClient": self._user_pool_client,
            "AWS::Cognito::UserPoolGroup": self._user_pool_group,
            "AWS::Cognito::UserPoolResourceServer": self._user_pool_resource_server,
            "AWS::Lambda::LayerVersion": self._lambda_layer,
            "AWS::Lambda::Function": self._lambda_function,
            "AWS::Lambda::EventSourceMapping": self._event_source_mapping,
            "AWS::StepFunctions::StateMachine": self._state_machine,
            # Served by infra.local.engine.gateway, not created in moto: only their ids are needed.
            "AWS::ApiGateway::RestApi": self._rest_api,
            "AWS::ApiGateway::Stage": self._api_stage,
            # Sent by infra.local.web, which stands in for the distribution.
            "AWS::CloudFront::ResponseHeadersPolicy": self._response_headers_policy,
        }

    # -- driver ---------------------------------------------------------------------------------

    def provision(self) -> ProvisionedStack:
        """Creates the template's resources; the stack's outputs are then registered for later stacks."""
        resources = self.template.resources
        graph: dict[str, set[str]] = {}
        for logical_id, resource in resources.items():
            depends_on = resource.get("DependsOn", [])
            depends_on = [depends_on] if isinstance(depends_on, str) else list(depends_on)
            graph[logical_id] = set(depends_on) | set(
                referenced_logical_ids(resource.get("Properties", {}), self.template))
        for logical_id in TopologicalSorter(graph).static_order():
            if self.resolver.is_active(logical_id):
                self._provision_one(logical_id, resources[logical_id])
        self.stack.outputs = self._resolve_outputs()
        if self._local_urls:
            self.stack.browser_rewrites = self._local_urls.browser_rewrites(self.stack)
        return self.stack

    def _provision_one(self, logical_id: str, resource: Mapping[str, Any]) -> None:
        resource_type = resource["Type"]
        creator = self._creators.get(resource_type)
        if creator is None:
            log.debug("not created locally: %s (%s)", logical_id, resource_type)
            self.stack.ignored[logical_id] = resource_type
            self.resolver.physical_ids[logical_id] = f"local-{logical_id}"
            self.resolver.attributes[logical_id] = PlaceholderAttributes(logical_id)
            return
        properties = self.resolver.resolve(resource.get("Properties", {})) or {}
        physical_id, attributes = creator(logical_id, properties)
        log.debug("created %s (%s): %s", logical_id, resource_type, physical_id)
        self.stack.resource_types[logical_id] = resource_type
        self.resolver.physical_ids[logical_id] = physical_id
        self.resolver.attributes[logical_id] = attributes

    def _resolve_outputs(self) -> dict[str, str]:
        """The outputs with local URLs, for people and tools; later stacks get them as deployed
        (registered in the shared StackOutputs), as CloudFormation passes them."""
        outputs = {}
        shared = self.resolver.stack_outputs
        published = shared.outputs.setdefault(self.resolver.pseudo.stack_name, {})
        for name, output in self.template.outputs.items():
            if output.get("Condition") and not self.resolver.condition(output["Condition"]):
                continue
            value = self.resolver.resolve(output["Value"])
            published[name] = value
            if "Export" in output:
                shared.exports[_as_text(self.resolver.resolve(output["Export"]["Name"]))] = value
            outputs[name] = self.localize(value) if isinstance(value, str) else value
        return outputs

    def localize(self, text: str) -> str:
        """Deployed URLs (execute-api, CloudFront) replaced by the local servers' URLs."""
        return _replace_all(text, self._url_rewrites)

    # -- helpers --------------------------------------------------------------------------------

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(
                service, endpoint_url=self.endpoint_url, config=Config(retries={"max_attempts": 2}))
        return self._clients[service]

    def _call(self, service: str, operation: str, **params: Any) -> Any:
        """Calls an API with only the parameters it accepts (CloudFormation-only keys dropped)."""
        client = self.client(service)
        model = client.meta.service_model.operation_model(client.meta.method_to_api_mapping[operation])
        accepted = set(model.input_shape.members) if model.input_shape else set()
        dropped = set(params) - accepted
        if dropped:
            log.debug("%s.%s: ignoring %s", service, operation, sorted(dropped))
        return getattr(client, operation)(**{k: v for k, v in params.items() if k in accepted})

    def _name(self, logical_id: str, max_length: int = 64, lowercase: bool = False) -> str:
        return derived_name(self.resolver.pseudo.stack_name, logical_id, max_length, lowercase)

    def _arn(self, service: str, resource: str, region: bool = True) -> str:
        pseudo = self.resolver.pseudo
        return f"arn:{pseudo.partition}:{service}:{pseudo.region if region else ''}:{pseudo.account_id}:{resource}"

    # -- resource types -------------------------------------------------------------------------

    def _iam_role(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("RoleName") or self._name(logical_id)
        role = self._call("iam", "create_role", **{
            **props, "RoleName": name,
            "AssumeRolePolicyDocument": json.dumps(props.get("AssumeRolePolicyDocument", {})),
        })["Role"]
        for policy in props.get("Policies", []):
            self.client("iam").put_role_policy(RoleName=name, PolicyName=policy["PolicyName"],
                                               PolicyDocument=json.dumps(policy["PolicyDocument"]))
        # ManagedPolicyArns are not attached: nothing evaluates IAM locally.
        return name, {"Arn": role["Arn"], "RoleId": role["RoleId"]}

    def _log_group(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("LogGroupName") or self._name(logical_id, 512)
        self.client("logs").create_log_group(logGroupName=name)
        if "RetentionInDays" in props:
            self.client("logs").put_retention_policy(logGroupName=name,
                                                     retentionInDays=int(props["RetentionInDays"]))
        return name, {"Arn": self._arn("logs", f"log-group:{name}:*")}

    def _dynamodb_table(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("TableName") or self._name(logical_id, 255)
        params = {**props, "TableName": name, "BillingMode": props.get("BillingMode", "PROVISIONED")}
        if params["BillingMode"] == "PROVISIONED" and "ProvisionedThroughput" not in params:
            params["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
        if "StreamSpecification" in props:
            params["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        if "SSESpecification" in props:  # CloudFormation says SSEEnabled where the API says Enabled
            sse = dict(props["SSESpecification"])
            params["SSESpecification"] = {"Enabled": sse.pop("SSEEnabled", False), **sse}
        params["GlobalSecondaryIndexes"] = [
            {k: v for k, v in index.items()
             if k in ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput", "OnDemandThroughput")}
            for index in props.get("GlobalSecondaryIndexes", [])
        ] or None
        params = {k: v for k, v in params.items() if v is not None}
        table = self._call("dynamodb", "create_table", **params)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            self.client("dynamodb").update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]})
        attributes = {"Arn": table["TableArn"], "TableId": table.get("TableId", name)}
        if "LatestStreamArn" in table:
            attributes["StreamArn"] = table["LatestStreamArn"]
        return name, attributes

    def _s3_bucket(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("BucketName") or self._name(logical_id, 63, lowercase=True)
        s3 = self.client("s3")
        # Object Lock can only be turned on when a bucket is created (it turns versioning on).
        s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=bool(props.get("ObjectLockEnabled")))
        lock = props.get("ObjectLockConfiguration")
        if lock and lock.get("Rule"):  # the default retention, which moto applies to new versions as S3 does
            s3.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration=lock)
        cors = props.get("CorsConfiguration", {}).get("CorsRules")
        if cors:
            renames = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds", "Id": "ID"}
            rules = [{renames.get(k, k): v for k, v in rule.items()} for rule in cors]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": rules})
        if props.get("VersioningConfiguration"):
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=props["VersioningConfiguration"])
        region = self.resolver.pseudo.region
        return name, {
            "Arn": f"arn:{self.resolver.pseudo.partition}:s3:::{name}",
            "DomainName": f"{name}.s3.amazonaws.com",
            "RegionalDomainName": f"{name}.s3.{region}.amazonaws.com",
            "DualStackDomainName": f"{name}.s3.dualstack.{region}.amazonaws.com",
            "WebsiteURL": f"http://{name}.s3-website-{region}.amazonaws.com",
        }

    def _sqs_queue(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("QueueName") or self._name(logical_id, 80 - (5 if props.get("FifoQueue") else 0))
        if props.get("FifoQueue") and not name.endswith(".fifo"):
            name += ".fifo"
        attributes = {k: json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else str(v)
                      for k, v in props.items() if k not in ("QueueName", "Tags")}
        url = self.client("sqs").create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        return url, {"Arn": self._arn("sqs", name), "QueueName": name, "QueueUrl": url}

    def _sns_topic(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("TopicName") or self._name(logical_id, 256)
        arn = self.client("sns").create_topic(Name=name)["TopicArn"]
        return arn, {"TopicArn": arn, "TopicName": name}

    def _secret(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        # A generated secret gets a fresh random value per local system, as a deployment would.
        name = props.get("Name") or self._name(logical_id, 256)
        value = props["SecretString"] if "SecretString" in props else secrets.token_urlsafe(48)
        arn = self.client("secretsmanager").create_secret(Name=name, SecretString=value)["ARN"]
        return arn, {"Id": arn}

    def _event_bus(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props["Name"]
        arn = self._call("events", "create_event_bus", **props)["EventBusArn"]
        return name, {"Arn": arn, "Name": name}

    def _event_rule(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("Name") or self._name(logical_id)
        bus = props.get("EventBusName", "default")
        params = {**props, "Name": name, "EventBusName": bus}
        if isinstance(props.get("EventPattern"), dict):
            params["EventPattern"] = json.dumps(props["EventPattern"])
        arn = self._call("events", "put_rule", **params)["RuleArn"]
        targets = [
            {**target, "Input": json.dumps(target["Input"])} if isinstance(target.get("Input"), dict) else target
            for target in props.get("Targets", [])
        ]
        if targets:
            self.client("events").put_targets(Rule=name, EventBusName=bus, Targets=targets)
        bus_name = bus.rsplit("/", 1)[-1]
        ref = name if bus_name == "default" else f"{bus_name}|{name}"
        return ref, {"Arn": arn}

    def _event_archive(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("ArchiveName") or self._name(logical_id, 48)
        params = {**props, "ArchiveName": name, "EventSourceArn": props.get("SourceArn")}
        params = {k: v for k, v in params.items() if v not in ("", None)}
        if isinstance(props.get("EventPattern"), dict):
            params["EventPattern"] = json.dumps(props["EventPattern"])
        arn = self._call("events", "create_archive", **params)["ArchiveArn"]
        return name, {"Arn": arn, "ArchiveName": name}

    def _user_pool(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("UserPoolName") or self._name(logical_id, 128)
        pool = self._call("cognito-idp", "create_user_pool", **{**props, "PoolName": name})["UserPool"]
        pool_id, region = pool["Id"], self.resolver.pseudo.region
        return pool_id, {
            "Arn": pool["Arn"],
            "UserPoolId": pool_id,
            "ProviderName": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
            "ProviderURL": f"https://cognito-idp.{region}.amazonaws.com/{pool_id}",
        }

    def _user_pool_client(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("ClientName") or self._name(logical_id, 128)
        client = self._call("cognito-idp", "create_user_pool_client", **{**props, "ClientName": name})["UserPoolClient"]
        return client["ClientId"], {"ClientId": client["ClientId"], "Name": name,
                                    "ClientSecret": client.get("ClientSecret", "")}

    def _user_pool_resource_server(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        # Its Ref is the identifier, the prefix of the scopes the app clients name.
        self._call("cognito-idp", "create_resource_server", **props)
        return props["Identifier"], {}

    def _user_pool_group(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("GroupName") or self._name(logical_id, 128)
        self._call("cognito-idp", "create_group", **{**props, "GroupName": name})
        return name, {}

    def _lambda_layer(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("LayerName") or self._name(logical_id, 140)
        layer = self._call("lambda", "publish_layer_version",
                           **{**props, "LayerName": name, "Content": {"ZipFile": _dummy_zip()}})
        return layer["LayerVersionArn"], {"LayerVersionArn": layer["LayerVersionArn"]}

    def _lambda_function(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("FunctionName") or self._name(logical_id)
        environment = {k: self.localize(str(v)) for k, v in props.get("Environment", {}).get("Variables", {}).items()}
        timeout = int(props.get("Timeout", DEFAULT_LAMBDA_TIMEOUT_SECONDS))
        memory = int(props.get("MemorySize", DEFAULT_LAMBDA_MEMORY_MB))
        function = self._call("lambda", "create_function", **{
            **{k: v for k, v in props.items() if k not in NOT_CREATE_FUNCTION_PROPERTIES}, "FunctionName": name, "Code": {"ZipFile": _dummy_zip()},
            "Environment": {"Variables": environment}, "Timeout": timeout, "MemorySize": memory,
        })
        log_group = props.get("LoggingConfig", {}).get("LogGroup") or f"/aws/lambda/{name}"
        self.stack.functions[logical_id] = LambdaFunctionSpec(
            logical_id=logical_id, name=name, arn=function["FunctionArn"], handler=props.get("Handler", ""),
            runtime=props.get("Runtime", ""), environment=environment, timeout_seconds=timeout,
            memory_mb=memory, log_group_name=log_group,
        )
        return name, {"Arn": function["FunctionArn"]}

    def _event_source_mapping(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        mapping = self._call("lambda", "create_event_source_mapping", **props)
        return mapping["UUID"], {"EventSourceMappingArn": mapping.get("EventSourceMappingArn", "")}

    def _state_machine(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        name = props.get("StateMachineName") or self._name(logical_id, 80)
        if "DefinitionString" in props:
            definition = props["DefinitionString"]
        elif "Definition" in props:
            definition = json.dumps(props["Definition"])
        elif "DefinitionS3Location" in props:
            location = props["DefinitionS3Location"]
            definition = self.template.asset_file(location.get("Bucket"), location.get("Key")).read_text("utf-8")
        else:
            raise TemplateError(f"{logical_id}: no state machine definition")
        definition = apply_definition_substitutions(definition, props.get("DefinitionSubstitutions", {}))
        machine = self.client("stepfunctions").create_state_machine(
            name=name, definition=definition, roleArn=props["RoleArn"],
            type=props.get("StateMachineType", "STANDARD"),
        )
        arn = machine["stateMachineArn"]
        return arn, {"Arn": arn, "Name": name, "StateMachineRevisionId": machine.get("stateMachineVersionArn", "")}

    def _rest_api(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        api_id = rest_api_id(logical_id)
        return api_id, {"RestApiId": api_id, "RootResourceId": f"{api_id}-root"}

    def _api_stage(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        return props["StageName"], {}

    def _response_headers_policy(self, logical_id: str, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        self.stack.response_headers_policies[logical_id] = props.get("ResponseHeadersPolicyConfig", {})
        return f"local-{logical_id}", {"Id": f"local-{logical_id}", "LastModifiedTime": ""}


@dataclass
class ProvisionedApp:
    """The local deployment of an app's stacks (a cloud assembly), in deployment order."""

    stacks: dict[str, ProvisionedStack]  # stack name → its deployment, producers first

    @property
    def region(self) -> str:
        return next(iter(self.stacks.values())).region

    @property
    def account_id(self) -> str:
        return next(iter(self.stacks.values())).account_id

    @property
    def templates(self) -> list[Template]:
        return [stack.template for stack in self.stacks.values()]

    @property
    def functions(self) -> dict[str, LambdaFunctionSpec]:
        """Every stack's functions by logical id (CDK's logical ids are unique across our stacks)."""
        return _merged({name: stack.functions for name, stack in self.stacks.items()}, "function")

    @property
    def outputs(self) -> dict[str, Any]:
        """Every stack's outputs (localized) by output name."""
        return _merged({name: stack.outputs for name, stack in self.stacks.items()}, "output")

    @property
    def physical_ids(self) -> dict[str, Any]:
        return {lid: pid for stack in self.stacks.values() for lid, pid in stack.resolver.physical_ids.items()}

    @property
    def attributes(self) -> dict[str, Any]:
        return {lid: attrs for stack in self.stacks.values() for lid, attrs in stack.resolver.attributes.items()}

    def stack_with(self, resource_type: str) -> ProvisionedStack | None:
        """The one stack holding resources of a type (the API, the distribution, the user pool)."""
        holding = [stack for stack in self.stacks.values() if stack.template.resources_of_type(resource_type)]
        if len(holding) > 1:
            raise TemplateError(f"{resource_type} in several stacks: {[s.template.stack_name for s in holding]}")
        return holding[0] if holding else None

    def physical_id_of(self, construct_id: str, resource_type: str | None = None) -> Any:
        found = []
        for stack in self.stacks.values():
            try:
                found.append(stack.physical_id_of(construct_id, resource_type))
            except TemplateError:
                continue
        if len(found) != 1:
            raise TemplateError(f"{len(found)} stacks have a resource of construct id {construct_id!r}")
        return found[0]

    def function_named(self, name_or_arn: str) -> LambdaFunctionSpec | None:
        return next((f for stack in self.stacks.values() if (f := stack.function_named(name_or_arn))), None)


def _merged(per_stack: Mapping[str, Mapping[str, Any]], what: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for stack_name, items in per_stack.items():
        for key, value in items.items():
            if key in merged and merged[key] != value:
                raise TemplateError(f"{what} {key!r} of stack {stack_name} is in an earlier stack too")
            merged[key] = value
    return merged


def provision_stacks(templates: list[Template], session: boto3.Session, endpoint_url: str | None,
                     region: str | None = None, local_urls: LocalUrls | None = None) -> ProvisionedApp:
    """Provisions an app's stacks in the given (dependency) order; cross-stack references resolve
    against the stacks before. Each stack has its own name (AWS::StackName) and logical ids."""
    region = region or session.region_name or "us-east-1"
    pseudos = {template.stack_name: PseudoParameters(region=region, stack_name=template.stack_name or "Sunlight")
               for template in templates}
    rewrites: dict[str, str] = {}
    if local_urls:
        for template in templates:
            rewrites.update(local_urls.rewrites(template, pseudos[template.stack_name],
                                                {t.stack_name: t for t in templates}))
    shared = StackOutputs()
    stacks = {}
    for template in templates:
        provisioner = Provisioner(template, session, endpoint_url, pseudos[template.stack_name], local_urls,
                                  stack_outputs=shared, url_rewrites=rewrites)
        stacks[template.stack_name] = provisioner.provision()
    if local_urls:  # what the browser reaches: every stack's endpoints, wherever they are named
        browser = {**rewrites, **{deployed: local for stack in stacks.values()
                                  for deployed, local in stack.browser_rewrites.items()}}
        for stack in stacks.values():
            stack.browser_rewrites = browser
    return ProvisionedApp(stacks)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _replace_all(text: str, rewrites: Mapping[str, str]) -> str:
    for deployed, local in rewrites.items():
        text = text.replace(deployed, local)
    return text


def provision(template: Template, session: boto3.Session, endpoint_url: str,
              pseudo: PseudoParameters | None = None, local_urls: LocalUrls | None = None) -> ProvisionedStack:
    return Provisioner(template, session, endpoint_url, pseudo, local_urls).provision()
