"""Citizen self-registration (公众注册): the user pool's post-confirmation trigger puts a newly
confirmed account into the citizen group (functions/citizen_signup/handler.py)."""

from __future__ import annotations

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import constants
from infra.constructs.identity import Identity
from infra.constructs.python_function import cfn_function, python_function, role_of

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
        # The pool (data stack) names this function by its fixed name, not by a reference: the data
        # stack must not depend on the compute stack (see attach_trigger). So the name is set here,
        # and Cognito's permission to invoke is granted from this side.
        cfn_function(self.function).add_property_override("FunctionName", constants.CITIZEN_SIGNUP_FUNCTION_NAME)
        self.function.add_permission(
            f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}CognitoInvoke",
            principal=iam.ServicePrincipal("cognito-idp.amazonaws.com"),
            source_arn=identity.user_pool.user_pool_arn,
        )
        # A separate policy, not the role's default one: the function resource depends on its
        # default policy, and a default policy naming the pool would close a cycle
        # (pool → function → policy → pool).
        iam.Policy(
            scope,
            f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}Enrolment",
            roles=[role_of(self.function)],
            statements=[iam.PolicyStatement(actions=list(ENROLMENT_ACTIONS), resources=[identity.user_pool.user_pool_arn])],
        )


def attach_trigger(scope: Construct, identity: Identity) -> None:
    """Makes the signup function (by its fixed name) the pool's post-confirmation trigger.

    Called in the pool's own (data) stack: a reference to the function would make the data stack
    depend on the compute stack, which could then not be replaced without touching the pool. While
    the compute stack is away, confirmations fail (the trigger is missing) and nothing is lost.
    """
    function_arn = Stack.of(scope).format_arn(
        service="lambda",
        resource="function",
        resource_name=constants.CITIZEN_SIGNUP_FUNCTION_NAME,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    trigger = lambda_.Function.from_function_attributes(
        scope, f"{constants.CITIZEN_SIGNUP_FUNCTION_ID}Trigger", function_arn=function_arn, skip_permissions=True
    )
    identity.user_pool.add_trigger(cognito.UserPoolOperation.POST_CONFIRMATION, trigger)
