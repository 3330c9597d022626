"""The citizens' API function (申请人), and every signed-in user's account: applications,
uploads, their cases and supplements, complaints, ratings and survey answers; /me, signing out
and notifications (any signed-in user, so inspectors' and admins' calls here are logged)."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import account_routes, citizen_routes, social_routes
from http_api.api import logger, metrics, resolver, serve
from http_api.inspector_log_recording import inspector_log_recorded
from sunlight.config import CitizenApiSettings

SETTINGS = CitizenApiSettings  # what its environment must hold, checked on its first invocation
ROUTERS = (account_routes.router, citizen_routes.router, social_routes.citizen_router)
app = resolver(*ROUTERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@inspector_log_recorded  # 监察日志: every inspector's or admin's request here, refusals included
def handler(event: dict, context: LambdaContext) -> dict:
    return serve(app, SETTINGS, event, context)
