"""The local system on a small CDK-shaped template with tiny handlers: dispatch, flows, API, events."""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.integration.local_fixtures.helpers import create_user_id_token, sign_with_moto_key, wait_for
from tests.integration.local_fixtures.remote import RemoteSystem, local_system_process
from tests.integration.local_fixtures.template import write_fixture_template


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteSystem]:
    work_dir = tmp_path_factory.mktemp("local-system")
    with local_system_process(Path(write_fixture_template(work_dir)), work_dir) as system:
        yield system


@pytest.fixture(scope="module")
def tokens(system: RemoteSystem) -> dict[str, str]:
    cognito = system.session.client("cognito-idp", endpoint_url=system.moto_url)
    return create_user_id_token(cognito, system.outputs["UserPoolId"], system.outputs["UserPoolClientId"],
                                "wang@example.cn", ["handler", "leader"],
                                {"custom:department": "dept-land", "custom:government": "420704", "name": "王芳"})


def client(system: RemoteSystem, service: str):
    return system.session.client(service, endpoint_url=system.moto_url)


def table(system: RemoteSystem):
    return system.session.resource("dynamodb", endpoint_url=system.moto_url).Table(system.outputs["CasesTableName"])


# -- Lambda dispatch and Step Functions --------------------------------------------------------------

def test_invoke_runs_the_handler_with_a_lambda_context(system: RemoteSystem) -> None:
    response = client(system, "lambda").invoke(
        FunctionName=system.physical_id_of("FlowStepFunction"),
        Payload=json.dumps({"kind": "finalize", "outcome": "completed"}))
    payload = json.load(response["Payload"])
    assert "FunctionError" not in response
    assert payload["outcome"] == "completed" and 0 < payload["remaining_ms"] <= 10_000


def test_handler_exception_is_an_unhandled_function_error(system: RemoteSystem) -> None:
    response = client(system, "lambda").invoke(
        FunctionName=system.function_arn("FlowStepFunction"),
        Payload=json.dumps({"kind": "boom"}))
    assert response["FunctionError"] == "Unhandled"
    error = json.load(response["Payload"])
    assert error["errorType"] == "ValueError" and error["errorMessage"] == "boom requested"


def test_wait_for_task_token_flow_runs_the_handler_and_resumes(system: RemoteSystem) -> None:
    stepfunctions = client(system, "stepfunctions")
    case_id = f"case-{uuid.uuid4().hex[:8]}"
    execution = stepfunctions.start_execution(stateMachineArn=system.outputs["StandardApprovalFlowArn"], name=case_id,
                                              input=json.dumps({"caseId": case_id}))
    key = {"pk": f"CASE#{case_id}", "sk": "TOKEN"}
    accept = wait_for(lambda: table(system).get_item(Key=key).get("Item"))
    assert accept["step"] == "accept" and accept["function"] == system.physical_id_of("FlowStepFunction")
    assert stepfunctions.describe_execution(executionArn=execution["executionArn"])["status"] == "RUNNING"

    stepfunctions.send_task_success(taskToken=accept["token"], output=json.dumps({"decision": "accept"}))
    handle = wait_for(lambda: (item := table(system).get_item(Key=key).get("Item")) and item["step"] == "handle"
                      and item)
    stepfunctions.send_task_failure(taskToken=handle["token"], error="UnknownDecision", cause="test")
    final = wait_for(lambda: (d := stepfunctions.describe_execution(executionArn=execution["executionArn"]))
                     ["status"] != "RUNNING" and d)
    assert final["status"] == "FAILED"

    rejected = stepfunctions.start_execution(stateMachineArn=system.outputs["StandardApprovalFlowArn"],
                                             name=f"{case_id}-r", input=json.dumps({"caseId": f"{case_id}-r"}))
    token = wait_for(lambda: table(system).get_item(Key={"pk": f"CASE#{case_id}-r", "sk": "TOKEN"}).get("Item"))
    stepfunctions.send_task_success(taskToken=token["token"], output=json.dumps({"decision": "reject"}))
    done = wait_for(lambda: (d := stepfunctions.describe_execution(executionArn=rejected["executionArn"]))
                    ["status"] != "RUNNING" and d)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"])["result"] == {"outcome": "rejected"}


