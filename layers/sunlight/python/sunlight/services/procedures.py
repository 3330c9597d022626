"""Stopping and stretching the clock: special procedures (特别程序) and extensions (延期).

A special procedure (hearing, inspection, expert review, public notice) pauses the clock of the
current step and of the case until it ends; an extension, requested by whoever holds the step and
approved by the department leader, adds working days within the item's bound. Each is recorded
on the timeline and published like any transition.

上报件 (行政许可法 第四十二条, 第四十三条): the upper department extends its own part case, by its
leader, at most 10 working days; the approved extension is relayed to the lower case, the one the
applicant sees, so the decision date they are told moves with it, with the reason (第四十二条).
"""

from __future__ import annotations

from ..models.case import Actor, Case, TimelineEvent
from ..models.clock import SPECIAL_PROCEDURES, Extension, ExtensionStatus, Pause, PauseReason
from ..models.events import CaseTransitionedV1
from ..models.flow import STAFF_STEPS, STEP_ROLE
from ..models.joint import extension_approver, extension_bound
from ..models.reported import RELAYED, is_upper_part
from ..models.roles import Principal, Role
from ..rules.workdays import WorkingCalendar
from .applications import CASE_NOT_FOUND
from .clock import recompute_clock
from .decisions import CHANGED_MESSAGE
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .ports import CaseRepository, Clock, ConcurrentModification, EventPublisher

MAX_RELAY_ATTEMPTS = 5  # optimistic-lock retries on the lower case when relaying an upper extension


