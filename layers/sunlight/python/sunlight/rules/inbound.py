"""Rules of the inbound exchange, as pure functions: which departments a client's scopes let it
report for, the order reports of one case are applied in, what a validation error is called in
Chinese, and how a report changes a reported case (models/inbound.py).

Sequence rules (per reporting system and its case id):
- sequence 1 is `case_received` and creates the case; each later report applies only when every
  lower sequence has been applied (a gap holds it until the missing report arrives);
- a report whose sequence was already applied (under another message id) is stale: ignored, so a
  late message never moves the case back;
- a message id seen before is a duplicate: acknowledged again, applied once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from ..models.case import Actor, Applicant, Case, CaseStatus, IdType, TimelineEvent
from ..models.catalog import CatalogItem
from ..models.clock import Pause, PauseReason
from ..models.flow import FLOW_STEPS, STAFF_STEPS, STEP_ROLE, Decision, Step
from ..models.inbound import (
    REPORT_SCOPE_PREFIX,
    CompletedBody,
    DecidedBody,
    InboundReport,
    ReceivedBody,
    TransitionedBody,
)
from ..models.levels import CITY_GOVERNMENT_ID
from ..models.roles import Role
from .deadlines import due_on
from .workdays import WorkingCalendar

REPORTED_CASE_PREFIX = "EX"
RECEIVE_ACTION = "report_received"  # the timeline's first entry of a reported case (接收上报)
# A reported case holds only the applicant's masked name (the reporting system keeps the person's
# data); the other applicant fields are fixed placeholders that pass the model's checks.
REPORTED_ID_NUMBER = "REPORTED"
REPORTED_PHONE = "000-00000000"


def reported_case_id(client_id: str, platform_id: str, entity_id: str) -> str:
    """The case id here of a reporting system's case: the same for every report of it (from the
    app client that reports it, its platform and its own case id)."""
    digest = hashlib.sha256(f"{client_id}#{platform_id}#{entity_id}".encode()).hexdigest()[:12].upper()
    return f"{REPORTED_CASE_PREFIX}{digest}"


def reportable_departments(scopes: Iterable[str]) -> frozenset[str]:
    """The departments a client may report for: one `exchange/report.<department>` scope each."""
    return frozenset(s[len(REPORT_SCOPE_PREFIX):] for s in scopes if s.startswith(REPORT_SCOPE_PREFIX) and len(s) > len(REPORT_SCOPE_PREFIX))


def applicable(applied: int, held: Sequence[int]) -> tuple[list[int], list[int]]:
    """(sequences to apply now in this order, stale sequences to drop) given the last applied
    sequence and the held ones. The run stops at the first gap."""
    stale = sorted(s for s in set(held) if s <= applied)
    run: list[int] = []
    following = applied + 1
    for sequence in sorted(s for s in set(held) if s > applied):
        if sequence != following:
            break
        run.append(sequence)
        following += 1
    return run, stale


def government_path_of(government_id: str) -> tuple[str, ...]:
    """The chain from the city down for a 行政区划代码 (6, 9 or 12 digits): the city is the
    prefecture's code (4 digits + 00), a district 6 digits, a township 9, a village 12."""
    city = government_id[:4] + "00"
    path = [city, government_id[:6], government_id[:9], government_id[:12]]
    chain = tuple(dict.fromkeys(code for code in path if len(code) <= len(government_id)))
    return chain if chain[0] == city else (CITY_GOVERNMENT_ID, *chain)


# --- validation messages --------------------------------------------------------------------------

_TYPE_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不是本格式的字段",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "长度不足",
    "string_too_long": "超过最大长度",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为字符串",
    "dict_type": "应为对象",
    "datetime_parsing": "应为带时区的时间（ISO 8601）",
    "datetime_type": "应为带时区的时间（ISO 8601）",
    "timezone_aware": "应带时区",
    "model_type": "应为对象",
}


def first_error(error: ValidationError, prefix: str = "") -> tuple[str, str]:
    """(field path, Chinese message naming it) of a model's first validation error."""
    detail = error.errors()[0]
    field = ".".join(str(part) for part in (prefix, *detail["loc"]) if part != "")
    reason = _TYPE_MESSAGES.get(detail["type"], "不符合要求")
    return field or "body", f"字段 {field or 'body'} {reason}。"


# --- what a report does to a case -----------------------------------------------------------------


def step_problem(item: CatalogItem, report: InboundReport) -> tuple[str, str] | None:
    """(field, message) when the report names a step that is not one of its item's flow."""
    steps = FLOW_STEPS[item.flow]
    body = report.body
    named: list[tuple[str, Step]] = []
    if isinstance(body, ReceivedBody):
        named.append(("body.step", body.step))
    else:
        named.append(("body.from_step", body.from_step))
    if isinstance(body, TransitionedBody | DecidedBody):
        named.append(("body.to_step", body.to_step))
    for field, step in named:
        if step not in steps:
            return field, f"字段 {field}：“{step.label}”不是事项“{item.name}”（{item.flow.label}）的环节。"
    return None


def _actor(report: InboundReport, name: str, role: str | None, step: Step) -> Actor:
    return Actor(user_id=f"{report.envelope.platform_id}:{name}", name=name, role=role or STEP_ROLE[step].value)


def _system_actor(report: InboundReport) -> Actor:
    return Actor(user_id=f"system:{report.envelope.platform_id}", name=f"对接系统（{report.envelope.platform_id}）", role="system")


