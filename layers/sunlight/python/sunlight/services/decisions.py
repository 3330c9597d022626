"""Handing a person's decision to the waiting state machine, safely.

The decision is first recorded on the case (conditional on the version read), then the task
token is sent. If the state machine cannot be told, the record is undone so nothing moved, and
the caller may retry. A retry with the same request id re-sends instead of deciding twice.
"""

from __future__ import annotations

from ..models.case import Attachment, Case, PendingDecision
from ..models.clock import SPECIAL_PROCEDURES
from ..models.views import ActionReceipt
from .errors import Conflict, Unavailable
from .ports import CaseRepository, Clock, ConcurrentModification, StaleTaskToken, WorkflowEngine

CHANGED_MESSAGE = "案件状态已发生变化，请刷新后重试。"
IN_TRANSIT_MESSAGE = "该案件正在流转到下一环节，请稍后刷新再操作。"
SAVE_ATTEMPTS = 3


def is_replay(case: Case, request_id: str | None) -> bool:
    if not request_id:
        return False
    return (case.pending is not None and case.pending.request_id == request_id) or case.last_request_id == request_id


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
