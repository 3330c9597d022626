"""The deadline check (预警): reminders, yellow and red cards, deemed acceptance.

Run on a schedule. Its cost follows the number of cases that are due, not the number of open
cases: each shard of the sparse `alarms` index is read only up to `now`. Every warning has a
deterministic id (case, step visit, level) and is written only if absent, so however often the
check runs, or is retried, a case gets exactly one warning per step visit and level, and never
one early.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..models.case import Actor, Case, TimelineEvent
from ..models.events import CaseTransitionedV1
from ..models.flow import EXPIRE_DECISION, STEP_ROLE, WITHDRAW_DECISION, Step
from ..models.warnings import Warning, WarningLevel, warning_id
from ..rules.deadlines import ONE_SECOND, alarm_times
from ..rules.workdays import WorkingCalendar, local_date
from .clock import recompute_clock
from .ports import (
    CaseRepository,
    Clock,
    ConcurrentModification,
    DomainEvents,
    EventPublisher,
    Notifier,
    StaleTaskToken,
    WarningRepository,
    WorkflowEngine,
)
from .scope import bureau_inboxes
from .warning_facts import publish_issued

PAGE = 100
DEEMED_ACCEPTANCE = "deemed_acceptance"
DEEMED_ACCEPT_ACTION = "deemed_accept"  # 视为受理, on the timeline
DEEMED_ACCEPTANCE_BASIS = "《中华人民共和国行政许可法》第三十二条"


@dataclass
class SweepReport:
    checked: int = 0
    issued: list[str] = field(default_factory=list)
    queries: int = 0


class DeadlineService:
    def __init__(
        self, *, cases: CaseRepository, warnings: WarningRepository, notifier: Notifier, clock: Clock,
        events: DomainEvents | None = None, calendar: WorkingCalendar | None = None,
        publisher: EventPublisher | None = None, workflow: WorkflowEngine | None = None,
    ) -> None:
        self._workflow = workflow  # a 补正 wait that ran out ends the applicant's step
        self._calendar = calendar  # deemed acceptance recomputes the case's limits from receipt
        self._publisher = publisher  # ... and publishes its timeline event like any transition
        self._cases = cases
        self._warnings = warnings
        self._notifier = notifier
        self._clock = clock
        self._events = events  # cards are evaluation facts (WarningIssued)

    def sweep(self, now: datetime | None = None) -> SweepReport:
        now = now or self._clock.now()
        report = SweepReport()
        for shard in range(self._cases.alarm_shards()):
            while True:
                due = self._cases.due_alarms(shard, now, limit=PAGE)
                report.queries += 1
                for case_id in due:
                    report.checked += 1
                    report.issued += [w.warning_id for w in self.check(case_id, now)]
                if len(due) < PAGE:
                    break
        return report

    def check(self, case_id: str, now: datetime) -> list[Warning]:
        """Issues whatever is due for the case now, and moves its alarm to the next level."""
        for _ in range(3):
            found = self._cases.get_with_timeline(case_id)
            if found is None:
                return []
            case, events = found
            alarm = case.next_alarm_at
            if alarm is None or alarm > now:
                return []  # someone acted, paused or recomputed since the index was read
            if case.step is Step.SUPPLEMENT:
                self._withdraw(case)
                return []
            if case.step is Step.STATEMENT:
                self._end_statement_window(case)
                return []
            warnings, levels, deemed = self._due_warnings(case, events, now)
            issued = [w for w in warnings if self._warnings.issue(w)]
            for warning in issued:
                self._notifier.notify(warning)
            # Every stored card, also one stored by an earlier attempt that failed before the
            # alarm moved (as stored: its issue time decides its month); the event id is the
            # warning's, so the consumer counts it once.
            publish_issued(self._events, [w if w in issued else (self._warnings.get(w.warning_id) or w) for w in warnings])
            updated = case.model_copy(
                update={
                    "warnings_issued": tuple(dict.fromkeys(case.warnings_issued + tuple(levels))),
                    "version": case.version + 1,
                }
            )
            recorded: tuple[TimelineEvent, ...] = ()
            if deemed:
                updated, event = self._deemed_accepted(updated, now)
                recorded = (event,)
            try:
                self._cases.save(updated, expected_version=case.version, events=recorded)
            except ConcurrentModification:
                continue  # the warnings are stored once; re-read and move the alarm again
            if self._publisher is not None and recorded:
                self._publisher.publish([CaseTransitionedV1.of(updated, e, recorded_at=now) for e in recorded])
            return issued
        return []

    def _withdraw(self, case: Case) -> None:
        """The applicant did not supplement within the item's 补正期限 (working days): the flow ends
        the step as withdrawn; its finalize records the transition (视为撤回, with the reason). A
        resubmission that won the race, or a withdrawal sent before, makes the token stale."""
        if self._workflow is None or case.task_token is None:
            return
        try:
            self._workflow.send_decision(case.task_token, {"decision": WITHDRAW_DECISION})
        except StaleTaskToken:
            pass

    def _end_statement_window(self, case: Case) -> None:
        """The party asked for no hearing within 5 working days of the notice (行政处罚法 第六十四条):
        the flow goes on to the decision; the next step's entry records it (models/case.py)."""
        if self._workflow is None or case.task_token is None:
            return
        try:
            self._workflow.send_decision(case.task_token, {"decision": EXPIRE_DECISION})
        except StaleTaskToken:
            pass

    def _deemed_accepted(self, case: Case, now: datetime) -> tuple[Case, TimelineEvent]:
        """行政许可法 第三十二条: neither accepted nor told to supplement within the window, the
        application is accepted as of the day the materials were received. A state change of the
        case (its limits now run from receipt), recorded on the timeline by the system. The case
        still waits at 受理 for the window to register it (issue the written 受理通知书); it can
        no longer be rejected or sent to 补正."""
        received = case.received_at
        event = TimelineEvent(
            case_id=case.case_id, seq=case.seq + 1, occurred_at=now, actor=Actor.system(), action=DEEMED_ACCEPT_ACTION,
            from_state=case.status, to_state=case.status,
            opinion=(f"收到申请材料后{case.warning_rules.acceptance_working_days}个工作日内既未受理也未一次性告知补正，"
                     f"依照《行政许可法》第三十二条，自收到申请材料之日（{local_date(received):%Y年%m月%d日}）起即为受理。"),
            details={"accepted_as_of": received.isoformat(), "basis": DEEMED_ACCEPTANCE_BASIS},
        )
        accepted = case.model_copy(update={"deemed_accepted": True, "accepted_at": received, "seq": event.seq, "updated_at": now})
        if self._calendar is not None:
            accepted = recompute_clock(accepted, now=now, calendar=self._calendar)
        return accepted, event

    def _due_warnings(self, case: Case, events: list[TimelineEvent], now: datetime) -> tuple[list[Warning], list[str], bool]:
        warnings: list[Warning] = []
        levels: list[str] = []
        if case.step_due_at and case.step_reminder_at and case.step_red_at:
            for level, at in alarm_times(case.step_reminder_at, case.step_due_at, case.step_red_at).items():
                if at <= now and level not in case.warnings_issued:
                    levels.append(level)
                    warnings.append(_card(case, events, WarningLevel(level), now))
        deemed = False
        if case.step is Step.ACCEPT and not case.deemed_accepted and case.acceptance_due_at and case.acceptance_due_at + ONE_SECOND <= now:
            deemed = True
            warnings.append(_deemed_acceptance(case, events, now))
        return warnings, levels, deemed


