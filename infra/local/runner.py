"""Composes the engine (infra/local/engine/) with this application: moto, the provisioned stack,
the functions (each in processes of its own), the API, the SPA, the demo clock and seed.

`main` is `python -m infra.local` (what tests and `make run` start); `start_local_system` is the
programmatic entry (bench/). Everything started is held in one ExitStack and ended newest first.
"""

from __future__ import annotations

import argparse
import dataclasses
import faulthandler
import importlib
import inspect
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests
from moto.server import ThreadedMotoServer

from infra.constants import FUNCTIONS_DIR, ROOT, EnvKeys
from infra.local.demo_clock import DemoClock
from infra.local.engine.cognito_local import (
    TOKEN_PATH,
    LocalMailbox,
    LocalTokenEndpoint,
    install_cognito_emulation,
    uninstall_cognito_emulation,
)
from infra.local.engine.emf import EmfForwarder
from infra.local.engine.events import Clock, TargetDelivery, install_rule_delivery, uninstall_rule_delivery
from infra.local.engine.gateway import ApiGateway, CognitoVerifier, GatewayHTTPServer
from infra.local.engine.lambda_dispatch import LambdaDispatcher
from infra.local.engine.moto_fixes import install_moto_fixes, uninstall_moto_fixes
from infra.local.engine.provision import LocalUrls, ProvisionedApp, provision_stacks
from infra.local.engine.response_headers import web_response_headers
from infra.local.engine.runtime import ProcessRuntime, runtime_environment
from infra.local.engine.s3_notifications import apply_bucket_notifications, install_lambda_notifications, uninstall_lambda_notifications
from infra.local.engine.sqs_pollers import start_sqs_pollers
from infra.local.engine.template import Template, load_stacks
from infra.local.upper_platform import start_upper_platform
from infra.local.web import WebHTTPServer, site_directory

log = logging.getLogger(__name__)

# The cloud assembly of `make synth`: every stack's template, provisioned in dependency order.
DEFAULT_ASSEMBLY = ROOT / "cdk.out"
# What Lambda's Python runtime sets in every execution environment and the handlers may rely on.
LAMBDA_BASE_ENVIRONMENT = {"TZ": ":UTC", "LANG": "en_US.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"}
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}


