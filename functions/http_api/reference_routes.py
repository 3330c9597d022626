"""Reference data (基础数据) for the pages, served by the public function (api_public): public, the same for everyone.

The labels and orders of roles, steps, statuses and the like come from the domain's enums
(sunlight/models/reference.py); the SPA loads them once instead of keeping its own copy.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from sunlight.models.reference import ReferenceData, reference_data

router = Router()


@router.get("/reference", summary="基础数据（岗位、办理环节、办件状态、时限状态、权力类别、证件类型、暂停计时原因）")
def reference() -> ReferenceData:
    return reference_data()
