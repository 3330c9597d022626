"""The public API function (信息公开): the catalog and departments, the server's clock and reference data (roles, steps, statuses and their labels), tracking a
case by number and query code, published evaluation and open surveys, and the whole API's OpenAPI
document. No sign-in: nothing here is recorded in the inspector log."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import evaluation_routes, inspection_routes, public_routes, reference_routes, social_routes
from http_api.api import logger, metrics, resolver, serve
from sunlight.config import PublicApiSettings

SETTINGS = PublicApiSettings  # what its environment must hold, checked on its first invocation
ROUTERS = (public_routes.router, reference_routes.router, evaluation_routes.public_router, social_routes.public_router,
           inspection_routes.public_router)
app = resolver(*ROUTERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    return serve(app, SETTINGS, event, context)
