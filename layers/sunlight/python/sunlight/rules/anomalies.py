"""Anomaly rules (异常预警) over the case event stream, as pure functions.

Each rule looks at one new timeline event in the context of its case, the case's whole timeline,
the catalog item and the working calendar, and returns a hit (with the evidence) or None. A rule
looks only at the event and the events before it (lower seq), so checking the same event again,
later, gives the same answer. `evaluate` runs the rules the item enables.

Semantics (see each function):
- out_of_order: a flow decision taken at a state that does not accept it, or from a state other
  than the one the previous event left the case in (a step skipped or repeated).
- unauthorized_role (超越权限): the actor's role is not the role of the step acted on (the applicant
  for 补正, the system for dispatch/finalize/suspend); 补正 and applying by someone other than
  the applicant.
- fee_mismatch (收费异常): the fee charged on 办结 differs from the item's published standard.
- discretion_out_of_range (自由裁量): a penalty outside the item's discretion range.
- risk_point_without_control_document: a risk-point step passed before staff attached its
  control document (an attachment with the control material id).
- repeated_or_late_supplement_request (一次性告知): a second request for material, or a request
  after the acceptance period (5 working days after receipt by default).
- outside_working_hours: a staff action outside office hours or on a day that is not a working day.
- inspection_by_one_officer: an inspection (实施检查) recorded with fewer than two distinct officers
  (行政处罚法 第四十二条: 执法人员不得少于两人).
- penalty rules (行政处罚法 2021): a penalty decided without the prior notice (第四十四条); a hearing
  request not answered in time or not held before the decision (第六十四条); a decision more than
  90 days after 立案 (第六十条); an investigation by fewer than two officers (第四十二条); a
  simple-procedure fine above 200 yuan for a citizen or 3,000 for an organisation (第五十一条).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..models.case import SYSTEM_ACTOR_ID, Case, CaseStatus, TimelineEvent
from ..models.catalog import CatalogItem
from ..models.flow import STEP_DECISIONS, STEP_ROLE, Decision, FlowPattern, Step
from ..models.reported import RELAYED
from ..models.roles import ROLE_LABELS, STAFF_ROLES, Role
from ..models.supervision import AnomalyRule
from .penalty import MIN_OFFICERS, decision_due_on, party_kind, simple_fine_bound
from .workdays import CHINA_TZ, WorkingCalendar, add_working_days, local_date, working_days_between

CENT = Decimal("0.01")
SYSTEM_ACTIONS = frozenset({"dispatch", "finalize", "suspend"})
APPLY = "apply"
_DECISIONS = {decision.value: decision for decision in Decision}
_STEPS = {step.value: step for step in Step}
_STAFF_ROLE_VALUES = frozenset(role.value for role in STAFF_ROLES)
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class AnomalyContext:
    item: CatalogItem
    case: Case
    timeline: Sequence[TimelineEvent]  # the case's whole timeline, as stored
    event: TimelineEvent  # the event being checked
    calendar: WorkingCalendar

    @property
    def earlier(self) -> list[TimelineEvent]:
        """The events before the one checked, oldest first."""
        return sorted((e for e in self.timeline if e.seq < self.event.seq), key=lambda e: e.seq)

    @property
    def decision(self) -> Decision | None:
        """The flow decision the event records, or None for system and other actions."""
        return _DECISIONS.get(self.event.action)

    @property
    def step(self) -> Step | None:
        """The step acted on: the state the event left, when that is a step."""
        state = self.event.from_state
        return _STEPS.get(state.value) if state is not None else None


class AnomalyHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: AnomalyRule
    title: str
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)


Rule = Callable[[AnomalyContext], AnomalyHit | None]


# --- helpers ----------------------------------------------------------------------------------


def _yuan(amount: Decimal) -> str:
    return f"{amount.quantize(CENT)}"


def _amount(raw: Any) -> Decimal | None:
    try:
        return Decimal(str(raw)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


def _action_label(action: str) -> str:
    decision = _DECISIONS.get(action)
    return decision.label if decision else {"apply": "提交申请", "dispatch": "分送", "finalize": "结束流程", "suspend": "挂起",
                                               "draw": "随机抽取，立案检查", "referral": "移送立案"}.get(action, action)


def _role_label(role: str) -> str:
    if role == SYSTEM_ACTOR_ID:
        return "系统"
    return ROLE_LABELS.get(Role(role), role) if role in Role._value2member_map_ else role


def _state_label(state: CaseStatus | None) -> str:
    return state.label if state is not None else "（无）"


def _event_ref(event: TimelineEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "actor": event.actor.model_dump(),
        "from_state": event.from_state.value if event.from_state else None,
        "to_state": event.to_state.value,
        "occurred_at": event.occurred_at.isoformat(),
    }


# --- the rules --------------------------------------------------------------------------------


def out_of_order(context: AnomalyContext) -> AnomalyHit | None:
    """A flow decision must be one the fixed flow accepts at the state it was taken in
    (STEP_DECISIONS), taken from the state the previous event left the case in. System actions
    (apply, dispatch, finalize, suspend) and actions outside the flow (pauses, extensions) are
    not judged here."""
    event, decision = context.event, context.decision
    if decision is None:
        return None
    step = context.step
    allowed = STEP_DECISIONS.get(step, frozenset()) if step is not None else frozenset()
    earlier = context.earlier
    previous = earlier[-1] if earlier else None
    evidence: dict[str, Any] = {
        "action": event.action,
        "from_state": event.from_state.value if event.from_state else None,
        "allowed_actions": sorted(d.value for d in allowed),
        "previous_event": _event_ref(previous) if previous else None,
    }
    if decision not in allowed:
        where = f"“{step.label}”环节" if step else f"“{_state_label(event.from_state)}”状态"
        allowed_text = "、".join(d.label for d in sorted(allowed)) or "任何办理决定"
        return AnomalyHit(
            rule=AnomalyRule.OUT_OF_ORDER,
            title=f"不按固定流程办理：{where}作出“{decision.label}”",
            message=f"办件处于{where}时，{event.actor.name}作出了“{decision.label}”；按固定流程，该环节只能{allowed_text}。",
            evidence=evidence,
        )
    if previous is not None and previous.to_state != event.from_state:
        return AnomalyHit(
            rule=AnomalyRule.OUT_OF_ORDER,
            title=f"不按固定流程办理：跳过“{previous.to_state.label}”",
            message=(
                f"上一步（第{previous.seq}条记录“{_action_label(previous.action)}”）已将办件转到“{previous.to_state.label}”，"
                f"{event.actor.name}却在“{step.label if step else _state_label(event.from_state)}”环节作出“{decision.label}”。"
            ),
            evidence=evidence,
        )
    return None


def unauthorized_role(context: AnomalyContext) -> AnomalyHit | None:
    """超越权限: the actor's role must be STEP_ROLE of the step acted on (the applicant for 补正),
    "citizen" for applying and "system" for dispatch, finalize and suspend; applying and 补正 must
    be done by the applicant's own account."""
    event, decision = context.event, context.decision
    actor = event.actor
    if decision is not None:
        step = context.step
        if step is None:
            return None  # a decision outside any step is out of order; there is no step role to compare
        expected, what = STEP_ROLE[step].value, f"“{step.label}”环节的“{decision.label}”"
    elif event.action == APPLY:
        expected, what = Role.CITIZEN.value, "提交申请"
    elif event.action in SYSTEM_ACTIONS:
        expected, what = SYSTEM_ACTOR_ID, f"“{_action_label(event.action)}”"
    else:
        return None  # actions outside the flow have their own checks where they are made
    evidence = {
        "action": event.action,
        "step": context.step.value if context.step else None,
        "expected_role": expected,
        "actor": actor.model_dump(),
        "applicant_user_id": context.case.applicant_user_id,
    }
    if actor.role != expected or (expected == SYSTEM_ACTOR_ID and actor.user_id != SYSTEM_ACTOR_ID):
        return AnomalyHit(
            rule=AnomalyRule.UNAUTHORIZED_ROLE,
            title=f"超越权限办理：{what}",
            message=f"{what}应由{_role_label(expected)}办理，实际由{actor.name}（{_role_label(actor.role)}）办理。",
            evidence=evidence,
        )
    if expected == Role.CITIZEN.value and actor.user_id != context.case.applicant_user_id:
        return AnomalyHit(
            rule=AnomalyRule.UNAUTHORIZED_ROLE,
            title=f"超越权限办理：非申请人本人{what}",
            message=f"{what}应由申请人本人账号办理，实际由账号 {actor.user_id}（{actor.name}）办理。",
            evidence=evidence,
        )
    return None


