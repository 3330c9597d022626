"""What the department's office views return: a row of the leader's list of open cases."""

from __future__ import annotations

from enum import StrEnum

from .case import Case
from .clock import Extension, ExtensionStatus
from .views import CaseSummary


class DueWindow(StrEnum):
    """How close the current step is to its limit (the colours of the worklist)."""

    OVERDUE = "overdue"  # 已超期
    NEAR = "near"  # 临近时限（不足一天）
    NORMAL = "normal"  # 正常
    NONE = "none"  # 本环节不计时（如补正中）


class DepartmentCaseRow(CaseSummary):
    applicant_name: str
    clock_paused: str | None  # why the clock stands still, or None
    pending_extension: Extension | None  # the 延期 waiting for the leader's decision
    calendar_unconfirmed: bool = False  # 日历未确认 (see Case.calendar_unconfirmed)

    @classmethod
    def of(cls, case: Case) -> DepartmentCaseRow:
        return cls(
            **CaseSummary.of(case).model_dump(),
            applicant_name=case.applicant.name,
            clock_paused=case.open_pause.reason.label if case.open_pause else None,
            pending_extension=next((e for e in case.extensions if e.status is ExtensionStatus.REQUESTED), None),
            calendar_unconfirmed=case.calendar_unconfirmed,
        )
