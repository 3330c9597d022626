"""Dashboards, alarms and the ops topic (monitoring stack) and the operational metrics function
(compute stack) in the synthesized templates."""

from __future__ import annotations

import json
import re

from infra import constants
from sunlight.models import evaluation_events as ev


def dashboard(synthesized, construct_id: str) -> dict:
    """The dashboard body as JSON (its region tokens joined as a placeholder)."""
    body = synthesized.monitoring.resource("AWS::CloudWatch::Dashboard", construct_id)["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    return json.loads("".join(p if isinstance(p, str) else "REGION" for p in parts))


def metric_rows(widget: dict) -> list[list]:
    return widget["properties"].get("metrics", [])


def test_the_city_dashboard_shows_the_city_figures_and_searches_every_department(synthesized):
    body = dashboard(synthesized, constants.CITY_DASHBOARD_ID)
    widgets = body["widgets"]
    city = {tuple(row[:4]) for w in widgets for row in metric_rows(w) if len(row) >= 4 and row[2] == "Scope"}
    expected = {"CasesReceived", "CasesCompleted", "CasesOverdue", "ReminderWarnings", "YellowCards", "RedCards", "AnomalyWarnings",
                "ComplaintsFiled"}
    assert {(constants.METRICS_NAMESPACE, name, "Scope", "city") for name in expected} <= city
    single = next(w for w in widgets if w["properties"].get("view") == "singleValue")
    assert single["properties"]["setPeriodToTimeRange"] is True
    searches = [row[0]["expression"] for w in widgets for row in metric_rows(w) if isinstance(row[0], dict) and "expression" in row[0]]
    by_department = {re.search(r'MetricName="(\w+)"', s).group(1) for s in searches}
    assert {"CasesReceived", "CasesCompleted", "CasesOverdue", "YellowCards", "RedCards", "ComplaintsFiled"} <= by_department
    assert all(s.startswith(f"SEARCH('{{{constants.METRICS_NAMESPACE},Department}}") for s in searches)
    assert any(w["type"] == "alarm" for w in widgets)


def test_the_department_dashboard_has_a_department_variable_over_every_widget(synthesized):
    body = dashboard(synthesized, constants.DEPARTMENT_DASHBOARD_ID)
    (variable,) = body["variables"]
    assert variable["type"] == "property" and variable["property"] == "Department"
    assert variable["inputType"] == "select" and variable["defaultValue"] == "__FIRST"
    assert variable["search"] == f'{{{constants.METRICS_NAMESPACE},Department}} MetricName="CasesReceived"'
    assert variable["populateFrom"] == "Department"
    rows = [row for w in body["widgets"] for row in metric_rows(w)]
    assert rows and all(row[2] == "Department" for row in rows)  # every figure follows the variable


def test_the_operations_dashboard_keeps_the_system_health(synthesized):
    body = json.dumps(dashboard(synthesized, constants.OPERATIONS_DASHBOARD_ID))
    for metric in ("5XXError", "Latency", "Errors", "Duration", "ExecutionsFailed"):
        assert metric in body, metric
    assert constants.OPERATIONAL_METRICS_FUNCTION_ID in body


def test_any_red_card_alarms_to_the_red_card_topic(synthesized):
    alarm = synthesized.monitoring.resource("AWS::CloudWatch::Alarm", constants.RED_CARD_ALARM_ID)["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (constants.METRICS_NAMESPACE, "RedCards", "Sum")
    assert alarm["Dimensions"] == [{"Name": "Scope", "Value": "city"}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"], alarm["EvaluationPeriods"]) == (1, "GreaterThanOrEqualToThreshold", 1)
    assert alarm["Period"] == constants.DEADLINE_CHECK_RATE_MINUTES * 60
    assert alarm["TreatMissingData"] == "notBreaching"
    red_topic = synthesized.data.logical_id("AWS::SNS::Topic", constants.WARNING_TOPIC_IDS["red"])
    assert synthesized.deref(alarm["AlarmActions"]) == [{"Ref": red_topic}]  # the data stack's topic


def test_system_alarms_go_to_the_ops_topic_which_cloudwatch_can_use(synthesized):
    ops_topic = synthesized.monitoring.logical_id("AWS::SNS::Topic", constants.ALERT_TOPIC_ID)
    system = [a["Properties"] for lid, a in synthesized.monitoring.resources_of_type("AWS::CloudWatch::Alarm").items()
              if not lid.startswith(constants.RED_CARD_ALARM_ID)]
    assert {a["MetricName"] for a in system} >= {"5XXError", "Errors", "ExecutionsFailed", "InspectorLogFailures", "InspectorLogBroken"}
    assert all(a["AlarmActions"] == [{"Ref": ops_topic}] for a in system)
    # Alarms cannot publish to topics under the AWS-managed SNS key: ours lets CloudWatch use it.
    alert_key = synthesized.monitoring.resource("AWS::SNS::Topic", constants.ALERT_TOPIC_ID)["Properties"]["KmsMasterKeyId"]
    key_id = synthesized.deref(alert_key)["Fn::GetAtt"][0]  # the data stack's key
    assert synthesized.data.resource("AWS::SNS::Topic", constants.WARNING_TOPIC_IDS["red"])["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0] == key_id
    key = synthesized.data.resources[key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    statements = key["KeyPolicy"]["Statement"]
    assert any(s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"} and "kms:GenerateDataKey*" in s["Action"] for s in statements)


def test_the_operational_metrics_function_listens_to_the_bus_and_the_api_reads_metrics(synthesized):
    rule = synthesized.compute.resource("AWS::Events::Rule", constants.OPERATIONAL_METRICS_RULE_ID)["Properties"]
    assert rule["EventPattern"]["source"] == [constants.DOMAIN_EVENT_SOURCE]
    # A decided card appeal counts in the bureaus' figures only, not in the live overview.
    assert set(rule["EventPattern"]["detail-type"]) == {"CaseTransitioned", *ev.EVALUATION_DETAIL_TYPES} - {ev.WARNING_APPEAL_DECIDED}
    function = synthesized.compute.logical_id("AWS::Lambda::Function", constants.OPERATIONAL_METRICS_FUNCTION_ID)
    assert rule["Targets"][0]["Arn"] == {"Fn::GetAtt": [function, "Arn"]}
    properties = synthesized.compute.resources[function]["Properties"]
    assert properties["Handler"] == constants.OPERATIONAL_METRICS_HANDLER
    assert properties["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"] == constants.METRICS_NAMESPACE
    api_role = synthesized.api.resources[synthesized.api.logical_id("AWS::Lambda::Function", constants.API_SUPERVISION.function_id)]["Properties"]["Role"]
    role_ref = {"Ref": api_role["Fn::GetAtt"][0]}
    policies = [p["Properties"] for p in synthesized.api.resources_of_type("AWS::IAM::Policy").values() if role_ref in p["Properties"]["Roles"]]
    statements = [s for p in policies for s in p["PolicyDocument"]["Statement"]]
    wildcard = [s for s in statements if s["Resource"] == "*"]
    assert any("cloudwatch:GetMetricData" in s["Action"] for s in wildcard)
    # Reading metrics only: nothing else of CloudWatch.
    assert {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"]) if a.startswith("cloudwatch:")} == {
        "cloudwatch:GetMetricData"}