class ProcedureService:
    def __init__(self, *, cases: CaseRepository, publisher: EventPublisher, clock: Clock, calendar: WorkingCalendar) -> None:
        self._cases = cases
        self._publisher = publisher
        self._clock = clock
        self._calendar = calendar

    # --- special procedures ----------------------------------------------------------------

    def start_special_procedure(self, principal: Principal, case_id: str, reason: PauseReason, note: str | None) -> Case:
        case = self._case_at_staff_step(principal, case_id)
        role = self._holder_or_leader(principal, case)
        if reason not in SPECIAL_PROCEDURES:
            raise InvalidInput("补正由受理环节发起，不能作为特别程序。")
        if case.open_pause is not None:
            raise Conflict(f"该办件正处于“{case.open_pause.reason.label}”，计时已暂停。")
        now = self._clock.now()
        assert case.step is not None  # a staff step (_case_at_staff_step)
        paused = case.model_copy(update={"pauses": case.pauses + (Pause(reason=reason, step=case.step, started_at=now, note=note),)})
        return self._record(case, paused, Actor.of(principal, role), "pause", note, {"reason": reason.value})

    def end_special_procedure(self, principal: Principal, case_id: str, note: str | None) -> Case:
        case = self._case_at_staff_step(principal, case_id)
        role = self._holder_or_leader(principal, case)
        pause = case.open_pause
        if pause is None or pause.reason not in SPECIAL_PROCEDURES:
            raise Conflict("该办件当前没有进行中的特别程序。")
        now = self._clock.now()
        closed = tuple(p.model_copy(update={"ended_at": now}) if p.open else p for p in case.pauses)
        return self._record(case, case.model_copy(update={"pauses": closed}), Actor.of(principal, role), "resume", note, {"reason": pause.reason.value})

    # --- extensions ------------------------------------------------------------------------

    def request_extension(self, principal: Principal, case_id: str, days: int, reason: str) -> Case:
        case = self._case_at_staff_step(principal, case_id)
        assert case.step is not None  # a staff step (_case_at_staff_step)
        role = STEP_ROLE[case.step]
        if not principal.has_role(role):
            raise Forbidden(f"延期须由“{case.step.label}”环节的{role.label}申请。")
        upper_part = is_upper_part(case.flow, case.parent_case_id)
        if case.parent_case_id is not None and not upper_part:
            raise Conflict("会签意见不能单独延期：并联审批的延期由牵头部门申请。")
        if any(e.status is ExtensionStatus.REQUESTED for e in case.extensions):
            raise Conflict("该办件已有待审批的延期申请。")
        # The upper department's extensions relayed to a lower case are the upper level's, not its own.
        used = sum(e.days for e in case.extensions if e.status is not ExtensionStatus.DENIED and e.relayed_from_case_id is None)
        allowed = extension_bound(case.flow, case.parent_case_id, case.warning_rules.max_extension_days)
        if used + days > allowed:
            basis = "（行政许可法第四十二条：上级审批部门经负责人批准可延长十日）" if upper_part else ""
            raise InvalidInput(f"延期天数（days）总计不得超过{allowed}个工作日{basis}，本件已申请或批准{used}个工作日。",
                               details={"field": "days"})
        extension = Extension(
            extension_id=len(case.extensions) + 1, days=days, reason=reason, requested_by=principal.user_id, requested_at=self._clock.now()
        )
        requested = case.model_copy(update={"extensions": case.extensions + (extension,)})
        return self._record(case, requested, Actor.of(principal, role), "extension_requested", reason, {"days": days, "extension_id": extension.extension_id})

    def extension_decider(self, principal: Principal, case_id: str) -> tuple[Case, Role]:
        """The case, open at a staff step, and the role its extension is decided in, if `principal`
        may decide it; else Forbidden (or NotFound, Conflict). The API asks before reading the body."""
        found = self._cases.get(case_id)
        approver = extension_approver(found.flow, found.parent_case_id) if found else Role.LEADER
        if approver is Role.GOVERNMENT_LEADER:
            # 行政许可法 第四十二条: unified or joint handling is extended by the government's head.
            if not principal.is_government_leader:
                raise Forbidden("并联审批的延期须经市政府分管领导批准（行政许可法第四十二条），部门分管领导不能审批。")
            return self._case_open_at_staff_step(found), approver
        if found is not None and is_upper_part(found.flow, found.parent_case_id):
            # 第四十二条: the deciding organ's head extends its decision period: the upper department's leader.
            if not (principal.has_role(Role.LEADER) and principal.department_id == found.department_id):
                raise Forbidden(f"上报件的延期须经上级审批部门（{found.department_name}）分管领导批准（行政许可法第四十二条）。")
            return self._case_open_at_staff_step(found), approver
        case = self._case_at_staff_step(principal, case_id)
        if not principal.has_role(Role.LEADER):
            raise Forbidden("延期须经部门分管领导批准。")
        return case, approver

    def decide_extension(self, principal: Principal, case_id: str, extension_id: int, approve: bool, note: str | None) -> Case:
        case, approver = self.extension_decider(principal, case_id)
        extension = next((e for e in case.extensions if e.extension_id == extension_id), None)
        if extension is None:
            raise NotFound("未找到该延期申请。")
        if extension.status is not ExtensionStatus.REQUESTED:
            if extension.status is ExtensionStatus.APPROVED and is_upper_part(case.flow, case.parent_case_id):
                # A decision whose relay to the lower case failed is completed by the leader's retry.
                self._relay_to_lower(case, extension, Actor.of(principal, approver))
            raise Conflict("该延期申请已审批。")
        decided = extension.model_copy(update={
            "status": ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED,
            "decided_by": principal.user_id, "decided_at": self._clock.now(),
        })
        updated = case.model_copy(update={"extensions": tuple(decided if e.extension_id == extension_id else e for e in case.extensions)})
        action = "extension_approved" if approve else "extension_denied"
        recorded = self._record(case, updated, Actor.of(principal, approver), action, note, {"days": extension.days, "extension_id": extension_id})
        if approve and is_upper_part(case.flow, case.parent_case_id):
            self._relay_to_lower(recorded, decided, Actor.of(principal, approver))
        return recorded

    def _relay_to_lower(self, part: Case, extension: Extension, actor: Actor) -> None:
        """The upper leader's approved extension moves the lower case's dates (the applicant's one
        case), told with its reason (第四十二条). Once per upper extension: a retry finds it relayed."""
        assert part.parent_case_id is not None  # an upper part
        for _ in range(MAX_RELAY_ATTEMPTS):
            lower = self._cases.get(part.parent_case_id)
            if lower is None:
                raise NotFound(CASE_NOT_FOUND)
            if any(e.relayed_from_case_id == part.case_id and e.requested_at == extension.requested_at for e in lower.extensions):
                return
            relayed = extension.model_copy(update={"extension_id": len(lower.extensions) + 1, "relayed_from_case_id": part.case_id})
            moved = lower.model_copy(update={"extensions": lower.extensions + (relayed,)})
            details = {"days": extension.days, "extension_id": relayed.extension_id, RELAYED: part.case_id}
            try:
                self._record(lower, moved, actor, "extension_approved", extension.reason, details)
                return
            except Conflict:
                continue  # the lower case changed meanwhile (its flow, a staff action): read it again
        raise Conflict(CHANGED_MESSAGE)

    # --- shared ----------------------------------------------------------------------------

    def _case_at_staff_step(self, principal: Principal, case_id: str) -> Case:
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        if not principal.is_staff or principal.department_id != case.department_id:
            raise Forbidden("您无权办理其他部门的办件。")
        return self._case_open_at_staff_step(case)

    @staticmethod
    def _case_open_at_staff_step(case: Case | None) -> Case:
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        if case.status.is_closed or case.step not in STAFF_STEPS:
            raise Conflict(f"该办件当前为“{case.status.label}”，不在部门办理环节。")
        return case

    @staticmethod
    def _holder_or_leader(principal: Principal, case: Case) -> Role:
        assert case.step is not None  # a staff step (_case_at_staff_step)
        role = STEP_ROLE[case.step]
        if principal.has_role(role):
            return role
        if principal.has_role(Role.LEADER):
            return Role.LEADER
        raise Forbidden(f"须由“{case.step.label}”环节的{role.label}或分管领导办理。")

    def _record(self, before: Case, after: Case, actor: Actor, action: str, note: str | None, details: dict) -> Case:
        now = self._clock.now()
        event = TimelineEvent(
            case_id=before.case_id, seq=before.seq + 1, occurred_at=now, actor=actor, action=action,
            from_state=before.status, to_state=before.status, opinion=note, details=details,
        )
        updated = recompute_clock(after, now=now, calendar=self._calendar).model_copy(
            update={"seq": event.seq, "version": before.version + 1, "updated_at": now}
        )
        try:
            self._cases.save(updated, expected_version=before.version, events=(event,))
        except ConcurrentModification as error:
            raise Conflict(CHANGED_MESSAGE) from error
        self._publisher.publish([CaseTransitionedV1.of(updated, event, recorded_at=now)])
        return updated
