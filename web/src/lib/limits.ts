// How a limit reads on a page: "3 个工作日", "15 日（自然日）", or 当日 for a limit of 0 days (即办件,
// decided on the day of receipt). Each limit counts in its own unit (行政处罚法 第八十五条); a limit
// without a unit (data from before units existed) counts working days, as the server counts it.

import type { LimitUnit } from '@/api/types'

/** An i18n key of `common.*` and the number it counts. */
export interface LimitCaption {
  key: 'workdays' | 'calendarDays' | 'sameDay'
  n: number
}

export function limitCaption(days: number, unit: LimitUnit | null | undefined): LimitCaption {
  if (days === 0) return { key: 'sameDay', n: 0 }
  return { key: unit === 'calendar_days' ? 'calendarDays' : 'workdays', n: days }
}

/** The unit of a step's limit in a catalog item (missing: working days). */
export function stepUnit(units: Partial<Record<string, LimitUnit>> | null | undefined, step: string): LimitUnit {
  return units?.[step] ?? 'working_days'
}
