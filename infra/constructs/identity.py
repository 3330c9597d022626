"""Cognito user pool for citizens and staff, one group per role, and the SPA's client."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra import constants
from infra.nag import acknowledge


class Identity:
    def __init__(self, scope: Construct) -> None:
        self.user_pool = cognito.UserPool(
            scope,
            constants.USER_POOL_ID,
            # Citizens register themselves; staff accounts are created by admins.
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(username=True),
            sign_in_case_sensitive=False,
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=False, mutable=True),
            ),
            custom_attributes={
                constants.DEPARTMENT_ATTRIBUTE: cognito.StringAttribute(min_len=1, max_len=64, mutable=True),
                constants.GOVERNMENT_ATTRIBUTE: cognito.StringAttribute(min_len=6, max_len=12, mutable=True),
            },
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            user_verification=cognito.UserVerificationConfig(
                email_subject="阳光政务 · 邮箱验证码",
                email_body="您的验证码是 {####}。",
                email_style=cognito.VerificationEmailStyle.CODE,
            ),
            feature_plan=cognito.FeaturePlan.ESSENTIALS,
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(
            self.user_pool,
            "MFA is optional (TOTP) because citizens sign up themselves and many have no "
            "authenticator app; staff are expected to enrol TOTP.",
            "AwsSolutions-COG2",
        )
        acknowledge(
            self.user_pool,
            "The Plus feature plan (threat protection) is billed per monthly active user; with "
            "open citizen sign-up that is a budget decision for each city.",
            "AwsSolutions-COG8",
        )

        self.groups = {
            name: self.user_pool.add_group(f"{name.capitalize()}Group", group_name=name)
            for name in constants.USER_GROUPS
        }

        self.web_client = cognito.UserPoolClient(
            scope,
            constants.USER_POOL_CLIENT_ID,
            user_pool=self.user_pool,
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_password=True, user_srp=True),
            # The SPA signs in with SRP against the pool; no hosted UI, so no OAuth callbacks.
            disable_o_auth=True,
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            # custom:department (and custom:government, an inspector's level) scopes a staff
            # member's powers and `name` is the actor name the
            # API writes into timelines and the inspector log: only admins set them
            # (AdminUpdateUserAttributes), so users must not write them through this client. A
            # citizen's display name is set once, at confirmation, by the post-confirmation
            # trigger (functions/citizen_signup).
            write_attributes=cognito.ClientAttributes().with_standard_attributes(email=True, phone_number=True),
        )