def recipients(case: Case, level: WarningLevel) -> tuple[str, ...]:
    """Reminder → the step's role; yellow → also the department's 监察室; red → the leader and
    the city's inspectors, and the 监察局 of each level below the city the case is at; anomalies →
    the inspectors."""
    dept = case.department_id
    role = STEP_ROLE[case.step].value if case.step else "leader"
    bureaus = bureau_inboxes(case.government_path)
    return {
        WarningLevel.REMINDER: (f"{dept}#{role}",),
        WarningLevel.YELLOW: (f"{dept}#{role}", f"{dept}#inspector"),
        WarningLevel.RED: (f"{dept}#leader", f"{dept}#inspector", "city#inspector", *bureaus),
        WarningLevel.ANOMALY: (f"{dept}#inspector", "city#inspector", *bureaus),
    }[level]


def evidence_of(case: Case, events: list[TimelineEvent], now: datetime) -> dict:
    """What the case looked like when the warning was issued: its clock and its timeline."""
    return {
        "captured_at": now.isoformat(),
        "clock": {
            "status": case.status.value,
            "step": case.step.value if case.step else None,
            "step_started_at": case.step_started_at.isoformat() if case.step_started_at else None,
            "step_due_at": case.step_due_at.isoformat() if case.step_due_at else None,
            "promised_due_on": case.promised_due_on.isoformat(),
            "legal_due_on": case.legal_due_on.isoformat(),
            "pauses": [p.model_dump(mode="json") for p in case.pauses],
            "extensions": [e.model_dump(mode="json") for e in case.extensions],
        },
        "timeline": [e.model_dump(mode="json") for e in events],
    }


