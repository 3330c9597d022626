"""The API's web application firewall (WAF): rate limits per client address and AWS's common rules.

API Gateway's stage throttle (100 requests/s for everybody together) cannot stop one client from
guessing query codes at that rate; these per-address limits do, in front of the per-case lockout
that the API itself keeps (services/tracking.py). Blocked requests get a 429 with a Chinese JSON
message, as the API's own errors are shaped. Not emulated locally: moto has no WAF.
"""

from __future__ import annotations

import json

from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra import constants

# Requests per client address in a 5-minute window. The SPA makes a handful of calls per page,
# a busy clerk a few hundred in five minutes; a citizen tracks a case a few times.
API_RATE_LIMIT = 2000
TRACK_RATE_LIMIT = 100
RATE_WINDOW_SECONDS = 300
TOO_MANY_REQUESTS_BODY = "TooManyRequests"
TOO_MANY_REQUESTS_MESSAGE = {"code": "too_many_requests", "message": "请求过于频繁，请5分钟后再试。"}


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


class ApiFirewall:
    """The web ACL lives with the API; `protect` associates it with the stage, where the stage is."""

    def __init__(self, scope: Construct, *, allowed_origins: list[str]) -> None:
        block_with_429 = wafv2.CfnWebACL.RuleActionProperty(
            block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=429,
                    custom_response_body_key=TOO_MANY_REQUESTS_BODY,
                    response_headers=self._headers(allowed_origins),
                )
            )
        )
        self.web_acl = wafv2.CfnWebACL(
            scope,
            constants.API_WEB_ACL_ID,
            description="Sunlight API - per-address rate limits, tighter for tracking, and AWS common rules",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(constants.API_WEB_ACL_ID),
            custom_response_bodies={
                TOO_MANY_REQUESTS_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps(TOO_MANY_REQUESTS_MESSAGE, ensure_ascii=False),
                )
            },
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name=constants.API_TRACK_RATE_RULE,
                    priority=0,
                    action=block_with_429,
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=TRACK_RATE_LIMIT,
                            aggregate_key_type="IP",
                            evaluation_window_sec=RATE_WINDOW_SECONDS,
                            scope_down_statement=wafv2.CfnWebACL.StatementProperty(
                                byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
                                    field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
                                    positional_constraint="ENDS_WITH",
                                    search_string="/track",
                                    text_transformations=[
                                        wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NORMALIZE_PATH"),
                                        wafv2.CfnWebACL.TextTransformationProperty(priority=1, type="LOWERCASE"),
                                    ],
                                )
                            ),
                        )
                    ),
                    visibility_config=_visibility(constants.API_TRACK_RATE_RULE),
                ),
                wafv2.CfnWebACL.RuleProperty(
                    name=constants.API_RATE_RULE,
                    priority=1,
                    action=block_with_429,
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=API_RATE_LIMIT, aggregate_key_type="IP", evaluation_window_sec=RATE_WINDOW_SECONDS
                        )
                    ),
                    visibility_config=_visibility(constants.API_RATE_RULE),
                ),
                wafv2.CfnWebACL.RuleProperty(
                    name=constants.API_COMMON_RULES,
                    priority=2,
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS",
                            name="AWSManagedRulesCommonRuleSet",
                            # Bodies over 8 KB are legitimate here (a complaint may hold 5,000
                            # Chinese characters, 15 KB of UTF-8); the API bounds each field.
                            rule_action_overrides=[
                                wafv2.CfnWebACL.RuleActionOverrideProperty(
                                    name="SizeRestrictions_BODY",
                                    action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}),
                                )
                            ],
                        )
                    ),
                    visibility_config=_visibility(constants.API_COMMON_RULES),
                ),
            ],
        )

    def protect(self, scope: Construct, stage: apigw.Stage) -> wafv2.CfnWebACLAssociation:
        """Puts the web ACL in front of the stage (the association in `scope`, the stage's stack)."""
        return wafv2.CfnWebACLAssociation(
            scope,
            f"{constants.API_WEB_ACL_ID}Association",
            resource_arn=stage.stage_arn,
            web_acl_arn=self.web_acl.attr_arn,
        )

    @staticmethod
    def _headers(allowed_origins: list[str]) -> list[wafv2.CfnWebACL.CustomHTTPHeaderProperty]:
        headers = [wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value=str(RATE_WINDOW_SECONDS))]
        # Like the gateway's own errors: a browser can read the message only if the one allowed
        # origin is named (several origins cannot be echoed by a fixed response).
        if len(allowed_origins) == 1:
            headers.append(wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Access-Control-Allow-Origin", value=allowed_origins[0]))
        return headers
