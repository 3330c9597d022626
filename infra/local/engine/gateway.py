"""A local stand-in for the REST API (API Gateway v1) described by the template.

The route table comes from AWS::ApiGateway::Resource (PathPart/ParentId tree) and
AWS::ApiGateway::Method, in whichever stacks of the app they are: a method may be in another stack
than its RestApi and resources (cross-stack references are followed to the producing stack's
logical ids), and so may the stage and the gateway responses. AWS_PROXY methods build the proxy event (payload format 1.0) and call
the Lambda handler through the same dispatcher that serves moto's Lambda; MOCK methods (CDK's
CORS preflights) answer from their integration responses. COGNITO_USER_POOLS methods verify the
ID token (or, with AuthorizationScopes, a client-credentials access token holding one of them)
against moto's JWKS for the pool and pass the claims the way API Gateway renders them.
Error responses follow API Gateway's defaults, adjusted by AWS::ApiGateway::GatewayResponse.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import boto3
import jwt

from infra.local.engine.lambda_dispatch import LambdaDispatcher
from infra.local.engine.provision import ProvisionedApp, ProvisionedStack
from infra.local.engine.template import Template, TemplateError, producer_of

log = logging.getLogger(__name__)

INTEGRATION_TIMEOUT_SECONDS = 29  # API Gateway REST's hard limit
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024

# API Gateway's built-in gateway responses: status, x-amzn-ErrorType, message.
_DEFAULT_RESPONSES = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    "UNAUTHORIZED": (401, "UnauthorizedException", "Unauthorized"),
    "REQUEST_TOO_LARGE": (413, "RequestTooLargeException", "Request Too Long"),
    "INTEGRATION_FAILURE": (502, "InternalServerErrorException", "Internal server error"),
    "INTEGRATION_TIMEOUT": (504, "InternalServerErrorException", "Endpoint request timed out"),
}


@dataclass(frozen=True)
class ApiMethod:
    http_method: str
    resource_path: str  # e.g. /cases/{caseId}/actions
    resource_logical_id: str
    authorization_type: str
    authorizer_logical_id: str | None
    integration: Mapping[str, Any]  # as in the method's template: resolve it in stack_name
    stack_name: str = ""  # the stack that holds the method
    authorizer_stack_name: str = ""  # the stack that holds the authorizer
    authorization_scopes: tuple[str, ...] = ()  # OAuth scopes: an access token holding one of them


def _of_rest_api(properties: Mapping[str, Any], stack_name: str, templates: Mapping[str, Template],
                 rest_api: tuple[str, str]) -> bool:
    """Whether a resource's RestApiId (a Ref, or a cross-stack reference to one) names `rest_api`
    ((stack name, logical id))."""
    return producer_of(properties.get("RestApiId"), stack_name, templates) == (rest_api[0], {"Ref": rest_api[1]})


@dataclass
class RouteTable:
    """Resources and methods of one RestApi, matched like API Gateway (literal segments first)."""

    methods: dict[tuple[str, str], ApiMethod] = field(default_factory=dict)

    @classmethod
    def from_template(cls, template: Template, rest_api_logical_id: str) -> RouteTable:
        return cls.from_templates([template], (template.stack_name, rest_api_logical_id))

    @classmethod
    def from_templates(cls, templates: Sequence[Template], rest_api: tuple[str, str]) -> RouteTable:
        """The methods of the RestApi `rest_api` ((stack name, logical id)) in all `templates`."""
        by_name = {template.stack_name: template for template in templates}
        rest_api_stack, rest_api_logical_id = rest_api
        resources = {
            (template.stack_name, lid): res["Properties"]
            for template in templates
            for lid, res in template.resources_of_type("AWS::ApiGateway::Resource").items()
            if _of_rest_api(res["Properties"], template.stack_name, by_name, rest_api)
        }

        def path_of(resource_id: Any, stack_name: str) -> tuple[str, str]:
            """(path, logical id) of a ResourceId/ParentId value given in `stack_name`."""
            stack_name, resource_id = producer_of(resource_id, stack_name, by_name)
            if isinstance(resource_id, dict) and "Fn::GetAtt" in resource_id:
                name, attribute = resource_id["Fn::GetAtt"]
                if (stack_name, name) == rest_api and attribute == "RootResourceId":
                    return "/", rest_api_logical_id
            if isinstance(resource_id, dict) and (stack_name, resource_id.get("Ref")) in resources:
                lid = resource_id["Ref"]
                properties = resources[(stack_name, lid)]
                parent, _ = path_of(properties["ParentId"], stack_name)
                return parent.rstrip("/") + "/" + properties["PathPart"], lid
            raise TemplateError(f"cannot place API resource {resource_id!r} of stack {stack_name!r}")

        table = cls()
        for template in templates:
            for lid, res in template.resources_of_type("AWS::ApiGateway::Method").items():
                props = res["Properties"]
                if not _of_rest_api(props, template.stack_name, by_name, rest_api):
                    continue
                path, resource_lid = path_of(props["ResourceId"], template.stack_name)
                authorizer_stack, authorizer = producer_of(props.get("AuthorizerId", {}), template.stack_name, by_name)
                key = (props["HttpMethod"].upper(), path)
                if key in table.methods:
                    raise TemplateError(f"{key[0]} {path} is defined twice (again by {lid})")
                table.methods[key] = ApiMethod(
                    http_method=props["HttpMethod"].upper(),
                    resource_path=path,
                    resource_logical_id=resource_lid,
                    authorization_type=props.get("AuthorizationType", "NONE"),
                    authorizer_logical_id=authorizer.get("Ref") if isinstance(authorizer, dict) else None,
                    integration=props.get("Integration", {}),
                    stack_name=template.stack_name,
                    authorizer_stack_name=authorizer_stack,
                    authorization_scopes=tuple(props.get("AuthorizationScopes") or ()),
                )
        return table

    def match(self, http_method: str, path: str) -> tuple[ApiMethod, dict[str, str]] | None:
        segments = [unquote(s) for s in path.strip("/").split("/") if s]
        candidates = []
        for (method, resource_path), api_method in self.methods.items():
            if method not in (http_method, "ANY"):
                continue
            params = _match_path(resource_path, segments)
            if params is not None:
                candidates.append((_specificity(resource_path, method), api_method, params))
        if not candidates:
            return None
        _, api_method, params = max(candidates, key=lambda c: c[0])
        return api_method, params


def _match_path(resource_path: str, segments: list[str]) -> dict[str, str] | None:
    parts = [p for p in resource_path.strip("/").split("/") if p]
    params: dict[str, str] = {}
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):  # greedy {proxy+}
            if index >= len(segments):
                return None
            params[part[1:-2]] = "/".join(segments[index:])
            return params
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = segments[index]
        elif part != segments[index]:
            return None
    return params if len(parts) == len(segments) else None


def _specificity(resource_path: str, method: str) -> tuple[Any, ...]:
    """Literal segments beat {params}, which beat {greedy+}; an exact method beats ANY."""
    parts = [p for p in resource_path.strip("/").split("/") if p]
    ranks = tuple(0 if p.endswith("+}") else 1 if p.startswith("{") else 2 for p in parts)
    return ranks, method != "ANY"


class CognitoVerifier:
    """Verifies user-pool ID tokens as API Gateway's COGNITO_USER_POOLS authorizer does."""

    def __init__(self, moto_url: str, region: str, session: boto3.Session) -> None:
        self.moto_url = moto_url.rstrip("/")
        self.region = region
        self._cognito = session.client("cognito-idp", endpoint_url=moto_url)
        self._jwks: dict[str, jwt.PyJWKClient] = {}
        self._client_ids: dict[str, set[str]] = {}
        self._lock = threading.Lock()  # guards the caches only, never a handler

    def issuer(self, pool_id: str) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{pool_id}"

    def verify(self, authorization: str | None, pool_ids: list[str], scopes: Sequence[str] = ()) -> dict[str, Any] | None:
        """The verified claims, or None (API Gateway answers 401). A method with OAuth scopes takes
        an access token of one of the pool's clients holding one of them (client credentials);
        one without takes an ID token."""
        if not authorization:
            return None
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else authorization.strip()
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss", "")
            pool_id = next(p for p in pool_ids if self.issuer(p) == issuer)
            key = self._jwks_client(pool_id).get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer,
                                options={"require": ["exp", "iat", "iss", "token_use"], "verify_aud": False})
        except (jwt.PyJWTError, StopIteration, ValueError) as error:
            log.info("token rejected: %s", error)
            return None
        if scopes:
            held = set(str(claims.get("scope") or "").split())
            if claims.get("token_use") != "access" or claims.get("client_id") not in self._pool_client_ids(pool_id) \
                    or not held & set(scopes):
                log.info("token rejected: token_use=%s scopes=%s", claims.get("token_use"), sorted(held))
                return None
            return claims
        if claims.get("token_use") != "id" or claims.get("aud") not in self._pool_client_ids(pool_id):
            log.info("token rejected: token_use=%s aud=%s", claims.get("token_use"), claims.get("aud"))
            return None
        return claims

    def _jwks_client(self, pool_id: str) -> jwt.PyJWKClient:
        with self._lock:
            if pool_id not in self._jwks:  # moto serves the JWKS where Cognito does, under its own host
                self._jwks[pool_id] = jwt.PyJWKClient(f"{self.moto_url}/{pool_id}/.well-known/jwks.json")
            return self._jwks[pool_id]

    def _pool_client_ids(self, pool_id: str) -> set[str]:
        with self._lock:
            if pool_id not in self._client_ids:
                clients = self._cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)
                self._client_ids[pool_id] = {c["ClientId"] for c in clients["UserPoolClients"]}
            return self._client_ids[pool_id]