def test_a_failing_lambda_task_fails_the_execution_with_its_error_type(system: RemoteSystem) -> None:
    stepfunctions = client(system, "stepfunctions")
    function_arn = system.function_arn("FlowStepFunction")
    machine = stepfunctions.create_state_machine(
        name=f"boom-{uuid.uuid4().hex[:6]}", roleArn="arn:aws:iam::123456789012:role/any",
        definition=json.dumps({"StartAt": "Boom", "States": {"Boom": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
            "Parameters": {"FunctionName": function_arn, "Payload": {"kind": "boom"}}}}}))
    execution = stepfunctions.start_execution(stateMachineArn=machine["stateMachineArn"], name="boom-1")
    final = wait_for(lambda: (d := stepfunctions.describe_execution(executionArn=execution["executionArn"]))
                     ["status"] != "RUNNING" and d)
    assert final["status"] == "FAILED" and final["error"] == "ValueError"


# -- EventBridge ------------------------------------------------------------------------------------

def test_rule_delivers_to_lambda_and_moto_keeps_log_targets(system: RemoteSystem) -> None:
    events = client(system, "events")
    entry = events.put_events(Entries=[{"Source": "sunlight.approval", "DetailType": "CaseAccepted",
                                        "Detail": json.dumps({"caseId": "c"}),
                                        "EventBusName": "Sunlight-domain"}])["Entries"][0]
    item = wait_for(lambda: table(system).get_item(Key={"pk": f"EVENT#{entry['EventId']}", "sk": "CaseAccepted"})
                    .get("Item"))
    assert item["source"] == "sunlight.approval"
    logs = client(system, "logs")
    streams = logs.describe_log_streams(logGroupName="/sunlight/Sunlight/audit")["logStreams"]
    messages = [e["message"] for s in streams for e in logs.get_log_events(
        logGroupName="/sunlight/Sunlight/audit", logStreamName=s["logStreamName"])["events"]]
    assert any(entry["EventId"] in m for m in messages)


def test_scheduler_at_schedule_fires_its_lambda_target(system: RemoteSystem) -> None:
    schedule_id = uuid.uuid4().hex[:8]
    due = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    client(system, "scheduler").create_schedule(
        Name=f"deadline-{schedule_id}", ScheduleExpression=f"at({due})", FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target={"Arn": system.function_arn("FlowStepFunction"), "RoleArn": "arn:aws:iam::123456789012:role/any",
            "Input": json.dumps({"kind": "scheduled", "id": schedule_id})})
    wait_for(lambda: table(system).get_item(Key={"pk": f"SCHEDULED#{schedule_id}", "sk": "FIRED"}).get("Item"))
    wait_for(lambda: not client(system, "scheduler").list_schedules(NamePrefix=f"deadline-{schedule_id}")
             ["Schedules"])


# -- API gateway ------------------------------------------------------------------------------------

def test_proxy_event_path_and_query_parameters(system: RemoteSystem) -> None:
    response = requests.get(f"{system.api_url}/catalog/%E8%90%A5%E4%B8%9A?lang=zh&tag=a&tag=b", timeout=10)
    assert response.status_code == 200 and response.headers["X-Function"].endswith("ApiFunction1A2B3C4D")
    body = response.json()
    event = body["event"]
    assert event["resource"] == "/catalog/{itemCode}" and event["path"] == "/catalog/%E8%90%A5%E4%B8%9A"
    assert event["pathParameters"] == {"itemCode": "营业"}
    assert event["queryStringParameters"] == {"lang": "zh", "tag": "b"}
    assert event["multiValueQueryStringParameters"] == {"lang": ["zh"], "tag": ["a", "b"]}
    assert event["requestContext"]["stage"] == "prod" and event["requestContext"]["resourcePath"] == "/catalog/{itemCode}"
    assert event["stageVariables"] == {"flavour": "local"} and event["body"] is None
    assert "authorizer" not in event["requestContext"]
    assert body["service_at_import"] == "api"  # the per-function key was set while its module loaded
    assert body["cases_table"] == system.outputs["CasesTableName"]


def test_unknown_route_is_missing_authentication_token(system: RemoteSystem) -> None:
    for method, path in (("GET", "/nowhere"), ("DELETE", "/catalog")):
        response = requests.request(method, f"{system.api_url}{path}", timeout=10)
        assert response.status_code == 403 and response.json() == {"message": "Missing Authentication Token"}
        assert response.headers["Access-Control-Allow-Origin"] == "*"  # the DEFAULT_4XX gateway response


