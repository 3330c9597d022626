import { describe, expect, it } from 'vitest'

import { DUE_TAG_TYPE, dueCaption, dueRowClass } from '@/lib/due'

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
