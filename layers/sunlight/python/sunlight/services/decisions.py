"""Handing a person's decision to the waiting state machine, safely.

The decision is first recorded on the case (conditional on the version read), then the task
token is sent. If the state machine cannot be told, the record is undone so nothing moved, and
the caller may retry. A retry with the same request id re-sends instead of deciding twice.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from ..models.case import Attachment, Case, PendingDecision
from ..models.clock import SPECIAL_PROCEDURES
from ..models.views import ActionReceipt
from .errors import Conflict, InvalidInput, Unavailable
from .ports import CaseRepository, Clock, ConcurrentModification, StaleTaskToken, WorkflowEngine

CHANGED_MESSAGE = "案件状态已发生变化，请刷新后重试。"
IN_TRANSIT_MESSAGE = "该案件正在流转到下一环节，请稍后刷新再操作。"
SAVE_ATTEMPTS = 3


KEY_REUSED_MESSAGE = "该请求标识（Idempotency-Key）已用于另一项不同的操作，请刷新页面后重新提交。"
_FINGERPRINT_SEPARATOR = "#"  # never in an Idempotency-Key (functions/http_api/common.py: [A-Za-z0-9_-])


def request_id_of(idempotency_key: str | None, body: BaseModel) -> str | None:
    """The id a decision is recorded under: the client's key and what was asked with it, so that a
    retry is recognised and the same key with another decision or body is not taken for one."""
    if not idempotency_key:
        return None
    fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:16]
    return f"{idempotency_key}{_FINGERPRINT_SEPARATOR}{fingerprint}"


def is_replay(case: Case, request_id: str | None) -> bool:
    """True for a retry of the recorded or pending decision; InvalidInput (422) for its key with
    another decision or body (never the earlier result for a different request)."""
    return is_retry_of(request_id, case.pending.request_id if case.pending is not None else None, case.last_request_id)


def is_retry_of(request_id: str | None, *recorded_ids: str | None) -> bool:
    """True if `request_id` (request_id_of) is one of the recorded ones; InvalidInput (422) if its
    key was recorded with another fingerprint."""
    if not request_id:
        return False
    key = request_id.split(_FINGERPRINT_SEPARATOR, 1)[0]
    for recorded in recorded_ids:
        if recorded is None:
            continue
        if recorded == request_id or recorded == key:  # a bare key: recorded before fingerprints
            return True
        if recorded.split(_FINGERPRINT_SEPARATOR, 1)[0] == key:
            raise InvalidInput(KEY_REUSED_MESSAGE, details={"field": "idempotency-key"})
    return False


def receipt(case: Case, decision: str) -> ActionReceipt:
    from ..models.flow import Decision

    return ActionReceipt(case_id=case.case_id, decision=decision, message=f"已提交“{Decision(decision).label}”，案件将流转到下一环节。")


def hand_over(
    *,
    cases: CaseRepository,
    workflow: WorkflowEngine,
    clock: Clock,
    case: Case,
    pending: PendingDecision,
    new_attachments: tuple[Attachment, ...] = (),
) -> ActionReceipt:
    if case.pending is not None or case.task_token is None:
        raise Conflict(IN_TRANSIT_MESSAGE)
    _require_no_open_procedure(case)
    token = case.task_token
    for attempt in range(SAVE_ATTEMPTS):
        decided = case.with_decision(pending, now=clock.now(), new_attachments=new_attachments)
        try:
            cases.save(decided, expected_version=case.version)
            break
        except ConcurrentModification as error:
            # Background bookkeeping (the deadline check moving an alarm, a card recorded, an
            # extension decided) must not cost the person their decision: if the case still waits
            # on the same task of the same step, unpaused, the decision is saved on the fresh copy.
            fresh = cases.get(case.case_id)
            if attempt == SAVE_ATTEMPTS - 1 or fresh is None or not _still_waits_on_the_same_task(case, fresh):
                raise Conflict(CHANGED_MESSAGE) from error
            case = fresh
    try:
        workflow.send_decision(token, pending.model_dump(mode="json", include={"decision"}))
    except StaleTaskToken as error:
        _undo(cases, clock, decided, token)
        raise Conflict("该环节已超过最长办理期限，流程已挂起，请联系监察人员。") from error
    except Exception as error:  # the engine is down or throttled: nothing moved, the caller may retry
        _undo(cases, clock, decided, token)
        raise Unavailable("系统繁忙，操作未生效，请稍后重试。") from error
    return receipt(case, pending.decision.value)


def _require_no_open_procedure(case: Case) -> None:
    """A step is not handed on while its special procedure runs: the procedure's days belong to
    this step's clock (行政许可法 第四十五条), and an open pause would silence the next step."""
    pause = case.open_pause
    if pause is not None and pause.reason in SPECIAL_PROCEDURES:
        raise Conflict(f"请先结束特别程序“{pause.reason.label}”，再提交本环节的办理结果。")


def _still_waits_on_the_same_task(read: Case, fresh: Case) -> bool:
    return (
        fresh.status is read.status and fresh.step is read.step and fresh.step_visit == read.step_visit
        and fresh.task_token == read.task_token and fresh.pending is None and fresh.open_pause is None
    )


def _undo(cases: CaseRepository, clock: Clock, decided: Case, token: str) -> None:
    cases.save(decided.without_decision(token, now=clock.now()), expected_version=decided.version)


def resend(*, workflow: WorkflowEngine, case: Case) -> ActionReceipt:
    """A retried request whose decision was already recorded: make sure the engine got it."""
    pending = case.pending
    if pending is not None and pending.spent_token:
        try:
            workflow.send_decision(pending.spent_token, {"decision": pending.decision.value})
        except StaleTaskToken:
            pass  # the engine already had it
        return receipt(case, pending.decision.value)
    return receipt(case, case.last_decision or "")
