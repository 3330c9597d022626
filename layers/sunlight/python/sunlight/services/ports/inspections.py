"""行政检查: plans (双随机抽查计划) and the published results (公示), stored in the Cases table
(adapters/dynamodb_inspections.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sunlight.models.inspection import InspectionPlan, PublishedResult

from .common import IdempotencyRecord, StartKey


class DuplicatePlanRequest(Exception):
    """The idempotency key was used before, for `plan_id` with a request of `fingerprint`."""

    def __init__(self, plan_id: str, fingerprint: str) -> None:
        super().__init__(plan_id)
        self.plan_id = plan_id
        self.fingerprint = fingerprint


class InspectionRepository(Protocol):
    def create_plan(self, plan: InspectionPlan, idempotency: IdempotencyRecord | None) -> None:
        """Stores a new plan (and its idempotency record, whose case_id is the plan id) atomically;
        raises DuplicatePlanRequest if the key was used before."""

    def get_plan(self, plan_id: str) -> InspectionPlan | None: ...

    def department_plans(self, department_id: str, *, limit: int, start_key: StartKey | None) -> tuple[list[InspectionPlan], StartKey | None]:
        """The department's plans, newest first."""

    def put_result(self, result: PublishedResult, *, published_at: datetime) -> None:
        """Stores (or stores again, unchanged) the public result of one inspection case."""

    def results(self, *, limit: int, start_key: StartKey | None) -> tuple[list[PublishedResult], StartKey | None]:
        """The published results of every department, newest first."""
