"""The fixed flows (流程固化) of every kind of power.

Each flow pattern (FlowPattern) is one state machine (statemachines/<pattern file>); the order of
steps lives there. This module says which steps a pattern has, who acts at each step and which
decisions a step accepts. A test checks, per pattern, that every decision here is a branch of the
ASL after that step, and vice versa.
"""

from __future__ import annotations

from enum import StrEnum

from .roles import Role


class FlowPattern(StrEnum):
    """How a catalog item is handled: its state machine."""

    INSTANT = "instant"  # 即办件 (行政许可法 第三十四条)
    STANDARD = "standard"  # 承诺件
    JOINT = "joint"  # 并联审批 (行政许可法 第二十六条)
    PENALTY = "penalty"  # 行政处罚 普通程序 (行政处罚法 第五十四条起)
    PENALTY_SIMPLE = "penalty_simple"  # 行政处罚 简易程序 (行政处罚法 第五十一条)
    INSPECTION = "inspection"  # 行政检查
    REPORTED = "reported"  # 上报件: received below, decided above (行政许可法 第三十五条)

    @property
    def label(self) -> str:
        return FLOW_PATTERN_LABELS[self]

    @property
    def on_application(self) -> bool:
        """依申请: the applicant starts the case; the others are opened by the department (立案)."""
        return self in (FlowPattern.INSTANT, FlowPattern.STANDARD, FlowPattern.JOINT, FlowPattern.REPORTED)


FLOW_PATTERN_LABELS = {
    FlowPattern.INSTANT: "即办件",
    FlowPattern.STANDARD: "承诺件",
    FlowPattern.JOINT: "并联审批",
    FlowPattern.PENALTY: "行政处罚（普通程序）",
    FlowPattern.PENALTY_SIMPLE: "行政处罚（简易程序）",
    FlowPattern.INSPECTION: "行政检查",
    FlowPattern.REPORTED: "上报件",
}


class Step(StrEnum):
    """A human step of a flow; its value is the `step` the state machine passes."""

    ACCEPT = "accept"  # 受理
    SUPPLEMENT = "supplement"  # 补正 (the applicant supplies missing material)
    HANDLE = "handle"  # 承办
    REVIEW = "review"  # 审核
    APPROVE = "approve"  # 批准
    COMPLETE = "complete"  # 办结 (for a penalty: 结案)
    INSTANT = "instant"  # 当场办理 (即办件)
    OPINION = "opinion"  # 会签意见 (a co-department's part of a joint case)
    INVESTIGATE = "investigate"  # 调查取证
    NOTIFY = "notify"  # 事先告知
    STATEMENT = "statement"  # 陈述申辩 (the party's turn)
    HEARING_NOTICE = "hearing_notice"  # 听证通知
    HEARING = "hearing"  # 听证
    LEGAL_REVIEW = "legal_review"  # 法制审核
    COLLECTIVE = "collective"  # 集体讨论
    DECIDE = "decide"  # 处罚决定
    DELIVER = "deliver"  # 送达
    EXECUTE = "execute"  # 执行
    ON_SPOT = "on_spot"  # 当场处罚 (简易程序)
    INSPECT = "inspect"  # 实施检查
    INSPECT_RESULT = "inspect_result"  # 检查结果
    RECTIFICATION = "rectification"  # 整改复查
    PUBLICIZE = "publicize"  # 结果公示
    PRELIMINARY_REVIEW = "preliminary_review"  # 初审 (上报件: the lower department, 行政许可法 第四十三条)
    REPORT = "report"  # 上报 (上报件: the lower leader sends opinion and materials up, 第三十五条)

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


class Outcome(StrEnum):
    """How a case ends."""

    COMPLETED = "completed"  # 已办结
    REJECTED = "rejected"  # 不予受理
    DENIED = "denied"  # 不予批准
    WITHDRAWN = "withdrawn"  # 逾期未补正，视为撤回
    DROPPED = "dropped"  # 撤销立案

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


