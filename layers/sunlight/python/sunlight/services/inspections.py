"""行政检查 (inspection): 双随机、一公开 plans, the inspection steps' details, 移送立案 and 公示.

- A department's leader (分管领导) creates a plan: the leader answers for the department's
  inspection plan (抽查计划由部门负责人批准) and decides every result; nobody picks the subjects or
  the officers, the server draws them (rules/inspection_draw.py) and records the draw.
- One inspection case is opened per drawn subject (the subject is its party), each starting the
  inspection state machine. Creating the plan again with the same Idempotency-Key creates nothing
  new and repairs what a failed attempt left undone (cases not yet written, flows not started).
- 移送立案 (refer) opens a case of the department's penalty item (the inspection item's
  refers_to_item_code) with the same party, started on whatever flow that item names (立案), and
  the timelines of both cases name the other.
- When an inspection case completes, its result is published (公示) for everyone to read.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..models.case import Actor, Applicant, Case, CaseStatus, TimelineEvent
from ..models.catalog import CatalogItem
from ..models.flow import STEP_ROLE, Decision, FlowPattern
from ..models.inspection import (
    DrawCheck,
    InspectionDraw,
    InspectionPlan,
    InspectionPlanRequest,
    InspectionPlanSummary,
    InspectionPlanView,
    InspectionResult,
    InspectionSubject,
    Officer,
    PlannedCase,
    PublishedResult,
)
from ..models.requests import StaffAction
from ..models.roles import Principal, Role
from ..rules import inspection_draw
from ..rules.workdays import WorkingCalendar, add_working_days, local_date
from .clock import recompute_clock
from .errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from .pagination import Page, decode_cursor, encode_cursor
from .ports import (
    CaseRepository,
    CatalogReader,
    Clock,
    ConcurrentModification,
    DuplicatePlanRequest,
    DuplicateRequest,
    IdempotencyRecord,
    IdGenerator,
    InspectionRepository,
    WorkflowEngine,
)
from .scope import Levels, Scope

DRAW_ACTION = "draw"  # the first timeline event of a case opened by a plan: 随机抽取，立案检查
REFERRAL_ACTION = "referral"  # the first timeline event of a case opened by 移送立案
PLAN_CHANNEL = "inspection_plan"
REFERRAL_CHANNEL = "referral"
REFERRAL_OWNER = "REFERRAL"  # idempotency owner: one enforcement case per inspection case


def plan_owner(plan_id: str) -> str:
    """The parties of inspection cases have no account (nobody's "my cases"); they follow their
    case with its number and query code, like a walk-in applicant."""
    return f"PLAN#{plan_id}"


def officers_text(officers: tuple[Officer, ...] | list[Officer]) -> str:
    return "、".join(f"{o.name}（执法证号{o.certificate_number}）" for o in officers)


class InspectionService:
    def __init__(
        self, *, plans: InspectionRepository, cases: CaseRepository, catalog: CatalogReader, workflow: WorkflowEngine,
        clock: Clock, ids: IdGenerator, calendar: WorkingCalendar, levels: Levels | None = None,
    ) -> None:
        self._plans = plans
        self._cases = cases
        self._catalog = catalog
        self._workflow = workflow
        self._clock = clock
        self._ids = ids
        self._calendar = calendar
        self._levels = levels or Levels(catalog)

    # --- plans -------------------------------------------------------------------------------

    def create_plan(self, principal: Principal, request: InspectionPlanRequest, idempotency_key: str | None) -> InspectionPlanView:
        if not (principal.is_staff and principal.has_role(Role.LEADER)):
            raise Forbidden("只有本部门分管领导可以制定双随机抽查计划。")
        item = self._catalog.get_item(request.item_code)
        if item is None or not item.published or item.department_id != principal.department_id:
            raise NotFound("未找到本部门的该检查事项，请核对事项编码。")
        if item.flow is not FlowPattern.INSPECTION:
            raise InvalidInput(f"“{item.name}”不是行政检查事项，不能制定抽查计划。", details={"field": "item_code"})
        department = self._catalog.get_department(item.department_id)
        now = self._clock.now()
        seed = inspection_draw.new_seed()
        picks = inspection_draw.draw(seed, len(request.subjects), request.draw_count, len(request.officers))
        plan = InspectionPlan(
            plan_id="JC" + self._ids.case_id(now)[2:],
            name=request.name,
            department_id=item.department_id,
            department_name=department.name if department else item.department_id,
            item_code=item.item_code,
            item_name=item.name,
            draw=InspectionDraw(
                seed=seed, algorithm=inspection_draw.ALGORITHM, subjects=tuple(request.subjects),
                officers=tuple(request.officers), count=request.draw_count, picks=picks,
                drawn_by=Actor.of(principal, Role.LEADER), drawn_at=now,
            ),
            cases=tuple(
                PlannedCase(
                    case_id=self._ids.case_id(now), query_code=self._ids.query_code(),
                    subject=request.subjects[pick.subject_index],
                    officers=tuple(request.officers[i] for i in pick.officer_indexes),
                )
                for pick in picks
            ),
            created_at=now,
        )
        fingerprint = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
        idempotency = (
            IdempotencyRecord(owner_id=principal.user_id, key=idempotency_key, case_id=plan.plan_id, fingerprint=fingerprint)
            if idempotency_key else None
        )
        try:
            self._plans.create_plan(plan, idempotency)
        except DuplicatePlanRequest as duplicate:
            if duplicate.fingerprint != fingerprint:
                raise InvalidInput("该幂等键（Idempotency-Key）已用于另一份不同的抽查计划，请刷新页面后重新提交。") from duplicate
            found = self._plans.get_plan(duplicate.plan_id)
            if found is None:
                raise Unavailable("上一次提交仍在处理中，请稍后重试。") from duplicate
            plan = found
        self._open_cases(plan, item)
        return _view(plan)

    def _open_cases(self, plan: InspectionPlan, item: CatalogItem) -> None:
        """One case per drawn subject, each started on the item's flow; safe to run again."""
        for planned in plan.cases:
            if self._cases.get(planned.case_id) is None:
                form = {"plan_name": plan.name, "drawn_officers": officers_text(planned.officers)}
                case = self._new_case(item, plan.department_name, _party(planned.subject), form, case_id=planned.case_id,
                                      query_code=planned.query_code, owner=plan_owner(plan.plan_id), now=plan.created_at)
                event = _first_event(case, DRAW_ACTION, plan.draw.drawn_by, {"channel": PLAN_CHANNEL, "plan_id": plan.plan_id})
                try:
                    self._cases.create(case, event, None)
                except ConcurrentModification:
                    pass  # created by a concurrent retry of the same plan
            self._workflow.start(planned.case_id, item.flow)

    def plan(self, principal: Principal, plan_id: str) -> InspectionPlanView:
        plan = self._plans.get_plan(plan_id)
        if plan is None:
            raise NotFound("未找到该抽查计划。")
        Scope.of(principal, self._levels).require_department(plan.department_id)
        return _view(plan)

    def plans(self, principal: Principal, department_id: str | None, *, cursor: str | None, limit: int) -> Page[InspectionPlanSummary]:
        department = department_id or principal.department_id
        if not department:
            raise InvalidInput("请选择部门。", details={"field": "department"})
        Scope.of(principal, self._levels).require_department(department)
        plans, key = self._plans.department_plans(department, limit=limit, start_key=decode_cursor(cursor))
        items = [
            InspectionPlanSummary(
                plan_id=p.plan_id, name=p.name, item_name=p.item_name, subject_count=len(p.draw.subjects),
                drawn_count=len(p.cases), drawn_by_name=p.draw.drawn_by.name, created_at=p.created_at,
            )
            for p in plans
        ]
        return Page[InspectionPlanSummary](items=items, next_cursor=encode_cursor(key))

    # --- the inspection steps' decisions -------------------------------------------------------

    def decision_details(self, principal: Principal, case: Case, action: StaffAction) -> dict[str, Any]:
        """What an inspection decision adds to its timeline event: the officers who inspected, the
        rectification deadline, or — 移送立案 — the enforcement case it opened."""
        details: dict[str, Any] = {}
        officers = getattr(action, "officers", None)
        if officers is not None:
            details["officers"] = [o.model_dump() for o in officers]
        due = getattr(action, "rectification_due_on", None)
        if due is not None:
            if due <= local_date(self._clock.now()):
                raise InvalidInput("整改期限须晚于今天。", details={"field": "rectification_due_on"})
            details["rectification_due_on"] = due.isoformat()
        if action.action == Decision.REFER.value:
            details["enforcement_case_id"] = self._refer(principal, case, action.opinion or "")
        return details

    def _refer(self, principal: Principal, inspection: Case, facts: str) -> str:
        """移送立案: a case of the department's penalty item, same party, registered and started on
        that item's flow. Once per inspection case: a retry finds the case opened before."""
        item = self._catalog.get_item(inspection.item_code)
        target = self._catalog.get_item(item.refers_to_item_code) if item and item.refers_to_item_code else None
        if target is None or not target.published or target.department_id != inspection.department_id:
            raise Conflict("该检查事项未设置本部门的行政处罚事项，不能移送立案，请联系法制办维护事项目录。")
        now = self._clock.now()
        party = inspection.applicant
        form = {
            key: value for key, value in {
                "party_name": party.name, "credit_code": party.id_number if party.id_type.value == "credit_code" else "",
                "address": party.address, "violation": facts,
            }.items()
            if value and key in {f.field_id for f in target.form_fields}
        }
        case = self._new_case(target, inspection.department_name, party, form, case_id=self._ids.case_id(now),
                              query_code=self._ids.query_code(), owner=inspection.applicant_user_id, now=now)
        # The leader at 检查结果, the handler at 整改复查: whoever referred it.
        actor = Actor.of(principal, STEP_ROLE[inspection.step] if inspection.step else Role.LEADER)
        event = _first_event(case, REFERRAL_ACTION, actor, {"channel": REFERRAL_CHANNEL, "inspection_case_id": inspection.case_id})
        record = IdempotencyRecord(owner_id=REFERRAL_OWNER, key=inspection.case_id, case_id=case.case_id, fingerprint=inspection.case_id)
        case_id = case.case_id
        try:
            self._cases.create(case, event, record)
        except DuplicateRequest as duplicate:
            case_id = duplicate.case_id
        self._workflow.start(case_id, target.flow)
        return case_id

    def _new_case(self, item: CatalogItem, department_name: str, party: Applicant, form: dict[str, str], *,
                  case_id: str, query_code: str, owner: str, now: datetime) -> Case:
        today = local_date(now)
        government_id, government_path = self._levels.stamp(self._catalog.get_department(item.department_id))
        case = Case(
            case_id=case_id, query_code=query_code, item_code=item.item_code, item_name=item.name, flow=item.flow,
            department_id=item.department_id, department_name=department_name, applicant=party,
            government_id=government_id, government_path=government_path,
            applicant_user_id=owner, form=form, status=CaseStatus.SUBMITTED, step_limit_days=item.step_limit_days,
            promised_limit_days=item.promised_limit_days, legal_limit_days=item.legal_limit_days,
            warning_rules=item.warning_rules,
            promised_due_on=add_working_days(today, item.promised_limit_days, self._calendar),
            legal_due_on=add_working_days(today, item.legal_limit_days, self._calendar),
            submitted_at=now, updated_at=now, fee_yuan=str(item.total_fee_yuan.quantize(Decimal("0.01"))),
        )
        return recompute_clock(case, now=now, calendar=self._calendar)

    # --- 公示 -----------------------------------------------------------------------------------

    def record_result(self, case_id: str) -> PublishedResult | None:
        """The public result of a completed inspection case (called when its flow ends; again on retry)."""
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            return None
        case, events = found
        if case.flow is not FlowPattern.INSPECTION or case.status is not CaseStatus.COMPLETED or case.closed_at is None:
            return None
        result = published_result(case, events)
        self._plans.put_result(result, published_at=case.closed_at)
        return result

    def published_results(self, *, cursor: str | None, limit: int) -> Page[PublishedResult]:
        results, key = self._plans.results(limit=limit, start_key=decode_cursor(cursor))
        return Page[PublishedResult](items=results, next_cursor=encode_cursor(key))


def published_result(case: Case, events: list[TimelineEvent]) -> PublishedResult:
    """What the 公示 shows of a completed inspection case (see PublishedResult for what is left out)."""
    actions = {e.action for e in events}
    if Decision.REFER.value in actions:
        result = InspectionResult.REFERRED
    elif Decision.RECTIFIED.value in actions:
        result = InspectionResult.RECTIFIED
    else:
        result = InspectionResult.QUALIFIED
    inspected = next((e for e in events if e.action == Decision.INSPECTED.value), None)
    party = case.applicant
    person = party.id_type.value == "resident_id"
    return PublishedResult(
        case_id=case.case_id,
        plan_name=case.form.get("plan_name", ""),
        item_name=case.item_name,
        department_name=case.department_name,
        subject_name=party.name[0] + "*" * (len(party.name) - 1) if person else party.name,
        credit_code=None if person else party.id_number,
        address=None if person else party.address,
        result=result,
        result_label=result.label,
        inspected_on=local_date(inspected.occurred_at) if inspected else None,
        published_on=local_date(case.closed_at or case.updated_at),
    )


def _party(subject: InspectionSubject) -> Applicant:
    return Applicant(name=subject.name, id_type=subject.id_type, id_number=subject.id_number, phone=subject.phone,
                     address=subject.address)


def _first_event(case: Case, action: str, actor: Actor, details: dict[str, Any]) -> TimelineEvent:
    return TimelineEvent(case_id=case.case_id, seq=1, occurred_at=case.submitted_at, actor=actor, action=action,
                         from_state=None, to_state=CaseStatus.SUBMITTED, details=details)


def _view(plan: InspectionPlan) -> InspectionPlanView:
    draw = plan.draw
    again = inspection_draw.draw(draw.seed, len(draw.subjects), draw.count, len(draw.officers))
    return InspectionPlanView(**dict(plan), draw_check=DrawCheck(reproducible=again == draw.picks))