def test_cognito_methods_reject_missing_and_bad_tokens(system: RemoteSystem, tokens: dict[str, str]) -> None:
    pool_id, client_id = system.outputs["UserPoolId"], system.outputs["UserPoolClientId"]
    now = int(time.time())
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    good_claims = {"iss": issuer, "aud": client_id, "token_use": "id", "sub": "s", "iat": now, "exp": now + 600}
    bad_tokens = {
        "missing": None,
        "garbage": "not-a-jwt",
        "access token": tokens["AccessToken"],
        "expired": sign_with_moto_key({**good_claims, "iat": now - 7200, "exp": now - 3600}),
        "other pool": sign_with_moto_key({**good_claims, "iss": issuer + "x"}),
        "unknown client": sign_with_moto_key({**good_claims, "aud": "someone-else"}),
        "tampered": tokens["IdToken"][:-4] + ("AAAA" if not tokens["IdToken"].endswith("AAAA") else "BBBB"),
    }
    for reason, token in bad_tokens.items():
        headers = {"Authorization": token} if token else {}
        response = requests.get(f"{system.api_url}/me", headers=headers, timeout=10)
        assert response.status_code == 401, reason
        assert response.json() == {"message": "Unauthorized"}, reason
    accepted = requests.get(f"{system.api_url}/me", timeout=10,
                            headers={"Authorization": sign_with_moto_key(good_claims)})
    assert accepted.status_code == 200


def test_claims_reach_the_handler_as_api_gateway_renders_them(system: RemoteSystem, tokens: dict[str, str]) -> None:
    for authorization in (tokens["IdToken"], f"Bearer {tokens['IdToken']}"):
        response = requests.post(f"{system.api_url}/cases/c-9/actions", json={"action": "accept"},
                                 headers={"Authorization": authorization}, timeout=10)
        assert response.status_code == 200
        event = response.json()["event"]
        claims = event["requestContext"]["authorizer"]["claims"]
        assert claims["email"] == "wang@example.cn" and claims["custom:department"] == "dept-land"
        assert claims["custom:government"] == "420704"  # a 监察局's level reaches the handler too
        assert claims["name"] == "王芳"  # a client without ReadAttributes reads every attribute
        assert sorted(claims["cognito:groups"].split(",")) == ["handler", "leader"]
        assert claims["token_use"] == "id" and all(isinstance(v, str) for v in claims.values())
        assert claims["exp"].endswith(str(datetime.now(UTC).year)) and " UTC " in claims["exp"]
        assert event["pathParameters"] == {"caseId": "c-9"} and json.loads(event["body"]) == {"action": "accept"}
        assert event["headers"]["Content-Type"] == "application/json"