def received_case(report: InboundReport, *, case_id: str, query_code: str, item: CatalogItem, department_name: str,
                  calendar: WorkingCalendar) -> tuple[Case, TimelineEvent]:
    """The case a `case_received` report creates, at the step it reports, and its first entry."""
    body = report.body
    assert isinstance(body, ReceivedBody)
    envelope = report.envelope
    at = envelope.occurred_at
    promised = item.promised_limit_days if body.promised_limit_days is None else body.promised_limit_days
    legal = item.legal_limit_days if body.legal_limit_days is None else body.legal_limit_days
    status = CaseStatus(body.step.value)
    event = TimelineEvent(case_id=case_id, seq=1, occurred_at=at, actor=_system_actor(report), action=RECEIVE_ACTION,
                          from_state=None, to_state=status,
                          details={"source_system": envelope.platform_id, "external_case_id": envelope.entity_id,
                                   "sequence": envelope.sequence, "message_id": envelope.message_id})
    case = Case(
        case_id=case_id, query_code=query_code, item_code=item.item_code, item_name=item.name, flow=item.flow,
        department_id=item.department_id, department_name=department_name,
        government_id=envelope.government_id, government_path=government_path_of(envelope.government_id),
        applicant=Applicant(name=body.applicant_name, id_type=IdType.PASSPORT, id_number=REPORTED_ID_NUMBER, phone=REPORTED_PHONE),
        applicant_user_id=f"EXTERNAL#{envelope.platform_id}",
        source_system=envelope.platform_id, external_case_id=envelope.entity_id, reported_sequence=envelope.sequence,
        form={}, status=status, step=body.step, step_started_at=at,
        step_limit_days=item.step_limit_days, promised_limit_days=promised, legal_limit_days=legal,
        step_limit_units=item.step_limit_units, promised_limit_unit=item.promised_limit_unit,
        legal_limit_unit=item.legal_limit_unit, limit_starts_at=item.limit_starts_at, warning_rules=item.warning_rules,
        promised_due_on=due_on(at, promised, extra_days=0, calendar=calendar, unit=item.promised_limit_unit),
        legal_due_on=due_on(at, legal, extra_days=0, calendar=calendar, unit=item.legal_limit_unit),
        # Reported at a step after 受理: it was accepted when it was received.
        accepted_at=at if body.step is not Step.ACCEPT else None,
        step_visit=1, submitted_at=at, updated_at=at, seq=1,
    )
    return case, event


def reported_transition(case: Case, report: InboundReport, *, now: datetime) -> tuple[Case, TimelineEvent]:
    """The case after a later report (a step's decision, a decision, completion), and its entry.

    The entry's `from_state` is the step the reporting system says it decided at: if the case was
    elsewhere, the anomaly check sees a step skipped (不按固定流程办理), as for a native case."""
    body = report.body
    envelope = report.envelope
    at = envelope.occurred_at
    assert isinstance(body, TransitionedBody | DecidedBody | CompletedBody)
    details: dict[str, Any] = {"source_system": envelope.platform_id, "sequence": envelope.sequence,
                               "message_id": envelope.message_id}
    opinion = body.opinion if isinstance(body, TransitionedBody) else (
        body.decision_text if isinstance(body, DecidedBody) else body.result_text)
    to_state = CaseStatus(body.outcome.value) if isinstance(body, CompletedBody) else CaseStatus(body.to_step.value)
    event = TimelineEvent(
        case_id=case.case_id, seq=case.seq + 1, occurred_at=at,
        actor=_actor(report, body.actor_name, body.actor_role, body.from_step),
        action=body.decision.value, from_state=CaseStatus(body.from_step.value), to_state=to_state,
        opinion=opinion, details=details,
    )
    closed_pauses = tuple(p.model_copy(update={"ended_at": at}) if p.open else p for p in case.pauses)
    update: dict[str, Any] = {
        "status": to_state, "pauses": closed_pauses, "pending": None, "task_token": None,
        "step_visit": event.seq, "warnings_issued": (), "seq": event.seq, "updated_at": now,
        "version": case.version + 1, "reported_sequence": envelope.sequence, "last_decision": body.decision.value,
    }
    if isinstance(body, CompletedBody):
        update |= {"step": None, "step_due_at": None, "closed_at": at, "result_text": body.result_text}
    else:
        step = body.to_step
        update |= {"step": step, "step_started_at": at, "step_due_at": None, "closed_at": None}
        if step is Step.SUPPLEMENT:  # 补正: the applicant's turn stops the clock
            update["pauses"] = closed_pauses + (Pause(reason=PauseReason.SUPPLEMENT, step=Step.SUPPLEMENT, started_at=at),)
        if step not in STAFF_STEPS:
            update |= {"step_reminder_at": None, "step_red_at": None}
    if isinstance(body, DecidedBody):
        update["decision_text"] = body.decision_text
    if body.decision is Decision.ACCEPT and case.accepted_at is None:
        update["accepted_at"] = at  # 受理: the limits start (行政许可法 第四十二条)
    return case.model_copy(update=update), event


def acting_role_problem(role: str | None) -> tuple[str, str] | None:
    if role is not None and role not in {r.value for r in Role}:
        return "body.actor_role", f"字段 body.actor_role 取值不在允许范围内：{role}。"
    return None


def sender_of(raw: str, governments: Mapping[str, str], departments: Mapping[str, str]) -> str:
    """Who a refused report says it comes from, in the catalog's names: its government and its
    body's department ("鄂城区 · 鄂城区市场监督管理局"), each only if the catalog knows it, so a
    page never shows a code or whatever text the message carried; "" if neither can be read."""
    try:
        document = json.loads(raw)
    except ValueError:
        return ""
    if not isinstance(document, dict):
        return ""
    body = document.get("body")
    government = governments.get(str(document.get("government_id") or ""))
    department = departments.get(str(body.get("department_id") or "")) if isinstance(body, dict) else None
    return " · ".join(name for name in (government, department) if name)
