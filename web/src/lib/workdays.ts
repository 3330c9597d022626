// Working days in the browser, from the city's calendar as GET /calendar/{year} returns it: the
// national holidays and adjusted workdays (调休) plus the city's own days. The server counts the
// limits (rules/workdays.py); the browser only shows how many working days are used and left.

import type { CalendarYearView } from '@/api/office'

export interface WorkingCalendar {
  isWorkingDay(day: string): boolean
}

/** "YYYY-MM-DD" of a Date in Beijing time (the city's days). */
export function beijingDate(moment: Date): string {
  return new Date(moment.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
}

export function addDays(day: string, n: number): string {
  const date = new Date(day + 'T00:00:00Z')
  date.setUTCDate(date.getUTCDate() + n)
  return date.toISOString().slice(0, 10)
}

export function calendarFrom(years: CalendarYearView[]): WorkingCalendar {
  const overrides = new Map<string, boolean>()
  const holidays = new Set<string>()
  const adjusted = new Set<string>()
  for (const year of years) {
    for (const day of year.overrides) overrides.set(day.date, day.working)
    for (const holiday of year.national_holidays) holidays.add(holiday.date)
    for (const day of year.adjusted_workdays) adjusted.add(day)
  }
  return {
    isWorkingDay(day: string): boolean {
      const own = overrides.get(day)
      if (own !== undefined) return own
      if (adjusted.has(day)) return true
      if (holidays.has(day)) return false
      const weekday = new Date(day + 'T00:00:00Z').getUTCDay()
      return weekday !== 0 && weekday !== 6
    },
  }
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: string, to: string, calendar: WorkingCalendar): number {
  let count = 0
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) count++
  return count
}
