"""Cognito post-confirmation trigger: a citizen who confirmed the sign-up code becomes a citizen
(the `citizen` group). Cognito waits for this function and expects the event back unchanged."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.cognito_user_pool_event import PostConfirmationTriggerEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import CitizenSignupSettings, require_environment
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = CitizenSignupSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()


@logger.inject_lambda_context
@metrics.log_metrics
@event_source(data_class=PostConfirmationTriggerEvent)
def handler(event: PostConfirmationTriggerEvent, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    # The pool comes from the event: the pool refers to this function, so the function cannot
    # refer to the pool (a dependency cycle in CloudFormation).
    chosen_name = (event.request.client_metadata or {}).get("display_name")  # from the SPA's ConfirmSignUp
    enrolled = container().citizen_enrolment(event.user_pool_id).on_confirmed(event.user_name, event.trigger_source, chosen_name)
    if enrolled:
        metrics.add_metric(name="CitizensRegistered", unit=MetricUnit.Count, value=1)
    logger.info("post confirmation", extra={"trigger_source": event.trigger_source, "enrolled": enrolled})
    return event.raw_event
