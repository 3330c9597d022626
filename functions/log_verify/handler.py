"""Carries a verification run of the inspector log (监察日志校验) one bounded step further.

Invoked asynchronously with {"run_id"} by the API (a new run) and by itself (the rest of a run):
verifies segments while it has time and record budget, saving progress after each, then hands
the rest to its next invocation by invoking itself with the same event.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import LogVerifySettings, require_environment
from sunlight.models.inspector_log import VerificationStatus
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = LogVerifySettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)

# No segment is started with less time than this left: a segment, its save and the hand-over
# must end before the function's timeout (LOG_VERIFY_TIMEOUT_SECONDS in infra/constants.py).
RESERVE_MS = 30_000
BROKEN_METRIC = "InspectorLogBroken"  # infra/constructs/log_verification.py alarms on it


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    run_id = str(event["run_id"])
    service = container().log_verifications_on(context.function_name)
    run = service.advance(run_id, has_time=lambda: context.get_remaining_time_in_millis() > RESERVE_MS)
    if run is None:
        logger.info("another invocation carries the run on", extra={"run_id": run_id})
        return {"run_id": run_id, "status": "superseded"}
    if run.status is VerificationStatus.BROKEN:  # a break, a cut-off tail or a rewrite: alarmed (InspectorLogBrokenAlarm)
        metrics.add_metric(name=BROKEN_METRIC, unit=MetricUnit.Count, value=1)
        logger.error("inspector log verification found a break", extra={"run_id": run_id, "first_break": run.first_break})
    logger.info("log verification step", extra={"run_id": run_id, "status": run.status, "checked": run.checked, "head_seq": run.head_seq})
    return {"run_id": run_id, "status": run.status, "checked": run.checked, "head_seq": run.head_seq}
