"""The administration's API function (系统管理员 / 法制办): catalog maintenance, departments, users and
roles, calendar edits, evaluation weights and closing a period."""

from __future__ import annotations

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from http_api import admin_routes, calendar_routes, evaluation_routes
from http_api.api import logger, metrics, resolver, serve
from http_api.inspector_log_recording import inspector_log_recorded
from sunlight.config import AdminApiSettings

SETTINGS = AdminApiSettings  # what its environment must hold, checked on its first invocation
ROUTERS = (admin_routes.router, calendar_routes.edit_router, evaluation_routes.admin_router)
app = resolver(*ROUTERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
@inspector_log_recorded  # 监察日志: every inspector's or admin's request here, refusals included
def handler(event: dict, context: LambdaContext) -> dict:
    return serve(app, SETTINGS, event, context)