def test_cors_preflight_is_answered_by_the_mock_integration(system: RemoteSystem) -> None:
    response = requests.options(f"{system.api_url}/me", timeout=10,
                                headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204 and response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Access-Control-Allow-Methods"] == "OPTIONS,GET,POST"


def test_response_headers_binary_bodies_and_failures(system: RemoteSystem) -> None:
    response = requests.get(f"{system.api_url}/catalog", timeout=10)
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    binary = requests.post(f"{system.api_url}/binary", data=b"\x00\xff",
                           headers={"Content-Type": "application/octet-stream"}, timeout=10)
    assert binary.content == b"\x00\x01\x02"
    failed = requests.get(f"{system.api_url}/fail", timeout=10)
    assert failed.status_code == 502 and failed.json() == {"message": "Internal server error"}


def test_a_handler_can_synchronously_invoke_another(system: RemoteSystem) -> None:
    response = requests.get(f"{system.api_url}/invoke-flow-step", timeout=10)
    assert response.status_code == 200
    assert response.json()["echo"] == {"kind": "echo", "from": "api"}


def test_presigned_post_policy_is_enforced(system: RemoteSystem) -> None:
    bucket = system.outputs.get("AttachmentsBucketName") or system.physical_id_of("AttachmentsBucket")
    post = client(system, "s3").generate_presigned_post(
        bucket, "uploads/a.pdf", Fields={"Content-Type": "application/pdf"},
        Conditions=[["content-length-range", 1, 10], {"Content-Type": "application/pdf"}], ExpiresIn=300)
    def upload(content: bytes, **fields: str) -> requests.Response:
        return requests.post(post["url"], data={**post["fields"], **fields}, files={"file": ("a.pdf", content)},
                             timeout=10)
    assert upload(b"0123456789").status_code == 204
    too_big = upload(b"0" * 11)
    assert too_big.status_code == 400 and "<Code>EntityTooLarge</Code>" in too_big.text
    assert upload(b"x", **{"Content-Type": "text/html"}).status_code == 403
    assert client(system, "s3").get_object(Bucket=bucket, Key="uploads/a.pdf")["Body"].read() == b"0123456789"


# -- web --------------------------------------------------------------------------------------------

def test_web_serves_the_site_and_its_config(system: RemoteSystem) -> None:
    config = requests.get(f"{system.web_url}/config.json", timeout=10).json()
    assert config == {"apiUrl": f"{system.api_url}/", "userPoolId": system.outputs["UserPoolId"],
                      "userPoolClientId": system.outputs["UserPoolClientId"], "region": "us-east-1",
                      "cognitoEndpoint": system.moto_url}
    for path in ("/", "/cases/c-1"):  # client-side routes fall back to index.html
        page = requests.get(f"{system.web_url}{path}", timeout=10)
        assert page.status_code == 200 and 'lang="zh-CN"' in page.text
    assert system.outputs["SiteUrl"] == system.web_url
    assert system.outputs["PublicApiEndpoint1A2B3C4D"] == f"{system.api_url}/"


# -- the functions' runtime: a process per function, its own environment, its timeout ------------------

def test_each_function_sees_only_its_own_environment(system: RemoteSystem) -> None:
    keys = ["SLOW_ONLY", "FLOW_STEP_FUNCTION_NAME", "POWERTOOLS_SERVICE_NAME", "SUNLIGHT_STATE_FILE",
            "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_NAME"]

    def environment_of(construct_id: str) -> dict[str, str | None]:
        response = client(system, "lambda").invoke(FunctionName=system.physical_id_of(construct_id),
                                                   Payload=json.dumps({"kind": "environment", "keys": keys}))
        assert "FunctionError" not in response
        return json.load(response["Payload"])

    assert environment_of("SlowFunction") == {
        "SLOW_ONLY": "yes", "FLOW_STEP_FUNCTION_NAME": None, "POWERTOOLS_SERVICE_NAME": "slow",
        "SUNLIGHT_STATE_FILE": None,  # the runner's own environment is not the function's
        "AWS_ENDPOINT_URL": system.moto_url, "AWS_LAMBDA_FUNCTION_NAME": system.physical_id_of("SlowFunction")}
    assert environment_of("FlowStepFunction") == {
        "SLOW_ONLY": None, "FLOW_STEP_FUNCTION_NAME": None, "POWERTOOLS_SERVICE_NAME": "flow-step",
        "SUNLIGHT_STATE_FILE": None,
        "AWS_ENDPOINT_URL": system.moto_url, "AWS_LAMBDA_FUNCTION_NAME": system.physical_id_of("FlowStepFunction")}


def test_a_handler_past_its_timeout_gets_lambdas_timeout_error_and_a_fresh_environment(system: RemoteSystem) -> None:
    lambda_client = client(system, "lambda")
    started = time.monotonic()
    response = lambda_client.invoke(FunctionName=system.physical_id_of("FlowStepFunction"),  # Timeout: 10 s
                                     Payload=json.dumps({"kind": "sleep", "seconds": 40}))
    elapsed = time.monotonic() - started
    assert response["FunctionError"] == "Unhandled"
    error = json.load(response["Payload"])
    assert error["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 10.00 seconds" in error["errorMessage"]
    assert 10 <= elapsed < 25
    after = lambda_client.invoke(FunctionName=system.physical_id_of("FlowStepFunction"),
                                 Payload=json.dumps({"kind": "finalize", "outcome": "completed"}))
    assert "FunctionError" not in after and json.load(after["Payload"])["outcome"] == "completed"


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_sigterm_stops_the_system_within_10_s_with_an_invocation_in_flight(tmp_path: Path) -> None:
    with local_system_process(Path(write_fixture_template(tmp_path)), tmp_path) as running:
        assert running.process is not None
        workers = _descendants(running.process.pid)
        assert len(workers) >= 3  # one process per function (FlowStep, Slow, Api)
        in_flight = threading.Thread(target=lambda: client(running, "lambda").invoke(
            FunctionName=running.physical_id_of("SlowFunction"), Payload=json.dumps({"kind": "sleep", "seconds": 100})),
            daemon=True)
        in_flight.start()
        time.sleep(3)  # the invocation is in the function's process by now
        started = time.monotonic()
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
        assert not {pid for pid in workers if Path(f"/proc/{pid}").exists()}  # no function process left behind
