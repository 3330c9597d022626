import { describe, expect, it } from 'vitest'

import { ApiClient } from '@/api/client'
import { officeEndpoints, type ClockedCaseView, type Warning } from '@/api/office'
import { cardActions, openBadge, openCount } from '@/lib/cards'
import { clockSummary } from '@/lib/clock'
import { checkCharacter, idCardProblem, isValidIdNumber } from '@/lib/idcard'

import { jsonResponse, scriptedFetch } from './helpers'

describe('resident id card checksum', () => {
  it('accepts valid numbers, with a lower-case x too', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('11010519491231002x')).toBe(true)
    expect(checkCharacter('11010519491231002')).toBe('X')
  })

  it('names what is wrong', () => {
    expect(idCardProblem('')).toBe('empty')
    expect(idCardProblem('1101051949123100')).toBe('length')
    expect(idCardProblem('1101051949123100AX')).toBe('format')
    expect(idCardProblem('110105194902301234')).toBe('birthday') // 30 February
    expect(idCardProblem('110105194912310021')).toBe('checksum')
  })
})

function view(overrides: Partial<ClockedCaseView>): ClockedCaseView {
  return {
    submitted_at: '2026-11-23T09:00:00+08:00',
    step: 'handle',
    step_started_at: '2026-11-24T09:00:00+08:00',
    step_due_at: '2026-11-27T23:59:59+08:00',
    promised_due_on: '2026-12-07',
    legal_due_on: '2026-12-21',
    closed_at: null,
    pauses: [],
    extensions: [],
    clock: {
      as_of: '2026-11-30T10:00:00+08:00',
      today: '2026-11-30',
      due_state: 'overdue',
      limits: [
        { kind: 'step', due_on: '2026-11-27', used_working_days: 2, remaining_working_days: -1, overdue: true },
        { kind: 'promised', due_on: '2026-12-07', used_working_days: 3, remaining_working_days: 5, overdue: false },
      ],
      paused_working_days: 2,
      pause_working_days: [2],
    },
    ...overrides,
  } as ClockedCaseView
}

describe('clock panel', () => {
  it('shows the server’s reading of the limits and pauses, whatever the browser’s clock says', () => {
    const summary = clockSummary(
      view({
        pauses: [{ reason: 'expert_review', step: 'handle', started_at: '2026-11-25T10:00:00+08:00', ended_at: '2026-11-27T10:00:00+08:00', note: null }],
        extensions: [
          { extension_id: 1, days: 2, reason: 'a', requested_by: 'h', requested_at: '', status: 'approved', decided_by: 'l', decided_at: '' },
          { extension_id: 2, days: 3, reason: 'b', requested_by: 'h', requested_at: '', status: 'requested', decided_by: null, decided_at: null },
        ],
      }),
    )!
    expect(summary.rows).toEqual([
      { kind: 'step', due: '2026-11-27', used: 2, left: -1, unit: 'working_days', overdue: true },
      { kind: 'promised', due: '2026-12-07', used: 3, left: 5, unit: 'working_days', overdue: false },
    ])
    expect(summary.pausedDays).toBe(2)
    expect(summary.pauseDays).toEqual([2])
    expect(summary.grantedDays).toBe(2)
    expect(summary.waiting?.extension_id).toBe(2)
    expect(summary.openPause).toBeNull()
  })

  it('reads a calendar-day limit in calendar days, a working-day one in working days', () => {
    const reading = view({}).clock!
    const summary = clockSummary(
      view({
        clock: {
          ...reading,
          limits: [
            { kind: 'legal', due_on: '2026-12-21', unit: 'calendar_days', used_working_days: 5, remaining_working_days: 15, used_days: 7, remaining_days: 21, overdue: false },
            { kind: 'promised', due_on: '2026-12-07', unit: 'working_days', used_working_days: 3, remaining_working_days: 5, used_days: 3, remaining_days: 5, overdue: false },
          ],
        },
      }),
    )!
    expect(summary.rows.map((r) => [r.kind, r.unit, r.used, r.left])).toEqual([
      ['legal', 'calendar_days', 7, 21],
      ['promised', 'working_days', 3, 5],
    ])
  })

  it('shows nothing it would have to count itself when the answer carries no reading', () => {
    expect(clockSummary(view({ clock: null }))).toBeNull()
  })
})

function card(overrides: Partial<Warning>): Warning {
  return { warning_id: 'w', case_id: 'c', department_id: 'market', level: 'yellow', status: 'issued', history: [], ...overrides } as Warning
}

describe('card actions and filters', () => {
  const handler = { department: 'market', isLeader: false, isStaff: true, isCityInspector: false }
  const leader = { ...handler, isLeader: true }
  const cityInspector = { department: null, isLeader: false, isStaff: false, isCityInspector: true }

  it('follows the lifecycle and who may act', () => {
    expect(cardActions(card({}), handler)).toEqual(['acknowledge'])
    expect(cardActions(card({}), leader)).toEqual(['acknowledge', 'appeal'])
    expect(cardActions(card({ department_id: 'planning' }), leader)).toEqual([])
    expect(cardActions(card({ status: 'appealed' }), cityInspector)).toEqual(['uphold', 'revoke'])
    expect(cardActions(card({ status: 'appealed' }), leader)).toEqual([])
    expect(cardActions(card({ level: 'reminder' }), leader)).toEqual([])
    expect(cardActions(card({ status: 'upheld' }), cityInspector)).toEqual([])
    const districtInspector = { ...cityInspector, isCityInspector: false, isLevelInspector: true }
    expect(cardActions(card({ status: 'appealed' }), districtInspector)).toEqual(['uphold', 'revoke'])
    expect(cardActions(card({ status: 'appealed' }), { ...cityInspector, isCityInspector: false })).toEqual([])
  })

  it('counts open cards, as a total only when the page is the whole list', () => {
    const list = [card({}), card({ status: 'acknowledged' }), card({ level: 'red', status: 'appealed' }), card({ level: 'reminder' })]
    expect(openCount(list)).toBe(2)
    expect(openBadge(list, { index: 0, hasNext: false })).toEqual({ n: 2, thisPageOnly: false })
    expect(openBadge(list, { index: 0, hasNext: true })).toEqual({ n: 2, thisPageOnly: true })
    expect(openBadge(list, { index: 3, hasNext: false })).toEqual({ n: 2, thisPageOnly: true })
    expect(openBadge([card({ status: 'upheld' }), card({ level: 'reminder' })], { index: 0, hasNext: true })).toBeNull()
  })
})

describe('warning lists', () => {
  it('send the chosen filters to the server and leave out the others', async () => {
    const empty = () => jsonResponse(200, { items: [], next_cursor: null })
    const { fetchImpl, calls } = scriptedFetch(empty(), empty())
    const office = officeEndpoints(new ApiClient('http://api/', null, fetchImpl))
    await office.inbox({ box: 'market#handler', level: 'red', status: null, cursor: 'c1', limit: 20 })
    await office.warnings({ department: 'market', level: null, status: 'appealed', cursor: null, limit: 50 })
    expect(calls.map((c) => c.url)).toEqual([
      'http://api/inbox?box=market%23handler&level=red&cursor=c1&limit=20',
      'http://api/warnings?department=market&status=appealed&limit=50',
    ])
  })
})