@dataclass
class LocalSystem:
    """A running local system. Use as a context manager, or call stop()."""

    moto_url: str
    api_url: str
    web_url: str
    provisioned: ProvisionedApp
    session: boto3.Session
    seed_report: Any = None
    mailbox: LocalMailbox | None = None
    api_urls: dict[str, str] = field(default_factory=dict)  # further RestApis (the exchange's) by logical id
    token_url: str = ""  # the local OAuth2 token endpoint (client credentials)
    upper_platform_url: str = ""  # the local higher-level platform (infra/local/upper_platform.py)
    _resources: ExitStack = field(default_factory=ExitStack, repr=False)  # what stop() ends, newest first
    _holders: int = field(default=1, repr=False)  # start_local_system calls sharing this system

    @property
    def outputs(self) -> dict[str, Any]:
        return self.provisioned.outputs

    def stop(self) -> None:
        """Stops everything started, newest first, and restores patched moto and os.environ.

        A system shared by several start_local_system calls stops when the last holder stops it."""
        with _running_lock:
            self._holders -= 1
            if self._holders > 0:
                return
            if _running.get("system") is self:
                _running.clear()
        try:
            self._resources.close()  # one failing step does not keep the others from running
        except Exception:
            log.exception("error while stopping the local system")

    def __enter__(self) -> LocalSystem:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Served:
    """An HTTP server bound now and served on a thread later; closing it stops both."""

    def __init__(self, server: Any, name: str) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    def serve(self) -> None:
        self.thread.start()

    def close(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.thread.join()
        self.server.server_close()


def _restore_environment(saved: dict[str, str]) -> Callable[[], None]:
    def restore() -> None:
        os.environ.clear()
        os.environ.update(saved)
    return restore


def _stop_moto(moto: ThreadedMotoServer) -> None:
    moto.stop()
    if moto._server is not None:
        moto._server.server_close()  # stop() leaves the socket open


# moto's backends, MOTO_PORT and the runner's environment are process-wide: one system per process.
_running_lock = threading.Lock()
_running: dict[str, Any] = {}
def start_local_system(template_path: str | Path = DEFAULT_ASSEMBLY, api_port: int = 0, web_port: int = 0,
                       moto_port: int = 0, seed: bool = True, host: str = "127.0.0.1",
                       region: str | None = None,
                       code_dirs: Sequence[Path] = (FUNCTIONS_DIR,), sqs_concurrency: int = 1,
                       exchange_timing: str = "local") -> LocalSystem:
    """Starts moto, provisions the app's stacks into it and serves the API and the SPA.

    `template_path` is a cloud assembly (cdk.out or its manifest.json) or one stack's template.

    Ports 0 pick free ports. moto is process-global, so there is one system per process: a
    second call for the same template and code gets the running system (each caller stops it
    once; it stops with the last), any other second call is an error.

    `sqs_concurrency`: invocations at once per SQS event source mapping (sqs_pollers.py; benchmarks).
    `exchange_timing`: "local" (the sender's fast retries and short timeout: faults show within
    seconds) or "deployed" (the template's own; benchmarks).
    """
    key = (str(Path(template_path).resolve()), tuple(str(Path(d).resolve()) for d in code_dirs))
    requested_ports = {"api": api_port, "web": web_port, "moto": moto_port}
    with _running_lock:
        if _running:
            running: LocalSystem = _running["system"]
            mismatched = [n for n, p in requested_ports.items() if p and p != _running["ports"][n]]
            if _running["key"] != key or mismatched:
                raise RuntimeError(f"a local system for {_running['key'][0]} already runs in this process "
                                   f"(moto is process-global); stop it first")
            running._holders += 1
            if seed and running.seed_report is None:
                running.seed_report = _run_seed(running.outputs, running.session)
            return running
        system = _start_new(Path(template_path), api_port, web_port, moto_port, seed, host, region, code_dirs, sqs_concurrency,
                            exchange_timing)
        _running.update(key=key, system=system, ports={
            "api": urlsplit(system.api_url).port, "web": urlsplit(system.web_url).port,
            "moto": urlsplit(system.moto_url).port})
        return system


def _start_new(template_path: Path, api_port: int, web_port: int, moto_port: int, seed: bool, host: str,
               region: str | None, code_dirs: Sequence[Path], sqs_concurrency: int = 1,
               exchange_timing: str = "local") -> LocalSystem:
    region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    templates = load_stacks(template_path)
    with ExitStack() as resources:  # on an error, everything started so far ends (newest first)
        resources.callback(_restore_environment(dict(os.environ)))
        moto = ThreadedMotoServer(ip_address=host, port=moto_port, verbose=False)
        moto.start()
        resources.callback(_stop_moto, moto)
        install_moto_fixes()
        resources.callback(uninstall_moto_fixes)
        mailbox = LocalMailbox()
        install_cognito_emulation(mailbox)
        resources.callback(uninstall_cognito_emulation)
        moto_url = "http://{}:{}".format(*moto.get_host_and_port())
        # moto's Step Functions interpreter calls back into moto on localhost:$MOTO_PORT.
        os.environ["MOTO_PORT"] = str(moto.get_host_and_port()[1])
        requests.post(f"{moto_url}/moto-api/reset", timeout=10).raise_for_status()  # state of an earlier run
        # Before any resource exists: the config picks the backends that resources are created in.
        requests.post(f"{moto_url}/moto-api/config", json=MOTO_CONFIG, timeout=10).raise_for_status()
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                aws_session_token="testing", region_name=region)

        # Bound before provisioning so the handlers' environment can carry the local URLs.
        gateway_server = GatewayHTTPServer((host, api_port), gateway=None)  # type: ignore[arg-type]
        gateway = _Served(gateway_server, "local-api")
        resources.callback(gateway.close)
        web_server = WebHTTPServer((host, web_port), site_directory(), config={})
        web = _Served(web_server, "local-web")
        resources.callback(web.close)
        stage = _stage_name(templates)
        api_url = f"http://{host}:{gateway_server.server_address[1]}/{stage}"
        web_url = f"http://{host}:{web_server.server_address[1]}"
        # Each further RestApi (the inbound exchange's) on a gateway of its own, as each has its own
        # execute-api URL deployed; the first one is the public API's.
        rest_apis = [lid for t in templates for lid in t.resources_of_type("AWS::ApiGateway::RestApi")]
        extra_servers: dict[str, GatewayHTTPServer] = {}
        extra_served: list[_Served] = []
        for logical_id in rest_apis[1:]:
            extra_servers[logical_id] = GatewayHTTPServer((host, 0), gateway=None)  # type: ignore[arg-type]
            extra_served.append(_Served(extra_servers[logical_id], f"local-api-{logical_id}"))
            resources.callback(extra_served[-1].close)
        api_urls = {lid: f"http://{host}:{server.server_address[1]}/{_stage_of(templates, lid)}" for lid, server in extra_servers.items()}
        token_endpoint = LocalTokenEndpoint((host, 0))
        token_served = _Served(token_endpoint, "local-oauth2-token")
        resources.callback(token_served.close)

        stack = provision_stacks(templates, session, moto_url, region, LocalUrls(
            api=api_url, web=web_url, moto=moto_url, apis=api_urls, auth=token_endpoint.url))
        upper_platform_url = _start_upper_platform(stack, session, moto_url, host, resources,
                                                   LOCAL_EXCHANGE_SETTINGS if exchange_timing == "local" else {})

        state_dir = Path(tempfile.mkdtemp(prefix="sunlight-local-"))
        resources.callback(shutil.rmtree, state_dir, ignore_errors=True)
        demo_clock = DemoClock(state_dir / "clock.json")

        # The runner's own AWS calls (seed, rule delivery, metrics) go to moto.
        aws_environment = runtime_environment(moto_url, region)
        os.environ.update(aws_environment)
        # Each function runs in processes of its own with exactly its template environment, the
        # local AWS endpoint and the demo clock (which its handlers read from the file).
        runtime = ProcessRuntime(code_dirs, {**aws_environment, **LAMBDA_BASE_ENVIRONMENT,
                                             EnvKeys.LOCAL_CLOCK_FILE: str(demo_clock.path)})
        resources.callback(runtime.close)
        # The handlers' EMF output becomes metrics in moto's CloudWatch, as CloudWatch Logs does it.
        emf = EmfForwarder(session.client("cloudwatch", endpoint_url=moto_url))
        dispatcher = LambdaDispatcher(stack.functions.values(), code_dirs, log_sink=emf.forward, runtime=runtime)
        dispatcher.load_handlers()
        resources.enter_context(dispatcher.installed())
        for poller in start_sqs_pollers(session, moto_url, dispatcher, stack.account_id, region, sqs_concurrency):
            resources.callback(poller.stop)

        delivery = TargetDelivery(session, moto_url)
        install_rule_delivery(delivery)
        resources.callback(uninstall_rule_delivery)
        # The template's bucket notifications (a deploy-time custom resource in AWS), delivered async.
        s3 = session.client("s3", endpoint_url=moto_url)
        for provisioned in stack.stacks.values():
            apply_bucket_notifications(provisioned.template, provisioned.resolver, s3)
        install_lambda_notifications(delivery)
        resources.callback(uninstall_lambda_notifications)
        clock = Clock(delivery, stack.account_id, region, now=demo_clock.now)
        clock.start()
        resources.callback(clock.stop)

        system = LocalSystem(moto_url, api_url, web_url, stack, session, api_urls=api_urls,
                             token_url=f"{token_endpoint.url}{TOKEN_PATH}", upper_platform_url=upper_platform_url)
        if seed:
            system.seed_report = _run_seed(stack.outputs, session)

        if rest_apis:  # an app without an API serves none
            verifier = CognitoVerifier(moto_url, region, session)
            gateway_server.gateway = ApiGateway(stack, dispatcher, verifier, rest_api_logical_id=rest_apis[0])
            for logical_id, server in extra_servers.items():
                server.gateway = ApiGateway(stack, dispatcher, verifier, rest_api_logical_id=logical_id)
        web_server.config.update(_web_config(stack, api_url, moto_url, region))
        web_stack = stack.stack_with("AWS::CloudFront::Distribution")
        if web_stack is not None:
            web_server.response_headers.update(web_response_headers(web_stack))
        web_server.controls[CLOCK_CONTROL_PATH] = partial(_move_clock, demo_clock, clock)
        web_server.pages[MAIL_PAGE_PATH] = mailbox
        system.mailbox = mailbox
        gateway.serve()
        for served in extra_served:
            served.serve()
        token_served.serve()
        web.serve()
        # Stopping ends the functions' processes first: an invocation in flight then fails at once
        # instead of holding the clock, the gateway or a Step Functions execution until its timeout.
        resources.callback(runtime.close)
        system._resources = resources.pop_all()
        return system
    raise AssertionError("unreachable")  # ExitStack does not swallow exceptions