def render_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as API Gateway REST puts them in requestContext.authorizer.claims: all strings,
    exp/iat as dates ("Tue Apr 04 18:39:39 UTC 2023"), lists such as cognito:groups joined by ","."""
    rendered = {}
    for name, value in claims.items():
        if name in ("exp", "iat") and isinstance(value, int | float):
            value = datetime.fromtimestamp(value, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value)
        rendered[name] = str(value)
    return rendered


@dataclass(frozen=True)
class GatewayReply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class ApiGateway:
    """Turns HTTP requests into handler invocations; independent of the HTTP server."""

    def __init__(self, stacks: ProvisionedApp | ProvisionedStack, dispatcher: LambdaDispatcher,
                 verifier: CognitoVerifier, rest_api_logical_id: str | None = None) -> None:
        """The REST API of an app's stacks (or of one stack): its RestApi, resources, methods,
        stage and gateway responses may be in different stacks."""
        app = stacks if isinstance(stacks, ProvisionedApp) else ProvisionedApp({stacks.template.stack_name: stacks})
        templates = {name: stack.template for name, stack in app.stacks.items()}
        apis = [(name, lid) for name, template in templates.items()
                for lid in template.resources_of_type("AWS::ApiGateway::RestApi")
                if rest_api_logical_id in (None, lid)]
        if len(apis) != 1:
            raise TemplateError(f"expected one AWS::ApiGateway::RestApi, found {apis}")
        rest_api = apis[0]
        self.stacks = app.stacks
        self.stack = app.stacks[rest_api[0]]  # the RestApi's
        self.dispatcher = dispatcher
        self.verifier = verifier
        self.rest_api_logical_id = rest_api[1]
        self.rest_api_id = self.stack.physical_id(rest_api[1])
        self.routes = RouteTable.from_templates(list(templates.values()), rest_api)
        # One request at a time per function, as in one Lambda execution environment: the handler
        # module (e.g. the Powertools resolver's current event) is shared by every request here, so
        # a browser's parallel requests would otherwise read each other's events.
        self._function_locks: dict[str, threading.Lock] = {}
        self._function_locks_guard = threading.Lock()
        api_props = self.stack.template.resources[rest_api[1]].get("Properties", {})
        self.binary_media_types = self.stack.resolver.resolve(api_props.get("BinaryMediaTypes", [])) or []

        def of_this_api(resource_type: str) -> list[dict[str, Any]]:
            """The resolved properties of this API's resources of a type, in any stack."""
            return [app.stacks[name].resolver.resolve(res["Properties"])
                    for name, template in templates.items()
                    for res in template.resources_of_type(resource_type).values()
                    if _of_rest_api(res["Properties"], name, templates, rest_api)]

        stage: dict[str, Any] = next(iter(of_this_api("AWS::ApiGateway::Stage")), {})
        self.stage_name = stage.get("StageName", "prod")
        self.stage_variables = stage.get("Variables") or None
        self.gateway_responses = {props["ResponseType"]: props for props in of_this_api("AWS::ApiGateway::GatewayResponse")}

    # -- request handling -----------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: list[tuple[str, str]], body: bytes,
               source_ip: str) -> GatewayReply:
        url = urlsplit(raw_path)
        path = url.path
        # The execute-api URL carries the stage as first segment; unprefixed paths are accepted too.
        if path == f"/{self.stage_name}" or path.startswith(f"/{self.stage_name}/"):
            path = path[len(self.stage_name) + 1:] or "/"
        header_map = {k.lower(): v for k, v in headers}
        if len(body) > MAX_PAYLOAD_BYTES:
            return self._gateway_response("REQUEST_TOO_LARGE", header_map)
        matched = self.routes.match(method.upper(), path)
        if matched is None:
            return self._gateway_response("MISSING_AUTHENTICATION_TOKEN", header_map)
        api_method, path_params = matched

        claims = None
        if api_method.authorization_type == "COGNITO_USER_POOLS":
            claims = self.verifier.verify(header_map.get("authorization"), self._authorizer_pools(api_method),
                                          api_method.authorization_scopes)
            if claims is None:
                return self._gateway_response("UNAUTHORIZED", header_map)

        integration_type = api_method.integration.get("Type", "")
        if integration_type == "MOCK":
            return self._mock(api_method, header_map)
        if integration_type != "AWS_PROXY":
            log.warning("integration type %s is not served locally", integration_type)
            return self._gateway_response("INTEGRATION_FAILURE", header_map)
        event = self._proxy_event(api_method, path, url.query, path_params, headers, body, source_ip, claims)
        return self._invoke(api_method, event, header_map)

    def _authorizer_pools(self, api_method: ApiMethod) -> list[str]:
        if api_method.authorizer_logical_id is None:
            raise TemplateError(f"{api_method.http_method} {api_method.resource_path}: no AuthorizerId")
        stack = self.stacks[api_method.authorizer_stack_name or api_method.stack_name]
        props = stack.resolver.resolve(stack.template.resources[api_method.authorizer_logical_id]["Properties"])
        return [arn.rsplit("/", 1)[-1] for arn in props.get("ProviderARNs", [])]

    def _proxy_event(self, api_method: ApiMethod, path: str, query: str, path_params: dict[str, str],
                     headers: list[tuple[str, str]], body: bytes, source_ip: str,
                     claims: dict[str, Any] | None) -> dict[str, Any]:
        multi_headers: dict[str, list[str]] = {}
        for name, value in headers:
            multi_headers.setdefault(name, []).append(value)
        multi_query: dict[str, list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            multi_query.setdefault(name, []).append(value)
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        is_binary = bool(body) and _media_type_matches(content_type, self.binary_media_types)
        now = datetime.now(UTC)
        request_id = str(uuid.uuid4())
        request_context: dict[str, Any] = {
            "accountId": self.stack.account_id,
            "apiId": self.rest_api_id,
            "resourceId": api_method.resource_logical_id,
            "resourcePath": api_method.resource_path,
            "httpMethod": api_method.http_method,
            "path": f"/{self.stage_name}{path}",
            "protocol": "HTTP/1.1",
            "stage": self.stage_name,
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "domainName": next((v for k, v in headers if k.lower() == "host"), "localhost"),
            "domainPrefix": self.rest_api_id,
            "identity": {"sourceIp": source_ip, "userAgent": next(
                (v for k, v in headers if k.lower() == "user-agent"), None), "accessKey": None, "accountId": None,
                "caller": None, "cognitoIdentityId": None, "cognitoIdentityPoolId": None, "user": None,
                "userArn": None},
        }
        if claims is not None:
            request_context["authorizer"] = {"claims": render_claims(claims)}
        return {
            "resource": api_method.resource_path,
            "path": path,
            "httpMethod": api_method.http_method,
            "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_params or None,
            "stageVariables": self.stage_variables,
            "requestContext": request_context,
            "body": (base64.b64encode(body).decode() if is_binary else body.decode("utf-8", "replace"))
            if body else None,
            "isBase64Encoded": is_binary,
        }

    def _invoke(self, api_method: ApiMethod, event: dict[str, Any], header_map: dict[str, str]) -> GatewayReply:
        uri = self.stacks[api_method.stack_name].resolver.resolve(api_method.integration.get("Uri", ""))
        function_arn = re.sub(r"^.*:lambda:path/[^/]+/functions/(.+)/invocations$", r"\1", uri)
        outcome: dict[str, Any] = {}
        with self._function_locks_guard:
            one_at_a_time = self._function_locks.setdefault(function_arn, threading.Lock())

        def call() -> None:
            try:
                with one_at_a_time:
                    outcome["result"] = self.dispatcher.invoke(function_arn, event)
            except Exception as error:  # noqa: BLE001  (becomes a 502 like any integration failure)
                outcome["error"] = error

        # The handler runs on its own thread so that the 29 s integration timeout can answer 504.
        worker = threading.Thread(target=call, name="api-integration", daemon=True)
        worker.start()
        worker.join(INTEGRATION_TIMEOUT_SECONDS)
        if worker.is_alive():
            return self._gateway_response("INTEGRATION_TIMEOUT", header_map)
        result = outcome.get("result")
        if result is None:
            log.error("integration %s failed: %s", function_arn, outcome.get("error"))
            return self._gateway_response("INTEGRATION_FAILURE", header_map)
        if result.function_error:
            return self._gateway_response("INTEGRATION_FAILURE", header_map)
        return self._proxy_reply(result.json(), header_map)

    def _proxy_reply(self, response: Any, header_map: dict[str, str]) -> GatewayReply:
        if not isinstance(response, dict) or not isinstance(response.get("statusCode"), int | str):
            log.error("malformed Lambda proxy response: %.200r", response)
            return self._gateway_response("INTEGRATION_FAILURE", header_map)
        headers: dict[str, list[str]] = {}
        for name, value in (response.get("headers") or {}).items():
            headers[name] = [str(value)]
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers.setdefault(name, []).extend(str(v) for v in values if str(v) not in headers.get(name, []))
        if not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = ["application/json"]
        body = response.get("body") or ""
        payload = base64.b64decode(body) if response.get("isBase64Encoded") else str(body).encode()
        pairs = [(k, v) for k, values in headers.items() for v in values]
        return GatewayReply(int(response["statusCode"]), pairs, payload)

    def _mock(self, api_method: ApiMethod, header_map: dict[str, str]) -> GatewayReply:
        responses = api_method.integration.get("IntegrationResponses", [])
        chosen = next((r for r in responses if not r.get("SelectionPattern")), responses[0] if responses else {})
        headers = _mapped_headers(chosen.get("ResponseParameters", {}), "method.response.header.", header_map)
        template = (chosen.get("ResponseTemplates") or {}).get("application/json", "")
        return GatewayReply(int(chosen.get("StatusCode", 200)), headers, template.encode())

    def _gateway_response(self, response_type: str, header_map: dict[str, str]) -> GatewayReply:
        status, error_type, message = _DEFAULT_RESPONSES[response_type]
        family = "DEFAULT_4XX" if status < 500 else "DEFAULT_5XX"
        custom = self.gateway_responses.get(response_type) or self.gateway_responses.get(family) or {}
        body = json.dumps({"message": message})
        template = (custom.get("ResponseTemplates") or {}).get("application/json")
        if template:
            body = (template.replace("$context.error.messageString", json.dumps(message))
                    .replace("$context.error.message", message))
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", error_type)]
        headers += _mapped_headers(custom.get("ResponseParameters", {}), "gatewayresponse.header.", header_map)
        return GatewayReply(int(custom.get("StatusCode", status)), headers, body.encode())


def _mapped_headers(parameters: Mapping[str, Any], prefix: str, request_headers: dict[str, str]) -> list[tuple[str, str]]:
    """Response parameters: a quoted static value ('*'), or a request header to copy."""
    headers = []
    for target, source in parameters.items():
        if not target.startswith(prefix) or not isinstance(source, str):
            continue
        if source.startswith("'") and source.endswith("'"):
            value = source[1:-1]
        elif source.startswith("method.request.header."):
            value = request_headers.get(source.removeprefix("method.request.header.").lower(), "")
        else:
            continue
        headers.append((target.removeprefix(prefix), value))
    return headers


def _media_type_matches(content_type: str, media_types: list[str]) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    for pattern in media_types:
        pattern = pattern.replace("~1", "/").lower()
        if pattern in ("*/*", media_type) or (pattern.endswith("/*") and media_type.startswith(pattern[:-1])):
            return True
    return False


class _GatewayRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: GatewayHTTPServer

    def _serve(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.send_error(400, "Bad Request")
            return
        body = self.rfile.read(length) if length else b""
        started = time.monotonic()
        reply = self.server.gateway.handle(self.command, self.path, list(self.headers.items()), body,
                                           self.client_address[0])
        self.send_response(reply.status)
        for name, value in reply.headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        log.info("%s %s → %d (%.0f ms)", self.command, self.path, reply.status, (time.monotonic() - started) * 1000)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def __getattr__(self, name: str) -> Any:
        # Any other method (TRACE, QUERY, …) goes to the gateway too, which answers what API Gateway
        # does for a method the API does not define (403), instead of http.server's 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class GatewayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], gateway: ApiGateway) -> None:
        self.gateway = gateway
        super().__init__(address, _GatewayRequestHandler)
