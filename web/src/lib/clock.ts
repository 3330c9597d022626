// The clock panel of a case: for the step, the promised limit (承诺时限) and the legal limit (法定时限),
// working days used and left; days the clock stood still (pauses); extensions granted and waiting.

import type { ClockedCaseView, Extension, Pause } from '@/api/office'

import { beijingDate, workingDaysBetween, type WorkingCalendar } from './workdays'

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
  openPause: Pause | null
  grantedDays: number
  waiting: Extension | null
}

/** Working days a pause covered (an open one up to today). */
export function pauseDays(pause: Pause, today: string, calendar: WorkingCalendar): number {
  const end = pause.ended_at ? beijingDate(new Date(pause.ended_at)) : today
  return workingDaysBetween(beijingDate(new Date(pause.started_at)), end, calendar)
}

function row(kind: LimitKind, start: string, due: string, today: string, paused: number, calendar: WorkingCalendar): LimitRow {
  const used = Math.max(workingDaysBetween(start, today, calendar) - paused, 0)
  const overdue = today > due
  const left = overdue ? -workingDaysBetween(due, today, calendar) : workingDaysBetween(today, due, calendar)
  return { kind, due, used, left, overdue }
}

export function clockSummary(view: ClockedCaseView, now: Date, calendar: WorkingCalendar): ClockSummary {
  const today = beijingDate(now)
  const pauses = view.pauses ?? []
  const casePaused = pauses.reduce((sum, p) => sum + pauseDays(p, today, calendar), 0)
  const submitted = beijingDate(new Date(view.submitted_at))
  const rows: LimitRow[] = []
  const closed = view.closed_at !== null
  if (!closed && view.step_started_at && view.step_due_at) {
    const stepPaused = pauses.filter((p) => p.step === view.step && p.started_at >= view.step_started_at!).reduce((sum, p) => sum + pauseDays(p, today, calendar), 0)
    rows.push(row('step', beijingDate(new Date(view.step_started_at)), beijingDate(new Date(view.step_due_at)), today, stepPaused, calendar))
  }
  const end = closed ? beijingDate(new Date(view.closed_at!)) : today
  rows.push(row('promised', submitted, view.promised_due_on, end, casePaused, calendar))
  rows.push(row('legal', submitted, view.legal_due_on, end, casePaused, calendar))
  const extensions = view.extensions ?? []
  return {
    rows,
    pausedDays: casePaused,
    openPause: pauses.find((p) => !p.ended_at) ?? null,
    grantedDays: extensions.filter((e) => e.status === 'approved').reduce((sum, e) => sum + e.days, 0),
    waiting: extensions.find((e) => e.status === 'requested') ?? null,
  }
}
