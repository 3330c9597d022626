"""Verifying the inspector log: the log_verify function, what it may do, and how the API hands it runs."""

from __future__ import annotations

from infra import constants
from log_verify.handler import RESERVE_MS

E = constants.EnvKeys


def _policies_of(stack, function_id: str) -> list[dict]:
    role = stack.resource("AWS::Lambda::Function", function_id)["Properties"]["Role"]["Fn::GetAtt"][0]
    return [p for p in stack.resources_of_type("AWS::IAM::Policy").values() if {"Ref": role} in p["Properties"]["Roles"]]


def _statements(policies: list[dict]) -> list[dict]:
    return [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]


def _actions(statement: dict) -> list[str]:
    return statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]


def test_the_worker_runs_bounded_steps_with_its_limits_as_configuration(synthesized):
    props = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)["Properties"]
    assert props["Handler"] == constants.LOG_VERIFY_HANDLER
    assert props["Timeout"] == constants.LOG_VERIFY_TIMEOUT_SECONDS > RESERVE_MS / 1000 + 30  # work time left beside the reserve
    variables = props["Environment"]["Variables"]
    table = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    assert synthesized.deref(variables[E.SUPERVISION_TABLE]) == {"Ref": table}
    assert variables[E.LOG_VERIFY_SEGMENT_RECORDS] == str(constants.LOG_VERIFY_SEGMENT_RECORDS)
    assert variables[E.LOG_VERIFY_RECORDS_PER_INVOCATION] == str(constants.LOG_VERIFY_RECORDS_PER_INVOCATION)
    # A large log is a chain of invocations longer than recursive-loop detection allows.
    assert props["RecursiveLoop"] == "Allow"


def test_the_worker_reads_and_saves_on_the_supervision_table_and_invokes_only_itself(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    table = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    statements = [synthesized.deref(s) for s in _statements(_policies_of(synthesized.compute, constants.LOG_VERIFY_FUNCTION_ID))
                  if not any(a.startswith("xray:") for a in _actions(s))]
    granted = {(action, str(s["Resource"])) for s in statements for action in _actions(s) if not action.startswith("s3:")}
    assert granted == {  # and the anchors bucket's reads (below)
        ("dynamodb:GetItem", str({"Fn::GetAtt": [table, "Arn"]})),
        ("dynamodb:Query", str({"Fn::GetAtt": [table, "Arn"]})),
        ("dynamodb:PutItem", str({"Fn::GetAtt": [table, "Arn"]})),
        ("lambda:InvokeFunction", str({"Fn::GetAtt": [function, "Arn"]})),
    }
    # The self-invocation is a policy of its own, so the function does not depend on itself.
    default_policy = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)["DependsOn"]
    self_invoke = synthesized.compute.logical_id("AWS::IAM::Policy", f"{constants.LOG_VERIFY_FUNCTION_ID}SelfInvoke")
    assert self_invoke not in default_policy


def test_the_api_hands_runs_to_the_worker_and_serves_them(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    api = synthesized.api.resource("AWS::Lambda::Function", constants.API_SUPERVISION.function_id)["Properties"]
    assert synthesized.deref(api["Environment"]["Variables"][E.LOG_VERIFY_FUNCTION]) == {"Ref": function}
    invokes = [s for s in _statements(_policies_of(synthesized.api, constants.API_SUPERVISION.function_id)) if "lambda:InvokeFunction" in _actions(s)]
    assert [synthesized.deref(s["Resource"]) for s in invokes] == [{"Fn::GetAtt": [function, "Arn"]}]
    routes = {(r.method, r.path) for r in constants.ROUTES if r.path.startswith("/inspector-log")}
    assert {r.function for r in constants.ROUTES if r.path.startswith("/inspector-log")} == {constants.API_SUPERVISION}
    for spec in constants.API_FUNCTIONS:  # no other function may start a run
        if spec is not constants.API_SUPERVISION:
            assert not [s for s in _statements(_policies_of(synthesized.api, spec.function_id)) if "lambda:InvokeFunction" in _actions(s)]
    assert routes == {("GET", "/inspector-log"), ("POST", "/inspector-log/verifications"),
                      ("GET", "/inspector-log/verifications/latest"), ("GET", "/inspector-log/verifications/{runId}")}


def test_a_failing_worker_is_alarmed(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)
    alarms = synthesized.monitoring.resources_of_type("AWS::CloudWatch::Alarm").values()
    assert any(a["Properties"]["MetricName"] == "Errors"
               and {"Name": "FunctionName", "Value": {"Ref": function}} in synthesized.deref(a["Properties"]["Dimensions"])
               for a in alarms)


# --- the external anchors (监察日志外部锚点) ----------------------------------------------------------


def test_the_anchors_bucket_locks_every_version_in_compliance_mode_and_is_kept(synthesized):
    bucket = synthesized.data.resource("AWS::S3::Bucket", constants.LOG_ANCHORS_BUCKET_ID)
    props = bucket["Properties"]
    assert props["ObjectLockEnabled"] is True
    assert props["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": constants.LOG_ANCHOR_RETENTION_DAYS}},
    }
    assert constants.LOG_ANCHOR_RETENTION_DAYS >= 5 * 365
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert bucket["DeletionPolicy"] == bucket["UpdateReplacePolicy"] == "Retain"
    assert "LoggingConfiguration" in props


