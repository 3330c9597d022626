"""The documents function (文书): every CaseTransitioned event on the domain bus that issues a
document (受理通知书, 补正告知书, 行政处罚决定书…) gets it numbered, rendered as a PDF and stored
with the case. Delivery is at least once; a redelivered event takes no second number."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from aws_lambda_powertools.utilities.typing import LambdaContext

from sunlight.bootstrap import container
from sunlight.config import DocumentsSettings, require_environment
from sunlight.models.events import CaseTransitionedV1

logger = Logger()
SETTINGS = DocumentsSettings  # what its environment must hold, checked on its first invocation


class CaseTransitionedEvent(EventBridgeModel):
    """The EventBridge envelope of a `CaseTransitioned` event."""

    detail: CaseTransitionedV1


@logger.inject_lambda_context
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    transition = CaseTransitionedEvent.model_validate(event).detail
    logger.append_keys(case_id=transition.case_id, event_id=transition.event_id, action=transition.action)
    document = container().documents.issue(transition)
    if document is None:
        return {"caseId": transition.case_id, "eventId": transition.event_id, "document": None}
    logger.info("document issued", extra={"kind": document.kind.value, "number": document.number_text})
    return {
        "caseId": transition.case_id,
        "eventId": transition.event_id,
        "document": {"id": document.document_id, "kind": document.kind.value, "number": document.number_text,
                     "key": document.storage_key},
    }
