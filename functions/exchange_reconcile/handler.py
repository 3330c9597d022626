"""The exchange's daily reconciliation (数据交换对账): the last week's messages counted per day and
type (sent, acknowledged, given up, pending, failed attempts), kept for the city inspectors' page."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import ExchangeReconcileSettings, require_environment

logger = Logger()
SETTINGS = ExchangeReconcileSettings  # what its environment must hold, checked on its first invocation


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    figures = container().exchange_reconciler.reconcile_recent()
    logger.info("exchange reconciled", extra={"rows": len(figures), "sent": sum(f.sent for f in figures),
                                              "acked": sum(f.acked for f in figures), "failed": sum(f.failed for f in figures)})
    return {"rows": len(figures)}
