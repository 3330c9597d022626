"""The SPA's Content-Security-Policy: exactly the sources the built app in web/ uses.

A pure function of the stack's endpoints, so that the policy can be tested without a stack; the
arguments may be CDK tokens (they become an Fn::Join in the template). CloudFront serves it
(infra/constructs/web.py) and the local web server sends it too, localized (infra/local/web.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

SELF = "'self'"
NONE = "'none'"
UNSAFE_INLINE = "'unsafe-inline'"

# CloudFront's limit on the Content-Security-Policy value of a response headers policy.
MAX_POLICY_LENGTH = 1783


def cognito_user_pool_endpoint(region: str, url_suffix: str) -> str:
    """The user-pool API the SPA calls with fetch (web/src/auth/cognito.ts); the URL suffix is
    amazonaws.com.cn in the China regions."""
    return f"https://cognito-idp.{region}.{url_suffix}"


def content_security_policy_directives(
    *, api_url: str, cognito_endpoint: str, attachment_origins: Sequence[str]
) -> dict[str, list[str]]:
    """Directive → sources. Anything not named falls back to default-src 'none' (fonts too: the
    SPA ships no web fonts, Element Plus' icons are inline SVG).

    attachment_origins: where presigned attachment URLs point (the bucket's global and regional
    domain: boto3 presigns with either, depending on the region).
    """
    return {
        "default-src": [NONE],
        # Vite emits module scripts only, no inline script and no eval.
        "script-src": [SELF],
        # Element Plus and ECharts set style attributes; the stylesheets themselves are files.
        "style-src": [SELF, UNSAFE_INLINE],
        # The favicon; Element Plus' CSS draws a few icons as data: URIs; image attachments are
        # previewed with <img> from their presigned GET URL.
        "img-src": [SELF, "data:", *attachment_origins],
        # /config.json, the API, Cognito's user-pool API, presigned POST uploads and the fetch
        # of a PDF attachment for its preview.
        "connect-src": [SELF, api_url, cognito_endpoint, *attachment_origins],
        # A PDF attachment is previewed in an <iframe> from a blob: copy (web/src/components/
        # office/AttachmentPreview.vue); the browser's PDF viewer needs no object-src.
        "frame-src": ["blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }


def render_policy(directives: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def content_security_policy(*, api_url: str, cognito_endpoint: str, attachment_origins: Sequence[str]) -> str:
    return render_policy(
        content_security_policy_directives(
            api_url=api_url, cognito_endpoint=cognito_endpoint, attachment_origins=attachment_origins
        )
    )