def fee_mismatch(context: AnomalyContext) -> AnomalyHit | None:
    """收费异常: the fee charged on 办结 (`fee_charged_yuan`) must equal the item's published
    standard (the sum of its fees; 0 when it charges nothing). No fee recorded: nothing to compare."""
    event = context.event
    if context.decision is not Decision.COMPLETE or event.details.get("fee_charged_yuan") is None:
        return None
    raw = event.details["fee_charged_yuan"]
    charged = _amount(raw)
    standard = context.item.total_fee_yuan.quantize(CENT)
    if charged == standard:
        return None
    fees = [{"name": f.name, "amount_yuan": _yuan(f.amount_yuan), "basis": f.basis} for f in context.item.fees]
    evidence = {
        "charged_yuan": _yuan(charged) if charged is not None else str(raw),
        "standard_yuan": _yuan(standard),
        "difference_yuan": _yuan(charged - standard) if charged is not None else None,
        "fees": fees,
        "fee_at_application_yuan": context.case.fee_yuan,
    }
    if charged is None:
        message = f"办结时记录的收费金额“{raw}”无法识别；公布的收费标准为{_yuan(standard)}元。"
    elif not fees:
        message = f"本事项公布为不收费，{event.actor.name}办结时却记录收费{_yuan(charged)}元。"
    else:
        items = "、".join(f"{f['name']}{f['amount_yuan']}元" for f in fees)
        bases = "；".join(f.basis for f in context.item.fees)
        direction = "多收" if charged > standard else "少收"
        message = (
            f"{event.actor.name}办结时实收{_yuan(charged)}元，与公布的收费标准{_yuan(standard)}元（{items}）不符，"
            f"{direction}{_yuan(abs(charged - standard))}元。收费依据：{bases}"
        )
    return AnomalyHit(
        rule=AnomalyRule.FEE_MISMATCH, title=f"收费异常：实收{evidence['charged_yuan']}元，标准{_yuan(standard)}元", message=message, evidence=evidence,
    )