class Decision(StrEnum):
    """What an actor decides at a step; the state machine branches on it."""

    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    REQUEST_SUPPLEMENT = "request_supplement"  # 一次性告知补正
    RESUBMIT = "resubmit"  # 补正后重新提交
    SUBMIT = "submit"  # 承办意见 / 调查终结
    PASS = "pass"  # 审核通过
    RETURN = "return"  # 退回承办
    APPROVE = "approve"  # 批准
    DENY = "deny"  # 不予批准
    COMPLETE = "complete"  # 办结
    AGREE = "agree"  # 同意 (会签)
    DISAGREE = "disagree"  # 不同意 (会签)
    DROP = "drop"  # 撤销立案
    NOTIFY = "notify"  # 送达事先告知书
    REQUEST_HEARING = "request_hearing"  # 申请听证
    SUBMIT_STATEMENT = "submit_statement"  # 提交陈述申辩
    WAIVE = "waive"  # 放弃陈述申辩和听证
    SCHEDULE_HEARING = "schedule_hearing"  # 通知听证
    HEARD = "heard"  # 听证完毕
    DISCUSSED = "discussed"  # 集体讨论决定
    PENALIZE = "penalize"  # 作出处罚决定
    NO_PENALTY = "no_penalty"  # 不予行政处罚
    DELIVERED = "delivered"  # 已送达
    PAID = "paid"  # 已履行
    ENFORCE = "enforce"  # 申请强制执行
    INSPECTED = "inspected"  # 检查完毕
    QUALIFIED = "qualified"  # 检查合格
    RECTIFY = "rectify"  # 责令整改
    REFER = "refer"  # 移送立案
    RECTIFIED = "rectified"  # 整改到位
    PUBLISH = "publish"  # 公示
    REPORT = "report"  # 上报上级机关

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
    Step.INSTANT: "当场办理",
    Step.OPINION: "会签意见",
    Step.INVESTIGATE: "调查取证",
    Step.NOTIFY: "事先告知",
    Step.STATEMENT: "陈述申辩",
    Step.HEARING_NOTICE: "听证通知",
    Step.HEARING: "听证",
    Step.LEGAL_REVIEW: "法制审核",
    Step.COLLECTIVE: "集体讨论",
    Step.DECIDE: "处罚决定",
    Step.DELIVER: "送达",
    Step.EXECUTE: "执行",
    Step.ON_SPOT: "当场处罚",
    Step.INSPECT: "实施检查",
    Step.INSPECT_RESULT: "检查结果",
    Step.RECTIFICATION: "整改复查",
    Step.PUBLICIZE: "结果公示",
    Step.PRELIMINARY_REVIEW: "初审",
    Step.REPORT: "上报",
}

OUTCOME_LABELS = {
    Outcome.COMPLETED: "已办结",
    Outcome.REJECTED: "不予受理",
    Outcome.DENIED: "不予批准",
    Outcome.WITHDRAWN: "视为撤回",
    Outcome.DROPPED: "撤销立案",
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
    Decision.AGREE: "同意",
    Decision.DISAGREE: "不同意",
    Decision.DROP: "撤销立案",
    Decision.NOTIFY: "送达事先告知书",
    Decision.REQUEST_HEARING: "申请听证",
    Decision.SUBMIT_STATEMENT: "提交陈述申辩",
    Decision.WAIVE: "放弃陈述申辩",
    Decision.SCHEDULE_HEARING: "通知听证",
    Decision.HEARD: "听证完毕",
    Decision.DISCUSSED: "集体讨论决定",
    Decision.PENALIZE: "作出处罚决定",
    Decision.NO_PENALTY: "不予行政处罚",
    Decision.DELIVERED: "已送达",
    Decision.PAID: "已履行",
    Decision.ENFORCE: "申请强制执行",
    Decision.INSPECTED: "检查完毕",
    Decision.QUALIFIED: "检查合格",
    Decision.RECTIFY: "责令整改",
    Decision.REFER: "移送立案",
    Decision.RECTIFIED: "整改到位",
    Decision.PUBLISH: "公示",
    Decision.REPORT: "上报",
}

