// The colour and time left of a case's step, as the API read them on the server's clock when it
// answered (CaseSummary.due_state / remaining_working_days, StaffCaseView.clock). Nothing here reads
// the browser's clock: a wrong office PC or a demo clock moved ahead never changes a colour.

import type { DueLevel, LimitUnit } from '@/api/types'

export type { DueLevel }

/** Element Plus tag type per level. */
export const DUE_TAG_TYPE: Record<DueLevel, 'danger' | 'warning' | 'success' | 'info'> = {
  overdue: 'danger',
  near: 'warning',
  normal: 'success',
  none: 'info',
}

/** What the tag says: an i18n key of `due.*` and the days it counts (in the step limit's unit:
 * working days unless the server says calendar days, CaseSummary.remaining_unit). */
export interface DueCaption {
  key: 'overdue' | 'overdueToday' | 'dueToday' | 'left' | 'overdueCalendar' | 'leftCalendar' | 'none'
  n: number
}

export function dueCaption(level: DueLevel | null | undefined, remaining: number | null | undefined, unit?: LimitUnit | null): DueCaption {
  if (!level || level === 'none' || remaining === null || remaining === undefined) return { key: 'none', n: 0 }
  const calendar = unit === 'calendar_days'
  if (level === 'overdue') return remaining < 0 ? { key: calendar ? 'overdueCalendar' : 'overdue', n: -remaining } : { key: 'overdueToday', n: 0 }
  return remaining > 0 ? { key: calendar ? 'leftCalendar' : 'left', n: remaining } : { key: 'dueToday', n: 0 }
}

/** The row class of a list coloured by due state. */
export function dueRowClass(level: DueLevel | null | undefined): string {
  return level === 'overdue' ? 'row-overdue' : level === 'near' ? 'row-near' : ''
}
