"""The monthly close (考核结算): early on the 1st (city time) the month just ended, and its quarter
and year when they end with it, are scored and stored as immutable snapshots. A rerun (or a retry)
stores nothing twice. Each closed period's scores are published (EvaluationSnapshotTaken) for the
higher-level platform; a rerun publishes the same event again, which the exchange de-duplicates."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import EvaluationCloseSettings, require_environment

logger = Logger()
SETTINGS = EvaluationCloseSettings  # what its environment must hold, checked on its first invocation


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    results = container().evaluation.close_due()
    for result in results:
        logger.info("period closed", extra={"period": result.period, "newly_closed": result.created,
                                            "departments": len(result.snapshot.departments)})
    return {"closed": [{"period": r.period, "created": r.created} for r in results]}