# Who acts at each step. The applicant (or the party of a penalty) acts on SUPPLEMENT and STATEMENT.
STEP_ROLE: dict[Step, Role] = {
    Step.ACCEPT: Role.WINDOW,
    Step.SUPPLEMENT: Role.CITIZEN,
    Step.HANDLE: Role.HANDLER,
    Step.REVIEW: Role.REVIEWER,
    Step.APPROVE: Role.LEADER,
    Step.COMPLETE: Role.WINDOW,
    Step.INSTANT: Role.WINDOW,
    Step.OPINION: Role.HANDLER,
    Step.INVESTIGATE: Role.HANDLER,
    Step.NOTIFY: Role.HANDLER,
    Step.STATEMENT: Role.CITIZEN,
    Step.HEARING_NOTICE: Role.HANDLER,
    Step.HEARING: Role.HANDLER,
    Step.LEGAL_REVIEW: Role.REVIEWER,
    Step.COLLECTIVE: Role.LEADER,
    Step.DECIDE: Role.LEADER,
    Step.DELIVER: Role.WINDOW,
    Step.EXECUTE: Role.WINDOW,
    Step.ON_SPOT: Role.HANDLER,
    Step.INSPECT: Role.HANDLER,
    Step.INSPECT_RESULT: Role.LEADER,
    Step.RECTIFICATION: Role.HANDLER,
    Step.PUBLICIZE: Role.WINDOW,
    Step.PRELIMINARY_REVIEW: Role.HANDLER,
    Step.REPORT: Role.LEADER,
}

STEP_DECISIONS: dict[Step, frozenset[Decision]] = {
    Step.ACCEPT: frozenset({Decision.ACCEPT, Decision.REJECT, Decision.REQUEST_SUPPLEMENT}),
    Step.SUPPLEMENT: frozenset({Decision.RESUBMIT}),
    Step.HANDLE: frozenset({Decision.SUBMIT}),
    Step.REVIEW: frozenset({Decision.PASS, Decision.RETURN}),
    Step.APPROVE: frozenset({Decision.APPROVE, Decision.DENY}),
    Step.COMPLETE: frozenset({Decision.COMPLETE}),
    Step.INSTANT: frozenset({Decision.APPROVE, Decision.DENY, Decision.REJECT, Decision.REQUEST_SUPPLEMENT}),
    Step.OPINION: frozenset({Decision.AGREE, Decision.DISAGREE, Decision.REQUEST_SUPPLEMENT}),
    Step.INVESTIGATE: frozenset({Decision.SUBMIT, Decision.DROP}),
    Step.NOTIFY: frozenset({Decision.NOTIFY}),
    Step.STATEMENT: frozenset({Decision.REQUEST_HEARING, Decision.SUBMIT_STATEMENT, Decision.WAIVE}),
    Step.HEARING_NOTICE: frozenset({Decision.SCHEDULE_HEARING}),
    Step.HEARING: frozenset({Decision.HEARD}),
    Step.LEGAL_REVIEW: frozenset({Decision.PASS, Decision.RETURN}),
    Step.COLLECTIVE: frozenset({Decision.DISCUSSED}),
    Step.DECIDE: frozenset({Decision.PENALIZE, Decision.NO_PENALTY}),
    Step.DELIVER: frozenset({Decision.DELIVERED}),
    Step.EXECUTE: frozenset({Decision.PAID, Decision.ENFORCE}),
    Step.ON_SPOT: frozenset({Decision.PENALIZE, Decision.DROP}),
    Step.INSPECT: frozenset({Decision.INSPECTED}),
    Step.INSPECT_RESULT: frozenset({Decision.QUALIFIED, Decision.RECTIFY, Decision.REFER}),
    Step.RECTIFICATION: frozenset({Decision.RECTIFIED, Decision.REFER}),
    Step.PUBLICIZE: frozenset({Decision.PUBLISH}),
    # 初审: the lower handler's opinion goes up; only the upper level decides (第三十五条).
    Step.PRELIMINARY_REVIEW: frozenset({Decision.SUBMIT}),
    Step.REPORT: frozenset({Decision.REPORT, Decision.RETURN}),
}

