"""The inspector log's external anchor on a local system of its own (the tail of its log is cut off
here, which the session's other tests must not see): log_anchor invoked through the local Lambda
writes the head to the Object Lock bucket; the newest records are deleted from the table and the
head moved back over boto3; a verification run started over HTTP reports the cut (发现截断或改写),
and the 监察日志 page shows it to a city inspector."""

from __future__ import annotations

import json
import re
import time

import boto3
import pytest

from tests.e2e.conftest import USERS, Client, expect
from tests.e2e.test_web import login
from tests.local_process import local_system_process

pytestmark = pytest.mark.local_system


@pytest.fixture(scope="module")
def system():
    """This module's own local system (the browser fixtures use it too): its log gets cut."""
    with local_system_process("log-anchor", seed=True) as running:
        yield running


def sign_in(system, username: str) -> Client:
    cognito = boto3.client("cognito-idp", endpoint_url=system.moto_url, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
    result = cognito.initiate_auth(ClientId=system.outputs["UserPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": USERS["password"]})
    return Client(system.api_url, result["AuthenticationResult"]["IdToken"])


def until_ended(client: Client, run: dict) -> dict:
    deadline = time.monotonic() + 60
    while run["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(f"/inspector-log/verifications/{run['run_id']}").json()
    return run


def function_name(system, construct_id: str) -> str:
    """The function's physical name: its logical id is the construct id and an 8-digit hash."""
    return next(physical for logical, physical in system.physical_ids.items() if re.fullmatch(f"{construct_id}[0-9A-F]{{8}}", logical))


def test_a_tail_cut_off_behind_the_anchor_is_reported_by_the_next_run_and_shown_on_the_page(system, page, web):
    inspector = sign_in(system, "inspector")
    for _ in range(5):  # each request of an inspector is a record of the log
        assert inspector.get("/inspector-log", params={"limit": 5}).status_code == 200

    answer = system.client("lambda").invoke(FunctionName=function_name(system, "LogAnchorFunction"), Payload=b"{}")
    anchor = json.loads(answer["Payload"].read())
    assert "FunctionError" not in answer, anchor
    assert anchor["head_sequence"] >= 5 and anchor["anchor_key"].endswith(f"-{anchor['head_sequence']}.json")
    s3, bucket = system.client("s3"), system.outputs["LogAnchorsBucketName"]
    stored = s3.get_object(Bucket=bucket, Key=anchor["anchor_key"])
    assert json.loads(stored["Body"].read())["head_hash"] == anchor["head_hash"] and stored["ObjectLockMode"] == "COMPLIANCE"

    # Cut the last three anchored records off and move the head back to the record before them.
    dynamodb, table = system.client("dynamodb"), system.outputs["SupervisionTableName"]
    keep = anchor["head_sequence"] - 3
    head_key = {"pk": {"S": "INSPLOG"}, "sk": {"S": "HEAD"}}
    for seq in range(keep + 1, int(dynamodb.get_item(TableName=table, Key=head_key)["Item"]["seq"]["N"]) + 1):
        dynamodb.delete_item(TableName=table, Key={"pk": {"S": "INSPLOG"}, "sk": {"S": f"SEQ#{seq:012d}"}})
    kept = json.loads(dynamodb.get_item(TableName=table, Key={"pk": {"S": "INSPLOG"}, "sk": {"S": f"SEQ#{keep:012d}"}})["Item"]["doc"]["S"])
    dynamodb.put_item(TableName=table, Item={**head_key, "seq": {"N": str(keep)}, "hash": {"S": kept["hash"]}})

    chief = sign_in(system, "inspector.chief")
    started = chief.post("/inspector-log/verifications")
    assert started.status_code == 202, started.text
    run = until_ended(chief, started.json())
    assert run["status"] == "broken", run
    assert run["first_break"]["anchor_key"] == anchor["anchor_key"]
    assert run["message"].startswith("发现截断或改写：与外部锚点不符："), run["message"]
    latest = inspector.get("/inspector-log/verifications/latest").json()
    assert latest["run_id"] == run["run_id"] and latest["anchors_checked"] >= 1

    login(page, web, "inspector")
    page.goto(web + "/inspector-log")
    result = page.locator("[data-test=verify-result]")
    expect(result).to_contain_text("发现截断或改写")
    expect(result).to_contain_text("与外部锚点不符")  # behind it (a cut) or past it with other records (a rewrite)
    expect(page.locator("[data-test=verify-anchors]")).to_contain_text(
        f"外部锚点：已对照 {latest['anchors_checked']} 个，最新锚点为 ")
    expect(page.locator("[data-test=verify-anchors]")).to_contain_text(f"锚定的第 {anchor['head_sequence']} 条")
