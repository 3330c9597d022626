// The clock panel of a case: for the step, the promised limit (承诺时限) and the legal limit (法定时限),
// days used and left, each in the limit's unit (工作日 or 自然日); working days the clock stood still
// (pauses); extensions granted and waiting. The days are the server's reading (StaffCaseView.clock, counted on its clock and the
// city's calendar when it answered); the browser's clock plays no part.

import type { ClockedCaseView, Extension, Pause } from '@/api/office'
import type { LimitUnit } from '@/api/types'

export type LimitKind = 'step' | 'promised' | 'legal'

export interface LimitRow {
  kind: LimitKind
  /** The due date ("YYYY-MM-DD", Beijing time). */
  due: string
  /** Days (in `unit`) counted from the start to today, the clock's pauses left out. */
  used: number
  /** Days (in `unit`) from today to the due date; negative when past it. */
  left: number
  /** What the limit counts (a reading without one: working days). */
  unit: LimitUnit
  overdue: boolean
}

export interface ClockSummary {
  rows: LimitRow[]
  pausedDays: number
  /** Working days each pause covered (an open one up to the server's today), in the case's order. */
  pauseDays: number[]
  openPause: Pause | null
  grantedDays: number
  waiting: Extension | null
}

/** The panel's figures from the server's reading; null when the response carries none. */
export function clockSummary(view: ClockedCaseView): ClockSummary | null {
  const reading = view.clock
  if (!reading) return null
  const pauses = view.pauses ?? []
  const extensions = view.extensions ?? []
  return {
    rows: reading.limits.map((l) => ({
      kind: l.kind,
      due: l.due_on,
      used: l.used_days ?? l.used_working_days,
      left: l.remaining_days ?? l.remaining_working_days,
      unit: l.unit ?? 'working_days',
      overdue: l.overdue,
    })),
    pausedDays: reading.paused_working_days,
    pauseDays: reading.pause_working_days,
    openPause: pauses.find((p) => !p.ended_at) ?? null,
    grantedDays: extensions.filter((e) => e.status === 'approved').reduce((sum, e) => sum + e.days, 0),
    waiting: extensions.find((e) => e.status === 'requested') ?? null,
  }
}
