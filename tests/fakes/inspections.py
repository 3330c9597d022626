"""In-memory inspection plans and published results (the port of services/ports/inspections.py)."""

from __future__ import annotations

from datetime import datetime

from sunlight.models.inspection import InspectionPlan, PublishedResult
from sunlight.services.ports import ConcurrentModification, DuplicatePlanRequest, IdempotencyRecord


class InMemoryInspections:
    def __init__(self) -> None:
        self.plans: dict[str, InspectionPlan] = {}
        self.idempotency: dict[tuple[str, str], tuple[str, str]] = {}
        self.published: dict[str, tuple[datetime, PublishedResult]] = {}

    def create_plan(self, plan: InspectionPlan, idempotency: IdempotencyRecord | None) -> None:
        if idempotency and (idempotency.owner_id, idempotency.key) in self.idempotency:
            plan_id, fingerprint = self.idempotency[(idempotency.owner_id, idempotency.key)]
            raise DuplicatePlanRequest(plan_id, fingerprint)
        if plan.plan_id in self.plans:
            raise ConcurrentModification(plan.plan_id)
        self.plans[plan.plan_id] = plan
        if idempotency:
            self.idempotency[(idempotency.owner_id, idempotency.key)] = (plan.plan_id, idempotency.fingerprint)

    def get_plan(self, plan_id: str) -> InspectionPlan | None:
        return self.plans.get(plan_id)

    def department_plans(self, department_id: str, *, limit: int, start_key: dict | None):
        plans = sorted((p for p in self.plans.values() if p.department_id == department_id), key=lambda p: p.created_at, reverse=True)
        return _page(plans, limit, start_key)

    def put_result(self, result: PublishedResult, *, published_at: datetime) -> None:
        self.published[result.case_id] = (published_at, result)

    def results(self, *, limit: int, start_key: dict | None):
        ordered = sorted(self.published.items(), key=lambda pair: (pair[1][0], pair[0]), reverse=True)
        return _page([result for _, (_, result) in ordered], limit, start_key)


def _page(items: list, limit: int, start_key: dict | None):
    start = int(start_key["offset"]) if start_key else 0
    end = start + limit
    return items[start:end], ({"offset": str(end)} if end < len(items) else None)
