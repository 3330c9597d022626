import { describe, expect, it } from 'vitest'

import type { LogVerificationRun } from '@/api/orders'
import { pollUntil } from '@/lib/poll'
import { anchorsChecked, isRunning, progressPercent, resultKey, resultType } from '@/lib/verification'

function run(overrides: Partial<LogVerificationRun> = {}): LogVerificationRun {
  return {
    run_id: 'r1', started_by: 'u1', started_by_name: '郑国华', started_at: '2026-11-23T01:00:00Z', head_seq: 300, checked: 0,
    status: 'running', first_break: null, message: '正在校验', updated_at: '2026-11-23T01:00:00Z', finished_at: null, ...overrides,
  }
}

describe('verification runs', () => {
  it('shows progress as a whole percent that reaches 100 only when the run has ended', () => {
    expect(progressPercent(run({ checked: 0 }))).toBe(0)
    expect(progressPercent(run({ checked: 150 }))).toBe(50)
    expect(progressPercent(run({ checked: 300 }))).toBe(99) // the last look past the head is still to come
    expect(progressPercent(run({ head_seq: 0 }))).toBe(0)
    expect(progressPercent(run({ status: 'intact', checked: 300 }))).toBe(100)
    expect(progressPercent(run({ status: 'broken', checked: 12 }))).toBe(100)
  })

  it('tells running from ended runs and colours the result', () => {
    expect(isRunning(run())).toBe(true)
    expect(isRunning(null)).toBe(false)
    expect(isRunning(run({ status: 'failed' }))).toBe(false)
    expect([resultType(run({ status: 'intact' })), resultType(run({ status: 'broken' })), resultType(run({ status: 'failed' }))]).toEqual([
      'success', 'error', 'warning',
    ])
  })
})

describe('external anchors', () => {
  it('names a break found against an anchor apart from a break in the chain itself', () => {
    const chainBreak = { seq: 7, found_seq: null, reason: '记录被改动', message: '第 7 条记录处断链' }
    expect(resultKey(run({ status: 'broken', first_break: chainBreak }))).toBe('broken')
    expect(resultKey(run({ status: 'broken', first_break: { ...chainBreak, anchor_key: 'anchors/2026/11/23/20261123T010000Z-30.json' } }))).toBe(
      'anchorBroken',
    )
    expect(resultKey(run({ status: 'intact', anchors_checked: 2 }))).toBe('intact')
  })

  it('tells a run checked against no anchor yet from one that did not get to the anchors', () => {
    expect(anchorsChecked(run({ status: 'intact', anchors_checked: 0 }))).toBe(0)
    expect(anchorsChecked(run({ status: 'intact', anchors_checked: 3 }))).toBe(3)
    expect(anchorsChecked(run({ status: 'broken' }))).toBeNull()
    expect(anchorsChecked(run({ status: 'broken', anchors_checked: null }))).toBeNull()
  })
})

describe('pollUntil', () => {
  it('hands every answer to onValue until done', async () => {
    const answers = [run({ checked: 0 }), run({ checked: 100 }), run({ status: 'intact', checked: 300 })]
    const seen: number[] = []
    const last = await pollUntil(async () => answers.shift()!, (v) => !isRunning(v), {
      intervalMs: 1, timeoutMs: Number.POSITIVE_INFINITY, onValue: (v) => seen.push(v.checked),
    })
    expect(seen).toEqual([0, 100, 300])
    expect(last.status).toBe('intact')
  })

  it('stops when its signal aborts (the page was left)', async () => {
    const controller = new AbortController()
    let loads = 0
    const last = await pollUntil(async () => {
      loads += 1
      if (loads === 2) controller.abort()
      return run({ checked: loads })
    }, (v) => !isRunning(v), { intervalMs: 1, timeoutMs: Number.POSITIVE_INFINITY, signal: controller.signal })
    expect(loads).toBe(2)
    expect(last.checked).toBe(2)
  })
})