def discretion_out_of_range(context: AnomalyContext) -> AnomalyHit | None:
    """自由裁量: a penalty (`penalty_yuan` on 批准/不予批准, or 作出处罚决定/当场处罚) must lie within the item's discretion
    range, both ends included. Items without a range, and decisions without a penalty, pass."""
    event = context.event
    discretion = context.item.supervision.discretion
    raw = event.details.get("penalty_yuan")
    if context.decision not in (Decision.APPROVE, Decision.DENY, Decision.PENALIZE) or discretion is None or raw is None:
        return None
    amount = _amount(raw)
    if amount is not None and discretion.contains(amount):
        return None
    range_text = f"{_yuan(discretion.min_yuan)}–{_yuan(discretion.max_yuan)}元"
    if amount is None:
        how = f"记录的罚款金额“{raw}”无法识别"
    elif amount < discretion.min_yuan:
        how = f"罚款{_yuan(amount)}元，低于下限{_yuan(discretion.min_yuan)}元"
    else:
        how = f"罚款{_yuan(amount)}元，高于上限{_yuan(discretion.max_yuan)}元"
    basis = f"（裁量依据：{discretion.basis}）" if discretion.basis else ""
    return AnomalyHit(
        rule=AnomalyRule.DISCRETION_OUT_OF_RANGE,
        title=f"超出自由裁量范围：罚款{_yuan(amount) if amount is not None else raw}元",
        message=f"{event.actor.name}作出“{context.decision.label}”决定，{how}，超出本事项的自由裁量范围{range_text}{basis}。",
        evidence={
            "penalty_yuan": _yuan(amount) if amount is not None else str(raw),
            "min_yuan": _yuan(discretion.min_yuan),
            "max_yuan": _yuan(discretion.max_yuan),
            "basis": discretion.basis,
        },
    )