# The local exchange: fast retries (the deployed base is 10 s, cap 15 min) and a short HTTP timeout, so
# faults and the dead-letter path show within seconds; the receiver answers a "timeout" after 3 s.
LOCAL_EXCHANGE_SETTINGS = {EnvKeys.EXCHANGE_BACKOFF_BASE_SECONDS: "1", EnvKeys.EXCHANGE_BACKOFF_CAP_SECONDS: "4",
                           EnvKeys.EXCHANGE_TIMEOUT_SECONDS: "2"}
UPPER_PLATFORM_TIMEOUT_SLEEP_SECONDS = 3.0


def _start_upper_platform(app: ProvisionedApp, session: boto3.Session, moto_url: str, host: str,
                          resources: ExitStack, timing: dict[str, str]) -> str:
    """Starts the local higher-level platform when the app sends to one: makes the signing key's
    secret in moto (in AWS it is made outside the stack) and points the sender at the platform."""
    senders = [(stack, logical_id, spec) for stack in app.stacks.values() for logical_id, spec in stack.functions.items()
               if EnvKeys.EXCHANGE_SECRET in spec.environment and EnvKeys.EXCHANGE_ENDPOINT in spec.environment]
    if not senders:
        return ""
    key_id, key = "local", secrets.token_hex(32)
    server, thread = start_upper_platform({key_id: key.encode()}, host=host,
                                          timeout_sleep_seconds=UPPER_PLATFORM_TIMEOUT_SLEEP_SECONDS)
    resources.callback(thread.join, 5)
    resources.callback(server.server_close)
    resources.callback(server.shutdown)
    secretsmanager = session.client("secretsmanager", endpoint_url=moto_url)
    for secret_name in {spec.environment[EnvKeys.EXCHANGE_SECRET] for _, _, spec in senders}:
        secretsmanager.create_secret(Name=secret_name, SecretString=json.dumps({"key_id": key_id, "key": key}))
    for stack, logical_id, spec in senders:
        stack.functions[logical_id] = dataclasses.replace(spec, environment={
            **spec.environment, **timing, EnvKeys.EXCHANGE_ENDPOINT: server.endpoint})
    log.info("local higher-level platform at %s", server.url)
    return server.url