_CARD_TEXT = {
    WarningLevel.REMINDER: ("“{step}”环节即将到期", "办件“{item}”的“{step}”环节将于{due}到期，请及时办理。"),
    WarningLevel.YELLOW: ("“{step}”环节已超期：黄牌警告", "办件“{item}”的“{step}”环节已于{due}到期仍未办结，发出黄牌警告。"),
    WarningLevel.RED: ("“{step}”环节超过督办期限：红牌警告", "办件“{item}”的“{step}”环节{due}到期，督办期限已过仍未办结，发出红牌警告，请分管领导督办。"),
}


def _card(case: Case, events: list[TimelineEvent], level: WarningLevel, now: datetime) -> Warning:
    step_label = case.step.label if case.step else ""
    due = case.step_due_at.astimezone(case.step_due_at.tzinfo).strftime("%Y年%m月%d日") if case.step_due_at else ""
    title, message = (t.format(step=step_label, item=case.item_name, due=due) for t in _CARD_TEXT[level])
    return Warning(
        warning_id=warning_id(case.case_id, case.step_visit, level),
        case_id=case.case_id,
        department_id=case.department_id,
        item_code=case.item_code,
        item_name=case.item_name,
        step=case.step.value if case.step else None,
        step_visit=case.step_visit,
        level=level,
        rule="time_limit",
        title=title,
        message=message,
        issued_at=now,
        due_at=case.step_due_at,
        recipients=recipients(case, level),
        evidence=evidence_of(case, events, now),
    )


def _deemed_acceptance(case: Case, events: list[TimelineEvent], now: datetime) -> Warning:
    return Warning(
        warning_id=warning_id(case.case_id, case.step_visit, WarningLevel.ANOMALY, DEEMED_ACCEPTANCE),
        case_id=case.case_id,
        department_id=case.department_id,
        item_code=case.item_code,
        item_name=case.item_name,
        step=Step.ACCEPT.value,
        step_visit=case.step_visit,
        level=WarningLevel.ANOMALY,
        rule=DEEMED_ACCEPTANCE,
        title="逾期未受理，视为受理",
        message=(f"办件“{case.item_name}”收到材料后{case.warning_rules.acceptance_working_days}个工作日内既未受理也未一次性告知补正，"
                 "依照《行政许可法》第三十二条，自收到材料之日起即为受理。"),
        issued_at=now,
        due_at=case.acceptance_due_at,
        recipients=recipients(case, WarningLevel.ANOMALY),
        evidence=evidence_of(case, events, now),
    )