def risk_point_without_control_document(context: AnomalyContext) -> AnomalyHit | None:
    """风险点: a decision that passes a risk-point step (any decision there but 要求补正, which
    leaves the step to be done again) needs each of the step's control documents attached
    before or with it, by staff (an applicant's upload never counts as a control document)."""
    event, decision, step = context.event, context.decision, context.step
    if decision is None or decision is Decision.REQUEST_SUPPLEMENT or step is None:
        return None
    points = context.item.supervision.risk_points_at(step)
    if not points:
        return None
    uploaded: dict[str, list[str]] = {}
    for earlier in [*context.earlier, event]:
        if earlier.actor.role not in _STAFF_ROLE_VALUES:
            continue
        for attachment_id in earlier.details.get("attachment_ids", ()):
            attachment = context.case.attachment(attachment_id)
            if attachment is not None and attachment.material_id:
                uploaded.setdefault(attachment.material_id, []).append(attachment_id)
    missing = [point for point in points if point.control_material_id not in uploaded]
    if not missing:
        return None
    listed = "；".join(f"风险点“{p.name}”须上传控制文书“{p.document_label}”" for p in missing)
    return AnomalyHit(
        rule=AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT,
        title=f"风险点未上传控制文书：{'、'.join(p.name for p in missing)}",
        message=f"{event.actor.name}在“{step.label}”环节作出“{decision.label}”，但{listed}，{'均' if len(missing) > 1 else ''}未上传。",
        evidence={
            "step": step.value,
            "missing": [p.model_dump(mode="json") for p in missing],
            "risk_points": [p.model_dump(mode="json") for p in points],
            "documents_uploaded": uploaded,
        },
    )


def repeated_or_late_supplement_request(context: AnomalyContext) -> AnomalyHit | None:
    """一次性告知: missing material is requested all at once, by the end of the acceptance period
    (the item's `acceptance_working_days`, 5 by default, counted from the day after receipt). A
    second request for the same case, or a request after that period, is an anomaly."""
    event = context.event
    if context.decision is not Decision.REQUEST_SUPPLEMENT:
        return None
    before = [e for e in context.earlier if e.action == Decision.REQUEST_SUPPLEMENT.value]
    limit = context.case.warning_rules.acceptance_working_days
    received = local_date(context.case.submitted_at)
    requested = local_date(event.occurred_at)
    deadline = add_working_days(received, limit, context.calendar)
    late = requested > deadline
    if not before and not late:
        return None
    working_day = working_days_between(received + timedelta(days=1), requested + timedelta(days=1), context.calendar)
    reasons = []
    if before:
        last = before[-1]
        materials = "、".join(last.details.get("missing_materials", ())) or "材料"
        reasons.append(f"这是第{len(before) + 1}次要求补正（{local_date(last.occurred_at):%Y-%m-%d}已要求补正：{materials}），应当一次性告知需补正的全部材料")
    if late:
        which = f"收件后第{working_day}个工作日" if context.calendar.is_working_day(requested) else f"{requested:%Y-%m-%d}（非工作日）"
        reasons.append(f"{which}才要求补正，超过一次性告知期限（收件后{limit}个工作日内，截至{deadline:%Y-%m-%d}）")
    return AnomalyHit(
        rule=AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST,
        title="未一次性告知补正：" + ("重复要求补正" if before else "") + ("、" if before and late else "") + ("逾期要求补正" if late else ""),
        message=f"{event.actor.name}要求补正：" + "；".join(reasons) + "。",
        evidence={
            "request_number": len(before) + 1,
            "earlier_requests": [
                {**_event_ref(e), "missing_materials": e.details.get("missing_materials", [])} for e in before
            ],
            "missing_materials": event.details.get("missing_materials", []),
            "received_on": received.isoformat(),
            "requested_on": requested.isoformat(),
            "working_day_after_receipt": working_day,
            "limit_working_days": limit,
            "deadline": deadline.isoformat(),
            "repeated": bool(before),
            "late": late,
        },
    )


