"""The fixed flow (流程固化) of the standard approval pattern.

The order of steps lives in the state machine (statemachines/standard_approval.asl.json);
this module says who acts at each step and which decisions a step accepts. A test checks
that every decision here is a branch of the ASL's Choice for that step, and vice versa.
"""

from __future__ import annotations

from enum import StrEnum

from .roles import Role


class Step(StrEnum):
    """A human step of the flow; its value is the `step` the state machine passes."""

    ACCEPT = "accept"  # 受理
    SUPPLEMENT = "supplement"  # 补正 (the applicant supplies missing material)
    HANDLE = "handle"  # 承办
    REVIEW = "review"  # 审核
    APPROVE = "approve"  # 批准
    COMPLETE = "complete"  # 办结

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


class Outcome(StrEnum):
    """How a case ends."""

    COMPLETED = "completed"  # 已办结
    REJECTED = "rejected"  # 不予受理
    DENIED = "denied"  # 不予批准
    WITHDRAWN = "withdrawn"  # 逾期未补正，视为撤回

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


class Decision(StrEnum):
    """What an actor decides at a step; the state machine branches on it."""

    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    REQUEST_SUPPLEMENT = "request_supplement"  # 一次性告知补正
    RESUBMIT = "resubmit"  # 补正后重新提交
    SUBMIT = "submit"  # 承办意见
    PASS = "pass"  # 审核通过
    RETURN = "return"  # 退回承办
    APPROVE = "approve"  # 批准
    DENY = "deny"  # 不予批准
    COMPLETE = "complete"  # 办结

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]


STEP_LABELS = {
    Step.ACCEPT: "受理",
    Step.SUPPLEMENT: "补正材料",
    Step.HANDLE: "承办",
    Step.REVIEW: "审核",
    Step.APPROVE: "批准",
    Step.COMPLETE: "办结",
}

OUTCOME_LABELS = {
    Outcome.COMPLETED: "已办结",
    Outcome.REJECTED: "不予受理",
    Outcome.DENIED: "不予批准",
    Outcome.WITHDRAWN: "视为撤回",
}

DECISION_LABELS = {
    Decision.ACCEPT: "受理",
    Decision.REJECT: "不予受理",
    Decision.REQUEST_SUPPLEMENT: "要求补正",
    Decision.RESUBMIT: "补正提交",
    Decision.SUBMIT: "提交承办意见",
    Decision.PASS: "审核通过",
    Decision.RETURN: "退回承办",
    Decision.APPROVE: "批准",
    Decision.DENY: "不予批准",
    Decision.COMPLETE: "办结",
}

# Who acts at each step. The applicant acts on SUPPLEMENT.
STEP_ROLE: dict[Step, Role] = {
    Step.ACCEPT: Role.WINDOW,
    Step.SUPPLEMENT: Role.CITIZEN,
    Step.HANDLE: Role.HANDLER,
    Step.REVIEW: Role.REVIEWER,
    Step.APPROVE: Role.LEADER,
    Step.COMPLETE: Role.WINDOW,
}

STEP_DECISIONS: dict[Step, frozenset[Decision]] = {
    Step.ACCEPT: frozenset({Decision.ACCEPT, Decision.REJECT, Decision.REQUEST_SUPPLEMENT}),
    Step.SUPPLEMENT: frozenset({Decision.RESUBMIT}),
    Step.HANDLE: frozenset({Decision.SUBMIT}),
    Step.REVIEW: frozenset({Decision.PASS, Decision.RETURN}),
    Step.APPROVE: frozenset({Decision.APPROVE, Decision.DENY}),
    Step.COMPLETE: frozenset({Decision.COMPLETE}),
}

# What the system (not a person) answers a step's task token with: the 补正 wait ran out, the
# application is withdrawn (services/deadlines.py). Not a person's decision, so not above.
WITHDRAW_DECISION = "withdraw"
SYSTEM_DECISIONS: dict[Step, frozenset[str]] = {Step.SUPPLEMENT: frozenset({WITHDRAW_DECISION})}

STAFF_STEPS = tuple(step for step in Step if STEP_ROLE[step] is not Role.CITIZEN)


def steps_for_role(role: Role) -> tuple[Step, ...]:
    return tuple(step for step in STAFF_STEPS if STEP_ROLE[step] is role)