def test_log_anchor_runs_every_hour_and_may_only_read_the_head_create_anchors_and_publish(synthesized):
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.LOG_ANCHOR_FUNCTION_ID)
    props = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_ANCHOR_FUNCTION_ID)["Properties"]
    assert props["Handler"] == constants.LOG_ANCHOR_HANDLER
    bucket = synthesized.data.logical_id("AWS::S3::Bucket", constants.LOG_ANCHORS_BUCKET_ID)
    assert synthesized.deref(props["Environment"]["Variables"][E.LOG_ANCHORS_BUCKET]) == {"Ref": bucket}
    schedule = synthesized.compute.resource("AWS::Events::Rule", constants.LOG_ANCHOR_SCHEDULE_ID)["Properties"]
    assert schedule["ScheduleExpression"] == "rate(1 hour)" and constants.LOG_ANCHOR_RATE_HOURS == 1
    assert schedule["Targets"][0]["Arn"] == {"Fn::GetAtt": [function, "Arn"]}

    table = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.SUPERVISION_TABLE_ID)
    bus = synthesized.data.logical_id("AWS::Events::EventBus", constants.EVENT_BUS_ID)
    statements = [synthesized.deref(s) for s in _statements(_policies_of(synthesized.compute, constants.LOG_ANCHOR_FUNCTION_ID))
                  if not any(a.startswith("xray:") for a in _actions(s))]
    granted = {(action, str(s["Resource"])) for s in statements for action in _actions(s)}
    assert granted == {
        ("dynamodb:GetItem", str({"Fn::GetAtt": [table, "Arn"]})),
        ("s3:PutObject", str({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, f"/{constants.LOG_ANCHORS_PREFIX}*"]]})),
        ("events:PutEvents", str({"Fn::GetAtt": [bus, "Arn"]})),
    }
    # Nothing may delete an anchor or touch its retention (Object Lock would refuse anyway).
    assert not any(a.startswith(("s3:Delete", "s3:PutObjectRetention", "s3:BypassGovernance")) for a, _ in granted)


def test_the_verifier_lists_and_reads_the_anchors_versions_only(synthesized):
    props = synthesized.compute.resource("AWS::Lambda::Function", constants.LOG_VERIFY_FUNCTION_ID)["Properties"]
    bucket = synthesized.data.logical_id("AWS::S3::Bucket", constants.LOG_ANCHORS_BUCKET_ID)
    assert synthesized.deref(props["Environment"]["Variables"][E.LOG_ANCHORS_BUCKET]) == {"Ref": bucket}
    s3_statements = [synthesized.deref(s) for s in _statements(_policies_of(synthesized.compute, constants.LOG_VERIFY_FUNCTION_ID))
                     if any(a.startswith("s3:") for a in _actions(s))]
    assert {(a, str(s["Resource"])) for s in s3_statements for a in _actions(s)} == {
        ("s3:ListBucketVersions", str({"Fn::GetAtt": [bucket, "Arn"]})),
        ("s3:GetObjectVersion", str({"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, f"/{constants.LOG_ANCHORS_PREFIX}*"]]})),
    }
    listing = next(s for s in s3_statements if "s3:ListBucketVersions" in _actions(s))
    assert listing["Condition"] == {"StringLike": {"s3:prefix": [f"{constants.LOG_ANCHORS_PREFIX}*"]}}


def test_a_run_ending_broken_alarms_in_the_monitoring_stack(synthesized):
    from log_verify.handler import BROKEN_METRIC

    alarm = synthesized.monitoring.resource("AWS::CloudWatch::Alarm", constants.LOG_BROKEN_ALARM_ID)["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (constants.METRICS_NAMESPACE, BROKEN_METRIC, "Sum")
    assert alarm["Dimensions"] == [{"Name": "service", "Value": constants.SERVICE_NAME}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"], alarm["TreatMissingData"]) == (1, "GreaterThanOrEqualToThreshold", "notBreaching")
    ops_topic = synthesized.monitoring.logical_id("AWS::SNS::Topic", constants.ALERT_TOPIC_ID)
    assert alarm["AlarmActions"] == [{"Ref": ops_topic}]