def outside_working_hours(context: AnomalyContext) -> AnomalyHit | None:
    """A staff action (not the applicant's, not the system's) must be taken on a working day of the
    calendar (holidays off, adjusted weekend workdays on), within the item's office hours, China time."""
    event = context.event
    if event.actor.role not in _STAFF_ROLE_VALUES:
        return None
    moment = event.occurred_at.astimezone(CHINA_TZ)
    day: date = moment.date()
    working_day = context.calendar.is_working_day(day)
    supervision = context.item.supervision
    in_hours = supervision.in_office_hours(moment.time().replace(tzinfo=None))
    if working_day and in_hours:
        return None
    when = f"{day:%Y-%m-%d}（星期{_WEEKDAYS[day.weekday()]}）{moment:%H:%M}"
    why = "当天不是工作日" if not working_day else f"不在办公时间（{supervision.office_hours_text}）内"
    return AnomalyHit(
        rule=AnomalyRule.OUTSIDE_WORKING_HOURS,
        title=f"非工作时间办理：{when}",
        message=f"{event.actor.name}（{_role_label(event.actor.role)}）于{when}作出“{_action_label(event.action)}”，{why}。",
        evidence={
            "occurred_at": moment.isoformat(),
            "working_day": working_day,
            "in_office_hours": in_hours,
            "office_hours": [str(period) for period in supervision.office_hours],
        },
    )


def inspection_by_one_officer(context: AnomalyContext) -> AnomalyHit | None:
    """行政检查: the `inspected` decision names the officers who inspected (by 执法证号); fewer than
    two distinct officers is an anomaly (行政处罚法 第四十二条: 执法人员不得少于两人，并出示执法证件)."""
    event = context.event
    if context.decision is not Decision.INSPECTED:
        return None
    officers = event.details.get("officers") or []
    certificates = {str(o.get("certificate_number", "")).upper() for o in officers if isinstance(o, dict)} - {""}
    if len(certificates) >= 2:
        return None
    names = "、".join(str(o.get("name", "")) for o in officers if isinstance(o, dict)) or "（未记录）"
    return AnomalyHit(
        rule=AnomalyRule.INSPECTION_BY_ONE_OFFICER,
        title="行政检查执法人员少于两人",
        message=(f"{event.actor.name}记录的实施检查仅有{len(certificates)}名执法人员（{names}）；"
                 "《行政处罚法》第四十二条规定执法人员不得少于两人。"),
        evidence={**_event_ref(event), "officers": officers},
    )


# --- 行政处罚 (行政处罚法 2021) ------------------------------------------------------------------

_PENALTY_DECISIONS = (Decision.PENALIZE, Decision.NO_PENALTY)


