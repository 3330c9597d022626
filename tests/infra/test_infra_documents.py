"""The documents function (文书) in CDK: it hears every CaseTransitioned event on the domain bus and
may do exactly what issuing does: read and write the Cases table (counters, records), read the
Catalog (the department's short name), put PDFs under documents/ of the attachments bucket."""

from __future__ import annotations

from infra import constants
from tests.infra.test_infra_stack import _role_actions
from tests.infra.test_infra_upload_check import _objects, _statements_of


def test_every_case_transition_on_the_domain_bus_reaches_the_documents_function(synthesized):
    function = synthesized.compute.resource("AWS::Lambda::Function", constants.DOCUMENTS_FUNCTION_ID)["Properties"]
    assert function["Handler"] == constants.DOCUMENTS_HANDLER
    bucket_id = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    assert synthesized.deref(function["Environment"]["Variables"][constants.EnvKeys.ATTACHMENTS_BUCKET]) == {"Ref": bucket_id}
    rule = synthesized.compute.resource("AWS::Events::Rule", constants.DOCUMENTS_RULE_ID)["Properties"]
    assert rule["EventPattern"] == {"source": [constants.DOMAIN_EVENT_SOURCE], "detail-type": ["CaseTransitioned"]}
    bus = synthesized.data.logical_id("AWS::Events::EventBus", constants.EVENT_BUS_ID)
    assert synthesized.deref(rule["EventBusName"]) == {"Ref": bus}
    function_id = synthesized.compute.logical_id("AWS::Lambda::Function", constants.DOCUMENTS_FUNCTION_ID)
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 8


def test_the_documents_function_writes_pdfs_under_documents_only_and_publishes_nothing(synthesized):
    bucket_id = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    statements = [synthesized.deref(s) for s in _statements_of(synthesized.compute, f"{constants.DOCUMENTS_FUNCTION_ID}ServiceRole")]
    s3_statements = [s for s in statements if "s3:" in str(s["Action"])]
    assert len(s3_statements) == 1 and s3_statements[0]["Resource"] == _objects(bucket_id, constants.DOCUMENTS_PREFIX)
    assert not any("s3:GetObject" in str(s["Action"]) or "s3:Delete" in str(s["Action"]) for s in s3_statements)
    cases_id = synthesized.data.logical_id("AWS::DynamoDB::Table", constants.CASES_TABLE_ID)
    [cases] = [s for s in statements if {"Fn::GetAtt": [cases_id, "Arn"]} in _resources(s)]
    assert sorted(cases["Action"]) == ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
    assert _resources(cases) == [{"Fn::GetAtt": [cases_id, "Arn"]}]  # no index, nothing deleted
    actions = _role_actions(synthesized.compute, constants.DOCUMENTS_FUNCTION_ID)
    assert not {a for a in actions if a.startswith("dynamodb:") and ("Delete" in a or "BatchWrite" in a)}
    assert not {a for a in actions if a.startswith(("events:", "sns:", "states:", "cognito-idp:", "lambda:"))}


def _resources(statement: dict) -> list:
    resources = statement["Resource"]
    return resources if isinstance(resources, list) else [resources]
