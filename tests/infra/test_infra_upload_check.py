"""The upload check in CDK: the attachments bucket (data stack) sends its events to EventBridge,
where a rule of the compute stack hands every object created under uploads/ to the check function;
the function may do exactly what the check does, and the API's role can never read (so never
presign) a quarantined file."""

from __future__ import annotations

from infra import constants


def _statements_of(synthesized, role_prefix: str) -> list[dict]:
    role_id = synthesized.logical_id("AWS::IAM::Role", role_prefix)
    return [
        statement
        for policy in synthesized.resources_of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _objects(bucket_id: str, prefix: str) -> dict:
    return {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, f"/{prefix}*"]]}


def test_objects_created_under_uploads_reach_the_check_function_through_eventbridge(synthesized):
    bucket_id = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    function_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.UPLOAD_CHECK_FUNCTION_ID)
    (notifications,) = synthesized.data.resources_of_type("Custom::S3BucketNotifications").values()
    assert notifications["Properties"]["BucketName"] == {"Ref": bucket_id}
    # The bucket names no function: the data stack does not depend on the compute stack.
    assert notifications["Properties"]["NotificationConfiguration"] == {"EventBridgeConfiguration": {}}
    rule = synthesized.compute.resource("AWS::Events::Rule", constants.UPLOAD_CHECK_RULE_ID)["Properties"]
    assert "EventBusName" not in rule  # S3 sends to the default bus
    assert synthesized.deref(rule["EventPattern"]) == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": [{"Ref": bucket_id}]}, "object": {"key": [{"prefix": constants.UPLOADS_PREFIX}]}},
    }
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    permissions = [p["Properties"] for p in synthesized.compute.resources_of_type("AWS::Lambda::Permission").values()]
    assert any(
        p["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]} and p["Principal"] == "events.amazonaws.com"
        and p["SourceArn"] == {"Fn::GetAtt": [synthesized.compute.logical_id("AWS::Events::Rule", constants.UPLOAD_CHECK_RULE_ID), "Arn"]}
        for p in permissions
    )
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.UPLOAD_CHECK_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.UPLOAD_CHECK_HANDLER
    assert synthesized.deref(function["Environment"]["Variables"][constants.EnvKeys.ATTACHMENTS_BUCKET]) == {"Ref": bucket_id}


def test_the_check_function_reads_and_removes_uploads_writes_quarantine_and_puts_verdicts_only(synthesized):
    bucket_id = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    cases_id = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.CASES_TABLE_ID)
    supervision_id = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    statements = [synthesized.deref(s) for s in _statements_of(synthesized.compute, f"{constants.UPLOAD_CHECK_FUNCTION_ID}ServiceRole")
                  if "xray:" not in str(s["Action"])]
    assert statements == [
        {"Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion"],
         "Effect": "Allow", "Resource": _objects(bucket_id, constants.UPLOADS_PREFIX)},
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": _objects(bucket_id, constants.QUARANTINE_PREFIX)},
        {"Action": "dynamodb:PutItem", "Effect": "Allow",
         "Resource": [{"Fn::GetAtt": [cases_id, "Arn"]}, {"Fn::GetAtt": [supervision_id, "Arn"]}]},
    ]


def test_the_api_role_may_not_read_quarantined_files(synthesized):
    bucket_id = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    for spec in (constants.API_CITIZEN, constants.API_OFFICE, constants.API_SUPERVISION):  # those that read the bucket
        statements = [synthesized.deref(s) for s in _statements_of(synthesized.api, f"{spec.function_id}ServiceRole")]
        assert {"Action": "s3:GetObject*", "Effect": "Deny", "Resource": _objects(bucket_id, constants.QUARANTINE_PREFIX)} in statements