CLOCK_CONTROL_PATH = "/__local/clock"
MAIL_PAGE_PATH = "/__local/mail"  # the e-mails Cognito would have sent (sign-up and reset codes)


def _move_clock(demo_clock: DemoClock, clock: Clock, body: dict[str, Any]) -> dict[str, Any]:
    """POST /__local/clock {"advance_days": 3, "advance_hours": 0} moves the demo clock forward
    and runs the scheduled checks at once; {} just tells the time."""
    delta = timedelta(days=float(body.get("advance_days", 0)), hours=float(body.get("advance_hours", 0)))
    if delta:
        demo_clock.advance(delta)
        clock.fire_rate_rules_now()
    return demo_clock.describe()


def _stage_name(templates: Sequence[Template]) -> str:
    stages = [res["Properties"].get("StageName") for template in templates for res in
              template.resources_of_type("AWS::ApiGateway::Stage").values()]
    return next((s for s in stages if isinstance(s, str)), "prod")


def _stage_of(templates: Sequence[Template], rest_api_logical_id: str) -> str:
    """The stage name of a RestApi whose stage is in its own template (a CDK-deployed RestApi)."""
    stages = [res["Properties"].get("StageName") for template in templates for res in
              template.resources_of_type("AWS::ApiGateway::Stage").values()
              if res["Properties"].get("RestApiId") == {"Ref": rest_api_logical_id}]
    return next((s for s in stages if isinstance(s, str)), "prod")


