"""The scheduled deadline check: reminders, yellow and red cards for whatever is due now."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import DeadlineCheckSettings, require_environment
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = DeadlineCheckSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    report = container().deadlines.sweep()
    for level in ("reminder", "yellow", "red", "anomaly"):
        count = sum(1 for warning_id in report.issued if f"-{level}" in warning_id)
        if count:
            metrics.add_metric(name=f"Warnings{level.capitalize()}", unit=MetricUnit.Count, value=count)
    logger.info("deadline check", extra={"checked": report.checked, "issued": len(report.issued), "queries": report.queries})
    orders = _sweep_orders()
    return {"checked": report.checked, "issued": report.issued, "orders_escalated": orders}


def _sweep_orders() -> list[str]:
    """Overdue supervision orders (督办超期) escalate on the same 5-minute schedule as cards. A
    failure here must not fail the card sweep above (the schedule retries the whole function)."""
    try:
        report = container().order_service.sweep()
    except Exception:
        logger.exception("supervision order sweep failed")
        metrics.add_metric(name="OrderSweepFailures", unit=MetricUnit.Count, value=1)
        return []
    if report.escalated:
        metrics.add_metric(name="OrdersEscalated", unit=MetricUnit.Count, value=len(report.escalated))
    return report.escalated