def penalty_without_notice(context: AnomalyContext) -> AnomalyHit | None:
    """第四十四条: an ordinary-procedure penalty is decided only after the party was told of it
    (事先告知) — a 作出处罚决定 with no 送达事先告知书 before it."""
    if context.case.flow is not FlowPattern.PENALTY or context.decision is not Decision.PENALIZE:
        return None
    if any(e.action == Decision.NOTIFY.value for e in context.earlier):
        return None
    return AnomalyHit(
        rule=AnomalyRule.PENALTY_WITHOUT_NOTICE,
        title="未经事先告知作出行政处罚决定",
        message=(f"{context.event.actor.name}作出行政处罚决定前，未告知当事人拟作出的处罚内容及事实、理由、依据和陈述、申辩、"
                 "要求听证的权利（《行政处罚法》第四十四条）。"),
        evidence={"decision": context.event.action},
    )


def hearing_not_answered(context: AnomalyContext) -> AnomalyHit | None:
    """第六十四条: a party's hearing request is answered with a hearing notice within the step limit
    of 听证通知, and the hearing is held before the decision."""
    event, decision, case = context.event, context.decision, context.case
    if case.flow is not FlowPattern.PENALTY or decision not in (Decision.SCHEDULE_HEARING, *_PENALTY_DECISIONS):
        return None
    requests = [e for e in context.earlier if e.action == Decision.REQUEST_HEARING.value]
    if not requests:
        return None
    requested = requests[-1]
    after = [e.action for e in context.earlier if e.seq > requested.seq]
    if decision in _PENALTY_DECISIONS:
        if Decision.HEARD.value in after:
            return None
        return AnomalyHit(
            rule=AnomalyRule.HEARING_NOT_ANSWERED,
            title="当事人申请听证，未举行听证即作出决定",
            message=(f"当事人于{local_date(requested.occurred_at):%Y-%m-%d}申请听证，{event.actor.name}未组织听证即作出"
                     f"“{decision.label}”（《行政处罚法》第六十四条）。"),
            evidence={"requested": _event_ref(requested)},
        )
    limit = case.step_limit_days.get(Step.HEARING_NOTICE)
    if limit is None:
        return None
    deadline = add_working_days(local_date(requested.occurred_at), limit, context.calendar)
    answered = local_date(event.occurred_at)
    if answered <= deadline:
        return None
    return AnomalyHit(
        rule=AnomalyRule.HEARING_NOT_ANSWERED,
        title="听证申请未及时回应",
        message=(f"当事人于{local_date(requested.occurred_at):%Y-%m-%d}申请听证，应在{limit}个工作日内（{deadline:%Y-%m-%d}前）"
                 f"通知听证，{answered:%Y-%m-%d}才通知。"),
        evidence={"requested": _event_ref(requested), "deadline": deadline.isoformat(), "answered_on": answered.isoformat(),
                  "limit_working_days": limit},
    )


def penalty_decided_late(context: AnomalyContext) -> AnomalyHit | None:
    """第六十条: decided within 90 (calendar) days of 立案 — the window's registration of the case."""
    case = context.case
    if case.flow is not FlowPattern.PENALTY or context.decision not in _PENALTY_DECISIONS:
        return None
    due = decision_due_on(case.submitted_at, context.calendar)
    decided = local_date(context.event.occurred_at)
    if decided <= due:
        return None
    return AnomalyHit(
        rule=AnomalyRule.PENALTY_DECIDED_LATE,
        title=f"超期作出处罚决定：立案后第{(decided - local_date(case.submitted_at)).days}日",
        message=(f"本案于{local_date(case.submitted_at):%Y-%m-%d}立案，应在90日内（{due:%Y-%m-%d}前）作出决定，"
                 f"{context.event.actor.name}于{decided:%Y-%m-%d}才作出“{context.decision.label}”（《行政处罚法》第六十条）。"),
        evidence={"registered_on": local_date(case.submitted_at).isoformat(), "due_on": due.isoformat(), "decided_on": decided.isoformat()},
    )


