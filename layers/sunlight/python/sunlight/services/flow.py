"""Callbacks of the state machine: it entered a human step, or the flow ended.

Every transition is written with its timeline event in one conditional write, then published
as a versioned domain event. Retried invocations are recognised and change nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models.case import Case, CaseStatus, TimelineEvent
from ..models.catalog import Department
from ..models.clock import Pause, PauseReason
from ..models.events import CaseTransitionedV1
from ..models.flow import Decision, Outcome, Step
from ..models.joint import JointPart, is_joint_lead
from ..models.reported import UpperPart, is_reported_lower, upper_case_id
from ..rules.penalty import PenaltyRoute, route_of
from ..rules.workdays import WorkingCalendar
from .calendar_notices import CalendarNotices
from .clock import recompute_clock
from .errors import NotFound
from .joint import closed_part, combined_supplement, gather_details, gathered_in_round, new_part_case, parts_of_round
from .ports import CaseRepository, CatalogReader, Clock, ConcurrentModification, EventPublisher
from .reported import new_upper_case, report_details, upper_closing_status, upper_decision, upper_part_of
from .scope import Levels

MAX_ATTEMPTS = 5  # optimistic-lock retries against a concurrent writer (e.g. a staff action)


@dataclass(frozen=True)
class Transition:
    case: Case
    event: TimelineEvent | None  # None when a retried callback changed nothing


class FlowService:
    def __init__(
        self, *, cases: CaseRepository, publisher: EventPublisher, clock: Clock, calendar: WorkingCalendar,
        notices: CalendarNotices | None = None, catalog: CatalogReader | None = None, levels: Levels | None = None,
    ) -> None:
        self._catalog = catalog  # a joint case's co-departments (并联审批), read when it is forwarded
        self._levels = levels or (Levels(catalog) if catalog is not None else None)  # a part case's government chain
        self._notices = notices  # a case entering a step whose dates reach a 日历未确认 year
        self._cases = cases
        self._publisher = publisher
        self._clock = clock
        self._calendar = calendar

    def enter_step(
        self, case_id: str, step: Step, task_token: str, part: JointPart | None = None, upper: UpperPart | None = None
    ) -> Transition:
        if part is not None and self._cases.get(case_id) is None:
            created = self._create_part(part, task_token)
            if created is not None:
                return created
        if upper is not None and self._cases.get(case_id) is None:
            created = self._create_upper(upper, task_token)
            if created is not None:
                return created

        def change(case: Case) -> tuple[Case, TimelineEvent | None]:
            now = self._clock.now()
            entered, event = case.entered_step(step, task_token, now=now, due_at=None)
            if event is None:
                return entered, None
            return recompute_clock(_supplement_pause(case, entered, now), now=now, calendar=self._calendar), event

        transition = self._apply(case_id, change)
        if self._notices is not None and transition.event is not None:
            self._notices.after_recompute(transition.case, self._clock.now())
        return transition

    def route(self, case_id: str) -> PenaltyRoute:
        """Which optional steps of a penalty (法制审核, 集体讨论) the case needs: the state machine
        branches on the answer. Reads only; changes nothing."""
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            raise NotFound(f"case {case_id} does not exist")
        case, timeline = found
        return route_of(timeline, case.pending.decision if case.pending is not None else None)

    def finalize(self, case_id: str, outcome: Outcome) -> Transition:
        return self._apply(case_id, lambda case: case.finalized(outcome, now=self._clock.now()))

    def suspend(self, case_id: str) -> Transition:
        transition = self._apply(case_id, lambda case: case.finalized(CaseStatus.SUSPENDED, now=self._clock.now()))
        if is_joint_lead(transition.case.flow, transition.case.parent_case_id):
            # The lead's flow ended: no co-department keeps a part that nobody waits for.
            for part_id in transition.case.joint_parts:
                part = self._cases.get(part_id)
                if part is not None and not part.status.is_closed:
                    self.suspend(part_id)
        if is_reported_lower(transition.case.flow, transition.case.parent_case_id):
            # 上报件: the upper department's part ends with the case (a timed-out upper step suspends both).
            upper = self._cases.get(upper_case_id(case_id))
            if upper is not None and not upper.status.is_closed:
                self.suspend(upper.case_id)
        return transition

    # --- 上报件 (行政许可法 第三十五条) -------------------------------------------------------------

    def report_up(self, case_id: str) -> UpperPart:
        """The lower leader signed the report: recorded on the lower case (已上报), and the upper
        department's part named (the same part again when the state machine retries)."""
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            raise NotFound(f"case {case_id} does not exist")
        lower, events = found
        part = upper_part_of(lower, self._upper_department(lower))
        if lower.status is not CaseStatus.REPORTED:
            details = report_details(part, events)
            self._apply(case_id, lambda c: c.reported_up(now=self._clock.now(), details=details)
                        if c.status is CaseStatus.REPORT and c.pending is not None else (c, None))
        return part

    def report_back(self, case_id: str) -> Decision:
        """The upper leader decided: the upper part closes with its decision, which the lower case
        takes as the decision its window issues (办结) or that ends it (不予批准)."""
        part_id = upper_case_id(case_id)
        found = self._cases.get_with_timeline(part_id)
        if found is None:
            raise NotFound(f"upper part {part_id} does not exist")
        part, events = found
        decided = upper_decision(part, events)
        if not part.status.is_closed:
            self._apply(part_id, lambda c: c.finalized(upper_closing_status(decided.decision), now=self._clock.now()))

        def hand_down(lower: Case) -> tuple[Case, TimelineEvent | None]:
            if lower.status is not CaseStatus.REPORTED or lower.pending is not None:
                return lower, None  # handed down by a retried invocation meanwhile
            return lower.model_copy(update={"pending": decided, "updated_at": self._clock.now(), "version": lower.version + 1}), None

        self._apply(case_id, hand_down)
        return decided.decision

    # --- 并联审批 (行政许可法 第二十六条) ----------------------------------------------------------

    def forward(self, case_id: str) -> list[JointPart]:
        """The lead forwards the application to its co-departments: a new round of parts (the same
        round again when the state machine retries)."""
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(f"case {case_id} does not exist")
        retried = case.step is Step.OPINION and case.pending is None
        round_ = case.joint_round if retried else case.joint_round + 1
        parts = self._parts(case, round_)
        if not retried:
            details = {"round": round_, "co_departments": [p.department_name for p in parts]}
            self._apply(case_id, lambda c: self._forwarded(c, parts, details))
        return list(parts)

    def _forwarded(self, case: Case, parts: tuple[JointPart, ...], details: dict) -> tuple[Case, TimelineEvent | None]:
        if case.step is Step.OPINION and case.pending is None:
            return case, None  # forwarded by a retried invocation meanwhile
        now = self._clock.now()
        forwarded, event = case.forwarded(tuple(p.case_id for p in parts), now=now, details=details)
        return recompute_clock(_supplement_pause(case, forwarded, now), now=now, calendar=self._calendar), event

    def close_part(self, case_id: str) -> Transition:
        """A co-department handed over its opinion: its part case closes (已办结)."""
        return self._apply(case_id, lambda case: closed_part(case, now=self._clock.now()))

    def gather(self, case_id: str) -> bool:
        """Every co-department has given its opinion: record them on the lead. True when any asked
        for material: ONE combined notice (一次性告知) goes to the applicant."""
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            raise NotFound(f"case {case_id} does not exist")
        lead, events = found
        round_ = lead.joint_round
        parts = [p for p in (self._cases.get(pid) for pid in lead.joint_parts) if p is not None and p.joint_round == round_]
        now = self._clock.now()
        supplement = combined_supplement(parts, now=now)
        if not gathered_in_round(events, round_):
            details = gather_details(round_, parts)
            self._apply(case_id, lambda c: c.gathered(now=now, details=details, supplement=supplement)
                        if c.pending is None and c.step is Step.OPINION else (c, None))
        return supplement is not None

    def _parts(self, lead: Case, round_: int) -> tuple[JointPart, ...]:
        if self._catalog is None:
            raise RuntimeError("the flow service needs the catalog to forward a joint case")
        item = self._catalog.get_item(lead.item_code)
        if item is None or item.joint is None:
            raise NotFound(f"joint item {lead.item_code} of case {lead.case_id} not found")
        names = {}
        for co in item.joint.co_departments:
            department = self._catalog.get_department(co.department_id)
            names[co.department_id] = department.name if department else co.department_id
        return parts_of_round(lead, item, names, round_)

    def _upper_department(self, lower: Case) -> Department:
        if self._catalog is None:
            raise RuntimeError("the flow service needs the catalog to report a case up")
        item = self._catalog.get_item(lower.item_code)
        if item is None or item.upper_department_id is None:
            raise NotFound(f"reported item {lower.item_code} of case {lower.case_id} not found")
        upper = self._catalog.get_department(item.upper_department_id)
        if upper is None:
            raise NotFound(f"upper department {item.upper_department_id} of {lower.item_code} not found")
        return upper

    def _create_upper(self, part: UpperPart, task_token: str) -> Transition | None:
        found = self._cases.get_with_timeline(part.parent_case_id)
        if found is None:
            raise NotFound(f"lower case {part.parent_case_id} does not exist")
        lower, events = found
        report = next((e for e in reversed(events) if e.to_state is CaseStatus.REPORTED), None)
        now = self._clock.now()
        case, event = new_upper_case(lower, part, report, task_token, now=now)
        return self._created(recompute_clock(case, now=now, calendar=self._calendar), event, now)

    def _create_part(self, part: JointPart, task_token: str) -> Transition | None:
        lead = self._cases.get(part.parent_case_id)
        if lead is None:
            raise NotFound(f"lead case {part.parent_case_id} does not exist")
        now = self._clock.now()
        case, event = new_part_case(lead, part, task_token, now=now)
        if self._catalog is not None and self._levels is not None:  # the part is its co-department's case, at its level
            stamped = self._levels.stamp_listed(part.department_id) or self._levels.stamp(
                self._catalog.get_department(part.department_id))
            case = case.model_copy(update={"government_id": stamped[0], "government_path": stamped[1]})
        return self._created(recompute_clock(case, now=now, calendar=self._calendar), event, now)

    def _created(self, case: Case, event: TimelineEvent, now: datetime) -> Transition | None:
        """A part case (joint or upper) written once and its first fact published; None when a
        retried invocation created it meanwhile (the caller enters the step as usual)."""
        try:
            self._cases.create(case, event, None)
        except ConcurrentModification:
            return None
        self._publisher.publish([CaseTransitionedV1.of(case, event, recorded_at=now)])
        return Transition(case, event)

    def _apply(self, case_id: str, change) -> Transition:
        for _ in range(MAX_ATTEMPTS):
            case = self._cases.get(case_id)
            if case is None:
                raise NotFound(f"case {case_id} does not exist")
            updated, event = change(case)
            if updated is not case:
                try:
                    self._cases.save(updated, expected_version=case.version, events=(event,) if event else ())
                except ConcurrentModification:
                    continue
            if event is None:
                # A retried callback: the transition was recorded before, but its publication
                # may have failed (that is why we are retried). Publish it again; consumers
                # de-duplicate on event_id, so delivery is at least once.
                self._republish_latest(updated)
            else:
                self._publisher.publish([CaseTransitionedV1.of(updated, event, recorded_at=self._clock.now())])
            return Transition(updated, event)
        raise ConcurrentModification(f"case {case_id} kept changing; the state machine will retry")

    def _republish_latest(self, case: Case) -> None:
        found = self._cases.get_with_timeline(case.case_id)
        if found and found[1]:
            self._publisher.publish([CaseTransitionedV1.of(case, found[1][-1], recorded_at=self._clock.now())])


def _supplement_pause(before: Case, entered: Case, now) -> Case:
    """No pause outlives its step: entering a step ends whatever pause is open (补正 ends with the
    resubmission; a special procedure cannot be open here — handing on is refused while it runs —
    but one left by an older version ends with its step). 补正 then stops the clock from entering
    the supplement step until the applicant resubmits."""
    closed = tuple(p.model_copy(update={"ended_at": now}) if p.open else p for p in entered.pauses)
    if entered.step is Step.SUPPLEMENT:
        closed += (Pause(reason=PauseReason.SUPPLEMENT, step=Step.SUPPLEMENT, started_at=now),)
    return entered.model_copy(update={"pauses": closed})
