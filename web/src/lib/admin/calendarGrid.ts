// The year calendar grid of the working-day calendar admin (工作日历): each month as weeks of days
// (Monday first), each day marked by what decides it: the national calendar (weekend, 法定节假日,
// 调休上班) or the city's own override, and whether it is a working day in the end.

import type { CalendarYearView } from '@/api/admin'

export type DayKind =
  | 'workday' // an ordinary weekday
  | 'weekend'
  | 'holiday' // 法定节假日
  | 'adjusted' // 调休上班 (a weekend day worked)
  | 'cityOff' // the city's own day off (e.g. 台风停工)
  | 'cityWork' // the city's own working day

export interface GridDay {
  date: string // yyyy-mm-dd
  day: number
  kind: DayKind
  working: boolean
  /** What the national calendar alone says. */
  nationalWorking: boolean
  /** The holiday's name or the override's reason. */
  note: string
}

export interface GridMonth {
  month: number // 1..12
  /** Weeks of 7 cells, Monday first; null pads the first and last week. */
  weeks: (GridDay | null)[][]
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** 0 = Monday … 6 = Sunday (dates as calendar days, no time zone involved). */
export function weekdayOf(year: number, month: number, day: number): number {
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function classifyDay(view: CalendarYearView, date: string, weekday: number): Omit<GridDay, 'date' | 'day'> {
  const holiday = view.national_holidays.find((h) => h.date === date)
  const adjusted = view.adjusted_workdays.includes(date)
  const weekend = weekday >= 5
  const nationalWorking = adjusted || (!weekend && !holiday)
  const override = view.overrides.find((o) => o.date === date)
  if (override) {
    return { kind: override.working ? 'cityWork' : 'cityOff', working: override.working, nationalWorking, note: override.reason }
  }
  if (holiday) return { kind: 'holiday', working: false, nationalWorking, note: holiday.name }
  if (adjusted) return { kind: 'adjusted', working: true, nationalWorking, note: '调休上班' }
  return { kind: weekend ? 'weekend' : 'workday', working: nationalWorking, nationalWorking, note: '' }
}

export function yearGrid(view: CalendarYearView): GridMonth[] {
  const months: GridMonth[] = []
  for (let month = 1; month <= 12; month++) {
    const cells: (GridDay | null)[] = Array(weekdayOf(view.year, month, 1)).fill(null)
    for (let day = 1; day <= daysInMonth(view.year, month); day++) {
      const date = isoDate(view.year, month, day)
      cells.push({ date, day, ...classifyDay(view, date, weekdayOf(view.year, month, day)) })
    }
    while (cells.length % 7) cells.push(null)
    const weeks = []
    for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
    months.push({ month, weeks })
  }
  return months
}

/** Working days per month, as the deadlines count them. */
export function workingDayCounts(grid: GridMonth[]): number[] {
  return grid.map((m) => m.weeks.flat().filter((d) => d?.working).length)
}
