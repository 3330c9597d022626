import { describe, expect, it } from 'vitest'

import { DUE_TAG_TYPE, NEAR_MS, dueLevel, dueState, spanText } from '@/lib/due'

const NOW = new Date('2026-11-23T02:00:00Z') // 10:00 Beijing time

describe('due colour', () => {
  it('is green with more than a day left, amber within a day, red past the limit', () => {
    expect(dueLevel('2026-11-25T10:00:00+08:00', NOW)).toBe('normal')
    expect(dueLevel(new Date(NOW.getTime() + NEAR_MS + 1), NOW)).toBe('normal')
    expect(dueLevel(new Date(NOW.getTime() + NEAR_MS), NOW)).toBe('near')
    expect(dueLevel('2026-11-23T17:30:00+08:00', NOW)).toBe('near')
    expect(dueLevel(NOW, NOW)).toBe('near')
    expect(dueLevel(new Date(NOW.getTime() - 1), NOW)).toBe('overdue')
    expect(dueLevel('2026-11-20T17:30:00+08:00', NOW)).toBe('overdue')
  })

  it('has no colour without a limit (closed cases, 补正 waiting on the applicant)', () => {
    expect(dueLevel(null, NOW)).toBe('none')
    expect(dueLevel(undefined, NOW)).toBe('none')
    expect(dueLevel('not a date', NOW)).toBe('none')
  })

  it('honours another threshold', () => {
    expect(dueLevel('2026-11-25T09:00:00+08:00', NOW, 3 * NEAR_MS)).toBe('near')
  })

  it('measures what is left, or how far past', () => {
    expect(dueState('2026-11-25T13:20:00+08:00', NOW)).toEqual({ level: 'normal', days: 2, hours: 3, minutes: 20 })
    expect(dueState('2026-11-22T05:00:00+08:00', NOW)).toEqual({ level: 'overdue', days: 1, hours: 5, minutes: 0 })
  })

  it('says the span in its two largest units', () => {
    expect(spanText({ days: 2, hours: 3, minutes: 20 })).toBe('2天3小时')
    expect(spanText({ days: 2, hours: 0, minutes: 20 })).toBe('2天')
    expect(spanText({ days: 0, hours: 5, minutes: 20 })).toBe('5小时20分钟')
    expect(spanText({ days: 0, hours: 5, minutes: 0 })).toBe('5小时')
    expect(spanText({ days: 0, hours: 0, minutes: 7 })).toBe('7分钟')
  })

  it('maps levels to tag types', () => {
    expect(DUE_TAG_TYPE).toEqual({ overdue: 'danger', near: 'warning', normal: 'success', none: 'info' })
  })
})