def _web_config(app: ProvisionedApp, api_url: str, moto_url: str, region: str) -> dict[str, str]:
    pools_stack = app.stack_with("AWS::Cognito::UserPool")
    pools = list(pools_stack.template.resources_of_type("AWS::Cognito::UserPool")) if pools_stack else []
    clients_stack = pools_stack  # the SPA's client is beside the pool (other systems' clients are elsewhere)
    clients = list(clients_stack.template.resources_of_type("AWS::Cognito::UserPoolClient")) if clients_stack else []
    return {
        "apiUrl": f"{api_url}/",  # with the slash, like the deployed config.json
        "userPoolId": pools_stack.physical_id(pools[0]) if pools_stack and pools else "",
        "userPoolClientId": clients_stack.physical_id(clients[0]) if clients_stack and clients else "",
        "region": region,
        "cognitoEndpoint": moto_url,  # the browser signs in against moto's Cognito
    }


def _run_seed(outputs: dict[str, Any], session: boto3.Session) -> Any:
    """Runs infra.seed.seed_all(outputs, session) when that package exists."""
    try:
        seed_module = importlib.import_module("infra.seed")
    except ModuleNotFoundError as error:
        if error.name not in ("infra.seed",):
            raise
        log.info("no infra.seed: starting without demo data")
        return None
    seed_all = getattr(seed_module, "seed_all", None)
    if seed_all is None:
        log.warning("infra.seed has no seed_all(outputs, session): not seeding")
        return None
    if "endpoint_url" in inspect.signature(seed_all).parameters:
        return seed_all(dict(outputs), session, endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    return seed_all(dict(outputs), session)


def _demo_users(report: Any) -> list[dict[str, Any]]:
    users = getattr(report, "demo_users", None) or getattr(report, "users", None) or []
    if not isinstance(users, list | tuple):
        return []
    rows = []
    for user in users:
        if dataclasses.is_dataclass(user) and not isinstance(user, type):
            rows.append(dataclasses.asdict(user))
        elif isinstance(user, dict):
            rows.append(user)
        elif hasattr(user, "model_dump"):
            rows.append(user.model_dump())
        else:
            rows.append({"user": str(user)})
    return rows


def describe(system: LocalSystem) -> str:
    lines = [
        "Sunlight is running locally (moto, one process). Ctrl-C stops it.",
        f"  API:          {system.api_url}/",
        f"  Web (SPA):    {system.web_url}/",
        f"  moto (AWS):   {system.moto_url}   (AWS_ENDPOINT_URL for the aws CLI / boto3)",
        f"  Demo clock:   curl -X POST {system.web_url}{CLOCK_CONTROL_PATH} -d '{{\"advance_days\": 3}}'"
        "   (moves time forward; local only)",
        f"  Local mail:   {system.web_url}{MAIL_PAGE_PATH}   (sign-up and password-reset codes Cognito would e-mail)",
        *(f"  API {logical_id}: {url}/" for logical_id, url in system.api_urls.items()),
        f"  OAuth2 token: {system.token_url}   (client credentials of the exchange's app clients)",
    ]
    if system.upper_platform_url:
        lines.append(f"  Upper platform: {system.upper_platform_url}/   (the local higher-level platform: what the exchange sent;"
                     " faults: POST /_faults)")
    users = _demo_users(system.seed_report)
    if hasattr(system.seed_report, "render"):
        lines.append("  Demo data:")
        lines.extend("    " + line for line in system.seed_report.render().splitlines())
    elif users:
        lines.append("  Demo users:")
        for user in users:
            lines.append("    " + "  ".join(f"{k}={v}" for k, v in user.items()))
    elif system.seed_report is not None:
        lines.append(f"  Seed: {system.seed_report}")
    return "\n".join(lines)


def _write_state(system: LocalSystem, path: Path) -> None:
    """URLs, outputs and physical ids as JSON, for tools and tests driving a `python -m infra.local`."""
    app = system.provisioned
    state = {"api_url": system.api_url, "web_url": system.web_url, "moto_url": system.moto_url,
             "api_urls": system.api_urls, "token_url": system.token_url,
             "outputs": system.outputs, "physical_ids": app.physical_ids, "attributes": app.attributes,
             "region": app.region, "stacks": list(app.stacks), "upper_platform_url": system.upper_platform_url}
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(state, default=str), encoding="utf-8")
    partial.replace(path)  # readers never see half a file


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("SUNLIGHT_LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request access log
    logging.getLogger("botocore").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="python -m infra.local", description="Runs the whole system locally.")
    parser.add_argument("template", nargs="?", type=Path, default=DEFAULT_ASSEMBLY,
                        help="the cloud assembly (cdk.out, every stack) or one synthesized template")
    parser.add_argument("--no-demo", action="store_true",
                        help="skip the demo scenario (cases, cards, complaints, a closed month) after start-up")
    parser.add_argument("--no-seed", action="store_true", default=os.environ.get("SUNLIGHT_SEED", "1") == "0",
                        help="start empty: no demo catalog and users (and so no demo scenario)")
    for name, default in (("api", "8000"), ("web", "8080"), ("moto", "4566")):
        parser.add_argument(f"--{name}-port", type=int,
                            default=int(os.environ.get(f"SUNLIGHT_{name.upper()}_PORT", default)),
                            help=f"the {name} server's port (0: any free port; see --state-file)")
    parser.add_argument("--state-file", type=Path, default=os.environ.get("SUNLIGHT_STATE_FILE") or None,
                        help="write the URLs, outputs and physical ids here as JSON once everything serves")
    parser.add_argument("--code-dir", type=Path, action="append", dest="code_dirs",
                        help="where the handlers' modules are (default: functions/; repeatable)")
    args = parser.parse_args(argv)
    template_path = args.template
    if not (template_path.is_file() or (template_path / "manifest.json").is_file()):
        print(f"{template_path} not found: run `make synth` (or `make run`) first", file=sys.stderr)
        return 2
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    code_dirs = args.code_dirs or [Path(d) for d in os.environ.get("SUNLIGHT_CODE_DIRS", "").split(os.pathsep) if d]
    system = start_local_system(template_path, api_port=args.api_port, web_port=args.web_port,
                                moto_port=args.moto_port, seed=not args.no_seed, code_dirs=code_dirs or (FUNCTIONS_DIR,))
    with system:
        if args.state_file:
            _write_state(system, args.state_file)
        print(describe(system), flush=True)
        if system.seed_report is not None and not args.no_demo:
            # Imported here: tests that start the system never load (or run) the scenario.
            from infra.local.demo_scenario import start_demo_thread

            start_demo_thread(system)
        # Not a bare wait(): the kernel may hand SIGTERM to any thread, and Python runs the handler
        # only when the main thread next runs bytecode; a wait without timeout may never return.
        while not stopped.wait(timeout=0.5):
            pass
        print("stopping…", flush=True)
        _exit_if_stopping_hangs(STOP_GRACE_SECONDS)
    log.info("stopped")
    return 0


STOP_GRACE_SECONDS = 8.0  # `make run` ends within 10 s of SIGTERM (README)


def _exit_if_stopping_hangs(seconds: float) -> None:
    """A step of stopping that hangs must not keep the process alive: after `seconds` the threads'
    stacks go to the log (to find the culprit) and the process exits with status 1."""
    def give_up() -> None:
        log.error("still stopping after %.0f s: exiting; the threads were:", seconds)
        faulthandler.dump_traceback(all_threads=True)
        os._exit(1)

    timer = threading.Timer(seconds, give_up)
    timer.daemon = True
    timer.start()
