"""The department office's API function (窗口、承办、审核、分管领导): worklists, a case's dossier (read by
inspectors too), the staff's actions and attachments, window intake, special procedures,
extensions, the warning inbox, the calendar and a staff member's responsibilities."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import calendar_routes, case_routes, inspection_routes, office_routes, orders_routes, social_routes, supervision_routes
from http_api.api import logger, metrics, resolver, serve
from http_api.inspector_log_recording import inspector_log_recorded
from sunlight.config import OfficeApiSettings

SETTINGS = OfficeApiSettings  # what its environment must hold, checked on its first invocation
ROUTERS = (
    case_routes.router,
    office_routes.router,
    inspection_routes.router,
    supervision_routes.office_router,
    calendar_routes.router,
    orders_routes.office_router,
    social_routes.office_router,
)
app = resolver(*ROUTERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@inspector_log_recorded  # 监察日志: every inspector's or admin's request here, refusals included
def handler(event: dict, context: LambdaContext) -> dict:
    return serve(app, SETTINGS, event, context)
