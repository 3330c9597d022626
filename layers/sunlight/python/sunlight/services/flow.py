"""Callbacks of the state machine: it entered a human step, or the flow ended.

Every transition is written with its timeline event in one conditional write, then published
as a versioned domain event. Retried invocations are recognised and change nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.case import Case, CaseStatus, TimelineEvent
from ..models.clock import Pause, PauseReason
from ..models.events import CaseTransitionedV1
from ..models.flow import Outcome, Step
from ..rules.penalty import PenaltyRoute, route_of
from ..rules.workdays import WorkingCalendar
from .calendar_notices import CalendarNotices
from .clock import recompute_clock
from .errors import NotFound
from .ports import CaseRepository, Clock, ConcurrentModification, EventPublisher

MAX_ATTEMPTS = 5  # optimistic-lock retries against a concurrent writer (e.g. a staff action)


@dataclass(frozen=True)
class Transition:
    case: Case
    event: TimelineEvent | None  # None when a retried callback changed nothing


class FlowService:
    def __init__(
        self, *, cases: CaseRepository, publisher: EventPublisher, clock: Clock, calendar: WorkingCalendar,
        notices: CalendarNotices | None = None,
    ) -> None:
        self._notices = notices  # a case entering a step whose dates reach a 日历未确认 year
        self._cases = cases
        self._publisher = publisher
        self._clock = clock
        self._calendar = calendar

    def enter_step(self, case_id: str, step: Step, task_token: str) -> Transition:
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
        return self._apply(case_id, lambda case: case.finalized(CaseStatus.SUSPENDED, now=self._clock.now()))

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
