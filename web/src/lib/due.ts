// How close a step is to its time limit (step_due_at), for the colour of the worklist and case pages.
// The limit itself is counted by the server in working days; here only the remaining wall-clock
// time matters: past due is red, within NEAR_MS of it is amber, the rest green.

export type DueLevel = 'overdue' | 'near' | 'normal' | 'none'

/** Less than one day left: the handler is reminded (临近时限). */
export const NEAR_MS = 24 * 60 * 60 * 1000

export interface DueState {
  level: DueLevel
  /** Whole days and hours left (or, when overdue, past the limit). */
  days: number
  hours: number
  minutes: number
}

export function dueLevel(dueAt: string | Date | null | undefined, now: Date, nearMs = NEAR_MS): DueLevel {
  return dueState(dueAt, now, nearMs).level
}

export function dueState(dueAt: string | Date | null | undefined, now: Date, nearMs = NEAR_MS): DueState {
  if (!dueAt) return { level: 'none', days: 0, hours: 0, minutes: 0 }
  const due = typeof dueAt === 'string' ? new Date(dueAt) : dueAt
  if (Number.isNaN(due.getTime())) return { level: 'none', days: 0, hours: 0, minutes: 0 }
  const remaining = due.getTime() - now.getTime()
  const span = Math.abs(remaining)
  const days = Math.floor(span / 86_400_000)
  const hours = Math.floor((span % 86_400_000) / 3_600_000)
  const minutes = Math.floor((span % 3_600_000) / 60_000)
  const level: DueLevel = remaining < 0 ? 'overdue' : remaining <= nearMs ? 'near' : 'normal'
  return { level, days, hours, minutes }
}

/** Element Plus tag type per level. */
export const DUE_TAG_TYPE: Record<DueLevel, 'danger' | 'warning' | 'success' | 'info'> = {
  overdue: 'danger',
  near: 'warning',
  normal: 'success',
  none: 'info',
}

/** "2天3小时", "5小时20分钟", "12分钟": the two largest units. */
export function spanText(state: Pick<DueState, 'days' | 'hours' | 'minutes'>): string {
  if (state.days > 0) return state.hours > 0 ? `${state.days}天${state.hours}小时` : `${state.days}天`
  if (state.hours > 0) return state.minutes > 0 ? `${state.hours}小时${state.minutes}分钟` : `${state.hours}小时`
  return `${Math.max(state.minutes, 0)}分钟`
}
