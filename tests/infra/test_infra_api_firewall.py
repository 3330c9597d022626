"""The API's WAF: a regional web ACL on the API stage with a per-address rate rule that is
tighter for /track (query-code guessing), a general per-address rate rule, and AWS's common
rules; blocked requests get a 429 with a Chinese JSON message."""

from __future__ import annotations

import json

from infra import constants
from infra.constructs.api_firewall import API_RATE_LIMIT, RATE_WINDOW_SECONDS, TRACK_RATE_LIMIT


def test_the_web_acl_guards_the_api_stage(synthesized):
    acl_id = synthesized.api.logical_id("AWS::WAFv2::WebACL", constants.API_WEB_ACL_ID)
    # The association is beside the stage (routes stack), the web ACL in the API stack.
    assert not synthesized.api.resources_of_type("AWS::WAFv2::WebACLAssociation")
    (association,) = synthesized.api_routes.resources_of_type("AWS::WAFv2::WebACLAssociation").values()
    assert synthesized.deref(association["Properties"]["WebACLArn"]) == {"Fn::GetAtt": [acl_id, "Arn"]}
    stage_id = synthesized.api_routes.logical_id("AWS::ApiGateway::Stage", constants.API_ID)
    assert {"Ref": stage_id} in json.loads(json.dumps(association["Properties"]["ResourceArn"]))["Fn::Join"][1]


def test_tracking_is_rate_limited_per_address_tighter_than_the_rest(synthesized):
    acl = synthesized.api.resource("AWS::WAFv2::WebACL", constants.API_WEB_ACL_ID)["Properties"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    assert [r["Name"] for r in sorted(acl["Rules"], key=lambda r: r["Priority"])] == [
        constants.API_TRACK_RATE_RULE, constants.API_RATE_RULE, constants.API_COMMON_RULES,
    ]
    track = rules[constants.API_TRACK_RATE_RULE]["Statement"]["RateBasedStatement"]
    assert (track["Limit"], track["AggregateKeyType"], track["EvaluationWindowSec"]) == (TRACK_RATE_LIMIT, "IP", RATE_WINDOW_SECONDS)
    match = track["ScopeDownStatement"]["ByteMatchStatement"]
    assert (match["SearchString"], match["PositionalConstraint"], match["FieldToMatch"]) == ("/track", "ENDS_WITH", {"UriPath": {}})
    general = rules[constants.API_RATE_RULE]["Statement"]["RateBasedStatement"]
    assert (general["Limit"], general["AggregateKeyType"]) == (API_RATE_LIMIT, "IP") and TRACK_RATE_LIMIT < API_RATE_LIMIT
    common = rules[constants.API_COMMON_RULES]["Statement"]["ManagedRuleGroupStatement"]
    assert (common["VendorName"], common["Name"]) == ("AWS", "AWSManagedRulesCommonRuleSet")


def test_a_blocked_request_gets_429_with_a_chinese_message_and_retry_after(synthesized):
    acl = synthesized.api.resource("AWS::WAFv2::WebACL", constants.API_WEB_ACL_ID)["Properties"]
    for rule in acl["Rules"][:2]:
        response = rule["Action"]["Block"]["CustomResponse"]
        assert response["ResponseCode"] == 429
        assert {"Name": "Retry-After", "Value": str(RATE_WINDOW_SECONDS)} in response["ResponseHeaders"]
        body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
        assert body["ContentType"] == "APPLICATION_JSON" and "请求过于频繁" in json.loads(body["Content"])["message"]
