"""Citizen self-registration (公众注册): the user pool's post-confirmation trigger puts a newly
confirmed account into the citizen group (functions/citizen_signup/handler.py)."""

from __future__ import annotations

from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.identity import Identity
from infra.constructs.python_function import python_function, role_of

# The group, and the display name chosen at registration (users cannot write `name` themselves).
ENROLMENT_ACTIONS = ("cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminUpdateUserAttributes")


class CitizenSignup:
    def __init__(self, scope: Construct, *, identity: Identity, layers: list[lambda_.ILayerVersion]) -> None:
        # No USER_POOL_ID in the environment: the pool refers to this function as its trigger,
        # so the function learns the pool from the trigger's event instead.
        self.function = python_function(
            scope,
            constants.CITIZEN_SIGNUP_FUNCTION_ID,
            description="Cognito post-confirmation: a confirmed self-registered account becomes a citizen",
            handler=constants.CITIZEN_SIGNUP_HANDLER,
            layers=layers,
            environment={},
        )
        identity.user_pool.add_trigger(cognito.UserPoolOperation.POST_CONFIRMATION, self.function)
        # A separate policy, not the role's default one: the function resource depends on its
        # default policy, and a default policy naming the pool would close a cycle
        # (pool → function → policy → pool).
        iam.Policy(
            scope,
            f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}Enrolment",
            roles=[role_of(self.function)],
            statements=[iam.PolicyStatement(actions=list(ENROLMENT_ACTIONS), resources=[identity.user_pool.user_pool_arn])],
        )