# What the system (not a person) answers a step's task token with: the 补正 wait ran out, the
# application is withdrawn (services/deadlines.py); the party's 5 working days to ask for a hearing
# ran out (行政处罚法 第六十四条). Not a person's decision, so not above.
WITHDRAW_DECISION = "withdraw"
EXPIRE_DECISION = "expire"
SYSTEM_DECISIONS: dict[Step, frozenset[str]] = {
    Step.SUPPLEMENT: frozenset({WITHDRAW_DECISION}),
    Step.STATEMENT: frozenset({EXPIRE_DECISION}),
}

# The steps of each pattern, in the order a happy path meets them (the ASL decides the order).
FLOW_STEPS: dict[FlowPattern, tuple[Step, ...]] = {
    FlowPattern.INSTANT: (Step.INSTANT, Step.SUPPLEMENT),
    FlowPattern.STANDARD: (Step.ACCEPT, Step.SUPPLEMENT, Step.HANDLE, Step.REVIEW, Step.APPROVE, Step.COMPLETE),
    FlowPattern.JOINT: (
        Step.ACCEPT, Step.SUPPLEMENT, Step.OPINION, Step.HANDLE, Step.REVIEW, Step.APPROVE, Step.COMPLETE,
    ),
    FlowPattern.PENALTY: (
        Step.INVESTIGATE, Step.NOTIFY, Step.STATEMENT, Step.HEARING_NOTICE, Step.HEARING, Step.LEGAL_REVIEW,
        Step.COLLECTIVE, Step.DECIDE, Step.DELIVER, Step.EXECUTE, Step.COMPLETE,
    ),
    FlowPattern.PENALTY_SIMPLE: (Step.ON_SPOT, Step.EXECUTE, Step.COMPLETE),
    FlowPattern.INSPECTION: (Step.INSPECT, Step.INSPECT_RESULT, Step.RECTIFICATION, Step.PUBLICIZE),
    # 上报件: accept, 补正, 初审 and 上报 below; handle, review and approve on the upper department's
    # part case; complete (办结, the result issued) below again.
    FlowPattern.REPORTED: (
        Step.ACCEPT, Step.SUPPLEMENT, Step.PRELIMINARY_REVIEW, Step.REPORT, Step.HANDLE, Step.REVIEW, Step.APPROVE,
        Step.COMPLETE,
    ),
}

STAFF_STEPS = tuple(step for step in Step if STEP_ROLE[step] is not Role.CITIZEN)
# The steps where the applicant or party has the turn: no card for staff while they wait.
APPLICANT_STEPS = frozenset(step for step in Step if STEP_ROLE[step] is Role.CITIZEN)


# Decisions that turn a case down or back: the action panel offers them last.
ADVERSE_DECISIONS = frozenset({Decision.REJECT, Decision.DENY, Decision.RETURN, Decision.DROP, Decision.DISAGREE})


def decisions_of(step: Step) -> tuple[Decision, ...]:
    """A step's decisions in the order the action panel offers them: going on first, then asking
    for the missing material, then turning the case down or back."""

    def rank(decision: Decision) -> int:
        return 2 if decision in ADVERSE_DECISIONS else 1 if decision is Decision.REQUEST_SUPPLEMENT else 0

    return tuple(sorted(STEP_DECISIONS[step], key=lambda d: (rank(d), list(Decision).index(d))))


def staff_steps_of(pattern: FlowPattern) -> tuple[Step, ...]:
    """The steps of a pattern that staff act on: each needs a time limit in the catalog."""
    return tuple(step for step in FLOW_STEPS[pattern] if step in STAFF_STEPS)


def steps_for_role(role: Role) -> tuple[Step, ...]:
    return tuple(step for step in STAFF_STEPS if STEP_ROLE[step] is role)
