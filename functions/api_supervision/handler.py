"""The supervision API function (电子监察): warnings and cards, supervision orders, complaint
handling, survey management, evaluation and statistics, live monitoring, the inspector log."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import evaluation_routes, inspector_log_routes, monitoring_routes, orders_routes, social_routes, supervision_routes
from http_api.api import logger, metrics, resolver, serve
from http_api.inspector_log_recording import inspector_log_recorded
from sunlight.config import SupervisionApiSettings

SETTINGS = SupervisionApiSettings  # what its environment must hold, checked on its first invocation
ROUTERS = (
    supervision_routes.router,
    orders_routes.router,
    social_routes.router,
    evaluation_routes.router,
    inspector_log_routes.router,
    monitoring_routes.router,
)
app = resolver(*ROUTERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@inspector_log_recorded  # 监察日志: every inspector's or admin's request here, refusals included
def handler(event: dict, context: LambdaContext) -> dict:
    return serve(app, SETTINGS, event, context)
