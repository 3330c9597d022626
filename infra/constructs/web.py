"""The staff SPA: a private bucket behind CloudFront, plus the runtime config.json it reads."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Aws, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from infra import constants
from infra.constructs.data import Data
from infra.constructs.identity import Identity
from infra.content_security_policy import cognito_user_pool_endpoint, content_security_policy
from infra.nag import (
    LAMBDA_BASIC_EXECUTION_ROLE,
    WILDCARD_RESOURCE,
    acknowledge,
    stack_children,
    wildcard_under,
)

RUNTIME_CONFIG_KEY = "config.json"


def web_content_dir() -> Path:
    """The built SPA if there is one, else the placeholder page."""
    return constants.WEB_DIST_DIR if constants.WEB_DIST_DIR.is_dir() else constants.WEB_PLACEHOLDER_DIR


class Web:
    def __init__(self, scope: Construct, *, data: Data, identity: Identity, api_url: str) -> None:
        self.bucket = s3.Bucket(
            scope,
            "WebBucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=data.access_logs_bucket,
            server_access_logs_prefix="s3/WebBucket/",
            removal_policy=RemovalPolicy.RETAIN,
        )

        # A client-side router owns every path: missing objects (403 without ListBucket) serve the app.
        spa_fallbacks = [
            cloudfront.ErrorResponse(
                http_status=status,
                response_http_status=200,
                response_page_path="/index.html",
                ttl=Duration.seconds(0),
            )
            for status in (403, 404)
        ]
        self.distribution = cloudfront.Distribution(
            scope,
            "WebDistribution",
            comment="Sunlight staff SPA (阳光政务)",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self._response_headers_policy(scope, data=data, api_url=api_url),
                compress=True,
            ),
            error_responses=spa_fallbacks,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            # Includes the Asian edge locations nearest to mainland users.
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,
            enable_logging=True,
            log_bucket=data.access_logs_bucket,
            log_file_prefix="cloudfront/WebDistribution/",
        )
        acknowledge(
            self.distribution,
            "Citizens of the city apply from anywhere, including abroad; no country is to be blocked.",
            "AwsSolutions-CFR1",
        )
        acknowledge(
            self.distribution,
            "The distribution serves static files only; the API has its own authorizer and "
            "throttling. A WAF web ACL is a per-city cost decision.",
            "AwsSolutions-CFR2",
        )
        acknowledge(
            self.distribution,
            "Without a custom domain the distribution uses the default *.cloudfront.net "
            "certificate, whose TLS policy is fixed by CloudFront; a city domain with an ACM "
            "certificate should set minimum_protocol_version TLSv1.2_2021.",
            "AwsSolutions-CFR4",
        )

        # One deployment for the app and its config: a second one would prune the other's files.
        self.deployment = s3deploy.BucketDeployment(
            scope,
            "WebDeployment",
            sources=[
                s3deploy.Source.asset(str(web_content_dir())),
                s3deploy.Source.json_data(
                    RUNTIME_CONFIG_KEY,
                    {
                        "apiUrl": api_url,
                        "userPoolId": identity.user_pool.user_pool_id,
                        "userPoolClientId": identity.web_client.user_pool_client_id,
                        "region": Stack.of(scope).region,
                    },
                ),
            ],
            destination_bucket=self.bucket,
            distribution=self.distribution,
            distribution_paths=["/*"],
        )

        self._acknowledge_deployment_findings(scope)

    @staticmethod
    def _response_headers_policy(scope: Construct, *, data: Data, api_url: str) -> cloudfront.ResponseHeadersPolicy:
        """The managed SECURITY_HEADERS policy's headers (X-Frame-Options tightened to DENY) plus a
        Content-Security-Policy built from this stack's endpoints. The local runner sends the same
        headers (infra/local/web.py)."""
        bucket = data.attachments_bucket
        policy = content_security_policy(
            api_url=api_url,
            cognito_endpoint=cognito_user_pool_endpoint(Aws.REGION, Aws.URL_SUFFIX),
            # boto3 presigns with the global name outside China, the regional one in China.
            attachment_origins=[
                f"https://{bucket.bucket_domain_name}",
                f"https://{bucket.bucket_regional_domain_name}",
            ],
        )
        return cloudfront.ResponseHeadersPolicy(
            scope,
            constants.WEB_RESPONSE_HEADERS_POLICY_ID,
            # Policy names are unique per account, across regions: the stack name and region keep
            # two deployments of this stack in one account apart.
            response_headers_policy_name=f"{Stack.of(scope).stack_name}-web-headers-{Aws.REGION}",
            comment="Sunlight SPA: security headers and Content-Security-Policy",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=policy, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override=True
                ),
                # As the managed policy: one year, without includeSubDomains/preload, which would
                # bind every subdomain of a city's own domain.
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), override=True
                ),
                xss_protection=cloudfront.ResponseHeadersXSSProtection(protection=True, mode_block=True, override=True),
            ),
        )

    def _acknowledge_deployment_findings(self, scope: Construct) -> None:
        """BucketDeployment runs CDK's own provider function, shared by all deployments in the stack."""
        qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER
        assets_bucket = f"cdk-{qualifier}-assets-<AWS::AccountId>-<AWS::Region>"
        for provider in stack_children(scope, "Custom::CDKBucketDeployment"):
            acknowledge(
                provider,
                "CDK's BucketDeployment provider writes its logs with the AWS-documented policy.",
                LAMBDA_BASIC_EXECUTION_ROLE,
            )
            acknowledge(
                provider,
                "The runtime of CDK's BucketDeployment provider is chosen by aws-cdk-lib and "
                "moves with CDK upgrades.",
                "AwsSolutions-L1",
            )
            acknowledge(
                provider,
                "BucketDeployment copies the asset zips from the CDK assets bucket into the web "
                "bucket (grantRead/grantReadWrite action groups on <bucket>/*) and invalidates "
                "the distribution (cloudfront:CreateInvalidation has no resource-level scoping "
                "in CDK's grant).",
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{assets_bucket}/*]",
                wildcard_under(self.bucket, "/*"),
                WILDCARD_RESOURCE,
                "AwsSolutions-IAM5[Action::s3:GetObject*]",
                "AwsSolutions-IAM5[Action::s3:GetBucket*]",
                "AwsSolutions-IAM5[Action::s3:List*]",
                "AwsSolutions-IAM5[Action::s3:Abort*]",
                "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
            )

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"
