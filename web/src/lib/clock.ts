// The clock panel of a case: for the step, the promised limit (承诺时限) and the legal limit (法定时限),
// working days used and left; days the clock stood still (pauses); extensions granted and waiting.
// The working days are the server's reading (StaffCaseView.clock, counted on its clock and the
// city's calendar when it answered); the browser's clock plays no part.

import type { ClockedCaseView, Extension, Pause } from '@/api/office'

export type LimitKind = 'step' | 'promised' | 'legal'

export interface LimitRow {
  kind: LimitKind
  /** The due date ("YYYY-MM-DD", Beijing time). */
  due: string
  /** Working days counted from the start to today, the clock's pauses left out. */
  used: number
  /** Working days from today to the due date; negative when past it. */
  left: number
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
    rows: reading.limits.map((l) => ({ kind: l.kind, due: l.due_on, used: l.used_working_days, left: l.remaining_working_days, overdue: l.overdue })),
    pausedDays: reading.paused_working_days,
    pauseDays: reading.pause_working_days,
    openPause: pauses.find((p) => !p.ended_at) ?? null,
    grantedDays: extensions.filter((e) => e.status === 'approved').reduce((sum, e) => sum + e.days, 0),
    waiting: extensions.find((e) => e.status === 'requested') ?? null,
  }
}
