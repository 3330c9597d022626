"""The headers CloudFront adds to the SPA's responses, for the local web server to send.

They come from the template's AWS::CloudFront::ResponseHeadersPolicy that the distribution's
default behavior uses, resolved by the provisioner (so the Content-Security-Policy names the
provisioned bucket and API) and localized: the endpoints the browser calls (API, Cognito, S3)
become the local gateway and moto, so the same policy is enforced locally.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from infra.local.engine.provision import ProvisionedStack
from infra.local.engine.template import TemplateError

log = logging.getLogger(__name__)

CSP_HEADER = "Content-Security-Policy"
HSTS_HEADER = "Strict-Transport-Security"
EMULATED_PARTS = {"Name", "Comment", "SecurityHeadersConfig", "CustomHeadersConfig"}


def policy_headers(config: Mapping[str, Any]) -> dict[str, str]:
    """Header → value, as CloudFront writes them for a (resolved) ResponseHeadersPolicyConfig."""
    security = config.get("SecurityHeadersConfig", {})
    headers: dict[str, str] = {}
    if "StrictTransportSecurity" in security:
        sts = security["StrictTransportSecurity"]
        headers[HSTS_HEADER] = "; ".join(
            [f"max-age={int(sts['AccessControlMaxAgeSec'])}"]
            + ["includeSubDomains"] * bool(sts.get("IncludeSubdomains"))
            + ["preload"] * bool(sts.get("Preload")))
    if "ContentTypeOptions" in security:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in security:
        headers["X-Frame-Options"] = security["FrameOptions"]["FrameOption"]
    if "ReferrerPolicy" in security:
        headers["Referrer-Policy"] = security["ReferrerPolicy"]["ReferrerPolicy"]
    if "XSSProtection" in security:
        xss = security["XSSProtection"]
        value = "1" if xss.get("Protection") else "0"
        if xss.get("Protection") and xss.get("ModeBlock"):
            value += "; mode=block"
        elif xss.get("Protection") and xss.get("ReportUri"):
            value += f"; report={xss['ReportUri']}"
        headers["X-XSS-Protection"] = value
    if "ContentSecurityPolicy" in security:
        headers[CSP_HEADER] = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers[item["Header"]] = item["Value"]
    return headers


def localize_policy(policy: str, localize: Callable[[str], str]) -> str:
    """The policy with deployed endpoints replaced; sources that became the same URL (Cognito and
    both bucket domains are all moto) are listed once."""
    directives = []
    for directive in localize(policy).split(";"):
        name, *sources = directive.split()
        directives.append(" ".join([name, *dict.fromkeys(sources)]))
    return "; ".join(directives)


def web_response_headers(stack: ProvisionedStack) -> dict[str, str]:
    """The localized headers of the distribution's default-behavior response headers policy."""
    distributions = stack.template.resources_of_type("AWS::CloudFront::Distribution")
    if not distributions:
        return {}
    if len(distributions) > 1:
        raise TemplateError(f"the local web server stands in for one distribution, not {sorted(distributions)}")
    [distribution] = distributions.values()
    behavior = distribution["Properties"]["DistributionConfig"].get("DefaultCacheBehavior", {})
    policy_ref = behavior.get("ResponseHeadersPolicyId")
    if policy_ref is None:
        return {}
    logical_id = policy_ref.get("Ref") if isinstance(policy_ref, dict) else None
    if logical_id not in stack.response_headers_policies:
        log.warning("the distribution's response headers policy %s is not in the template (a managed "
                    "policy?): the local web server sends no security headers", policy_ref)
        return {}
    config = stack.response_headers_policies[logical_id]
    not_emulated = set(config) - EMULATED_PARTS
    if not_emulated:
        log.warning("response headers policy %s: %s not sent locally", logical_id, sorted(not_emulated))
    headers = policy_headers(config)
    # The local server speaks plain http, where browsers ignore HSTS (RFC 6797 §8.1); it is left
    # out so that a local server reached through an https proxy never pins its host name to https.
    headers.pop(HSTS_HEADER, None)
    return {name: localize_policy(value, stack.localize_for_browser) if name == CSP_HEADER
            else stack.localize_for_browser(value) for name, value in headers.items()}
