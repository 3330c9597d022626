// Evaluation periods (考核期间) as the API writes them: a month "2026-10", a quarter "2026-Q4" or a
// year "2026", on the city's calendar (Asia/Shanghai) — the same arithmetic as
// layers/sunlight/python/sunlight/rules/periods.py, for the period pickers.

import type { Granularity } from '@/api/evaluation'

export interface Period {
  granularity: Granularity
  year: number
  /** Month 1–12, quarter 1–4, or 1 for a year. */
  number: number
}

const PATTERNS: [Granularity, RegExp][] = [
  ['month', /^(\d{4})-(0[1-9]|1[0-2])$/],
  ['quarter', /^(\d{4})-Q([1-4])$/],
  ['year', /^(\d{4})$/],
]

/** "2026-10", "2026-q4" or "2026" → a period; null for anything else. */
export function parsePeriod(text: string | null | undefined): Period | null {
  const value = (text ?? '').trim().toUpperCase()
  for (const [granularity, pattern] of PATTERNS) {
    const match = pattern.exec(value)
    if (!match) continue
    const year = Number(match[1])
    if (year < 2000 || year > 2999) return null
    return { granularity, year, number: granularity === 'year' ? 1 : Number(match[2]) }
  }
  return null
}

export function formatPeriod(period: Period): string {
  if (period.granularity === 'month') return `${period.year}-${String(period.number).padStart(2, '0')}`
  if (period.granularity === 'quarter') return `${period.year}-Q${period.number}`
  return String(period.year)
}

export function periodLabel(period: Period): string {
  if (period.granularity === 'month') return `${period.year}年${period.number}月`
  if (period.granularity === 'quarter') return `${period.year}年第${period.number}季度`
  return `${period.year}年`
}

const PER_YEAR: Record<Granularity, number> = { month: 12, quarter: 4, year: 1 }

/** The period just before (环比). */
export function previousPeriod(period: Period): Period {
  if (period.granularity === 'year') return { ...period, year: period.year - 1 }
  return period.number === 1
    ? { ...period, year: period.year - 1, number: PER_YEAR[period.granularity] }
    : { ...period, number: period.number - 1 }
}

/** The period just after. */
export function nextPeriod(period: Period): Period {
  if (period.granularity === 'year') return { ...period, year: period.year + 1 }
  return period.number === PER_YEAR[period.granularity]
    ? { ...period, year: period.year + 1, number: 1 }
    : { ...period, number: period.number + 1 }
}

/** The same period a year earlier (同比). */
export function yearEarlier(period: Period): Period {
  return { ...period, year: period.year - 1 }
}

const cityDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })

/** The month a moment falls in on the city's calendar (a UTC evening is already tomorrow there). */
export function monthOf(moment: Date): Period {
  const parts = Object.fromEntries(cityDate.formatToParts(moment).map((p) => [p.type, p.value]))
  return { granularity: 'month', year: Number(parts.year), number: Number(parts.month) }
}

/** The period of a granularity that contains a month (or a longer period's last month). */
export function containing(period: Period, granularity: Granularity): Period {
  const month = lastMonth(period)
  if (granularity === 'month') return month
  if (granularity === 'quarter') return { granularity, year: month.year, number: Math.ceil(month.number / 3) }
  return { granularity, year: month.year, number: 1 }
}

/** The last month of a period. */
export function lastMonth(period: Period): Period {
  if (period.granularity === 'month') return period
  return { granularity: 'month', year: period.year, number: period.granularity === 'quarter' ? period.number * 3 : 12 }
}

/** `count` periods of a granularity, newest first, ending with the one that contains `current`. */
export function recentPeriods(current: Period, granularity: Granularity, count: number): Period[] {
  const periods = [containing(current, granularity)]
  while (periods.length < count) periods.push(previousPeriod(periods[periods.length - 1]))
  return periods
}

/** Whether period a is the same as b. */
export function samePeriod(a: Period | null, b: Period | null): boolean {
  return !!a && !!b && formatPeriod(a) === formatPeriod(b)
}

/** How many periods of each granularity the pickers offer. */
export const PICKER_LENGTH: Record<Granularity, number> = { month: 24, quarter: 8, year: 5 }

export interface PeriodOption {
  value: string
  label: string
  /** Still open at `current` (its results are live figures, marked provisional). */
  open: boolean
}

/** The picker's choices for a granularity: the open period first, then the closed ones. */
export function periodOptions(current: Period, granularity: Granularity): PeriodOption[] {
  const open = containing(current, granularity)
  return recentPeriods(current, granularity, PICKER_LENGTH[granularity]).map((period) => ({
    value: formatPeriod(period),
    label: periodLabel(period),
    open: samePeriod(period, open),
  }))
}