def too_few_officers(context: AnomalyContext) -> AnomalyHit | None:
    """第四十二条: an investigation is closed (调查终结) by at least two officers holding certificates."""
    if context.case.flow is not FlowPattern.PENALTY or context.step is not Step.INVESTIGATE:
        return None
    if context.decision is not Decision.SUBMIT:
        return None
    officers = context.event.details.get("officers") or []
    certificates = {str(o.get("certificate_number", "")).upper() for o in officers if isinstance(o, dict)} - {""}
    if len(certificates) >= MIN_OFFICERS:
        return None
    return AnomalyHit(
        rule=AnomalyRule.TOO_FEW_OFFICERS,
        title=f"调查取证执法人员不足两名（{len(certificates)}名）",
        message=f"{context.event.actor.name}提交的调查取证只记录了{len(certificates)}名持证执法人员，少于《行政处罚法》第四十二条规定的两名。",
        evidence={"officers": officers},
    )


def simple_fine_above_bound(context: AnomalyContext) -> AnomalyHit | None:
    """第五十一条: the simple procedure fines a citizen (resident id, passport) at most 200 yuan and
    an organisation (credit code) at most 3,000; above that the ordinary procedure applies."""
    case, event = context.case, context.event
    if case.flow is not FlowPattern.PENALTY_SIMPLE or context.decision is not Decision.PENALIZE:
        return None
    amount = _amount(event.details.get("penalty_yuan"))
    bound = simple_fine_bound(case.applicant.id_type)
    if amount is None or amount <= bound:
        return None
    kind = party_kind(case.applicant.id_type)
    return AnomalyHit(
        rule=AnomalyRule.SIMPLE_FINE_ABOVE_BOUND,
        title=f"简易程序罚款超出限额：{_yuan(amount)}元",
        message=(f"{event.actor.name}适用简易程序当场对{kind}处以罚款{_yuan(amount)}元，超过《行政处罚法》第五十一条规定的"
                 f"{kind}{_yuan(bound)}元限额，应当适用普通程序。"),
        evidence={"penalty_yuan": _yuan(amount), "bound_yuan": _yuan(bound), "party_id_type": case.applicant.id_type.value},
    )


RULES: dict[AnomalyRule, Rule] = {
    AnomalyRule.OUT_OF_ORDER: out_of_order,
    AnomalyRule.UNAUTHORIZED_ROLE: unauthorized_role,
    AnomalyRule.FEE_MISMATCH: fee_mismatch,
    AnomalyRule.DISCRETION_OUT_OF_RANGE: discretion_out_of_range,
    AnomalyRule.RISK_POINT_WITHOUT_CONTROL_DOCUMENT: risk_point_without_control_document,
    AnomalyRule.REPEATED_OR_LATE_SUPPLEMENT_REQUEST: repeated_or_late_supplement_request,
    AnomalyRule.OUTSIDE_WORKING_HOURS: outside_working_hours,
    AnomalyRule.INSPECTION_BY_ONE_OFFICER: inspection_by_one_officer,
    AnomalyRule.PENALTY_WITHOUT_NOTICE: penalty_without_notice,
    AnomalyRule.HEARING_NOT_ANSWERED: hearing_not_answered,
    AnomalyRule.PENALTY_DECIDED_LATE: penalty_decided_late,
    AnomalyRule.TOO_FEW_OFFICERS: too_few_officers,
    AnomalyRule.SIMPLE_FINE_ABOVE_BOUND: simple_fine_above_bound,
}


def evaluate(context: AnomalyContext) -> list[AnomalyHit]:
    """The hits of the rules the item enables, in rule order. A decision relayed from the other
    level's case (上报件) was judged where it was made: not again here."""
    if context.event.details.get(RELAYED):
        return []
    hits = []
    for rule in context.item.supervision.enabled_rules:
        hit = RULES[rule](context)
        if hit is not None:
            hits.append(hit)
    return hits
