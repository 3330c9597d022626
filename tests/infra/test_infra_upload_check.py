"""The upload check in CDK: the attachments bucket notifies the check function of every object
created under uploads/, the function may do exactly what the check does, and the API's role can
never read (so never presign) a quarantined file."""

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


def test_objects_created_under_uploads_notify_the_check_function(synthesized):
    bucket_id = synthesized.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    function_id = synthesized.logical_id("AWS::Lambda::Function", constants.UPLOAD_CHECK_FUNCTION_ID)
    (notifications,) = synthesized.resources_of_type("Custom::S3BucketNotifications").values()
    assert notifications["Properties"]["BucketName"] == {"Ref": bucket_id}
    assert notifications["Properties"]["NotificationConfiguration"] == {
        "LambdaFunctionConfigurations": [
            {
                "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": constants.UPLOADS_PREFIX}]}},
                "LambdaFunctionArn": {"Fn::GetAtt": [function_id, "Arn"]},
            }
        ]
    }
    permissions = [p["Properties"] for p in synthesized.resources_of_type("AWS::Lambda::Permission").values()]
    assert any(
        p["FunctionName"] == {"Fn::GetAtt": [function_id, "Arn"]} and p["Principal"] == "s3.amazonaws.com"
        and p["SourceArn"] == {"Fn::GetAtt": [bucket_id, "Arn"]}
        for p in permissions
    )
    function = synthesized.resource("AWS::Lambda::Function", constants.UPLOAD_CHECK_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.UPLOAD_CHECK_HANDLER
    assert function["Environment"]["Variables"][constants.EnvKeys.ATTACHMENTS_BUCKET] == {"Ref": bucket_id}


def test_the_check_function_reads_and_removes_uploads_writes_quarantine_and_puts_verdicts_only(synthesized):
    bucket_id = synthesized.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    cases_id = synthesized.logical_id("AWS::DynamoDB::Table", constants.CASES_TABLE_ID)
    supervision_id = synthesized.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    statements = [s for s in _statements_of(synthesized, f"{constants.UPLOAD_CHECK_FUNCTION_ID}ServiceRole")
                  if "xray:" not in str(s["Action"])]
    assert statements == [
        {"Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion"],
         "Effect": "Allow", "Resource": _objects(bucket_id, constants.UPLOADS_PREFIX)},
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": _objects(bucket_id, constants.QUARANTINE_PREFIX)},
        {"Action": "dynamodb:PutItem", "Effect": "Allow",
         "Resource": [{"Fn::GetAtt": [cases_id, "Arn"]}, {"Fn::GetAtt": [supervision_id, "Arn"]}]},
    ]


def test_the_api_role_may_not_read_quarantined_files(synthesized):
    bucket_id = synthesized.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    for spec in (constants.API_CITIZEN, constants.API_OFFICE, constants.API_SUPERVISION):  # those that read the bucket
        statements = _statements_of(synthesized, f"{spec.function_id}ServiceRole")
        assert {"Action": "s3:GetObject*", "Effect": "Deny", "Resource": _objects(bucket_id, constants.QUARANTINE_PREFIX)} in statements
