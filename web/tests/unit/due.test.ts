import { describe, expect, it } from 'vitest'

import { DUE_TAG_TYPE, dueCaption, dueRowClass } from '@/lib/due'
import zhCN from '@/i18n/zh-CN'
import { limitCaption } from '@/lib/limits'

// The colour and the working days left are the server's (CaseSummary.due_state,
// remaining_working_days); the page only words them.
describe('due caption', () => {
  it('says the working days left, or how many past the due day', () => {
    expect(dueCaption('normal', 5)).toEqual({ key: 'left', n: 5 })
    expect(dueCaption('near', 1)).toEqual({ key: 'left', n: 1 })
    expect(dueCaption('near', 0)).toEqual({ key: 'dueToday', n: 0 })
    expect(dueCaption('overdue', -3)).toEqual({ key: 'overdue', n: 3 })
  })

  it('is overdue without a count on the due day itself, past the due time', () => {
    expect(dueCaption('overdue', 0)).toEqual({ key: 'overdueToday', n: 0 })
  })

  it('does not count where the clock does not run (closed, paused, waiting on the applicant)', () => {
    expect(dueCaption('none', null)).toEqual({ key: 'none', n: 0 })
    expect(dueCaption(undefined, undefined)).toEqual({ key: 'none', n: 0 })
    expect(dueCaption('normal', null)).toEqual({ key: 'none', n: 0 })
  })

  it('colours rows by the server’s state only', () => {
    expect(dueRowClass('overdue')).toBe('row-overdue')
    expect(dueRowClass('near')).toBe('row-near')
    expect(dueRowClass('normal')).toBe('')
    expect(dueRowClass(undefined)).toBe('')
  })

  it('maps levels to tag types', () => {
    expect(DUE_TAG_TYPE).toEqual({ overdue: 'danger', near: 'warning', normal: 'success', none: 'info' })
  })
})

describe('a limit in its unit', () => {
  it('says calendar days where the step counts them (行政处罚法 第八十五条), working days otherwise', () => {
    expect(dueCaption('normal', 5, 'calendar_days')).toEqual({ key: 'leftCalendar', n: 5 })
    expect(dueCaption('overdue', -2, 'calendar_days')).toEqual({ key: 'overdueCalendar', n: 2 })
    expect(dueCaption('normal', 5, 'working_days')).toEqual({ key: 'left', n: 5 })
    expect(dueCaption('normal', 5, null)).toEqual({ key: 'left', n: 5 })
  })

  it('words a limit as 工作日, 自然日 or 当日 (即办件)', () => {
    expect(limitCaption(3, 'working_days')).toEqual({ key: 'workdays', n: 3 })
    expect(limitCaption(15, 'calendar_days')).toEqual({ key: 'calendarDays', n: 15 })
    expect(limitCaption(20, undefined)).toEqual({ key: 'workdays', n: 20 })
    expect(limitCaption(0, 'working_days')).toEqual({ key: 'sameDay', n: 0 })
    expect(zhCN.common.workdays.replace('{n}', '3')).toBe('3 个工作日')
    expect(zhCN.common.calendarDays.replace('{n}', '15')).toBe('15 日（自然日）')
  })
})
