"""The SPA's Content-Security-Policy: the pure policy builder and the stack's response headers policy."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra import constants
from infra.content_security_policy import (
    MAX_POLICY_LENGTH,
    cognito_user_pool_endpoint,
    content_security_policy,
    content_security_policy_directives,
)

pytestmark = pytest.mark.xdist_group("infra")

API_URL = "https://abc123defg.execute-api.cn-northwest-1.amazonaws.com.cn/v1/"
BUCKET = "sunlight-attachmentsbucket8e14a36f-0123456789ab"
ATTACHMENTS = [f"https://{BUCKET}.s3.amazonaws.com", f"https://{BUCKET}.s3.cn-northwest-1.amazonaws.com.cn"]
FORBIDDEN = ("'unsafe-eval'", "*", "http:", "https:", "'strict-dynamic'", "'unsafe-hashes'", "'wasm-unsafe-eval'")


def parse(policy: str) -> dict[str, list[str]]:
    directives = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        assert name not in directives, f"{name} twice"
        directives[name] = sources
    return directives


def _render(value: Any) -> str:
    """An Fn::Join of the template as text, Ref and GetAtt as <LogicalId> and <LogicalId.Attribute>
    (cross-stack references resolved to their producers' first: SynthesizedApp.deref)."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return delimiter.join(_render(part) for part in parts)
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    raise AssertionError(f"unexpected intrinsic in the policy: {value}")


# --- the pure policy --------------------------------------------------------------------------


def test_policy_allows_the_spa_endpoints_and_nothing_else():
    cognito = cognito_user_pool_endpoint("cn-northwest-1", "amazonaws.com.cn")
    assert cognito == "https://cognito-idp.cn-northwest-1.amazonaws.com.cn"
    directives = parse(content_security_policy(api_url=API_URL, cognito_endpoint=cognito, attachment_origins=ATTACHMENTS))
    assert directives == {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *ATTACHMENTS],
        "connect-src": ["'self'", API_URL, cognito, *ATTACHMENTS],
        "frame-src": ["blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }


def test_policy_has_no_forbidden_source_and_fits_cloudfront():
    policy = content_security_policy(api_url=API_URL, cognito_endpoint="https://cognito-idp.x", attachment_origins=ATTACHMENTS)
    sources = [source for values in parse(policy).values() for source in values]
    assert not set(FORBIDDEN) & set(sources)
    assert len(policy) < MAX_POLICY_LENGTH


def test_directives_are_a_fresh_mapping_per_call():
    first = content_security_policy_directives(api_url="a", cognito_endpoint="b", attachment_origins=["c"])
    first["script-src"].append("'unsafe-eval'")
    second = content_security_policy_directives(api_url="a", cognito_endpoint="b", attachment_origins=["c"])
    assert second["script-src"] == ["'self'"]


# --- the stack --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def headers_policy(synthesized) -> tuple[str, dict[str, Any]]:
    logical_id = synthesized.web.logical_id("AWS::CloudFront::ResponseHeadersPolicy", constants.WEB_RESPONSE_HEADERS_POLICY_ID)
    return logical_id, synthesized.deref(synthesized.web.resources[logical_id]["Properties"]["ResponseHeadersPolicyConfig"])


def test_distribution_uses_the_custom_headers_policy(synthesized, headers_policy):
    logical_id, _ = headers_policy
    synthesized.web.template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": {"DefaultCacheBehavior": Match.object_like({"ResponseHeadersPolicyId": {"Ref": logical_id}})}},
    )


def test_headers_policy_keeps_the_managed_security_headers(headers_policy):
    _, config = headers_policy
    security = config["SecurityHeadersConfig"]
    assert security["StrictTransportSecurity"] == {"AccessControlMaxAgeSec": 31536000, "Override": True}
    assert security["ContentTypeOptions"] == {"Override": True}
    assert security["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert security["ReferrerPolicy"] == {"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": True}
    assert security["XSSProtection"] == {"Protection": True, "ModeBlock": True, "Override": True}
    assert security["ContentSecurityPolicy"]["Override"] is True


def test_headers_policy_csp_names_this_stacks_endpoints(synthesized, headers_policy):
    _, config = headers_policy
    directives = parse(_render(config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]))
    api = synthesized.api.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    stage = synthesized.api_routes.logical_id("AWS::ApiGateway::Stage", f"{constants.API_ID}DeploymentStage")
    bucket = synthesized.data.logical_id("AWS::S3::Bucket", constants.ATTACHMENTS_BUCKET_ID)
    api_url = f"https://<{api}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/<{stage}>/"
    cognito = "https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>"
    attachments = [f"https://<{bucket}.DomainName>", f"https://<{bucket}.RegionalDomainName>"]
    assert directives["connect-src"] == ["'self'", api_url, cognito, *attachments]
    assert directives["img-src"] == ["'self'", "data:", *attachments]
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == directives["object-src"] == directives["frame-ancestors"] == ["'none'"]
    assert directives["frame-src"] == ["blob:"]
    assert not set(FORBIDDEN) & {source for values in directives.values() for source in values}
