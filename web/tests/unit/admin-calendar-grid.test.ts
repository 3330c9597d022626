import { describe, expect, it } from 'vitest'

import type { CalendarYearView } from '@/api/admin'
import { classifyDay, weekdayOf, workingDayCounts, yearGrid } from '@/lib/admin/calendarGrid'

function view(overrides: Partial<CalendarYearView> = {}): CalendarYearView {
  return {
    year: 2026,
    trusted: true,
    national_data: true,
    confirmed: false,
    confirmed_by: null,
    confirmed_by_name: null,
    confirmed_at: null,
    note: null,
    warning: null,
    overrides: [],
    national_holidays: [{ date: '2026-10-01', name: '国庆节' }],
    adjusted_workdays: ['2026-10-10'],
    ...overrides,
  }
}

describe('the year calendar grid', () => {
  it('lays each month out in Monday-first weeks', () => {
    expect(weekdayOf(2026, 10, 1)).toBe(3) // Thursday
    const october = yearGrid(view())[9]
    expect(october.weeks[0].slice(0, 3)).toEqual([null, null, null])
    expect(october.weeks[0][3]?.date).toBe('2026-10-01')
    expect(october.weeks.every((week) => week.length === 7)).toBe(true)
    expect(october.weeks.flat().filter(Boolean)).toHaveLength(31)
    expect(yearGrid(view({ year: 2028 }))[1].weeks.flat().filter(Boolean)).toHaveLength(29) // leap February
  })

  it('marks holidays, 调休 working days and weekends from the national calendar', () => {
    const v = view()
    expect(classifyDay(v, '2026-10-01', 3)).toMatchObject({ kind: 'holiday', working: false, note: '国庆节' })
    expect(classifyDay(v, '2026-10-10', 5)).toMatchObject({ kind: 'adjusted', working: true, nationalWorking: true })
    expect(classifyDay(v, '2026-10-11', 6)).toMatchObject({ kind: 'weekend', working: false })
    expect(classifyDay(v, '2026-10-12', 0)).toMatchObject({ kind: 'workday', working: true })
  })

  it("lets the city's own days win over the national calendar and counts working days", () => {
    const city = view({
      overrides: [
        { date: '2026-10-12', working: false, national_working: true, reason: '台风停工', updated_by: 'a', updated_by_name: '管理员', updated_at: '2026-10-11T00:00:00Z' },
        { date: '2026-10-11', working: true, national_working: false, reason: '加班', updated_by: 'a', updated_by_name: '管理员', updated_at: '2026-10-11T00:00:00Z' },
      ],
    })
    expect(classifyDay(city, '2026-10-12', 0)).toMatchObject({ kind: 'cityOff', working: false, nationalWorking: true, note: '台风停工' })
    expect(classifyDay(city, '2026-10-11', 6)).toMatchObject({ kind: 'cityWork', working: true })
    const before = workingDayCounts(yearGrid(view()))[9]
    expect(workingDayCounts(yearGrid(city))[9]).toBe(before) // one day off, one day on
  })
})
